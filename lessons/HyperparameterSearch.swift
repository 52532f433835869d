import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// 000_0f8c2b341468a259.txt's "Hyperparameter Optimization": a grid ("GridSearchCV … a regular
    /// grid of possible parameter values, looking for the ones with the best Dev loss"), random
    /// search, and "the coarse-to-fine sampling scheme", after Bergstra and Bengio (2012).
    public static let hyperparameterSearch = Lesson(
        name: "hyperparameter-search",
        title:
            """
            Hyperparameter search: a grid against random trials over a learning \
            rate that matters and an ε that barely does, and coarse to fine
            """,
        parameters: [
            .integer(
                "budget", 9, in: 4...64, "trials each search may run (the grid uses the largest square that fits)"),
            .integer("steps", 40, in: 5...500, "Adam steps of each trial's training"),
            .integer("seed", 1, in: 0...1_000_000_000, "seed of the data and of the random trials"),
            .digits(4),
        ],
        build: HyperparameterSearch.build
    ).regimes([
        Regime("budget=4", "a budget of four: the grid is 2 × 2 and tries two values of α"),
        Regime("budget=10", "a budget the grid cannot fill: it uses 9 of the 10 trials"),
        Regime("steps=5", "short trainings: every trial is far from its best"),
    ])
}

enum HyperparameterSearch {
    /// The ranges searched, as powers of ten: α from 10⁻⁴ to 10⁰, Adam's ε from 10⁻¹⁰ to 10⁻⁴.
    static let alphaExponents = -4.0...0.0, epsilonExponents = -10.0...(-4.0)

    /// A line fitted to noisy points: training and Dev sets of 30 points each, from the seed.
    struct Data {
        let train: [(x: Double, y: Double)], dev: [(x: Double, y: Double)]
        init(seed: Int) {
            var random = SeededGenerator(seed: UInt64(seed) &+ 0xD47A)
            let points = (0..<60).map { _ -> (x: Double, y: Double) in
                let x = random.uniform(in: 0...2)
                return (x, 1 + 2 * x + 0.3 * random.gaussian())
            }
            (train, dev) = (Array(points.prefix(30)), Array(points.suffix(30)))
        }
    }

    /// One trial: θ = (0, 0) trained by Adam (β₁ = 0.9, β₂ = 0.999) on the training set's mean
    /// squared error, each gradient from the tape's backward pass; the Dev set's mean squared error after.
    static func devLoss(alpha: Double, epsilon: Double, data: Data, steps: Int) -> Double {
        let tape = Tape()
        var adam = AdamOptimizer(alpha: alpha, epsilon: epsilon)
        var theta = [NDArray(shape: [2], scalars: [0, 0])]
        func mse(_ t0: Value, _ t1: Value, _ points: [(x: Double, y: Double)]) -> Value {
            let squares = points.map { (t0 + t1 * $0.x - $0.y).pow(2) }
            return squares.dropFirst().reduce(squares[0], +) / Double(points.count)
        }
        for _ in 0..<steps {
            tape.clear()
            let (t0, t1) = (tape.input(theta[0].scalars[0]), tape.input(theta[0].scalars[1]))
            tape.backward(from: mse(t0, t1, data.train))
            adam.step(&theta, gradients: [NDArray(shape: [2], scalars: [t0.gradient, t1.gradient])])
        }
        tape.clear()
        return mse(tape.input(theta[0].scalars[0]), tape.input(theta[0].scalars[1]), data.dev).value
    }

    /// A trial's place, as exponents of ten, and its Dev loss.
    struct Trial { let a: Double, e: Double, loss: Double }

    static func trials(_ points: [(a: Double, e: Double)], _ data: Data, steps: Int) -> [Trial] {
        points.map {
            Trial(
                a: $0.a, e: $0.e, loss: devLoss(alpha: pow(10, $0.a), epsilon: pow(10, $0.e), data: data, steps: steps))
        }
    }

    static func build(_ p: Parameters) -> LessonResult {
        let format = NumberFormat(significantDigits: p.integer("digits"))
        let n = Notation(tape: Tape(), format: format)
        let budget = p.integer("budget")
        let steps = p.integer("steps")
        let seed = p.integer("seed")
        let data = Data(seed: seed)
        let side = Int(Double(budget).squareRoot())
        func spread(_ range: ClosedRange<Double>, _ k: Int) -> Double {
            side == 1
                ? (range.lowerBound + range.upperBound) / 2
                : range.lowerBound + (range.upperBound - range.lowerBound) * Double(k) / Double(side - 1)
        }
        let grid = trials(
            (0..<side).flatMap { i in (0..<side).map { j in (spread(alphaExponents, i), spread(epsilonExponents, j)) }
            }, data, steps: steps)
        var random = SeededGenerator(seed: UInt64(seed) &+ 0x5EA4)
        func draw(_ a: ClosedRange<Double>, _ e: ClosedRange<Double>) -> [(a: Double, e: Double)] {
            (0..<budget).map { _ in (random.uniform(in: a), random.uniform(in: e)) }
        }
        let coarse = trials(draw(alphaExponents, epsilonExponents), data, steps: steps)
        // Coarse to fine (000): the best coarse trial's neighbourhood, a quarter of each range wide.
        let centre = coarse.min { $0.loss < $1.loss }!
        func around(_ x: Double, _ range: ClosedRange<Double>) -> ClosedRange<Double> {
            let half = (range.upperBound - range.lowerBound) / 8
            let low = min(max(x - half, range.lowerBound), range.upperBound - 2 * half)
            return low...(low + 2 * half)
        }
        let (fineA, fineE) = (around(centre.a, alphaExponents), around(centre.e, epsilonExponents))
        let fine = trials(draw(fineA, fineE), data, steps: steps)
        let searches = [("grid", grid), ("random", coarse), ("coarse to fine", coarse + fine)]
        let bests = searches.map { $0.1.min { $0.loss < $1.loss }! }

        // The Dev loss over the whole plane, for the background and for the best possible.
        let samples = 25
        let landscape = Plot.Field(x: alphaExponents, y: epsilonExponents, samples: samples) { a, e in
            log10(devLoss(alpha: pow(10, a), epsilon: pow(10, e), data: data, steps: steps))
        }
        let floor = landscape.values.min()!
        // How much each hyperparameter matters: the spread of the loss along one, averaged over the other.
        func variation(alongAlpha: Bool) -> Double {
            let lines = (0..<samples).map { k in
                (0..<samples).map { i in
                    alongAlpha ? landscape.values[k * samples + i] : landscape.values[i * samples + k]
                }
            }
            return lines.map { $0.max()! - $0.min()! }.reduce(0, +) / Double(samples)
        }
        let (alphaMatters, epsilonMatters) = (variation(alongAlpha: true), variation(alongAlpha: false))
        let distinctAlphas = searches.map { Set($0.1.map(\.a)).count }

        // The best random trial's first Adam step for the slope θ₁, worked on a tape.
        let chosen = bests[1]
        let tape = Tape()
        let (theta0, theta1) = (tape.input(0, "theta0"), tape.input(0, "theta1"))
        let squares = data.train.map { (theta0 + theta1 * $0.x - $0.y).pow(2) }
        let cost = (squares.dropFirst().reduce(squares[0], +) / Double(data.train.count)).labeled("J")
        tape.backward(from: cost)
        let g = tape.input(theta1.gradient, "g")
        let (alpha, epsilon) = (tape.input(pow(10, chosen.a), "alpha"), tape.input(pow(10, chosen.e), "epsilon"))
        let (beta1, beta2) = (tape.input(0.9, "beta1"), tape.input(0.999, "beta2"))
        let (v0, s0) = (tape.input(0, "V_0"), tape.input(0, "S_0"))
        let velocity = (beta1 * v0 + (1.0 - beta1) * g).labeled("V")
        let scale = (beta2 * s0 + (1.0 - beta2) * g.pow(2)).labeled("S")
        let vhat = (velocity / (1.0 - beta1)).labeled("Vhat")
        let shat = (scale / (1.0 - beta2)).labeled("Shat")
        let move = (alpha * vhat / (shat.squareRoot() + epsilon)).labeled("step")
        let next = (theta1 - move).labeled("theta1+")
        let worked = Notation(
            tape: tape, format: format,
            symbols: [
                "theta0": "θ_0", "theta1": "θ_1", "alpha": "α", "epsilon": "ε", "beta1": "β_1", "beta2": "β_2",
                "V_0": "V_0", "S_0": "S_0",
                "Vhat": "V̂", "Shat": "Ŝ", "theta1+": "θ_1^{+}",
            ])

        var values = ExportedValues(tape)
        for (key, search) in zip(["grid", "random", "coarse_to_fine"], searches) {
            values["\(key).trials"] = .rows(search.1.map { [pow(10, $0.a), pow(10, $0.e), $0.loss] })
            let best = search.1.min { $0.loss < $1.loss }!
            values["\(key).best"] = .array([pow(10, best.a), pow(10, best.e), best.loss])
        }
        values["variation.alpha"] = .number(alphaMatters)
        values["variation.epsilon"] = .number(epsilonMatters)

        func power(_ exponent: Double) -> RichText { n.number(pow(10, exponent)) }
        func panel(_ title: String, _ layers: [Plot.Layer]) -> Plot {
            var field = landscape
            field.colors = .sequential
            return Plot(
                title: .plain(title), x: .init("log_{10} α", range: alphaExponents),
                y: .init("log_{10} ε", range: epsilonExponents),
                height: 150, legend: false, layers: [.heatmap(field)] + layers)
        }
        func dots(_ trials: [Trial], color: Int) -> Plot.Layer {
            .scatter(.init(nil, points: trials.map { ($0.a, $0.e) }, color: color))
        }

        let name = Lesson.hyperparameterSearch.name
        // "One matters, one barely does" is measured: ε counts as barely mattering below a tenth of α's variation.
        let epsilonBarely = epsilonMatters < 0.1 * alphaMatters
        let report = Report(
            title: "Hyperparameter search",
            subtitle:
                """
                Where to try the hyperparameters when each trial costs a training run: a grid, \
                random trials, and coarse to fine. Every number below was computed by the engine.
                """,
            lesson: name,
            source:
                """
                Notes \(CourseNotes.cite("000")) (“Hyperparameter Optimization”: \
                GridSearchCV, RandomSearchCV, “the coarse-to-fine sampling scheme”); \
                Bergstra and Bengio, Random Search for Hyper-Parameter Optimization (2012)
                """
        ) {
            Section("The question") {
                """
                “When you have more than one important hyperparameter, how do you actually look for the best \
                possible values?” (000). Every trial trains a model and measures its loss on the Dev set, so \
                the budget is a number of trials. Here the model is a line fitted by Adam for \(steps) steps \
                to \(data.train.count) noisy points, and the Dev loss is its mean squared error on \
                \(data.dev.count) others; two hyperparameters are searched on logarithmic scales: the learning \
                rate α from \(power(alphaExponents.lowerBound)) to \(power(alphaExponents.upperBound)), and \
                Adam’s ε from \(power(epsilonExponents.lowerBound)) to \(power(epsilonExponents.upperBound)).
                """
                n.settingsTable(p, "Every setting of this run.")
            }
            Section("One trial’s first step") {
                """
                A trial is a whole training run. The best of the random trials below has α = \(power(chosen.a)) \
                and ε = \(power(chosen.e)); its first Adam step for the slope θ_1, from θ = (0, 0), with g = \
                ∂J/∂θ_1 = \(worked.value(g)), the gradient of the training loss J from the engine’s backward pass:
                """
                for node in [velocity, scale, vhat, shat, move, next] { worked.step(node) }
                """
                At the first step the bias corrections make V̂ = g and Ŝ = g^{2}, so the step is α g/(|g| + \
                ε): α itself, whatever g is, as long as ε is far below |g| = \(worked.number(abs(g.value))). \
                Then \(steps - 1) more steps, and the trial’s result is the Dev set’s mean squared error.
                """
            }
            Section("One matters, one barely does") {
                "The Dev loss over the whole plane, from \(samples * samples) trainings: "
                    + (epsilonBarely
                        ? "it changes with α from left to right, and hardly at all with ε from bottom to top."
                        : "here it changes with ε from bottom to top too, not only with α.")
                    + " Along α the log₁₀ of the loss varies by \(n.number(alphaMatters)) on average; along ε by \(n.number(epsilonMatters))."
                    + (epsilonBarely
                        ? " ε only guards Adam’s division, √Ŝ + ε, and √Ŝ is far larger."
                        : " ε guards Adam’s division, √Ŝ + ε; where √Ŝ is small beside ε, ε sets the step.")
                Figure(
                    "log₁₀ of the Dev loss over log₁₀ α and log₁₀ ε (darker is lower).",
                    plot: {
                        var plot = panel("Dev loss", [])
                        if case .heatmap(var field) = plot.layers[0] {
                            field.colorBar = "log₁₀ Dev loss"
                            plot.layers[0] = .heatmap(field)
                        }
                        return plot
                    }())
            }
            Section("A grid against random trials") {
                let epsilonWords = epsilonBarely ? "make no difference." : "matter less than α’s."
                let budgetWords =
                    side * side == budget
                    ? "the same budget."
                    : "the whole budget, where the grid leaves \(budget - side * side) of the \(budget) trials unused."
                RichText(
                    """
                    A grid of \(side) × \(side) = \(side * side) trials (GridSearchCV) tries only \
                    \(distinctAlphas[0]) values of α: each is tried \(side) times, with ε values that \
                    \(epsilonWords) \(budget) random trials (RandomSearchCV) try \(distinctAlphas[1]) values \
                    of α with \(budgetWords) This is Bergstra and Bengio’s argument: when only a few \
                    hyperparameters matter, and one cannot know which beforehand, random trials explore each one more.
                    """
                )
                Figure(
                    """
                    The trials of each search over the Dev loss: the grid’s \(side * side), the random \(budget), and \
                    coarse to fine (the random \(budget), then \(budget) more in the box around the best of them).
                    """,
                    panels: Panels(
                        columns: 3,
                        plots: [
                            panel("grid", [dots(grid, color: 1)]),
                            panel("random", [dots(coarse, color: 1)]),
                            panel("coarse to fine", [dots(coarse, color: 1), dots(fine, color: 5)]),
                        ]))
                """
                Coarse to fine “first samples at random, then samples more densely in a subregion \
                of the hyperparameter space where you expect to find the best values” (000): here \
                the box α ∈ [\(power(fineA.lowerBound)), \(power(fineA.upperBound))], ε ∈ \
                [\(power(fineE.lowerBound)), \(power(fineE.upperBound))] around the best coarse trial.
                """
                Table(
                    """
                    The best trial of each search; the least Dev loss anywhere on \
                    the \(samples) × \(samples) plane is \(n.number(pow(10, floor))).
                    """,
                    columns: [
                        .init("search"), .init("trials", alignment: .trailing), .init("α", alignment: .trailing),
                        .init("ε", alignment: .trailing),
                        .init("Dev loss", alignment: .trailing),
                    ],
                    rows: zip(searches, bests).map { search, best in
                        [
                            .plain(search.0), .plain("\(search.1.count)"), power(best.a), power(best.e),
                            n.number(best.loss),
                        ]
                    })
            }
        }
        return LessonResult(
            lesson: name, parameters: p, report: report, values: values,
            recordings: [Recording(notation: worked, output: next)])
    }
}
