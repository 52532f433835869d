import TestSupport
import Testing

@testable import Engine

@Suite("The written chain rule agrees with the computed one")
struct DerivativeFormulaTests {
    /// The symbolic local derivatives (Expression.swift) and the numeric ones (Primitive.rule)
    /// are two tables; evaluating the written formula must give the backward pass's number.
    @Test(arguments: cases)
    func writtenDerivativeEvaluatesToTheTapes(_ c: Case) {
        let (tape, x, z, y) = c.record(c.x, c.z)
        let inputs = c.operation.arity == 2 && !(c.operation == .power && c.x <= 0) ? [x, z] : [x]
        for input in inputs {
            let written = tape.derivativeTerms(of: y.id, withRespectTo: input.id).map(tape.evaluate).reduce(0, +)
            #expect(
                close(written, tape.derivative(of: y, withRespectTo: input), relative: 1e-14), "∂y/∂\(input.label!)")
        }
    }

    @Test func chainThroughSeveralNodes() {
        let tape = Tape()
        let w = tape.input(0.4, "w")
        let h = tape.input(0.59, "h")
        let t = tape.input(0.01, "t")
        let out = (w * h + 0.6).sigmoid().labeled("out")
        let E = (0.5 * (t - out).pow(2) + (w * w).tanh()).labeled("E")
        let written = tape.derivativeTerms(of: E.id, withRespectTo: w.id).map(tape.evaluate).reduce(0, +)
        #expect(close(written, tape.derivative(of: E, withRespectTo: w), relative: 1e-14))
    }
}

@Suite("Derivatives simplified as a teacher writes them")
struct SimplificationTests {
    /// Whatever the simplifier writes must still be the derivative the tape computed.
    @Test(arguments: [0.0, 1.0])
    func simplifiedFormulasEvaluateToTheTapesDerivative(target: Double) {
        let t = LogisticTape(y: target)
        for (y, x) in [(t.L, t.z), (t.L, t.a), (t.L, t.w), (t.L, t.b), (t.a, t.z), (t.L, t.x)] {
            let simplified = t.tape.derivativeExpression(of: y.id, withRespectTo: x.id).simplified
            #expect(close(t.tape.evaluate(simplified), t.tape.derivative(of: y, withRespectTo: x), relative: 1e-13))
            for stage in t.tape.derivativeExpression(of: y.id, withRespectTo: x.id).simplificationStages {
                #expect(close(t.tape.evaluate(stage), t.tape.derivative(of: y, withRespectTo: x), relative: 1e-13))
            }
        }
    }

    @Test(arguments: cases)
    func everyPrimitivesSimplifiedDerivativeEvaluatesToTheTapes(_ c: Case) {
        let (tape, x, z, y) = c.record(c.x, c.z)
        let inputs = c.operation.arity == 2 && !(c.operation == .power && c.x <= 0) ? [x, z] : [x]
        for input in inputs {
            let simplified = tape.derivativeExpression(of: y.id, withRespectTo: input.id).simplified
            #expect(close(tape.evaluate(simplified), tape.derivative(of: y, withRespectTo: input), relative: 1e-14))
        }
    }
}
