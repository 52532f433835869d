import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// The 2-2-2 example of 001_1d037609c44b217d.txt again, in matrix form, with the backpropagation
    /// equations BP1–BP4 of 003_d0f05d757d73cc3f.txt, every number set against the scalar lesson's.
    public static let backpropMatrix = Lesson(
        name: "backprop-matrix",
        title: "Backpropagation in matrix form: the 2-2-2 network with BP1–BP4, every matrix shown",
        // The training run is done twice here, in matrix form and scalar by scalar: a million
        // updates took over 4 s, so the range stops at 200,000 (0.9 s; the error is flat long before).
        parameters: Lesson.backpropExample.parameters.map { parameter in
            parameter.name == "iterations"
                ? .integer("iterations", 10000, in: 1...200_000, "updates in the training run") : parameter
        } + [
            .vector(
                "ib", [0.1, 0.2], length: 2...2, in: -10...10,
                "a second example's inputs, for the batch of two with i1, i2"),
            .vector("tb", [0.2, 0.8], length: 2...2, in: 0...1, "the second example's targets"),
            .real("lambda", 0.01, in: 0...10, "the L2 weight λ of the batch's cost"),
        ],
        build: BackpropMatrix.build
    ).regimes([
        Regime(
            "update=output-first", "the other update order: the backward pass's ∂E/∂W¹ is no longer the one BP2 gives"),
        Regime("lr=0", "a zero learning rate: the update changes nothing"),
    ])
}

enum BackpropMatrix {
    /// The network in matrix form on a tensor tape: z¹ = W¹x + b¹, a¹ = σ(z¹), z² = W²a¹ + b²,
    /// a² = σ(z²), E = ½ Σ (t − a²)².
    struct Network {
        let x, t, W1, b1, W2, b2, z1, a1, z2, a2, E: Tensor

        init(_ tape: TensorTape, _ w: [Double], _ p: Parameters, named: Bool) {
            func leaf(_ rows: [[Double]], _ label: String) -> Tensor { tape.input(rows, named ? label : nil) }
            x = leaf([[p["i1"]], [p["i2"]]], "x")
            t = leaf([[p["t1"]], [p["t2"]]], "t")
            W1 = leaf([[w[1], w[2]], [w[3], w[4]]], "W1")
            b1 = leaf([[p["b1"]], [p["b1"]]], "b1")
            W2 = leaf([[w[5], w[6]], [w[7], w[8]]], "W2")
            b2 = leaf([[p["b2"]], [p["b2"]]], "b2")
            func name(_ v: Tensor, _ label: String) -> Tensor { named ? v.labeled(label) : v }
            z1 = name(W1.matmul(x) + b1, "z1")
            a1 = name(z1.sigmoid(), "a1")
            z2 = name(W2.matmul(a1) + b2, "z2")
            a2 = name(z2.sigmoid(), "a2")
            E = name(0.5 * (t - a2).pow(2).sum(), "E")
        }
    }

    static func build(_ p: Parameters) -> LessonResult {
        let order = UpdateOrder(rawValue: p.choice("update"))!
        let lr = p["lr"]
        let w = [0] + (1...8).map { p["w\($0)"] }
        let tape = TensorTape()
        let net = Network(tape, w, p, named: true)
        // BP1–BP4 written out on the tape, so every δ is a matrix the report can show.
        let eta = tape.scalar(lr, "lr")
        let delta2 = ((net.a2 - net.t) * net.a2 * (1.0 - net.a2)).labeled("delta2")  // BP1: ∇ₐE ⊙ σ′(z²)
        let W2new = (net.W2 - eta * delta2.matmul(net.a1.transposed)).labeled("W2+")
        let carrier = order == .outputFirst ? W2new : net.W2
        let delta1 = (carrier.transposed.matmul(delta2) * net.a1 * (1.0 - net.a1)).labeled("delta1")  // BP2
        let dW2 = delta2.matmul(net.a1.transposed).labeled("dE/dW2")  // BP4, l = 2
        let dW1 = delta1.matmul(net.x.transposed).labeled("dE/dW1")  // BP4, l = 1
        let W1new = (net.W1 - eta * dW1).labeled("W1+")
        tape.backward(from: net.E)

        // The scalar lesson's numbers, from its own tape.
        let scalar = ScalarReference(p, order: order)
        let iterations = p.integer("iterations")
        let trainedE = trainMatrix(w, p, order: order, iterations: iterations)
        let scalarTraining = Training(p, iterations: iterations, order: order)
        let comparisons: [(RichText, [Double], [Double])] = [
            ("z^{1}", net.z1.value.scalars, [scalar.net.net_h1.value, scalar.net.net_h2.value]),
            ("a^{1}", net.a1.value.scalars, [scalar.net.out_h1.value, scalar.net.out_h2.value]),
            ("z^{2}", net.z2.value.scalars, [scalar.net.net_o1.value, scalar.net.net_o2.value]),
            ("a^{2}", net.a2.value.scalars, [scalar.net.out_o1.value, scalar.net.out_o2.value]),
            ("E", net.E.value.scalars, [scalar.net.E_total.value]),
            ("∂E/∂W^{2} (BP4)", dW2.value.scalars, (5...8).map { scalar.gradient[$0] }),
            ("∂E/∂W^{1} (BP4)", dW1.value.scalars, (1...4).map { scalar.gradient[$0] }),
            ("∂E/∂W^{2} (backward pass)", net.W2.gradient.scalars, (5...8).map { scalar.gradient[$0] }),
            ("W^{2+}", W2new.value.scalars, (5...8).map { scalar.updated[$0] }),
            ("W^{1+}", W1new.value.scalars, (1...4).map { scalar.updated[$0] }),
            ("E after \(iterations) updates", [trainedE], [scalarTraining.error(after: iterations)!]),
        ]
        let largest = comparisons.flatMap { zip($0.1, $0.2).map { abs($0 - $1) } }.max()!

        var values = ExportedValues()
        for (label, id) in tape.labeledNodes { values[label] = .array(tape.value(of: id).scalars) }
        values["dE/db2"] = .array(delta2.value.scalars)
        values["dE/db1"] = .array(delta1.value.scalars)
        values["E_after_training"] = .number(trainedE)
        values["largest_difference"] = .number(largest)

        // A batch of two examples as the columns of X, a cross-entropy output and an L2 term: 002's
        // algorithm, δ^L = a − y, Δ = Σ δ aᵀ over the examples, D = Δ/m + λW, against the backward pass of J.
        let batchTape = TensorTape()
        let X = batchTape.input([[p["i1"], p.vector("ib")[0]], [p["i2"], p.vector("ib")[1]]], "X")
        let T = batchTape.input([[p["t1"], p.vector("tb")[0]], [p["t2"], p.vector("tb")[1]]], "Y")
        let bW1 = batchTape.input([[w[1], w[2]], [w[3], w[4]]], "W1")
        let bW2 = batchTape.input([[w[5], w[6]], [w[7], w[8]]], "W2")
        let bb1 = batchTape.input([[p["b1"]], [p["b1"]]], "b1")
        let bb2 = batchTape.input([[p["b2"]], [p["b2"]]], "b2")
        let lambda = batchTape.scalar(p["lambda"], "lambda")
        let examples = batchTape.scalar(2, "m")
        let A1 = (bW1.matmul(X) + bb1).sigmoid().labeled("A1")
        let A2 = (bW2.matmul(A1) + bb2).sigmoid().labeled("A2")
        let crossEntropy = -(T * A2.log() + (1.0 - T) * (1.0 - A2).log()).sum()
        let J = (crossEntropy / examples + 0.5 * lambda * (bW1.pow(2).sum() + bW2.pow(2).sum())).labeled("J")
        let deltaOut = (A2 - T).labeled("delta")
        let accumulated = deltaOut.matmul(A1.transposed).labeled("Delta2")
        let averaged = (accumulated / examples).labeled("Delta2/m")
        let D2 = (averaged + lambda * bW2).labeled("D2")
        batchTape.backward(from: J)
        let batchGap = zip(D2.value.scalars, bW2.gradient.scalars).map { abs($0 - $1) }.max()!
        for (label, id) in batchTape.labeledNodes { values["batch." + label] = .array(batchTape.value(of: id).scalars) }
        values["batch.dJ/dW2"] = .array(bW2.gradient.scalars)
        let b = TensorNotation(
            tape: batchTape, format: NumberFormat(significantDigits: p.integer("digits")),
            symbols: [
                "X": "X", "Y": "Y", "W1": "W^{1}", "W2": "W^{2}", "b1": "b^{1}", "b2": "b^{2}", "A1": "A^{1}",
                "A2": "A^{2}",
                "lambda": "λ", "m": "m", "delta": "δ^{2}", "Delta2": "Δ^{2}", "Delta2/m": "Δ^{2}/m", "D2": "D^{2}",
                "J": "J",
            ])

        let t = TensorNotation(
            tape: tape, format: NumberFormat(significantDigits: p.integer("digits")),
            symbols: [
                "lr": "η", "W1": "W^{1}", "W2": "W^{2}", "b1": "b^{1}", "b2": "b^{2}", "z1": "z^{1}", "z2": "z^{2}",
                "a1": "a^{1}", "a2": "a^{2}", "delta1": "δ^{1}", "delta2": "δ^{2}", "W1+": "W^{1+}", "W2+": "W^{2+}",
                "dE/dW1": "∂E/∂W^{1}", "dE/dW2": "∂E/∂W^{2}", "dE/db1": "∂E/∂b^{1}", "dE/db2": "∂E/∂b^{2}",
            ])
        let n = Notation(tape: Tape(), format: t.format)
        let report = Report(
            title: "Backpropagation in matrix form",
            subtitle:
                """
                The 2-2-2 network of “Backpropagation, step by step” again, one layer at a time: \
                every weight, activation and δ a matrix, every number from the tensor engine.
                """,
            lesson: Lesson.backpropMatrix.name,
            source:
                """
                Notes \(CourseNotes.cite("003")) (“the backpropagation \
                equations BP1–BP4”), the network of \(CourseNotes.cite("001"))
                """
        ) {
            Section("The network as matrices") {
                """
                Stacking each layer’s weights into a matrix, one row per neuron it feeds, turns the eight weighted \
                sums of the scalar lesson into two matrix products. W^{1} holds w_1 … w_4 (row h_1: w_1, w_2), \
                W^{2} holds w_5 … w_8 (row o_1: w_5, w_6); the input x, the target t and the biases are columns:
                """
                t.show(net.x)
                t.show(net.t)
                t.show(net.W1)
                t.show(net.b1)
                t.show(net.W2)
                t.show(net.b2)
            }
            Section("The forward pass") {
                t.step(net.z1, "The hidden layer’s weighted sums")
                t.step(net.a1, "Its outputs, σ element by element")
                t.step(net.z2, "The output layer’s weighted sums")
                t.step(net.a2)
                t.step(net.E, "The error, summed over the outputs")
            }
            Section("The backward pass: BP1–BP4") {
                """
                003 gives backpropagation as four equations. With δ^{l} = \
                ∂E/∂z^{l}, the error that arrives at layer l’s weighted sums:
                """
                Step(lhs: "BP1", rhs: ["δ^{L} = ∇_{a}E ⊙ σ′(z^{L})"], hasResult: false)
                Step(lhs: "BP2", rhs: ["δ^{l} = ((W^{l+1})^{T} δ^{l+1}) ⊙ σ′(z^{l})"], hasResult: false)
                Step(lhs: "BP3", rhs: ["∂E/∂b^{l} = δ^{l}"], hasResult: false)
                Step(lhs: "BP4", rhs: ["∂E/∂W^{l} = δ^{l} (a^{l−1})^{T}"], hasResult: false)
                "For E = ½Σ(t − a)^{2}, ∇_{a}E = a − t, and σ′(z) = σ(z)(1 − σ(z)) = a(1 − a):"
                t.step(
                    delta2, "BP1 at the output layer: the δ vector of the scalar lesson’s delta rule, δ_{o1} and δ_{o2}"
                )
                t.step(dW2, "BP4: the output weights’ gradient, an outer product")
                Step(
                    "BP3: the biases’ gradient is δ itself", lhs: "∂E/∂b^{2}",
                    lines: [MathLine(t.name(delta2)), t.value(delta2)]
                )
                .answered("dE/db2", rows: t.tape.value(of: delta2.id).rows)
                if order == .outputFirst {
                    """
                    With `update=output-first` the hidden layer’s δ is carried back \
                    through the new output weights W^{2+} = W^{2} − η ∂E/∂W^{2}:
                    """
                    t.step(W2new)
                }
                t.step(delta1, "BP2: δ carried back through the output weights, times σ′ of the hidden layer")
                t.step(dW1, "BP4 at the hidden layer")
                Step("BP3", lhs: "∂E/∂b^{1}", lines: [MathLine(t.name(delta1)), t.value(delta1)])
                    .answered("dE/db1", rows: t.tape.value(of: delta1.id).rows)
                // The backward pass uses the weights E was computed with: output-first's δ^{1} does not.
                let hiddenGap = zip(dW1.value.scalars, net.W1.gradient.scalars).map { abs($0 - $1) }.max()!
                if hiddenGap <= rounding(dW1.value.scalars) {
                    "The engine’s own backward pass through E gives the same matrices:"
                } else {
                    """
                    The engine’s own backward pass through E differentiates the error as it was computed, with \
                    the old output weights: its ∂E/∂W^{2} is the one above, but its ∂E/∂W^{1} is the simultaneous \
                    rule’s, which differs from the output-first one above by up to \(n.number(hiddenGap)):
                    """
                }
                Step("∂E/∂W^{2} from the backward pass", lhs: "∂E/∂W^{2}", lines: [t.gradient(net.W2)])
                Step("∂E/∂W^{1} from the backward pass", lhs: "∂E/∂W^{1}", lines: [t.gradient(net.W1)])
            }
            Section("The update") {
                if lr == 0 {
                    "With learning rate η = 0 the step W ← W − η ∂E/∂W leaves every weight where it was:"
                } else {
                    """
                    Gradient descent with learning rate η = \(n.number(lr)) moves every weight at once, W ← W − η ∂E/∂W:
                    """
                }
                if order == .simultaneous { t.step(W2new) }
                t.step(W1new)
            }
            Section("A batch, a cross-entropy output and the L2 term") {
                """
                002 gives the algorithm for many examples with a cross-entropy output: each example’s error at the \
                output is δ^{(L)} = a^{(L)} − y, the σ′ of BP1 cancelled by the loss’s 1/(a(1 − a)); Δ^{(l)} \
                accumulates a_{j}δ_{i} over the examples; D^{(l)} = Δ^{(l)}/m + λΘ^{(l)} on the weights (not the \
                biases) is the gradient. Two examples as the columns of X, the notes’ one and a second, with their \
                targets in Y:
                """
                b.show(X)
                b.show(T)
                b.step(A2, "The outputs for both examples, one column each")
                // Written as a rule with its value: substituted, its four matrices would not fit a line.
                Step(
                    "The cost: the cross-entropy averaged over the m = 2 examples, plus λ/2 times the weights’ squares",
                    lhs: "J",
                    lines: [
                        "−1/m Σ (Y ⊙ log A^{2} + (1 − Y) ⊙ log(1 − A^{2})) + λ/2 (Σ (W^{1})^{2} + Σ (W^{2})^{2})",
                        b.value(J),
                    ])
                b.step(deltaOut, "δ at the output, for each example (column): a − y")
                b.step(accumulated, "Δ: the product with A^{1 T} adds a_{j}δ_{i} over the examples")
                b.step(averaged, "The average over the m examples")
                b.step(D2, "D: the average plus the L2 term")
                Step("The engine’s backward pass of J", lhs: "∂J/∂W^{2}", lines: [b.gradient(bW2)])
                Paragraph(
                    batchGap <= rounding(D2.value.scalars)
                        ? "The algorithm’s D^{2} and the backward pass of J agree to \(n.number(batchGap)): accumulating δaᵀ per example and averaging is differentiating the averaged cost."
                        : "The algorithm’s D^{2} and the backward pass of J differ by up to \(n.number(batchGap)).")
            }
            Section("The same numbers as the scalar lesson") {
                """
                Every quantity above, set beside those of “Backpropagation, step by step”, computed there one scalar \
                at a time on the scalar tape (the training run compares the error after \(iterations) updates of both):
                """
                Table(
                    "The matrix form against the scalar form, entry by entry (matrices read row by row).",
                    columns: [
                        .init("quantity"), .init("entry", alignment: .trailing),
                        .init("matrix form", alignment: .trailing),
                        .init("scalar form", alignment: .trailing), .init("difference", alignment: .trailing),
                    ],
                    rows: comparisons.flatMap { name, matrix, scalar in
                        zip(matrix, scalar).enumerated().map { k, pair in
                            [
                                k == 0 ? name : "", .plain(matrix.count > 1 ? "\(k + 1)" : ""), n.number(pair.0),
                                n.number(pair.1), n.number(abs(pair.0 - pair.1)),
                            ]
                        }
                    })
                if largest <= rounding(comparisons.flatMap(\.1)) {
                    """
                    The largest difference anywhere is \(n.number(largest)), \
                    rounding in the last bits: the same arithmetic in another order.
                    """
                } else {
                    """
                    The largest difference is \(n.number(largest)), more \
                    than rounding can explain: the two forms disagree.
                    """
                }
            }
        }
        return LessonResult(
            lesson: Lesson.backpropMatrix.name, parameters: p, report: report, values: values,
            recordings: [Recording(notation: t, output: net.E)])
    }

    /// What rounding can leave between two orders of the same arithmetic on these numbers: a few
    /// hundred units in the last place of the largest (a long training run adds up to ~10⁴ roundings).
    static func rounding(_ values: [Double]) -> Double {
        256 * (values.map(abs).max() ?? 0).ulp.magnitude + 1e-300
    }

    /// backprop-example's forward pass, gradients and one update, on the scalar tape.
    struct ScalarReference {
        /// Kept with `net`, whose values read it.
        let tape: Tape
        let net: TwoTwoTwo
        let gradient: [Double]
        let updated: [Double]

        init(_ p: Parameters, order: UpdateOrder) {
            let tape = Tape()
            self.tape = tape
            let leaves = [tape.constant(0)] + (1...8).map { tape.input(p["w\($0)"]) }
            net = TwoTwoTwo(
                i1: tape.input(p["i1"]), i2: tape.input(p["i2"]), t1: tape.input(p["t1"]), t2: tape.input(p["t2"]),
                w: leaves, b1: tape.input(p["b1"]), b2: tape.input(p["b2"]), suffix: nil)
            tape.backward(from: net.E_total)
            var g = leaves.map(\.gradient)
            var next = leaves.map(\.value)
            for k in 5...8 { next[k] -= p["lr"] * g[k] }
            if order == .outputFirst {
                for k in 5...8 { tape.assign(next[k], to: leaves[k]) }
                tape.backward(from: net.E_total)
                for k in 1...4 { g[k] = leaves[k].gradient }
            }
            for k in 1...4 { next[k] -= p["lr"] * g[k] }
            gradient = g
            updated = next
        }
    }

    /// E after `iterations` updates, trained in matrix form on one reused tensor tape.
    static func trainMatrix(_ start: [Double], _ p: Parameters, order: UpdateOrder, iterations: Int) -> Double {
        let tape = TensorTape()
        var w = start
        for round in 0...iterations {
            tape.clear()
            let net = Network(tape, w, p, named: false)
            if round == iterations { return net.E.value.scalars[0] }
            let delta2 = (net.a2 - net.t) * net.a2 * (1.0 - net.a2)
            let dW2 = delta2.matmul(net.a1.transposed).value.scalars
            var outputs = net.W2.value.scalars
            for k in 0..<4 { outputs[k] -= p["lr"] * dW2[k] }
            let carrier = order == .outputFirst ? tape.input(NDArray(shape: [2, 2], scalars: outputs)) : net.W2
            let delta1 = carrier.transposed.matmul(delta2) * net.a1 * (1.0 - net.a1)
            let dW1 = delta1.matmul(net.x.transposed).value.scalars
            for k in 0..<4 {
                w[k + 1] -= p["lr"] * dW1[k]
                w[k + 5] = outputs[k]
            }
        }
        return .nan
    }
}
