import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// Linear regression fitted by gradient descent as in 002_432a7f33b6bbf992.txt (MSE, the
    /// derivative, the simultaneous update), then batch, mini-batch and stochastic gradient
    /// descent as 000 and 001 recap them, against the closed-form least-squares answer.
    public static let gradientDescent = Lesson(
        name: "gradient-descent",
        title: "Gradient descent for linear regression: batch, mini-batch and stochastic, against the exact answer",
        parameters: [
            .integer("m", 20, in: 2...1000, "number of data points"),
            .real("theta0_true", 1, in: -10...10, "intercept of the line the data come from"),
            .real("theta1_true", 2, in: -10...10, "slope of the line the data come from"),
            .real("noise", 0.5, in: 0...10, "standard deviation of the noise added to each y"),
            .integer(
                "seed", 1, in: 0...1_000_000_000, "seed of the data and of the shuffles (same seed, same numbers)"),
            .real("theta0", 0, in: -10...10, "starting intercept θ₀"),
            .real("theta1", 0, in: -10...10, "starting slope θ₁"),
            .real("alpha", 0.1, in: 0...10, "learning rate α"),
            .integer("epochs", 50, in: 1...500, "passes over the data"),
            .integer("batch", 5, in: 1...1000, "mini-batch size (at most m)"),
            .digits(6),
        ],
        build: GradientDescent.build
    ).regimes([
        Regime("alpha=1.5", "a rate above 2/λ_max: the descents diverge and are stopped"),
        Regime(
            "alpha=0.001",
            """
            a tiny rate: batch descent stays far from the answer; stochastic descent, with m times the steps, gets there
            """
        ),
        Regime("noise=0", "points exactly on a line: the least-squares cost is 0"),
        Regime("batch=1", "mini-batches of one point: mini-batch descent is stochastic descent"),
    ])
}

enum GradientDescent {
    /// The data: xᵢ uniform on [0, 2], yᵢ = θ₀ + θ₁xᵢ + noise·N(0, 1), from the seed.
    struct Data {
        let x: [Double], y: [Double]
        init(_ p: Parameters) {
            var random = SeededGenerator(seed: UInt64(p.integer("seed")))
            x = (0..<p.integer("m")).map { _ in random.uniform(in: 0...2) }
            y = x.map { p["theta0_true"] + p["theta1_true"] * $0 + p["noise"] * random.gaussian() }
        }
    }

    /// J(θ) = 1/(2m) Σᵢ (θ₀ + θ₁xᵢ − yᵢ)² over the given points, recorded on `tape`.
    static func cost(_ t0: Value, _ t1: Value, _ data: Data, _ points: [Int], labeled: Bool = false) -> Value {
        let tape = t0.tape
        let residuals = points.map { i -> Value in
            let (x, y) =
                labeled && i < 3
                ? (tape.input(data.x[i], "x_\(i + 1)"), tape.input(data.y[i], "y_\(i + 1)"))
                : (tape.input(data.x[i]), tape.input(data.y[i]))
            let r = t0 + t1 * x - y
            return labeled && i < 3 ? r.labeled("r_\(i + 1)") : r
        }
        let squares = residuals.dropFirst().reduce(residuals[0].pow(2)) { $0 + $1.pow(2) }
        return squares / Double(2 * points.count)
    }

    /// A run of gradient descent that updates on `batch` points at a time, the order shuffled
    /// each epoch: θ after every update, and J over all the data at up to 300 of them. A run whose
    /// J passes 10¹⁰ (or stops being a number) ends there, as the optimizers lesson's do.
    struct Run {
        let name: String
        /// θ at the start, then after every update, thinned to about 2000 points for the path
        /// (500 epochs of stochastic descent on 1000 points are 500,000 updates), the last kept.
        private(set) var thetas: [(Double, Double)] = []
        /// θ after the last update, and how many updates were made.
        private(set) var final: (Double, Double)
        private(set) var updates = 0
        private(set) var costs: [(epoch: Double, J: Double)] = []
        /// The update whose batch cost J passed `Descent.divergence` (or was no number), if one did:
        /// the run stops before it. The batch's J is on the tape anyway; one step can grow it only
        /// a bounded factor, so the full J of the last θ kept stays a number too.
        private(set) var diverged: Int? = nil

        init(_ name: String, data: Data, batch: Int, start: (Double, Double), alpha: Double, epochs: Int, seed: Int) {
            self.name = name
            let m = data.x.count
            let perEpoch = (m + batch - 1) / batch
            let planned = perEpoch * epochs
            let every = max(1, planned / 300)
            let drawn = max(1, planned / 2000)
            final = start
            var random = SeededGenerator(seed: UInt64(seed) &+ 0x5EED)
            var theta = start
            let tape = Tape()
            let scratch = Tape()
            func record(_ update: Int) {
                scratch.clear()
                let J = GradientDescent.cost(scratch.input(theta.0), scratch.input(theta.1), data, Array(0..<m))
                costs.append((Double(update) / Double(perEpoch), J.value))
            }
            thetas.append(theta)
            record(0)
            var update = 0
            epochs: for _ in 0..<epochs {
                let order = batch == m ? Array(0..<m) : random.permutation(m)
                for start in stride(from: 0, to: m, by: batch) {
                    tape.clear()
                    let (t0, t1) = (tape.input(theta.0), tape.input(theta.1))
                    let J = GradientDescent.cost(t0, t1, data, Array(order[start..<min(start + batch, m)]))
                    guard J.value.isFinite, J.value <= Descent.divergence else {
                        diverged = update
                        if update % every != 0 { record(update) }
                        break epochs
                    }
                    tape.backward(from: J)
                    // Simultaneously: both gradients from the old θ (002).
                    theta = (theta.0 - alpha * t0.gradient, theta.1 - alpha * t1.gradient)
                    update += 1
                    final = theta
                    if update % drawn == 0 || update == planned { thetas.append(theta) }
                    if update % every == 0 || update == planned { record(update) }
                }
            }
            updates = update
            if thetas.last! != final { thetas.append(final) }
        }
    }

    /// How far each run got towards the least-squares cost, from its recorded costs: the epoch at
    /// which it first covered 90% of the way, and whether its cost still went up late in the run.
    static func comparison(_ runs: [Run], best: Double?, _ n: Notation) -> RichText {
        guard let best, runs.allSatisfy({ $0.diverged == nil }) else { return "" }
        func reach(_ run: Run) -> Double? {
            let goal = best + 0.1 * (run.costs[0].J - best)
            return run.costs.first { $0.J <= goal }?.epoch
        }
        let (batch, stochastic) = (runs[0], runs[2])
        let late = stochastic.costs.suffix(max(2, stochastic.costs.count / 2))
        let rises = zip(late, late.dropFirst()).contains { $1.J > $0.J }
        var text: RichText =
            rises
            ? "Its cost goes up as well as down to the end. "
            : "Here its cost falls at every recorded step of the second half. "
        switch (reach(stochastic), reach(batch)) {
        case (let s?, let b?):
            text +=
                "It covers 90% of the way to the least-squares cost by epoch " + n.number(s)
                + ", batch descent by epoch " + n.number(b)
                + (s < b
                    ? ": fewer epochs, though each costs as much arithmetic."
                    : s > b ? ": here the wandering costs it epochs." : ".")
        case (_?, nil):
            text +=
                "It covers 90% of the way to the least-squares cost by epoch " + n.number(reach(stochastic)!)
                + "; batch descent does not within these epochs."
        case (nil, _?):
            text +=
                "Batch descent covers 90% of the way to the least-squares cost by epoch " + n.number(reach(batch)!)
                + "; stochastic descent does not within these epochs."
        case (nil, nil): text += "Neither covers 90% of the way to the least-squares cost within these epochs."
        }
        return text
    }

    /// MAE = 1/m Σ |θ₀ + θ₁xᵢ − yᵢ| and its gradient, (1/m) Σ sign(rᵢ)(1, xᵢ), from a tape of its own.
    static func meanAbsoluteError(_ theta: (Double, Double), _ data: Data) -> (
        value: Double, gradient: (Double, Double), exactZeros: Int
    ) {
        let tape = Tape()
        let (t0, t1) = (tape.input(theta.0), tape.input(theta.1))
        let residuals = data.x.indices.map { t0 + t1 * tape.input(data.x[$0]) - tape.input(data.y[$0]) }
        let sum = residuals.dropFirst().reduce(residuals[0].magnitude()) { $0 + $1.magnitude() }
        let mae = sum / Double(data.x.count)
        tape.backward(from: mae)
        return (mae.value, (t0.gradient, t1.gradient), residuals.filter { $0.value == 0 }.count)
    }

    static func build(_ p: Parameters) -> LessonResult {
        let data = Data(p)
        let m = data.x.count
        let batch = min(p.integer("batch"), m)
        let format = NumberFormat(significantDigits: p.integer("digits"))
        let start = (p["theta0"], p["theta1"])
        let (alpha, epochs) = (p["alpha"], p.integer("epochs"))

        // The first batch step, worked on a tape.
        let tape = Tape()
        let t0 = tape.input(start.0, "theta0")
        let t1 = tape.input(start.1, "theta1")
        let a = tape.input(alpha, "alpha")
        let J = cost(t0, t1, data, Array(0..<m), labeled: true).labeled("J")
        tape.backward(from: J)
        let g0 = tape.input(t0.gradient, "dJ/dtheta0")
        let g1 = tape.input(t1.gradient, "dJ/dtheta1")
        let next0 = (t0 - a * g0).labeled("theta0+")
        let next1 = (t1 - a * g1).labeled("theta1+")
        let n = Notation(
            tape: tape, format: format,
            symbols: [
                "theta0": "θ_0", "theta1": "θ_1", "alpha": "α", "theta0+": "θ_0^{+}",
                "theta1+": "θ_1^{+}", "dJ/dtheta0": "∂J/∂θ_0", "dJ/dtheta1": "∂J/∂θ_1",
            ])
        let residuals = (1...min(3, m)).map { tape.node(labeled: "r_\($0)")! }

        let runs = [
            Run("batch", data: data, batch: m, start: start, alpha: alpha, epochs: epochs, seed: p.integer("seed")),
            Run(
                "mini-batch (b = \(batch))", data: data, batch: batch, start: start, alpha: alpha, epochs: epochs,
                seed: p.integer("seed")),
            Run(
                "stochastic", data: data, batch: 1, start: start, alpha: alpha, epochs: epochs, seed: p.integer("seed")),
        ]
        // J is quadratic with Hessian H = (1/m)XᵀX, X's rows (1, x_i): batch descent shrinks the
        // error along H's top eigenvector by 1 − αλ_max per step, so it converges only for α < 2/λ_max.
        let (h11, h12, h22) = (1.0, data.x.reduce(0, +) / Double(m), data.x.map { $0 * $0 }.reduce(0, +) / Double(m))
        let lambdaMax = (h11 + h22) / 2 + ((h11 - h22) * (h11 - h22) / 4 + h12 * h12).squareRoot()
        let exact = LeastSquares.fit(rows: data.x.map { [1, $0] }, targets: data.y)
        let scratch = Tape()
        func fullCost(_ theta: (Double, Double)) -> Double {
            scratch.clear()
            return cost(scratch.input(theta.0), scratch.input(theta.1), data, Array(0..<m)).value
        }
        let best = exact.map { fullCost(($0[0], $0[1])) }

        var values = ExportedValues(tape)
        values["data.x"] = .array(data.x)
        values["data.y"] = .array(data.y)
        values["alpha_max"] = .number(2 / lambdaMax)
        if let exact, let best {
            values["exact.theta0"] = .number(exact[0])
            values["exact.theta1"] = .number(exact[1])
            values["exact.J"] = .number(best)
        }
        for (key, run) in zip(["batch", "minibatch", "sgd"], runs) {
            values["\(key).theta0"] = .number(run.final.0)
            values["\(key).theta1"] = .number(run.final.1)
            values["\(key).J"] = .number(fullCost(run.final))
            if let k = run.diverged { values["\(key).diverged_after"] = .number(Double(k)) }
            values["\(key).curve"] = .rows(run.costs.map { [$0.epoch, $0.J] })
        }

        // MAE against MSE: at the start, and at the least-squares answer, where MSE's gradient vanishes.
        let maeStart = meanAbsoluteError(start, data)
        values["mae.start"] = .number(maeStart.value)
        values["mae.dtheta0"] = .number(maeStart.gradient.0)
        values["mae.dtheta1"] = .number(maeStart.gradient.1)
        let maeExact = exact.map { meanAbsoluteError(($0[0], $0[1]), data) }
        let mseGradientAtExact: Double? = exact.map { c in
            scratch.clear()
            let (a, b) = (scratch.input(c[0]), scratch.input(c[1]))
            scratch.backward(from: cost(a, b, data, Array(0..<m)) * 2.0)
            return b.gradient
        }
        if let maeExact, let mseGradientAtExact {
            values["mae.at_exact"] = .number(maeExact.value)
            values["mae.at_exact_dtheta1"] = .number(maeExact.gradient.1)
            values["mse.at_exact_dtheta1"] = .number(mseGradientAtExact)
        }

        // The cost surface over θ, sampled on a tape, around the exact answer and the start.
        let centre = exact ?? [start.0, start.1]
        let span = max(1.5, abs(start.0 - centre[0]) * 1.2, abs(start.1 - centre[1]) * 1.2)
        let surface = Plot.Field(
            x: (centre[0] - span)...(centre[0] + span), y: (centre[1] - span)...(centre[1] + span), samples: 61
        ) { a, b in
            fullCost((a, b))
        }
        let lines: [Plot.Layer] = runs.enumerated().map { k, run in
            .line(.init(.plain(run.name), points: [0, 2].map { ($0, run.final.0 + run.final.1 * $0) }, color: k))
        }
        let name = Lesson.gradientDescent.name

        let report = Report(
            title: "Gradient descent for linear regression",
            subtitle:
                """
                A line fitted to noisy points by gradient descent, one batch at a time, in three sizes of \
                batch, and the exact answer they approach. Every number below was computed by the engine.
                """,
            lesson: name,
            source:
                """
                Notes \(CourseNotes.cite("002")) (linear regression, MSE, “all θ_j must \
                be updated simultaneously”), \(CourseNotes.cite("000")) and \
                \(CourseNotes.cite("001")) (batch, mini-batch and stochastic gradient descent)
                """
        ) {
            Section("The model and its cost") {
                """
                The data are m = \(m) points (x_i, y_i), with x_i drawn uniformly from [0, 2] and y_i = \
                \(n.number(p["theta0_true"])) + \(n.number(p["theta1_true"]))x_i plus Gaussian noise of standard \
                deviation \(n.number(p["noise"])) (seed \(p.integer("seed"))). The model is a line, the cost half the \
                mean squared error (002: minimising a constant times J is minimising J, and the ½ cancels the 2 of \
                the derivative):
                """
                Step(lhs: "h_{θ}(x)", rhs: ["θ_0 + θ_{1} x"], hasResult: false)
                Step(lhs: "J(θ)", rhs: ["1/(2m) Σ_{i} (h_{θ}(x_i) − y_i)^{2}"], hasResult: false)
                """
                Its derivatives are the mean error and the mean error times x, and gradient descent steps against \
                them, θ_j ← θ_j − α ∂J/∂θ_j, “all θ_j updated simultaneously”: both derivatives from the old θ.
                """
                Step(lhs: "∂J/∂θ_0", rhs: ["1/m Σ_{i} (h_{θ}(x_i) − y_i)"], hasResult: false)
                Step(lhs: "∂J/∂θ_1", rhs: ["1/m Σ_{i} (h_{θ}(x_i) − y_i) x_i"], hasResult: false)
                n.settingsTable(p, "Every setting of this run.")
            }
            Section("One step, worked") {
                "From θ = (\(n.value(t0)), \(n.value(t1))) each point’s error is r_i = h_θ(x_i) − y_i; the first ones:"
                for r in residuals { n.step(r) }
                Step(
                    "… and so on for all \(m) points; the cost and its gradient, from the engine’s backward pass:",
                    lhs: n.name(J),
                    rhs: ["1/(2m) Σ_{i} r_i^{2}", n.value(J)])
                Step(lhs: n.name(g0), rhs: ["1/m Σ_{i} r_i", n.value(g0)])
                Step(lhs: n.name(g1), rhs: ["1/m Σ_{i} r_i x_i", n.value(g1)])
                n.step(next0, "The simultaneous update")
                n.step(next1)
            }
            Section("Batch, mini-batch and stochastic") {
                """
                Batch gradient descent takes one step per pass over the data (an epoch), on the gradient \
                of all m points: accurate, but slow on large data. Stochastic gradient descent takes a \
                step per point, on that point’s gradient alone: m steps per epoch, each noisy. Mini-batch \
                takes a step per batch of b = \(batch) points, in between; the order is shuffled every \
                epoch (seed \(p.integer("seed"))). Each runs \(epochs) epochs with α = \(n.value(a)):
                """
                Figure(
                    """
                    The cost over all the data during training; the dashed line is the least the exact answer reaches.
                    """,
                    plot: Plot(
                        x: "epoch", y: .init("J(θ)", scale: .logarithmic),
                        layers: runs.enumerated().map { k, run in
                            .line(.init(.plain(run.name), points: run.costs.map { ($0.epoch, $0.J) }, color: k))
                        }
                            + (best.map { [.rule(vertical: false, at: $0, label: "exact")] } ?? [])))
                Figure(
                    "The three paths through θ over the contours of J; × marks the exact answer.",
                    plot: Plot(
                        x: "θ_0", y: "θ_1", equalAspect: true,
                        layers: [.contour(surface)]
                            + runs.enumerated().map { k, run in
                                .trajectory(.init(.plain(run.name), points: run.thetas, color: k))
                            }
                            + (exact.map { [.marker(x: $0[0], y: $0[1], label: "")] } ?? [])))
                """
                Every update of stochastic gradient descent follows a single point, so its path \
                wanders; it makes \(m)× as many steps as batch descent in the same number of epochs. 
                """
                    + comparison(runs, best: best, n)
                for run in runs {
                    if let k = run.diverged {
                        Paragraph(
                            """
                            With α = \(n.value(a)), \(run.name) descent diverges: after \(k) \
                            update\(k == 1 ? "" : "s") the cost of its next batch passes \
                            \(n.number(Descent.divergence)), and it is stopped there; its curve and \
                            path end at that point.
                            """
                        )
                    }
                }
                if runs.contains(where: { $0.diverged != nil }) {
                    """
                    J is a quadratic whose Hessian is (1/m)X^{T}X, where X’s rows are (1, x_i); its largest \
                    eigenvalue here is λ_max = \(n.number(lambdaMax)). Each batch step multiplies the \
                    error along that direction by 1 − αλ_max, so batch descent converges only for α < \
                    2/λ_max = \(n.number(2 / lambdaMax)); a single point’s Hessian, (1, x_i; x_i, x_i^{2}), \
                    has the eigenvalue 1 + x_i^{2}, up to \(n.number(1 + data.x.map { $0 * $0 }.max()!)) \
                    here, so a step on one point can overshoot at an α that batch descent survives.
                    """
                }
            }
            Section("The exact answer") {
                if let exact, let best {
                    let approaching = runs.filter { $0.diverged == nil && fullCost($0.final) < $0.costs[0].J }.count
                    """
                    For a line the minimum can be found in closed form: setting both derivatives \
                    to zero gives the normal equations (X^{T}X)θ = X^{T}y, whose solution is θ = \
                    (\(n.number(exact[0])), \(n.number(exact[1]))), with J = \(n.number(best)). 
                    """
                        + (approaching == runs.count
                            ? "All three descents approach it:"
                            : approaching == 0
                                ? "None of the descents gets closer to it here:"
                                : "\(approaching) of the three descents approach it:")
                    Table(
                        "Where each method ends after \(epochs) epochs, against the exact least-squares line.",
                        columns: [
                            .init("method"), .init("updates", alignment: .trailing), .init("θ_0", alignment: .trailing),
                            .init("θ_1", alignment: .trailing), .init("J(θ)", alignment: .trailing),
                        ],
                        rows: runs.map { run in
                            run.diverged == nil
                                ? [
                                    .plain(run.name), .plain("\(run.updates)"), n.number(run.final.0),
                                    n.number(run.final.1), n.number(fullCost(run.final)),
                                ]
                                : [.plain(run.name), .plain("\(run.updates)"), "—", "—", "diverged"]
                        } + [["exact", "", n.number(exact[0]), n.number(exact[1]), n.number(best)]])
                } else {
                    """
                    All x_i are equal, so every line through their mean fits equally well: the normal \
                    equations have no single solution, and gradient descent stops wherever the start leads it.
                    """
                }
                Figure(
                    "The data and the fitted lines.",
                    plot: Plot(
                        x: "x", y: "y",
                        layers: [.scatter(.init("data", points: zip(data.x, data.y).map { ($0, $1) }, color: 6))]
                            + lines
                            + (exact.map { c in
                                [
                                    .line(
                                        .init(
                                            "exact", points: [0.0, 2].map { ($0, c[0] + c[1] * $0) }, color: 6,
                                            dashed: true))
                                ]
                            } ?? [])))
            }
            Section("MAE against MSE") {
                """
                002 names two objectives for a line: the mean absolute error, which it uses to compare candidate \
                lines, and the mean squared error, which gradient descent minimises (J above is half of it).
                """
                Step(lhs: "MAE(θ)", rhs: ["1/m Σ_{i} |h_{θ}(x_i) − y_i|"], hasResult: false)
                Step(lhs: "MSE(θ)", rhs: ["1/m Σ_{i} (h_{θ}(x_i) − y_i)^{2}"], hasResult: false)
                Step(
                    "At the start θ = (\(n.value(t0)), \(n.value(t1))), from the engine:", lhs: "MAE",
                    rhs: ["1/m Σ_{i} |r_i|", n.number(maeStart.value)])
                Step(lhs: "∂MAE/∂θ_1", rhs: ["1/m Σ_{i} sign(r_i) x_i", n.number(maeStart.gradient.1)])
                Step(lhs: "∂MSE/∂θ_1", rhs: ["2/m Σ_{i} r_i x_i", n.number(2 * g1.value)])
                """
                MSE's gradient weighs each point by its error, so a point far off pulls hard, and the \
                pull shrinks as the fit improves. MAE's gives every point the same pull, its sign alone: \
                a far point counts no more than a near one, and the pull does not shrink near the minimum.
                """
                if let exact, let maeExact, let mseGradientAtExact {
                    let onTheLine = maeExact.value <= 1e-12 * max(1, data.y.map(Swift.abs).max() ?? 1)
                    Paragraph(
                        onTheLine
                            ? "At the least-squares answer every point lies on the line: MAE and MSE are both 0 there, and both are at their minimum."
                            : "At the least-squares answer θ = (\(n.number(exact[0])), \(n.number(exact[1]))), MSE's gradient in θ₁ is \(n.number(mseGradientAtExact))"
                                + (Swift.abs(mseGradientAtExact) < 1e-9 ? RichText(" (0 up to rounding)") : RichText())
                                + ", but MAE's is \(n.number(maeExact.gradient.1))"
                                + (Swift.abs(maeExact.gradient.1) > 1e-9 && maeExact.exactZeros == 0
                                    ? ": the line that minimises MAE is another one, and on the way to it MAE's gradient keeps its size, changing only where a residual changes sign."
                                    : ": here this line is at rest for both."))
                    let (lowest, highest) = (
                        exact[1] - max(2, Swift.abs(exact[1])), exact[1] + max(2, Swift.abs(exact[1]))
                    )
                    let slopes = (0...120).map { lowest + (highest - lowest) * Double($0) / 120 }
                    Figure(
                        """
                        MSE and MAE as the slope θ₁ moves through the least-squares answer, \
                        θ₀ held at \(n.number(exact[0]).plainText): MSE a parabola, MAE \
                        straight pieces with a kink wherever a point's residual changes sign.
                        """,
                        plot: Plot(
                            x: "θ_1", y: "error",
                            layers: [
                                .line(
                                    .init("MSE", points: slopes.map { ($0, 2 * fullCost((exact[0], $0))) }, color: 0)),
                                .line(
                                    .init(
                                        "MAE",
                                        points: slopes.map { ($0, meanAbsoluteError((exact[0], $0), data).value) },
                                        color: 1)),
                            ]))
                }
            }
        }
        return LessonResult(
            lesson: name, parameters: p, report: report, values: values, recordings: [Recording(notation: n, output: J)]
        )
    }
}
