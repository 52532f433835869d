import Foundation
import LessonKit
import Lessons
import ReportModel
import TestSupport
import Testing

@testable import Script

/// The shipped script `autoencoder` (000's autoencoders and VAEs) against both networks written
/// out here: the 2–1–2 autoencoder's forward pass, gradients and training by hand, the least error
/// a one-number code allows (the covariance's smaller eigenvalue), and the VAE's sampled code, KL
/// term and reparameterised gradients (by hand, by central differences with ε held, and the KL
/// against a numerical integral), trained with the same draws.
@Suite("autoencoder: the script against an autoencoder and a VAE written by hand (000)")
struct AutoencoderTests {
    /// The script's parameters, typed again here: the reference must not read the script.
    struct Model {
        var x = [-2.0, 0.4, 1.6], y = [-1.1, 0.3, 0.7]
        var coder = [0.5, 0.5, 0, 0.5, 0.5, 0, 0]  // w1 w2 b v1 v2 c1 c2
        var vae = [0.5, 0.5, 0, 0, 0, -1, 0.5, 0.5, 0, 0]  // m1 m2 bm l1 l2 bl e1 e2 f1 f2
        var alpha = 0.05, steps = 2000, vsteps = 3000, seed = 1

        init(_ settings: [String]) {
            for (name, value) in pairs(settings) {
                if let (axis, k) = coordinate(name) { if axis == "x" { x[k] = value } else { y[k] = value } }
                switch name {
                case "alpha": alpha = value
                case "steps": steps = Int(value)
                case "vsteps": vsteps = Int(value)
                case "seed": seed = Int(value)
                default: break
                }
            }
        }

        /// The autoencoder's error averaged over the points, and its gradient in (w1 w2 b v1 v2 c1 c2).
        func coderLoss(_ p: [Double]) -> (loss: Double, gradient: [Double]) {
            var (loss, g) = (0.0, [Double](repeating: 0, count: 7))
            for (x, y) in zip(x, y) {
                let h = p[0] * x + p[1] * y + p[2]
                let (rx, ry) = (x - (p[3] * h + p[5]), y - (p[4] * h + p[6]))
                loss += rx * rx + ry * ry
                let dh = -2 * rx * p[3] - 2 * ry * p[4]
                for (k, d) in [dh * x, dh * y, dh, -2 * rx * h, -2 * ry * h, -2 * rx, -2 * ry].enumerated() {
                    g[k] += d
                }
            }
            return (loss / 3, g.map { $0 / 3 })
        }

        /// One point's VAE loss for a draw ε: the reconstruction of z = μ + e^{ℓ/2}ε plus
        /// KL(N(μ, e^ℓ) ‖ N(0, 1)), with its gradients in μ and ℓ and in (m1 … f2).
        func vaeLoss(_ p: [Double], point k: Int, eps: Double) -> (
            loss: Double, dmu: Double, dlv: Double, gradient: [Double]
        ) {
            let mu = p[0] * x[k] + p[1] * y[k] + p[2]
            let lv = p[3] * x[k] + p[4] * y[k] + p[5]
            let s = Foundation.exp(lv / 2)
            let z = mu + s * eps
            let (rx, ry) = (x[k] - (p[6] * z + p[8]), y[k] - (p[7] * z + p[9]))
            let loss = rx * rx + ry * ry + (mu * mu + Foundation.exp(lv) - lv - 1) / 2
            let dz = -2 * rx * p[6] - 2 * ry * p[7]
            let (dmu, dlv) = (dz + mu, dz * s * eps / 2 + (Foundation.exp(lv) - 1) / 2)
            return (
                loss, dmu, dlv,
                [dmu * x[k], dmu * y[k], dmu, dlv * x[k], dlv * y[k], dlv, -2 * rx * z, -2 * ry * z, -2 * rx, -2 * ry]
            )
        }

        /// The least error of any linear one-number code: the smaller eigenvalue of the covariance.
        var leastError: Double {
            let (mx, my) = (x.reduce(0, +) / 3, y.reduce(0, +) / 3)
            let sxx = x.map { ($0 - mx) * ($0 - mx) }.reduce(0, +) / 3
            let syy = y.map { ($0 - my) * ($0 - my) }.reduce(0, +) / 3
            let sxy = zip(x, y).map { ($0 - mx) * ($1 - my) }.reduce(0, +) / 3
            return (sxx + syy) / 2 - ((sxx - syy) * (sxx - syy) / 4 + sxy * sxy).squareRoot()
        }
    }

    static let settings: [[String]] = [
        [], ["steps=3"], ["y1=1", "y2=-1.2", "y3=1"], ["seed=7", "alpha=0.02", "vsteps=500"],
    ]

    static func shipped() throws -> Lesson {
        try #require(Catalog.lesson(named: "autoencoder"), "autoencoder is listed with the built-in lessons")
    }
    static func draw(_ model: Model, _ label: String, round: Int = 0) -> Double {
        NormalDraw.value(NormalDraw.key(seed: model.seed, label: label, occurrence: 0), round: round)
    }

    @Test func theFirstPointThroughTheUntrainedAutoencoder() throws {
        let values = try Self.shipped().run(settings: []).values
        // h1 = 0.5 × (−2) + 0.5 × (−1.1) + 0 = −1.55; x̂1 = ŷ1 = 0.5 × (−1.55) = −0.775
        // E1 = (−2 + 0.775)² + (−1.1 + 0.775)² = 1.500625 + 0.105625 = 1.60625
        try expectAgreement(
            values, [("h1", -1.55), ("xh1", -0.775), ("yh1", -0.775), ("E1", 1.60625)], relative: { _ in 1e-15 },
            "defaults")
        // ∂E1/∂v1 = −2(x1 − x̂1)h1 = −2 × (−1.225) × (−1.55) = −3.7975
        // ∂E1/∂w1 = −2(x1 − x̂1)v1x1 − 2(y1 − ŷ1)v2x1 = −2.45 − 0.65 = −3.1
        try expectAgreement(values, [("dE1/dv1", -3.7975), ("dE1/dw1", -3.1)], relative: { _ in 1e-14 }, "defaults")
    }

    @Test(arguments: settings)
    func everyValueIsTheHandWrittenOnes(_ settings: [String]) throws {
        let values = try Self.shipped().run(settings: settings).values
        let model = Model(settings)
        // The autoencoder trained by hand: every weight stepped at once on the average error.
        var coder = model.coder
        for _ in 0..<model.steps {
            let g = model.coderLoss(coder).gradient
            coder = zip(coder, g).map { $0 - model.alpha * $1 }
        }
        // The VAE trained by hand: a new draw for each point every step.
        var vae = model.vae
        for round in 0..<model.vsteps {
            var g = [Double](repeating: 0, count: 10)
            for k in 0..<3 {
                let part = model.vaeLoss(vae, point: k, eps: Self.draw(model, "eps\(k + 1)", round: round)).gradient
                g = zip(g, part).map { $0 + $1 / 3 }
            }
            vae = zip(vae, g).map { $0 - model.alpha * $1 }
        }
        let eps1 = try #require(values.number("eps1"))
        #expect(eps1 == Self.draw(model, "eps1"), "the page's ε₁ is the seed's first draw for its line")
        let first = model.vaeLoss(model.vae, point: 0, eps: eps1)
        let names = ["w1", "w2", "b", "v1", "v2", "c1", "c2"]
        let vaeNames = ["m1", "m2", "bm", "l1", "l2", "bl", "e1", "e2", "f1", "f2"]
        var expected: [(String, Double)] = [
            ("E", model.coderLoss(model.coder).loss), ("E_after_training", model.coderLoss(coder).loss),
            ("L1", first.loss), ("dL1/dmu1", first.dmu), ("dL1/dlv1", first.dlv),
        ]
        expected +=
            zip(names, coder).map { ("\($0)_after_training", $1) }
            + zip(vaeNames, vae).map { ("\($0)_after_training", $1) }
        // New points from the prior: the trained decoder at three draws.
        for k in 1...3 {
            let t = Self.draw(model, "t\(k)")
            expected += [("gx\(k)", vae[6] * t + vae[8]), ("gy\(k)", vae[7] * t + vae[9])]
        }
        try expectAgreement(
            values, expected, relative: { $0.hasSuffix("_after_training") || $0.hasPrefix("g") ? 1e-9 : 1e-12 },
            "\(settings)")
        // No weights do better than the covariance's smaller eigenvalue.
        let least = try #require(values.number("across"))
        #expect(close(least, model.leastError, relative: 1e-12))
        #expect(model.coderLoss(coder).loss >= least * (1 - 1e-9))
    }

    /// ∂L₁/∂μ₁ and ∂L₁/∂ℓ₁ against central differences in the biases b_μ and b_ℓ (μ₁ and ℓ₁ move
    /// one for one with them), ε₁ held: the gradient reaches μ and σ through the sample.
    @Test(arguments: settings)
    func theGradientsReachTheMeanAndTheWidthThroughTheSample(_ settings: [String]) throws {
        let values = try Self.shipped().run(settings: settings).values
        let model = Model(settings)
        let eps = try #require(values.number("eps1"))
        func loss(_ index: Int, _ value: Double) -> Double {
            var p = model.vae
            p[index] = value
            return model.vaeLoss(p, point: 0, eps: eps).loss
        }
        try expectAgreement(
            values,
            [
                ("dL1/dmu1", centralDifference(at: model.vae[2]) { loss(2, $0) }),
                ("dL1/dlv1", centralDifference(at: model.vae[5]) { loss(5, $0) }),
            ], relative: { _ in 1e-6 }, "\(settings)")
    }

    /// The closed-form KL against ∫ q log(q/p) by Simpson's rule over ±12 standard deviations.
    @Test func theClosedFormKLIsTheIntegral() throws {
        let values = try Self.shipped().run(settings: []).values
        let (mu, s) = (try #require(values.number("mu1")), try #require(values.number("s1")))
        let n = 20_000
        let (a, b) = (mu - 12 * s, mu + 12 * s)
        let h = (b - a) / Double(n)
        func integrand(_ z: Double) -> Double {
            let q = Foundation.exp(-(z - mu) * (z - mu) / (2 * s * s)) / (s * (2 * Double.pi).squareRoot())
            let p = Foundation.exp(-z * z / 2) / (2 * Double.pi).squareRoot()
            return q * Foundation.log(q / p)
        }
        let simpson =
            (0...n).map { k in integrand(a + Double(k) * h) * (k == 0 || k == n ? 1 : k % 2 == 1 ? 4 : 2) }.reduce(0, +)
            * h / 3
        let kl = try #require(values.number("KL1"))
        #expect(close(kl, simpson, relative: 1e-9), "KL₁ \(kl) against the integral \(simpson)")
    }

    /// The sentences follow the numbers: how near E came to its least, and whether the decoder's
    /// line lies along the data.
    @Test(arguments: settings)
    func theSentencesAreTrueToTheNumbers(_ settings: [String]) throws {
        let result = try Self.shipped().run(settings: settings)
        let values = result.values
        let text = paragraphs(result)
        let least = Model(settings).leastError
        let error = try #require(values.number("E_after_training"))
        #expect(
            text.contains(
                error <= 1.02 * least + 1e-6 ? "it has reached that least error" : "still above that least error"),
            "\(settings): E \(error)")
        let (align, offset, along) = (
            try #require(values.number("align")), try #require(values.number("offset")),
            try #require(values.number("along"))
        )
        let laid = align > 0.99 && offset < 0.1 * along.squareRoot()
        #expect(
            text.contains(laid ? "training has laid the line along the data" : "the line is not along the data"),
            "\(settings)")
        if settings == ["steps=3"] { #expect(error > 2 * least) }
        if settings.isEmpty { #expect(text.contains("The points lie near a line")) }
        if settings.first == "y1=1" {
            #expect(text.contains("The points are not near a line") && text.contains("not like the data"))
        }
    }
}
