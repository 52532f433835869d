import Testing
@testable import Engine

@Suite("Formulas written from the tape")
struct FormulaTests {
    /// net_h1 = w1·i1 + w2·i2 + b1 of 001_1d037609c44b217d.txt ("in_h1 = 0.15 × 0.05 + 0.2 × 0.1 + 0.35 = 0.3775").
    let tape = Tape()
    let i1: Value, i2: Value, w1: Value, w2: Value, b1: Value, net: Value, out: Value, t1: Value, E: Value

    init() {
        i1 = tape.input(0.05, "i1"); i2 = tape.input(0.10, "i2")
        w1 = tape.input(0.15, "w1"); w2 = tape.input(0.20, "w2"); b1 = tape.input(0.35, "b1")
        net = (w1 * i1 + w2 * i2 + b1).labeled("net_h1")
        out = net.sigmoid().labeled("out_h1")
        t1 = tape.input(0.01, "t1")
        E = (0.5 * (t1 - out).pow(2)).labeled("E")
    }

    @Test func namesAndNumbers() {
        let formula = tape.formula(of: net)
        #expect(formula.text() == "w1·i1 + w2·i2 + b1")
        #expect(formula.text(substituted: true) == "0.15 × 0.05 + 0.2 × 0.1 + 0.35")
        #expect(tape.formula(of: out).text() == "σ(net_h1)")
        #expect(tape.formula(of: E).text(number: { String($0) }) == "0.5·(t1 − out_h1)^2.0")
    }

    @Test func chainRuleAsATeacherWritesIt() {
        // "∂L/∂out_o1 = 2 × 0.5(target − out) × (−1)": the product 0.5·2·(t1 − out_h1)·(−1), simplified.
        #expect(tape.derivativeFormula(of: E, withRespectTo: out).text() == "−(t1 − out_h1)")
        #expect(tape.derivativeFormula(of: out, withRespectTo: net).text(number: { String($0) }) == "out_h1·(1.0 − out_h1)")
        #expect(tape.derivativeFormula(of: net, withRespectTo: w1).text() == "i1")
        #expect(tape.derivativeFormula(of: i1, withRespectTo: w1).text(number: { String($0) }) == "0.0")
    }

    @Test func negativeNumbersAreParenthesisedWhereNeeded() {
        let tape = Tape()
        let a = tape.input(-0.5, "a"), b = tape.input(-2, "b")
        let fmt: (Double) -> String = { String(format: "%g", $0) }
        #expect(tape.formula(of: (a - b).labeled("d")).text(substituted: true, number: fmt) == "-0.5 − (-2)")
        #expect(tape.formula(of: (b * a).labeled("p")).text(substituted: true, number: fmt) == "-2 × (-0.5)")
        #expect(tape.formula(of: b.pow(2).labeled("s")).text(substituted: true, number: fmt) == "(-2)^2")
        #expect(tape.formula(of: (a + (-b)).labeled("n")).text() == "a + (−b)")
        #expect(tape.formula(of: ((a + b) * a).labeled("m")).text() == "(a + b)·a")
        #expect(tape.formula(of: (a / (b * a)).labeled("q")).text() == "a/(b·a)")
        #expect(tape.formula(of: (a - (b - a)).labeled("r")).text() == "a − (b − a)")
    }

    @Test func derivativeOfASharedNodeSumsItsPaths() {
        let tape = Tape()
        let x = tape.input(3, "x")
        let y = (x * x).labeled("y")
        #expect(tape.derivativeFormula(of: y, withRespectTo: x).text(number: { String(format: "%g", $0) }) == "2·x", "x + x, collected")
    }
}

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
            #expect(close(written, tape.derivative(of: y, withRespectTo: input), relative: 1e-14), "∂y/∂\(input.label!)")
        }
    }

    @Test func chainThroughSeveralNodes() {
        let tape = Tape()
        let w = tape.input(0.4, "w"), h = tape.input(0.59, "h"), t = tape.input(0.01, "t")
        let out = (w * h + 0.6).sigmoid().labeled("out")
        let E = (0.5 * (t - out).pow(2) + (w * w).tanh()).labeled("E")
        let written = tape.derivativeTerms(of: E.id, withRespectTo: w.id).map(tape.evaluate).reduce(0, +)
        #expect(close(written, tape.derivative(of: E, withRespectTo: w), relative: 1e-14))
    }
}

/// The logistic-regression loss of 000_0f8c2b341468a259.txt: z = wᵀx + b, a = σ(z),
/// L = −(y log a + (1 − y) log(1 − a)).
struct LogisticTape {
    let tape = Tape()
    let w: Value, x: Value, b: Value, y: Value, z: Value, a: Value, L: Value

    init(y target: Double = 1) {
        w = tape.input(0.4, "w"); x = tape.input(1.5, "x"); b = tape.input(-0.2, "b"); y = tape.input(target, "y")
        z = (w * x + b).labeled("z")
        a = z.sigmoid().labeled("a")
        L = (-(y * a.log() + (1.0 - y) * (1.0 - a).log())).labeled("L")
    }
}

@Suite("Derivatives simplified as a teacher writes them")
struct SimplificationTests {
    let fmt: (Double) -> String = { String(format: "%g", $0) }

    @Test func logisticLossGradientReadsAMinusY() {
        let t = LogisticTape()
        #expect(t.tape.derivativeFormula(of: t.L, withRespectTo: t.z).text() == "a − y")
        #expect(t.tape.derivativeFormula(of: t.a, withRespectTo: t.z).text(number: fmt) == "a·(1 − a)")
        #expect(t.tape.derivativeFormula(of: t.L, withRespectTo: t.a).text(number: fmt) == "(1 − y)/(1 − a) − y/a")
        #expect(t.tape.derivativeFormula(of: t.L, withRespectTo: t.w).text() == "(a − y)·x")
    }

    @Test func theSimplificationIsShownStageByStage() {
        let t = LogisticTape()
        let stages = t.tape.chainSimplification([t.L, t.a, t.z]).map { $0.text(number: fmt) }
        #expect(stages == ["((1 − y)/(1 − a) − y/a)·a·(1 − a)", "(1 − y)·a − y·(1 − a)", "a − y"])
    }

    @Test func constantsFoldSignsMoveFrontOnesDisappear() {
        let tape = Tape()
        let x = tape.input(0.3, "x"), t = tape.input(0.9, "t")
        let half = (0.5 * (t - x).pow(2)).labeled("half")
        #expect(tape.derivativeFormula(of: half, withRespectTo: x).text() == "−(t − x)")
        let cube = (2.0 * x.pow(3)).labeled("cube")
        #expect(tape.derivativeFormula(of: cube, withRespectTo: x).text(number: fmt) == "6·x^2")
        let scaled = ((x * 3.0) / 3.0).labeled("scaled")
        #expect(tape.derivativeFormula(of: scaled, withRespectTo: x).text(number: fmt) == "1")
        let gone = (x - x).labeled("gone")
        #expect(tape.derivativeFormula(of: gone, withRespectTo: x).text(number: fmt) == "0")
    }

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
