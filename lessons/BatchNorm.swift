import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// 000_0f8c2b341468a259.txt's batch normalisation ("compute the Z-score … then Ẑ = γZ_norm + β")
    /// and its advantages (faster training, a higher learning rate), with 004's list of
    /// regularisers; the backward pass checked against Ioffe & Szegedy's (2015) formula.
    public static let batchNorm = Lesson(
        name: "batch-norm",
        title:
            "Batch normalisation: a mini-batch normalised by hand, its backward pass, and training with and without it",
        parameters: [
            .vector(
                "z", [4, 8, 6, 2], length: 2...12, in: -100...100,
                "one unit's values z^(i) over the mini-batch, comma-separated"),
            .vector(
                "t", [0, 2, 2, -1], length: 2...12, in: -100...100,
                "the targets of the worked loss L = ½ Σ (ẑ^(i) − t^(i))², one per example"),
            .real("gamma", 2, in: -10...10, "the scale γ"),
            .real("beta", 0.5, in: -10...10, "the shift β"),
            .real(
                "eps", 1e-5, in: 0...1,
                "ε under the square root, which keeps the division defined when every z is equal"),
            .vector(
                "lr", [0.1, 0.5, 2], length: 1...4, in: 0.001...10,
                "learning rates of the training comparison, comma-separated"),
            .integer("epochs", 150, in: 1...500, "full-batch gradient-descent steps in the training comparison"),
            .integer("seed", 1, in: 0...1_000_000_000, "seed of the training data and of the initial weights"),
            .real("ztest", 7, in: -100...100, "a value of the unit at test time, normalised with the running averages"),
            .real(
                "momentum", 0.1, in: 0...1,
                "the running averages' momentum m: each batch moves them m of the way to its own statistics"),
            .digits(6),
        ],
        check: { p in
            p.vector("t").count == p.vector("z").count
                ? nil
                : "t has \(p.vector("t").count) entries and z \(p.vector("z").count): give one target per example (--set t=…)"
        },
        build: BatchNorm.build
    ).regimes([
        Regime(["z=5,5,5,5"], "every value the same: σ² = 0, and ε alone keeps the z-scores defined (all 0)"),
        Regime("eps=1", "an ε as large as the spread: the z-scores no longer have unit variance"),
        Regime(["lr=0.001"], "one tiny rate: a single rate cannot test the notes' \"higher learning rate\""),
        Regime(["epochs=1"], "a single step: the comparison rests on the first step alone"),
    ])
}

enum BatchNorm {
    /// Ioffe & Szegedy's ∂L/∂z from ∂L/∂ẑ, written out: with g = ∂L/∂ẑ,
    /// ∂L/∂z_i = γ/(N√(σ² + ε)) · (N g_i − Σ_j g_j − ẑnorm_i Σ_j g_j znorm_j).
    static func paperGradient(_ g: [Double], normalized: [Double], gamma: Double, variance: Double, epsilon: Double)
        -> [Double]
    {
        let n = Double(g.count)
        let sum = g.reduce(0, +)
        let weighted = zip(g, normalized).map(*).reduce(0, +)
        return zip(g, normalized).map { gi, xi in
            gamma / (n * (variance + epsilon).squareRoot()) * (n * gi - sum - xi * weighted)
        }
    }

    /// The comparison's network and data: layer sizes, and points on the two circles.
    static let sizes = [2, 8, 8, 2], points = 128

    /// A tanh network of `sizes` on two circles, trained by full-batch gradient descent, with or
    /// without batch normalisation before each activation: the loss after every step.
    static func training(batchNormalised: Bool, lr: Double, epochs: Int, seed: Int) -> [Double] {
        let data = DecisionBoundary.DataSet("circles", count: points, noise: 0.1, seed: seed)
        var random = SeededGenerator(seed: UInt64(seed) &+ 0xBA7C)
        var network = DenseNetwork(sizes: sizes, activation: .tanh, random: &random)
        let hidden = Array(sizes.dropFirst().dropLast())
        var scales = hidden.map { [Double](repeating: 1, count: $0) }
        var shifts = hidden.map { [Double](repeating: 0, count: $0) }
        let tape = TensorTape()
        let x = NDArray(data.points)
        var losses: [Double] = []
        for epoch in 0...epochs {
            tape.clear()
            var h = tape.input(x)
            var weights: [Tensor] = []
            var normalisers: [Tensor] = []
            for k in 0..<(sizes.count - 1) {
                let (W, b) = (tape.input(network.weights[k]), tape.input(network.biases[k]))
                weights += [W, b]
                h = h.matmul(W) + b
                guard k < sizes.count - 2 else { break }
                if batchNormalised {
                    let (gamma, beta) = (tape.input(vector: scales[k]), tape.input(vector: shifts[k]))
                    normalisers += [gamma, beta]
                    h = h.batchNormalized(gamma: gamma, beta: beta)
                }
                h = h.tanh()
            }
            let loss = h.crossEntropy(targets: data.labels)
            losses.append(loss.value.scalars[0])
            guard epoch < epochs, loss.value.scalars[0].isFinite, loss.value.scalars[0] <= Descent.divergence else {
                break
            }
            tape.backward(from: loss)
            network.parameters = zip(network.parameters, weights).map { w, t in
                NDArray(shape: w.shape, scalars: zip(w.scalars, t.gradient.scalars).map { $0 - lr * $1 })
            }
            for k in 0..<normalisers.count / 2 {
                scales[k] = zip(scales[k], normalisers[2 * k].gradient.scalars).map { $0 - lr * $1 }
                shifts[k] = zip(shifts[k], normalisers[2 * k + 1].gradient.scalars).map { $0 - lr * $1 }
            }
        }
        return losses
    }

    static func build(_ p: Parameters) -> LessonResult {
        let format = NumberFormat(significantDigits: p.integer("digits"))
        let values = p.vector("z")
        let targets = p.vector("t")
        let count = values.count
        let tape = Tape()
        let z = values.indices.map { tape.input(values[$0], "z_\($0 + 1)") }
        let t = targets.indices.map { tape.input(targets[$0], "t_\($0 + 1)") }
        let gamma = tape.input(p["gamma"], "gamma")
        let beta = tape.input(p["beta"], "beta")
        let epsilon = tape.input(p["eps"], "epsilon")
        // 000: "compute the Z-score", then Ẑ = γ Z_norm + β.
        let mu = (z.dropFirst().reduce(z[0], +) / Double(count)).labeled("mu")
        let deviations = z.map { ($0 - mu).pow(2) }
        let variance = (deviations.dropFirst().reduce(deviations[0], +) / Double(count)).labeled("sigma2")
        let spread = (variance + epsilon).squareRoot().labeled("sd")
        let normalized = z.indices.map { ((z[$0] - mu) / spread).labeled("znorm_\($0 + 1)") }
        let scaled = z.indices.map { (gamma * normalized[$0] + beta).labeled("zhat_\($0 + 1)") }
        let squares = z.indices.map { (scaled[$0] - t[$0]).pow(2) }
        let loss = (0.5 * squares.dropFirst().reduce(squares[0], +)).labeled("L")
        tape.backward(from: loss)
        let upstream = scaled.indices.map { scaled[$0].value - targets[$0] }
        let paper = paperGradient(
            upstream, normalized: normalized.map(\.value), gamma: gamma.value, variance: variance.value,
            epsilon: epsilon.value)
        let gradients = z.map(\.gradient)
        let largestGap = zip(gradients, paper).map { abs($0 - $1) }.max()!
        let gradientSum = gradients.reduce(0, +)
        let weightedSum = zip(gradients, normalized.map(\.value)).map(*).reduce(0, +)

        // At test time: running averages, moved from their start (0 and 1) by this batch, as
        // PyTorch's BatchNorm1d keeps them (the variance unbiased, N/(N − 1)); a test value through them.
        let momentum = tape.input(p["momentum"], "momentum")
        let (muStart, varianceStart) = (tape.input(0, "mu_run_start"), tape.input(1, "var_run_start"))
        let batchSize = tape.input(Double(count), "N")
        let unbiased = (variance * batchSize / (batchSize - 1.0)).labeled("sigma2_unbiased")
        let muRun = ((1.0 - momentum) * muStart + momentum * mu).labeled("mu_run")
        let varianceRun = ((1.0 - momentum) * varianceStart + momentum * unbiased).labeled("var_run")
        let zTest = tape.input(p["ztest"], "z_test")
        let testOutput = (gamma * (zTest - muRun) / (varianceRun + epsilon).squareRoot() + beta).labeled("zhat_test")
        let batchOutput = (gamma * (zTest - mu) / spread + beta).labeled("zhat_test_batch")
        // Batches until the start's weight (1 − m)^k is below 1%.
        let batchesToForget: Int? =
            p["momentum"] >= 1 ? 1 : p["momentum"] <= 0 ? nil : Int((log(0.01) / log(1 - p["momentum"])).rounded(.up))

        var symbols: [String: RichText] = [
            "mu": "μ", "sigma2": "σ^{2}", "sd": "√(σ^{2} + ε)", "gamma": "γ", "beta": "β", "epsilon": "ε",
            "momentum": "m", "mu_run_start": "μ_{run}^{start}", "var_run_start": "σ_{run}^{2, start}",
            "sigma2_unbiased": "s^{2}", "mu_run": "μ_{run}", "var_run": "σ_{run}^{2}", "z_test": "z_{test}",
            "zhat_test": "ẑ_{test}", "zhat_test_batch": "ẑ_{test}^{batch}",
        ]
        for i in 1...count {
            symbols["znorm_\(i)"] = "z_{norm}^{(\(i))}"
            symbols["zhat_\(i)"] = "ẑ^{(\(i))}"
            symbols["z_\(i)"] = "z^{(\(i))}"
            symbols["t_\(i)"] = "t^{(\(i))}"
        }
        let n = Notation(tape: tape, format: format, symbols: symbols)

        let rates = p.vector("lr")
        let epochs = p.integer("epochs")
        let seed = p.integer("seed")
        let runs = [false, true].map { on in
            rates.map { training(batchNormalised: on, lr: $0, epochs: epochs, seed: seed) }
        }
        let checkpoint = min(50, epochs)

        var exported = ExportedValues(tape)
        for i in 0..<count { exported["dL/dz_\(i + 1)"] = .number(gradients[i]) }
        exported["dL/dgamma"] = .number(gamma.gradient)
        exported["dL/dbeta"] = .number(beta.gradient)
        exported["paper.dL/dz"] = .array(paper)
        for (key, group) in zip(["plain", "batchnorm"], runs) {
            for (rate, losses) in zip(rates, group) {
                exported["\(key).lr\(ParameterValue.real(rate).description).loss"] = .array(losses)
            }
        }

        func lossPlot(_ title: RichText, _ group: [[Double]]) -> Plot {
            Plot(
                title: title, x: "epoch", y: .init("loss", scale: .logarithmic),
                layers: zip(rates, group).enumerated().map { k, pair in
                    .line(
                        .init(
                            "λ = \(n.number(pair.0))",
                            points: pair.1.enumerated().map { (Double($0.offset), $0.element) }, color: k))
                })
        }
        func ending(_ losses: [Double]) -> RichText {
            losses.count < epochs + 1 ? "diverged at \(losses.count - 1)" : n.number(losses.last!)
        }
        let zero = { (x: Double) -> RichText in abs(x) < 1e-12 ? "0" : n.number(x) }

        let name = Lesson.batchNorm.name
        let report = Report(
            title: "Batch normalisation",
            subtitle:
                """
                One unit’s values over a mini-batch turned into z-scores, rescaled by γ and \
                shifted by β; the gradient back through the batch statistics; and a network \
                trained with and without it. Every number below was computed by the engine.
                """,
            lesson: name,
            source:
                """
                Notes \(CourseNotes.cite("000")) (“Batch Normalization”, the Z-score, Ẑ = γZ_norm + \
                β, “allows to set a higher learning rate”), \(CourseNotes.cite("004")) (Batch \
                Normalization among the regularisers); the backward formula from Ioffe & Szegedy (2015)
                """
        ) {
            Section("The mini-batch") {
                """
                Batch normalisation is “an extension of feature scaling” applied inside the \
                network, to “the z’s that enter activation functions” (000). For one hidden \
                unit, take its values z^{(1)}, …, z^{(\(count))} over a mini-batch of \(count) \
                examples; every unit is normalised the same way, each with its own (β, γ) couple.
                """
                n.settingsTable(p, "Every setting of this run.")
            }
            Section("Forward: the z-score, then γ and β") {
                """
                First the mini-batch’s mean and variance (the variance divides by N = \(count), the batch’s own spread):
                """
                n.step(mu)
                n.step(variance)
                """
                Then each value as a z-score. ε = \(n.number(p["eps"])) keeps \
                the division defined when every value in the batch is the same:
                """
                n.step(spread)
                for v in normalized { n.step(v) }
                (variance.value == 0
                    ? "Every value in this batch is the same, so σ^{2} = 0 and every z-score is 0: ε keeps the division defined, and the batch tells the layer nothing but its mean."
                    : "The z-scores have mean 0 and variance \(n.number(variance.value / (variance.value + epsilon.value)))"
                        + (epsilon.value < 1e-3 * variance.value
                            ? " (1 but for ε)."
                            : ", well below 1: ε = \(n.number(epsilon.value)) is not small beside σ^{2} = \(n.number(variance.value))."))
                    + " “Instead of feeding the hidden units directly Z_norm” (000), the layer passes Ẑ = γZ_norm + β, with γ and β learned like weights, “allowing to give the normalized values whatever the mean or range you want”:"
                for v in scaled { n.step(v) }
                Figure(
                    "The mini-batch before and after: z, its z-scores, and γZ_norm + β.",
                    plot: Plot(
                        x: "example", y: "value",
                        layers: [("z", values), ("z_norm", normalized.map(\.value)), ("ẑ", scaled.map(\.value))]
                            .enumerated().map { k, series in
                                .line(
                                    .init(
                                        RichText(series.0),
                                        points: series.1.enumerated().map { (Double($0.offset + 1), $0.element) },
                                        color: k))
                            }))
            }
            Section("Backward through the batch") {
                "Say the layer’s outputs should have been t = ("
                    + targets.map(n.number).dropFirst().reduce(n.number(targets[0])) { $0 + ", " + $1 }
                    + "), with the loss"
                n.step(loss)
                """
                Each z^{(i)} reaches the loss three ways: through its own z-score, through \
                the mean μ and through the variance σ^{2}, which every example shares. The \
                engine’s backward pass follows all of them; the learnable γ and β get
                """
                n.derivative(of: loss, withRespectTo: gamma)
                n.derivative(of: loss, withRespectTo: beta)
                """
                Ioffe and Szegedy wrote the gradient with respect to the inputs in one formula, \
                with g_i = ∂L/∂ẑ^{(i)}: ∂L/∂z^{(i)} = γ/(N√(σ^{2} + ε)) · (N g_i − Σ_j g_j − \
                z_{norm}^{(i)} Σ_j g_j z_{norm}^{(j)}). The backward pass and the formula 
                """
                    + (largestGap <= 1e-12 * max(1, gradients.map(abs).max()!)
                        ? "agree:" : "differ, by up to \(n.number(largestGap)):")
                Table(
                    """
                    ∂L/∂z from the engine’s backward pass and from Ioffe and Szegedy’s \
                    formula; the largest difference is \(n.number(largestGap)).
                    """,
                    columns: [
                        .init("i", alignment: .trailing), .init("z^{(i)}", alignment: .trailing),
                        .init("g_i = ∂L/∂ẑ^{(i)}", alignment: .trailing),
                        .init("∂L/∂z^{(i)}, backward pass", alignment: .trailing),
                        .init("formula", alignment: .trailing),
                    ],
                    rows: (0..<count).map { i in
                        [
                            .plain("\(i + 1)"), n.number(values[i]), n.number(upstream[i]), n.number(gradients[i]),
                            n.number(paper[i]),
                        ]
                    })
                """
                The gradients add up to \(zero(gradientSum)): moving every z by the same amount leaves \
                the normalised batch as it was, so the loss cannot change in that direction, and a \
                bias in front of batch normalisation does nothing (β takes its place). They are also 
                """
                    + (abs(weightedSum) < 1e-12
                        ? "orthogonal to the z-scores, Σ_i ∂L/∂z^{(i)} z_{norm}^{(i)} = 0: stretching every z about the mean changes nothing either."
                        : "all but orthogonal to the z-scores, Σ_i ∂L/∂z^{(i)} z_{norm}^{(i)} = \(n.number(weightedSum)): stretching every z about the mean would change nothing if ε were 0; with ε it changes the z-scores a little.")
            }
            Section("At test time") {
                """
                A trained network meets one example at a time: there is no batch to take a mean of, and an \
                example’s output must not depend on which others share its batch. So during training each layer \
                also keeps running averages of μ and σ^{2}, each batch moving them m = \(n.value(momentum)) of \
                the way to its own statistics (the variance taken unbiased, over N − 1, as PyTorch keeps it); \
                at test time those fixed averages normalise every example. From their start, this batch moves them to
                """
                n.step(unbiased, "The batch’s variance over N − 1")
                n.step(muRun, "The running mean after this batch")
                n.step(varianceRun, "The running variance after this batch")
                (batchesToForget.map { k in
                    """
                    After one batch the running mean keeps (1 − m) = \(n.number(1 - p["momentum"])) \
                    of its start; after k batches (1 − m)^{k}, below 1% from k = \(k) on
                    """
                        + (k == 1
                            ? ": with m = 1 the running averages are the last batch’s own."
                            : ", so over a training run of many batches they settle on the typical batch’s statistics.")
                }
                    ?? "With m = 0 the running averages never move from their start, 0 and 1: at test time the layer would not normalise at all.")
                """
                A value of the unit at test time, z_{test} = \(n.value(zTest)), through \
                the running averages, and through this batch’s statistics instead:
                """
                n.step(testOutput)
                n.step(batchOutput)
                Paragraph(
                    abs(testOutput.value - batchOutput.value) <= 1e-9 * max(1, abs(batchOutput.value))
                        ? "The two agree: the running averages are this batch’s statistics here."
                        : "The two differ by \(n.number(abs(testOutput.value - batchOutput.value))): "
                            + (p["momentum"] >= 1
                                ? "with m = 1 the running mean is this batch’s, and they differ only through the variance, the running one taken over N − 1 and the batch’s over N."
                                : p["momentum"] <= 0
                                    ? "with m = 0 the running averages are still their start, 0 and 1."
                                    : "after one batch the running averages keep \(n.number(1 - p["momentum"]).plainText) of their start, 0 and 1.")
                            + " After training the running averages are fixed, and every test example gets the same normalisation, whatever batch it comes in."
                )
            }
            Section("Training with and without it") {
                """
                “Faster training” and a “higher learning rate” (000) are claims to test. The same \
                \(sizes.map(String.init).joined(separator: "–")) tanh network (the same initial weights, \
                seed \(seed)) learns \(points) points on the two circles of the lesson “A network learns \
                a decision boundary” by full-batch gradient descent, once plain and once with batch \
                normalisation before each activation, at \(rates.count) learning rate\(rates.count == 1 ? "" : "s"):
                """
                Figure(
                    "The cross-entropy after each step, without and with batch normalisation.",
                    panels: Panels(
                        columns: 2, sharedX: true, sharedY: true,
                        plots: [lossPlot("plain", runs[0]), lossPlot("batch-normalised", runs[1])]))
                Table(
                    "The loss after \(checkpoint) and after \(epochs) steps.",
                    columns: [
                        .init("λ", alignment: .trailing), .init("plain, step \(checkpoint)", alignment: .trailing),
                        .init("plain, end", alignment: .trailing),
                        .init("normalised, step \(checkpoint)", alignment: .trailing),
                        .init("normalised, end", alignment: .trailing),
                    ],
                    rows: rates.indices.map { k in
                        [
                            n.number(rates[k]), runs[0][k].count > checkpoint ? n.number(runs[0][k][checkpoint]) : "—",
                            ending(runs[0][k]),
                            runs[1][k].count > checkpoint ? n.number(runs[1][k][checkpoint]) : "—", ending(runs[1][k]),
                        ]
                    })
                let faster = rates.indices.filter { k in
                    runs[1][k].count > checkpoint
                        && (runs[0][k].count <= checkpoint || runs[1][k][checkpoint] < runs[0][k][checkpoint])
                }.count
                let diverged = rates.indices.filter { runs[1][$0].count < epochs + 1 }.count
                """
                With batch normalisation the loss after \(checkpoint) step\(checkpoint == 1 ? "" : "s") \
                is lower at \(faster) of the \(rates.count) learning rate\(rates.count == 1 ? "" : "s")
                """
                    + (diverged > 0 ? ", and it diverges at \(diverged) of them. " : ". ")
                    + (faster == rates.count && diverged == 0
                        ? "Normalising keeps every unit’s input centred and of unit spread whatever the weights before it do, so the tanh units stay out of their flat ends and a step that changes the early weights does not upset the later layers’ inputs"
                            + (rates.count > 1
                                ? ": a larger step stays safe."
                                : ". (One learning rate cannot test the “higher learning rate”.)")
                        : faster == 0
                            ? "Here the claims do not hold: normalising keeps every unit’s input centred and of unit spread, but at these rates and this many steps that buys nothing the plain network lacks."
                            : "Normalising keeps every unit’s input centred and of unit spread whatever the weights before it do, so the tanh units stay out of their flat ends; here that helps at some rates and not at others.")
            }
        }
        return LessonResult(
            lesson: name, parameters: p, report: report, values: exported,
            recordings: [Recording(notation: n, output: loss)])
    }
}
