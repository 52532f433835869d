import Foundation
import TestSupport
import Testing

@Suite("The plotting lessons, end to end")
struct PlotLessonTests {
    /// Each lesson's words that must come through on the page: axis labels, legend entries, titles.
    static let expected: [(lesson: String, words: [String], figures: Int)] = [
        (
            "optimizers",
            [
                "gradient descent", "momentum", "Nesterov", "RMSProp", "Adagrad", "Adam", "step", "decay = 0.1",
                "stability limit", "Errata", "from (0.2, −1.8)", "saddle",
            ], 8
        ),
        (
            "activations",
            ["sigmoid", "tanh", "ReLU", "leaky ReLU", "softplus (soft ReLU)", "sum of 6 ReLUs", "target sin x"], 3
        ),
        ("gradient-descent", ["batch", "mini-batch (b = 5)", "stochastic", "epoch", "exact", "data", "MSE", "MAE"], 4),
        ("softmax", ["0.659001", "0.242433", "0.0985659", "−0.340999", "logits z", "probabilities p", "KL(q‖p)"], 1),
        (
            "backprop-matrix",
            ["BP1", "BP4", "0.138498562", "0.0821670406", "0.149780716", "The largest difference anywhere is"], 0
        ),
        ("decision-boundary", ["epoch 0", "1 hidden unit: 66%", "3 hidden units: 99.5%", "class 0", "accuracy"], 4),
        (
            "conv-sizes",
            [
                "7+2×1−3\n⌋+1", "61,706", "62,378,344", "60,965,224", "138,357,544", "6.87 × 10", "kernel [−1 0 1]",
                "feature map y = x ∗ k", "max pooling", "= 3.75", "windows",
            ], 4
        ),
        ("network-size", ["= 11", "W[1] is 2 × 3", "= 2 × (3 + 1)", "parameters are weights", "72.7%", "biases"], 2),
        (
            "perceptron",
            [
                "All four agree: this perceptron computes NAND", "The network computes XOR", "epoch 6 makes none",
                "b = 3",
                "epoch 5", "w1 + w2 + b < 0", "passes through (1, 0)",
            ], 4
        ),
        (
            "batch-norm",
            ["= 5", "−0.447213", "3.18328", "Ioffe and Szegedy", "batch-normalised", "λ = 0.5", "mean 0 and variance"],
            2
        ),
        (
            "particle-swarm",
            ["iteration 10", "swarm best", "cognitive", "−2.77723", "−0.839559", "6 of the 20 reach the deepest"], 2
        ),
        (
            "hyperparameter-search",
            ["GridSearchCV", "coarse to fine", "log10 α", "3 × 3 = 9", "0.05278", "log₁₀ Dev loss"], 2
        ),
        ("initialisation", ["Xavier √(1/n)", "He √(2/n)", "= 0.125", "156.2-fold", "std of h", "relu"], 2),
        ("residual", ["F(x) + x", "identity", "= 1.047", "0.0470007", "3.96652", "residual"], 3),
        ("rnn", ["0.168461", "−0.496554", "0.802184", "0.433143", "The forget gate", "sequence length τ"], 1),
        (
            "regularisation",
            [
                "0 exactly", "002’s cost and 002’s update disagree", "validation", "stop", "A dropped unit",
                "mean of d", "(−x, −y) added",
            ], 4
        ),
        ("hog", ["= 0.6888", "152.3°", "0.07987", "weighted votes", "magnitude", "g_x"], 3),
        (
            "newton",
            [
                "= 1330", "= 35600", "−0.0247191", "32,076", "1411.85", "Rosenbrock’s function", "gradient descent",
                "Newton",
            ], 2
        ),
    ]

    @Test(arguments: expected.map(\.lesson))
    func everyFigureHasInkAndThePageHasItsLabels(lesson: String) throws {
        let (_, words, figureCount) = Self.expected.first { $0.lesson == lesson }!
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run([
            "run", lesson, "--format", "pdf,png,json", "--dpi", "60", "--output", folder.path,
        ])
        #expect(outcome.status == 0, "\(outcome.error)")
        let out = folder.appendingPathComponent(lesson)
        let text = try run("pdftotext", [out.appendingPathComponent("\(lesson).pdf").path, "-"]).output
        for word in words { #expect(text.contains(word), "\(lesson): \(word) on the page") }
        #expect(!text.contains(/\b(nan|NaN|inf)\b|∞/), "no non-finite number printed")
        let figures = figureCount == 0 ? [] : Command.files(in: out.appendingPathComponent("figures"))
        #expect(figures.count == figureCount, "\(figures)")
        for figure in figures {
            // Anything drawn counts, the pale tints of shaded regions too; a blank figure has none.
            #expect(
                try inkCoverage(Data(contentsOf: out.appendingPathComponent("figures/\(figure)")), darkerThan: 245)
                    > 0.02, "\(figure) has ink")
        }
        // No raster image inside the PDF: plots are vector drawings.
        let images = try run("pdfimages", ["-list", out.appendingPathComponent("\(lesson).pdf").path]).output
        #expect(images.split(separator: "\n").count == 2, "only the header of pdfimages' list: \(images)")
    }

    @Test func optimizersWritesEveryTrajectory() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Command.run(["run", "optimizers", "--format", "json", "--set", "steps=7", "--output", folder.path])
        let values = try ValuesFile(Data(contentsOf: folder.appendingPathComponent("optimizers/values.json")))
        for name in ["gd", "momentum", "nesterov", "rmsprop", "adagrad", "adam"] {
            guard case .rows(let path)? = values.values["trajectory.\(name)"] else {
                Issue.record("trajectory.\(name)")
                continue
            }
            #expect(path.count == 8 && path.allSatisfy { $0.count == 3 }, "[x, y, f] for the start and 7 steps")
            #expect(path[0] == [-4, 2, 28], "the start: f(−4, 2) = ½(16 + 40)")
        }
    }

    @Test(arguments: [
        ("optimizers", "steps=0", "steps=0 is outside the allowed range 1 to 10000"),
        ("optimizers", "adam.lr=-1", "adam.lr=-1 is outside the allowed range [0, 10]"),
        ("gradient-descent", "m=1", "m=1 is outside the allowed range 2 to 1000"),
        ("activations", "target=square", "target=square is not one of sine | bump | cubic"),
        ("softmax", "z=2,x,1", "z=2,x,1: entry 2, 'x', is not a number"),
        ("softmax", "z=5", "z=5 has 1 entry; z (the logits, one per class) takes 2 to 64 numbers"),
        ("softmax", "class=7", "class=7 is not one of z's 3 classes; class takes 0 to 2"),
        ("decision-boundary", "hidden=2.5", "hidden=2.5 must list whole numbers of units"),
        ("network-size", "layers=3.5,2", "layers=3.5,2 must list whole numbers of units"),
        ("network-size", "layers=3", "layers=3 has 1 entry"),
    ])
    func badSettingsAreRefusedInOneLine(lesson: String, setting: String, message: String) throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run(["run", lesson, "--set", setting, "--output", folder.path])
        #expect(
            outcome.status != 0 && outcome.error.contains(message) && outcome.error.split(separator: "\n").count == 1,
            "\(outcome.error)")
        #expect(Command.files(in: folder).isEmpty)
    }
}
