import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// The activation functions of 001_1d037609c44b217d.txt with their derivatives, the vanishing
    /// gradient of the sigmoid's flat tails, and "any real function in an interval can be
    /// approximated with a linear combination of translated and scaled ReLU functions".
    public static let activations = Lesson(
        name: "activations",
        title: "Activation functions and their derivatives, the vanishing gradient, and curves built from ReLUs",
        parameters: [
            .real("x", 1, in: -20...20, "the point at which every function and derivative is worked out"),
            .real("leak", 0.1, in: 0...1, "ε of the leaky ReLU, f = εx + (1 − ε) max(0, x)"),
            .integer("k", 6, in: 1...40, "ReLUs in the fitted combination"),
            .choice(
                "target", "sine", among: ["sine", "bump", "cubic"],
                "the curve the ReLUs fit on [−3, 3]: sin x, e^{−x²}, or x³/9 − x"),
            .digits(6),
        ],
        build: Activations.build
    ).regimes([
        Regime("x=-20", "deep in the tails: σ′ and tanh′ all but vanish, ReLU is off"),
        Regime("leak=0", "no leak: the leaky ReLU is the ReLU"),
        Regime(["k=1", "target=cubic"], "a single ReLU against a cubic: the fit is one bend"),
    ])
}

enum Activations {
    /// An activation as the notes write it (001), recorded on the tape from the engine's primitives.
    struct Function: Sendable {
        let name: String
        let label: String
        let formula: RichText
        let derivative: RichText
        let apply: @Sendable (Value, Double) -> Value
    }

    static let functions = [
        Function(name: "sigmoid", label: "sigmoid", formula: "1/(1 + e^{−x})", derivative: "σ(x)(1 − σ(x))") { x, _ in
            x.sigmoid()
        },
        Function(name: "tanh", label: "tanh", formula: "(e^{2x} − 1)/(e^{2x} + 1)", derivative: "1 − tanh(x)^{2}") {
            x, _ in x.tanh()
        },
        Function(name: "ReLU", label: "relu", formula: "max(0, x)", derivative: "1 for x > 0, else 0") { x, _ in
            x.relu()
        },
        Function(
            name: "leaky ReLU", label: "leaky", formula: "εx + (1 − ε) max(0, x)",
            derivative: "ε + (1 − ε) for x > 0, else ε"
        ) { x, leak in
            leak * x + (1 - leak) * x.relu()
        },
        Function(
            name: "softplus (soft ReLU)", label: "softplus", formula: "log(1 + e^{x})",
            derivative: "1/(1 + e^{−x}) = σ(x)"
        ) { x, _ in
            (1.0 + x.exp()).log()
        },
    ]

    /// f and f′ at x, from the tape: the value forward, the derivative backward.
    static func evaluate(_ f: Function, at x: Double, leak: Double, on tape: Tape) -> (value: Double, slope: Double) {
        tape.clear()
        let input = tape.input(x)
        let y = f.apply(input, leak)
        tape.backward(from: y)
        return (y.value, input.gradient)
    }

    static let targets: [String: (title: RichText, f: @Sendable (Double) -> Double)] = [
        "sine": ("sin x", { sin($0) }),
        "bump": ("e^{−x^{2}}", { exp(-$0 * $0) }),
        "cubic": ("x^{3}/9 − x", { $0 * $0 * $0 / 9 - $0 }),
    ]

    /// The best combination c₀ + Σᵢ cᵢ max(0, x − bᵢ) of k ReLUs with knots bᵢ evenly spaced
    /// over [−3, 3), in the least-squares sense on 241 points.
    struct Fit {
        let knots: [Double]
        let coefficients: [Double]
        let xs: [Double]
        let target: [Double]
        let fitted: [Double]
        var maxError: Double { zip(target, fitted).map { abs($0 - $1) }.max()! }
        /// √(mean squared error): what least squares makes smallest.
        var rmsError: Double {
            (zip(target, fitted).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(xs.count)).squareRoot()
        }

        init(k: Int, _ f: (Double) -> Double) {
            xs = (0...240).map { -3 + 6 * Double($0) / 240 }
            knots = (0..<k).map { -3 + 6 * Double($0) / Double(k) }
            let knots = self.knots
            let rows = xs.map { x in [1] + knots.map { max(0, x - $0) } }
            target = xs.map(f)
            coefficients = LeastSquares.fit(rows: rows, targets: target)!
            // The fitted curve, each point recorded on a tape from the ReLU primitive.
            let tape = Tape()
            let c = coefficients
            fitted = xs.map { x in
                tape.clear()
                let input = tape.input(x)
                return knots.indices.reduce(tape.input(c[0])) { sum, i in sum + c[i + 1] * (input - knots[i]).relu() }
                    .value
            }
        }

        /// Coefficient i, or 0 where it is rounding noise (within 10⁻¹² of the largest): a
        /// symmetric target makes some weights exactly 0, which the solve leaves as 10⁻¹⁶ or so.
        func rounded(_ i: Int) -> Double {
            abs(coefficients[i]) < 1e-12 * coefficients.map(abs).max()! ? 0 : coefficients[i]
        }

        /// The i-th piece, cᵢ max(0, x − bᵢ), over the sample points.
        func piece(_ i: Int) -> [(x: Double, y: Double)] {
            xs.map { ($0, coefficients[i + 1] * max(0, $0 - knots[i])) }
        }
    }

    static func build(_ p: Parameters) -> LessonResult {
        let (x0, leak, k) = (p["x"], p["leak"], p.integer("k"))
        let format = NumberFormat(significantDigits: p.integer("digits"))
        let tape = Tape()
        let x = tape.input(x0, "x")
        let eps = tape.input(leak, "eps")
        // Each function at x, named, so the steps show its formula and its derivative from the tape.
        let outputs = functions.map { f -> Value in
            f.label == "leaky" ? (eps * x + (1.0 - eps) * x.relu()).labeled(f.label) : f.apply(x, leak).labeled(f.label)
        }
        let n = Notation(
            tape: tape, format: format,
            symbols: [
                "eps": "ε", "sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "leaky": "leaky", "softplus": "softplus",
            ])

        let grid = (0...160).map { -4 + 8 * Double($0) / 160 }
        let scratch = Tape()
        let curves = functions.map { f in grid.map { evaluate(f, at: $0, leak: leak, on: scratch) } }
        let tableXs = [-4.0, -2, -1, 0, 1, 2, 4]
        let tableValues = functions.map { f in tableXs.map { evaluate(f, at: $0, leak: leak, on: scratch) } }

        // Vanishing gradients: the derivative of n stacked sigmoids (tanh, ReLU) at 0, by the engine.
        let depths = [1, 2, 5, 10, 20]
        func stacked(_ depth: Int, _ f: Function, at start: Double) -> Double {
            scratch.clear()
            let input = scratch.input(start)
            let top = (0..<depth).reduce(input) { v, _ in f.apply(v, leak) }
            scratch.backward(from: top)
            return input.gradient
        }
        let tails = [0.0, 2, 5, 10].map {
            (x: $0, slope: evaluate(functions[0], at: $0, leak: leak, on: scratch).slope)
        }

        let target = targets[p.choice("target")]!
        let fit = Fit(k: k, target.f)
        let ladder = [2, 4, 8, 16].map { Fit(k: $0, target.f) }

        var values = ExportedValues(tape)
        for (f, points) in zip(functions, curves) {
            values["curve.\(f.label)"] = .array(points.map(\.value))
            values["curve.d\(f.label)/dx"] = .array(points.map(\.slope))
        }
        values["curve.x"] = .array(grid)
        for (f, output) in zip(functions, outputs) {
            values["d\(f.label)/dx"] = .number(tape.derivative(of: output, withRespectTo: x))
        }
        values["stack.sigmoid"] = .array(depths.map { stacked($0, functions[0], at: 0) })
        values["fit.knots"] = .array(fit.knots)
        values["fit.c"] = .array(fit.coefficients)
        values["fit.max_error"] = .number(fit.maxError)
        values["fit.rms_error"] = .number(fit.rmsError)
        values["ladder.rms_error"] = .array(ladder.map(\.rmsError))
        values["ladder.max_error"] = .array(ladder.map(\.maxError))

        let report = Report(
            title: "Activation functions",
            subtitle:
                """
                Five activations and their derivatives, why the sigmoid’s flat tails slow learning, \
                and a curve built from ReLUs. Every number below was computed by the engine.
                """,
            lesson: Lesson.activations.name,
            source:
                """
                Notes \(CourseNotes.cite("001")) (“Activation functions”, \
                “What is the meaning of the activation function?”)
                """
        ) {
            Section("Five activations") {
                """
                A layer without an activation only multiplies by a matrix, and a stack of them is \
                one matrix again: the activation is what makes a network more than linear. The notes \
                list five, each with a typical threshold where it switches on. Here each is worked \
                out at x = \(n.value(x)), its derivative read back from the engine’s backward pass:
                """
                for (f, output) in zip(functions, outputs) {
                    n.step(output, .plain(f.name.prefix(1).uppercased() + f.name.dropFirst() + ": f(x) = ") + f.formula)
                    n.derivative(of: output, withRespectTo: x, "its derivative, as the notes write it: " + f.derivative)
                }
                Figure(
                    """
                    Each activation (solid) and its derivative (dashed) on [−4, 4]; leaky ReLU with ε = \(n.value(eps)).
                    """,
                    panels: Panels(
                        columns: 3, sharedX: true, sharedY: false,
                        plots: zip(functions, curves).enumerated().map { k, item in
                            let (f, points) = item
                            return Plot(
                                title: .plain(f.name), x: "x", y: "", legend: k == 0,
                                layers: [
                                    .line(.init("f", points: zip(grid, points).map { ($0, $1.value) }, color: 0)),
                                    .line(
                                        .init(
                                            "f′", points: zip(grid, points).map { ($0, $1.slope) }, color: 1,
                                            dashed: true)),
                                ])
                        }))
                Table(
                    "The activations at a few points.",
                    columns: [.init("x", alignment: .trailing)]
                        + functions.map { .init(.plain($0.name), alignment: .trailing) },
                    rows: tableXs.indices.map { i in [n.number(tableXs[i])] + tableValues.map { n.number($0[i].value) }
                    })
                Table(
                    "Their derivatives at the same points.",
                    columns: [.init("x", alignment: .trailing)]
                        + functions.map { .init(.plain($0.name + "′"), alignment: .trailing) },
                    rows: tableXs.indices.map { i in [n.number(tableXs[i])] + tableValues.map { n.number($0[i].slope) }
                    })
                """
                ReLU’s derivative jumps at 0; the engine takes the value 0 there (a subgradient), \
                as PyTorch does. Softplus is a smooth ReLU whose derivative is exactly the sigmoid.
                """
            }
            Section("The vanishing gradient") {
                """
                The sigmoid’s derivative σ(x)(1 − σ(x)) is at most 1/4, at x = 0, and dies away on \
                the flat tails: a unit whose input sits far from 0 passes almost no gradient back, \
                and learns slowly (003: “a neuron learns slowly if … the output has saturated”).
                """
                Table(
                    "σ′ on its way out to the tails.",
                    columns: [.init("x", alignment: .trailing), .init("σ′(x)", alignment: .trailing)],
                    rows: tails.map { [n.number($0.x), n.number($0.slope)] })
                """
                Backpropagation multiplies one such factor per layer. The derivative of n stacked activations, \
                f(f(…f(x))), at x = 0, computed by the engine, against the sigmoid’s bound (1/4)^{n}:
                """
                Table(
                    "The gradient through n stacked activations at x = 0.",
                    columns: [
                        .init("n", alignment: .trailing), .init("sigmoid", alignment: .trailing),
                        .init("(1/4)^{n}", alignment: .trailing),
                        .init("tanh", alignment: .trailing), .init("ReLU", alignment: .trailing),
                    ],
                    rows: depths.map { d in
                        [
                            .plain("\(d)"), n.number(stacked(d, functions[0], at: 0)), n.number(pow(0.25, Double(d))),
                            n.number(stacked(d, functions[1], at: 0)), n.number(stacked(d, functions[2], at: 1e-9)),
                        ]
                    })
                """
                Twenty sigmoid layers shrink the gradient by a factor of \
                \(n.number(1 / stacked(20, functions[0], at: 0))); tanh, whose derivative is 1 at \
                0, passes it whole there, and ReLU passes it whole wherever the unit is on (the last \
                column is taken just right of 0). This is why deep networks use ReLUs, and why their \
                initialisation matters.
                """
            }
            Section("Curves from ReLUs") {
                """
                001: “any real function in an interval (a, b) can be approximated with a linear \
                combination of translated and scaled ReLU functions”. With k = \(k) ReLUs switching on \
                at evenly spaced points b_i of [−3, 3), the best combination c_0 + Σ_{i} c_i max(0, x \
                − b_i) in the least-squares sense fits \(target.title) up to \(n.number(fit.maxError)) \
                at worst. Each piece is one scaled, translated ReLU; their sum bends once at every knot:
                """
                Figure(
                    "\(k) ReLU pieces (thin) and their sum (thick) against the target \(target.title) (dashed).",
                    plot: Plot(
                        x: "x", y: "",
                        layers: fit.knots.indices.map { i in .line(.init(points: fit.piece(i), color: 5)) }
                            + [
                                .line(
                                    .init(
                                        .plain("target ") + target.title,
                                        points: zip(fit.xs, fit.target).map { ($0, $1) }, color: 6, dashed: true)),
                                .line(
                                    .init(
                                        "sum of \(k) ReLUs", points: zip(fit.xs, fit.fitted).map { ($0, $1) }, color: 1)
                                ),
                            ]))
                Table(
                    """
                    The combination: where each ReLU switches on and its weight (c_0 is the constant). \
                    A weight within 10^{−12} of the largest is 0 up to rounding and printed as 0.
                    """,
                    columns: [
                        .init("i", alignment: .trailing), .init("b_i", alignment: .trailing),
                        .init("c_i", alignment: .trailing),
                    ],
                    rows: [[.plain("0"), "", n.number(fit.rounded(0))]]
                        + fit.knots.indices.map { i in
                            [.plain("\(i + 1)"), n.number(fit.knots[i]), n.number(fit.rounded(i + 1))]
                        })
                // Whether the worst error fell at every doubling, read from the ladder.
                let rises = zip(ladder, ladder.dropFirst()).filter { $1.maxError > $0.maxError }.map {
                    "from k = \($0.knots.count) to k = \($1.knots.count)"
                }
                RichText(
                    """
                    More ReLUs, a closer fit. Doubling k keeps every knot and adds one \
                    between each pair, so the best fit can only improve in the sense least \
                    squares measures, the root-mean-square error; the worst error need not, 
                    """
                )
                    + RichText(
                        rises.isEmpty
                            ? "though here it falls at every doubling too."
                            : "and here it rises " + rises.joined(separator: " and ") + ".")
                Figure(
                    "The fit with 2, 4, 8 and 16 ReLUs.",
                    panels: Panels(
                        columns: 2,
                        plots: ladder.map { fit in
                            Plot(
                                title:
                                    """
                                    k = \(fit.knots.count): RMS error \
                                    \(n.number(fit.rmsError)), worst \(n.number(fit.maxError))
                                    """,
                                x: "x", y: "",
                                layers: [
                                    .line(
                                        .init(points: zip(fit.xs, fit.target).map { ($0, $1) }, color: 6, dashed: true)),
                                    .line(.init(points: zip(fit.xs, fit.fitted).map { ($0, $1) }, color: 1)),
                                ])
                        }))
            }
        }
        return LessonResult(
            lesson: Lesson.activations.name, parameters: p, report: report, values: values,
            recordings: [Recording(notation: n, output: outputs[0])])
    }
}
