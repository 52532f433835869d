import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// The lone hidden unit of the notes (000_0f8c2b341468a259.txt, "A computation graph which
    /// is actually logistic regression"), then the same graph "which is actually linear regression".
    public static let logisticRegression = Lesson(
        name: "logistic-regression",
        title: "Logistic regression as a computation graph: one unit, three features, one gradient step",
        parameters: [
            .real("x1", 0.5, in: -10...10, "first feature"),
            .real("x2", 1.5, in: -10...10, "second feature"),
            .real("x3", -1.0, in: -10...10, "third feature"),
            .real("w1", 0.4, in: -10...10, "weight of x1"),
            .real("w2", -0.2, in: -10...10, "weight of x2"),
            .real("w3", 0.3, in: -10...10, "weight of x3"),
            .real("b", 0.1, in: -10...10, "bias"),
            .integer("y", 1, in: 0...1, "true label: 1 (in the class) or 0 (not)"),
            .real("alpha", 0.5, in: 0...10, "learning rate α"),
            .digits(6),
        ],
        build: LogisticRegression.build
    ).regimes([
        Regime(
            ["x1=10", "w1=10", "y=0"],
            "σ saturated against the label: the loss is worked from z, ∂L/∂a = 1/(1 − a) is huge but finite"),
        Regime(["x1=10", "w1=10", "y=1"], "σ saturated with the label: the loss rounds to 0 and ∂L/∂a = −1/a is −1"),
        Regime("alpha=0", "a zero learning rate: the step changes nothing"),
        Regime("y=0", "the other label: the same unit is now right about the example"),
    ]).varying(
        [
            Variation("x1", -2...2, step: 0.5), Variation("x2", -2...2, step: 0.5), Variation("x3", -2...2, step: 0.5),
            Variation("w1", -1...1, step: 0.1), Variation("w2", -1...1, step: 0.1), Variation("w3", -1...1, step: 0.1),
            Variation("b", -1...1, step: 0.1), Variation("y", 0...1, step: 1),
        ],
        soundWhen: { p in
            // Every feature and weight counts (none is 0), and the unit is neither saturated nor undecided:
            // 0.2 ≤ |z| ≤ 2.9, so a = σ(z) is between 0.05 and 0.95 and not ½.
            guard ["x1", "x2", "x3", "w1", "w2", "w3"].allSatisfy({ p[$0] != 0 }) else { return false }
            let tape = Tape()
            let x = ["x1", "x2", "x3"].map { tape.input(p[$0], $0) }
            let w = ["w1", "w2", "w3"].map { tape.input(p[$0], $0) }
            let unit = Unit.logistic(x: x, w: w, b: tape.input(p["b"], "b"), y: tape.input(p["y"], "y"), stable: true)
            return (0.2...2.9).contains(abs(unit.z.value))
        })
}

/// The unit's nodes on a tape: z = wᵀx + b, its activation and its loss.
struct Unit {
    let z: Value, a: Value, L: Value

    /// Logistic: a = σ(z), L = −(y log a + (1 − y) log(1 − a)). `stable` writes the same loss from
    /// z, L = max(0, z) − z·y + log(1 + e^{−|z|}), which stays exact where σ(z) rounds to 0 or 1.
    static func logistic(x: [Value], w: [Value], b: Value, y: Value, stable: Bool, suffix: String = "") -> Unit {
        let z = (w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + b).labeled("z" + suffix)
        let a = z.sigmoid().labeled("a" + suffix)
        let L: Value
        if stable {
            let absolute = z.relu() + (-z).relu()
            L = z.relu() - z * y + (1.0 + (-absolute).exp()).log()
        } else {
            L = -(y * a.log() + (1.0 - y) * (1.0 - a).log())
        }
        return Unit(z: z, a: a, L: L.labeled(suffix.isEmpty ? "L" : "L_after"))
    }

    /// Linear: ŷ = z (the identity activation), L = ½(ŷ − y)².
    static func linear(x: [Value], w: [Value], b: Value, y: Value) -> Unit {
        let yhat = (w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + b).labeled("yhat")
        return Unit(z: yhat, a: yhat, L: (0.5 * (yhat - y).pow(2)).labeled("L"))
    }

    /// ∂L/∂a of the log loss at a = σ(z), computed from z: −1/σ(z) = −(1 + e^{−z}) for y = 1,
    /// 1/σ(−z) = 1 + e^{z} for y = 0 (+∞ only where that overflows a double).
    static func lossSlope(z: Double, y: Double) -> Double {
        y == 1 ? -(1 + exp(-z)) : 1 + exp(z)
    }

    /// Whether the loss as the notes write it, evaluated in doubles, is the loss to `digits`
    /// significant digits. Near saturation 1 − σ(z) loses its digits to cancellation, and at
    /// σ(z) = 1 exactly log(1 − a) is log 0.
    static func textbookLossHolds(z: Double, y: Double, digits: Int) -> Bool {
        let a = 1 / (1 + exp(-z))
        let textbook = -(y * log(a) + (1 - y) * log(1 - a))
        let stable = max(0, z) - z * y + log1p(exp(-abs(z)))
        return textbook.isFinite && abs(textbook - stable) <= 0.05 * pow(10, -Double(digits)) * max(abs(stable), 1e-300)
    }
}

enum LogisticRegression {
    static let source =
        """
        Notes \(CourseNotes.cite("000")) (“A computation graph which is \
        actually logistic regression”, “…which is actually linear regression”)
        """

    static func build(_ p: Parameters) -> LessonResult {
        let digits = p.integer("digits")
        let defaults = p.declared.allSatisfy { $0.name == "digits" || p.isDefault($0.name) }
        let context = LessonContext(p, symbols: ["alpha": "α", "yhat": "ŷ", "L_after": MathName.text(for: "L+")])
        let (tape, n) = context.tape()
        let x = (1...3).map { tape.input(p["x\($0)"], "x\($0)") }
        let w = (1...3).map { tape.input(p["w\($0)"], "w\($0)") }
        let b = tape.input(p["b"], "b")
        let y = tape.input(p["y"], "y")
        let alpha = tape.input(p["alpha"], "alpha")
        let zValue = w.indices.reduce(p["b"]) { $0 + p["w\($1 + 1)"] * p["x\($1 + 1)"] }
        let saturated = !Unit.textbookLossHolds(z: zValue, y: p["y"], digits: digits)
        let unit = Unit.logistic(x: x, w: w, b: b, y: y, stable: saturated)
        let (z, a, L) = (unit.z, unit.a, unit.L)
        tape.backward(from: L)

        // The numbers the backward pass found, in the order the page works them: ∂L/∂a, ∂a/∂z, ∂L/∂z.
        // ∂L/∂a = (a − y)/(a(1 − a)) is −1/a for y = 1 and 1/(1 − a) for y = 0; saturated, from z
        // (1 − σ(z) = σ(−z)): 1 + e^{z} overflows a double only for z above log(max) ≈ 709.78, where it is
        // written as null. Elsewhere it is a number, even where a rounds to 1.
        let dLda = saturated ? Unit.lossSlope(z: z.value, y: y.value) : tape.derivative(of: L, withRespectTo: a)
        if dLda.isFinite { context.name(dLda, "dL/da", on: tape) } else { context.export("dL/da", .number(dLda)) }
        context.name(tape.derivative(of: a, withRespectTo: z), "da/dz", on: tape)
        context.name(tape.derivative(of: L, withRespectTo: z), "dL/dz", on: tape)
        let dLdw = (1...3).map { k in context.name(w[k - 1].gradient, "dL/dw\(k)", on: tape) }
        let dLdb = context.name(b.gradient, "dL/db", on: tape)
        // w⁺ = w − α·∂L/∂w, and the unit again with the new parameters.
        let plus = (0..<3).map { k in (w[k] - alpha * dLdw[k]).labeled("w\(k + 1)+") }
        let bPlus = (b - alpha * dLdb).labeled("b+")
        let zAfter = plus.indices.reduce(bPlus.value) { $0 + plus[$1].value * x[$1].value }
        let after = Unit.logistic(
            x: x, w: plus, b: bPlus, y: y,
            stable: !Unit.textbookLossHolds(z: zAfter, y: y.value, digits: digits), suffix: "+")

        let (linearTape, m) = context.tape(prefix: "linear.")
        let lx = (1...3).map { linearTape.input(p["x\($0)"], "x\($0)") }
        let lw = (1...3).map { linearTape.input(p["w\($0)"], "w\($0)") }
        let lb = linearTape.input(p["b"], "b")
        let ly = linearTape.input(p["y"], "y")
        let linear = Unit.linear(x: lx, w: lw, b: lb, y: ly)
        linearTape.backward(from: linear.L)
        context.name(linearTape.derivative(of: linear.L, withRespectTo: linear.z), "dL/dyhat", on: linearTape)
        for k in 1...3 { context.name(lw[k - 1].gradient, "dL/dw\(k)", on: linearTape) }
        context.name(lb.gradient, "dL/db", on: linearTape)
        let label = p["y"] == 1 ? "1 (in the class)" : "0 (not in the class)"

        // Convexity in w₁: both costs on a grid that moves z by ±8 around this run's z, and their
        // second differences; the squared error's negative ones mark where it bends down.
        let reach = p["x1"] == 0 ? 8.0 : 8 / abs(p["x1"])
        let w1s = (0...400).map { p["w1"] - reach + 2 * reach * Double($0) / 400 }
        let curve = costs(along: w1s, p)
        func second(_ f: (Int) -> Double) -> [Double] { (1..<400).map { f($0 - 1) - 2 * f($0) + f($0 + 1) } }
        let squaredBends = second { curve[$0].squared }
        let logBends = second { curve[$0].log }
        let concave = squaredBends.indices.filter { squaredBends[$0] < -1e-12 }.map { w1s[$0 + 1] }
        let logLeast = logBends.min() ?? 0
        context.export("convexity.log_least_second_difference", .number(logLeast))
        if let first = concave.first, let last = concave.last {
            context.export("convexity.squared_concave_from", .number(first))
            context.export("convexity.squared_concave_to", .number(last))
        }

        let report = Report(
            title: "Logistic regression as a computation graph",
            subtitle:
                """
                One unit, three features: the forward pass, the backward pass, one step of gradient descent, \
                and the same graph as linear regression. Every number below was computed by the engine.
                """,
            lesson: Lesson.logisticRegression.name, source: source
        ) {
            Section("The unit and its numbers") {
                """
                The notes draw a lone hidden unit: it takes the features x = (x_1, x_2, x_3), \
                combines them with its weights and bias, z = w^{T}x + b, and applies an activation, \
                a = σ(z) = 1/(1 + e^{−z}). Its output a is the prediction ŷ, the probability that \
                the example belongs to the class, and the log loss compares it with the true label y:
                """
                Step(lhs: "L(a, y)", rhs: ["−(y log a + (1 − y) log(1 − a))"])
                "Here the example has label \(n.name(y)) = \(label)"
                    + (defaults
                        ? ". The numbers are this lesson’s defaults (the notes give none)."
                        : ". The numbers were set for this run.")
                n.parameterTable(
                    p,
                    """
                    The unit’s numbers; `digits` = \(p.integer("digits")) sets how many significant digits are printed.
                    """
                )
            }
            Section("The forward pass") {
                n.step(z, "The weighted sum: z = w^{T}x + b")
                n.step(a, "The activation, the unit’s prediction ŷ")
                if saturated {
                    saturationNote(n, z: z, a: a, y: y, L: L)
                } else {
                    n.step(L, "The log loss for label y = \(label)")
                }
                """
                As a computation graph, exactly as the engine recorded \
                it (the dashed box is the unit, the circle of the notes):
                """
                Figure("Logistic regression as a computation graph: every box holds its value.", graph: n.graph(of: L))
            }
            Section("The backward pass") {
                "The chain rule takes the loss back through the graph one link at a time."
                if let saturation = n.saturationNote() { saturation }
                if !saturated {
                    n.derivative(of: L, withRespectTo: a, "How the loss changes with the prediction")
                }
                n.derivative(of: a, withRespectTo: z, "How the activation changes with z: σ′ = σ(1 − σ)")
                if saturated {
                    n.derivative(of: L, withRespectTo: z, "How the loss changes with z, from the stable form")
                } else {
                    n.simplification([L, a, z], "How the loss changes with z: the two links multiplied and simplified")
                    """
                    The factors a and 1 − a cancel, and what is left is the prediction minus the \
                    label: ∂L/∂z = a − y. The sigmoid’s own derivative, which vanishes where σ is \
                    flat, has dropped out, so the log loss keeps learning even where σ saturates.
                    """
                }
                """
                Each weight reaches z through one product, ∂z/∂w_i = x_i, \
                so ∂L/∂w_i = x_i · ∂L/∂z; the bias enters with ∂z/∂b = 1:
                """
                for k in 0..<3 { n.derivative(of: L, withRespectTo: w[k]) }
                n.derivative(of: L, withRespectTo: b)
                "The backward graph puts ∂L/∂x under every node x; the highlighted route is the chain for w_1:"
                Figure(
                    """
                    The backward pass: each box holds its value and the gradient of the loss, \
                    which flows back along the arrows; the chain rule for w_1 is highlighted.
                    """,
                    graph: n.graph(of: L, view: .backward, highlighting: saturated ? [L, z, w[0]] : [L, a, z, w[0]]))
            }
            Section("One step of gradient descent") {
                """
                Each parameter moves against its gradient, w_i ← w_i − α \
                ∂L/∂w_i, with learning rate \(n.name(alpha)) = \(n.value(alpha)):
                """
                for k in 0..<3 { n.step(plus[k]) }
                n.step(bPlus)
                "The same example through the updated unit:"
                n.step(after.z)
                n.step(after.a)
                n.step(after.L, "The loss after one step")
                // Towards the label or not, and the loss's change, each read from the two values.
                let (before, later) = (abs(a.value - y.value), abs(after.a.value - y.value))
                let toward: RichText =
                    later < before
                    ? "towards the label" : later > before ? "away from the label" : "nowhere nearer the label"
                switch Change(from: a.value, to: after.a.value, printedAs: n.format) {
                case .unchanged:
                    "One step leaves the prediction at \(n.value(a)) (label \(n.value(y))), and "
                        + n.change(of: "the loss", from: L.value, to: after.L.value) + "."
                case .invisible:
                    "One step leaves the prediction at \(n.value(a)) to the digits printed (label \(n.value(y))), and "
                        + n.change(of: "the loss", from: L.value, to: after.L.value) + "."
                default:
                    "One step moves the prediction " + toward
                        + ", from \(n.value(a)) to \(n.value(after.a)) (label \(n.value(y))), and "
                        + n.change(of: "the loss", from: L.value, to: after.L.value) + "."
                }
            }
            Section("Many examples, and why not the squared error") {
                """
                Over m examples the cost is the mean of the losses, as 002 writes it; \
                a step of gradient descent follows the mean of the examples' gradients:
                """
                Step(lhs: "J(θ)", rhs: ["1/m Σ_{i} Cost(h_{θ}(x^{(i)}), y^{(i)})"], hasResult: false)
                """
                Why not the squared error of linear regression, (σ(z) − y)^{2}? 002: it “will result in \
                a non-convex function”. Along w_1, the other numbers held, both costs of this example:
                """
                Figure(
                    """
                    The squared error (σ(z) − y)² and the log loss of this \
                    example as w₁ moves, the other numbers as in this run.
                    """,
                    plot: Plot(
                        x: "w_1", y: "cost",
                        layers: [
                            .line(.init("(σ(z) − y)²", points: zip(w1s, curve).map { ($0, $1.squared) }, color: 0)),
                            .line(.init("log loss", points: zip(w1s, curve).map { ($0, $1.log) }, color: 1)),
                        ]))
                if p["x1"] == 0 {
                    "With x_1 = 0, w_1 does not reach z: both costs are flat in w_1, and neither bends."
                } else if let first = concave.first, let last = concave.last {
                    Paragraph(
                        """
                        The squared error bends downward, its second differences negative, for \
                        w_1 from \(n.number(first)) to \(n.number(last)) in the range drawn: there \
                        it is concave, the shape of a plateau that gradient descent crawls across, \
                        and a mean of such terms over many examples can have several valleys. 
                        """
                            + (logLeast >= -1e-12
                                ? "The log loss's second differences are all positive (the least is \(n.number(logLeast))): it is convex, so each example's loss, and their mean, has one valley."
                                : "The log loss's least second difference is \(n.number(logLeast)), below 0 only by rounding.")
                    )
                } else if squaredBends.allSatisfy({ abs($0) < 1e-12 }) {
                    """
                    Over the range drawn σ(z) is saturated and the squared error is flat to double precision: \
                    its gradient, 2(σ(z) − y)σ(z)(1 − σ(z)), is as good as 0, and gradient descent on it \
                    would not move, however wrong the prediction. The log loss keeps its slope there.
                    """
                } else {
                    """
                    Over the range drawn the squared error does not bend downward; it does where σ(z) \
                    is further from the label (σ(z) < 1/3 for y = 1, σ(z) > 2/3 for y = 0), outside it.
                    """
                }
            }
            Section("The same graph is linear regression") {
                """
                Swap the activation for the identity, ŷ = f(z) = z, and measure the squared error instead: \
                the same graph is linear regression. The loss is halved so that its derivative carries no 2:
                """
                m.step(linear.z, "The prediction is the weighted sum itself")
                m.step(linear.L, "Half the squared error")
                m.derivative(of: linear.L, withRespectTo: linear.z, "How the loss changes with the prediction")
                for k in 0..<3 { m.derivative(of: linear.L, withRespectTo: lw[k]) }
                m.derivative(of: linear.L, withRespectTo: lb)
                Figure(
                    """
                    Linear regression as a computation graph, backward: values and \
                    the gradient of the loss; the chain for w_1 is highlighted.
                    """,
                    graph: m.graph(of: linear.L, view: .backward, highlighting: [linear.L, linear.z, lw[0]]))
                Note("The same gradient twice") {
                    """
                    Both losses give ∂L/∂w_i = (prediction − label)·x_i: a − y for logistic regression, ŷ − y \
                    for linear regression. The log loss is paired with σ, and the squared error with the \
                    identity, for exactly this reason: with either pair the gradient is the error times the input.
                    """
                }
            }
        }
        return context.result(lesson: Lesson.logisticRegression.name, report: report, outputs: [L, linear.L])
    }

    /// The squared error (σ(z) − y)² and the log loss (stable form) of this example as w₁ moves
    /// and the rest stay, each point recorded on a scratch tape.
    static func costs(along w1s: [Double], _ p: Parameters) -> [(squared: Double, log: Double)] {
        let tape = Tape()
        return w1s.map { w1 in
            tape.clear()
            let (x, y) = ((1...3).map { tape.input(p["x\($0)"]) }, tape.input(p["y"]))
            let z = tape.input(w1) * x[0] + tape.input(p["w2"]) * x[1] + tape.input(p["w3"]) * x[2] + tape.input(p["b"])
            let absolute = z.relu() + (-z).relu()
            let log = z.relu() - z * y + (1.0 + (-absolute).exp()).log()
            return (((z.sigmoid() - y).pow(2)).value, log.value)
        }
    }

    /// Where σ(z) is 1 (or 0) to double precision the loss as written is log 0, or 0·log 0;
    /// the note says so with the numbers and works the loss from z instead.
    static func saturationNote(_ n: Notation, z: Value, a: Value, y: Value, L: Value) -> Note {
        let short = NumberFormat(significantDigits: 2)
        let (target, side): (RichText, RichText) = z.value > 0 ? ("1", "1 − a") : ("0", "a")
        let exact = z.value > 0 ? a.value == 1 : a.value == 0
        // 1 − σ(z) ≈ e^{−z} for large z: the digits left are those of e^{−z} against the ulp of 1.
        let left = max(0, Int((log10(exp(-abs(z.value)) / (Double.ulpOfOne / 2))).rounded(.down)))
        let why: RichText =
            exact
            ? "σ(z) rounds to exactly \(target): it differs from \(target) by about \(short.rich(exp(-abs(z.value)))), less than half the gap between doubles next to 1 (\(short.rich(Double.ulpOfOne / 2)))"
            : "\(side) is about \(short.rich(exp(-abs(z.value)))), and computed as a difference next to 1 it keeps only about \(left) correct digits"
        return Note("σ(z) saturates: the loss is computed from z", kind: .remark) {
            """
            With z = \(n.value(z)), \(why). The loss as written, −(y log a + (1 − y) log(1 − a)), then \
            takes the logarithm of \(exact ? "zero" : "a number with few correct digits"): it comes out \
            \(exact ? "infinite or undefined" : "wrong in the digits printed here"), and ∂L/∂a with it.
            """
            """
            The same loss can be written from z without ever forming \(side): L = max(0, z) − z·y + log(1 + \
            e^{−|z|}). That is how frameworks compute it (PyTorch’s BCEWithLogitsLoss); the engine records it so:
            """
            n.step(L, "The log loss, from z")
            let slope = Unit.lossSlope(z: z.value, y: y.value)
            let written: RichText = y.value == 1 ? "−1/a = −(1 + e^{−z})" : "1/(1 − a) = 1 + e^{z}"
            if slope.isFinite {
                "Its slope ∂L/∂a = (a − y)/(a(1 − a)) is, for y = \(n.value(y)), " + written + " = " + n.number(slope)
                    + ": computed from z it is a number, although a(1 − a) has rounded "
                    + (a.value * (1 - a.value) == 0 ? "to 0." : "away its digits.")
            } else {
                "Its slope ∂L/∂a = (a − y)/(a(1 − a)) is, for y = \(n.value(y)), " + written
                    + ", and e^{z} overflows a double (it passes " + n.number(Double.greatestFiniteMagnitude)
                    + " for z above " + n.number(log(Double.greatestFiniteMagnitude))
                    + "): values.json writes it as null."
            }
        }
    }
}
