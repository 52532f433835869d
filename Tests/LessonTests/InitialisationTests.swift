import Engine
import Foundation
import LessonKit
import ReportModel
import TestSupport
import Testing

@testable import Lessons

@Suite("initialisation: the scales, and a deep stack forward and backward by hand (000)")
struct InitialisationTests {
    @Test func theScalesForSixtyFourInputs() throws {
        // n = 64: Xavier √(1/64) = 0.125, He √(2/64), Bengio √(2/(64 + 64)) = Xavier's; n σ² = 1, 2, 1 and 0.0064.
        let values = try Lesson.initialisation.run(settings: ["layers=2", "batch=10"]).values
        #expect(values.number("sigma_xavier") == 0.125 && values.number("sigma_bengio") == 0.125)
        #expect(close(try #require(values.number("sigma_he")), 2.0.squareRoot() / 8, within: 1e-16))
        #expect(
            try values.number("gain_xavier") == 1 && close(#require(values.number("gain_he")), 2, within: 1e-15)
                && close(#require(values.number("gain_small")), 0.0064, within: 1e-18))
    }

    /// The stack with plain loops: the same draws in the same order (inputs, weights, the signal r).
    static func byHand(
        layers: Int, width: Int, batch: Int, activation: DenseNetwork.Activation, factor: Double, residual: Bool,
        seed: Int
    ) -> (spread: [Double], gradient: [Double]) {
        var random = SeededGenerator(seed: UInt64(seed) &+ 0xDEE9)
        let x = (0..<batch).map { _ in (0..<width).map { _ in random.gaussian() } }
        let weights = (0..<layers).map { _ in
            (0..<width).map { _ in (0..<width).map { _ in factor * random.gaussian() } }
        }
        let r = (0..<batch).map { _ in (0..<width).map { _ in random.gaussian() } }
        func act(_ z: Double) -> Double {
            activation == .tanh ? tanh(z) : activation == .relu ? max(z, 0) : 1 / (1 + exp(-z))
        }
        func slope(_ z: Double) -> Double {
            activation == .tanh ? 1 - tanh(z) * tanh(z) : activation == .relu ? (z > 0 ? 1 : 0) : act(z) * (1 - act(z))
        }
        var h = [x]
        var z: [[[Double]]] = []
        for W in weights {
            let pre = h.last!.map { row -> [Double] in
                (0..<width).map { j -> Double in (0..<width).map { (i: Int) -> Double in row[i] * W[i][j] }.reduce(0, +)
                }
            }
            z.append(pre)
            h.append(zip(h.last!, pre).map { hRow, zRow in zip(hRow, zRow).map { residual ? $0 + act($1) : act($1) } })
        }
        // Backward: δ_L = r; δ_{l−1} = (δ_l ⊙ act′(z_l)) Wᵀ (+ δ_l through the skip).
        var delta = r
        var norms = [r.joined().map { $0 * $0 }.reduce(0, +).squareRoot()]
        for l in stride(from: layers - 1, through: 0, by: -1) {
            let local = zip(delta, z[l]).map { d, zz in zip(d, zz).map { $0 * slope($1) } }
            var next = [[Double]](repeating: [Double](repeating: 0, count: width), count: batch)
            for b in 0..<batch {
                for i in 0..<width {
                    var total = residual ? delta[b][i] : 0
                    for j in 0..<width { total += local[b][j] * weights[l][i][j] }
                    next[b][i] = total
                }
            }
            delta = next
            norms.insert(delta.joined().map { $0 * $0 }.reduce(0, +).squareRoot(), at: 0)
        }
        // The spread across the examples: each unit's variance over the batch, averaged over the units.
        func spread(_ layer: [[Double]]) -> Double {
            let variances = (0..<width).map { unit -> Double in
                let column = layer.map { $0[unit] }
                let mean = column.reduce(0, +) / Double(column.count)
                return column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)
            }
            return (variances.reduce(0, +) / Double(width)).squareRoot()
        }
        return (h.map(spread), norms)
    }

    @Test(arguments: [
        (DenseNetwork.Activation.tanh, DeepStack.Scale.xavier, false), (.relu, .he, false), (.sigmoid, .small, false),
        (.tanh, .small, true), (.relu, .xavier, true),
    ])
    func theStackAgainstPlainLoops(activation: DenseNetwork.Activation, scale: DeepStack.Scale, residual: Bool) {
        let stack = DeepStack(
            layers: 4, width: 6, batch: 5, activation: activation, scale: scale, residual: residual, seed: 3)
        let expected = Self.byHand(
            layers: 4, width: 6, batch: 5, activation: activation, factor: scale.factor(fanIn: 6, fanOut: 6),
            residual: residual, seed: 3)
        for (a, b) in zip(stack.spread, expected.spread) { #expect(close(a, b, relative: 1e-12)) }
        for (a, b) in zip(stack.gradientNorms, expected.gradient) {
            #expect(close(a, b, relative: 1e-12), "\(a) against \(b)")
        }
        #expect(stack.gradientNorms.count == 5 && expected.gradient.count == 5)
    }

    @Test func matchedScalesKeepTheGradientAndTheSmallOneLosesIt() throws {
        let values = try Lesson.initialisation.run(settings: []).values
        func ratio(_ key: String) -> Double {
            guard case .array(let norms)? = values[key] else { return .nan }
            return norms.first! / norms.last!
        }
        #expect((0.3...3).contains(ratio("relu.he.gradient")))
        #expect(ratio("relu.small.gradient") < 1e-10 && ratio("sigmoid.he.gradient") < 1e-3)
        guard case .array(let spread)? = values["relu.xavier.spread"] else {
            Issue.record("no spread")
            return
        }
        // ReLU with Xavier's scale halves the variance per layer: the spread falls by about √2 each time.
        let perLayer = pow(spread.last! / spread[1], 1 / Double(spread.count - 2))
        #expect(close(perLayer, 1 / 2.0.squareRoot(), within: 0.1), "\(perLayer)")
    }
}
