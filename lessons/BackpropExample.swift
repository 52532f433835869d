import Engine
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// The 2-2-2 network of the notes (001_1d037609c44b217d.txt, "Let's follow a network while
    /// it learns"), which follows M. Mazur's "A Step by Step Backpropagation Example".
    public static let backpropExample = Lesson(
        name: "backprop-example",
        title: "Backpropagation step by step: a 2-2-2 network learns one example",
        parameters: [
            .real("i1", 0.05, in: -10...10, "first input"),
            .real("i2", 0.10, in: -10...10, "second input"),
            .real("t1", 0.01, in: 0...1, "target of output o1"),
            .real("t2", 0.99, in: 0...1, "target of output o2"),
            .real("w1", 0.15, in: -10...10, "weight i1 → h1"),
            .real("w2", 0.20, in: -10...10, "weight i2 → h1"),
            .real("w3", 0.25, in: -10...10, "weight i1 → h2"),
            .real("w4", 0.30, in: -10...10, "weight i2 → h2"),
            .real("w5", 0.40, in: -10...10, "weight h1 → o1"),
            .real("w6", 0.45, in: -10...10, "weight h2 → o1"),
            .real("w7", 0.50, in: -10...10, "weight h1 → o2"),
            .real("w8", 0.55, in: -10...10, "weight h2 → o2"),
            .real("b1", 0.35, in: -10...10, "bias of both hidden neurons (not updated)"),
            .real("b2", 0.60, in: -10...10, "bias of both output neurons (not updated)"),
            .real("lr", 0.5, in: 0...10, "learning rate η"),
            .integer("iterations", 10000, in: 1...1_000_000, "updates in the training run"),
            .choice(
                "update", "simultaneous", among: ["simultaneous", "output-first"],
                "update order: all gradients from the old weights, or hidden ones through the new output weights"),
            .digits(9),
        ],
        build: BackpropExample.build
    ).regimes([
        Regime("lr=0", "a zero learning rate: no weight moves, the error stays where it was"),
        Regime(
            ["lr=10", "i1=10", "i2=-5", "w1=0.5", "w2=2", "w3=-1", "w4=-2", "w5=2", "w6=-2", "w7=0.5", "w8=-2"],
            "a step too large for large inputs: the first update raises the error"),
        Regime(
            ["t1=0.5", "t2=0.5", "w5=0", "w6=0", "w7=0", "w8=0", "b2=0"],
            "the targets met from the start: no gradient, nothing moves"),
        Regime(
            "update=output-first", "the other update order: the hidden gradients flow through the new output weights"),
        Regime(["t1=0.99", "t2=0.01", "iterations=3"], "targets far from the outputs and a short run"),
    ]).weighting([
        // The two gradients the notes work through to the end, each a chain of three factors.
        "dE_total/dw5": 2, "dE_total/dw1": 2,
    ]).slips([
        Slip(
            ["update=output-first"],
            "the other update order: the hidden weights' gradients taken through the already-updated output weights")
    ]).varying(
        [
            Variation("i1", 0.05...0.95, step: 0.05), Variation("i2", 0.05...0.95, step: 0.05),
            Variation("t1", 0.01...0.99, step: 0.01), Variation("t2", 0.01...0.99, step: 0.01),
        ]
            + (1...8).map { Variation("w\($0)", -0.9...0.9, step: 0.05) }
            + [Variation("b1", 0.05...0.95, step: 0.05), Variation("b2", 0.05...0.95, step: 0.05)],
        soundWhen: BackpropExample.isSound)
}

/// The 2-2-2 network's nodes for one forward pass, labeled `net_h1`, `out_o1`, … plus a suffix
/// (or not at all, with a nil suffix: a training loop has no reader for the names).
struct TwoTwoTwo {
    let net_h1, out_h1, net_h2, out_h2, net_o1, out_o1, net_o2, out_o2, E_o1, E_o2, E_total: Value

    /// `w` holds w1…w8 at indices 1…8.
    init(i1: Value, i2: Value, t1: Value, t2: Value, w: [Value], b1: Value, b2: Value, suffix: String? = "") {
        func named(_ v: Value, _ label: String) -> Value { suffix.map { v.labeled(label + $0) } ?? v }
        net_h1 = named(w[1] * i1 + w[2] * i2 + b1, "net_h1")
        out_h1 = named(net_h1.sigmoid(), "out_h1")
        net_h2 = named(w[3] * i1 + w[4] * i2 + b1, "net_h2")
        out_h2 = named(net_h2.sigmoid(), "out_h2")
        net_o1 = named(w[5] * out_h1 + w[6] * out_h2 + b2, "net_o1")
        out_o1 = named(net_o1.sigmoid(), "out_o1")
        net_o2 = named(w[7] * out_h1 + w[8] * out_h2 + b2, "net_o2")
        out_o2 = named(net_o2.sigmoid(), "out_o2")
        E_o1 = named(0.5 * (t1 - out_o1).pow(2), "E_o1")  // E = ½(target − output)²
        E_o2 = named(0.5 * (t2 - out_o2).pow(2), "E_o2")
        E_total = named(E_o1 + E_o2, "E_total")
    }
}

extension BackpropExample {
    /// A sound exercise: no output saturated (σ′ = out(1 − out) ≥ 0.0475, so no gradient prints
    /// as 0.000) and each output at least 0.05 from its target (the error has something to teach).
    @Sendable static func isSound(_ p: Parameters) -> Bool {
        let tape = Tape()
        let leaf = { (name: String) in tape.input(p[name], name) }
        let net = TwoTwoTwo(
            i1: leaf("i1"), i2: leaf("i2"), t1: leaf("t1"), t2: leaf("t2"),
            w: [leaf("w1")] + (1...8).map { leaf("w\($0)") },
            b1: leaf("b1"), b2: leaf("b2"), suffix: nil)
        let outputs = [net.out_h1, net.out_h2, net.out_o1, net.out_o2].map(\.value)
        return outputs.allSatisfy { (0.05...0.95).contains($0) } && abs(p["t1"] - net.out_o1.value) >= 0.05
            && abs(p["t2"] - net.out_o2.value) >= 0.05
    }
}

/// In which order one round of training updates the weights (the `update` parameter).
///
///     UpdateOrder(rawValue: "output-first")   // .outputFirst
///     Training(p, iterations: 1, order: .simultaneous)
public enum UpdateOrder: String, Sendable {
    /// Every gradient from the old weights (the notes' text and Mazur's weights).
    case simultaneous
    /// w5…w8 first; the hidden gradients then flow back through the new output weights.
    case outputFirst = "output-first"
}

/// A training run in bounded memory, whatever its length: E_total and the outputs after the
/// rounds a page shows (0, 1, 10, 100, …, the last and the one before it), and the loss curve
/// decimated to about 300 evenly spaced points, with the run's lowest and highest E_total kept.
///
///     let run = Training(parameters, iterations: 10000, order: .simultaneous)
///     run.error(after: 10000)   // 3.5101877829…e-05
public struct Training: Sendable {
    public struct State: Sendable { public var error, o1, o2: Double }
    /// The state after each kept round.
    public private(set) var kept: [Int: State] = [:]
    /// (update, E_total) points in update order, for the plot.
    public private(set) var curve: [(x: Double, y: Double)] = []
    /// w1…w8 (at 1…8) after the first update.
    public private(set) var firstUpdate: [Double] = []

    public func error(after round: Int) -> Double? { kept[round]?.error }
    public func outputs(after round: Int) -> (o1: Double, o2: Double)? { kept[round].map { ($0.o1, $0.o2) } }

    /// Gradient descent on one example, one reused tape: each round records the forward pass,
    /// backpropagates, and updates w1…w8 (biases stay, as in the notes).
    public init(_ p: Parameters, iterations: Int, order: UpdateOrder) {
        let tape = Tape()
        var w = [0] + (1...8).map { p["w\($0)"] }
        let (lr, i1, i2, t1, t2, b1, b2) = (p["lr"], p["i1"], p["i2"], p["t1"], p["t2"], p["b1"], p["b2"])
        // The rounds to keep and to sample, each in increasing order and passed by a cursor, so a
        // round costs one comparison for each rather than a hash.
        let keep = Array(Set(BackpropExample.checkpoints(iterations) + [max(0, iterations - 1)])).sorted()
        let samples = min(iterations, 300)
        let sampled = Array(
            Set((0...samples).map { Int((Double($0) * Double(iterations) / Double(max(samples, 1))).rounded()) })
        ).sorted()
        var (nextKept, nextSampled) = (0, 0)
        var (lowest, highest) = ((round: 0, error: Double.infinity), (round: 0, error: -Double.infinity))
        var leaves = [Value]()
        leaves.reserveCapacity(w.count)
        for round in 0...iterations {
            tape.clear()
            leaves.removeAll(keepingCapacity: true)
            for weight in w { leaves.append(tape.input(weight)) }
            let net = TwoTwoTwo(
                i1: tape.input(i1), i2: tape.input(i2), t1: tape.input(t1), t2: tape.input(t2),
                w: leaves, b1: tape.input(b1), b2: tape.input(b2), suffix: nil)
            let error = net.E_total.value
            if nextKept < keep.count && keep[nextKept] == round {
                kept[round] = State(error: error, o1: net.out_o1.value, o2: net.out_o2.value)
                nextKept += 1
            }
            if nextSampled < sampled.count && sampled[nextSampled] == round {
                curve.append((Double(round), error))
                nextSampled += 1
            }
            if error < lowest.error { lowest = (round, error) }
            if error > highest.error { highest = (round, error) }
            if round == iterations { break }
            tape.backward(from: net.E_total)
            for k in 5...8 { w[k] -= lr * leaves[k].gradient }
            if order == .outputFirst {
                for k in 5...8 { tape.assign(w[k], to: leaves[k]) }
                tape.backward(from: net.E_total)
            }
            for k in 1...4 { w[k] -= lr * leaves[k].gradient }
            if round == 0 { firstUpdate = w }
        }
        // A bump between samples would vanish from the plot: its extremes join the curve.
        for extreme in [lowest, highest] where !sampled.contains(extreme.round) {
            curve.append((Double(extreme.round), extreme.error))
        }
        curve.sort { $0.x < $1.x }
    }
}

enum BackpropExample {
    static func build(_ p: Parameters) -> LessonResult {
        let order = UpdateOrder(rawValue: p.choice("update"))!
        let tape = Tape()
        let i1 = tape.input(p["i1"], "i1")
        let i2 = tape.input(p["i2"], "i2")
        let t1 = tape.input(p["t1"], "t1")
        let t2 = tape.input(p["t2"], "t2")
        let w = [tape.constant(0)] + (1...8).map { tape.input(p["w\($0)"], "w\($0)") }
        let b1 = tape.input(p["b1"], "b1")
        let b2 = tape.input(p["b2"], "b2")
        let lr = tape.input(p["lr"], "lr")

        // Forward pass and error, then one backward pass fills every gradient.
        let net = TwoTwoTwo(i1: i1, i2: i2, t1: t1, t2: t2, w: w, b1: b1, b2: b2)
        tape.backward(from: net.E_total)

        // w⁺ = w − η·∂E_total/∂w, recorded on the tape so the report can show it.
        var gradient = w
        var plus = w
        func update(_ k: Int, from source: Tape) {
            gradient[k] = tape.input(w[k].on(source).gradient, "dE_total/dw\(k)")
            plus[k] = (w[k] - lr * gradient[k]).labeled("w\(k)+")
        }
        for k in 5...8 { update(k, from: tape) }
        // Hidden weights: through the old output weights, or (output-first) through a copy of
        // the tape whose output weights already hold their new values.
        let back = order == .simultaneous ? tape : tape.copy()
        if order == .outputFirst {
            for k in 5...8 {
                back.assign(plus[k].value, to: w[k].on(back))
                back.setLabel("w\(k)+", of: w[k].id)
            }
            back.backward(from: net.E_total.on(back))
        }
        for k in 1...4 { update(k, from: back) }

        let after = TwoTwoTwo(i1: i1, i2: i2, t1: t1, t2: t2, w: plus, b1: b1, b2: b2, suffix: "+")
        after.E_total.labeled("E_total_after_update")

        // The notes' other output loss (002): the cross-entropy of each sigmoid output, on the
        // same forward pass, recorded after everything above so that no earlier node moves.
        func crossEntropyOf(_ out: Value, _ t: Value, _ label: String) -> Value {
            let hit: Value = t * out.log()
            let miss: Value = (1.0 - t) * (1.0 - out).log()
            return (-(hit + miss)).labeled(label)
        }
        let crossEntropy = [crossEntropyOf(net.out_o1, t1, "L_o1"), crossEntropyOf(net.out_o2, t2, "L_o2")]
        let L = (crossEntropy[0] + crossEntropy[1]).labeled("L_CE")
        let deltaCE = tape.derivative(of: L, withRespectTo: net.net_o1)

        let iterations = p.integer("iterations")
        let training = Training(p, iterations: iterations, order: order)
        let curve = training.curve
        let last = training.kept[iterations]!

        var values = ExportedValues(tape)
        values["dL_CE/dnet_o1"] = .number(deltaCE)
        values["E_total_after_training"] = .number(last.error)
        values["out_o1_after_training"] = .number(last.o1)
        values["out_o2_after_training"] = .number(last.o2)
        values["curve_update"] = .array(curve.map(\.x))
        values["curve_E_total"] = .array(curve.map(\.y))

        let n = Notation(
            tape: tape, format: NumberFormat(significantDigits: p.integer("digits")),
            symbols: ["lr": "η", "E_total_after_update": MathName.text(for: "E_total+")])
        let h = Notation(tape: back, format: n.format, symbols: n.symbols)
        let (out_h1, out_h2) = (net.out_h1, net.out_h2)
        let hiddenPath = [
            1: (out_h1, net.net_h1), 2: (out_h1, net.net_h1), 3: (out_h2, net.net_h2), 4: (out_h2, net.net_h2),
        ]
        let outputPath = [
            5: (net.out_o1, net.net_o1), 6: (net.out_o1, net.net_o1), 7: (net.out_o2, net.net_o2),
            8: (net.out_o2, net.net_o2),
        ]

        let report = Report(
            title: "Backpropagation, step by step",
            subtitle:
                "A 2-2-2 network learns one example. Every number below was computed by the engine; none was typed.",
            lesson: Lesson.backpropExample.name,
            source:
                """
                Notes \(CourseNotes.cite("001")) (“Let’s follow a network while it \
                learns”), after M. Mazur, “A Step by Step Backpropagation Example”
                """
        ) {
            Section("The network and its numbers") {
                """
                Two inputs, two hidden neurons and two output neurons, each neuron squashing its input with the \
                logistic function σ(x) = 1/(1 + e^{−x}). We train the network on a single example: the inputs \
                \(n.name(i1)) = \(n.value(i1)) and \(n.name(i2)) = \(n.value(i2)) should give the targets \
                \(n.name(t1)) = \(n.value(t1)) and \(n.name(t2)) = \(n.value(t2)). Both hidden neurons share the \
                bias \(n.name(b1)), both output neurons the bias \(n.name(b2)); as in the notes, the biases are \
                not updated.
                """
                Figure(
                    "The network with its initial weights. Dashed arrows carry the biases.",
                    network: diagram(n, i: [i1, i2], w: w, b: [b1, b2], t: [t1, t2]))
                n.parameterTable(
                    p,
                    "The network’s numbers; the run’s other settings are " + settings(p, except: tape)
                        + ".")
            }
            Section("The forward pass") {
                """
                Each neuron adds up its weighted inputs and its bias (the notes call this in_{h1}; \
                we follow Mazur and write net_{h1}), then passes the sum through σ to get its output.
                """
                n.step(net.net_h1, "Net input of the first hidden neuron")
                n.step(net.out_h1, "Its output, σ(net_{h1}) = 1/(1 + e^{−net_{h1}})")
                n.step(net.net_h2, "The same for the second hidden neuron")
                n.step(net.out_h2)
                "The hidden outputs are the inputs of the output layer."
                n.step(net.net_o1, "Net input of the first output neuron")
                n.step(net.out_o1)
                n.step(net.net_o2, "And of the second")
                n.step(net.out_o2)
                """
                The engine recorded each of these numbers, and the error of the next section, as a computation graph. \
                Leaves (square corners) are the inputs and weights; each green box is a number worked out above:
                """
                Figure(
                    """
                    The forward pass as the engine recorded it, down to \
                    the total error E_{total}; each box shows a value.
                    """,
                    graph: n.graph(of: net.E_total))
            }
            Section("The error") {
                """
                The error of each output is half its squared distance from the target, E = ½(target − output)²; the \
                total error is their sum. The ½ is there to cancel the 2 that the derivative of the square brings down.
                """
                n.step(net.E_o1, "Error of the first output")
                n.step(net.E_o2, "Error of the second output")
                n.step(net.E_total, "Total error")
            }
            Section("Backward pass: the output layer") {
                if let saturation = n.saturationNote() { saturation }
                Section("The gradient for w_5") {
                    """
                    How much does a change in \(n.name(w[5])) change the total error? \(n.name(w[5])) acts on \
                    \(n.name(net.E_total)) only through \(n.name(net.net_o1)) and then \(n.name(net.out_o1)), so the \
                    chain rule splits the question into three small ones: \(n.partial(net.E_total, w[5])) = \
                    \(n.partial(net.E_total, net.out_o1)) × \(n.partial(net.out_o1, net.net_o1)) × \
                    \(n.partial(net.net_o1, w[5])).
                    """
                    n.derivative(
                        of: net.E_total, withRespectTo: net.out_o1,
                        "How the total error changes with the output: only E_{o1} depends on out_{o1}")
                    n.derivative(
                        of: net.out_o1, withRespectTo: net.net_o1,
                        "How the output changes with its net input: σ′ = σ(1 − σ)")
                    n.derivative(of: net.net_o1, withRespectTo: w[5], "How the net input changes with the weight")
                    n.chain([net.E_total, net.out_o1, net.net_o1, w[5]], "All together")
                    deltaRule(n, net, w5: w[5])
                    """
                    The backward pass puts ∂E_{total}/∂x under every node x of the graph. The chain rule above \
                    follows the highlighted route from E_{total} back to w_5, and its result is the number under w_5:
                    """
                    Figure(
                        """
                        The backward pass: gradients flow from E_{total} back \
                        to every weight; the chain rule for w_5 is highlighted.
                        """,
                        graph: n.graph(
                            of: net.E_total, view: .backward, highlighting: [net.E_total, net.out_o1, net.net_o1, w[5]])
                    )
                    n.step(plus[5], "A gradient-descent step with learning rate η (the notes write λ)")
                }
                Section("The other output weights") {
                    "w_6, w_7 and w_8 go the same way, each through the output neuron it feeds."
                    for k in 6...8 {
                        n.chain([net.E_total, outputPath[k]!.0, outputPath[k]!.1, w[k]])
                        n.step(plus[k])
                    }
                }
                Section("A cross-entropy output: δ = a − y") {
                    crossEntropyDelta(
                        n, net, crossEntropy, L, squared: n.tape.derivative(of: net.E_total, withRespectTo: net.net_o1))
                }
            }
            Section("Backward pass: the hidden layer") {
                Section("The gradient for w_1") {
                    """
                    The chain for \(n.name(w[1])) passes through \(n.name(out_h1)), which feeds both \
                    outputs. Its gradient therefore collects a share from each: \(n.partial(net.E_total, out_h1)) \
                    = \(n.partial(net.E_o1, out_h1)) + \(n.partial(net.E_o2, out_h1)).
                    """
                    if order == .outputFirst {
                        Note("Update order: output-first") {
                            """
                            With `update=output-first`, w_5 … w_8 are updated first and the hidden-layer \
                            gradients flow back through the new output weights, written with a ⁺ below.
                            """
                        }
                    }
                    h.derivative(of: net.net_o1, withRespectTo: out_h1, "How net_{o1} changes with out_{h1}")
                    h.chain([net.E_o1, net.net_o1, out_h1], "Share of the first output")
                    h.chain([net.E_o2, net.net_o2, out_h1], "Share of the second output")
                    h.sum(net.E_total, of: [net.E_o1, net.E_o2], withRespectTo: out_h1, "Both shares together")
                    h.derivative(of: out_h1, withRespectTo: net.net_h1, "Through the hidden neuron’s σ")
                    h.derivative(of: net.net_h1, withRespectTo: w[1], "Down to the weight")
                    h.chain([net.E_total, out_h1, net.net_h1, w[1]], "All together")
                    n.step(plus[1], "The step")
                }
                Section("The other hidden weights") {
                    """
                    w_2 shares out_{h1} with w_1; w_3 and w_4 pass through \
                    out_{h2}, whose gradient again sums both outputs.
                    """
                    h.sum(net.E_total, of: [net.E_o1, net.E_o2], withRespectTo: out_h2)
                    for k in 2...4 {
                        h.chain([net.E_total, hiddenPath[k]!.0, hiddenPath[k]!.1, w[k]])
                        n.step(plus[k])
                    }
                }
            }
            Section("After one update") {
                Table(
                    "Every weight before and after the update (\(order.rawValue) order).",
                    columns: [
                        .init("weight"), .init("old", alignment: .trailing),
                        .init("∂E_{total}/∂w", alignment: .trailing), .init("new", alignment: .trailing),
                    ],
                    rows: (1...8).map { k in [n.name(w[k]), n.value(w[k]), n.value(gradient[k]), n.value(plus[k])] })
                Figure(
                    """
                    The network after one update. Each weight that changed is \
                    drawn in blue, with an arrow saying which way it moved.
                    """,
                    network: diagram(n, i: [i1, i2], w: w, b: [b1, b2], t: [t1, t2], updated: plus))
                "The same example through the updated network:"
                n.step(after.out_o1)
                n.step(after.out_o2)
                n.step(after.E_total, "Total error after one update")
                switch Change(from: net.E_total.value, to: after.E_total.value, printedAs: n.format) {
                case .rose:
                    "One step of gradient descent "
                        + n.change(of: "the total error", from: net.E_total.value, to: after.E_total.value)
                        + ": with η = \(n.value(lr)) the step overshoots the valley it was meant to descend."
                default:
                    "One step of gradient descent "
                        + n.change(of: "the total error", from: net.E_total.value, to: after.E_total.value) + "."
                }
            }
            Section("Training: \(iterations) updates") {
                """
                Repeating forward pass, backward pass and update \(iterations) \
                times (\(order.rawValue) order, learning rate η = \(n.value(lr))) 
                """
                    + progress(from: training.kept[0]!, to: last, targets: (p["t1"], p["t2"])) + ":"
                Figure(
                    "Total error E_{total} after each update, on a logarithmic scale.",
                    plot: Plot(
                        x: "updates", y: .init("E_{total}", scale: .logarithmic),
                        layers: [.line(.init("E_{total}", points: curve))]))
                Table(
                    "The network at a few points of the training run.",
                    columns: [
                        .init("updates", alignment: .trailing), .init("E_{total}", alignment: .trailing),
                        .init("out_{o1}", alignment: .trailing), .init("out_{o2}", alignment: .trailing),
                    ],
                    rows: checkpoints(iterations).map { k in
                        let state = training.kept[k]!
                        return [.plain(String(k)), n.number(state.error), n.number(state.o1), n.number(state.o2)]
                    })
                """
                After \(iterations) updates the total error is \(n.number(last.error)); the outputs are \
                \(n.number(last.o1)) (target \(n.value(t1))) and \(n.number(last.o2)) (target \(n.value(t2))).
                """
                if Errata.applies(p) { Errata.note(p, reusing: iterations == Errata.rounds ? (order, training) : nil) }
            }
        }
        return LessonResult(
            lesson: Lesson.backpropExample.name, parameters: p, report: report, values: values,
            recordings: [Recording(notation: n, output: net.E_total)])
    }

    /// Mazur's delta rule: the first two factors of the chain are the output neuron's δ, and the
    /// weight's gradient is δ times the input it carries; the bridge to BP1 and BP4 in matrix form.
    static func deltaRule(_ n: Notation, _ net: TwoTwoTwo, w5: Value) -> [Block] {
        let factors = n.chain([net.E_total, net.out_o1, net.net_o1])
        let written = n.derivative(of: net.E_total, withRespectTo: net.net_o1)
        let delta = n.tape.derivative(of: net.E_total, withRespectTo: net.net_o1)
        let cells: [any ReportContent] = [
            Paragraph(
                "Mazur names the first two factors, the error arriving at the neuron’s net input, the neuron’s δ:"),
            Step("The delta rule", lhs: "δ_{o1}", lines: [factors.rhs[0]] + written.rhs).answered("delta_o1", delta),
            Step(
                "The gradient is δ times the input the weight carries", lhs: n.partial(net.E_total, w5),
                rhs: [
                    "δ_{o1}·" + n.name(net.out_h1), n.number(delta) + " × " + n.value(net.out_h1),
                    n.number(n.tape.derivative(of: net.E_total, withRespectTo: w5)),
                ]
            )
            .answered("dE_total/dw5", n.tape.derivative(of: net.E_total, withRespectTo: w5)),
            Paragraph(
                """
                In matrix form the two output neurons’ δ are one vector, δ^{2} = (a^{2} − t) ⊙ a^{2} ⊙ (1 \
                − a^{2}) (BP1), and all four output weights’ gradients are one outer product, δ^{2}(a^{1})^{T} \
                (BP4): the lesson “Backpropagation in matrix form” works the same numbers that way.
                """
            ),
        ]
        return cells.flatMap(\.blocks)
    }

    /// 002's δ^(L) = a − y: with the cross-entropy the σ′ factor of the squared error's δ cancels.
    /// The two δ differ by exactly σ′(net_o1) = out_o1(1 − out_o1), at most ¼, which the page
    /// reads from the two numbers (a saturated output is where it matters).
    static func crossEntropyDelta(_ n: Notation, _ net: TwoTwoTwo, _ parts: [Value], _ L: Value, squared: Double)
        -> [Block]
    {
        let o = net.out_o1.value
        let slope = o * (1 - o)
        let crossEntropy = n.tape.derivative(of: L, withRespectTo: net.net_o1)
        let comparison: RichText =
            crossEntropy == 0
            ? "Both δ are 0 here: the output already meets its target, and neither loss asks it to move."
            : "The squared error’s δ_{o1} = \(n.number(squared)) is this δ times σ′(net_{o1}) = out_{o1}(1 − out_{o1}) = \(n.number(slope)), which is at most ¼: "
                + (slope < 0.01
                    ? "the output is saturated, so the squared error’s gradient has all but vanished while the cross-entropy’s still says how far the output is from its target."
                    : "the cross-entropy’s δ is \(n.number(1 / slope)) times as large, and it never fades as an output saturates.")
        let cells: [any ReportContent] = [
            // No-break spaces: the formula breaks only at its =, never inside its bracket (a word joiner keeps −[ together).
            Paragraph(
                """
                The notes (002) pair a sigmoid output with the cross-entropy L = \
                −⁠[t log a + (1 − t) log(1 − a)] rather than the squared error. On the same forward pass:
                """
            ),
            n.step(parts[0], "The cross-entropy of the first output"),
            n.step(parts[1], "And of the second"),
            n.step(L, "Their sum"),
            n.derivative(
                of: L, withRespectTo: net.net_o1,
                "δ_{o1} with the cross-entropy: σ′ cancels against the derivative of the logarithms"),
            Paragraph(comparison),
        ]
        return cells.flatMap(\.blocks)
    }

    /// Where training took the outputs, read from the first and last rounds: closer to their
    /// targets, away from them, or nowhere (η = 0).
    static func progress(from first: Training.State, to last: Training.State, targets t: (Double, Double)) -> RichText {
        let before = (abs(first.o1 - t.0), abs(first.o2 - t.1))
        let after = (abs(last.o1 - t.0), abs(last.o2 - t.1))
        switch (after.0 < before.0, after.1 < before.1) {
        case (true, true): return "brings both outputs closer to their targets"
        case (true, false):
            return "brings out_{o1} closer to its target, while out_{o2} "
                + (after.1 == before.1 ? "stays where it was" : "ends further from its own")
        case (false, true):
            return "brings out_{o2} closer to its target, while out_{o1} "
                + (after.0 == before.0 ? "stays where it was" : "ends further from its own")
        case (false, false):
            return after == before
                ? "leaves both outputs where they were" : "leaves neither output closer to its target"
        }
    }

    /// The parameters that are not numbers of the network, as `key = value`.
    static func settings(_ p: Parameters, except tape: Tape) -> RichText {
        let settings = p.all.filter { tape.node(labeled: $0.name) == nil }
        return settings.enumerated().reduce(into: RichText()) { text, setting in
            text +=
                "\(setting.offset > 0 ? ", " : "")" + .plain(setting.element.name, .mono)
                + .plain(" = \(setting.element.value)")
        }
    }

    /// 0, 1, 10, 100, … up to the last update, which is always included.
    static func checkpoints(_ iterations: Int) -> [Int] {
        var points = [0]
        var k = 1
        while k < iterations {
            points.append(k)
            k *= 10
        }
        return points + [iterations]
    }

    /// The 2-2-2 network with its weights on the arrows; given `updated` weights, those instead,
    /// each one that changed emphasized and marked ↑ or ↓.
    static func diagram(_ n: Notation, i: [Value], w: [Value], b: [Value], t: [Value], updated: [Value]? = nil)
        -> NetworkDiagram
    {
        func neuron(_ name: RichText, _ detail: RichText? = nil, _ kind: NetworkDiagram.Neuron.Kind)
            -> NetworkDiagram.Neuron
        {
            .init(name, detail: detail, kind: kind)
        }
        let layers: [[NetworkDiagram.Neuron]] = [
            [
                neuron("i_1", n.value(i[0]), .input), neuron("i_2", n.value(i[1]), .input),
                neuron("b_1", n.value(b[0]), .bias),
            ],
            [neuron("h_1", nil, .hidden), neuron("h_2", nil, .hidden), neuron("b_2", n.value(b[1]), .bias)],
            [neuron("o_1", "target \(n.value(t[0]))", .output), neuron("o_2", "target \(n.value(t[1]))", .output)],
        ]
        // w1: i1→h1, w2: i2→h1, w3: i1→h2, w4: i2→h2, w5: h1→o1, w6: h2→o1, w7: h1→o2, w8: h2→o2.
        let ends = [
            (0, 0, 1, 0), (0, 1, 1, 0), (0, 0, 1, 1), (0, 1, 1, 1), (1, 0, 2, 0), (1, 1, 2, 0), (1, 0, 2, 1),
            (1, 1, 2, 1),
        ]
        // Figures print at most 4 significant digits, as the graphs do: the steps hold the rest.
        let short = NumberFormat(significantDigits: min(n.format.significantDigits, 4))
        var connections = ends.enumerated().map { k, e in
            let (old, new) = (w[k + 1].value, updated?[k + 1].value ?? w[k + 1].value)
            let arrow = new > old ? " ↑" : new < old ? " ↓" : ""
            return NetworkDiagram.Connection(
                from: (e.0, e.1), to: (e.2, e.3),
                label: n.name(updated?[k + 1] ?? w[k + 1]) + " = " + short.rich(new) + .plain(arrow),
                emphasized: new != old)
        }
        for layer in 1...2 {
            for target in 0..<2 {
                connections.append(.init(from: (layer - 1, 2), to: (layer, target), label: RichText()))
            }
        }
        return NetworkDiagram(layers: layers, connections: connections)
    }
}
