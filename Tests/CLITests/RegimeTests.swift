import Foundation
import TestSupport
import Testing

/// Every regime a lesson declares (`lessons params NAME`), run through the CLI: the pages print no
/// NaN or ∞, and each sentence whose words depend on the numbers says what the test itself reads
/// off values.json (the error fell or not, Newton landed or not, the gradient shrank or grew).
@Suite struct RegimeTests {
    /// A lesson's regimes as `--set` lists, the defaults first.
    static func regimes(_ lesson: String) throws -> [[String]] {
        let lines = try Command.run(["params", lesson]).output.split(separator: "\n")
        guard let heading = lines.firstIndex(where: { $0.hasPrefix("Regimes:") }) else { return [[]] }
        return [[]]
            + lines[(heading + 1)...].map { line in
                line.split(separator: " ").split { $0 == "--set" }.compactMap { words in words.first.map(String.init) }
                    .prefix { $0.contains("=") }
            }.map(Array.init)
    }

    /// A parameter's value in this regime: its setting there, else its default as
    /// `lessons params` prints it (never typed into the test).
    static func value(of key: String, in context: String, lesson: String) throws -> String {
        if let range = context.range(of: "(?<![A-Za-z])\(key)=[^\",\\]]+(,[-0-9.e]+)*", options: .regularExpression) {
            return String(context[range].dropFirst(key.count + 1))
        }
        let row = try Command.run(["params", lesson]).output.split(separator: "\n").first { $0.hasPrefix(key + " ") }
        return try #require(
            row?.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.map(String.init))
    }

    /// The PDF's text on one line, and values.json, for one run.
    static func run(_ lesson: String, _ settings: [String]) throws -> (text: String, values: [String: ValuesFile.Entry])
    {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run(
            ["run", lesson, "--output", folder.path, "--format", "pdf,json"] + settings.flatMap { ["--set", $0] })
        try #require(outcome.status == 0, "\(lesson) \(settings): \(outcome.error)")
        let pdf = folder.appendingPathComponent("\(lesson)/\(lesson).pdf").path
        let text = try TestSupport.run("pdftotext", [pdf, "-"]).output
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let values = try ValuesFile(Data(contentsOf: folder.appendingPathComponent("\(lesson)/values.json"))).values
        return (text, values)
    }

    static func number(_ values: [String: ValuesFile.Entry], _ label: String) throws -> Double {
        switch values[label] {
        case .number(let x)?: return x
        case .array(let xs)? where xs.count == 1: return xs[0]  // a tensor tape's scalar
        default: throw Failure("no number \(label) in values.json")
        }
    }

    static func array(_ values: [String: ValuesFile.Entry], _ label: String) throws -> [Double] {
        guard case .array(let xs)? = values[label] else { throw Failure("no array \(label) in values.json") }
        return xs
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    /// Every lesson: each declares its regimes.
    static let lessons = [
        "backprop-example", "backprop-matrix", "newton", "decision-boundary", "rnn", "optimizers",
        "logistic-regression",
        "initialisation", "gradient-descent", "batch-norm", "particle-swarm", "perceptron", "softmax", "activations",
        "conv-sizes", "network-size", "hyperparameter-search", "regularisation", "hog", "residual", "attention", "gan",
        "bayesian", "autoencoder", "transfer-learning", "multiclass", "model-selection",
    ]

    @Test func everyLessonIsCovered() throws {
        let listed = try Command.run(["list"]).output.split(separator: "\n").map { String($0.prefix { $0 != " " }) }
        #expect(Set(listed) == Set(Self.lessons))
    }

    @Test(arguments: lessons)
    func everyRegimeRendersWithSentencesTrueToItsNumbers(lesson: String) throws {
        let regimes = try Self.regimes(lesson)
        #expect(regimes.count >= 3, "\(lesson) declares at least two regimes beside its defaults")
        for settings in regimes {
            let (text, values) = try Self.run(lesson, settings)
            let context = "\(lesson) \(settings)"
            #expect(
                !text.contains("NaN") && !text.contains("∞")
                    && text.range(of: "(^|[^A-Za-z])inf([^A-Za-z]|$)", options: .regularExpression) == nil,
                "\(context) prints a non-number")
            try Self.check(lesson, text, values, context)
        }
    }

    /// The data-dependent sentences of each lesson, against facts computed here.
    static func check(_ lesson: String, _ text: String, _ v: [String: ValuesFile.Entry], _ context: String) throws {
        switch lesson {
        case "backprop-example":
            let (before, after) = (try number(v, "E_total"), try number(v, "E_total_after_update"))
            let verb =
                after < before
                ? "lowers the total error"
                : after > before ? "raises the total error" : "leaves the total error unchanged"
            #expect(text.contains("One step of gradient descent \(verb)"), "\(context): expected ‘\(verb)’")
            let (t1, t2) = (try number(v, "t1"), try number(v, "t2"))
            let (o1, o2) = (try number(v, "out_o1"), try number(v, "out_o2"))
            let (e1, e2) = (try number(v, "out_o1_after_training"), try number(v, "out_o2_after_training"))
            let closer = (abs(e1 - t1) < abs(o1 - t1), abs(e2 - t2) < abs(o2 - t2))
            let phrase =
                closer == (true, true)
                ? "brings both outputs closer"
                : closer == (false, false)
                    ? (e1 == o1 && e2 == o2 ? "leaves both outputs where they were" : "leaves neither output closer")
                    : closer.0 ? "brings out o1 closer" : "brings out o2 closer"
            #expect(text.contains(phrase), "\(context): expected ‘\(phrase)’")
        case "backprop-matrix":
            let outputFirst = context.contains("update=output-first")
            #expect(
                text.contains(outputFirst ? "differentiates the error as it was computed" : "gives the same matrices"),
                "\(context)")
            let lr = try number(v, "lr")
            #expect(
                text.contains(lr == 0 ? "leaves every weight where it was" : "moves every weight at once"), "\(context)"
            )
        case "newton":
            let (x1, y1) = (try number(v, "quadratic.x_1"), try number(v, "quadratic.y_1"))
            #expect(
                text.contains(x1 == 0 && y1 == 0 ? "One step lands on (0, 0)" : "One step goes a fraction"),
                "\(context)")
            let converged = try number(v, "quadratic.gd.converged") == 1
            let end = try array(v, "quadratic.gd.end")  // x, y, f where gradient descent stopped
            if converged {
                let iterations = Int(try number(v, "quadratic.gd.iterations"))
                #expect(
                    text.contains("needs \(iterations.formatted()) iterations, because one learning rate"), "\(context)"
                )
            } else if end[2] > 1e9 {
                #expect(text.contains("diverges (f passes"), "\(context)")
            } else {
                #expect(
                    !text.contains("needs") || !text.contains("because one learning rate cannot suit"), "\(context)")
            }
            if v["rosenbrock.f_1"] != nil {  // absent where Rosenbrock's H is singular at the start
                let (f0, f1) = (try number(v, "rosenbrock.f"), try number(v, "rosenbrock.f_1"))
                #expect(text.contains(f1 < f0 ? "This step lowers f" : "This step raises f"), "\(context)")
            } else {
                #expect(text.contains("Newton’s method stops at iteration 0, where H is singular"), "\(context)")
            }
        case "decision-boundary":
            let widths = [1, 2, 3, 8]
            let accuracies = try widths.map { try number(v, "accuracy.hidden\($0)") }
            if let fewest = zip(widths, accuracies).first(where: { $0.1 >= 0.95 })?.0 {
                #expect(text.contains("classify at least 95% of the points: \(fewest)"), "\(context)")
            } else {
                #expect(text.contains("No width here classifies 95%"), "\(context)")
            }
            #expect(!context.contains("data=xor") || !text.contains("around a disc needs at least three"), "\(context)")
        case "rnn":
            let memory = try array(v, "memory")
            if memory.allSatisfy({ $0 == 0 }) {
                #expect(text.contains("no gradient reaches the first step"), "\(context)")
            } else if memory.count > 10 {
                let decay = pow(memory.last! / memory[memory.count - 11], 0.1)
                #expect(
                    text.contains(decay < 1 ? "it shrinks by a factor of about" : "Here it grows instead"),
                    "\(context): decay \(decay)")
            } else {
                #expect(!text.contains("per step: after"), "\(context)")
            }
        case "optimizers":
            guard case .rows(let gd)? = v["trajectory.gd"], case .rows(let momentum)? = v["trajectory.momentum"] else {
                throw Failure("no trajectories")
            }
            if gd.count == momentum.count, let a = momentum.last?[2], let b = gd.last?[2] {
                #expect(
                    text.contains(a < b ? "ends lower than gradient descent" : "ends higher than gradient descent"),
                    "\(context)")
            }
            let crossings = zip(gd, gd.dropFirst()).filter { $0[1] * $1[1] < 0 }.count
            #expect(
                text.contains(crossings > 0 ? "changes sign \(crossings) time" : "never crosses the valley floor"),
                "\(context)")
        case "logistic-regression":
            let (a, aPlus, y) = (try number(v, "a"), try number(v, "a+"), try number(v, "y"))
            let dLda = try number(v, "dL/da")  // a number wherever it is finite: always, in range
            #expect(dLda.isFinite)
            if aPlus == a {
                #expect(text.contains("One step leaves the prediction at"), "\(context)")
            } else if abs(aPlus - y) < abs(a - y) {
                #expect(text.contains("moves the prediction towards the label"), "\(context)")
            }
        case "initialisation":
            for activation in ["tanh", "relu"] {
                let spread = try array(v, "\(activation).small.spread")
                if spread.last! / spread.first! < 1e-3 { #expect(text.contains("dies out"), "\(context)") }
            }
        case "gradient-descent":
            let diverged = ["batch", "minibatch", "sgd"].filter { v["\($0).diverged_after"] != nil }
            if diverged.isEmpty {
                guard case .rows(let sgd)? = v["sgd.curve"] else { throw Failure("no sgd.curve") }
                let (start, best) = (sgd[0][1], try number(v, "exact.J"))
                if let epoch = sgd.first(where: { $0[1] <= best + 0.1 * (start - best) })?[0] {
                    #expect(
                        text.contains("It covers 90% of the way to the least-squares cost by epoch"),
                        "\(context): by epoch \(epoch)")
                }
                #expect(text.contains("All three descents approach it"), "\(context)")
            } else {
                #expect(text.contains("descent diverges: after"), "\(context)")
                #expect(!text.contains("All three descents approach it"), "\(context)")
            }
        case "batch-norm":
            #expect(
                text.contains(
                    try number(v, "sigma2") == 0 ? "Every value in this batch is the same" : "The z-scores have mean 0"),
                "\(context)")
            // The loss after min(50, epochs) steps, with and without, at each rate.
            let plain = v.keys.filter { $0.hasPrefix("plain.lr") }.sorted()
            let epochs = try plain.map { try array(v, $0).count }.max()! - 1
            let checkpoint = min(50, epochs)
            let lower = try plain.filter { key in
                let (a, b) = (
                    try array(v, key), try array(v, key.replacingOccurrences(of: "plain.", with: "batchnorm."))
                )
                return b.count > checkpoint && (a.count <= checkpoint || b[checkpoint] < a[checkpoint])
            }.count
            #expect(text.contains("is lower at \(lower) of the \(plain.count) learning rate"), "\(context)")
        case "particle-swarm":
            guard case .rows(let best)? = v["gbest"] else { throw Failure("no gbest") }
            let minimum = try array(v, "minimum")
            let found = hypot(best.last![0] - minimum[0], best.last![1] - minimum[1]) <= 0.1
            let phrase =
                context.contains("c2=0")
                ? "the particles share nothing"
                : found ? "pass their discoveries on" : "the swarm has not found the deepest well"
            #expect(text.contains(phrase), "\(context): expected ‘\(phrase)’")
        case "perceptron":
            // XOR's truth table against what the NAND network gives on (0,0), (0,1), (1,0), (1,1).
            #expect(
                text.contains(
                    try array(v, "xor.out") == [0, 1, 1, 0]
                        ? "The network computes XOR" : "the network does not compute XOR"), "\(context)")
            let mistakes = try array(v, "learned.mistakes")
            let phrase =
                mistakes.last == 0
                ? "makes none" : context.contains("gate=xor") ? "it never stops" : "given more epochs it stops"
            #expect(text.contains(phrase), "\(context): expected ‘\(phrase)’")
            // Parity of n bits: 2^(n−1) + 1 perceptrons in two layers, 4(n − 1) in the chain.
            let n = try #require(Int(try value(of: "bits", in: context, lesson: lesson)))
            #expect(
                text.contains(
                    4 * (n - 1) < (1 << (n - 1)) + 1
                        ? "the chain needs \(4 * (n - 1)) perceptrons" : "two layers still need fewer perceptrons"),
                "\(context)")
        case "softmax":
            let z = try value(of: "z", in: context, lesson: lesson).split(separator: ",").compactMap { Double($0) }
            let largest = try #require(z.max())
            // e^{x}: pdftotext joins the raised x to the e.
            if largest > log(Double.greatestFiniteMagnitude) {
                #expect(text.contains("is beyond what ex can reach"), "\(context)")
            }
            if largest < log(Double.leastNonzeroMagnitude) {
                #expect(text.contains("underflows in double precision"), "\(context)")
            }
            #expect(text.contains("The probabilities add up to 1"), "\(context)")
        case "conv-sizes":
            let setting = { (key: String) throws -> Int in
                try #require(Int(try value(of: key, in: context, lesson: lesson)))
            }
            let (w, k, pad, stride) = (try setting("W"), try setting("K"), try setting("P"), try setting("S"))
            #expect(text.contains("Here the stride does not divide") == ((w + 2 * pad - k) % stride != 0), "\(context)")
        case "hyperparameter-search":
            let (alpha, epsilon) = (try number(v, "variation.alpha"), try number(v, "variation.epsilon"))
            #expect(
                text.contains(
                    epsilon < 0.1 * alpha ? "hardly at all with ε" : "it changes with ε from bottom to top too"),
                "\(context)")
        case "regularisation":
            let validation = try array(v, "early.validation")
            let best = validation.indices.min { validation[$0] < validation[$1] }!
            #expect(
                text.contains(
                    best == validation.count - 1
                        ? "The validation error is still falling at the last epoch"
                        : "The validation error is least at epoch \(best + 1)"), "\(context)")
        case "residual":
            let plain = try number(v, "plain_chain")
            let layers = try array(v, "tanh.plain.gradient").count - 1
            let local = pow(abs(plain), 1 / Double(layers))
            #expect(
                text.contains(local < 1 ? "the plain product vanishes" : "the plain product explodes"),
                "\(context): |∂F/∂x| = \(local)")
        case "activations":
            // The ladder doubles k = 2, 4, 8, 16: where the worst error rose, the page says so.
            let worst = try array(v, "ladder.max_error")
            let rises = zip(worst, worst.dropFirst()).contains { $1 > $0 }
            #expect(
                text.contains(rises ? "and here it rises from k =" : "though here it falls at every doubling too"),
                "\(context)")
        case "network-size":
            let counts = v.keys.filter { $0.range(of: "^params[0-9]+$", options: .regularExpression) != nil }
                .map { (layer: Int($0.dropFirst(6))!, count: try? number(v, $0)) }
            let largest = try #require(counts.max { ($0.count ?? 0) < ($1.count ?? 0) })
            #expect(text.contains("Layer \(largest.layer) holds the most"), "\(context): layer \(largest.layer)")
        case "hog":
            let pixel = try array(v, "pixel")
            #expect(text.contains("is at row \(Int(pixel[0])), column \(Int(pixel[1]))"), "\(context)")
        case "attention":
            let gradient = try array(v, "dL/dq1")
            let vanishing = gradient.map { $0 * $0 }.reduce(0, +) < 1e-24
            #expect(
                text.contains(vanishing ? "all but leaves the loss as it is" : "A small enough step against"),
                "\(context): ∂L/∂q1 = \(gradient)")
            #expect(close(try number(v, "total"), 3, within: 1e-12) && text.contains("add up to 3"), "\(context)")
        case "gan":
            let (final, centre, data) = (
                try number(v, "L_D_after_training"), try number(v, "mean_g"), try number(v, "mean_x")
            )
            #expect(
                text.contains(
                    close(final, 2 * log(2.0), within: 0.01) ? "D can no longer tell real from fake" : "it is not there"
                ), "\(context): L_D \(final)")
            #expect(
                text.contains(
                    abs(centre - data) < 0.05 * (1 + abs(data))
                        ? "G has found where the data are" : "G has not reached the data"),
                "\(context): fakes at \(centre), data at \(data)")
        case "bayesian":
            let (m, s) = (try number(v, "m_after_training"), exp(try number(v, "rho_after_training")))
            let (mean, sd) = (try number(v, "m_post"), try number(v, "s_post"))
            #expect(
                text.contains(
                    abs(m - mean) < sd
                        ? "within one posterior standard deviation of it"
                        : "more than one posterior standard deviation from it"), "\(context)")
            #expect(
                text.contains(close(s / sd, 1, within: 0.25) ? "within a quarter of it" : "not within a quarter of it"),
                "\(context)")
        case "autoencoder":
            // The least error of a one-number linear code: the smaller eigenvalue of the points' covariance.
            let (x, y) = (try (1...3).map { try number(v, "x\($0)") }, try (1...3).map { try number(v, "y\($0)") })
            let (mx, my) = (x.reduce(0, +) / 3, y.reduce(0, +) / 3)
            let sxx = x.map { ($0 - mx) * ($0 - mx) }.reduce(0, +) / 3
            let syy = y.map { ($0 - my) * ($0 - my) }.reduce(0, +) / 3
            let sxy = zip(x, y).map { ($0 - mx) * ($1 - my) }.reduce(0, +) / 3
            let root = ((sxx - syy) * (sxx - syy) / 4 + sxy * sxy).squareRoot()
            let (across, along) = ((sxx + syy) / 2 - root, (sxx + syy) / 2 + root)
            let error = try number(v, "E_after_training")
            #expect(error >= across * (1 - 1e-9), "\(context): E \(error) below the least \(across)")
            #expect(
                text.contains(
                    error <= 1.02 * across + 1e-6 ? "it has reached that least error" : "still above that least error"),
                "\(context): E \(error), least \(across)")
            #expect(
                text.contains(across < 0.05 * along ? "The points lie near a line" : "The points are not near a line"),
                "\(context)")
        case "transfer-learning":
            // Cross-entropy on task B's four points (labels 1, 0, 0, 1) from each network's probabilities.
            func entropy(_ prefix: String) throws -> Double {
                let p = try (1...4).map { try number(v, "\(prefix)\($0)") }
                return -(log(p[0]) + log(1 - p[1]) + log(1 - p[2]) + log(p[3])) / 4
            }
            let (transferred, scratch) = (try entropy("PT"), try entropy("PS"))
            #expect(
                text.contains(
                    transferred < scratch
                        ? "The features learnt on task A carry over"
                        : "Here the network from scratch does as well or better"),
                "\(context): \(transferred) against \(scratch)")
            #expect(
                text.contains(
                    try number(v, "L_A_after_training") < 0.1 ? "task A is learnt" : "task A is not yet learnt"),
                "\(context)")
        case "multiclass":
            let (q, p) = (try (1...3).map { try number(v, "q\($0)") }, try (1...3).map { try number(v, "p\($0)") })
            let claims = q.filter { $0 > 0.5 }.count
            #expect(
                text.contains(
                    ["No unit claims P", "Exactly one unit claims P", "More than one unit claims P"][min(claims, 2)]),
                "\(context): q \(q)")
            #expect(close(p.reduce(0, +), 1, within: 1e-12), "\(context): softmax's probabilities sum to 1")
            let classes = try ["class_ova", "class_ovo", "class_soft"].map { try number(v, $0) }
            #expect(
                text.contains(Set(classes).count == 1 ? "At P the three models agree" : "At P the models disagree"),
                "\(context): \(classes)")
        case "model-selection":
            // The choices are argmins of the errors values.json holds; each sentence follows its choice.
            let D = try #require(Int(try value(of: "D", in: context, lesson: lesson)))
            let dcv = try #require(Int(try value(of: "D_cv", in: context, lesson: lesson)))
            func argmin(_ prefix: String, _ top: Int) throws -> Int {
                let errors = try (0...top).map { try number(v, "\(prefix)\($0)") }
                return errors.firstIndex(of: try #require(errors.min()))!
            }
            let (dDev, dTest, dCV) = (try argmin("E_dev", D), try argmin("E_test", D), try argmin("CV", dcv))
            #expect(
                try number(v, "d_dev") == Double(dDev) && number(v, "d_test") == Double(dTest)
                    && number(v, "d_cv") == Double(dCV), "\(context)")
            #expect(text.contains("The Dev set chooses degree \(dDev),"), "\(context)")
            let (devTop, devBest) = (try number(v, "E_dev\(D)"), try number(v, "E_dev\(dDev)"))
            #expect(
                text.contains(
                    dDev == D
                        ? "cannot show overfitting"
                        : devTop > 2 * devBest ? "the fits learn the noise" : "rises only a little"), "\(context)")
            #expect(
                text.contains(dTest == dDev ? "the same choice here" : "lower than the honest figure"), "\(context)")
            #expect(
                text.contains(dCV == dDev ? "as the Dev set did" : "where the Dev set alone chose degree \(dDev)"),
                "\(context)")
            let (nested, plain) = (try number(v, "E_nested"), try number(v, "CV\(dCV)"))
            #expect(
                text.contains(
                    nested > plain
                        ? "the optimism of choosing"
                        : nested == plain ? "the nested loop repeats its fits" : "not to flatter its own score"),
                "\(context): nested \(nested), plain \(plain)")
        default:
            Issue.record("no checks for \(lesson)")
        }
    }

    /// The saturated logistic unit through the CLI: a lesson, not an error, for either label, with
    /// ∂L/∂a a number: 1/(1 − a) = 1 + e^z for y = 0, −1/a = −(1 + e^{−z}) for y = 1.
    @Test(arguments: [0.0, 1.0])
    func theSaturatedLogisticUnitIsALesson(label: Double) throws {
        let (text, v) = try Self.run("logistic-regression", ["x1=10", "w1=10", "y=\(Int(label))"])
        let z = try Self.number(v, "z")
        let dLda = try Self.number(v, "dL/da")
        let expected = label == 1 ? -(1 + exp(-z)) : 1 + exp(z)
        #expect(close(dLda, expected, relative: 1e-12, within: 0), "∂L/∂a = \(dLda), expected \(expected)")
        #expect(text.contains("σ(z) saturates"))
        #expect(text.contains("Its slope ∂L/∂a"))
    }
}
