import Foundation
import TestSupport
import Testing

@testable import Engine

/// Central difference (f(x+h) − f(x−h)) / 2h: error O(h²) from the Taylor term, plus rounding
/// of about ε·|f|/h; h = 1e-5·max(1, |x|) keeps both near 1e-10, so 1e-6 relative is a safe bound.
func centralDifference(at x: Double, _ f: (Double) -> Double) -> Double {
    let h = 1e-5 * max(1, abs(x))
    return (f(x + h) - f(x - h)) / (2 * h)
}

/// Every operation at a point where it is smooth, with a forward function built on a fresh tape.
struct Case: CustomTestStringConvertible, Sendable {
    let operation: Primitive
    let x: Double, z: Double
    var testDescription: String { "\(operation)(\(x), \(z))" }

    /// y(x, z) recorded on a tape; returns the tape and the three nodes.
    func record(_ x: Double, _ z: Double) -> (tape: Tape, x: Value, z: Value, y: Value) {
        let tape = Tape()
        let vx = tape.input(x, "x")
        let vz = tape.input(z, "z")
        let y: Value =
            switch operation {
            case .add: vx + vz
            case .subtract: vx - vz
            case .multiply: vx * vz
            case .divide: vx / vz
            case .negate: -vx
            case .power: tape.apply(.power, vx, vz)
            case .exp: vx.exp()
            case .log: vx.log()
            case .sigmoid: vx.sigmoid()
            case .tanh: vx.tanh()
            case .relu: vx.relu()
            case .step: vx.step()
            case .abs: vx.magnitude()
            case .softplus: vx.softplus()
            case .maximum: Value.maximum(vx, vz)
            case .minimum: Value.minimum(vx, vz)
            case .input, .constant: vx
            }
        return (tape, vx, vz, y)
    }
}

let cases: [Case] = [
    Case(operation: .add, x: 0.3, z: -1.7), Case(operation: .subtract, x: 0.3, z: -1.7),
    Case(operation: .multiply, x: 0.15, z: 0.05), Case(operation: .divide, x: 0.7, z: -2.3),
    Case(operation: .negate, x: 0.42, z: 0), Case(operation: .power, x: 1.3, z: 2.5),
    Case(operation: .power, x: -0.74, z: 2), Case(operation: .exp, x: -0.3775, z: 0),
    Case(operation: .log, x: 0.59, z: 0), Case(operation: .sigmoid, x: 0.3775, z: 0),
    Case(operation: .sigmoid, x: -6, z: 0), Case(operation: .tanh, x: 0.8, z: 0),
    Case(operation: .relu, x: 1.2, z: 0), Case(operation: .relu, x: -1.2, z: 0),
    Case(operation: .step, x: 0.7, z: 0), Case(operation: .step, x: -0.7, z: 0),
    Case(operation: .abs, x: 0.7, z: 0), Case(operation: .abs, x: -0.7, z: 0),
    Case(operation: .softplus, x: 0.7, z: 0), Case(operation: .softplus, x: -30, z: 0),
    Case(operation: .softplus, x: 40, z: 0),
    Case(operation: .maximum, x: 0.3, z: -1.7), Case(operation: .maximum, x: -0.3, z: 1.7),
    Case(operation: .minimum, x: 0.3, z: -1.7), Case(operation: .minimum, x: -0.3, z: 1.7),
]

@Suite("Every operation's gradient against central differences")
struct OperationTests {
    @Test(arguments: cases)
    func backwardMatchesFiniteDifferences(_ c: Case) {
        let (tape, x, z, y) = c.record(c.x, c.z)
        tape.backward(from: y)
        // A value does not keep its tape alive: each probe keeps its own tape while reading.
        func probe(_ x: Double, _ z: Double) -> Double {
            let (tape, _, _, y) = c.record(x, z)
            return withExtendedLifetime(tape) { y.value }
        }
        let dx = centralDifference(at: c.x) { probe($0, c.z) }
        #expect(close(x.gradient, dx, relative: 1e-6), "∂y/∂x: tape \(x.gradient), finite difference \(dx)")
        if c.operation.arity == 2 && !(c.operation == .power && c.x <= 0) {
            let dz = centralDifference(at: c.z) { probe(c.x, $0) }
            #expect(close(z.gradient, dz, relative: 1e-6), "∂y/∂z: tape \(z.gradient), finite difference \(dz)")
        }
    }

    @Test func everyPrimitiveWithInputsIsChecked() {
        let checked = Set(cases.map(\.operation))
        let all = Set(Primitive.allCases.filter { $0.arity > 0 })
        #expect(checked == all, "primitives without a finite-difference case: \(all.subtracting(checked))")
    }

    @Test func forwardValuesAreTheFunctions() {
        #expect(Primitive.sigmoid.rule(0.3775, 0).y == 1 / (1 + Foundation.exp(-0.3775)))
        #expect(Primitive.tanh.rule(0.8, 0).y == Foundation.tanh(0.8))
        #expect(Primitive.power.rule(3, 2).y == 9)
        #expect(Primitive.relu.rule(-2, 0).y == 0)
        #expect(Primitive.abs.rule(-2.5, 0).y == 2.5)
        #expect(Primitive.softplus.rule(0, 0).y == Foundation.log(2))
        #expect(Primitive.softplus.rule(800, 0).y == 800, "ln(1 + e⁸⁰⁰) without overflow")
        #expect(Primitive.softplus.rule(-800, 0).y == 0)
        #expect(Primitive.maximum.rule(0.3, -1.7).y == 0.3 && Primitive.minimum.rule(0.3, -1.7).y == -1.7)
        #expect(
            Primitive.step.rule(0, 0).y == 1 && Primitive.step.rule(-1e-300, 0).y == 0, "1 if Σ w_i x_i + b ≥ 0 (003)")
    }

    @Test func gradientsAccumulateOverEveryUse() {
        // y = x·x + x uses x three times: dy/dx = 2x + 1.
        let tape = Tape()
        let x = tape.input(1.5, "x")
        let y = x * x + x
        tape.backward(from: y)
        #expect(x.gradient == 4)
    }

    @Test func backwardTwiceGivesTheSameGradients() {
        let tape = Tape()
        let x = tape.input(0.4, "x")
        let y = (x * 3.0).sigmoid() * x
        tape.backward(from: y)
        let first = x.gradient
        tape.backward(from: y)
        #expect(x.gradient == first)
    }

    @Test func derivativeBetweenAnyTwoNodesLeavesGradientsAlone() {
        let tape = Tape()
        let x = tape.input(0.2, "x")
        let u = (x * 2.0).labeled("u")
        let y = u.tanh()
        tape.backward(from: y)
        let saved = tape.gradients
        #expect(
            close(
                tape.derivative(of: y, withRespectTo: u), 1 - Foundation.pow(Foundation.tanh(0.4), 2), relative: 1e-15))
        #expect(tape.derivative(of: u, withRespectTo: y) == 0)
        #expect(tape.gradients == saved)
    }

    @Test func clearedTapeIsReusedWithoutGrowing() {
        let tape = Tape()
        for round in 0..<3 {
            tape.clear()
            let x = tape.input(Double(round), "x")
            let y = x * x
            tape.backward(from: y)
            #expect(tape.count == 2)
            #expect(x.gradient == 2 * Double(round))
        }
    }

    @Test func assignedLeafIsSeenByTheBackwardPassButNotTheForwardValues() {
        let tape = Tape()
        let w = tape.input(0.4, "w")
        let h = tape.input(0.6, "h")
        let y = w * h
        tape.assign(0.3, to: w)
        tape.backward(from: y)
        #expect(y.value == 0.4 * 0.6)
        #expect(h.gradient == 0.3)
    }

    @Test func copyIsIndependent() {
        let tape = Tape()
        let w = tape.input(0.4, "w")
        let copy = tape.copy()
        copy.assign(1, to: w.on(copy))
        copy.setLabel("v", of: w.id)
        #expect(w.value == 0.4 && w.label == "w")
        #expect(w.on(copy).value == 1 && w.on(copy).label == "v")
    }
}
