import Foundation
import LessonKit
import ReportModel
import TestSupport
import Testing

@testable import Lessons

@Suite("softmax against the definition (001, 003)")
struct SoftmaxLessonTests {
    func softmax(_ z: [Double]) -> [Double] {
        let e = z.map { exp($0 - z.max()!) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }

    @Test(arguments: [([2.0, 1.0, 0.1], 0), ([0.5, -1.5, 3, 3], 2), ([-4, 7], 1)])
    func probabilitiesLossGradientAndKL(z: [Double], target: Int) throws {
        let settings = ["z=" + z.map { "\($0)" }.joined(separator: ","), "class=\(target)"]
        let values = try Lesson.softmax.run(settings: settings).values
        guard case .array(let p)? = values["p"], case .array(let gradient)? = values["dL/dz"],
            case .array(let q)? = values["q"]
        else {
            Issue.record("missing arrays")
            return
        }
        let expected = softmax(z)
        #expect(zip(p, expected).allSatisfy { close($0, $1, within: 1e-15) })
        #expect(close(try #require(values.number("sum")), 1, within: 1e-15))
        // L = −log p_c
        #expect(close(try #require(values.number("cross_entropy")), -log(expected[target]), within: 1e-14))
        for i in z.indices {
            #expect(close(gradient[i], (expected[i] - (i == target ? 1 : 0)), within: 1e-15), "∂L/∂z_\(i) = p − y")
        }
        // H(q, p) = H(q) + KL(q‖p), each computed here by hand.
        let h = -q.map { $0 * log($0) }.reduce(0, +)
        let cross = -zip(q, expected).map { $0 * log($1) }.reduce(0, +)
        #expect(
            try close(#require(values.number("entropy")), h, within: 1e-14)
                && close(#require(values.number("soft_cross_entropy")), cross, within: 1e-14))
        #expect(close(try #require(values.number("kl")), cross - h, within: 1e-14))
    }

    @Test func theDefaultsAreTheNotesExample() throws {
        // 003's example logits (2.0, 1.0, 0.1): p ≈ (0.659, 0.242, 0.099).
        guard case .array(let p)? = try Lesson.softmax.run(settings: []).values["p"] else { return }
        #expect(p.map { String(format: "%.3f", $0) } == ["0.659", "0.242", "0.099"])
    }

    @Test func largeLogitsStayFinite() throws {
        let values = try Lesson.softmax.run(settings: ["z=1000,1001,1002"]).values
        guard case .array(let p)? = values["p"] else { return }
        #expect(
            zip(p, softmax([0, 1, 2])).allSatisfy { close($0, $1, within: 1e-15) },
            "translation invariance: the same as (0, 1, 2)")
        #expect(try #require(values.number("cross_entropy")).isFinite)
    }

    /// With the largest logit taken off, the exponentials are e^{z − max z}, and the steps say so:
    /// "eᶻ = exp([−2 −1 0])" would be false.
    @Test func theShiftedStepsNameWhatTheyHold() throws {
        let shifted = steps(try Lesson.softmax.run(settings: ["z=1000,1001,1002"])).map { $0.lhs.plainText }
        #expect(shifted.contains("ez − max z") && shifted.contains("Σj ezj − max z") && !shifted.contains("ez"))
        let plain = steps(try Lesson.softmax.run(settings: [])).map { $0.lhs.plainText }
        #expect(plain.contains("ez") && plain.contains("Σj ezj"))
    }

    @Test func veryNegativeLogitsStayFinite() throws {
        // e^{−6780} is 0 in double precision: the naive p would be 0/0 = NaN.
        let values = try Lesson.softmax.run(settings: ["z=-8860,-6780,-6781"]).values
        guard case .array(let p)? = values["p"] else {
            Issue.record("no p")
            return
        }
        #expect(
            zip(p, softmax([-2080, 0, -1])).allSatisfy { close($0, $1, within: 1e-15) }, "the same as (−2080, 0, −1)")
        #expect(try #require(values.number("cross_entropy")).isFinite)
    }

    @Test(arguments: [
        ("z=1,abc,2", "entry 2, 'abc', is not a number"),
        ("z=1", "has 1 entry; z (the logits, one per class) takes 2 to 64 numbers"),
        ("z=", "has 0 entries"), ("class=3", "class=3 is not one of z's 3 classes; class takes 0 to 2"),
        ("z=1,2,nan", "is not a finite number"),
    ])
    func badVectorsAreRefusedByTheirRule(setting: String, message: String) {
        #expect {
            _ = try Lesson.softmax.run(settings: [setting])
        } throws: { ($0 as? ParameterError)?.description.contains(message) == true }
        let tooMany = "z=" + Array(repeating: "1", count: 65).joined(separator: ",")
        #expect(throws: ParameterError.self) { try Lesson.softmax.run(settings: [tooMany]) }
    }
}

@Suite("backprop-matrix: BP1–BP4 against the scalar lesson and a hand-written network")
struct BackpropMatrixTests {
    @Test(arguments: [[], ["update=output-first"], ["w1=0.9", "b2=-0.3", "i2=0.7", "iterations=50"]])
    func theMatrixAndScalarFormsAgree(_ settings: [String]) throws {
        let values = try Lesson.backpropMatrix.run(
            settings: settings + ["iterations=\(settings.contains("iterations=50") ? 50 : 200)"]
        ).values
        #expect(try #require(values.number("largest_difference")) <= 1e-12)
        // …and against the tape-free reference network of the scalar lesson's tests.
        var reference = Reference()
        if settings.contains("w1=0.9") {
            reference.w[1] = 0.9
            reference.b.1 = -0.3
            reference.i.1 = 0.7
        }
        let g = reference.gradients(reference.w)
        guard case .array(let dW2)? = values["dE/dW2"], case .array(let dW1)? = values["dE/dW1"] else {
            Issue.record("no gradients")
            return
        }
        for (k, x) in zip([5, 6, 7, 8], dW2) { #expect(close(x, g[k], within: 1e-15), "∂E/∂w\(k)") }
        let outputFirst = settings.contains("update=output-first")
        let hidden =
            outputFirst
            ? reference.gradients(reference.w, outputWeights: reference.step(reference.w, outputFirst: true)) : g
        for (k, x) in zip([1, 2, 3, 4], dW1) { #expect(close(x, hidden[k], within: 1e-15), "∂E/∂w\(k)") }
    }

    @Test func theDeltaVectorIsMazursDelta() throws {
        let values = try Lesson.backpropMatrix.run(settings: ["iterations=1"]).values
        guard case .array(let delta)? = values["delta2"] else { return }
        let r = Reference()
        let pass = r.forward(r.w)
        // δ_o1 = −(t1 − out_o1)·out_o1(1 − out_o1)
        #expect(close(delta[0], -(r.t.0 - pass.o1) * pass.o1 * (1 - pass.o1), within: 1e-16))
    }

    /// 002's batch algorithm written out example by example: the notes' example and (0.1, 0.2) → (0.2, 0.8),
    /// a cross-entropy output, δ = a − y, Δ = Σ δ aᵀ, D = Δ/2 + λW² with λ = 0.01; D against a
    /// central difference of J = (1/2) Σ cross-entropy + (λ/2) Σ W².
    @Test func theBatchAlgorithmIsTheGradientOfTheAveragedCost() throws {
        let values = try Lesson.backpropMatrix.run(settings: ["iterations=1"]).values
        let W1 = [[0.15, 0.2], [0.25, 0.3]]
        let b1 = 0.35
        let b2 = 0.6
        let lambda = 0.01
        let examples: [(x: [Double], y: [Double])] = [([0.05, 0.1], [0.01, 0.99]), ([0.1, 0.2], [0.2, 0.8])]
        func σ(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
        func forward(_ W2: [[Double]], _ x: [Double]) -> (a1: [Double], a2: [Double]) {
            let a1 = W1.map { σ($0[0] * x[0] + $0[1] * x[1] + b1) }
            return (a1, W2.map { σ($0[0] * a1[0] + $0[1] * a1[1] + b2) })
        }
        func cost(_ W2: [[Double]]) -> Double {
            var entropy = 0.0
            for e in examples {
                let a2 = forward(W2, e.x).a2
                for i in 0..<2 { entropy -= e.y[i] * log(a2[i]) + (1 - e.y[i]) * log(1 - a2[i]) }
            }
            let squares: Double = (W1 + W2).flatMap { $0 }.map { $0 * $0 }.reduce(0, +)
            return entropy / 2 + lambda / 2 * squares
        }
        let W2 = [[0.4, 0.45], [0.5, 0.55]]
        var accumulated = [[0.0, 0], [0, 0]]
        for e in examples {
            let (a1, a2) = forward(W2, e.x)
            for i in 0..<2 { for j in 0..<2 { accumulated[i][j] += (a2[i] - e.y[i]) * a1[j] } }
        }
        let D = (0..<2).flatMap { i in (0..<2).map { j in accumulated[i][j] / 2 + lambda * W2[i][j] } }
        guard case .array(let page)? = values["batch.D2"], case .array(let backward)? = values["batch.dJ/dW2"] else {
            Issue.record("no D2")
            return
        }
        for k in 0..<4 { #expect(close(page[k], D[k]) && close(backward[k], D[k], relative: 1e-14), "D2 entry \(k)") }
        guard case .array(let J)? = values["batch.J"] else {
            Issue.record("no J")
            return
        }
        #expect(close(J[0], cost(W2)))
        // ∂J/∂W²₁₁ by a central difference.
        let h = 1e-6
        let difference = (cost([[0.4 + h, 0.45], [0.5, 0.55]]) - cost([[0.4 - h, 0.45], [0.5, 0.55]])) / (2 * h)
        #expect(close(page[0], difference, relative: 1e-8))
    }
}

@Suite("decision-boundary (004)")
struct DecisionBoundaryTests {
    @Test func threeHiddenUnitsSeparateTheCirclesAndOneDoesNot() throws {
        let values = try Lesson.decisionBoundary.run(settings: []).values
        #expect(try #require(values.number("accuracy.hidden3")) > 0.95)
        #expect(try #require(values.number("accuracy.hidden1")) < 0.8)
        #expect(
            try #require(values.number("accuracy.hidden2")) < 0.95,
            "004: not without 3 or more units, even if it reaches about 80%")
    }

    @Test func theSameSeedGivesTheSameRun() throws {
        let a = try Lesson.decisionBoundary.run(settings: ["epochs=60", "data=xor"]).values
        let b = try Lesson.decisionBoundary.run(settings: ["epochs=60", "data=xor"]).values
        let c = try Lesson.decisionBoundary.run(settings: ["epochs=60", "data=xor", "seed=2"]).values
        #expect(a["loss"] == b["loss"] && a.number("final_accuracy") == b.number("final_accuracy"))
        #expect(a["loss"] != c["loss"])
    }

    @Test func hiddenSizesMustBeWholeNumbers() {
        #expect(throws: ParameterError.self) { try Lesson.decisionBoundary.run(settings: ["hidden=2.5"]) }
        #expect(throws: Never.self) { try Lesson.decisionBoundary.parameters(settings: ["hidden=8,4"]) }
    }
}
