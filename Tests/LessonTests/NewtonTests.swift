import Engine
import Foundation
import LessonKit
import ReportModel
import TestSupport
import Testing

@testable import Lessons

@Suite("newton: the Hessian on the tape, Newton against gradient descent (001)")
struct NewtonTests {
    /// Rosenbrock's f, gradient and Hessian, written out by hand.
    static func f(_ x: Double, _ y: Double) -> Double { (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x) }
    static func gradient(_ x: Double, _ y: Double) -> [Double] {
        [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)]
    }
    static func hessian(_ x: Double, _ y: Double) -> [[Double]] {
        [[2 - 400 * (y - x * x) + 800 * x * x, -400 * x], [-400 * x, 200]]
    }
    /// H⁻¹g by Cramer's rule.
    static func newtonStep(_ x: Double, _ y: Double) -> [Double] {
        let (g, h) = (gradient(x, y), hessian(x, y))
        let det = h[0][0] * h[1][1] - h[0][1] * h[1][0]
        return [(h[1][1] * g[0] - h[0][1] * g[1]) / det, (h[0][0] * g[1] - h[1][0] * g[0]) / det]
    }

    @Test func rosenbrockWorkedAtTheClassicStart() throws {
        // At (−1.2, 1): f = 24.2, ∇f = (−215.6, −88), H = [[1330, 480], [480, 200]], det H = 35600.
        let values = try Lesson.newton.run(settings: []).values
        func v(_ key: String) -> Double { values.number("rosenbrock." + key)! }
        #expect(close(v("f"), 24.2, within: 1e-12))
        #expect(close(v("df/dx"), -215.6, within: 1e-12) && close(v("df/dy"), -88, within: 1e-12))
        #expect(
            close(v("d2f/dxdx"), 1330, within: 1e-9) && close(v("d2f/dxdy"), 480, within: 1e-12)
                && v("d2f/dydx") == v("d2f/dxdy") && v("d2f/dydy") == 200)
        #expect(close(v("det_H"), 35600, within: 1e-6))
        let step = Self.newtonStep(-1.2, 1)
        #expect(close(v("delta_x"), step[0], within: 1e-15) && close(v("delta_y"), step[1], within: 1e-15))
        // W_1 = W_0 − H⁻¹∇f
        #expect(close(v("x_1"), -1.1752809, within: 5e-8) && close(v("y_1"), 1.3806742, within: 5e-8))
        #expect(close(v("f_1"), Self.f(-1.2 - step[0], 1 - step[1]), within: 1e-12))
    }

    @Test(arguments: [(-1.2, 1.0), (0.4, -0.6), (1.7, 2.2)])
    func theHessianIsTheGradientsCentralDifference(x0: Double, y0: Double) throws {
        let values = try Lesson.newton.run(settings: ["x0=\(x0)", "y0=\(y0)"]).values
        let h = 1e-6
        let numeric = [
            [
                (Self.gradient(x0 + h, y0)[0] - Self.gradient(x0 - h, y0)[0]) / (2 * h),
                (Self.gradient(x0, y0 + h)[0] - Self.gradient(x0, y0 - h)[0]) / (2 * h),
            ],
            [
                (Self.gradient(x0 + h, y0)[1] - Self.gradient(x0 - h, y0)[1]) / (2 * h),
                (Self.gradient(x0, y0 + h)[1] - Self.gradient(x0, y0 - h)[1]) / (2 * h),
            ],
        ]
        let keys = [["d2f/dxdx", "d2f/dxdy"], ["d2f/dydx", "d2f/dydy"]]
        for i in 0..<2 {
            for j in 0..<2 {
                let tape = try #require(values.number("rosenbrock." + keys[i][j]))
                #expect(close(tape, numeric[i][j], relative: 1e-5), "\(keys[i][j]): \(tape) against \(numeric[i][j])")
            }
        }
    }

    @Test func newtonSolvesTheQuadraticInOneStep() throws {
        let values = try Lesson.newton.run(settings: ["x0=1.7", "y0=-0.9"]).values
        #expect(values.number("quadratic.x_1") == 0 && values.number("quadratic.y_1") == 0)
        #expect(values.number("quadratic.newton.iterations") == 1)
        // Gradient descent with λ: x shrinks by 1 − λ, y by 1 − 10λ each step, until ‖(x, 10y)‖ < 10⁻⁶.
        var (x, y, k) = (1.7, -0.9, 0)
        while hypot(x, 10 * y) >= 1e-6 { (x, y, k) = (x - 0.18 * x, y - 0.18 * 10 * y, k + 1) }
        #expect(values.number("quadratic.gd.iterations") == Double(k))
    }

    /// ½(x² + 10y²) has H = diag(1, 10), so gradient descent diverges above 2/10; the parameter's
    /// help says so from the tape, not typed.
    @Test func theQuadraticsLearningRateLimitComesFromItsHessian() throws {
        #expect(close(Newton.quadraticLimit, 0.2, within: 1e-15))
        let meaning = try #require(Lesson.newton.parameters.first { $0.name == "quadratic.lr" }).meaning
        #expect(meaning.hasSuffix("(it diverges above 0.2)"))
    }

    @Test func iterationsAgainstHandWrittenLoops() throws {
        let values = try Lesson.newton.run(settings: []).values
        var w = [-1.2, 1.0]
        var newton = 0
        while hypot(Self.gradient(w[0], w[1])[0], Self.gradient(w[0], w[1])[1]) >= 1e-6 {
            let d = Self.newtonStep(w[0], w[1])
            w = [w[0] - d[0], w[1] - d[1]]
            newton += 1
        }
        #expect(values.number("rosenbrock.newton.iterations") == Double(newton) && newton == 6)
        var v = [-1.2, 1.0]
        var descent = 0
        while hypot(Self.gradient(v[0], v[1])[0], Self.gradient(v[0], v[1])[1]) >= 1e-6 {
            let g = Self.gradient(v[0], v[1])
            v = [v[0] - 0.001 * g[0], v[1] - 0.001 * g[1]]
            descent += 1
        }
        #expect(values.number("rosenbrock.gd.iterations") == Double(descent))
        guard case .array(let end)? = values["rosenbrock.gd.end"] else {
            Issue.record("no end")
            return
        }
        #expect(close(end[0], v[0], within: 1e-12) && close(end[1], v[1], within: 1e-12))
    }

    @Test func pureNewtonGoesUphillOnTheWay() throws {
        let result = try Lesson.newton.run(settings: [])
        // Iteration 2 from W_1 goes to (0.763, −3.175), where f = 1411.85.
        #expect(paragraphs(result).contains { $0.contains("f rises at iteration 2, from 4.73188 to 1411.85") })
    }

    @Test func aSingularHessianIsExplainedNotDividedBy() throws {
        // det H = 400 − 80000(y − x²) is 0 on y = x² + 1/200: at (0, 0.005) exactly.
        let result = try Lesson.newton.run(settings: ["x0=0", "y0=0.005"])
        #expect(result.values.number("rosenbrock.det_H") == 0)
        #expect(result.values.number("rosenbrock.delta_x") == nil)
        #expect(paragraphs(result).contains { $0.hasPrefix("The determinant is 0: H has no inverse here") })
        #expect(result.values.number("rosenbrock.newton.converged") == 0)
    }

    @Test func aSmallerLambdaTakesMoreSteps() throws {
        let damped = try Lesson.newton.run(settings: ["lambda=0.5"]).values
        #expect(try #require(damped.number("rosenbrock.newton.iterations")) > 6)
        #expect(
            try #require(damped.number("quadratic.newton.iterations")) > 1,
            "half a step at a time halves the distance: no longer one step")
    }
}
