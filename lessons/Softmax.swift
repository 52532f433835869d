import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// Softmax as 001_1d037609c44b217d.txt defines it, with 003_d0f05d757d73cc3f.txt's translation
    /// invariance, sigmoid as its two-class case, and entropy, cross-entropy and KL divergence.
    public static let softmax = Lesson(
        name: "softmax",
        title:
            """
            Softmax: probabilities from logits, stability, cross-entropy \
            and its gradient p − y, entropy and KL divergence
            """,
        parameters: [
            .vector("z", [2.0, 1.0, 0.1], length: 2...64, in: -10000...10000, "the logits, one per class"),
            .integer("class", 0, in: 0...63, "the true class, counting from 0"),
            .real("c", 10, in: -1000...1000, "the constant added to every logit to show translation invariance"),
            .real("smoothing", 0.1, in: 0...1, "label smoothing ε of the soft target q = (1 − ε)·one-hot + ε/K"),
            .digits(6),
        ],
        check: { p in
            let k = p.vector("z").count
            return p.integer("class") < k
                ? nil
                : "class=\(p.integer("class")) is not one of z's \(k) classes; class takes 0 to \(k - 1) (counting from 0)"
        },
        build: SoftmaxLesson.build
    ).regimes([
        Regime("z=1000,1001,1002", "logits beyond e^x's reach: the steps subtract the largest logit first"),
        Regime("z=-800,-801,-802", "logits so far below 0 that e^x underflows: the same cure"),
        Regime(
            ["z=50,0", "class=1"], "confident and wrong: the loss is about 50 and the push on the logits is almost ±1"),
        Regime("smoothing=0", "a one-hot target: H(q) = 0, and cross-entropy, KL and the loss are one number"),
    ])
}

enum SoftmaxLesson {
    static func build(_ p: Parameters) -> LessonResult {
        let logits = p.vector("z")
        let k = logits.count
        let target = p.integer("class")
        let shift = p["c"]
        let epsilon = p["smoothing"]
        let format = NumberFormat(significantDigits: p.integer("digits"))
        let tape = TensorTape()
        let z = tape.input(NDArray(shape: [1, k], scalars: logits), "z")
        // Straight from the definition: the stable engine operation would hide the steps.
        let largest = logits.max()!
        // The sum overflows before any one term does: k terms of e^{709} pass the largest double.
        // At the other end, once e^{max z} is below the smallest normal double every term has lost
        // digits, and below e^{−745} they are all 0: p would be 0/0.
        let overflows = largest + log(Double(k)) > log(Double.greatestFiniteMagnitude)
        let underflows = largest < log(Double.leastNormalMagnitude)
        let shifted = overflows || underflows ? (z - tape.scalar(largest, "max_z")).labeled("z_shifted") : z
        let ez = shifted.exp().labeled("ez")
        let total = ez.sum().labeled("S")
        let probabilities = (ez / total).labeled("p")
        let sum = probabilities.sum().labeled("sum")
        let stable = z.softmax().labeled("p_engine")
        let moved = tape.input(NDArray(shape: [1, k], scalars: logits.map { $0 + shift }), "z_c").softmax().labeled(
            "p_c")
        let oneHot = tape.input(NDArray(shape: [1, k], scalars: (0..<k).map { $0 == target ? 1 : 0 }), "y")
        let loss = z.crossEntropy(targets: [target]).labeled("L")
        let residual = (probabilities - oneHot).labeled("p_minus_y")
        tape.backward(from: loss)
        let gradient = tape.gradient(of: z.id)

        // Entropy, cross-entropy and KL over the support of the soft target q.
        let q = (0..<k).map { $0 == target ? 1 - epsilon + epsilon / Double(k) : epsilon / Double(k) }
        let support = (0..<k).filter { q[$0] > 0 }
        let qs = tape.input(vector: support.map { q[$0] }, "q")
        // log p from log-softmax, z − log Σ e^z: log of a p that underflows to 0 would be −∞,
        // where the true value (a large negative number) is what the sums need.
        let logSoftmax = z.logSoftmax()
        let logPs = Tensor.concatenate(support.map { logSoftmax.reshaped([k]).slice(axis: 0, $0..<($0 + 1)) }, axis: 0)
            .labeled("log_p")
        let entropy = (-(qs * qs.log()).sum()).labeled("H_q")
        let crossEntropy = (-(qs * logPs).sum()).labeled("H_qp")
        let kl = (qs * (qs.log() - logPs)).sum().labeled("KL")

        // Sigmoid as the two-class softmax: σ(z₀) = softmax([z₀, 0])₀.
        let pair = tape.input(NDArray(shape: [1, 2], scalars: [logits[0], 0]), "z2").softmax().labeled("p2")
        let sigma = tape.scalar(logits[0], "z0").sigmoid().labeled("sigma")

        // Named for what they hold: with the largest logit taken off, the terms are e^{z − max z}.
        let isShifted = overflows || underflows
        let t = TensorNotation(
            tape: tape, format: format,
            symbols: [
                "ez": isShifted ? "e^{z − max z}" : "e^{z}", "S": isShifted ? "Σ_{j} e^{z_j − max z}" : "Σ_{j} e^{z_j}",
                "p_engine": "p", "z_c": "z + c", "p_c": "softmax(z + c)", "p_minus_y": "p − y",
                "H_q": "H(q)", "H_qp": "H(q, p)", "log_p": "log p", "KL": "KL(q‖p)", "z_shifted": "z − max z",
                "max_z": "max z", "sigma": "σ(z_0)", "p2": "softmax([z_0, 0])", "z2": "[z_0, 0]",
            ])
        let n = Notation(tape: Tape(), format: format)
        let gap = zip(stable.value.scalars, moved.value.scalars).map { abs($0 - $1) }.max()!
        let engineGap = zip(stable.value.scalars, probabilities.value.scalars).map { abs($0 - $1) }.max()!
        let residualGap = zip(gradient.scalars, residual.value.scalars).map { abs($0 - $1) }.max()!
        let pVector = stable.value.scalars

        var values = ExportedValues()
        values["p"] = .array(pVector)
        values["sum"] = .number(sum.value.scalars[0])
        values["cross_entropy"] = .number(loss.value.scalars[0])
        values["dL/dz"] = .array(gradient.scalars)
        values["kl"] = .number(kl.value.scalars[0])
        values["entropy"] = .number(entropy.value.scalars[0])
        values["soft_cross_entropy"] = .number(crossEntropy.value.scalars[0])
        values["q"] = .array(q)

        let report = Report(
            title: "Softmax and cross-entropy",
            subtitle:
                """
                From logits to probabilities, why the stable form is needed, the loss of the \
                true class and its gradient p − y. Every number below was computed by the engine.
                """,
            lesson: Lesson.softmax.name,
            source:
                """
                Notes \(CourseNotes.cite("001")) (“Softmax, a generalization of the sigmoid activation”), \
                \(CourseNotes.cite("003")) (translation invariance, sigmoid and softmax, entropy, cross-entropy, KL \
                divergence)
                """
        ) {
            Section("From logits to probabilities") {
                """
                A network’s last layer gives one number per class, the logits z. Softmax turns them into \
                probabilities (001): exponentiate each, so all are positive, and divide by their sum, so they add \
                up to 1:
                """
                Step(lhs: "softmax(z)_i", rhs: ["e^{z_i}/(Σ_{j} e^{z_j})"], hasResult: false)
                t.show(z, "The logits, \(k) classes")
                if underflows {
                    """
                    The largest logit, \(n.number(largest)), is so far below 0 that e^{x} underflows in \
                    double precision (it loses digits for x below \(n.number(log(Double.leastNormalMagnitude))) \
                    and rounds to 0 below \(n.number(log(Double.leastNonzeroMagnitude) - log(2)))): every \
                    term and their sum would vanish and p would be 0/0. The steps below take the largest \
                    logit off every logit first (the next sections explain why that changes nothing):
                    """
                    t.step(shifted)
                }
                if overflows {
                    if largest > log(Double.greatestFiniteMagnitude) {
                        """
                        The largest logit, \(n.number(largest)), is beyond what e^{x} can \
                        reach in double precision, so the steps below take it off every \
                        logit first (the next sections explain why that changes nothing):
                        """
                    } else {
                        """
                        Each e^{z_i} fits in double precision, but their sum would pass the largest double, \
                        \(n.number(Double.greatestFiniteMagnitude)), so the steps below take the largest logit, \
                        \(n.number(largest)), off every logit first (the next sections explain why that changes \
                        nothing):
                        """
                    }
                    t.step(shifted)
                }
                t.step(ez, "Each exponentiated")
                t.step(total, "Their sum")
                t.step(probabilities, "Each divided by the sum")
                t.step(sum, "The probabilities add up to 1")
                Figure(
                    "The logits and the probabilities they become, class by class.",
                    panels: Panels(
                        columns: 2, sharedX: false, sharedY: false,
                        plots: [
                            Plot(
                                title: "logits z", x: "class", y: "", legend: false,
                                layers: [
                                    .bars(
                                        .init(
                                            categories: (0..<k).map { .plain("\($0)") },
                                            series: [(RichText("z"), logits)]))
                                ]),
                            Plot(
                                title: "probabilities p", x: "class", y: "", legend: false,
                                layers: [
                                    .bars(
                                        .init(
                                            categories: (0..<k).map { .plain("\($0)") },
                                            series: [(RichText("p"), pVector)]))
                                ]),
                        ]))
            }
            Section("Translation invariance and the stable form") {
                """
                Adding the same constant c to every logit multiplies every e^{z_i} and their sum by e^{c}, \
                which cancels (003: softmax is invariant to translation). With c = \(n.number(shift)):
                """
                t.step(moved)
                gap == 0
                    ? "It is softmax(z) exactly, to the last bit."
                    : "It differs from softmax(z) by at most \(n.number(gap)), rounding alone."
                """
                This is what makes softmax computable for large logits. For z = (1000, 1001, 1002), e^{1000} is about 10
                """
                    + RichText.plain("\(Int((1000 / log(10.0)).rounded(.down)))", .raised)
                    + ", far beyond the largest double, \(n.number(Double.greatestFiniteMagnitude)): the naive form would divide infinity by infinity and give not-a-number. Subtracting the largest logit first gives e^{−2}, e^{−1}, e^{0}, all tame, and by translation invariance the same answer:"
                stableTable(t, n)
                """
                The engine’s own softmax always does this. On this lesson’s \
                z it agrees with the steps above to \(n.number(engineGap)).
                """
            }
            Section("Sigmoid is the two-class softmax") {
                """
                With two classes and logits (z_0, 0), softmax gives e^{z_0}/(e^{z_0} + 1) = 1/(1 \
                + e^{−z_0}) = σ(z_0) (003): the sigmoid is softmax for a yes-or-no question.
                """
                t.step(pair)
                t.step(sigma)
            }
            Section("Cross-entropy and its gradient") {
                """
                The loss for the true class c = \(target) is minus the log of the probability given \
                to it: L = −log p_c. Written with the logits, L = −z_c + log Σ_{j} e^{z_j}, so
                """
                Step(lhs: "∂L/∂z_i", rhs: ["−[i = c] + e^{z_i}/(Σ_{j} e^{z_j})", "p_i − y_i"], hasResult: false)
                """
                with y the one-hot vector of the true class. The engine’s \
                backward pass through its fused cross-entropy gives the same:
                """
                t.show(oneHot, "The one-hot target")
                Step("The loss, from the engine", lhs: t.name(loss), lines: [t.value(loss)])
                Step("The gradient the backward pass computed", lhs: "∂L/∂z", lines: [t.value(gradient)])
                t.step(residual, "p − y from the probabilities")
                (residualGap == 0
                    ? "The two are the same numbers to the last bit." : "The two agree to \(n.number(residualGap)).")
                    + " The gradient pushes the true class’s logit up by 1 − p_c and every other logit down by its probability: the more confident and wrong the network, the larger the push."
            }
            Section("Entropy, cross-entropy and KL divergence") {
                """
                For two distributions q (the truth) and p (the prediction) over the same classes, 003 \
                defines the entropy H(q) = −Σ q log q, the cross-entropy H(q, p) = −Σ q log p, and the \
                Kullback–Leibler divergence KL(q‖p) = Σ q log(q/p), the extra cost of coding q with p. \
                They are related by H(q, p) = H(q) + KL(q‖p). Take q the one-hot target softened by label \
                smoothing ε = \(n.number(epsilon)), q = (1 − ε)·y + ε/K (terms with q = 0 count as 0):
                """
                t.show(qs, "The soft target over the classes it gives weight to")
                t.step(entropy)
                t.step(crossEntropy)
                t.step(kl)
                """
                H(q) + KL(q‖p) = \(n.number(entropy.value.scalars[0] + kl.value.scalars[0])), and H(q, p) = \
                \(n.number(crossEntropy.value.scalars[0])): they differ by \
                \(n.number(abs(entropy.value.scalars[0] + kl.value.scalars[0] - crossEntropy.value.scalars[0]))). \
                With ε = 0 the target is one-hot, H(q) = 0, and the cross-entropy, the KL divergence and the \
                loss L above are one number.
                """
            }
        }
        return LessonResult(
            lesson: Lesson.softmax.name, parameters: p, report: report, values: values,
            recordings: [Recording(notation: t, output: loss)])
    }

    /// z = (1000, 1001, 1002) through the stable form, on a tape of its own.
    static func stableTable(_ t: TensorNotation, _ n: Notation) -> Table {
        let tape = TensorTape()
        let big = tape.input(NDArray(shape: [1, 3], scalars: [1000, 1001, 1002]))
        let shiftedBig = big - 1002
        let p = shiftedBig.softmax()
        let columns: [Table.Column] = [.init("")] + (0..<3).map { .init(.plain("class \($0)"), alignment: .trailing) }
        return Table(
            "z = (1000, 1001, 1002), the stable way.", columns: columns,
            rows: [
                ["z"] + big.value.scalars.map(n.number),
                ["z − max z"] + shiftedBig.value.scalars.map(n.number),
                ["e^{z − max z}"] + shiftedBig.exp().value.scalars.map(n.number),
                ["softmax(z)"] + p.value.scalars.map(n.number),
            ])
    }
}
