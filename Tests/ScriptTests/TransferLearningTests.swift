import Foundation
import LessonKit
import Lessons
import ReportModel
import TestSupport
import Testing

@testable import Script

/// The shipped script `transfer-learning` (000's transfer learning) against the 1–2–1 network
/// written out here: trained on task A by hand, its hidden layer frozen and a new output layer
/// trained on task B's three examples, against the same network trained from scratch; the frozen
/// weight's gradient by hand and by central differences.
@Suite("transfer-learning: the script against a frozen hidden layer written by hand (000)")
struct TransferLearningTests {
    /// A network's weights in the order w1 b1 w2 b2 v1 v2 c: h_j = tanh(w_j x + b_j), o = σ(v1 h1 + v2 h2 + c).
    typealias Weights = [Double]

    static func output(_ p: Weights, _ x: Double) -> Double {
        let (h1, h2) = (tanh(p[0] * x + p[1]), tanh(p[2] * x + p[3]))
        return 1 / (1 + Foundation.exp(-(p[4] * h1 + p[5] * h2 + p[6])))
    }

    /// The cross-entropy averaged over `points` (x, label), and its gradient in all seven weights:
    /// ∂L/∂z = o − y at the output, back through v_j and 1 − h_j².
    static func loss(_ p: Weights, _ points: [(x: Double, y: Double)]) -> (loss: Double, gradient: Weights) {
        var (loss, g) = (0.0, Weights(repeating: 0, count: 7))
        for (x, y) in points {
            let (h1, h2) = (tanh(p[0] * x + p[1]), tanh(p[2] * x + p[3]))
            let o = 1 / (1 + Foundation.exp(-(p[4] * h1 + p[5] * h2 + p[6])))
            loss -= y == 1 ? Foundation.log(o) : Foundation.log(1 - o)
            let dz = o - y
            let d1 = dz * p[4] * (1 - h1 * h1)
            let d2 = dz * p[5] * (1 - h2 * h2)
            for (k, d) in [d1 * x, d1, d2 * x, d2, dz * h1, dz * h2, dz].enumerated() { g[k] += d }
        }
        let n = Double(points.count)
        return (loss / n, g.map { $0 / n })
    }

    /// Gradient descent on the weights at `trained` (indices), the others held.
    static func train(_ start: Weights, _ points: [(x: Double, y: Double)], steps: Int, rate: Double, trained: [Int])
        -> Weights
    {
        var p = start
        for _ in 0..<steps {
            let g = loss(p, points).gradient
            for k in trained { p[k] -= rate * g[k] }
        }
        return p
    }

    struct Model {
        var x = [-2.0, -0.5, 0.5, 2]
        var a: Weights = [1, 0.5, -1, 0.5, 0.5, 0.5, 0], head = [0.1, 0.1, 0.0],
            scratch: Weights = [1, 0.5, -1, 0.5, 0.1, 0.1, 0]
        var alpha = 0.5, steps = 2000, bsteps = 500

        init(_ settings: [String]) {
            let names = ["w1", "b1", "w2", "b2", "v1", "v2", "c"]
            let heads = ["u1", "u2", "d"]
            let scratches = ["p1", "q1", "p2", "q2", "r1", "r2", "s"]
            for (name, value) in pairs(settings) {
                if let k = names.firstIndex(of: name) { a[k] = value }
                if let k = heads.firstIndex(of: name) { head[k] = value }
                if let k = scratches.firstIndex(of: name) { scratch[k] = value }
                if let (axis, k) = coordinate(name), axis == "x" { x[k] = value }
                switch name {
                case "alpha": alpha = value
                case "steps": steps = Int(value)
                case "bsteps": bsteps = Int(value)
                default: break
                }
            }
        }
        var taskA: [(x: Double, y: Double)] { [(x[0], 0), (x[1], 1), (x[2], 1), (x[3], 0)] }
        /// The network trained on task A, and the start of task B: its hidden layer (0–3) frozen, the new output layer.
        var trainedA: Weights {
            TransferLearningTests.train(a, taskA, steps: steps, rate: alpha, trained: Array(0..<7))
        }
        func startB(from trained: Weights) -> Weights { Array(trained[0..<4]) + head }
        /// Task B's three examples: the ends x1 and x4 (1), and x3 (0); x2 is left for the test.
        var examplesB: [(x: Double, y: Double)] { [(x[0], 1), (x[2], 0), (x[3], 1)] }
        var taskB: [(x: Double, y: Double)] { [(x[0], 1), (x[1], 0), (x[2], 0), (x[3], 1)] }
    }

    static let settings: [[String]] = [[], ["w2=1", "b2=0.5"], ["steps=1"], ["bsteps=5", "alpha=0.2"]]

    static func shipped() throws -> Lesson {
        try #require(
            Catalog.lesson(named: "transfer-learning"), "transfer-learning is listed with the built-in lessons")
    }

    @Test(arguments: settings)
    func everyValueIsTheHandWrittenOnes(_ settings: [String]) throws {
        let values = try Self.shipped().run(settings: settings).values
        let model = Model(settings)
        let trainedA = model.trainedA
        // The hidden layer frozen: indices 0–3 held, the new output layer (4–6) trained on B's examples.
        let start = model.startB(from: trainedA)
        let transferred = Self.train(
            start, model.examplesB, steps: model.bsteps, rate: model.alpha, trained: [4, 5, 6])
        let scratch = Self.train(
            model.scratch, model.examplesB, steps: model.bsteps, rate: model.alpha, trained: Array(0..<7))
        // The frozen layer is the trained one, copied: w₁* is w₁ after training, to the last bit.
        #expect(
            values.number("W1") == values.number("w1_after_training")
                && values.number("B2") == values.number("b2_after_training"))
        let gradient = Self.loss(start, model.examplesB).gradient
        var expected: [(String, Double)] = [
            ("L_A", Self.loss(model.a, model.taskA).loss),
            ("L_A_after_training", Self.loss(trainedA, model.taskA).loss),
            ("W1", trainedA[0]), ("B1", trainedA[1]), ("W2", trainedA[2]), ("B2", trainedA[3]),
            ("L_T", Self.loss(start, model.examplesB).loss), ("dL_T/du1", gradient[4]), ("dL_T/dW1", gradient[0]),
            ("L_T_after_training", Self.loss(transferred, model.examplesB).loss),
            ("L_S_after_training", Self.loss(scratch, model.examplesB).loss),
            ("test_T", Self.loss(transferred, model.taskB).loss), ("test_S", Self.loss(scratch, model.taskB).loss),
        ]
        for k in 1...4 {
            expected += [
                ("PT\(k)", Self.output(transferred, model.x[k - 1])), ("PS\(k)", Self.output(scratch, model.x[k - 1])),
            ]
        }
        try expectAgreement(values, expected, relative: { _ in 1e-9 }, "\(settings)")
    }

    /// The first point through the untrained network, to the digits the page prints:
    /// h1(x1) = tanh(1 × (−2) + 0.5) = tanh(−1.5), h2(x1) = tanh(2.5), o(x1) = σ(0.5 h1 + 0.5 h2).
    @Test func theFirstPointThroughTheUntrainedNetwork() throws {
        let values = try Self.shipped().run(settings: []).values
        let (h1, h2) = (tanh(-1.5), tanh(2.5))
        try expectAgreement(
            values, [("a1", h1), ("a2", h2), ("o1", 1 / (1 + Foundation.exp(-(0.5 * h1 + 0.5 * h2))))],
            relative: { _ in 1e-15 }, "defaults")
        #expect(close(h1, -0.9051482536, within: 1e-10) && close(h2, 0.9866142982, within: 1e-10))
    }

    /// ∂L_B/∂w₁* (frozen) and ∂L_B/∂u₁ against central differences of task B's loss.
    @Test(arguments: settings)
    func theFrozenWeightsGradientIsTheCentralDifference(_ settings: [String]) throws {
        let values = try Self.shipped().run(settings: settings).values
        let model = Model(settings)
        let start = model.startB(from: model.trainedA)
        func loss(_ index: Int, _ value: Double) -> Double {
            var p = start
            p[index] = value
            return Self.loss(p, model.examplesB).loss
        }
        try expectAgreement(
            values,
            [
                ("dL_T/dW1", centralDifference(at: start[0]) { loss(0, $0) }),
                ("dL_T/du1", centralDifference(at: start[4]) { loss(4, $0) }),
            ], relative: { _ in 1e-6 }, "\(settings)")
    }

    /// The sentences follow the numbers: whether task A is learnt, and which network does better on B.
    @Test(arguments: settings)
    func theSentencesAreTrueToTheNumbers(_ settings: [String]) throws {
        let result = try Self.shipped().run(settings: settings)
        let values = result.values
        let text = paragraphs(result)
        let (transferred, scratch) = (try #require(values.number("test_T")), try #require(values.number("test_S")))
        #expect(
            text.contains(
                transferred < scratch
                    ? "The features learnt on task A carry over"
                    : "Here the network from scratch does as well or better"),
            "\(settings): \(transferred) against \(scratch)")
        let learnt = try #require(values.number("L_A_after_training")) < 0.1
        #expect(text.contains(learnt ? "task A is learnt" : "task A is not yet learnt"), "\(settings)")
        if settings.isEmpty { #expect(learnt && transferred < scratch) }
        if settings == ["w2=1", "b2=0.5"] { #expect(!learnt && transferred > scratch) }
    }
}
