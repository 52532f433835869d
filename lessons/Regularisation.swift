import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// 002_432a7f33b6bbf992.txt's regularisation (the polynomial that overfits, min 1/(2m) Σ (h − y)²
    /// + λ Σ θ_j², ridge against lasso, "Updated gradients (with L2)"), and 004's and 000's early
    /// stopping and dropout.
    public static let regularisation = Lesson(
        name: "regularisation",
        title:
            """
            Regularisation: a polynomial that overfits, tamed by L2 and L1, early stopping, and dropout's mask and 1/p
            """,
        parameters: [
            .integer("degree", 9, in: 1...12, "degree of the polynomial h_θ(x) = θ_0 + θ_1 x + … + θ_d x^d"),
            .integer("m", 12, in: 4...100, "training points, x uniform on [−1, 1] and y = sin(πx) plus noise"),
            .real("noise", 0.2, in: 0...2, "standard deviation of the noise on y"),
            .vector(
                "lambda", [0, 1e-4, 1e-2, 1], length: 1...6, in: 0...100, "the L2 strengths λ compared, comma-separated"
            ),
            .real("lasso", 1e-3, in: 0...10, "the L1 strength of the lasso fit"),
            .real("keep", 0.8, in: 0.05...1, "dropout's keep probability p"),
            .integer("seed", 1, in: 0...1_000_000_000, "seed of the data and of the dropout mask"),
            .digits(4),
        ],
        build: Regularisation.build
    ).regimes([
        Regime(["degree=1"], "a straight line for a sine: it underfits at every λ, and nothing overfits"),
        Regime(["m=100"], "100 training points for the degree-9 polynomial instead of 12"),
        Regime(["noise=0"], "no noise: nothing to overfit to, and the validation error still falls at the last epoch"),
        Regime(["lasso=0"], "no L1 penalty: the lasso is least squares, with no zeros"),
        Regime(["keep=1"], "keep every unit: dropout changes nothing"),
    ])
}

enum Regularisation {
    struct Data {
        let train: [(x: Double, y: Double)], validation: [(x: Double, y: Double)]
        init(m: Int, noise: Double, seed: Int) {
            var random = SeededGenerator(seed: UInt64(seed) &+ 0x2E6)
            func point() -> (x: Double, y: Double) {
                let x = random.uniform(in: -1...1)
                return (x, sin(.pi * x) + noise * random.gaussian())
            }
            train = (0..<m).map { _ in point() }
            validation = (0..<50).map { _ in point() }
        }
        init(train: [(x: Double, y: Double)], validation: [(x: Double, y: Double)]) {
            (self.train, self.validation) = (train, validation)
        }
    }

    static func features(_ x: Double, _ degree: Int) -> [Double] { (0...degree).map { pow(x, Double($0)) } }

    /// 1/(2m) Σ (h_θ(x_i) − y_i)² over `points`, on a tape.
    static func cost(_ theta: [Value], _ points: [(x: Double, y: Double)]) -> Value {
        let tape = theta[0].tape
        let squares = points.map { p in
            let h = theta.indices.dropFirst().reduce(theta[0]) { $0 + theta[$1] * pow(p.x, Double($1)) }
            return (h - tape.constant(p.y)).pow(2)
        }
        return squares.dropFirst().reduce(squares[0], +) / Double(2 * points.count)
    }

    /// The same cost in plain arithmetic, for the many fits the tables and curves judge (the tape
    /// gives the same number; `RegularisationTests` checks it).
    static func error(_ theta: [Double], _ points: [(x: Double, y: Double)]) -> Double {
        points.map { p in
            let h = theta.indices.dropFirst().reduce(theta[0]) { $0 + theta[$1] * pow(p.x, Double($1)) }
            return (h - p.y) * (h - p.y)
        }.reduce(0, +) / Double(2 * points.count)
    }

    /// The minimum of 1/(2m) Σ r² + λ Σ_{j≥1} θ_j² (002's cost; θ_0 is not regularised): least squares
    /// with a row √(2mλ) e_j per penalised coefficient, whose square adds exactly that penalty.
    static func ridge(_ data: Data, degree: Int, lambda: Double) -> [Double] {
        let m = Double(data.train.count)
        let rows =
            data.train.map { features($0.x, degree) }
            + (lambda > 0
                ? (1...degree).map { j in (0...degree).map { $0 == j ? (2 * m * lambda).squareRoot() : 0 } } : [])
        let targets = data.train.map(\.y) + (lambda > 0 ? Array(repeating: 0, count: degree) : [])
        return LeastSquares.fit(rows: rows, targets: targets) ?? Array(repeating: 0, count: degree + 1)
    }

    /// The lasso, 1/(2m) Σ r² + λ Σ_{j≥1} |θ_j|, by proximal gradient descent: a gradient step on the
    /// squared error from the tape, then each θ_j (j ≥ 1) pulled towards 0 by αλ and set to exactly
    /// 0 if it would cross it.
    static func lasso(_ data: Data, degree: Int, lambda: Double, steps: Int = 4000) -> [Double] {
        // The step 1/L, L the largest eigenvalue of ΦᵀΦ/m (the squared error's curvature), by the power method.
        let rows = data.train.map { features($0.x, degree) }
        let size = degree + 1
        let gram = (0..<size).map { i in
            (0..<size).map { j in rows.map { $0[i] * $0[j] }.reduce(0, +) / Double(rows.count) }
        }
        var v = [Double](repeating: 1, count: size)
        var curvature = 1.0
        for _ in 0..<200 {
            let w = gram.map { row in zip(row, v).map(*).reduce(0, +) }
            curvature = w.map { $0 * $0 }.reduce(0, +).squareRoot()
            v = w.map { $0 / curvature }
        }
        let alpha = 1 / curvature
        // FISTA (Beck & Teboulle 2009): the proximal step taken from a point extrapolated along the
        // last move, which converges as 1/k² where the plain step converges as 1/k.
        var theta = [Double](repeating: 0, count: size)
        var previous = theta
        var momentum = 1.0
        let tape = Tape()
        for _ in 0..<steps {
            let next = (1 + (1 + 4 * momentum * momentum).squareRoot()) / 2
            let ahead = theta.indices.map { theta[$0] + (momentum - 1) / next * (theta[$0] - previous[$0]) }
            momentum = next
            previous = theta
            tape.clear()
            let t = ahead.map { tape.input($0) }
            tape.backward(from: cost(t, data.train))
            for j in theta.indices {
                let moved = ahead[j] - alpha * t[j].gradient
                theta[j] =
                    j == 0 ? moved : (abs(moved) <= alpha * lambda ? 0 : moved - alpha * lambda * (moved > 0 ? 1 : -1))
            }
        }
        return theta
    }

    static let earlyStoppingRate = 0.05, masks = 10_000

    /// Adam on the unregularised cost, epoch by epoch: the training and validation errors.
    static func earlyStopping(_ data: Data, degree: Int, epochs: Int = 3000) -> (train: [Double], validation: [Double])
    {
        var adam = AdamOptimizer(alpha: earlyStoppingRate)
        var theta = [NDArray(shape: [degree + 1], scalars: .init(repeating: 0, count: degree + 1))]
        var train: [Double] = []
        var validation: [Double] = []
        let tape = Tape()
        for _ in 0..<epochs {
            tape.clear()
            let w = theta[0].scalars.map { tape.input($0) }
            let J = cost(w, data.train)
            tape.backward(from: J)
            train.append(J.value)
            validation.append(error(theta[0].scalars, data.validation))
            adam.step(&theta, gradients: [NDArray(shape: [degree + 1], scalars: w.map(\.gradient))])
        }
        return (train, validation)
    }

    static func build(_ p: Parameters) -> LessonResult {
        let format = NumberFormat(significantDigits: p.integer("digits"))
        let degree = p.integer("degree")
        let lambdas = p.vector("lambda")
        let keep = p["keep"]
        let seed = p.integer("seed")
        let data = Data(m: p.integer("m"), noise: p["noise"], seed: seed)
        let m = data.train.count
        let fits = lambdas.map { ridge(data, degree: degree, lambda: $0) }
        let sweep = (0...32).map { pow(10, -8 + Double($0) * 0.3125) }
        let sweepFits = sweep.map { ridge(data, degree: degree, lambda: $0) }
        let bestSweep = sweep.indices.min {
            error(sweepFits[$0], data.validation) < error(sweepFits[$1], data.validation)
        }!
        let lassoFit = lasso(data, degree: degree, lambda: p["lasso"])
        let ridgeMatch = ridge(data, degree: degree, lambda: p["lasso"])
        let zeros = lassoFit.dropFirst().filter { $0 == 0 }.count
        let ridgeZeros = ridgeMatch.dropFirst().filter { $0 == 0 }.count
        // Data augmentation (003): each training point reflected through the origin, (−x, −y), an
        // example of the same odd curve, as a flipped photograph of a cat is a cat; and reflected
        // in the y axis, (−x, y), which sin(πx) contradicts. Both fitted without a penalty.
        let reflections: [(name: String, map: ((x: Double, y: Double)) -> (x: Double, y: Double))] = [
            ("odd", { (-$0.x, -$0.y) }), ("even", { (-$0.x, $0.y) }),
        ]
        let augmented = reflections.map { reflection in
            ridge(
                Data(train: data.train + data.train.map(reflection.map), validation: data.validation), degree: degree,
                lambda: 0)
        }
        let plain = ridge(data, degree: degree, lambda: 0)
        let stopping = earlyStopping(data, degree: degree)
        let stopAt = stopping.validation.indices.min { stopping.validation[$0] < stopping.validation[$1] }!

        // 002's L2 update for θ_1, worked from the unregularised fit: the tape's gradient of the
        // notes' cost against the notes' update.
        let tape = Tape()
        let theta = fits[0].indices.map { tape.input(fits[0][$0], "theta\($0)") }
        let lambda = tape.input(lambdas.last!, "lambda")
        let alpha = tape.input(0.1, "alpha")
        let fit = cost(theta, data.train).labeled("J_fit")
        let penalty = theta.dropFirst().map { $0.pow(2) }
        let J = (fit + lambda * penalty.dropFirst().reduce(penalty[0], +)).labeled("J")
        tape.backward(from: J)
        let dataGradient = tape.input(tape.derivative(of: fit, withRespectTo: theta[1]), "dJfit/dtheta1")
        let notesUpdate = (theta[1] - alpha * (dataGradient + lambda / Double(m) * theta[1])).labeled("theta1_notes")
        let tapeUpdate = (theta[1] - alpha * tape.input(theta[1].gradient, "dJ/dtheta1")).labeled("theta1_tape")
        let n = Notation(
            tape: tape, format: format,
            symbols: [
                "theta0": "θ_0", "theta1": "θ_1", "lambda": "λ", "alpha": "α",
                "dJfit/dtheta1": "1/m Σ_i (h_θ(x_i) − y_i) x_i",
                "dJ/dtheta1": "∂J/∂θ_1", "theta1_notes": "θ_1 (002’s update)",
                "theta1_tape": "θ_1 (the cost’s gradient)", "J_fit": "J_fit",
            ])

        // Dropout: one layer's activations, one mask, the scaled outputs; then the average over many masks.
        var random = SeededGenerator(seed: UInt64(seed) &+ 0xD20)
        let activations = (0..<8).map { _ in (random.uniform(in: 0...2) * 100).rounded() / 100 }
        let mask = activations.map { _ in random.unit() < keep ? 1.0 : 0.0 }
        let layer = Tape()
        let a = activations.indices.map { layer.input(activations[$0], "a_\($0 + 1)") }
        let pKeep = layer.input(keep, "p")
        let d = a.indices.map { (a[$0] * layer.input(mask[$0], "m_\($0 + 1)") / pKeep).labeled("d_\($0 + 1)") }
        let dn = Notation(tape: layer, format: format, symbols: ["p": "p"])
        let many = TensorTape()
        let repeated = many.input(
            NDArray(shape: [masks, activations.count], scalars: (0..<masks).flatMap { _ in activations }))
        let averaged = repeated.dropout(keep: keep, using: &random).mean(axes: [0]).value.scalars
        let kept = mask.firstIndex(of: 1)
        let dropped = mask.firstIndex(of: 0)
        // Dropout as an ensemble (003): one sigmoid unit over the layer, every one of the 2⁸ crippled
        // networks (a mask each) weighted by its probability; at test time each unit weighted by p.
        let outgoing = activations.map { _ in (random.uniform(in: -1...1) * 100).rounded() / 100 }
        let scaledTape = Tape()
        let scaledSum = activations.indices.map {
            scaledTape.input(outgoing[$0]) * scaledTape.input(keep) * scaledTape.input(activations[$0])
        }
        let weightScaled = scaledSum.dropFirst().reduce(scaledSum[0], +).sigmoid().value
        var (logGeometric, logComplement, arithmetic) = (0.0, 0.0, 0.0)
        for pattern in 0..<(1 << activations.count) {
            let on = activations.indices.map { pattern >> $0 & 1 == 1 }
            let probability = on.map { $0 ? keep : 1 - keep }.reduce(1, *)
            let t = Tape()
            let terms = activations.indices.map {
                t.input(outgoing[$0]) * t.input(on[$0] ? 1 : 0) * t.input(activations[$0])
            }
            let output = terms.dropFirst().reduce(terms[0], +).sigmoid().value
            (logGeometric, logComplement, arithmetic) = (
                logGeometric + probability * log(output), logComplement + probability * log(1 - output),
                arithmetic + probability * output
            )
        }
        let geometric = exp(logGeometric) / (exp(logGeometric) + exp(logComplement))

        var values = ExportedValues(tape)
        for (l, fit) in zip(lambdas, fits) { values["ridge.lambda\(ParameterValue.real(l).description)"] = .array(fit) }
        values["lasso"] = .array(lassoFit)
        values["train.x"] = .array(data.train.map(\.x))
        values["train.y"] = .array(data.train.map(\.y))
        values["sweep"] = .rows(
            sweep.indices.map { [sweep[$0], error(sweepFits[$0], data.train), error(sweepFits[$0], data.validation)] })
        values["augment.plain"] = .array(plain)
        values["augment.odd"] = .array(augmented[0])
        values["augment.even"] = .array(augmented[1])
        values["augment.validation"] = .array([plain, augmented[0], augmented[1]].map { error($0, data.validation) })
        values["early.train"] = .array(stopping.train)
        values["early.validation"] = .array(stopping.validation)
        values.append(ExportedValues(layer), prefix: "dropout.")
        values["dropout.average"] = .array(averaged)
        values["dropout.ensemble.v"] = .array(outgoing)
        values["dropout.ensemble.weight_scaled"] = .number(weightScaled)
        values["dropout.ensemble.geometric"] = .number(geometric)
        values["dropout.ensemble.arithmetic"] = .number(arithmetic)

        func curve(_ theta: [Double]) -> [(x: Double, y: Double)] {
            (0...120).map { k in
                let x = -1 + Double(k) / 60
                return (x, zip(theta, features(x, degree)).map(*).reduce(0, +))
            }
        }
        let dataLayer = Plot.Layer.scatter(.init("training points", points: data.train.map { ($0.x, $0.y) }, color: 6))
        func fitPlot(_ title: RichText, _ theta: [Double]) -> Plot {
            Plot(
                title: title, x: .init("x", range: -1...1), y: .init("y", range: -2...2), legend: false,
                layers: [
                    dataLayer, .line(.init("fit", points: curve(theta), color: 0)),
                    .line(
                        .init(
                            "sin πx",
                            points: (0...60).map {
                                let x = -1 + Double($0) / 30
                                return (x, sin(.pi * x))
                            }, color: 6, dashed: true)),
                ])
        }
        let name = Lesson.regularisation.name
        let report = Report(
            title: "Regularisation",
            subtitle:
                """
                A model with more freedom than its data: it fits the noise, and three \
                ways of holding it back. Every number below was computed by the engine.
                """,
            lesson: name,
            source:
                """
                Notes \(CourseNotes.cite("002")) (“UNDERFIT/OVERFIT”, “REGULARIZATION”, ridge \
                and lasso, “Updated gradients (with L2)”), \(CourseNotes.cite("004")) (norm \
                penalties, early stopping, dropout), \(CourseNotes.cite("000")) (dropout)
                """
        ) {
            Section("A polynomial with too much freedom") {
                ("\(m) points with x uniform on [−1, 1] and y = sin(πx) plus noise of standard deviation " as RichText)
                    + n.number(p["noise"])
                    + (" (seed \(seed)), fitted by h_θ(x) = θ_0 + θ_1 x + … + θ_{\(degree)} x^{\(degree)}. “Too complex of a model ⇒ model can overfit” (002): \(degree + 1) coefficients for \(m) points. \(data.validation.count) more points from the same curve are the validation set, to judge the fit on data it has not seen."
                        as RichText)
                "002’s cost adds the size of the coefficients, θ_0 not included, weighted by λ:"
                Step(lhs: "J(θ)", rhs: ["1/(2m) Σ_{i} (h_θ(x_i) − y_i)^{2} + λ Σ_{j≥1} θ_j^{2}"], hasResult: false)
                """
                “By tuning λ it is possible to control the strength of the regularization \
                and thus control the underfitting/overfitting.” The fits minimise \
                this cost exactly (least squares with the penalty as extra rows):
                """
                Figure(
                    "The fit for each λ over the training points; the dashed curve is sin πx.",
                    panels: Panels(
                        columns: 2, sharedX: true, sharedY: true,
                        plots: zip(lambdas, fits).map { l, fit in fitPlot("λ = " + n.number(l), fit) }))
                Table(
                    """
                    Each λ’s fit: the error on the training points and on \
                    the validation points, and the size of the coefficients.
                    """,
                    columns: [
                        .init("λ", alignment: .trailing), .init("training error", alignment: .trailing),
                        .init("validation error", alignment: .trailing),
                        .init("Σ θ_j^{2}", alignment: .trailing),
                    ],
                    rows: zip(lambdas, fits).map { l, fit in
                        [
                            n.number(l), n.number(error(fit, data.train)), n.number(error(fit, data.validation)),
                            n.number(fit.dropFirst().map { $0 * $0 }.reduce(0, +)),
                        ]
                    })
                Figure(
                    "Training and validation error against λ.",
                    plot: Plot(
                        x: .init("λ", scale: .logarithmic), y: .init("error", scale: .logarithmic),
                        layers: [
                            .line(
                                .init(
                                    "training",
                                    points: sweep.indices.map { (sweep[$0], error(sweepFits[$0], data.train)) },
                                    color: 0)),
                            .line(
                                .init(
                                    "validation",
                                    points: sweep.indices.map { (sweep[$0], error(sweepFits[$0], data.validation)) },
                                    color: 1)),
                        ]))
                // Which ends of the sweep over- and underfit, read from its errors.
                let (smallest, largest) = (sweepFits.first!, sweepFits.last!)
                let overfits =
                    error(smallest, data.validation) > error(sweepFits[bestSweep], data.validation)
                    && error(smallest, data.train) < error(smallest, data.validation)
                let underfits = error(largest, data.train) > error(sweepFits[bestSweep], data.train)
                (overfits
                    ? "With λ near 0 the curve threads the training points and swings between them: small training error, large validation error. "
                    : "Here even λ near 0 does not overfit: its validation error is no worse than the best λ’s. ")
                    + (underfits ? "With λ large every θ_j is pressed to 0 and “h_θ(x) ≈ θ_0 (model underfit)”. " : "")
                    + (bestSweep > 0 && bestSweep < sweep.count - 1
                        ? "In between, the validation error is least at λ ≈ \(n.number(sweep[bestSweep])) of those tried."
                        : "The validation error is least at λ ≈ \(n.number(sweep[bestSweep])), an end of the range tried.")
            }
            Section("The update with L2, and a factor the notes lose") {
                """
                002 gives the gradient step with L2 as θ_j ← θ_j − α[1/m Σ_i (h_θ(x_i) − y_i) x_{ij} + (λ/m) θ_j]. \
                Worked for θ_1 from the unregularised fit, with λ = \(n.value(lambda)) and α = \(n.value(alpha)):
                """
                n.step(notesUpdate)
                """
                The derivative of the cost as 002 writes it, with λ Σ θ_j^{2}, is the \
                data term plus 2λθ_j; the engine’s backward pass through that cost gives
                """
                n.step(tapeUpdate)
                Note("002’s cost and 002’s update disagree", kind: .errata) {
                    """
                    The update’s (λ/m)θ_j is the derivative of (λ/(2m)) Σ θ_j^{2}, not of the λ Σ θ_j^{2} in the cost \
                    above it: the two differ by a factor 2m = \(2 * m). Both regularise, but the same λ means a \
                    penalty \(2 * m) times stronger in the cost than in the update. Here the two updates differ by \
                    \(n.number(abs(notesUpdate.value - tapeUpdate.value))). This lesson’s fits minimise the cost as \
                    written.
                    """
                }
            }
            Section("Ridge against lasso") {
                """
                “Ridge coefficients can get very small, but never exactly zero … Lasso coefficients can be zero, \
                and consequently perform one kind of feature selection” (002). The lasso replaces θ_j^{2} by |θ_j|; \
                it has no closed form, and is found here by proximal gradient descent (a gradient step from the \
                tape, then each θ_j pulled towards 0 by αλ and stopped at 0). Both at λ = \(n.number(p["lasso"])):
                """
                Table(
                    "The coefficients of the ridge and the lasso fits at the same λ.",
                    columns: [
                        .init("j", alignment: .trailing), .init("ridge θ_j", alignment: .trailing),
                        .init("lasso θ_j", alignment: .trailing),
                    ],
                    rows: (0...degree).map { j in
                        [
                            .plain("\(j)"), n.number(ridgeMatch[j]),
                            lassoFit[j] == 0 ? "0 exactly" : n.number(lassoFit[j]),
                        ]
                    })
                "The lasso sets \(zeros) of the \(degree) penalised coefficients to exactly 0; the ridge sets "
                    + (ridgeZeros == 0 ? "none." : "\(ridgeZeros).")
                    + " Validation error: ridge \(n.number(error(ridgeMatch, data.validation))), lasso \(n.number(error(lassoFit, data.validation)))."
            }
            Section("Data augmentation") {
                augmentation(n, data, degree: degree, plain: plain, augmented: augmented, fitPlot: fitPlot)
            }
            Section("Early stopping") {
                """
                Without any penalty, fit the same polynomial by Adam (α = \(n.number(earlyStoppingRate))) and \
                watch the validation error as training goes on (004, 000: early stopping “works also fine”):
                """
                Figure(
                    """
                    Training and validation error during training, \
                    unregularised; the rule marks the least validation error.
                    """,
                    plot: Plot(
                        x: .init("epoch", scale: .logarithmic), y: .init("error", scale: .logarithmic),
                        layers: [
                            .line(
                                .init(
                                    "training",
                                    points: stopping.train.enumerated().map { (Double($0.offset + 1), $0.element) },
                                    color: 0)),
                            .line(
                                .init(
                                    "validation",
                                    points: stopping.validation.enumerated().map {
                                        (Double($0.offset + 1), $0.element)
                                    }, color: 1)),
                            .rule(vertical: true, at: Double(stopAt + 1), label: "stop"),
                        ]))
                if stopAt == stopping.validation.count - 1 {
                    """
                    The validation error is still falling at the last epoch, \(stopping.validation.count) \
                    (\(n.number(stopping.validation.last!))): early stopping has nothing to stop within these epochs.
                    """
                } else {
                    """
                    The validation error is least at epoch \(stopAt + 1) \
                    (\(n.number(stopping.validation[stopAt]))); by epoch \(stopping.validation.count) \
                    it is \(n.number(stopping.validation.last!)) while the training error 
                    """
                        + (stopping.train.last! < stopping.train[stopAt] ? "has fallen" : "has gone")
                        + " from \(n.number(stopping.train[stopAt])) to \(n.number(stopping.train.last!)). Early stopping keeps the weights of the best epoch: training stops before the model has learnt the noise."
                }
            }
            Section("Dropout") {
                """
                “For each training step, do not update ALL the weights in the layers, but turn a random fraction \
                (e.g. 20%) off” (000). A layer’s \(activations.count) activations a, a mask m with each unit \
                kept with probability p = \(dn.value(pKeep)) (seed \(seed)), and the outputs d_i = a_i m_i / p:
                """
                if let kept { dn.step(d[kept], "A kept unit") }
                if let dropped { dn.step(d[dropped], "A dropped unit") }
                Table(
                    "One forward pass with dropout: activation, mask, output.",
                    columns: [
                        .init("i", alignment: .trailing), .init("a_i", alignment: .trailing),
                        .init("m_i", alignment: .trailing), .init("d_i = a_i m_i/p", alignment: .trailing),
                    ],
                    rows: a.indices.map { i in [.plain("\(i + 1)"), dn.value(a[i]), n.number(mask[i]), dn.value(d[i])] }
                )
                """
                Why divide by p? A unit survives with probability p, so without the division \
                its expected output would be p a_i, and the next layer would see smaller inputs \
                in training than at test time, when nothing is dropped. With it, E[d_i] = p · \
                a_i/p = a_i. Averaged over \(masks.formatted()) masks the engine’s dropout gives
                """
                Table(
                    "The average output of each unit over \(masks.formatted()) masks, against its activation.",
                    columns: [
                        .init("i", alignment: .trailing), .init("a_i", alignment: .trailing),
                        .init("mean of d_i", alignment: .trailing),
                    ],
                    rows: a.indices.map { i in [.plain("\(i + 1)"), dn.value(a[i]), n.number(averaged[i])] })
                """
                003 reads dropout as an ensemble: each mask is a “crippled” network, all of them \
                sharing weights, and “at test time, we weight each unit with its expectation p. \
                For a single layer, this is equivalent to take a geometric average among all \
                different crippled networks.” Take one sigmoid unit over this layer, with weights v = (
                """
                    + outgoing.map { n.number($0) }.dropFirst().reduce(n.number(outgoing[0])) { $0 + ", " + $1 }
                    + ") and no bias, and all \(1 << activations.count) masks, each weighted by its probability (this section drops without the division by p, as 003 describes it):"
                Step(lhs: "σ(Σ_{i} v_i p a_i)", rhs: [n.number(weightScaled)])
                Step(
                    lhs: "G",
                    rhs: [
                        "Π_{m} σ(z_m)^{P(m)} / (Π_{m} σ(z_m)^{P(m)} + Π_{m} (1 − σ(z_m))^{P(m)})", n.number(geometric),
                    ])
                Step(lhs: "A", rhs: ["Σ_{m} P(m) σ(z_m)", n.number(arithmetic)])
                Paragraph(
                    abs(weightScaled - geometric) <= 1e-12
                        ? "The unit with its weights scaled by p gives the normalised geometric mean G of the \(1 << activations.count) crippled networks, to \(n.number(abs(weightScaled - geometric))): G’s log-odds are the mean of the networks’ log-odds, their z, and the mean of z is the scaled sum. The arithmetic mean A of their outputs is \(n.number(arithmetic)), "
                            + (abs(arithmetic - geometric) < 1e-9
                                ? "the same here."
                                : "\(n.number(abs(arithmetic - geometric))) away: the ensemble that weight scaling averages is the geometric one.")
                        : "The scaled unit gives \(n.number(weightScaled)) and the geometric mean \(n.number(geometric)): they differ by \(n.number(abs(weightScaled - geometric)))."
                )
            }
        }
        return LessonResult(
            lesson: name, parameters: p, report: report, values: values,
            recordings: [Recording(notation: n, output: notesUpdate)])
    }

    /// 003: "data augmentation" against overfitting, and the condition it hides: a transformation
    /// must leave the label's meaning intact. The odd reflection does for sin(πx); the even one does not.
    static func augmentation(
        _ n: Notation, _ data: Data, degree: Int, plain: [Double], augmented: [[Double]],
        fitPlot: (RichText, [Double]) -> Plot
    ) -> [Block] {
        let (before, odd, even) = (
            error(plain, data.validation), error(augmented[0], data.validation), error(augmented[1], data.validation)
        )
        let m = data.train.count
        let verdict: RichText =
            (odd < before
                ? "Reflected through the origin, the data lower the validation error from \(n.number(before)) to \(n.number(odd)): the fit has \(2 * m) points to follow and half of them are new, though no new measurement was made. "
                : "Here the reflected data do not lower the validation error (\(n.number(before)) without, \(n.number(odd)) with): with so many points already, or so little noise, there was little left to gain. ")
            + (even > min(before, odd)
                ? "Reflected in the y axis instead, they teach the fit a curve that is not there: its validation error is \(n.number(even)). An augmentation is only as good as the symmetry it assumes."
                : "Reflected in the y axis, which sin(πx) contradicts, they give \(n.number(even)): no worse here, but only by luck of the points.")
        let cells: [any ReportContent] = [
            Paragraph(
                """
                “If it is not possible [to collect more data], … data augmentation” (003): make new training examples \
                from the old by a change that keeps their meaning, as a photograph flipped left to right still shows \
                a cat. The curve here is odd, sin(π(−x)) = −sin(πx), so each point (x, y) reflected through the \
                origin, (−x, −y), is another example of it. Reflected in the y axis, (−x, y), it is an example of a \
                curve that is not there. The unpenalised degree-\(degree) fit on the \(m) points, and on each set of \
                \(2 * m):
                """
            ),
            Figure(
                """
                The unpenalised fit without augmentation, with the points reflected through the origin, \
                and reflected in the y axis (the original points drawn); the dashed curve is sin πx.
                """,
                panels: Panels(
                    columns: 3, sharedX: true, sharedY: true,
                    plots: [
                        fitPlot("no augmentation", plain), fitPlot("(−x, −y) added", augmented[0]),
                        fitPlot("(−x, y) added", augmented[1]),
                    ])),
            Table(
                "The validation error of each fit, on the \(data.validation.count) validation points.",
                columns: [
                    .init("training set"), .init("points", alignment: .trailing),
                    .init("validation error", alignment: .trailing),
                ],
                rows: [
                    ["the points", .plain("\(m)"), n.number(before)],
                    ["and (−x, −y)", .plain("\(2 * m)"), n.number(odd)],
                    ["and (−x, y)", .plain("\(2 * m)"), n.number(even)],
                ]),
            Paragraph(verdict),
        ]
        return cells.flatMap(\.blocks)
    }
}
