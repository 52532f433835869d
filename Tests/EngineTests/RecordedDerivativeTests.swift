import Foundation
import TestSupport
import Testing

@testable import Engine

@Suite("Derivatives recorded on the tape, and differentiated again")
struct RecordedDerivativeTests {
    /// f(x, y) = (1 − x)² + 100(y − x²)², Rosenbrock's valley.
    static func rosenbrock(_ x: Value, _ y: Value) -> Value { (1.0 - x).pow(2) + 100.0 * (y - x.pow(2)).pow(2) }

    @Test(arguments: [(-1.2, 1.0), (1.0, 1.0), (0.3, -0.7), (2.5, 6.1)])
    func rosenbrocksHessianIsTheClosedForm(x0: Double, y0: Double) {
        let tape = Tape()
        let x = tape.input(x0, "x")
        let y = tape.input(y0, "y")
        let f = Self.rosenbrock(x, y)
        let (gx, gy) = (tape.recordDerivative(of: f, withRespectTo: x), tape.recordDerivative(of: f, withRespectTo: y))
        // ∂f/∂x = −2(1 − x) − 400x(y − x²), ∂f/∂y = 200(y − x²), by hand.
        #expect(close(gx.value, -2 * (1 - x0) - 400 * x0 * (y0 - x0 * x0), relative: 1e-14))
        #expect(close(gy.value, 200 * (y0 - x0 * x0), relative: 1e-14))
        // H = [[2 − 400(y − x²) + 800x², −400x], [−400x, 200]].
        let h = [[gx, x], [gx, y], [gy, x], [gy, y]].map {
            tape.recordDerivative(of: $0[0], withRespectTo: $0[1]).value
        }
        let expected = [2 - 400 * (y0 - x0 * x0) + 800 * x0 * x0, -400 * x0, -400 * x0, 200]
        for (got, want) in zip(h, expected) { #expect(close(got, want, relative: 1e-13), "\(got) against \(want)") }
        // At the start (−1.2, 1) the notes' method would need H = [[1330, 480], [480, 200]].
        if x0 == -1.2 { #expect(h.map { ($0 * 1e9).rounded() / 1e9 } == [1330, 480, 480, 200]) }
    }

    @Test func theRecordedDerivativeIsTheBackwardPassAndItsFormulaTheWrittenOne() {
        let tape = Tape()
        let x = tape.input(0.7, "x")
        let w = tape.input(-1.3, "w")
        let y = ((w * x).sigmoid() * (x / w).tanh() + (x * x).exp().log()).labeled("y")
        tape.backward(from: y)
        for input in [x, w] {
            let recorded = tape.recordDerivative(of: y, withRespectTo: input)
            #expect(close(recorded.value, input.gradient, relative: 1e-14))
            #expect(tape.formula(of: recorded) == tape.derivativeFormula(of: y, withRespectTo: input))
        }
    }

    @Test func pathsAreCountedWithoutListingThem() {
        // y ← y·y doubles the routes back to x each time: 2^k after k squarings. Listing them is
        // exponential; counting is one sweep, and the written sum has exactly that many terms.
        let tape = Tape()
        let x = tape.input(1.01, "x")
        var y = x
        for k in 1...40 {
            y = y * y
            #expect(tape.pathCount(from: y, to: x) == 1 << k)
            if k <= 6 { #expect(tape.derivativeTerms(of: y.id, withRespectTo: x.id).count == 1 << k) }
        }
        #expect(tape.pathCount(from: x, to: y) == 0, "no route runs forwards")
    }

    @Test(arguments: [0.4, -1.1, 2.3])
    func secondDerivativesAgainstCentralDifferencesOfTheGradient(x0: Double) {
        // y = σ(3x)·tanh(x) + e^{x/2}/x: ∂²y/∂x² recorded, against a central difference of ∂y/∂x.
        func record(_ at: Double) -> (tape: Tape, x: Value, y: Value) {
            let tape = Tape()
            let x = tape.input(at, "x")
            return (tape, x, (3.0 * x).sigmoid() * x.tanh() + (x / 2.0).exp() / x)
        }
        let (tape, x, y) = record(x0)
        let second = tape.recordDerivative(of: tape.recordDerivative(of: y, withRespectTo: x), withRespectTo: x)
        let numeric = centralDifference(at: x0) { at in
            let (t, x, y) = record(at)
            return withExtendedLifetime(t) { t.derivative(of: y, withRespectTo: x) }
        }
        #expect(close(second.value, numeric, relative: 1e-6), "\(second.value) against \(numeric)")
    }
}
