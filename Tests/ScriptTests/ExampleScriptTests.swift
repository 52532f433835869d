import Foundation
import LessonKit
import Lessons
import ReportModel
import TestSupport
import Testing

@testable import Script

/// The scripts in examples/ against the built-in lessons they rebuild, and the 3-2-1 network
/// against a computation written out by hand.
@Suite struct ExampleScriptTests {
    static func example(_ name: String) throws -> Lesson {
        try Lesson.script(at: examples.appendingPathComponent(name + ".lesson.md").path)
    }

    /// Every entry of values.json, label and value, in order.
    static func entries(_ result: LessonResult) -> [(String, ExportedValues.Entry)] {
        result.values.entries.map { ($0.label, $0.entry) }
    }
    /// The built-in's values the script rebuilds: all but the convexity scan along w₁ (second
    /// differences over a grid, which a script cannot take).
    static func rebuilt(_ result: LessonResult) -> [(String, ExportedValues.Entry)] {
        entries(result).filter { !$0.0.hasPrefix("convexity.") }
    }

    static let logisticSettings: [[String]] = [
        [], ["y=0"], ["alpha=0"], ["x1=-2", "w2=0.9", "b=-1.5"],
        ["x1=1.5", "x2=-0.5", "x3=2", "w1=-0.3", "w3=0.8", "alpha=2", "y=0"],
    ]

    @Test(arguments: logisticSettings)
    func logisticUnitIsLogisticRegressionToTheLastBit(_ settings: [String]) throws {
        let script = try Self.example("logistic-unit").run(settings: settings)
        let builtIn = try Lesson.logisticRegression.run(settings: settings)
        let (mine, theirs) = (Self.entries(script), Self.rebuilt(builtIn))
        #expect(mine.map(\.0) == theirs.map(\.0), "the same labels in the same order")
        for ((label, a), (_, b)) in zip(mine, theirs) {
            #expect(a == b, "\(label): script \(a), built-in \(b)")
        }
    }

    /// The sentence about the step reads its words from the numbers, in any regime.
    @Test(arguments: logisticSettings)
    func logisticUnitSaysWhereTheStepMovedThePrediction(_ settings: [String]) throws {
        let result = try Self.example("logistic-unit").run(settings: settings)
        let (a, after, y) = (
            try #require(result.values.number("a")), try #require(result.values.number("a+")),
            try #require(result.values.number("y"))
        )
        let text = paragraphs(result)
        #expect(
            text.contains(
                abs(after - y) < abs(a - y)
                    ? "moves the prediction towards the label" : "moves the prediction no nearer to the label"),
            "a = \(a), a⁺ = \(after), y = \(y)")
        let (loss, lossAfter) = (try #require(result.values.number("L")), try #require(result.values.number("L_after")))
        #expect(text.contains(lossAfter < loss ? "lowers the loss" : lossAfter > loss ? "raises the loss" : "the loss"))
    }

    @Test func logisticUnitsVariantsAreSoundAndMatchTheBuiltIn() throws {
        let script = try Self.example("logistic-unit")
        for n in [1, 2, 7, 42] {
            let settings = try script.variant(n)
            let values = try script.run(settings: settings).values
            // The script's own soundness condition, read back from its numbers.
            let z = try #require(values.number("z"))
            #expect((0.2...2.9).contains(abs(z)), "variant \(n): z = \(z)")
            for name in ["x1", "x2", "x3", "w1", "w2", "w3"] {
                #expect(values.number(name) != 0, "variant \(n): \(name)")
            }
            #expect(
                values.entries.map(\.label)
                    == Self.rebuilt(try Lesson.logisticRegression.run(settings: settings)).map(\.0))
            #expect(
                values.number("L_after")
                    == (try Lesson.logisticRegression.run(settings: settings)).values.number("L_after"))
        }
    }

    static let backpropSettings: [[String]] = [
        [], ["lr=0.1", "iterations=500", "w5=0.1"], ["i1=0.9", "t2=0.2", "iterations=37"],
    ]

    @Test(arguments: backpropSettings)
    func backprop222HasTheBuiltInsNumbers(_ settings: [String]) throws {
        let script = try Self.example("backprop-222").run(settings: settings).values
        let builtIn = try Lesson.backpropExample.run(settings: settings).values
        var compared = 0
        for (label, entry) in builtIn.entries {
            guard let mine = script[label] else { continue }
            #expect(mine == entry, "\(label): script \(mine), built-in \(entry)")
            compared += 1
        }
        // The forward pass, the chain for w5, every update and the training run's end and curve.
        for label in [
            "out_o1", "E_total", "dE_total/dw5", "w5+", "w1+", "E_total_after_update", "E_total_after_training",
            "curve_E_total", "curve_update",
        ] {
            #expect(script[label] != nil && script[label] == builtIn[label], "\(label)")
        }
        #expect(compared >= 40)
    }

    @Test(arguments: [[String](), ["z=1,2,3,4", "class=2"], ["z=-3,0.5", "class=1"]])
    func softmaxVectorHasTheBuiltInsNumbers(_ settings: [String]) throws {
        let script = try Self.example("softmax-vector").run(settings: settings).values
        let builtIn = try Lesson.softmax.run(settings: settings).values
        for (mine, theirs) in [("p_engine", "p"), ("sum", "sum"), ("L", "cross_entropy"), ("dL/dz", "dL/dz")] {
            #expect(script[mine] != nil && script[mine] == builtIn[theirs], "\(mine) against the built-in's \(theirs)")
        }
        // p − y is the gradient, to rounding.
        guard case .array(let residual)? = script["p_minus_y"], case .array(let gradient)? = script["dL/dz"] else {
            Issue.record("no vectors")
            return
        }
        #expect(zip(residual, gradient).allSatisfy { close($0, $1, relative: 1e-15) })
    }

    @Test func softmaxVectorRefusesAClassBeyondItsLogits() throws {
        let lesson = try Self.example("softmax-vector")
        #expect(throws: ParameterError.self) { try lesson.run(settings: ["z=1,2", "class=2"]) }
    }

    /// The 3-2-1 network by hand: tanh hidden units, a sigmoid output, the log loss.
    struct ByHand {
        var x = [1.0, 0.5, -1.0], y = 1.0, alpha = 0.1
        let W = [[0.1, -0.2, 0.3], [0.4, 0.1, -0.3]], v = [0.5, -0.6]
        func a(_ W: [[Double]]) -> [Double] { W.map { row in tanh(zip(row, x).map(*).reduce(0, +)) } }
        func p(_ W: [[Double]], _ v: [Double]) -> Double {
            let h = a(W)
            return 1 / (1 + exp(-(v[0] * h[0] + v[1] * h[1])))
        }
        func L(_ W: [[Double]], _ v: [Double]) -> Double {
            let q = p(W, v)
            return -(y * log(q) + (1 - y) * log(1 - q))
        }
        var dLdW11: Double {
            let h = a(W)
            return (p(W, v) - y) * v[0] * (1 - h[0] * h[0]) * x[0]
        }
        var dLdv1: Double { (p(W, v) - y) * a(W)[0] }
    }

    @Test(arguments: [[String](), ["x1=-2", "x2=3", "x3=0.25", "y=0", "alpha=1.5"]])
    func tanh321IsTheNetworkWorkedByHand(_ settings: [String]) throws {
        let values = try Self.example("tanh-321").run(settings: settings).values
        var hand = ByHand()
        for setting in settings {
            let parts = setting.split(separator: "=")
            let value = try #require(Double(parts[1]))
            switch parts[0] {
            case "x1": hand.x[0] = value
            case "x2": hand.x[1] = value
            case "x3": hand.x[2] = value
            case "y": hand.y = value
            default: hand.alpha = value
            }
        }
        let h = hand.a(hand.W)
        #expect(close(try #require(values.number("a1")), h[0]))
        #expect(close(try #require(values.number("a2")), h[1]))
        #expect(close(try #require(values.number("p")), hand.p(hand.W, hand.v)))
        #expect(close(try #require(values.number("L")), hand.L(hand.W, hand.v)))
        #expect(close(try #require(values.number("dL/dW11")), hand.dLdW11))
        #expect(close(try #require(values.number("dL/dv1")), hand.dLdv1))
        #expect(close(try #require(values.number("W11+")), 0.1 - hand.alpha * hand.dLdW11))
        #expect(close(try #require(values.number("v1+")), 0.5 - hand.alpha * hand.dLdv1))
        // And the gradient against central differences of the hand-written loss.
        let step = 1e-6
        var up = hand.W
        var down = hand.W
        up[0][0] += step
        down[0][0] -= step
        #expect(
            close(
                try #require(values.number("dL/dW11")), (hand.L(up, hand.v) - hand.L(down, hand.v)) / (2 * step),
                relative: 1e-8))
    }

    @Test func tanh321FitsInFortyLines() throws {
        let text = try String(contentsOf: examples.appendingPathComponent("tanh-321.lesson.md"), encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count - 1 <= 40, "lines")
    }

    @Test func theStarterRunsAsWrittenAndItsSentencesAreComputed() throws {
        let starter = try Lesson(
            script: ScriptParser.parse(Starter.script(named: "my-neuron"), file: "my-neuron.lesson.md"))
        #expect(starter.name == "my-neuron")
        let result = try starter.run(settings: [])
        #expect(close(try #require(result.values.number("out")), 1 / (1 + exp(-0.3))))
        let text = paragraphs(result)
        #expect(text.contains("it is too low"))
        // The sentence's numbers are the tape's, in the lesson's six digits.
        let format = NumberFormat(significantDigits: 6)
        let (before, after) = (try #require(result.values.number("E")), try #require(result.values.number("E2")))
        #expect(after < before)
        #expect(
            text.contains(
                "One step lowers the error from \(format.rich(before).plainText) to \(format.rich(after).plainText)."))
        // Another regime: the target below the output, and the words follow.
        let other = paragraphs(try starter.run(settings: ["t=0"]))
        #expect(other.contains("it is too high or exact"))
        #expect(!other.contains("it is too low"))
        #expect(!starter.variations.isEmpty)
        #expect(try starter.variant(3).count > 0)
    }
}

@Suite struct TrainingTests {
    /// Training compiles its lines to register operations; a line it cannot compile (a choice
    /// of branches) is interpreted instead, and both record the same operations.
    @Test func compiledAndInterpretedRoundsAgreeToTheLastBit() throws {
        let parameters = ["w = 0.5 in -10...10 \"w\"", "x = 2 in -10...10 \"x\"", "lr = 0.1 in 0...1 \"rate\""]
        let compiled = try lesson(
            script(parameters: parameters, compute: ["L = (w·x − 3)²", "train w on L for 50 steps rate lr"])
        ).run(settings: [])
        let interpreted = try lesson(
            script(
                parameters: parameters, compute: ["L = (x > 0 ? (w·x − 3)² : 0)", "train w on L for 50 steps rate lr"])
        ).run(settings: [])
        let (a, b) = (
            try #require(compiled.values.number("w_after_training")),
            try #require(interpreted.values.number("w_after_training"))
        )
        #expect(a == b)
        // And both are gradient descent: w ← w − lr·2x(wx − 3), fifty times, by hand.
        var w = 0.5
        for _ in 0..<50 { w -= 0.1 * 2 * 2 * (w * 2 - 3) }
        #expect(close(a, w))
        #expect(compiled.values.number("L_after_training") == interpreted.values.number("L_after_training"))
    }

    /// A loss written as a sum reads its terms over the sum's own bounds: a1 and a2 here, not a3
    /// (which reads a derivative worked out once, and would be refused if it were read).
    @Test func aSumInTheLossReadsExactlyItsTerms() throws {
        let result = try lesson(
            script(compute: [
                "a1 = w·x", "a2 = (w·x − 1)²", "∂a2/∂w", "a3 = ∂a2/∂w · 2",
                "L = sum(k = 1...2, a{k})", "train w on L for 5 steps rate 0.1",
            ])
        ).run(settings: [])
        // L = wx + (wx − 1)², so ∂L/∂w = x + 2(wx − 1)x, five steps by hand from w = 2, x = 0.5.
        var w = 2.0
        for _ in 0..<5 { w -= 0.1 * (0.5 + 2 * (w * 0.5 - 1) * 0.5) }
        #expect(close(try #require(result.values.number("w_after_training")), w))
    }

    /// normal(seed) draws afresh each round, the same draw compiled or interpreted, and round 0
    /// is the page's draw: stochastic gradient descent on (w + ε − 3)², by hand with the same draws.
    @Test func aDrawIsNewEachRoundAndTheSameCompiledOrInterpreted() throws {
        let parameters = [
            "w = 0.5 in -10...10 \"w\"", "seed = 4 integer 0...100 \"seed\"", "lr = 0.1 in 0...1 \"rate\"",
        ]
        let compiled = try lesson(
            script(
                parameters: parameters,
                compute: ["eps = normal(seed)", "L = (w + eps − 3)²", "train w on L for 40 steps rate lr"])
        ).run(settings: [])
        let interpreted = try lesson(
            script(
                parameters: parameters,
                compute: [
                    "eps = normal(seed)", "L = (seed > 0 ? (w + eps − 3)² : 0)", "train w on L for 40 steps rate lr",
                ])
        ).run(settings: [])
        let key = NormalDraw.key(seed: 4, label: "eps", occurrence: 0)
        #expect(compiled.values.number("eps") == NormalDraw.value(key, round: 0))
        var w = 0.5
        for round in 0..<40 { w -= 0.1 * 2 * (w + NormalDraw.value(key, round: round) - 3) }
        let (a, b) = (
            try #require(compiled.values.number("w_after_training")),
            try #require(interpreted.values.number("w_after_training"))
        )
        #expect(a == b && close(a, w), "\(a), \(b) against \(w)")
        // A fixed ε would leave w at 3 − ε; the draws keep it jittering about 3.
        #expect(abs(a - (3 - NormalDraw.value(key, round: 0))) > 1e-3)
        let other = try lesson(script(parameters: parameters, compute: ["eps = normal(seed)", "L = (w + eps − 3)²"]))
            .run(settings: ["seed=5"])
        #expect(other.values.number("eps") != compiled.values.number("eps"), "another seed, another draw")
    }

    /// The draws are N(0, 1): over 20000 rounds their mean is within 4 standard errors of 0 and
    /// their variance of 1, and neighbouring rounds are uncorrelated.
    @Test func drawsAreStandardNormal() {
        let key = NormalDraw.key(seed: 1, label: "eps", occurrence: 0)
        let n = 20_000
        let draws = (0..<n).map { NormalDraw.value(key, round: $0) }
        let mean = draws.reduce(0, +) / Double(n)
        let variance = draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)
        let lagged =
            zip(draws, draws.dropFirst()).map { ($0 - mean) * ($1 - mean) }.reduce(0, +) / Double(n - 1) / variance
        #expect(
            abs(mean) < 4 / Double(n).squareRoot() && abs(variance - 1) < 4 * (2 / Double(n)).squareRoot()
                && abs(lagged) < 4 / Double(n).squareRoot(),
            "mean \(mean), variance \(variance), lag-1 correlation \(lagged)")
        #expect(
            NormalDraw.key(seed: 1, label: "eps", occurrence: 1) != key
                && NormalDraw.key(seed: 1, label: "eta", occurrence: 0) != key)
    }
}

@Suite struct LineFitTests {
    /// examples/line-fit: four points of notes 002, and the least-squares line by hand.
    @Test func gradientDescentFindsTheLeastSquaresLine() throws {
        let values = try Lesson.script(at: examples.appendingPathComponent("line-fit.lesson.md").path).run(settings: [])
            .values
        // h = 0.5x at the start: residuals −1.5, −1.5, −2.5, −2.5.
        #expect(values.number("MAE") == 2)
        #expect(values.number("MSE") == 4.25)
        #expect(values.number("dMSE/dtheta0") == -4, "(2/4)·Σ(h − y)")
        #expect(values.number("dMSE/dtheta1") == -11, "(2/4)·Σ(h − y)·x")
        // x̄ = 2.5, ȳ = 3.25, slope Σ(x − x̄)(y − ȳ)/Σ(x − x̄)² = 4.5/5 = 0.9, intercept 3.25 − 0.9·2.5 = 1, MSE 0.2/4.
        #expect(close(try #require(values.number("theta1_after_training")), 0.9, relative: 1e-3))
        #expect(close(try #require(values.number("theta0_after_training")), 1.0, relative: 1e-3))
        #expect(close(try #require(values.number("MSE_after_training")), 0.05, relative: 1e-6))
    }
}

@Suite struct NetworkFigureTests {
    /// `network E_total` reads the 2-2-2 network off the tape: the layers, the eight weights on
    /// their arrows (w1: i1 → h1, …, w8: h2 → o2) and a bias node per layer.
    @Test func theTwoTwoTwoNetworkIsReadOffTheTape() throws {
        let result = try Lesson.script(at: examples.appendingPathComponent("backprop-222.lesson.md").path).run(
            settings: ["iterations=1"])
        let diagram = try #require(
            figures(result).compactMap { figure -> NetworkDiagram? in
                if case .network(let d) = figure.content { d } else { nil }
            }.first)
        #expect(
            diagram.layers.map { $0.map(\.name.plainText) } == [
                ["i1", "i2", "b1"], ["h1", "h2", "b2"], ["o1", "o2"],
            ])
        let weights = diagram.connections.filter { !$0.label.plainText.isEmpty }
        let ends = weights.map {
            "\($0.label.plainText.prefix(2)):\($0.from.layer)\($0.from.index)→\($0.to.layer)\($0.to.index)"
        }
        #expect(
            ends == ["w1:00→10", "w2:01→10", "w3:00→11", "w4:01→11", "w5:10→20", "w6:11→20", "w7:10→21", "w8:11→21"])
        #expect(weights[4].label.plainText == "w5 = 0.4")
        #expect(diagram.connections.count == 8 + 4, "each bias feeds the two units of the next layer")
    }

    @Test func aScriptWithoutUnitsIsToldSo() {
        #expect(
            refusal(script(compute: ["z = w * x", "network z"]))?.hasPrefix(
                "test.lesson.md:12:1: error: no dense network leads to z") == true)
    }
}

/// Every figure of a result, sections and notes opened.
func figures(_ result: LessonResult) -> [Figure] {
    func walk(_ blocks: [Block]) -> [Figure] {
        blocks.flatMap { block -> [Figure] in
            switch block {
            case .section(let section): walk(section.content)
            case .note(let note): walk(note.content)
            case .figure(let figure): [figure]
            default: []
            }
        }
    }
    return walk(result.report.blocks)
}

@Suite struct SeriesPlotTests {
    /// `plot p{k} for k in 1...4` draws the recorded p1 … p4, one point each.
    @Test func aRecordedSeriesIsPlottedPointByPoint() throws {
        let result = try lesson(
            script(
                parameters: ["q = 0.5 in 0...1 \"ratio\""],
                compute: ["let p1 = 1·q", "let p2 = q·q", "let p3 = q·q·q", "plot p{k} for k in 1...3"])
        ).run(settings: ["q=0.2"])
        let plot = try #require(
            figures(result).compactMap { figure -> Plot? in if case .plot(let p) = figure.content { p } else { nil } }
                .first)
        guard case .scatter(let series) = plot.layers.last else {
            Issue.record("points")
            return
        }
        #expect(series.points.map(\.x) == [1, 2, 3])
        #expect(zip(series.points.map(\.y), [0.2, 0.04, 0.008]).allSatisfy { close($0, $1) })
        #expect(plot.y.label.plainText == "pk", "p_{k}: the index lowered")
    }

    /// lessons graph draws the last step shown or graphed, not a helper a let sets after it.
    @Test func theGraphDrawnByDefaultIsTheLastStepNotALet() throws {
        let shown = try lesson(script(compute: ["z = w·x", "L = z²", "let range = 2·z"])).run(settings: [])
        #expect(shown.recordings.first?.outputLabel == "L")
        let graphed = try lesson(script(compute: ["z = w·x", "L = z²", "graph z", "M = L + 1"])).run(settings: [])
        #expect(graphed.recordings.first?.outputLabel == "M", "a step after the graph line is the later line")
        let helpers = try lesson(script(compute: ["let z = w·x"])).run(settings: [])
        #expect(helpers.recordings.first?.outputLabel == "z", "with no step shown, the last node set")
    }

    /// Several curves share one figure: a line each, in palette order, named in the legend by its
    /// quoted name or else its formula, over a bare y axis.
    @Test func severalCurvesShareOneFigure() throws {
        let result = try lesson(script(compute: ["plot σ(t) \"the sigmoid\", tanh(t) for t in -2...2"])).run(
            settings: [])
        let plot = try #require(
            figures(result).compactMap { figure -> Plot? in if case .plot(let p) = figure.content { p } else { nil } }
                .first)
        let lines = plot.layers.compactMap { layer -> Plot.Series? in if case .line(let s) = layer { s } else { nil } }
        try #require(lines.count == 2)
        #expect(lines.map { $0.name?.plainText } == ["the sigmoid", "tanh(t)"] && lines.map(\.color) == [0, 1])
        #expect(plot.y.label.plainText.isEmpty)
        let (first, last) = (try #require(lines[0].points.first), try #require(lines[1].points.last))
        #expect(close(first.y, 1 / (1 + exp(2.0))) && close(last.y, tanh(2.0)))
    }
}

@Suite struct SheetTests {
    /// The starter asks only its backward pass; the update after it would print ∂E/∂w₁, an answer,
    /// so the sheet holds that step back (and the backward graph), and keeps the rest.
    @Test func aLaterSectionThatAsksNothingGivesNoAnswerAway() throws {
        let starter = try Lesson(script: ScriptParser.parse(Starter.script(named: "s"), file: "s.lesson.md"))
        let result = try starter.run(settings: [])
        let gradient = NumberFormat(significantDigits: 6).rich(try #require(result.values.number("dE/dw1"))).plainText
        func texts(_ report: Report) -> [String] {
            func walk(_ blocks: [Block]) -> [String] {
                blocks.flatMap { block -> [String] in
                    switch block {
                    case .section(let s): walk(s.content)
                    // An exercise's own result is a box on the sheet, whatever its line holds.
                    case .step(let step) where !step.answerBox:
                        [step.lhs.plainText + " = " + step.rhs.map(\.plainText).joined(separator: " = ")]
                    case .paragraph(let t): [t.plainText]
                    default: []
                    }
                }
            }
            return walk(report.blocks)
        }
        let full = texts(result.report)
        let sheet = texts(result.report.version(.exercise))
        #expect(
            full.contains { $0.hasPrefix("w1+") && $0.contains(gradient) },
            "the full report shows the update with \(gradient)")
        #expect(sheet.filter { $0.contains(gradient) } == [], "the sheet never prints ∂E/∂w1 = \(gradient)")
        #expect(sheet.contains { $0.hasPrefix("out2") }, "steps that print no answer stay")
    }

    @Test func piIsWrittenAsPiAndWorthPi() throws {
        // c = 2·π·x = 2 × 3.14159 × 0.5 = π
        let result = try lesson(script(compute: ["c = 2·π·x"])).run(settings: [])
        #expect(result.values.number("c") == 2 * Double.pi * 0.5)
        let step = try #require(result.report.steps.first { $0.lhs.plainText == "c" })
        #expect(step.rhs.map(\.plainText) == ["2·π·x", "2 × 3.14159 × 0.5", "3.14159"])
    }
}
