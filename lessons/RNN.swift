import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// 004_38d215965c7e92a5.txt's recurrent network, unfolded (a^(t) = b + W h^(t−1) + U x^(t),
    /// h^(t) = tanh(a^(t)), o^(t) = c + V h^(t)), back-propagation through time, "the long-term
    /// dependency problem", and one LSTM step gate by gate (forget, input, candidate, output).
    public static let rnn = Lesson(
        name: "rnn",
        title:
            """
            A recurrent network unfolded over three steps, back-propagation through \
            time, why it forgets, one LSTM step gate by gate, and one GRU step
            """,
        parameters: [
            .vector(
                "x", [1, 0, 0.5, -1, 0, 1], length: 2...20, in: -10...10,
                "the input sequence, two numbers per time step: x^(1), x^(2), …"),
            .vector("U", [0.5, -0.3, 0.8, 0.2], length: 4...4, in: -5...5, "input weights U, row by row (2 × 2)"),
            .vector("W", [0.1, 0.4, -0.6, 0.3], length: 4...4, in: -5...5, "recurrent weights W, row by row (2 × 2)"),
            .vector("b", [0, 0.1], length: 2...2, in: -5...5, "hidden biases b"),
            .vector("V", [1, -1], length: 2...2, in: -5...5, "output weights V"),
            .real("c", 0, in: -5...5, "output bias c"),
            .real("y", 0.5, in: -10...10, "the target of the last output"),
            .integer("long", 40, in: 2...200, "the longest sequence of the forgetting plot"),
            .real(
                "clip", 0.5, in: 0.001...1000,
                "the clipping threshold θ: a gradient longer than θ is scaled down to length θ"),
            .vector("lstm", [1, 0.2, 0.5], length: 3...3, in: -5...5, "the LSTM step's x_t, h_(t−1) and C_(t−1)"),
            .digits(6),
        ],
        check: { p in
            p.vector("x").count % 2 == 0
                ? nil : "x has \(p.vector("x").count) entries: give two per time step (--set x=1,0,0.5,-1)"
        },
        build: RNN.build
    ).regimes([
        Regime(
            ["W=1.5,0,0,1.5", "b=0,0", "x=0,0"],
            "recurrent weights above 1 where tanh′ = 1 (every state 0): the gradient explodes, 1.5-fold a step"),
        Regime(
            "W=1.5,0,0,1.5", "the same weights with inputs: the states saturate tanh, and the gradient still shrinks"),
        Regime("V=0,0", "an output that ignores the hidden state: no gradient flows back through time"),
        Regime("long=5", "short sequences only: no rate per step is measured"),
    ])
}

enum RNN {
    /// The LSTM's gate weights, [w_h, w_x, b] for one unit: forget, input, candidate, output.
    static let gates: [(name: String, weights: [Double])] = [
        ("f", [0.5, 0.3, 1.0]), ("i", [0.4, -0.2, 0]), ("C̃", [0.7, 0.6, 0]), ("o", [-0.3, 0.8, 0.2]),
    ]
    /// The GRU's, in the same form: update, reset, candidate (whose w_h acts on r_t h_{t−1}).
    static let gruGates: [(name: String, weights: [Double])] = [
        ("z", [0.5, 0.3, -0.5]), ("r", [0.4, -0.2, 0]), ("h̃", [0.7, 0.6, 0]),
    ]

    /// How the page writes a gate's weights and bias: w_fh as W_{fh}, b_f as b_{f}.
    static func symbols(of gates: [(name: String, weights: [Double])]) -> [String: RichText] {
        var symbols: [String: RichText] = [:]
        for gate in gates {
            symbols["w_\(gate.name)h"] = "W_{\(gate.name)h}"
            symbols["w_\(gate.name)x"] = "W_{\(gate.name)x}"
            symbols["b_\(gate.name)"] = "b_{\(gate.name)}"
        }
        return symbols
    }

    /// The network unfolded over `inputs` on `tape`: the hidden states per step (2 units each)
    /// and the last output o^(τ). `labeled`: every node named for the report.
    static func unfold(
        _ inputs: [[Value]], U: [[Value]], W: [[Value]], b: [Value], V: [Value], c: Value, tape: Tape, labeled: Bool
    )
        -> (hidden: [[Value]], output: Value)
    {
        var h = [tape.constant(0), tape.constant(0)]
        var hidden: [[Value]] = []
        for (t, x) in inputs.enumerated() {
            h = (0..<2).map { j in
                // a_j^(t) = b_j + Σ_k W_jk h_k^(t−1) + Σ_k U_jk x_k^(t)
                let a = b[j] + W[j][0] * h[0] + W[j][1] * h[1] + U[j][0] * x[0] + U[j][1] * x[1]
                if labeled { a.labeled("a\(j + 1)_\(t + 1)") }
                let next = a.tanh()
                return labeled ? next.labeled("h\(j + 1)_\(t + 1)") : next
            }
            hidden.append(h)
        }
        return (hidden, c + V[0] * h[0] + V[1] * h[1])
    }

    static func build(_ p: Parameters) -> LessonResult {
        let format = NumberFormat(significantDigits: p.integer("digits"))
        let xs = p.vector("x")
        let steps = xs.count / 2
        let tape = Tape()
        func matrix(_ name: String) -> [[Value]] {
            let v = p.vector(name)
            return (0..<2).map { j in (0..<2).map { k in tape.input(v[2 * j + k], "\(name)\(j + 1)\(k + 1)") } }
        }
        let (U, W) = (matrix("U"), matrix("W"))
        let b = (0..<2).map { tape.input(p.vector("b")[$0], "b\($0 + 1)") }
        let V = (0..<2).map { tape.input(p.vector("V")[$0], "V\($0 + 1)") }
        let c = tape.input(p["c"], "c")
        let target = tape.input(p["y"], "y")
        let inputs = (0..<steps).map { t in (0..<2).map { k in tape.input(xs[2 * t + k], "x\(k + 1)_\(t + 1)") } }
        let (hidden, output) = unfold(inputs, U: U, W: W, b: b, V: V, c: c, tape: tape, labeled: true)
        output.labeled("o")
        let loss = (0.5 * (output - target).pow(2)).labeled("L")
        tape.backward(from: loss)
        let reaching = hidden.map { h in h.map { tape.derivative(of: loss, withRespectTo: $0) } }

        var symbols: [String: RichText] = ["o": "o^{(\(steps))}", "y": "y", "c": "c", "L": "L"]
        for t in 1...steps {
            for j in 1...2 {
                symbols["a\(j)_\(t)"] = "a_{\(j)}^{(\(t))}"
                symbols["h\(j)_\(t)"] = "h_{\(j)}^{(\(t))}"
                symbols["x\(j)_\(t)"] = "x_{\(j)}^{(\(t))}"
            }
        }
        for j in 1...2 {
            for k in 1...2 {
                symbols["U\(j)\(k)"] = "U_{\(j)\(k)}"
                symbols["W\(j)\(k)"] = "W_{\(j)\(k)}"
            }
            symbols["b\(j)"] = "b_{\(j)}"
            symbols["V\(j)"] = "V_{\(j)}"
        }
        let n = Notation(tape: tape, format: format, symbols: symbols)

        // Forgetting: the same weights over sequences of 1 … long steps (the inputs repeated), and
        // the gradient that reaches the first hidden state from the loss at the end.
        let long = p.integer("long")
        let memory = (1...long).map { length -> Double in
            let t = Tape()
            let weights = { (name: String) in
                (0..<2).map { j in (0..<2).map { k in t.input(p.vector(name)[2 * j + k]) } }
            }
            let seq = (0..<length).map { s in (0..<2).map { k in t.input(xs[(2 * s + k) % xs.count]) } }
            let (h, o) = unfold(
                seq, U: weights("U"), W: weights("W"), b: p.vector("b").map { t.input($0) },
                V: p.vector("V").map { t.input($0) },
                c: t.input(p["c"]), tape: t, labeled: false)
            let l = 0.5 * (o - t.input(p["y"])).pow(2)
            return hypot(t.derivative(of: l, withRespectTo: h[0][0]), t.derivative(of: l, withRespectTo: h[0][1]))
        }

        // One LSTM step, one unit, gate by gate: gate = σ(w_h h_{t−1} + w_x x_t + b) (tanh for C̃).
        let cell = Tape()
        let (xt, hPrev, cPrev) = (
            cell.input(p.vector("lstm")[0], "x_t"), cell.input(p.vector("lstm")[1], "h_prev"),
            cell.input(p.vector("lstm")[2], "C_prev")
        )
        let gateValues = gates.map { gate -> Value in
            let (wh, wx, bias) = (
                cell.input(gate.weights[0], "w_\(gate.name)h"), cell.input(gate.weights[1], "w_\(gate.name)x"),
                cell.input(gate.weights[2], "b_\(gate.name)")
            )
            let z = wh * hPrev + wx * xt + bias
            return (gate.name == "C̃" ? z.tanh() : z.sigmoid()).labeled(gate.name + "_t")
        }
        let cNext = (gateValues[0] * cPrev + gateValues[1] * gateValues[2]).labeled("C_t")
        let hNext = (gateValues[3] * cNext.tanh()).labeled("h_t")
        var cellSymbols: [String: RichText] = [
            "x_t": "x_t", "h_prev": "h_{t−1}", "C_prev": "C_{t−1}", "C_t": "C_t", "h_t": "h_t",
            "f_t": "f_t", "i_t": "i_t", "C̃_t": "C̃_t", "o_t": "o_t",
        ]
        cellSymbols.merge(RNN.symbols(of: gates)) { $1 }
        var m = Notation(tape: cell, format: format, symbols: cellSymbols)
        m.labelPrefix = "lstm."

        // One GRU step on the same x_t and h_{t−1} (colah's form): two gates, no cell state,
        // h_t = (1 − z_t) h_{t−1} + z_t h̃_t.
        let unit = Tape()
        let (gx, gh) = (unit.input(p.vector("lstm")[0], "x_t"), unit.input(p.vector("lstm")[1], "h_prev"))
        var gruValues: [Value] = []
        for gate in gruGates {
            let (wh, wx, bias) = (
                unit.input(gate.weights[0], "w_\(gate.name)h"), unit.input(gate.weights[1], "w_\(gate.name)x"),
                unit.input(gate.weights[2], "b_\(gate.name)")
            )
            let recurrent = gate.name == "h̃" ? gruValues[1] * gh : gh
            let z = wh * recurrent + wx * gx + bias
            gruValues.append((gate.name == "h̃" ? z.tanh() : z.sigmoid()).labeled(gate.name + "_t"))
        }
        let (update, candidate) = (gruValues[0], gruValues[2])
        let kept = 1.0 - update
        let gruNext = (kept * gh + update * candidate).labeled("h_t")
        let gruSlope = unit.derivative(of: gruNext, withRespectTo: gh)
        var gruSymbols: [String: RichText] = [
            "x_t": "x_t", "h_prev": "h_{t−1}", "h_t": "h_t", "z_t": "z_t", "r_t": "r_t", "h̃_t": "h̃_t",
        ]
        gruSymbols.merge(RNN.symbols(of: gruGates)) { $1 }
        var g = Notation(tape: unit, format: format, symbols: gruSymbols)
        g.labelPrefix = "gru."

        var values = ExportedValues(tape)
        for j in 1...2 {
            for k in 1...2 {
                values["dL/dW\(j)\(k)"] = .number(W[j - 1][k - 1].gradient)
                values["dL/dU\(j)\(k)"] = .number(U[j - 1][k - 1].gradient)
            }
        }
        for j in 1...2 { values["dL/db\(j)"] = .number(b[j - 1].gradient) }
        values["dL/dh"] = .rows(reaching)
        values["memory"] = .array(memory)
        // Clipping by norm: every shared weight's gradient as one vector g, rescaled to length θ when longer.
        let gradient =
            U.flatMap { $0 }.map(\.gradient) + W.flatMap { $0 }.map(\.gradient) + b.map(\.gradient) + V.map(\.gradient)
            + [c.gradient]
        let norm = gradient.map { $0 * $0 }.reduce(0, +).squareRoot()
        let threshold = p["clip"]
        let factor = norm > threshold ? threshold / norm : 1
        values["clip.norm"] = .number(norm)
        values["clip.factor"] = .number(factor)
        values["clip.dL/dW11"] = .number(factor * W[0][0].gradient)
        values.append(ExportedValues(cell), prefix: "lstm.")
        values.append(ExportedValues(unit), prefix: "gru.")
        values["gru.dh_t/dh_prev"] = .number(gruSlope)

        // Per step, over the last ten lengths; undefined where either end is 0 (V = 0, or an underflow).
        let decay =
            memory.count > 10 && memory.last! > 0 && memory[memory.count - 11] > 0
            ? pow(memory.last! / memory[memory.count - 11], 0.1) : nil
        let name = Lesson.rnn.name
        let report = Report(
            title: "Recurrent networks",
            subtitle:
                """
                A network with a loop, unfolded in time: every hidden state worked, the \
                gradient carried back through time, why a plain recurrent network forgets, \
                and one step of an LSTM. Every number below was computed by the engine.
                """,
            lesson: name,
            source:
                """
                Notes \(CourseNotes.cite("004")) (RNN unfolding, a^(t) = b + W h^(t−1) + U x^(t), BPTT, the long-term \
                dependency problem, the LSTM gates after colah.github.io), \(CourseNotes.cite("002")) (RNN, LSTM)
                """
        ) {
            Section("The network, unfolded") {
                """
                “A recurrent neural network can be thought as multiple copies of the same \
                network, each passing a message to a successor” (004). The loop is unfolded \
                over the \(steps) steps of the sequence, with the same weights at every step:
                """
                Step(lhs: "a^{(t)}", rhs: ["b + W h^{(t−1)} + U x^{(t)}"], hasResult: false)
                Step(lhs: "h^{(t)}", rhs: ["tanh(a^{(t)})"], hasResult: false)
                Step(lhs: "o^{(t)}", rhs: ["c + V h^{(t)}"], hasResult: false)
                """
                Here x^{(t)} and h^{(t)} have two entries each, h^{(0)} = 0, and only the last \
                output is judged, against y = \(n.value(target)), with L = ½(o^{(τ)} − y)^{2}.
                """
                n.settingsTable(p, "Every setting of this run.")
            }
            Section("Forward through time") {
                for t in 0..<steps {
                    ("Step \(t + 1), x^{(\(t + 1))} = (" as RichText) + n.number(xs[2 * t]) + ", "
                        + n.number(xs[2 * t + 1]) + "):"
                    for j in 0..<2 {
                        n.step(tape.node(labeled: "a\(j + 1)_\(t + 1)")!)
                        n.step(hidden[t][j])
                    }
                }
                "The output and the loss:"
                n.step(output)
                n.step(loss)
            }
            Section("Back-propagation through time") {
                """
                The backward pass runs the unfolded graph backwards, from the last step to the \
                first: “the BPTT runtime is O(τ)” (004). The gradient that reaches each hidden state:
                """
                Table(
                    "∂L/∂h^{(t)} for each step, from the engine’s backward pass.",
                    columns: [
                        .init("t", alignment: .trailing), .init("∂L/∂h_1", alignment: .trailing),
                        .init("∂L/∂h_2", alignment: .trailing),
                        .init("length", alignment: .trailing),
                    ],
                    rows: reaching.enumerated().map { t, g in
                        [.plain("\(t + 1)"), n.number(g[0]), n.number(g[1]), n.number(hypot(g[0], g[1]))]
                    })
                // The written sum has a term per path back through time; their number grows like 2^τ.
                let routes = tape.pathCount(from: loss, to: W[0][0])
                if routes <= 8 {
                    """
                    The weights are shared by every step, so their gradient adds up what each \
                    step contributes, one term per path from the loss back to the weight:
                    """
                    n.derivative(of: loss, withRespectTo: W[0][0])
                } else {
                    """
                    The weights are shared by every step, so their gradient adds up what \
                    each step contributes, one term per path from the loss back to W_{11}: \
                    \(routes.formatted()) paths for \(steps) steps, too many to write out.
                    """
                }
                Table(
                    "The gradient of every shared weight.",
                    columns: [
                        .init("weight"), .init("∂L/∂ (row 1, col 1)", alignment: .trailing),
                        .init("(1, 2)", alignment: .trailing),
                        .init("(2, 1)", alignment: .trailing), .init("(2, 2)", alignment: .trailing),
                    ],
                    rows: [("W", W), ("U", U)].map { name, M in
                        [.plain(name)] + M.flatMap { $0 }.map { n.number($0.gradient) }
                    }
                        + [["b", n.number(b[0].gradient), n.number(b[1].gradient), "", ""]])
            }
            Section("Why a plain RNN forgets") {
                """
                Each step back multiplies the gradient by Wᵀ and by tanh′ ≤ 1. Where W is small that product \
                shrinks over many steps: “as gap grows RNN is not able to connect informations” (004); where \
                W is large it can grow instead. The same network over sequences of 1 to \(long) steps (the \
                inputs repeated), and the gradient from the last output that reaches the first hidden state:
                """
                Figure(
                    "‖∂L/∂h^{(1)}‖ against the length of the sequence.",
                    plot: Plot(
                        x: "sequence length τ", y: .init("‖∂L/∂h^{(1)}‖", scale: .logarithmic),
                        layers: [
                            .line(
                                .init(
                                    "gradient at step 1",
                                    points: memory.enumerated().map {
                                        (Double($0.offset + 1), max($0.element, 1e-300))
                                    }, color: 0))
                        ]))
                if memory.allSatisfy({ $0 == 0 }) {
                    """
                    Here no gradient reaches the first step at any length: with V = \
                    (\(n.number(p.vector("V")[0])), \(n.number(p.vector("V")[1]))) the \
                    output ignores the hidden state, so nothing flows back through time at all.
                    """
                } else if let decay {
                    switch Change(from: 1, to: decay, printedAs: n.format) {
                    case .fell, .invisible(by: ..<0):
                        """
                        Over the last ten lengths it shrinks by a factor of about \(n.number(decay)) \
                        per step: after \(long) steps the first input has \(n.number(memory.last!)) \
                        of a say in the loss. This is the long-term dependency problem; the LSTM \
                        is “designed to remember information for long periods of time”.
                        """
                    case .rose, .invisible:
                        """
                        Here it grows instead, by a factor of about \(n.number(decay)) per step over the last \
                        ten lengths, to \(n.number(memory.last!)) after \(long) steps: these recurrent weights \
                        are large enough to outgrow tanh′, and the gradients explode. Frameworks clip them \
                        (rescale ∂L/∂h when its length passes a threshold); the LSTM’s gated cell state avoids both.
                        """
                    case .unchanged:
                        """
                        Over the last ten lengths it neither shrinks nor \
                        grows: \(n.number(memory.last!)) after \(long) steps.
                        """
                    }
                }
            }
            Section("Clipping the gradient") {
                """
                Where gradients explode, one step can throw the weights far off. Clipping by \
                norm bounds the step and keeps its direction: take every shared weight’s gradient \
                as one vector g (\(gradient.count) numbers: U, W, b, V and c), and if its length \
                passes a threshold θ = \(n.number(threshold)), scale it down to length θ:
                """
                Step(lhs: "‖g‖", rhs: ["√(Σ_{k} g_{k}^{2})", n.number(norm)])
                Step(
                    lhs: "g",
                    rhs: [
                        norm > threshold ? "θ/‖g‖ · g" : "g (‖g‖ ≤ θ: unchanged)",
                        norm > threshold ? n.number(factor) + " · g" : "g",
                    ], hasResult: false)
                Step(
                    lhs: "∂L/∂W_{11}, clipped",
                    rhs: [n.number(W[0][0].gradient) + " × " + n.number(factor), n.number(factor * W[0][0].gradient)])
                Paragraph(
                    norm > threshold
                        ? "Here ‖g‖ = \(n.number(norm)) is above θ: every entry is scaled by θ/‖g‖ = \(n.number(factor)), so the step is bounded whatever the gradient, and points the same way."
                        : "Here ‖g‖ = \(n.number(norm)) is below θ: the gradient is used as it is. Clipping only acts on the steps that would overshoot."
                )
            }
            Section("One LSTM step, gate by gate") {
                """
                The LSTM repeats “a more complex block” (004): a cell state C carried from step to step, changed \
                only through gates, each “a sigmoid layer” that outputs between 0 (discard) and 1 (keep). One \
                unit, with x_t = \(m.value(xt)), h_{t−1} = \(m.value(hPrev)) and C_{t−1} = \(m.value(cPrev)):
                """
                for (k, gate) in gateValues.enumerated() {
                    m.step(
                        gate,
                        [
                            RichText("The forget gate: what to keep of the old cell state"),
                            "The input gate: which values to update",
                            "The candidate values, a tanh layer",
                            "The output gate: what part of the cell state to output",
                        ][k])
                }
                m.step(cNext, "Update the cell state: multiply the old state by f_t and add i_t C̃_t")
                m.step(hNext, "The output, the cell state squashed by tanh and filtered by o_t")
                """
                Through the cell state the gradient is multiplied by f_t at each step back \
                (∂C_t/∂C_{t−1} = f_t = \(m.value(gateValues[0]))), not by a weight matrix and \
                a tanh slope: with the forget gate near 1 it passes many steps back almost whole.
                """
            }
            Section("One GRU step") {
                """
                The gated recurrent unit (002 names it beside the LSTM) keeps the gates and drops the cell \
                state: an update gate z_t decides how much of the state to replace, a reset gate r_t how much \
                of the old state the candidate may read. With \(gruGates.count) weight sets to the LSTM’s \
                \(gates.count), one unit has \(gruGates.count * 3) weights and biases to the LSTM’s \
                \(gates.count * 3). On the same x_t = \(g.value(gx)) and h_{t−1} = \(g.value(gh)), as colah’s \
                post writes it:
                """
                g.step(gruValues[0], "The update gate: how much of the state to replace")
                g.step(gruValues[1], "The reset gate: how much of the old state the candidate reads")
                g.step(gruValues[2], "The candidate state, from the reset old state and the input")
                g.step(gruNext, "The new state: the old one where z_t is near 0, the candidate where it is near 1")
                g.derivative(
                    of: gruNext, withRespectTo: gh, "The gradient one step back, every route through the gates included"
                )
                Paragraph(
                    """
                    Straight through, the state passes its gradient back multiplied by 1 − z_t \
                    = \(g.number(kept.value)), with no weight and no tanh slope on that route; 
                    """
                        + (abs(gruSlope) > abs(kept.value)
                            ? "the routes through the gates add to it, to \(g.number(gruSlope))."
                            : abs(gruSlope) < abs(kept.value)
                                ? "the routes through the gates take some of it away, to \(g.number(gruSlope))."
                                : "the routes through the gates cancel here.")
                        + (kept.value > 0.5
                            ? " With the update gate below ½ the unit mostly keeps its state: the GRU’s way of remembering, as the forget gate is the LSTM’s."
                            : " With the update gate above ½ the unit mostly replaces its state: to remember over many steps, z_t must stay near 0.")
                )
            }
        }
        return LessonResult(
            lesson: name, parameters: p, report: report, values: values,
            recordings: [
                Recording(notation: n, output: loss), Recording(notation: m, output: hNext, prefix: "lstm."),
                Recording(notation: g, output: gruNext, prefix: "gru."),
            ])
    }
}
