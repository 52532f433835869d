import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// The optimizers of 000_0f8c2b341468a259.txt (momentum, RMSProp, Adam), 001_1d037609c44b217d.txt
    /// (Adagrad) and 003_d0f05d757d73cc3f.txt (Nesterov), run side by side on one elongated bowl.
    public static let optimizers = Lesson(
        name: "optimizers",
        title: "Optimizers on a loss surface: gradient descent, momentum, Nesterov, RMSProp, Adagrad and Adam",
        parameters: [
            .real("x0", -4, in: -10...10, "start, x"),
            .real("y0", 2, in: -10...10, "start, y"),
            .integer("steps", 50, in: 1...10000, "iterations of every optimizer"),
            .real("gd.lr", 0.15, in: 0...10, "gradient descent: learning rate α"),
            .real("momentum.lr", 0.15, in: 0...10, "momentum: learning rate α"),
            .real("momentum.beta", 0.9, in: 0...0.999, "momentum: β, the weight of the past (the notes: usually 0.9)"),
            .real("nesterov.lr", 0.02, in: 0...10, "Nesterov: learning rate α"),
            .real("nesterov.mu", 0.9, in: 0...0.999, "Nesterov: momentum μ"),
            .real("rmsprop.lr", 0.3, in: 0...10, "RMSProp: learning rate α"),
            .real("rmsprop.beta", 0.9, in: 0...0.999, "RMSProp: β (Keras: rho = 0.9)"),
            .real("rmsprop.eps", 1e-8, in: 0...1, "RMSProp: ε against division by zero"),
            .real("adagrad.lr", 1.5, in: 0...10, "Adagrad: learning rate α"),
            .real("adagrad.eps", 1e-8, in: 0...1, "Adagrad: ε"),
            .real("adam.lr", 0.3, in: 0...10, "Adam: learning rate α"),
            .real("adam.beta1", 0.9, in: 0...0.999, "Adam: β₁ (the paper and Keras: 0.9)"),
            .real("adam.beta2", 0.999, in: 0...0.999999, "Adam: β₂ (the paper and Keras: 0.999)"),
            .real("adam.eps", 1e-8, in: 0...1, "Adam: ε (the paper: 10⁻⁸)"),
            .digits(6),
        ],
        build: Optimizers.build
    ).regimes([
        Regime("momentum.beta=0.5", "less momentum: it no longer loops, and ends below gradient descent"),
        Regime("gd.lr=0.05", "a rate too small to overshoot: gradient descent never crosses the valley floor"),
        Regime("gd.lr=0.25", "a rate above the stability limit 0.2: gradient descent diverges"),
        Regime("adam.eps=0", "no ε: Adam and RMSProp divide by the bare root"),
        Regime(
            ["x0=0", "adagrad.eps=0"],
            "no ε where a gradient is 0 from the start: Adagrad's first step is 0/0, and its path ends there"),
    ])
}

enum Optimizers {
    /// f(x, y) = ½(x² + 10y²): ten times steeper across than along, the bowl of the lesson.
    static let bowl: Surface = { x, y in 0.5 * (x.pow(2) + 10.0 * y.pow(2)) }
    /// The curvature of the bowl along y, its largest: gradient descent is stable for α < 2/10.
    static let steepest = 10.0
    /// Two wells, as in 003: a difference of Gaussians, the deeper one on the right.
    static let wells: Surface = { x, y in
        -2.0 * (-((x - 1.2).pow(2) + (y - 0.4).pow(2)) / 1.28).exp() - 1.2
            * (-((x + 1.1).pow(2) + (y + 0.7).pow(2)) / 0.72).exp()
    }
    /// A saddle: a minimum along x, a maximum along y (000: "saddle, not minima").
    static let saddle: Surface = { x, y in x.pow(2) - y.pow(2) }

    static func hyperparameters(_ rule: UpdateRule, _ p: Parameters) -> Hyperparameters {
        var h = Hyperparameters()
        h.lr = p["\(rule.rawValue).lr"]
        switch rule {
        case .gd: break
        case .momentum: h.beta = p["momentum.beta"]
        case .nesterov: h.mu = p["nesterov.mu"]
        case .rmsprop: (h.beta, h.eps) = (p["rmsprop.beta"], p["rmsprop.eps"])
        case .adagrad: h.eps = p["adagrad.eps"]
        case .adam: (h.beta1, h.beta2, h.eps) = (p["adam.beta1"], p["adam.beta2"], p["adam.eps"])
        }
        return h
    }

    /// The surface sampled on a grid, each point evaluated on the tape.
    static func field(_ surface: Surface, x: ClosedRange<Double>, y: ClosedRange<Double>, levels: [Double]? = nil)
        -> Plot.Field
    {
        let tape = Tape()
        return Plot.Field(x: x, y: y, levels: levels) { a, b in
            tape.clear()
            return surface(tape.input(a), tape.input(b)).value
        }
    }

    static func path(_ run: Descent, name: RichText? = nil, color: Int? = nil) -> Plot.Series {
        Plot.Series(name, points: run.points.map { ($0.x, $0.y) }, color: color)
    }

    static func curve(_ run: Descent, name: RichText? = nil, color: Int? = nil) -> Plot.Series {
        Plot.Series(name, points: run.points.enumerated().map { (Double($0.offset), $0.element.f) }, color: color)
    }

    static func build(_ p: Parameters) -> LessonResult {
        let steps = p.integer("steps")
        let start = (x: p["x0"], y: p["y0"])
        let format = NumberFormat(significantDigits: p.integer("digits"))
        let runs = UpdateRule.allCases.map { rule in
            Descent(
                rule, hyperparameters(rule, p), surface: bowl, from: start, steps: steps, labeled: rule == .adam ? 3 : 1
            )
        }
        let adam = runs.last!
        var a = Notation(
            tape: adam.tape, format: format,
            symbols: ["alpha": "α", "beta1": "β_1", "beta2": "β_2", "eps": "ε"])
        a.labelPrefix = "adam."

        // The bowl's picture: levels halving from the start's height, so every ring is as far apart in log f.
        let f0 = runs[0].points[0].f
        let reach = (x: max(4.5, abs(start.x) * 1.15), y: max(2.5, abs(start.y) * 1.25))
        let levels = f0 > 0 ? (0..<12).map { f0 / pow(2, Double($0)) }.reversed() : nil
        let bowlField = field(bowl, x: -reach.x...reach.x, y: -reach.y...reach.y, levels: levels.map(Array.init))
        func surfacePlot(_ title: RichText?, _ layers: [Plot.Layer], field: Plot.Field = bowlField) -> Plot {
            Plot(
                title: title, x: .init("x", range: field.xs.first!...field.xs.last!),
                y: .init("y", range: field.ys.first!...field.ys.last!),
                equalAspect: true, layers: [.contour(field)] + layers)
        }
        let minimum: Plot.Layer = .marker(x: 0, y: 0, label: "")

        // The learning rate, as a share of the stability limit 2/10 of the steepest direction.
        let limit = 2 / steepest
        let shares = [0.05, 0.5, 0.95, 1.5]
        let sweep = shares.map {
            Descent(.gd, Hyperparameters(lr: $0 * limit), surface: bowl, from: start, steps: steps)
        }
        let decays = [0.0, 0.1, 1.0]
        let decayed = decays.map {
            Descent(.gd, Hyperparameters(lr: 1.5 * limit, decay: $0), surface: bowl, from: start, steps: steps)
        }
        // Two starts a third apart, on either side of the ridge between the wells.
        let wellStarts = [(x: 0.2, y: -1.8), (x: 0.5, y: -1.6)]
        let wellRuns = wellStarts.map { Descent(.gd, Hyperparameters(lr: 0.15), surface: wells, from: $0, steps: 150) }
        let saddleRun = Descent(.gd, Hyperparameters(lr: 0.1), surface: saddle, from: (-1.8, 0.001), steps: 40)

        var values = ExportedValues()
        for run in runs { values["trajectory.\(run.rule.rawValue)"] = .rows(run.points.map { [$0.x, $0.y, $0.f] }) }
        values.append(ExportedValues(adam.tape), prefix: "adam.")

        let n = Notation(tape: Tape(), format: format)
        let report = Report(
            title: "Optimizers on a loss surface",
            subtitle:
                """
                Six update rules from the notes race down the same elongated \
                bowl; every point of every path was computed by the engine.
                """,
            lesson: Lesson.optimizers.name,
            source:
                """
                Notes \(CourseNotes.cite("000")) (momentum, RMSProp, Adam, learning-rate decay, saddles), \
                \(CourseNotes.cite("001")) (Adagrad, RMSProp, Adam), \(CourseNotes.cite("003")) (Nesterov, two wells)
                """
        ) {
            Section("The surface and the rules") {
                """
                All six optimizers descend f(x, y) = ½(x^{2} + 10y^{2}) from (x_0, y_0) = (\(n.number(start.x)), \
                \(n.number(start.y))), where f = \(n.number(f0)). Its gradient is g = ∇f = (x, 10y): the bowl \
                is \(n.number(steepest)) times steeper across (y) than along (x), so the gradient does not point \
                at the minimum at (0, 0), and a step that suits one direction is wrong for the other. Each rule \
                updates x and y alike, with g the gradient at the current point (t counts the steps from 1):
                """
                Step("gradient descent", lhs: "w", rhs: ["w − α g"])
                Step("momentum (000)", lhs: "V", rhs: ["βV + (1 − β) g, then w ← w − αV"])
                Step(
                    "Nesterov (003: first apply the momentum, then take the gradient step)", lhs: "v",
                    rhs: ["μv − α ∇f(w + μv), then w ← w + v"])
                Step("RMSProp (000)", lhs: "S", rhs: ["βS + (1 − β) g^{2}, then w ← w − α g/(√S + ε)"])
                Step("Adagrad (001)", lhs: "G", rhs: ["G + g^{2}, then w ← w − α g/√(G + ε)"])
                // One line, broken after its commas: a second line would begin with "=" (= then V̂ = …).
                Step(
                    "Adam (000, 001)", lhs: "V",
                    rhs: [
                        "β_{1}V + (1 − β_{1}) g,  S = β_{2}S + (1 − β_{2}) g^{2},  "
                            + "then V̂ = V/(1 − β_{1}^{t}),  Ŝ = S/(1 − β_{2}^{t}),  w ← w − α V̂/(√Ŝ + ε)"
                    ], hasResult: false)
                """
                The notes give β = 0.9 for momentum and RMSProp and Keras’s 0.9, 0.999 and 10^{−8} for Adam; the \
                learning rates are chosen so that each path shows its rule’s character within \(steps) steps.
                """
                n.settingsTable(p, "Every setting of this run.")
            }
            Section("Adam, step by step") {
                """
                The first step of Adam for the x coordinate, as the engine \
                recorded it. The gradient comes from the backward pass through f:
                """
                a.derivative(of: node(adam, "f_0")!, withRespectTo: node(adam, "x_0")!, "∂f/∂x at the start")
                for label in ["V_x1", "S_x1", "Vhat_x1", "Shat_x1", "step_x1", "x_1"] { a.step(node(adam, label)!) }
                """
                At t = 1 the bias correction undoes the small weights 1 − β_1 and 1 − β_2 exactly, \
                so V̂/√Ŝ = g/|g| and the first step is α long in each coordinate, whatever the size \
                of the gradient. Every intermediate of the first three steps, read from the tape:
                """
                adamTable(adam, a)
            }
            Section("The paths") {
                """
                Each optimizer’s path over the contours of f (the rings halve f \
                each time); the ring marks the start, the arrows the direction:
                """
                Figure(
                    "The six paths, one per panel, on the same surface; × marks the minimum.",
                    panels: Panels(
                        columns: 3,
                        plots: runs.enumerated().map { k, run in
                            surfacePlot(.plain(run.rule.title), [.trajectory(path(run, color: k)), minimum])
                        }))
                Figure(
                    "All six together; × marks the minimum.",
                    plot: surfacePlot(
                        nil,
                        runs.enumerated().map { k, run in .trajectory(path(run, name: .plain(run.rule.title), color: k))
                        } + [minimum]))
                Figure(
                    "f after each step, on a logarithmic scale.",
                    plot: Plot(
                        x: "step", y: .init("f", scale: .logarithmic),
                        layers: runs.enumerated().map { k, run in
                            .line(curve(run, name: .plain(run.rule.title), color: k))
                        }))
                outcomeTable(runs, n)
                behaviour(runs, n, beta: p["momentum.beta"])
                divergenceNotes(runs, n)
            }
            Section("The learning rate") {
                """
                With learning rate α, gradient descent multiplies the distance to the minimum along y by \
                1 − 10α each step: it creeps for small α, overshoots and zig-zags beyond α = 0.1, and \
                diverges beyond α = 2/10 = \(n.number(limit)). Four learning rates, as shares of that limit:
                """
                Figure(
                    "Gradient descent with four learning rates.",
                    panels: Panels(
                        columns: 2,
                        plots: sweep.enumerated().map { k, run in
                            surfacePlot(
                                "α = \(n.number(shares[k] * limit)) (\(n.number(shares[k])) of the limit)",
                                [.trajectory(path(run, color: k)), minimum])
                        }))
                Figure(
                    "f after each step for the four learning rates; a path that passes 10^{10} stops there.",
                    plot: Plot(
                        x: "step", y: .init("f", scale: .logarithmic),
                        layers: sweep.enumerated().map { k, run in
                            .line(curve(run, name: "α = \(n.number(shares[k] * limit))", color: k))
                        }))
                divergenceNotes(sweep, n, names: shares.map { "α = \(n.number($0 * limit))" })
            }
            Section("Learning-rate decay") {
                """
                Decay shrinks the learning rate as training goes on (000: “slowly reduce α with time”); one common \
                schedule is α_{t} = α_0/(1 + decay·t). Started at α_0 = \(n.number(1.5 * limit)), above the limit, 
                """
                    + decayOutcome(decayed, decays: decays, limit: limit, n) + ":"
                Figure(
                    "The learning rate and f, for three decay rates from α_0 = \(n.number(1.5 * limit)).",
                    panels: Panels(
                        columns: 2, sharedX: true, sharedY: false,
                        plots: [
                            Plot(
                                x: "step", y: "α_{t}",
                                layers: decays.enumerated().map { k, decay in
                                    .line(
                                        .init(
                                            "decay = \(n.number(decay))",
                                            points: (0...steps).map {
                                                (Double($0), 1.5 * limit / (1 + decay * Double($0)))
                                            }, color: k))
                                } + [.rule(vertical: false, at: limit, label: "stability limit")]),
                            Plot(
                                x: "step", y: .init("f", scale: .logarithmic),
                                layers: decayed.enumerated().map { k, run in
                                    .line(curve(run, name: "decay = \(n.number(decays[k]))", color: k))
                                }),
                        ]))
                divergenceNotes(decayed, n, names: decays.map { "decay = \(n.number($0))" })
            }
            Section("Two minima") {
                """
                Away from the bowl a surface can have several minima. This one is a difference of two Gaussians, \
                as in the notes’ animation (003): a deep well on the right, a shallower one on the left. Gradient \
                descent only ever looks at the slope where it stands, so the start decides where it ends: two starts \
                a third of a unit apart, on either side of the ridge between the wells, end in different ones:
                """
                Figure(
                    "Gradient descent from two starts on a surface with a local and a global minimum.",
                    plot: surfacePlot(
                        nil,
                        wellRuns.enumerated().map { k, run in
                            .trajectory(
                                path(
                                    run, name: "from (\(n.number(wellStarts[k].x)), \(n.number(wellStarts[k].y)))",
                                    color: k))
                        }, field: field(wells, x: -3...3, y: -2.4...2.4)))
                wellsTable(wellRuns, starts: wellStarts, n)
            }
            Section("A saddle, not a minimum") {
                """
                At a saddle the gradient vanishes too, but the point is a minimum along one direction and a \
                maximum along another: f = x^{2} − y^{2} at (0, 0). The notes warn that in deep learning saddles, \
                not local minima, are what slows training: near one the gradient is tiny and the steps crawl. \
                Started almost on the ridge, y_0 = \(n.number(saddleRun.points[0].y)), gradient descent slides \
                to the saddle, lingers, and leaves along y as the tiny offset grows by a factor 1 + 2α per step:
                """
                Figure(
                    "Gradient descent near a saddle: f = x^{2} − y^{2}.",
                    panels: Panels(
                        columns: 2, sharedX: false, sharedY: false,
                        plots: [
                            surfacePlot(
                                nil, [.trajectory(path(saddleRun, color: 0)), .marker(x: 0, y: 0, label: "saddle")],
                                field: field(saddle, x: -2...2, y: -2...2)),
                            Plot(
                                x: "step", y: "f",
                                layers: [
                                    .line(curve(saddleRun, color: 0)),
                                    .rule(vertical: false, at: 0, label: "f at the saddle"),
                                ]),
                        ]))
            }
            OptimizerErrata.note(p, runs: runs, n)
        }
        return LessonResult(
            lesson: Lesson.optimizers.name, parameters: p, report: report, values: values,
            recordings: [Recording(notation: a, output: node(adam, "x_1")!, prefix: "adam.")])
    }

    static func node(_ run: Descent, _ label: String) -> Value? { run.tape.node(labeled: label) }

    /// g, V, S, V̂, Ŝ, the step and the new w for Adam's first three steps, both coordinates.
    static func adamTable(_ adam: Descent, _ a: Notation) -> Table {
        let columns = ["g", "V", "S", "Vhat", "Shat", "step"]
        let rows = (1...3).flatMap { t in
            ["x", "y"].compactMap { c -> [RichText]? in
                guard let w = node(adam, "\(c)_\(t)") else { return nil }
                return [.plain("\(t)"), .plain(c, .italic)]
                    + columns.map { node(adam, "\($0)_\(c)\(t)").map(a.value) ?? "" } + [a.value(w)]
            }
        }
        return Table(
            """
            Adam’s first three steps: the gradient, both moments, their \
            bias-corrected values, the step α V̂/(√Ŝ + ε) and the new coordinate.
            """,
            columns: [.init("t", alignment: .trailing), .init("")]
                + ["g", "V", "S", "V̂", "Ŝ", "step", "new w"].map { .init(RichText($0), alignment: .trailing) },
            rows: rows)
    }

    /// What each path did, read from its iterates: whether gradient descent crosses the valley,
    /// whether momentum ends lower or loops, and where f is lowest for the rules that never settle.
    static func behaviour(_ runs: [Descent], _ n: Notation, beta: Double) -> [Paragraph] {
        func run(_ rule: UpdateRule) -> Descent { runs.first { $0.rule == rule }! }
        let (gd, momentum, nesterov) = (run(.gd), run(.momentum), run(.nesterov))
        let crossings = zip(gd.points, gd.points.dropFirst()).filter { $0.y * $1.y < 0 }.count
        var text: [RichText] = []
        text.append(
            crossings > 0
                ? "Gradient descent zig-zags across the valley (its y changes sign \(crossings) time\(crossings == 1 ? "" : "s")), its steps sized for the steep direction and too small for the shallow one."
                : "Gradient descent never crosses the valley floor: its rate is below the 0.1 at which a step along y overshoots."
        )
        func against(_ a: Descent, _ b: Descent) -> RichText {
            "f = " + n.number(a.last.f) + " against " + n.number(b.last.f)
        }
        if gd.diverged != nil || momentum.diverged != nil {
            text.append(
                "Momentum adds up the past steps, its velocity kept by the factor β = " + n.number(beta) + " each step."
            )
        } else if momentum.last.f < gd.last.f {
            text.append(
                """
                Momentum adds up the past steps, keeps its speed along the valley and ends lower than gradient descent (
                """
                    + against(momentum, gd) + ").")
        } else {
            text.append(
                """
                Momentum adds up the past steps too, but here its velocity carries it past the minimum \
                again and again: it circles the minimum and ends higher than gradient descent (
                """
                    + against(momentum, gd) + "). A smaller β, or a smaller rate, damps the loops.")
        }
        if nesterov.diverged == nil && momentum.diverged == nil {
            text.append(
                "Nesterov takes its gradient where the momentum is about to carry it"
                    + (nesterov.last.f < momentum.last.f
                        ? ", which brakes before an overshoot: it ends lower than momentum ("
                        : "; here that ends no lower than momentum (") + against(nesterov, momentum) + ").")
        }
        text.append(
            """
            RMSProp and Adam divide each coordinate by the size of its own recent gradients, so both directions move \
            at about α per step; Adagrad divides by all the gradients so far, and its steps shrink as they pile up.
            """
        )
        // A rule whose f is lowest well before the end, and far above that at the end, has not settled.
        for rule in [UpdateRule.rmsprop, .adam, .adagrad] {
            let path = run(rule)
            guard path.diverged == nil,
                let lowest = path.points.indices.min(by: { path.points[$0].f < path.points[$1].f }),
                lowest < path.points.count - 1, path.last.f > 10 * path.points[lowest].f
            else { continue }
            text.append(
                .plain(rule.title) + "’s f is lowest at step \(lowest) (" + n.number(path.points[lowest].f)
                    + ") and rises after it, to " + n.number(path.last.f)
                    + " at step \(path.points.count - 1): steps that stay about α long cannot settle on the minimum, and pass it by."
            )
        }
        return [Paragraph(text.dropFirst().reduce(text[0]) { $0 + " " + $1 })]
    }

    /// What decay did for each schedule from α₀ above the limit, read from the runs: diverged,
    /// or ended below its start.
    static func decayOutcome(_ runs: [Descent], decays: [Double], limit: Double, _ n: Notation) -> RichText {
        let words = zip(decays, runs).map { decay, run -> RichText in
            let name: RichText = decay == 0 ? "plain gradient descent" : "with decay " + n.number(decay) + " it"
            let fate: RichText =
                run.diverged != nil
                ? " diverges"
                : run.last.f < run.points[0].f
                    ? " ends at f = " + n.number(run.last.f) + ", below its start" : " ends no lower than it started"
            return name + fate
        }
        return words.dropFirst().reduce(words[0]) { $0 + "; " + $1 }
    }

    /// Where each run ended after its steps.
    static func outcomeTable(_ runs: [Descent], _ n: Notation) -> Table {
        Table(
            "Where each optimizer stands after its last step.",
            columns: [
                .init("optimizer"), .init("steps", alignment: .trailing), .init("x", alignment: .trailing),
                .init("y", alignment: .trailing), .init("f", alignment: .trailing),
            ],
            rows: runs.map { run in
                [
                    .plain(run.rule.title), .plain("\(run.points.count - 1)"), n.number(run.last.x),
                    n.number(run.last.y), n.number(run.last.f),
                ]
            })
    }

    static func wellsTable(_ runs: [Descent], starts: [(x: Double, y: Double)], _ n: Notation) -> Table {
        Table(
            "Where the two paths end; the deeper well holds the global minimum.",
            columns: [
                .init("start"), .init("end x", alignment: .trailing), .init("end y", alignment: .trailing),
                .init("f", alignment: .trailing),
            ],
            rows: zip(runs, starts).map { run, s in
                [
                    "(" + n.number(s.x) + ", " + n.number(s.y) + ")", n.number(run.last.x), n.number(run.last.y),
                    n.number(run.last.f),
                ]
            })
    }

    /// A sentence for every run that diverged: where f passed 10¹⁰ and the path was stopped.
    static func divergenceNotes(_ runs: [Descent], _ n: Notation, names: [RichText]? = nil) -> [Paragraph] {
        runs.enumerated().compactMap { k, run in
            let who = names?[k] ?? .plain(run.rule.title)
            if let step = run.undefined {
                return Paragraph(
                    "With " + who
                        + " and ε = 0 the update at step \(step) is 0/0: a coordinate whose gradient has been 0 at every step so far divides 0 by √0. The step is undefined, so the path ends at step \(step - 1); a positive ε is there to make it 0."
                )
            }
            guard let step = run.diverged else { return nil }
            return Paragraph(
                "With " + who
                    + " the path diverges: at step \(step) f passes \(n.number(Descent.divergence)) (its last value before that, at step \(step - 1), was \(n.number(run.points[step - 1].f))). The path is drawn up to there and stops."
            )
        }
    }
}
