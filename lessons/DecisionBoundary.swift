import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel
import Synchronization

extension Lesson {
    /// 004_38d215965c7e92a5.txt's binary classification example: points no line separates, a
    /// hidden layer that bends the boundary, and "it is impossible for a neural network to classify
    /// this dataset without having a layer that has 3 or more hidden units".
    public static let decisionBoundary = Lesson(
        name: "decision-boundary",
        title: "A network learns a decision boundary: two circles, XOR or spirals, and how many hidden units it takes",
        parameters: [
            .choice(
                "data", "circles", among: ["circles", "xor", "spirals"],
                "the data set: a ring around a disc, XOR's four corners, or two spirals"),
            .integer("points", 200, in: 20...2000, "number of points, half of each class"),
            .real("noise", 0.1, in: 0...1, "standard deviation of the noise added to each point"),
            .vector(
                "hidden", [3], length: 1...3, in: 1...64, "units in each hidden layer, comma-separated (whole numbers)"),
            .choice("activation", "tanh", among: ["tanh", "relu", "sigmoid"], "the hidden layers' activation"),
            .integer("epochs", 400, in: 1...5000, "full-batch Adam steps"),
            .real("lr", 0.05, in: 0.00001...1, "Adam's learning rate α"),
            .integer("seed", 1, in: 0...1_000_000_000, "seed of the data and of the initial weights"),
            .digits(4),
        ],
        check: { p in
            let hidden = p.vector("hidden")
            guard hidden.allSatisfy({ $0 == $0.rounded() }) else {
                return
                    """
                    hidden=\(hidden.map { ParameterValue.real($0).description }.joined(separator: ",")) \
                    must list whole numbers of units, such as 3 or 8,4
                    """
            }
            // Training costs points × epochs × weights multiply-adds (forward and back): past 10⁹ a
            // run takes more than a few seconds (64,64,64 on 2000 points for 5000 epochs: 253 s).
            let widths = [2.0] + hidden + [2]
            let weights = zip(widths, widths.dropFirst()).map { $0 * $1 }.reduce(0, +)
            let work = Double(p.integer("points")) * Double(p.integer("epochs")) * weights
            return work <= DecisionBoundary.mostWork
                ? nil
                : "hidden=\(hidden.map { String(Int($0)) }.joined(separator: ",")) on points=\(p.integer("points")) for epochs=\(p.integer("epochs")) is \(NumberFormat(significantDigits: 2).plain(work)) multiply-adds of training, more than the \(NumberFormat(significantDigits: 1).plain(DecisionBoundary.mostWork)) a run of a few seconds allows; use fewer points, epochs or hidden units"
        },
        build: DecisionBoundary.build
    ).regimes([
        Regime("data=xor", "XOR: two crossing lines would split it, but training does not find them with two units"),
        Regime("data=spirals", "two spirals: even eight units fall short in 400 epochs"),
        Regime("noise=1", "noise that mixes the classes: no width classifies 95%, so the claim cannot be tested"),
        Regime("epochs=5", "too little training: no width has learned the boundary yet"),
    ])
}

enum DecisionBoundary {
    /// The most points × epochs × weights a run may train (a few seconds on one core).
    static let mostWork = 1e9

    /// Points and their classes (0 or 1), from the seed.
    struct DataSet {
        let points: [[Double]]
        let labels: [Int]

        init(_ kind: String, count: Int, noise: Double, seed: Int) {
            var random = SeededGenerator(seed: UInt64(seed))
            var points: [[Double]] = []
            var labels: [Int] = []
            for i in 0..<count {
                let label = i % 2
                var (x, y): (Double, Double)
                switch kind {
                case "xor":
                    (x, y) = (random.uniform(in: -1...1), random.uniform(in: -1...1))
                    // Class 1 where the signs differ: the two off-diagonal corners.
                    if (x * y < 0) != (label == 1) { x = -x }
                case "spirals":
                    let r = random.uniform(in: 0.15...1)
                    let angle = 1.5 * .pi * r * 2 + Double(label) * .pi
                    (x, y) = (r * cos(angle), r * sin(angle))
                default:  // circles: class 0 a disc of radius 0.5, class 1 a ring of radius 1
                    let angle = random.uniform(in: 0...(2 * .pi))
                    let r = label == 0 ? 0.5 : 1.0
                    (x, y) = (r * cos(angle), r * sin(angle))
                }
                points.append([x + noise * random.gaussian(), y + noise * random.gaussian()])
                labels.append(label)
            }
            self.points = points
            self.labels = labels
        }
    }

    /// A training run: the network after each chosen epoch, with loss and accuracy every epoch.
    struct Training {
        private(set) var losses: [Double] = []
        private(set) var accuracies: [Double] = []
        private(set) var snapshots: [(epoch: Int, network: DenseNetwork)] = []

        init(
            _ data: DataSet, hidden: [Int], activation: DenseNetwork.Activation, epochs: Int, lr: Double, seed: Int,
            keep: [Int] = []
        ) {
            var random = SeededGenerator(seed: UInt64(seed) &+ 0x1A7E)
            var network = DenseNetwork(sizes: [2] + hidden + [2], activation: activation, random: &random)
            var adam = AdamOptimizer(alpha: lr)
            let tape = TensorTape()
            let x = NDArray(data.points)
            for epoch in 0...epochs {
                if keep.contains(epoch) { snapshots.append((epoch, network)) }
                tape.clear()
                let (logits, parameters) = network.forward(tape.input(x), on: tape)
                let loss = logits.crossEntropy(targets: data.labels)
                losses.append(loss.value.scalars[0])
                accuracies.append(DecisionBoundary.accuracy(logits.value, data.labels))
                if epoch == epochs { break }
                tape.backward(from: loss)
                var values = network.parameters
                adam.step(&values, gradients: parameters.map(\.gradient))
                network.parameters = values
            }
            self.network = network
        }

        private(set) var network: DenseNetwork
        var finalAccuracy: Double { accuracies.last! }
    }

    /// The share of rows whose larger logit is the label's.
    static func accuracy(_ logits: NDArray, _ labels: [Int]) -> Double {
        // Read in place: the rows as arrays cost a tenth of the run, once per epoch.
        let logit = logits.scalars
        return Double(
            labels.indices.filter { row in (logit[2 * row + 1] > logit[2 * row] ? 1 : 0) == labels[row] }.count)
            / Double(labels.count)
    }

    /// p(class 1) − ½ over a grid around the data: its zero level is the decision boundary.
    static func boundary(_ network: DenseNetwork, x: ClosedRange<Double>, y: ClosedRange<Double>, samples n: Int = 61)
        -> Plot.Field
    {
        let xs = (0..<n).map { x.lowerBound + (x.upperBound - x.lowerBound) * Double($0) / Double(n - 1) }
        let ys = (0..<n).map { y.lowerBound + (y.upperBound - y.lowerBound) * Double($0) / Double(n - 1) }
        let tape = TensorTape()
        let grid = tape.input(NDArray(ys.flatMap { b in xs.map { a in [a, b] } }))
        let p = network.forward(grid, on: tape).logits.softmax().value.rows.map { $0[1] - 0.5 }
        var field = Plot.Field(xs: xs, ys: ys, values: p, levels: [-0.4, -0.25, 0, 0.25, 0.4])
        field.colors = .diverging
        return field
    }

    /// What the boundary of each data set needs, in straight pieces.
    static func shape(_ kind: String) -> RichText {
        switch kind {
        case "circles": "A closed boundary around a disc needs at least three: the notes’ data set."
        case "xor":
            "XOR’s four quadrants are split by two crossing lines, so two units are enough in principle (the notes’ three is about their circles); whether training finds those two lines is another matter."
        default: "A boundary that winds between two spirals needs many bends, more than the notes’ three."
        }
    }

    /// Accuracy that counts as classifying the data set, for the notes' claim.
    static let classified = 0.95

    /// The fewest units that classify the data (≥ 95%), set beside the notes' three.
    static func verdict(widths: [Int], accuracies: [Double], epochs: Int, percent: (Double) -> RichText) -> RichText {
        let bar = percent(classified)
        guard let fewest = zip(widths, accuracies).first(where: { $0.1 >= classified })?.0 else {
            return "No width here classifies " + bar
                + " of the points after \(epochs) epochs, so this run cannot test the notes’ claim."
        }
        let lead: RichText = "The fewest units that classify at least " + bar + " of the points: \(fewest)"
        return switch fewest {
        case 3: lead + ", as the notes say."
        case ..<3: lead + ", fewer than the notes’ three: their claim does not hold for this data."
        default:
            lead + ", more than the notes’ three: " + percent(accuracies[widths.firstIndex(of: 3)!])
                + " with three is not enough here."
        }
    }

    static func build(_ p: Parameters) -> LessonResult {
        let kind = p.choice("data")
        let count = p.integer("points")
        let epochs = p.integer("epochs")
        let seed = p.integer("seed")
        let hidden = p.vector("hidden").map { Int($0) }
        let activation = DenseNetwork.Activation(rawValue: p.choice("activation"))!
        let data = DataSet(kind, count: count, noise: p["noise"], seed: seed)
        let moments = [0, epochs / 20, epochs / 5, epochs].reduce(into: [Int]()) {
            if !$0.contains($1) { $0.append($1) }
        }
        let widths = [1, 2, 3, 8]
        // The chosen network and the four widths train independently, each on its own tape: on
        // two cores they take half the time, which keeps a change in `lessons serve` under 0.3 s.
        let trainings = Mutex([Training?](repeating: nil, count: 1 + widths.count))
        DispatchQueue.concurrentPerform(iterations: 1 + widths.count) { k in
            let training =
                k == 0
                ? Training(
                    data, hidden: hidden, activation: activation, epochs: epochs, lr: p["lr"], seed: seed, keep: moments
                )
                : Training(
                    data, hidden: [widths[k - 1]], activation: activation, epochs: epochs, lr: p["lr"], seed: seed)
            trainings.withLock { $0[k] = training }
        }
        let trained = trainings.withLock { $0.map { $0! } }
        let run = trained[0]
        let comparison = Array(trained.dropFirst())

        let reach = (data.points.flatMap { $0 }.map(abs).max() ?? 1) * 1.15
        let span = -reach...reach
        func picture(_ network: DenseNetwork, title: RichText?) -> Plot {
            Plot(
                title: title, x: "x_1", y: "x_2", equalAspect: true, legend: false,
                layers: [.contour(boundary(network, x: span, y: span))]
                    + (0...1).map { c in
                        .scatter(
                            .init(
                                "class \(c)",
                                points: zip(data.points, data.labels).filter { $0.1 == c }.map { ($0.0[0], $0.0[1]) },
                                color: c))
                    })
        }
        let n = Notation(tape: Tape(), format: NumberFormat(significantDigits: p.integer("digits")))
        let percent = { (x: Double) in n.number(100 * x) + "%" }
        let layout = ([2] + hidden + [2]).map(String.init).joined(separator: "–")
        let threeOrMore = comparison.enumerated().filter { widths[$0.offset] >= 3 }.map(\.element.finalAccuracy).min()!
        let fewer = comparison.enumerated().filter { widths[$0.offset] < 3 }.map(\.element.finalAccuracy).max()!

        var values = ExportedValues()
        values["loss"] = .array(run.losses)
        values["accuracy"] = .array(run.accuracies)
        values["final_accuracy"] = .number(run.finalAccuracy)
        for (w, training) in zip(widths, comparison) { values["accuracy.hidden\(w)"] = .number(training.finalAccuracy) }

        let report = Report(
            title: "A network learns a decision boundary",
            subtitle:
                """
                Points that no straight line separates, a hidden layer that learns to bend the boundary, \
                and how many hidden units it takes. Every number below was computed by the engine.
                """,
            lesson: Lesson.decisionBoundary.name,
            source:
                """
                Notes \(CourseNotes.cite("004")) (“Binary classification example”, “it is impossible for a \
                neural network to classify this dataset without having a layer that has 3 or more hidden units”)
                """
        ) {
            Section("The data") {
                """
                \(count) points in two classes (\(kind), noise \(n.number(p["noise"])), seed \
                \(seed)). A single neuron can only learn a linear decision boundary (004), and \
                no straight line separates these classes: the network needs a hidden layer.
                """
                Figure(
                    "The data set.",
                    plot: Plot(
                        x: "x_1", y: "x_2", equalAspect: true,
                        layers: (0...1).map { c in
                            .scatter(
                                .init(
                                    "class \(c)",
                                    points: zip(data.points, data.labels).filter { $0.1 == c }.map {
                                        ($0.0[0], $0.0[1])
                                    }, color: c))
                        }))
            }
            Section("The network and its training") {
                """
                A dense network \(layout): two inputs, hidden layers of \
                \(hidden.map(String.init).joined(separator: " and ")) units with \(activation.rawValue), and two \
                outputs whose softmax gives the probability of each class. The loss is the cross-entropy of the \
                true classes, averaged over all points; every epoch takes one step of Adam (α = \(n.number(p["lr"]))) \
                on the gradient over the whole data set, computed by the tensor engine’s backward pass. The weights \
                start Glorot-uniform from the seed.
                """
                Figure(
                    """
                    The decision boundary (the white band, where both classes are equally likely) \
                    at four moments of training; blue leans to class 0, vermillion to class 1.
                    """,
                    panels: Panels(
                        columns: 2, plots: run.snapshots.map { picture($0.network, title: "epoch \($0.epoch)") }))
                Figure(
                    "The loss and the accuracy after every epoch.",
                    panels: Panels(
                        columns: 2, sharedX: true, sharedY: false,
                        plots: [
                            Plot(
                                x: "epoch", y: .init("loss", scale: .logarithmic),
                                layers: [
                                    .line(
                                        .init(
                                            points: run.losses.enumerated().map { (Double($0.offset), $0.element) },
                                            color: 0))
                                ]),
                            Plot(
                                x: "epoch", y: "accuracy",
                                layers: [
                                    .line(
                                        .init(
                                            points: run.accuracies.enumerated().map { (Double($0.offset), $0.element) },
                                            color: 2))
                                ]),
                        ]))
                """
                After \(epochs) epochs the loss is \(n.number(run.losses.last!)) and the \
                network classifies \(percent(run.finalAccuracy)) of the points correctly.
                """
            }
            Section("How many hidden units") {
                """
                004: “It is impossible for a neural network to classify this dataset without having a layer \
                that has 3 or more hidden units, regardless of depth, even if it can get an 80% of classification \
                accuracy.” Each hidden unit contributes one bend, one straight piece of the boundary. 
                """
                    + shape(kind) + " The same data, seed and training with one hidden layer of 1, 2, 3 and 8 units:"
                Figure(
                    "The boundary each width learns.",
                    panels: Panels(
                        columns: 2,
                        plots: zip(widths, comparison).map { w, training in
                            picture(
                                training.network,
                                title: "\(w) hidden \(w == 1 ? "unit" : "units"): " + percent(training.finalAccuracy))
                        }))
                Table(
                    "Accuracy after \(epochs) epochs by the width of the hidden layer.",
                    columns: [
                        .init("hidden units", alignment: .trailing), .init("final loss", alignment: .trailing),
                        .init("accuracy", alignment: .trailing),
                    ],
                    rows: zip(widths, comparison).map { w, training in
                        [.plain("\(w)"), n.number(training.losses.last!), percent(training.finalAccuracy)]
                    })
                """
                With fewer than three units the best here is \(percent(fewer)); \
                with three or more, at least \(percent(threeOrMore)). 
                """
                    + verdict(
                        widths: widths, accuracies: comparison.map(\.finalAccuracy), epochs: epochs, percent: percent)
            }
        }
        // The trained network's forward pass over the data, named, for `lessons graph`.
        let tape = TensorTape()
        let loss = run.network.forward(tape.input(NDArray(data.points), "X"), on: tape, labeled: true).logits
            .crossEntropy(targets: data.labels).labeled("L")
        let t = TensorNotation(
            tape: tape, format: n.format,
            symbols: [
                "W1": "W^{1}", "W2": "W^{2}", "W3": "W^{3}", "W4": "W^{4}",
                "b1": "b^{1}", "b2": "b^{2}", "b3": "b^{3}", "b4": "b^{4}",
                "h1": "h^{1}", "h2": "h^{2}", "h3": "h^{3}",
            ])
        return LessonResult(
            lesson: Lesson.decisionBoundary.name, parameters: p, report: report, values: values,
            recordings: [Recording(notation: t, output: loss)])
    }
}
