import Engine
import Foundation
import LessonKit
import ReportModel
import Testing

@testable import Lessons

@Suite("perceptron: NAND, XOR from NANDs and the learning rule (003)")
struct PerceptronTests {
    static let inputs: [(Double, Double)] = [(0, 0), (0, 1), (1, 0), (1, 1)]
    /// The perceptron as 003 defines it, by hand: 1 if Σ w_i x_i + b ≥ 0, otherwise 0.
    static func fire(_ w1: Double, _ w2: Double, _ b: Double, _ x1: Double, _ x2: Double) -> Double {
        w1 * x1 + w2 * x2 + b >= 0 ? 1 : 0
    }

    @Test func theDefaultWeightsComputeNAND() throws {
        // Nielsen's NAND, −2, −2, 3: z = 3, 1, 1, −1 over the truth table; only (1, 1) gives 0.
        let values = try Lesson.perceptron.run(settings: []).values
        guard case .array(let z)? = values["nand.z"], case .array(let out)? = values["nand.out"] else {
            Issue.record("no table")
            return
        }
        #expect(z == [3, 1, 1, -1])
        #expect(out == [1, 1, 1, 0])
        #expect(values.number("z") == -1 && values.number("out") == 0, "the worked row x = (1, 1)")
    }

    @Test func fourNANDsComputeXOR() throws {
        let values = try Lesson.perceptron.run(settings: []).values
        guard case .array(let out)? = values["xor.out"], case .array(let h)? = values["xor.h"] else {
            Issue.record("no table")
            return
        }
        #expect(out == [0, 1, 1, 0])
        #expect(h == [1, 1, 1, 0], "h = NAND(x1, x2)")
        // The worked input x = (1, 0), unit by unit, by hand.
        let nand = { (a: Double, c: Double) in Self.fire(-2, -2, 3, a, c) }
        let hw = nand(1, 0)
        let u = nand(1, hw)
        let v = nand(hw, 0)
        #expect(values.number("network.h") == hw && values.number("network.u") == u && values.number("network.v") == v)
        #expect(values.number("network.xor") == nand(u, v) && nand(u, v) == 1)
        #expect(values.number("network.z_u") == -2 * 1 + -2 * hw + 3)
    }

    @Test(arguments: [-2.0, -0.5, 0.25])
    func theThresholdHasNoGradient(w1: Double) throws {
        // ∂out/∂w1 from the tape against a central difference of the lesson's own output: both 0.
        let h = 1e-4
        let at = { (w: Double) in try Lesson.perceptron.run(settings: ["w1=\(w)"]).values.number("out")! }
        let values = try Lesson.perceptron.run(settings: ["w1=\(w1)"]).values
        #expect(values.number("dout/dw1") == 0)
        #expect((try at(w1 + h) - at(w1 - h)) / (2 * h) == values.number("dout/dw1"))
    }

    @Test(arguments: [("nand", 1.0), ("and", 1.0), ("or", 0.3), ("nor", 2.5), ("and", 0.1)])
    func theLearningRuleAgainstAHandWrittenOne(gate: String, eta: Double) throws {
        let truth: [String: [Double]] = [
            "nand": [1, 1, 1, 0], "and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "nor": [1, 0, 0, 0],
        ]
        let targets = try #require(truth[gate])
        var (w1, w2, b) = (0.0, 0.0, 0.0)
        var mistakes: [Double] = []
        for _ in 1...20 {
            var wrong = 0.0
            for (x, t) in zip(Self.inputs, targets) {
                let error = t - Self.fire(w1, w2, b, x.0, x.1)
                if error != 0 { wrong += 1 }
                (w1, w2, b) = (w1 + eta * error * x.0, w2 + eta * error * x.1, b + eta * error)  // w ← w + η(t − out)x
            }
            mistakes.append(wrong)
            if wrong == 0 { break }
        }
        let values = try Lesson.perceptron.run(settings: ["gate=\(gate)", "eta=\(eta)"]).values
        #expect(values["learned.mistakes"] == .array(mistakes))
        #expect(mistakes.last == 0, "\(gate) is linearly separable: the rule stops")
        #expect(
            values.number("learned.w1") == w1 && values.number("learned.w2") == w2 && values.number("learned.b") == b)
    }

    @Test func theRuleNeverSettlesOnXOR() throws {
        let result = try Lesson.perceptron.run(settings: ["gate=xor", "epochs=200"])
        guard case .array(let mistakes)? = result.values["learned.mistakes"] else {
            Issue.record("no mistakes")
            return
        }
        #expect(mistakes.count == 200 && !mistakes.contains(0))
        #expect(paragraphs(result).contains { $0.contains("it never stops: no weights compute XOR") })
    }

    @Test func noWeightsOnAGridComputeXOR() {
        // The section's argument, checked on every w1, w2, b in −5…5 by quarters: some input is always wrong.
        let grid = stride(from: -5.0, through: 5, by: 0.25)
        for w1 in grid {
            for w2 in grid {
                for b in grid {
                    let outputs = Self.inputs.map { Self.fire(w1, w2, b, $0.0, $0.1) }
                    #expect(outputs != [0, 1, 1, 0])
                }
            }
        }
    }

    @Test func weightsThatAreNotNANDAreToldSo() throws {
        let result = try Lesson.perceptron.run(settings: ["w1=1"])
        // 1·1 − 2·1 + 3 = 2 ≥ 0: (1, 1) gives 1, where NAND gives 0.
        #expect(
            paragraphs(result).contains {
                $0.contains("These weights do not compute NAND: the output is wrong for (1, 1)")
            })
        #expect(paragraphs(result).contains { $0.contains("the network does not compute XOR") })
    }

    @Test func theLearnedNANDSitsOnItsBorderAtOneInput() throws {
        // The rule ends at (−2, −1, 2): z(1, 0) = 0 exactly, where "≥ 0" matters (003 against Nielsen's "> 0").
        let result = try Lesson.perceptron.run(settings: [])
        #expect(
            result.values.number("learned.w1") == -2 && result.values.number("learned.w2") == -1
                && result.values.number("learned.b") == 2)
        #expect(paragraphs(result).contains { $0.contains("passes through (1, 0), an input itself") })
    }

    @Test func everyVariantIsASoundExercise() throws {
        for k in 0..<30 {
            let p = try Lesson.perceptron.parameters(settings: Lesson.perceptron.variant(k))
            let z = Self.inputs.map { p["w1"] * $0.0 + p["w2"] * $0.1 + p["b"] }
            #expect(!z.contains(0) && Set(z.map { $0 > 0 }).count == 2, "variant \(k): \(z)")
        }
    }

    /// 003's "two layers suffice, depth helps", on parity: by enumeration, parity of n bits is 1
    /// on 2^(n−1) inputs, so two layers need that many hidden units plus the OR; the chain of
    /// XORs needs 4 NANDs for each of its n − 1 XORs. Both networks right on every input.
    @Test(arguments: [2, 4, 6])
    func twoLayersSufficeAndDepthHelps(bits n: Int) throws {
        let result = try Lesson.perceptron.run(settings: ["bits=\(n)"])
        let values = result.values
        #expect(
            values.number("depth.shallow_correct") == Double(1 << n)
                && values.number("depth.deep_correct") == Double(1 << n))
        let odd = (0..<(1 << n)).filter { $0.nonzeroBitCount % 2 == 1 }.count
        guard case .array(let shallow)? = values["depth.shallow_units"],
            case .array(let deep)? = values["depth.deep_units"]
        else {
            Issue.record("no sizes")
            return
        }
        #expect(shallow[n - 2] == Double(odd + 1) && deep[n - 2] == Double(4 * (n - 1)))
        // The worked input (1, 0, …, 0): its own unit's sum is x₁ − 0.5 = ½, and exactly one hidden unit fires.
        #expect(values.number("depth.m") == 0.5 && values.number("depth.a") == 1)
        #expect(values.number("depth.hidden_sum") == 1 && values.number("depth.parity_shallow") == 1)
        let text = paragraphs(result).joined(separator: "\n")
        // The first n at which the chain, 4(n − 1) perceptrons, is smaller than two layers, 2^(n−1) + 1.
        let from = (2...64).first { 4 * ($0 - 1) < (1 << ($0 - 1)) + 1 }!
        #expect(from == 5)  // 16 against 17; at n = 4, 12 against 9
        #expect(
            text.contains(
                4 * (n - 1) < odd + 1
                    ? "the chain needs \(4 * (n - 1)) perceptrons where two layers need \(odd + 1)"
                    : "two layers still need fewer perceptrons (\(odd + 1) against the chain’s \(4 * (n - 1))); from n = \(from) on"
            ))
    }
}
