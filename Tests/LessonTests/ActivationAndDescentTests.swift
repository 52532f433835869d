import Foundation
import LessonKit
import ReportModel
import TestSupport
import Testing

@testable import Lessons

@Suite("activations against their closed forms (001_1d037609c44b217d.txt)")
struct ActivationTests {
    static func σ(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// The functions and derivatives as 001 writes them, by hand.
    static let closedForms:
        [String: (f: @Sendable (Double, Double) -> Double, d: @Sendable (Double, Double) -> Double)] = [
            "sigmoid": ({ x, _ in σ(x) }, { x, _ in σ(x) * (1 - σ(x)) }),  // sigm′ = sigm(1 − sigm)
            // tanh′ = 1 − tanh²
            "tanh": ({ x, _ in (exp(2 * x) - 1) / (exp(2 * x) + 1) }, { x, _ in 1 - pow(tanh(x), 2) }),
            "relu": ({ x, _ in max(0, x) }, { x, _ in x > 0 ? 1 : 0 }),  // relu′ = 1_{x>0}
            // f = εx + (1 − ε) max(0, x)
            "leaky": ({ x, e in e * x + (1 - e) * max(0, x) }, { x, e in x > 0 ? 1 : e }),
            "softplus": ({ x, _ in log(1 + exp(x)) }, { x, _ in σ(x) }),  // f = log(1 + e^x)
        ]

    @Test(arguments: [-2.5, -0.3, 0.7, 1, 3.2])
    func valuesAndDerivativesAtX(x: Double) throws {
        let values = try Lesson.activations.run(settings: ["x=\(x)", "leak=0.2"]).values
        for (label, form) in Self.closedForms {
            #expect(close(try #require(values.number(label)), form.f(x, 0.2), within: 1e-13), "\(label)(\(x))")
            #expect(
                close(try #require(values.number("d\(label)/dx")), form.d(x, 0.2), within: 1e-13), "\(label)′(\(x))")
            // …and the derivative against a central difference of the function itself.
            let h = 1e-6
            #expect(
                close(
                    try #require(values.number("d\(label)/dx")), (form.f(x + h, 0.2) - form.f(x - h, 0.2)) / (2 * h),
                    within: 1e-7), "\(label)′ by differences")
        }
    }

    @Test func theSigmoidsGradientVanishesThroughStackedLayers() throws {
        let values = try Lesson.activations.run(settings: []).values
        guard case .array(let stacked)? = values["stack.sigmoid"] else {
            Issue.record("no stack")
            return
        }
        // d/dx of σ∘σ∘…∘σ at 0, by hand: the product of σ′ at each layer's input.
        for (depth, derivative) in zip([1, 2, 5, 10, 20], stacked) {
            var (x, product) = (0.0, 1.0)
            for _ in 0..<depth {
                product *= Self.σ(x) * (1 - Self.σ(x))
                x = Self.σ(x)
            }
            // 2.3e-13 at depth 20: relative, not absolute
            #expect(close(derivative, product, relative: 1e-12, within: 0), "depth \(depth)")
            #expect(derivative <= pow(0.25, Double(depth)))
        }
    }

    /// The fit minimises the squared error: its residual is orthogonal to every basis function.
    @Test(arguments: ["sine", "bump", "cubic"])
    func theReLUFitIsTheLeastSquaresFit(target: String) throws {
        let f = try #require(Activations.targets[target]).f
        let fit = Activations.Fit(k: 6, f)
        let residual = zip(fit.target, fit.fitted).map { $0 - $1 }
        for j in 0...6 {
            let basis: [Double] = fit.xs.map { x in j == 0 ? 1 : max(0, x - fit.knots[j - 1]) }
            var dot = 0.0
            for (b, r) in zip(basis, residual) { dot += b * r }
            #expect(abs(dot) < 1e-9, "residual ⟂ basis \(j)")
        }
        // Doubling k nests the knots, so the least-squares error cannot grow.
        let errors = [2, 4, 8, 16].map { Activations.Fit(k: $0, f).rmsError }
        #expect(zip(errors, errors.dropFirst()).allSatisfy { $1 <= $0 }, "more ReLUs, smaller RMS error: \(errors)")
    }
}

@Suite("Least squares")
struct LeastSquaresTests {
    /// Targets made exactly from known weights on 40 crowded ReLU knots: the fit gives them back to
    /// about 10⁻¹³. Through the normal equations, which square the condition number, the same fit
    /// errs by about 10⁻¹⁰ (measured): three digits lost, which this bound catches.
    @Test func recoversKnownWeightsOnAnIllConditionedBasis() {
        let knots = (0..<40).map { -3 + 6 * Double($0) / 40 }
        let xs = (0...240).map { -3 + 6 * Double($0) / 240 }
        let rows = xs.map { x in [1] + knots.map { max(0, x - $0) } }
        let truth = (0...40).map { sin(Double($0)) }
        let targets = rows.map { zip($0, truth).map(*).reduce(0, +) }
        let fit = LeastSquares.fit(rows: rows, targets: targets)!
        let worst = zip(fit, truth).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-11, "largest error in a weight: \(worst)")
    }

    @Test func dependentColumnsHaveNoSingleAnswer() {
        #expect(LeastSquares.fit(rows: [[1, 2], [2, 4], [3, 6]], targets: [1, 2, 3]) == nil)
    }
}

@Suite("gradient-descent against a hand-written regression (002_432a7f33b6bbf992.txt)")
struct GradientDescentTests {
    @Test func theExactLineIsCovarianceOverVariance() throws {
        let values = try Lesson.gradientDescent.run(settings: []).values
        guard case .array(let x)? = values["data.x"], case .array(let y)? = values["data.y"] else {
            Issue.record("no data")
            return
        }
        let (mx, my) = (x.reduce(0, +) / Double(x.count), y.reduce(0, +) / Double(y.count))
        let covariance: Double = zip(x, y).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
        let variance: Double = x.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
        let slope = covariance / variance
        #expect(close(try #require(values.number("exact.theta1")), slope, within: 1e-12))
        #expect(close(try #require(values.number("exact.theta0")), my - slope * mx, within: 1e-12))
    }

    @Test func theFirstStepIsTheMeanErrorTimesAlpha() throws {
        let values = try Lesson.gradientDescent.run(settings: []).values
        guard case .array(let x)? = values["data.x"], case .array(let y)? = values["data.y"] else { return }
        let m = Double(x.count)
        let errors = zip(x, y).map { 0 + 0 * $0 - $1 }  // θ = (0, 0)
        // J = 1/(2m) Σ (h − y)²
        #expect(close(try #require(values.number("J")), errors.map { $0 * $0 }.reduce(0, +) / (2 * m), within: 1e-12))
        // ∂J/∂θ₀ = 1/m Σ (h − y)
        #expect(close(try #require(values.number("dJ/dtheta0")), errors.reduce(0, +) / m, within: 1e-12))
        #expect(
            close(
                try #require(values.number("dJ/dtheta1")), zip(errors, x).map { $0 * $1 }.reduce(0, +) / m,
                within: 1e-12))  // … (h − y)x
        #expect(close(try #require(values.number("theta0+")), (0 - 0.1 * errors.reduce(0, +) / m), within: 1e-12))
    }

    @Test func batchDescentMatchesAHandWrittenLoop() throws {
        let values = try Lesson.gradientDescent.run(settings: ["epochs=30", "alpha=0.3"]).values
        guard case .array(let x)? = values["data.x"], case .array(let y)? = values["data.y"] else { return }
        var (t0, t1) = (0.0, 0.0)
        for _ in 0..<30 {
            let e = zip(x, y).map { t0 + t1 * $0 - $1 }
            let (g0, g1) = (e.reduce(0, +) / Double(x.count), zip(e, x).map { $0 * $1 }.reduce(0, +) / Double(x.count))
            (t0, t1) = (t0 - 0.3 * g0, t1 - 0.3 * g1)  // both from the old θ: simultaneous
        }
        #expect(
            try close(#require(values.number("batch.theta0")), t0, within: 1e-12)
                && close(#require(values.number("batch.theta1")), t1, within: 1e-12))
    }

    @Test func batchDescentDivergesJustPastTwoOverTheLargestCurvature() throws {
        // α_max = 2/λ_max of the Hessian (1/m)XᵀX: found here by the power method, and checked by
        // running the lesson just below it (converges) and just above it (stopped, no NaN printed).
        let values = try Lesson.gradientDescent.run(settings: []).values
        guard case .array(let x)? = values["data.x"] else {
            Issue.record("no data")
            return
        }
        let m = Double(x.count)
        let h = [[1, x.reduce(0, +) / m], [x.reduce(0, +) / m, x.map { $0 * $0 }.reduce(0, +) / m]]
        var v = [1.0, 1.0]
        var lambda = 0.0
        for _ in 0..<200 {
            let w = [h[0][0] * v[0] + h[0][1] * v[1], h[1][0] * v[0] + h[1][1] * v[1]]
            lambda = (w[0] * w[0] + w[1] * w[1]).squareRoot()
            v = w.map { $0 / lambda }
        }
        let limit = try #require(values.number("alpha_max"))
        #expect(close(limit, 2 / lambda, within: 1e-12))
        let below = try Lesson.gradientDescent.run(settings: ["alpha=\(0.95 * limit)", "epochs=500"])
        #expect(below.values.number("batch.diverged_after") == nil)
        #expect(
            close(
                try #require(below.values.number("batch.J")), try #require(below.values.number("exact.J")), within: 1e-6
            ))
        let above = try Lesson.gradientDescent.run(settings: ["alpha=\(1.05 * limit)", "epochs=500"])
        #expect(above.values.number("batch.diverged_after") != nil)
        let said = paragraphs(above).first { $0.contains("batch descent diverges") }
        #expect(
            said?.contains("after \(Int(try #require(above.values.number("batch.diverged_after")))) updates") == true,
            "\(said ?? "nothing said")")
    }

    /// MAE and its gradient written out from the data: at θ = (0, 0) every residual is −yᵢ, so
    /// MAE = mean |yᵢ| and ∂MAE/∂θ₁ = mean sign(−yᵢ)xᵢ; at the least-squares line MSE's gradient
    /// vanishes and MAE's, against a central difference, does not.
    @Test func maeIsTheMeanAbsoluteErrorAndItsGradientKeepsItsSize() throws {
        let result = try Lesson.gradientDescent.run(settings: [])
        let values = result.values
        guard case .array(let x)? = values["data.x"], case .array(let y)? = values["data.y"] else {
            Issue.record("no data")
            return
        }
        let m = Double(x.count)
        func mae(_ t0: Double, _ t1: Double) -> Double { zip(x, y).map { abs(t0 + t1 * $0 - $1) }.reduce(0, +) / m }
        #expect(close(try #require(values.number("mae.start")), mae(0, 0)))
        let sign = zip(x, y).map { x, y in (0 - y > 0 ? 1.0 : 0 - y < 0 ? -1 : 0) * x }.reduce(0, +) / m
        #expect(close(try #require(values.number("mae.dtheta1")), sign))
        let (t0, t1) = (try #require(values.number("exact.theta0")), try #require(values.number("exact.theta1")))
        #expect(close(try #require(values.number("mae.at_exact")), mae(t0, t1)))
        #expect(
            close(
                try #require(values.number("mae.at_exact_dtheta1")), (mae(t0, t1 + 1e-6) - mae(t0, t1 - 1e-6)) / 2e-6,
                relative: 1e-6))
        #expect(abs(try #require(values.number("mse.at_exact_dtheta1"))) < 1e-12)
        #expect(
            abs(try #require(values.number("mae.at_exact_dtheta1"))) > 0.01,
            "the least-squares line is not MAE's minimum here")
        #expect(paragraphs(result).joined(separator: " ").contains("the line that minimises MAE is another one"))
        // Points on a line: both errors are 0 at the least-squares answer, and the page says so.
        let exactLine = try Lesson.gradientDescent.run(settings: ["noise=0"])
        #expect(try #require(exactLine.values.number("mae.at_exact")) < 1e-12)
        #expect(paragraphs(exactLine).joined(separator: " ").contains("MAE and MSE are both 0 there"))
    }

    @Test func theSameSeedGivesTheSameRunAndAnotherSeedAnother() throws {
        let a = try Lesson.gradientDescent.run(settings: ["seed=7"]).values
        let b = try Lesson.gradientDescent.run(settings: ["seed=7"]).values
        let c = try Lesson.gradientDescent.run(settings: ["seed=8"]).values
        #expect(a.number("sgd.theta1") == b.number("sgd.theta1") && a.number("sgd.theta1") != c.number("sgd.theta1"))
        for method in ["batch", "minibatch", "sgd"] {
            #expect(
                close(try #require(a.number("\(method).J")), try #require(a.number("exact.J")), within: 0.01),
                "\(method) ends near the least cost")
            #expect(a.number("\(method).J")! >= a.number("exact.J")! - 1e-12, "nothing beats the exact answer")
        }
    }
}
