import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// 001_1d037609c44b217d.txt's two minimisation rules, W_{t+1} = W_t − λ_t ∇f(W_t) and
    /// W_{t+1} = W_t − λ [Hf(W_t)]⁻¹ ∇f(W_t) ("NEWTON CONVERGES FASTER... BUT NEEDS THE HESSIAN"),
    /// on a quadratic bowl and on Rosenbrock's valley, with the Hessian worked on the tape.
    public static let newton = Lesson(
        name: "newton",
        title:
            """
            Newton's method against gradient descent: the Hessian \
            worked, one step on a quadratic, iterations on Rosenbrock
            """,
        parameters: [
            .real("x0", -1.2, in: -2...2, "start x (Rosenbrock's classic start is (−1.2, 1))"),
            .real("y0", 1, in: -1...3, "start y"),
            .real("lambda", 1, in: 0.01...1, "Newton's step size λ (1: the pure Newton step)"),
            .real(
                "quadratic.lr", 0.18, in: 0...1,
                """
                gradient descent's λ_t on the quadratic (it diverges above \
                \(NumberFormat(significantDigits: 3).plain(Newton.quadraticLimit)))
                """
            ),
            .real("rosenbrock.lr", 0.001, in: 0...0.01, "gradient descent's λ_t on Rosenbrock's function"),
            .real("tol", 1e-6, in: 1e-12...1e-2, "converged once the gradient's length ‖∇f‖ is below this"),
            .integer("steps", 100_000, in: 1...1_000_000, "most iterations either method may take"),
            .digits(6),
        ],
        build: Newton.build
    ).regimes([
        Regime(
            "lambda=0.5", "a damped step: Newton goes half way to the quadratic's minimum and needs many iterations"),
        Regime("quadratic.lr=0.25", "gradient descent's rate above 2/λ_max: it diverges on the quadratic"),
        Regime("quadratic.lr=0", "a zero rate: gradient descent does not move"),
        Regime(["steps=5"], "too few iterations: neither method converges on Rosenbrock"),
        Regime(["x0=0", "y0=0.005"], "a start where Rosenbrock's Hessian is singular: no Newton step"),
    ]).varying(
        [Variation("x0", -2...2, step: 0.1), Variation("y0", -1...3, step: 0.1)],
        soundWhen: { p in
            // Rosenbrock's H at the start positive definite (h_xx > 0, det H > 0, well away from 0):
            // the quadratic model has a minimum, and the step Δ = H⁻¹∇f is not a division by nearly 0.
            let (x, y) = (p["x0"], p["y0"])
            let hxx = 2 - 400 * (y - x * x) + 800 * x * x
            return hxx > 0 && hxx * 200 - 160_000 * x * x > 100
        })
}

enum Newton {
    /// A function of W = (x, y) recorded on a tape, with the minimum it has.
    struct Function: Sendable {
        let key: String, name: String, formula: RichText
        let minimum: (x: Double, y: Double)
        let f: @Sendable (Value, Value) -> Value
        let x: ClosedRange<Double>, y: ClosedRange<Double>, levels: [Double]?
    }

    static let quadratic = Function(
        key: "quadratic", name: "the quadratic", formula: "½(x^{2} + 10y^{2})", minimum: (0, 0),
        f: { x, y in 0.5 * (x.pow(2) + 10.0 * y.pow(2)) }, x: -2...2, y: -1.5...1.5, levels: nil)
    static let rosenbrock = Function(
        key: "rosenbrock", name: "Rosenbrock’s function", formula: "(1 − x)^{2} + 100(y − x^{2})^{2}",
        minimum: (1, 1), f: { x, y in (1.0 - x).pow(2) + 100.0 * (y - x.pow(2)).pow(2) },
        x: -2...2, y: -1...3, levels: [0.25, 1, 4, 16, 64, 256, 1024])

    /// Gradient descent on the quadratic diverges for λ_t above 2/λ_max, λ_max the largest
    /// eigenvalue of its constant Hessian (recorded on a tape, as the lesson's steps are).
    static let quadraticLimit: Double = {
        let tape = Tape()
        let h = Point(quadratic, x: tape.input(0), y: tape.input(0), labeled: false).hessian.map { $0.map(\.value) }
        let (mean, half) = ((h[0][0] + h[1][1]) / 2, (h[0][0] - h[1][1]) / 2)
        return 2 / (mean + (half * half + h[0][1] * h[1][0]).squareRoot())
    }()

    /// f, its gradient and Hessian recorded at W, and the Newton step Δ = H⁻¹∇f solved on the tape
    /// (a 2 × 2 system by Cramer's rule). `labeled`: every node named, for the worked steps.
    struct Point {
        let f: Value, gradient: [Value], hessian: [[Value]], determinant: Value
        /// nil where det H = 0: H has no inverse and Newton's step is not defined.
        let delta: [Value]?

        init(_ function: Function, x: Value, y: Value, labeled: Bool) {
            let tape = x.tape
            let existing = tape.count
            // A derivative that is a node already there (∂(½x²)/∂x is x itself) keeps its own name.
            func named(_ v: Value, _ label: String) -> Value { labeled && v.id >= existing ? v.labeled(label) : v }
            let w = [x, y]
            let names = ["x", "y"]
            let f = named(function.f(x, y), "f")
            let g = (0..<2).map { named(tape.recordDerivative(of: f, withRespectTo: w[$0]), "df/d\(names[$0])") }
            let h = (0..<2).map { i in
                (0..<2).map { j in
                    named(tape.recordDerivative(of: g[i], withRespectTo: w[j]), "d2f/d\(names[i])d\(names[j])")
                }
            }
            let determinant = named(h[0][0] * h[1][1] - h[0][1] * h[1][0], "det_H")
            (self.f, gradient, hessian, self.determinant) = (f, g, h, determinant)
            delta =
                determinant.value == 0
                ? nil
                : [
                    named((h[1][1] * g[0] - h[0][1] * g[1]) / determinant, "delta_x"),
                    named((h[0][0] * g[1] - h[1][0] * g[0]) / determinant, "delta_y"),
                ]
        }
    }

    /// A run of one method until ‖∇f‖ < tol: the iterates (x, y, f), and how it ended.
    struct Run {
        enum Ending: Equatable { case converged, stalled, diverged, singular }
        private(set) var points: [(x: Double, y: Double, f: Double)] = []
        private(set) var ending = Ending.stalled

        init(
            _ function: Function, newton: Bool, rate: Double, from start: (x: Double, y: Double), tol: Double,
            steps: Int
        ) {
            let tape = Tape()
            var (x, y) = start
            for t in 0...steps {
                tape.clear()
                let (vx, vy) = (tape.input(x), tape.input(y))
                let move: (Double, Double)
                let f: Double
                let length: Double
                if newton {
                    let point = Point(function, x: vx, y: vy, labeled: false)
                    f = point.f.value
                    length = hypot(point.gradient[0].value, point.gradient[1].value)
                    move = point.delta.map { ($0[0].value, $0[1].value) } ?? (.nan, .nan)
                    if length >= tol && !(move.0.isFinite && move.1.isFinite) {
                        ending = .singular
                        points.append((x, y, f))
                        break
                    }
                } else {
                    let value = function.f(vx, vy)
                    tape.backward(from: value)
                    f = value.value
                    length = hypot(vx.gradient, vy.gradient)
                    move = (vx.gradient, vy.gradient)
                }
                points.append((x, y, f))
                guard f.isFinite, abs(f) <= Descent.divergence else {
                    ending = .diverged
                    break
                }
                if length < tol {
                    ending = .converged
                    break
                }
                if t == steps { break }
                (x, y) = (x - rate * move.0, y - rate * move.1)
            }
        }

        var iterations: Int { points.count - 1 }
        var last: (x: Double, y: Double, f: Double) { points.last! }

        /// At most about `limit` iterates for a figure: every k-th, the start and the end kept.
        func thinned(_ limit: Int = 600) -> [(x: Double, y: Double)] {
            let every = max(1, points.count / limit)
            return points.indices.filter { $0 % every == 0 || $0 == points.count - 1 }.map {
                (points[$0].x, points[$0].y)
            }
        }
    }

    /// How a run ended, as a sentence names it: "6 iterations", "no convergence in 5 iterations".
    static func described(_ run: Run) -> RichText {
        switch run.ending {
        case .converged: "\(run.iterations.formatted()) iteration\(run.iterations == 1 ? "" : "s")"
        case .stalled: "no convergence in \(run.iterations.formatted()) iterations"
        case .diverged: "divergence at iteration \(run.iterations)"
        case .singular: "a singular Hessian at iteration \(run.iterations)"
        }
    }

    /// "it reaches ‖∇f‖ < 1e-6 in 6 iterations", or how the run ended instead.
    static func reaches(_ run: Run, tol: Double, _ n: Notation, ending: (Run) -> RichText) -> RichText {
        switch run.ending {
        case .converged: "it reaches ‖∇f‖ < " + n.number(tol) + " in " + ending(run) + " iterations"
        case .stalled: "it has not reached ‖∇f‖ < " + n.number(tol) + " after \(run.iterations.formatted()) iterations"
        case .diverged: "it diverges: f passes " + n.number(Descent.divergence) + " at iteration \(run.iterations)"
        case .singular: "it stops at iteration \(run.iterations), where H is singular"
        }
    }

    /// Gradient descent on the quadratic: why it is slow, or why it never arrives.
    static func gradientDescentOnTheQuadratic(_ run: Run, rate: Double, _ n: Notation, ending: (Run) -> RichText)
        -> RichText
    {
        let rate = n.number(rate)
        let limit = n.number(quadraticLimit)
        return switch run.ending {
        case .converged:
            "Gradient descent with λ_t = " + rate + " needs " + ending(run)
                + " iterations, because one learning rate cannot suit both the steep and the shallow direction."
        case .diverged:
            "Gradient descent with λ_t = " + rate + " diverges (f passes " + n.number(Descent.divergence)
                + " at iteration \(run.iterations)): above 2/λ_max = " + limit
                + " each step overshoots across the steep direction by more than it started with."
        case .stalled where run.points.first.map({ $0.x == run.last.x && $0.y == run.last.y }) ?? false:
            "Gradient descent with λ_t = " + rate + " does not move at all."
        case .stalled:
            "Gradient descent with λ_t = " + rate
                + " has not converged in the \(run.iterations.formatted()) iterations this run allows."
        case .singular:
            "Gradient descent with λ_t = " + rate + " stops."
        }
    }

    static func build(_ p: Parameters) -> LessonResult {
        let format = NumberFormat(significantDigits: p.integer("digits"))
        let start = (x: p["x0"], y: p["y0"])
        let lambda = p["lambda"]
        let tol = p["tol"]
        let steps = p.integer("steps")
        let symbols: [String: RichText] = [
            "df/dx": "∂f/∂x", "df/dy": "∂f/∂y", "d2f/dxdx": "∂^{2}f/∂x^{2}", "d2f/dxdy": "∂^{2}f/∂x∂y",
            "d2f/dydx": "∂^{2}f/∂y∂x",
            "d2f/dydy": "∂^{2}f/∂y^{2}", "det_H": "det H", "delta_x": "Δx", "delta_y": "Δy", "x_1": "x_1", "y_1": "y_1",
            "lambda": "λ",
        ]
        // Each function worked at the start on its own tape: f, ∇f, H, the step and W_1.
        func worked(_ function: Function) -> (tape: Tape, point: Point, next: [Value]?, notation: Notation) {
            let tape = Tape()
            let x = tape.input(start.x, "x")
            let y = tape.input(start.y, "y")
            let l = tape.input(lambda, "lambda")
            let point = Point(function, x: x, y: y, labeled: true)
            let next = point.delta.map { d in [(x - l * d[0]).labeled("x_1"), (y - l * d[1]).labeled("y_1")] }
            return (tape, point, next, Notation(tape: tape, format: format, symbols: symbols))
        }
        let functions = [quadratic, rosenbrock]
        let work = functions.map(worked)
        let rates = [p["quadratic.lr"], p["rosenbrock.lr"]]
        let runs = functions.indices.map { k in
            [
                Run(functions[k], newton: true, rate: lambda, from: start, tol: tol, steps: steps),
                Run(functions[k], newton: false, rate: rates[k], from: start, tol: tol, steps: steps),
            ]
        }
        let n = work[1].notation
        /// symbol = formula = numbers = value, for a node that may carry another name (x for ∂f/∂x).
        func step(_ v: Value, _ label: String, _ notation: Notation) -> Step {
            v.label == label
                ? notation.step(v)
                : Step(
                    lhs: notation.name(label),
                    rhs: [notation.formula(v), notation.formula(v, substituted: true), notation.value(v)])
        }
        // The quadratic's H is constant and regular: its step always exists.
        let landed = work[0].next!.map(\.value)
        let fAfter = { (k: Int) -> Double in
            guard let next = work[k].next else { return .nan }
            let tape = Tape()
            return functions[k].f(tape.input(next[0].value), tape.input(next[1].value)).value
        }

        var values = ExportedValues()
        for (k, function) in functions.enumerated() {
            var worked = ExportedValues(work[k].tape)
            if work[k].next != nil { worked["f_1"] = .number(fAfter(k)) }
            // A derivative that is a node already there (∂(½x²)/∂x is x) carries that node's name:
            // its value goes in under the derivative's name too, as the README lists it.
            let point = work[k].point
            for (v, label) in zip(
                point.gradient + point.hessian.joined(),
                ["df/dx", "df/dy", "d2f/dxdx", "d2f/dxdy", "d2f/dydx", "d2f/dydy"])
            where v.label != label { worked[label] = .number(v.value) }
            values.append(worked, prefix: function.key + ".")
            for (method, run) in zip(["newton", "gd"], runs[k]) {
                values["\(function.key).\(method).iterations"] = .number(Double(run.iterations))
                values["\(function.key).\(method).converged"] = .number(run.ending == .converged ? 1 : 0)
                values["\(function.key).\(method).end"] = .array([run.last.x, run.last.y, run.last.f])
                values["\(function.key).\(method).path"] = .rows(run.thinned(1000).map { [$0.x, $0.y] })
            }
        }

        func contour(_ function: Function, _ layers: [Plot.Layer], title: RichText? = nil) -> Plot {
            var field = Plot.Field(x: function.x, y: function.y, samples: 81, levels: function.levels) { a, b in
                let tape = Tape()
                return function.f(tape.input(a), tape.input(b)).value
            }
            field.colors = .surface
            return Plot(
                title: title, x: .init("x", range: function.x), y: .init("y", range: function.y), equalAspect: true,
                layers: [.contour(field)] + layers + [.marker(x: function.minimum.x, y: function.minimum.y, label: "")])
        }
        func paths(_ k: Int) -> [Plot.Layer] {
            [
                .trajectory(.init("gradient descent", points: runs[k][1].thinned(), color: 1)),
                .trajectory(.init("Newton", points: runs[k][0].thinned(), color: 0)),
            ]
        }
        func ending(_ run: Run) -> RichText {
            switch run.ending {
            case .converged: "\(run.iterations.formatted())"
            case .stalled: "not in \(run.iterations.formatted())"
            case .diverged: "diverged at \(run.iterations)"
            case .singular: "H singular at \(run.iterations)"
            }
        }
        let rosenbrockNewton = runs[1][0]
        // Where pure Newton goes uphill on the way: f is not bound to fall at every step.
        let rise = zip(rosenbrockNewton.points, rosenbrockNewton.points.dropFirst()).enumerated().first {
            $0.element.1.f > $0.element.0.f
        }
        let million = 1_000_000.0

        let name = Lesson.newton.name
        let report = Report(
            title: "Newton’s method and gradient descent",
            subtitle:
                """
                Two rules for finding the minimum of a function: one follows the slope, the other also uses \
                the curvature. Every number below was computed by the engine, the second derivatives included.
                """,
            lesson: name,
            source:
                """
                Notes \(CourseNotes.cite("001")) (“Gradient Descent”, \
                “Newton”, “NEWTON CONVERGES FASTER... BUT NEEDS THE HESSIAN”)
                """
        ) {
            Section("Two rules") {
                """
                To train a network “we simply want to minimize the loss function with \
                respect to the weights” (001), and the notes give two standard rules. \
                Gradient descent steps against the gradient, with a learning rate λ_t:
                """
                Step(lhs: "W_{t+1}", rhs: ["W_t − λ_t ∇f(W_t)"], hasResult: false)
                """
                Newton’s method also uses the curvature: the Hessian H, the matrix of second derivatives \
                ∂^{2}f/∂W_i∂W_j. It fits the quadratic that has f’s value, slope and curvature at W_t \
                and jumps to that quadratic’s minimum (with λ = 1; a smaller λ takes part of the jump):
                """
                Step(lhs: "W_{t+1}", rhs: ["W_t − λ [Hf(W_t)]^{−1} ∇f(W_t)"], hasResult: false)
                """
                Here W = (x, y), both methods start from (\(n.number(start.x)), \(n.number(start.y))), \
                and a run stops once ‖∇f‖ < \(n.number(tol)). The engine records each derivative \
                as operations on the tape, so a derivative has a formula and can be differentiated \
                again: the Hessian’s entries below are derivatives of the gradient’s.
                """
                n.settingsTable(p, "Every setting of this run.")
            }
            for (k, function) in functions.enumerated() {
                let (tape, point, next, notation) = work[k]
                let title: RichText = k == 0 ? "A quadratic: one step" : "Rosenbrock’s valley: the Hessian at the start"
                Section(title) {
                    if k == 0 {
                        "First f(x, y) = " + function.formula
                            + ", the bowl of the lesson “Optimizers on a loss surface”: its curvature across y, ∂^{2}f/∂y^{2} = \(notation.value(point.hessian[1][1])), is \(notation.number(point.hessian[1][1].value / point.hessian[0][0].value)) times its curvature along x. At the start:"
                    } else {
                        "Rosenbrock’s function, f(x, y) = " + function.formula
                            + ", has its minimum at (\(notation.number(function.minimum.x)), \(notation.number(function.minimum.y))) at the bottom of a long, curved, flat-bottomed valley: a classic test that gradient descent finds hard. At the start:"
                    }
                    notation.step(point.f)
                    for (g, label) in zip(point.gradient, ["df/dx", "df/dy"]) { step(g, label, notation) }
                    "The Hessian’s entries, each the derivative of a gradient entry:"
                    for (h, label) in zip(point.hessian.joined(), ["d2f/dxdx", "d2f/dxdy", "d2f/dydx", "d2f/dydy"]) {
                        step(h, label, notation)
                    }
                    Table(
                        """
                        The Hessian of \(function.name) at (\(notation.number(start.x)), \(notation.number(start.y))).
                        """,
                        columns: [.init(""), .init("∂/∂x", alignment: .trailing), .init("∂/∂y", alignment: .trailing)],
                        rows: [
                            ["∂f/∂x", notation.value(point.hessian[0][0]), notation.value(point.hessian[0][1])],
                            ["∂f/∂y", notation.value(point.hessian[1][0]), notation.value(point.hessian[1][1])],
                        ])
                    "H^{−1}∇f solves H Δ = ∇f; for a 2 × 2 matrix Cramer’s rule gives it with the determinant:"
                    notation.step(point.determinant)
                    if let delta = point.delta, let next {
                        for d in delta { notation.step(d) }
                        "The Newton step, λ = \(notation.value(tape.node(labeled: "lambda")!)):"
                        for w in next { notation.step(w) }
                    } else {
                        """
                        The determinant is 0: H has no inverse here, and Newton’s step is not defined. The quadratic \
                        model is flat along some direction (Rosenbrock’s Hessian is singular wherever y = x^{2} + \
                        1/200), so it has no single minimum to jump to. From any start off that curve Newton’s method \
                        runs.
                        """
                    }
                    if k == 0 {
                        // A quadratic is its own model: λ = 1 lands exactly on the minimum, a smaller λ part way.
                        if landed[0] == function.minimum.x && landed[1] == function.minimum.y {
                            """
                            One step lands on (\(notation.number(landed[0])), \(notation.number(landed[1]))), \
                            where f = \(notation.number(fAfter(0))): the minimum. A quadratic is its own \
                            quadratic model, so with λ = 1 Newton’s method solves it in one step from anywhere.
                            """
                        } else {
                            """
                            One step goes a fraction λ = \(notation.number(lambda)) of the way to the minimum \
                            (\(notation.number(function.minimum.x)), \(notation.number(function.minimum.y))), to \
                            (\(notation.number(landed[0])), \(notation.number(landed[1]))), where f = \
                            \(notation.number(fAfter(0))), down from \(notation.value(point.f)). A quadratic is \
                            its own quadratic model, so only the pure step, λ = 1, lands on the minimum; with λ \
                            < 1 every step shrinks the distance to it by the factor 1 − λ = \
                            \(notation.number(1 - lambda)); 
                            """
                                + reaches(runs[0][0], tol: tol, notation, ending: ending) + "."
                        }
                        gradientDescentOnTheQuadratic(runs[0][1], rate: rates[0], notation, ending: ending)
                    } else if work[1].next != nil {
                        "This step " + notation.change(of: "f", from: point.f.value, to: fAfter(1))
                            + ". The Hessian changes from point to point, so Newton’s method has to compute it again at every iterate; "
                            + reaches(runs[1][0], tol: tol, notation, ending: ending) + "."
                    }
                }
            }
            Section("Iterations to converge") {
                Table(
                    """
                    Iterations until ‖∇f‖ < \(n.number(tol)) (at most \
                    \(steps.formatted())), and f where each run ends (its minimum is 0).
                    """,
                    columns: [
                        .init("function"), .init("method"), .init("λ", alignment: .trailing),
                        .init("iterations", alignment: .trailing),
                        .init("f at the end", alignment: .trailing),
                    ],
                    rows: functions.indices.flatMap { k in
                        zip(["Newton", "gradient descent"], runs[k]).enumerated().map { m, pair in
                            [
                                .plain(k == 0 ? "quadratic" : "Rosenbrock"), .plain(pair.0),
                                n.number(m == 0 ? lambda : rates[k]), ending(pair.1),
                                n.number(pair.1.last.f),
                            ]
                        }
                    })
                Figure(
                    "Both methods on both functions; the ring marks the start, × the minimum.",
                    panels: Panels(
                        columns: 2, sharedX: false, sharedY: false,
                        plots: functions.indices.map { k in
                            contour(functions[k], paths(k), title: .plain(functions[k].name))
                        }))
                Figure(
                    "f at each iteration on Rosenbrock’s function, on logarithmic axes.",
                    plot: Plot(
                        x: .init("iteration + 1", scale: .logarithmic), y: .init("f", scale: .logarithmic),
                        layers: zip(["Newton", "gradient descent"], runs[1]).enumerated().map { m, pair in
                            let every = max(1, pair.1.points.count / 600)
                            return .line(
                                .init(
                                    .plain(pair.0),
                                    points: pair.1.points.indices.filter {
                                        $0 % every == 0 || $0 == pair.1.points.count - 1
                                    }
                                    .map { (Double($0 + 1), max(pair.1.points[$0].f, 1e-30)) }, color: m))
                        }))
                if let rise {
                    """
                    Newton’s method is not a descent method: it heads for the stationary point of its quadratic \
                    model, which need not be lower. On Rosenbrock’s function f rises at iteration \(rise.offset + 1), \
                    from \(n.number(rise.element.0.f)) to \(n.number(rise.element.1.f)), before it falls to the \
                    minimum; a smaller λ or a line search (“damped” Newton) keeps every step downhill.
                    """
                }
                let (newtonRun, descentRun) = (runs[1][0], runs[1][1])
                switch (newtonRun.ending, descentRun.ending) {
                case (.converged, .converged) where newtonRun.iterations <= descentRun.iterations,
                    (.converged, .stalled), (.converged, .diverged):
                    """
                    Gradient descent creeps along the valley floor: its learning rate must stay \
                    below 2 over the steepest curvature to be stable, and the valley is thousands \
                    of times flatter along its floor than across it. Newton’s method divides \
                    by the curvature in each direction: on Rosenbrock’s function it needs 
                    """
                        + described(newtonRun) + ", against gradient descent’s " + described(descentRun) + "."
                case (.converged, _):
                    "Here Newton’s method is the slower on Rosenbrock’s function, " + described(newtonRun)
                        + " against gradient descent’s " + described(descentRun)
                        + ": with λ = \(n.number(lambda)) each of its steps takes only that fraction of the jump to its model’s minimum."
                case (.stalled, .stalled):
                    """
                    Neither method reaches ‖∇f‖ < \(n.number(tol)) on Rosenbrock’s function within the \
                    \(steps.formatted()) iterations this run allows; the table shows where each got to.
                    """
                case (.singular, _):
                    """
                    On Rosenbrock’s function Newton’s method stops at iteration \(newtonRun.iterations), where H \
                    is singular and the step is not defined; gradient descent, which needs no inverse, ends with 
                    """
                        + described(descentRun) + (descentRun.ending == .converged ? " to converge" : "") + "."
                default:
                    "On Rosenbrock’s function Newton’s method ends with " + described(newtonRun)
                        + ", gradient descent with " + described(descentRun) + "."
                }
                """
                But Newton’s method “needs the Hessian” (001): for n weights H has n^{2} entries \
                and the step solves an n × n system; a network with a million weights would need \
                \(n.number(million * million)) second derivatives per step. Everything relies \
                on the gradient, and gradient descent is, as 001 says, “most used by far”.
                """
            }
        }
        return LessonResult(
            lesson: name, parameters: p, report: report, values: values,
            recordings: [
                Recording(
                    notation: work[1].notation, output: work[1].next?[0] ?? work[1].point.determinant,
                    prefix: "rosenbrock.")
            ])
    }
}
