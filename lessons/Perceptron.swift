import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// 003_d0f05d757d73cc3f.txt, "Lesson 03: Expressiveness": the perceptron with a binary
    /// threshold, NAND computed by one ("can we find some weights w_1 and w_2 and a bias b…"), why
    /// XOR cannot be, XOR from a network of NANDs ("careful, the bias is in the arrows"), and the
    /// perceptron learning rule. The notes give no weights; the defaults are Nielsen's (−2, −2, 3),
    /// from the book the notes point to.
    public static let perceptron = Lesson(
        name: "perceptron",
        title: "The perceptron: NAND with one unit, why not XOR, XOR from four NANDs, and the learning rule",
        parameters: [
            .real("w1", -2, in: -10...10, "weight of x1 in the hand-made NAND perceptron"),
            .real("w2", -2, in: -10...10, "weight of x2 in the hand-made NAND perceptron"),
            .real("b", 3, in: -10...10, "bias of the hand-made NAND perceptron"),
            .choice(
                "gate", "nand", among: Perceptron.Gate.allCases.map(\.rawValue),
                "the gate the learning rule is trained on"),
            .real("eta", 1, in: 0.001...10, "learning rate η of the perceptron rule"),
            .integer("epochs", 20, in: 1...1000, "most passes over the four inputs the rule may take"),
            .integer("bits", 4, in: 2...8, "inputs of the parity function that two layers and a deep chain compute"),
            .digits(6),
        ],
        build: Perceptron.build
    ).regimes([
        Regime("w1=1", "weights that are not NAND: the table shows the wrong rows, and the network is not XOR"),
        Regime("gate=xor", "the rule trained on XOR: it never stops making mistakes"),
        Regime(["gate=and", "epochs=1"], "one epoch only: the rule has not converged yet"),
        Regime("bits=6", "parity of six bits: the deep chain needs fewer perceptrons than two layers (20 against 33)"),
    ]).varying(
        [Variation("w1", -4...4, step: 1), Variation("w2", -4...4, step: 1), Variation("b", -4...4, step: 1)],
        soundWhen: { p in
            // Every input counts, no sum lands on the threshold itself, and the outputs are not all alike.
            let z = Perceptron.inputs.map { p["w1"] * $0.0 + p["w2"] * $0.1 + p["b"] }
            return p["w1"] != 0 && p["w2"] != 0 && !z.contains(0) && z.contains { $0 > 0 } && z.contains { $0 < 0 }
        })
}

enum Perceptron {
    /// The four inputs of a two-input gate, in truth-table order.
    static let inputs: [(Double, Double)] = [(0, 0), (0, 1), (1, 0), (1, 1)]

    enum Gate: String, CaseIterable {
        case nand, and, or, nor, xor
        func callAsFunction(_ x: (Double, Double)) -> Double {
            let (p, q) = (x.0 == 1, x.1 == 1)
            let out =
                switch self {
                case .nand: !(p && q)
                case .and: p && q
                case .or: p || q
                case .nor: !(p || q)
                case .xor: p != q
                }
            return out ? 1 : 0
        }
        var name: String { rawValue.uppercased() }
    }

    /// One perceptron on `tape`: out = step(w_1 x_1 + w_2 x_2 + b) (003's binary threshold).
    static func unit(_ x1: Value, _ x2: Value, _ w1: Value, _ w2: Value, _ b: Value, label: String? = nil) -> (
        z: Value, out: Value
    ) {
        let z = w1 * x1 + w2 * x2 + b
        let out = z.step()
        if let label {
            z.labeled("z_" + label)
            out.labeled(label)
        }
        return (z, out)
    }

    /// XOR from four NANDs: h = NAND(x₁, x₂), then u = NAND(x₁, h), v = NAND(h, x₂), and NAND(u, v).
    static func xor(_ x1: Value, _ x2: Value, _ w1: Value, _ w2: Value, _ b: Value, labeled: Bool) -> [Value] {
        let h = unit(x1, x2, w1, w2, b, label: labeled ? "h" : nil).out
        let u = unit(x1, h, w1, w2, b, label: labeled ? "u" : nil).out
        let v = unit(h, x2, w1, w2, b, label: labeled ? "v" : nil).out
        return [h, u, v, unit(u, v, w1, w2, b, label: labeled ? "xor" : nil).out]
    }

    /// The perceptron rule run over the four inputs in order, epoch after epoch, until an epoch
    /// makes no mistake: on a mistake, w ← w + η(t − out)x and b ← b + η(t − out) (each update on a tape).
    struct Training {
        private(set) var weights: [(w1: Double, w2: Double, b: Double)]
        private(set) var mistakes: [Int] = []
        var converged: Bool { mistakes.last == 0 }

        init(_ gate: Gate, eta: Double, epochs: Int) {
            weights = [(0, 0, 0)]
            let tape = Tape()
            for _ in 1...epochs {
                var (w1, w2, b) = weights.last!
                var wrong = 0
                for x in Perceptron.inputs {
                    tape.clear()
                    let t = gate(x)
                    let out = Perceptron.unit(
                        tape.input(x.0), tape.input(x.1), tape.input(w1), tape.input(w2), tape.input(b)
                    ).out
                    let step = tape.input(eta) * (tape.input(t) - out)
                    if step.value != 0 { wrong += 1 }
                    (w1, w2, b) = (
                        (tape.input(w1) + step * x.0).value, (tape.input(w2) + step * x.1).value,
                        (tape.input(b) + step).value
                    )
                }
                weights.append((w1, w2, b))
                mistakes.append(wrong)
                if wrong == 0 { break }
            }
        }
    }

    /// Where w_1 x_1 + w_2 x_2 + b = 0 crosses the square [−½, 1½]² the plots show, if it does.
    static func border(_ w1: Double, _ w2: Double, _ b: Double) -> [(x: Double, y: Double)]? {
        let (low, high) = (-0.5, 1.5)
        var ends: [(x: Double, y: Double)] = []
        for edge in [low, high] {
            if w2 != 0 {
                let y = -(w1 * edge + b) / w2
                if (low...high).contains(y) { ends.append((edge, y)) }
            }
            if w1 != 0 {
                let x = -(w2 * edge + b) / w1
                if (low...high).contains(x) { ends.append((x, edge)) }
            }
        }
        guard let first = ends.first,
            let far = ends.max(by: { hypot($0.x - first.x, $0.y - first.y) < hypot($1.x - first.x, $1.y - first.y) }),
            hypot(far.x - first.x, far.y - first.y) > 0
        else { return nil }
        return [first, far]
    }

    /// The square [−½, 1½]² the plots show.
    static let square = -0.5...1.5

    /// The four inputs coloured by a gate's truth (vermillion 1, blue 0) over `shading`, a field
    /// whose sign tells where a unit or network outputs 1 (tinted alike); a legend only where
    /// there are lines to tell apart (it would cover a corner point).
    static func plane(
        _ truth: [Double], named: String = "t", shading: Plot.Field? = nil, lines: [Plot.Layer], legend: Bool = false
    ) -> Plot {
        let points = { (value: Double) in zip(inputs, truth).filter { $0.1 == value }.map { (x: $0.0.0, y: $0.0.1) } }
        var regions: [Plot.Layer] = []
        if var field = shading {
            field.levels = [0]
            field.colors = .diverging
            let reach = field.values.map(abs).max() ?? 1
            field.colorRange = -2 * reach...2 * reach  // pale tints: the points and lines stay in front
            regions = [.contour(field)]
        }
        return Plot(
            x: .init("x_1", range: square), y: .init("x_2", range: square), equalAspect: true, height: 170,
            legend: legend,
            layers: regions + lines + [
                .scatter(.init(.plain("\(named) = 1"), points: points(1), color: 1)),
                .scatter(.init(.plain("\(named) = 0"), points: points(0), color: 0)),
            ])
    }

    static func build(_ p: Parameters) -> LessonResult {
        let format = NumberFormat(significantDigits: p.integer("digits"))
        let gate = Gate(rawValue: p.choice("gate"))!
        let tape = Tape()
        let w1 = tape.input(p["w1"], "w1")
        let w2 = tape.input(p["w2"], "w2")
        let b = tape.input(p["b"], "b")
        // The worked row, x = (1, 1): the one NAND answers 0.
        let x1 = tape.input(1, "x1")
        let x2 = tape.input(1, "x2")
        let (z, out) = unit(x1, x2, w1, w2, b)
        z.labeled("z")
        out.labeled("out")
        tape.backward(from: out)
        let flat = w1.gradient
        // The truth table and the XOR network on a second tape, row by row.
        let rows = Tape()
        let (rw1, rw2, rb) = (rows.input(p["w1"]), rows.input(p["w2"]), rows.input(p["b"]))
        let table = inputs.map { x -> (z: Double, out: Double, xor: [Double]) in
            let (a, c) = (rows.input(x.0), rows.input(x.1))
            let one = unit(a, c, rw1, rw2, rb)
            return (one.z.value, one.out.value, xor(a, c, rw1, rw2, rb, labeled: false).map(\.value))
        }
        let isNAND = zip(inputs, table).allSatisfy { Gate.nand($0) == $1.out }
        let isXOR = zip(inputs, table).allSatisfy { Gate.xor($0) == $1.xor[3] }
        // The XOR network worked for x = (1, 0) on a third tape, every unit named.
        let network = Tape()
        let (nw1, nw2, nb) = (network.input(p["w1"], "w1"), network.input(p["w2"], "w2"), network.input(p["b"], "b"))
        let worked = xor(network.input(1, "x1"), network.input(0, "x2"), nw1, nw2, nb, labeled: true)
        let training = Training(gate, eta: p["eta"], epochs: p.integer("epochs"))
        let learned = training.weights.last!

        let symbols: [String: RichText] = ["z_h": "z_h", "z_u": "z_u", "z_v": "z_v", "z_xor": "z_out", "xor": "out"]
        let n = Notation(tape: tape, format: format)
        let xn = Notation(tape: network, format: format, symbols: symbols)
        let onThreshold = table.filter { $0.z == 0 }.count
        let onLearnedBorder = inputs.filter { learned.w1 * $0.0 + learned.w2 * $0.1 + learned.b == 0 }
        let learnedOnThreshold = onLearnedBorder.count

        var values = ExportedValues(tape)
        values["dout/dw1"] = .number(flat)
        values["nand.z"] = .array(table.map(\.z))
        values["nand.out"] = .array(table.map(\.out))
        values["xor.out"] = .array(table.map { $0.xor[3] })
        values["xor.h"] = .array(table.map { $0.xor[0] })
        values["learned.w1"] = .number(learned.w1)
        values["learned.w2"] = .number(learned.w2)
        values["learned.b"] = .number(learned.b)
        values["learned.mistakes"] = .array(training.mistakes.map(Double.init))
        values.append(ExportedValues(network), prefix: "network.")
        let depth = Depth(bits: p.integer("bits"))
        values.append(depth.values, prefix: "depth.")

        func bit(_ x: Double) -> RichText { .plain(x == 1 ? "1" : "0") }
        // The declared defaults, Nielsen's NAND, named where other weights fail.
        let nand = ["w1", "w2", "b"].map { name -> Double in
            if case .real(let x) = p.declared.first(where: { $0.name == name })!.defaultValue { x } else { .nan }
        }
        let nielsen: RichText = "(" + n.number(nand[0]) + ", " + n.number(nand[1]) + ", " + n.number(nand[2]) + ")"
        let hand: RichText = "w_1 = \(n.number(p["w1"])), w_2 = \(n.number(p["w2"])), b = \(n.number(p["b"]))"
        let name = Lesson.perceptron.name
        let report = Report(
            title: "The perceptron and what it can compute",
            subtitle:
                """
                One threshold unit computes NAND but not XOR; four of them compute XOR; and a \
                simple rule finds the weights. Every number below was computed by the engine.
                """,
            lesson: name,
            source:
                """
                Notes \(CourseNotes.cite("003")) (Lesson 03: Expressiveness, “Single Layer Perceptrons are not \
                complete”, “Now I can compute XOR”); weights after Nielsen, Neural Networks and Deep Learning, ch. 1
                """
        ) {
            Section("The perceptron") {
                """
                The perceptron adds up its weighted inputs and a bias and compares \
                the sum with 0, “a discrete activation: the binary threshold” (003):
                """
                Step(
                    lhs: "out", rhs: ["step(Σ_{i} w_i x_i + b)", "1 if Σ_{i} w_i x_i + b ≥ 0, else 0"], hasResult: false
                )
                """
                “The bias is to set the position of the threshold.” Where the sum is exactly 0 is the \
                border: in the plane of two inputs a line, with output 1 on one side and 0 on the other.
                """
                n.settingsTable(p, "Every setting of this run.")
            }
            Section("NAND with one perceptron", exercise: true) {
                """
                “Can we find some weights w_1 and w_2 and a bias b” that compute \
                NAND, 1 unless both inputs are 1? Try \(hand). For x = (1, 1):
                """
                n.step(z)
                n.step(out)
                Table(
                    "The perceptron with \(hand) on every input, against NAND.",
                    columns: [
                        .init("x_1", alignment: .trailing), .init("x_2", alignment: .trailing),
                        .init("z = w_1 x_1 + w_2 x_2 + b", alignment: .trailing),
                        .init("out", alignment: .trailing), .init("NAND", alignment: .trailing),
                    ],
                    rows: zip(inputs, table).map { x, row in
                        [bit(x.0), bit(x.1), n.number(row.z), bit(row.out), bit(Gate.nand(x))]
                    })
                if isNAND {
                    """
                    All four agree: this perceptron computes NAND. The border w_1 x_1 \
                    + w_2 x_2 + b = 0 separates (1, 1) from the other three inputs:
                    """
                } else {
                    let wrong = zip(inputs, table).filter { Gate.nand($0) != $1.out }.map {
                        "(\(format.plain($0.0.0)), \(format.plain($0.0.1)))"
                    }
                    """
                    These weights do not compute NAND: the output is wrong \
                    for \(wrong.joined(separator: ", ")). Nielsen’s weights 
                    """
                        + nielsen + " do; the border below shows where this line falls instead:"
                }
                Figure(
                    """
                    The four inputs, vermillion where the perceptron outputs 1 and blue \
                    where it outputs 0, and its border w_1 x_1 + w_2 x_2 + b = 0 between \
                    the half-planes it gives 1 (tinted vermillion) and 0 (blue).
                    """,
                    plot: plane(
                        table.map(\.out), named: "out",
                        shading: Plot.Field(x: square, y: square, samples: 41) { p["w1"] * $0 + p["w2"] * $1 + p["b"] },
                        lines: border(p["w1"], p["w2"], p["b"]).map { [.line(.init("border", points: $0, color: 6))] }
                            ?? []))
                """
                The threshold is flat on both sides of 0, so no small change of a weight changes \
                the output: the engine’s backward pass gives ∂out/∂w_1 = \(n.number(flat)). Gradient \
                descent gets nothing to follow, which is why perceptrons learn by their own rule \
                (the last section) and why later networks use smooth activations such as σ.
                """
                if onThreshold == 0 {
                    Note("“≥ 0” or “> 0”", kind: .errata) {
                        "003 writes the threshold as “1 if Σ w_i x_i + b ≥ 0” and the NAND condition with a b′ it never defines (read it as b). Nielsen’s book, where these weights come from, outputs 1 only for a sum > 0. With these weights no sum is exactly 0 (the smallest |z| is \(n.number(table.map { abs($0.z) }.min()!))), so both conventions give the same table\(learnedOnThreshold > 0 && training.converged ? "; the learned weights in the last section are another story" : "")."
                    }
                }
            }
            Section("XOR is not linearly separable") {
                """
                XOR is 1 when exactly one input is 1. “In this case I cannot see a way to separate red and green \
                points with a straight line” (003), and there is none: a perceptron for XOR would need all four of \
                these:
                """
                Table(
                    "What each input asks of a perceptron that computes XOR.",
                    columns: [
                        .init("x_1", alignment: .trailing), .init("x_2", alignment: .trailing),
                        .init("XOR", alignment: .trailing), .init("needs"),
                    ],
                    rows: [
                        ["0", "0", "0", "b < 0"], ["1", "0", "1", "w_1 + b ≥ 0"], ["0", "1", "1", "w_2 + b ≥ 0"],
                        ["1", "1", "0", "w_1 + w_2 + b < 0"],
                    ])
                """
                Adding the middle two gives w_1 + w_2 + 2b ≥ 0, so w_1 + w_2 + b ≥ −b > 0 \
                by the first, against the last. “Single Layer Perceptrons are not complete.”
                """
            }
            Section("XOR from four NANDs") {
                """
                NAND is logically complete: every boolean function is a composition of NANDs (003), so a \
                network of NAND perceptrons computes XOR. With h = NAND(x_1, x_2), XOR(x_1, x_2) = NAND(NAND(x_1, \
                h), NAND(h, x_2)); every unit has the same weights, “careful, the bias is in the arrows”:
                """
                Figure(
                    "XOR from four NAND perceptrons. "
                        + (p["w1"] == p["w2"]
                            ? "Every arrow carries the weight \(n.number(p["w1"]))"
                            : "The upper arrow into each unit carries \(n.number(p["w1"])), the lower \(n.number(p["w2"]))")
                        + ", every unit the bias \(n.number(p["b"])).",
                    network: diagram(p, format))
                "For x = (1, 0), unit by unit:"
                for node in worked {
                    xn.step(network.node(labeled: "z_" + (network.label(of: node.id) ?? ""))!)
                    xn.step(node)
                }
                Table(
                    "The NAND network on every input, against XOR.",
                    columns: [
                        .init("x_1", alignment: .trailing), .init("x_2", alignment: .trailing),
                        .init("h", alignment: .trailing),
                        .init("u", alignment: .trailing), .init("v", alignment: .trailing),
                        .init("out", alignment: .trailing),
                        .init("XOR", alignment: .trailing),
                    ],
                    rows: zip(inputs, table).map { x, row in
                        [bit(x.0), bit(x.1)] + row.xor.map(bit) + [bit(Gate.xor(x))]
                    })
                Figure(
                    """
                    What the network outputs anywhere in the plane, tinted vermillion where \
                    it gives 1 and blue where 0, with XOR’s four inputs (vermillion 1, blue 0)
                    """
                        + (isXOR
                            ? ": where it gives 1 is bounded by lines from the units that read the inputs (h, u and v), and holds both 1s and neither 0: a region no single border can cut out."
                            : "."),
                    plot: plane(inputs.map { Gate.xor($0) }, shading: xorRegion(p), lines: []))
                isXOR
                    ? "The network computes XOR: two layers of perceptrons do what one cannot."
                    : "With these weights the units are not NANDs, and the network does not compute XOR (compare the last two columns); Nielsen’s weights "
                        + nielsen + " make it work."
            }
            Section("Two layers suffice; depth still helps") {
                depth.cells(format)
            }
            Section("The perceptron learning rule") {
                """
                The weights need not be guessed. Start from w_1 = w_2 = b = 0 and show the perceptron each \
                input in turn; whenever its output is wrong, move the weights towards the target t, w_i ← w_i \
                + η(t − out)x_i and b ← b + η(t − out), with η = \(n.number(p["eta"])). Trained on \(gate.name):
                """
                Table(
                    "The weights after each pass over the four inputs, and the mistakes made during it.",
                    columns: [
                        .init("epoch", alignment: .trailing), .init("mistakes", alignment: .trailing),
                        .init("w_1", alignment: .trailing),
                        .init("w_2", alignment: .trailing), .init("b", alignment: .trailing),
                    ],
                    rows: training.mistakes.indices.map { k in
                        let w = training.weights[k + 1]
                        return [
                            .plain("\(k + 1)"), .plain("\(training.mistakes[k])"), n.number(w.w1), n.number(w.w2),
                            n.number(w.b),
                        ]
                    })
                if training.converged {
                    """
                    After \(training.mistakes.count - 1) epoch\(training.mistakes.count == 2 ? "" : "s") with \
                    mistakes, epoch \(training.mistakes.count) makes none: w_1 = \(n.number(learned.w1)), w_2 \
                    = \(n.number(learned.w2)), b = \(n.number(learned.b)) compute \(gate.name). Where the gate \
                    is linearly separable, the rule is guaranteed to stop (Rosenblatt’s convergence theorem).
                    """
                } else if gate == .xor {
                    """
                    After \(training.mistakes.count) epochs the rule still makes \(training.mistakes.last!) \
                    mistake\(training.mistakes.last! == 1 ? "" : "s") an epoch, and it never \
                    stops: no weights compute XOR, as the previous sections showed.
                    """
                } else {
                    """
                    After \(training.mistakes.count) epoch\(training.mistakes.count == 1 ? "" : "s") \
                    it still makes \(training.mistakes.last!) mistake\(training.mistakes.last! == 1 ? "" : "s"): \
                    given more epochs it stops, since \(gate.name) is linearly separable.
                    """
                }
                // The epochs that changed the weights (a clean last epoch repeats its predecessor), at most six.
                let changed = Array(1...(training.converged ? training.mistakes.count - 1 : training.mistakes.count))
                let shown = Array(changed.suffix(6))
                let crossing = shown.filter {
                    border(training.weights[$0].w1, training.weights[$0].w2, training.weights[$0].b) != nil
                }
                if !shown.isEmpty {
                    Figure(
                        "The border after each epoch that changed the weights\(shown.count < changed.count ? " (the last \(shown.count))" : "")\(crossing.count < shown.count ? ", where it crosses the square" : ""), over \(gate.name)’s targets; the last solid.",
                        plot: plane(
                            inputs.map { gate($0) },
                            lines: shown.enumerated().compactMap { k, epoch in
                                let w = training.weights[epoch]
                                let last = epoch == shown.last
                                return border(w.w1, w.w2, w.b).map {
                                    .line(
                                        .init(
                                            .plain("epoch \(epoch)"), points: $0,
                                            color: last ? 6 : [5, 3, 4, 2, 7][k % 5], dashed: !last))
                                }
                            }, legend: true))
                }
                if training.converged && learnedOnThreshold > 0 {
                    """
                    The learned border passes through \
                    \(onLearnedBorder.map { "(\(Int($0.0)), \(Int($0.1)))" }.joined(separator: " and ")), \
                    \(learnedOnThreshold == 1 ? "an input itself" : "inputs themselves"): there the sum is exactly \
                    0 and 003’s “≥ 0” gives 1. With Nielsen’s “> 0” these weights would get \
                    \(learnedOnThreshold == 1 ? "that input" : "those inputs") wrong and the rule would go on.
                    """
                }
            }
        }
        return LessonResult(
            lesson: name, parameters: p, report: report, values: values,
            recordings: [Recording(notation: n, output: out), Recording(notation: xn, output: worked[3])])
    }

    /// The NAND network's output at every point of the square (inputs between 0 and 1 too), less ½:
    /// positive where it gives 1. Sampled finely, since the output jumps.
    static func xorRegion(_ p: Parameters) -> Plot.Field {
        let tape = Tape()
        return Plot.Field(x: square, y: square, samples: 121) { a, c in
            tape.clear()
            return xor(
                tape.input(a), tape.input(c), tape.input(p["w1"]), tape.input(p["w2"]), tape.input(p["b"]),
                labeled: false)[3].value - 0.5
        }
    }

    /// Inputs, h, the two middle NANDs and the output, each arrow with its weight.
    static func diagram(_ p: Parameters, _ format: NumberFormat) -> NetworkDiagram {
        let bias = "b = " + format.rich(p["b"])
        let layers: [[NetworkDiagram.Neuron]] = [
            [.init("x_1", kind: .input), .init("x_2", kind: .input)],
            [.init("h", detail: bias)],
            [.init("u", detail: bias), .init("v", detail: bias)],
            [.init("out", detail: bias, kind: .output)],
        ]
        let (a, c) = (format.rich(p["w1"]), format.rich(p["w2"]))
        return NetworkDiagram(
            layers: layers,
            connections: [
                .init(from: (0, 0), to: (1, 0), label: a), .init(from: (0, 1), to: (1, 0), label: c),
                .init(from: (0, 0), to: (2, 0), label: a), .init(from: (1, 0), to: (2, 0), label: c),
                .init(from: (1, 0), to: (2, 1), label: a), .init(from: (0, 1), to: (2, 1), label: c),
                .init(from: (2, 0), to: (3, 0), label: a), .init(from: (2, 1), to: (3, 0), label: c),
            ])
    }
}
