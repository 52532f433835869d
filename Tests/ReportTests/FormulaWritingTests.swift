import Engine
import ReportModel
import TestSupport
import Testing

@testable import MathNotation

/// A tape's formula tree as the report writes it, on one line for a terminal: labels as recorded,
/// numbers by `number`, exponents as Unicode superscripts where it has them.
func written(
    _ tree: FormulaTree, on tape: Tape, substituted: Bool = false, number: @escaping (Double) -> String = { "\($0)" }
) -> String {
    let writer = FormulaWriting(number: { .plain(number($0)) }) { id, substituted in
        substituted ? .number(tape.value(of: id)) : .name(.plain(tape.label(of: id) ?? "?"))
    }
    return (writer.line(tree, substituted: substituted).text ?? RichText()).terminalText
}

@Suite("Formulas written from the tape's trees")
struct FormulaTests {
    /// net_h1 = w1·i1 + w2·i2 + b1 of 001_1d037609c44b217d.txt ("in_h1 = 0.15 × 0.05 + 0.2 × 0.1 + 0.35 = 0.3775").
    let tape = Tape()
    let i1: Value, i2: Value, w1: Value, w2: Value, b1: Value, net: Value, out: Value, t1: Value, E: Value

    init() {
        i1 = tape.input(0.05, "i1")
        i2 = tape.input(0.10, "i2")
        w1 = tape.input(0.15, "w1")
        w2 = tape.input(0.20, "w2")
        b1 = tape.input(0.35, "b1")
        net = (w1 * i1 + w2 * i2 + b1).labeled("net_h1")
        out = net.sigmoid().labeled("out_h1")
        t1 = tape.input(0.01, "t1")
        E = (0.5 * (t1 - out).pow(2)).labeled("E")
    }

    @Test func namesAndNumbers() {
        let formula = tape.formula(of: net)
        #expect(written(formula, on: tape) == "w1·i1 + w2·i2 + b1")
        #expect(written(formula, on: tape, substituted: true) == "0.15 × 0.05 + 0.2 × 0.1 + 0.35")
        #expect(written(tape.formula(of: out), on: tape) == "σ(net_h1)")
        #expect(written(tape.formula(of: E), on: tape, number: { String($0) }) == "0.5·(t1 − out_h1)^(2.0)")
    }

    @Test func chainRuleAsATeacherWritesIt() {
        // "∂L/∂out_o1 = 2 × 0.5(target − out) × (−1)": the product 0.5·2·(t1 − out_h1)·(−1), simplified.
        #expect(written(tape.derivativeFormula(of: E, withRespectTo: out), on: tape) == "−(t1 − out_h1)")
        #expect(
            written(tape.derivativeFormula(of: out, withRespectTo: net), on: tape, number: { String($0) })
                == "out_h1·(1.0 − out_h1)")
        #expect(written(tape.derivativeFormula(of: net, withRespectTo: w1), on: tape) == "i1")
        #expect(written(tape.derivativeFormula(of: i1, withRespectTo: w1), on: tape, number: { String($0) }) == "0.0")
    }

    @Test func negativeNumbersAreParenthesisedWhereNeeded() {
        let tape = Tape()
        let a = tape.input(-0.5, "a")
        let b = tape.input(-2, "b")
        let fmt: (Double) -> String = { String(format: "%g", $0) }
        #expect(
            written(tape.formula(of: (a - b).labeled("d")), on: tape, substituted: true, number: fmt) == "-0.5 − (-2)")
        #expect(
            written(tape.formula(of: (b * a).labeled("p")), on: tape, substituted: true, number: fmt) == "-2 × (-0.5)")
        #expect(written(tape.formula(of: b.pow(2).labeled("s")), on: tape, substituted: true, number: fmt) == "(-2)²")
        #expect(written(tape.formula(of: (a + (-b)).labeled("n")), on: tape) == "a + (−b)")
        #expect(written(tape.formula(of: ((a + b) * a).labeled("m")), on: tape) == "(a + b)·a")
        #expect(written(tape.formula(of: (a / (b * a)).labeled("q")), on: tape) == "a/(b·a)")
        #expect(written(tape.formula(of: (a - (b - a)).labeled("r")), on: tape) == "a − (b − a)")
        // A second argument opens a group as a first one does: max(0, −0.5), not max(0, (−0.5)).
        #expect(
            written(tape.formula(of: a.relu().labeled("r0")), on: tape, substituted: true, number: fmt)
                == "max(0, -0.5)")
    }

    @Test func derivativeOfASharedNodeSumsItsPaths() {
        let tape = Tape()
        let x = tape.input(3, "x")
        let y = (x * x).labeled("y")
        #expect(
            written(tape.derivativeFormula(of: y, withRespectTo: x), on: tape, number: { String(format: "%g", $0) })
                == "2·x", "x + x, collected")
    }
}

@Suite("Derivatives simplified as a teacher writes them, written")
struct SimplificationWritingTests {
    let fmt: (Double) -> String = { String(format: "%g", $0) }

    @Test func logisticLossGradientReadsAMinusY() {
        let t = LogisticTape()
        #expect(written(t.tape.derivativeFormula(of: t.L, withRespectTo: t.z), on: t.tape) == "a − y")
        #expect(written(t.tape.derivativeFormula(of: t.a, withRespectTo: t.z), on: t.tape, number: fmt) == "a·(1 − a)")
        #expect(
            written(t.tape.derivativeFormula(of: t.L, withRespectTo: t.a), on: t.tape, number: fmt)
                == "(1 − y)/(1 − a) − y/a")
        #expect(written(t.tape.derivativeFormula(of: t.L, withRespectTo: t.w), on: t.tape) == "(a − y)·x")
    }

    @Test func theSimplificationIsShownStageByStage() {
        let t = LogisticTape()
        // The step's lines: the chain of factors, each written stage once, the last with numbers, the value.
        let step = Notation(tape: t.tape, format: NumberFormat(significantDigits: 6)).simplification([t.L, t.a, t.z])
        let stages = step.rhs.dropFirst().dropLast(2).map(\.plainText)
        #expect(stages == ["((1 − y)/(1 − a) − y/a)·a·(1 − a)", "(1 − y)·a − y·(1 − a)", "a − y"])
    }

    @Test func constantsFoldSignsMoveFrontOnesDisappear() {
        let tape = Tape()
        let x = tape.input(0.3, "x")
        let t = tape.input(0.9, "t")
        let half = (0.5 * (t - x).pow(2)).labeled("half")
        #expect(written(tape.derivativeFormula(of: half, withRespectTo: x), on: tape) == "−(t − x)")
        let cube = (2.0 * x.pow(3)).labeled("cube")
        #expect(written(tape.derivativeFormula(of: cube, withRespectTo: x), on: tape, number: fmt) == "6·x²")
        let scaled = ((x * 3.0) / 3.0).labeled("scaled")
        #expect(written(tape.derivativeFormula(of: scaled, withRespectTo: x), on: tape, number: fmt) == "1")
        let gone = (x - x).labeled("gone")
        #expect(written(tape.derivativeFormula(of: gone, withRespectTo: x), on: tape, number: fmt) == "0")
    }

}

@Suite("One written form per operation: a number and a matrix print alike")
struct OperatorFormTests {
    typealias Pair = (
        scalar: @Sendable (Value, Value) -> Value, tensor: @Sendable (Tensor, Tensor) -> Tensor, reads: String
    )

    /// Each operation on two named numbers z, y and on two named vectors z, y, in the notes' notation
    /// (log, e^x, σ, tanh, max(0, x)): the page must not say ln for one and log for the other.
    static let pairs: [Pair] = [
        ({ z, _ in z.sigmoid() }, { z, _ in z.sigmoid() }, "σ(z)"),
        ({ z, _ in z.tanh() }, { z, _ in z.tanh() }, "tanh(z)"),
        ({ z, _ in z.log() }, { z, _ in z.log() }, "log(z)"),
        ({ z, _ in z.exp() }, { z, _ in z.exp() }, "ez"),
        ({ z, _ in z.relu() }, { z, _ in z.relu() }, "max(0, z)"),
        ({ z, y in (1.0 - z) / y }, { z, y in (1.0 - z) / y }, "(1 − z)/y"),
        ({ z, y in -(z - y).pow(2) }, { z, y in -(z - y).pow(2) }, "−(z − y)2"),
        ({ z, _ in 0.5 * z.pow(0.5) }, { z, _ in 0.5 * z.pow(0.5) }, "0.5·√z"),
    ]

    @Test(arguments: pairs.indices)
    func scalarAndTensorFormulasReadTheSame(_ k: Int) {
        let pair = Self.pairs[k]
        let format = NumberFormat(significantDigits: 6)
        let tape = Tape()
        let scalar = pair.scalar(tape.input(0.3, "z"), tape.input(0.8, "y")).labeled("f")
        let tensors = TensorTape()
        let tensor = pair.tensor(tensors.input(vector: [0.3, 0.4], "z"), tensors.input(vector: [0.8, 0.9], "y"))
            .labeled("f")
        let scalarLine = Notation(tape: tape, format: format).formula(scalar).plainText
        let tensorLine = TensorNotation(tape: tensors, format: format).formula(tensor).text?.plainText
        #expect(scalarLine == pair.reads)
        #expect(tensorLine == pair.reads)
    }

    @Test func graphNodesShowOneSymbolPerOperator() {
        #expect(Primitive.log.operator?.symbol == TensorOp.log.operator?.symbol)
        #expect(Primitive.relu.operator?.symbol == "ReLU")
        #expect(Primitive.allCases.filter { $0.operator == nil } == [.input, .constant])
    }
}
