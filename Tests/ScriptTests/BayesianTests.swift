import Foundation
import LessonKit
import Lessons
import ReportModel
import TestSupport
import Testing

@testable import Script

/// The shipped script `bayesian` (000's Bayesian networks) against Bayesian linear regression
/// written out here: the exact Gaussian posterior, one reparameterised step of stochastic
/// variational inference (its gradients by hand and by central differences with ε held), and the
/// fit step by step with the same draws.
@Suite("bayesian: the script against Bayesian regression written by hand (000)")
struct BayesianTests {
    /// The script's parameters, typed again here: the reference must not read the script.
    struct Model {
        var x = [-1.0, 0.5, 1, 2], y = [-0.8, 0.6, 1.1, 1.7]
        var sigma = 0.5, tau = 1.0, m = 0.0, rho = 0.0, alpha = 0.01, steps = 3000, seed = 1

        init(_ settings: [String]) {
            for (name, value) in pairs(settings) {
                if let (axis, k) = coordinate(name) { if axis == "x" { x[k] = value } else { y[k] = value } }
                switch name {
                case "sigma": sigma = value
                case "tau": tau = value
                case "m": m = value
                case "rho": rho = value
                case "alpha": alpha = value
                case "steps": steps = Int(value)
                case "seed": seed = Int(value)
                default: break
                }
            }
        }

        /// The posterior of w given the data: precision 1/τ² + Σx²/σ², mean (Σxy/σ²)/precision.
        var posterior: (mean: Double, sd: Double) {
            let precision = 1 / (tau * tau) + x.map { $0 * $0 }.reduce(0, +) / (sigma * sigma)
            return (zip(x, y).map { $0 * $1 }.reduce(0, +) / (sigma * sigma) / precision, 1 / precision.squareRoot())
        }

        /// The negative ELBO for one draw ε: the misfit at w = m + e^ρ ε plus KL(N(m, e^{2ρ}) ‖ N(0, τ²)).
        func loss(m: Double, rho: Double, eps: Double) -> Double {
            let s = Foundation.exp(rho)
            let w = m + s * eps
            let misfit = zip(x, y).map { ($1 - w * $0) * ($1 - w * $0) }.reduce(0, +) / (2 * sigma * sigma)
            return misfit + Foundation.log(tau) - rho + (s * s + m * m) / (2 * tau * tau) - 0.5
        }

        /// ∂/∂m and ∂/∂ρ of that loss, by hand: ∂w/∂m = 1, ∂w/∂ρ = e^ρ ε.
        func gradient(m: Double, rho: Double, eps: Double) -> (m: Double, rho: Double) {
            let s = Foundation.exp(rho)
            let w = m + s * eps
            let dw = -zip(x, y).map { ($1 - w * $0) * $0 }.reduce(0, +) / (sigma * sigma)
            return (dw + m / (tau * tau), dw * s * eps - 1 + s * s / (tau * tau))
        }
    }

    static let settings: [[String]] = [
        [], ["sigma=2"], ["tau=0.1"], ["steps=10"], ["seed=7", "m=-2", "rho=1", "alpha=0.005"],
    ]

    static func shipped() throws -> Lesson {
        try #require(Catalog.lesson(named: "bayesian"), "bayesian is listed with the built-in lessons")
    }
    static func draw(_ model: Model, round: Int) -> Double {
        NormalDraw.value(NormalDraw.key(seed: model.seed, label: "eps", occurrence: 0), round: round)
    }

    @Test(arguments: settings)
    func everyValueIsTheHandWrittenOnes(_ settings: [String]) throws {
        let values = try Self.shipped().run(settings: settings).values
        let model = Model(settings)
        let posterior = model.posterior
        let eps = try #require(values.number("eps"))
        #expect(eps == Self.draw(model, round: 0), "the page's ε is the seed's first draw")
        let s = Foundation.exp(model.rho)
        let gradient = model.gradient(m: model.m, rho: model.rho, eps: eps)
        // The fit by hand: a new draw each step, both parameters stepped at once.
        var (m, rho) = (model.m, model.rho)
        for round in 0..<model.steps {
            let g = model.gradient(m: m, rho: rho, eps: Self.draw(model, round: round))
            (m, rho) = (m - model.alpha * g.m, rho - model.alpha * g.rho)
        }
        let expected: [(String, Double)] = [
            ("m_post", posterior.mean), ("s_post", posterior.sd), ("s", s), ("w_eps", model.m + s * eps),
            ("L", model.loss(m: model.m, rho: model.rho, eps: eps)), ("dL/dm", gradient.m), ("dL/drho", gradient.rho),
            ("m+", model.m - model.alpha * gradient.m), ("rho+", model.rho - model.alpha * gradient.rho),
            ("m_after_training", m), ("rho_after_training", rho),
        ]
        try expectAgreement(
            values, expected, relative: { $0.hasSuffix("_after_training") ? 1e-9 : 1e-12 }, "\(settings)")
    }

    /// ∂L/∂m and ∂L/∂ρ against central differences of the loss, ε held at the page's draw.
    @Test(arguments: settings)
    func theGradientsAreTheCentralDifferencesWithTheDrawHeld(_ settings: [String]) throws {
        let values = try Self.shipped().run(settings: settings).values
        let model = Model(settings)
        let eps = try #require(values.number("eps"))
        try expectAgreement(
            values,
            [
                ("dL/dm", centralDifference(at: model.m) { model.loss(m: $0, rho: model.rho, eps: eps) }),
                ("dL/drho", centralDifference(at: model.rho) { model.loss(m: model.m, rho: $0, eps: eps) }),
            ], relative: { _ in 1e-6 }, "\(settings)")
    }

    /// The sentences follow the numbers: how near q's mean and width came to the posterior's.
    @Test(arguments: settings)
    func theSentencesAreTrueToTheNumbers(_ settings: [String]) throws {
        let result = try Self.shipped().run(settings: settings)
        let values = result.values
        let text = paragraphs(result)
        let posterior = Model(settings).posterior
        let m = try #require(values.number("m_after_training"))
        let s = Foundation.exp(try #require(values.number("rho_after_training")))
        let near = abs(m - posterior.mean) < posterior.sd
        let width = close(s / posterior.sd, 1, within: 0.25)
        #expect(
            text.contains(
                near
                    ? "within one posterior standard deviation of it"
                    : "more than one posterior standard deviation from it"), "\(settings): m \(m)")
        #expect(text.contains(width ? "within a quarter of it" : "not within a quarter of it"), "\(settings): s \(s)")
        #expect(
            text.contains(near && width ? "jittering around the posterior" : "So q is not yet the posterior"),
            "\(settings)")
        // Ten steps move the mean but not yet the width; the defaults reach both.
        if settings == ["steps=10"] { #expect(!width) }
        if settings.isEmpty { #expect(near && width) }
    }
}
