import Engine
import Foundation
import LessonKit
import ReportModel
import TestSupport
import Testing

@testable import Lessons

@Suite("batch-norm: a mini-batch normalised by hand, its backward pass, training with and without (000, 004)")
struct BatchNormTests {
    /// L(z) = ½ Σ (γ (z_i − μ)/√(σ² + ε) + β − t_i)², written out with no tape.
    static func loss(_ z: [Double], _ t: [Double], gamma: Double, beta: Double, epsilon: Double) -> Double {
        let n = Double(z.count)
        let mu = z.reduce(0, +) / n
        let variance = z.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / n
        return zip(z, t).map { zi, ti in
            let y = gamma * (zi - mu) / (variance + epsilon).squareRoot() + beta - ti
            return 0.5 * y * y
        }.reduce(0, +)
    }

    @Test func theWorkedBatch() throws {
        // z = (4, 8, 6, 2): μ = 5, σ² = (1 + 9 + 1 + 9)/4 = 5, z_norm = (z − 5)/√(5 + 10⁻⁵).
        let values = try Lesson.batchNorm.run(settings: ["epochs=1"]).values
        #expect(values.number("mu") == 5 && values.number("sigma2") == 5)
        let z = [4.0, 8, 6, 2]
        let t = [0.0, 2, 2, -1]
        let root = (5 + 1e-5).squareRoot()
        for i in 0..<4 {
            #expect(close(try #require(values.number("znorm_\(i + 1)")), (z[i] - 5) / root, within: 1e-15))
            // Ẑ = γ Z_norm + β
            #expect(close(try #require(values.number("zhat_\(i + 1)")), (2 * (z[i] - 5) / root + 0.5), within: 1e-14))
        }
        #expect(
            close(try #require(values.number("L")), Self.loss(z, t, gamma: 2, beta: 0.5, epsilon: 1e-5), within: 1e-14))
        // ∂L/∂γ = Σ (ẑ − t) z_norm, ∂L/∂β = Σ (ẑ − t) = γ·0 + 4β − Σt = −1.
        let zhat = (0..<4).map { 2 * (z[$0] - 5) / root + 0.5 }
        #expect(
            close(
                try #require(values.number("dL/dgamma")),
                (0..<4).map { (zhat[$0] - t[$0]) * (z[$0] - 5) / root }.reduce(0, +), within: 1e-14))
        #expect(close(try #require(values.number("dL/dbeta")), -1, within: 1e-14))
    }

    @Test(arguments: [
        (["z=4,8,6,2"], 1e-5), (["z=0.3,-1.2,2.5,0.1,0.9", "t=1,0,-1,0.5,2", "gamma=-0.7", "beta=1.5"], 1e-5),
        (["z=1,2", "t=0,0", "eps=0.25"], 0.25),
    ])
    func theGradientAgainstCentralDifferencesAndThePaper(settings: [String], epsilon: Double) throws {
        let p = try Lesson.batchNorm.parameters(settings: settings + ["epochs=1"])
        let values = Lesson.batchNorm.run(p).values
        let (z, t) = (p.vector("z"), p.vector("t"))
        guard case .array(let paper)? = values["paper.dL/dz"] else {
            Issue.record("no paper gradient")
            return
        }
        for i in z.indices {
            let h = 1e-6
            var (up, down) = (z, z)
            up[i] += h
            down[i] -= h
            let numeric =
                (Self.loss(up, t, gamma: p["gamma"], beta: p["beta"], epsilon: epsilon)
                    - Self.loss(down, t, gamma: p["gamma"], beta: p["beta"], epsilon: epsilon)) / (2 * h)
            let tape = try #require(values.number("dL/dz_\(i + 1)"))
            #expect(close(tape, numeric, within: 1e-7), "∂L/∂z_\(i + 1): \(tape) against \(numeric)")
            #expect(close(tape, paper[i], within: 1e-13))
        }
        #expect(
            abs(z.indices.map { values.number("dL/dz_\($0 + 1)")! }.reduce(0, +)) < 1e-13,
            "Σ ∂L/∂z = 0: a shift changes nothing")
    }

    @Test func aBatchOfEqualValuesStaysFinite() throws {
        // σ² = 0: without ε the z-scores would be 0/0.
        let result = try Lesson.batchNorm.run(settings: ["z=3,3,3,3", "epochs=1"])
        for i in 1...4 { #expect(result.values.number("znorm_\(i)") == 0) }
        #expect((1...4).allSatisfy { result.values.number("dL/dz_\($0)")!.isFinite })
    }

    @Test func targetsMustMatchTheBatch() {
        #expect {
            _ = try Lesson.batchNorm.run(settings: ["z=1,2,3"])
        } throws: { ($0 as? ParameterError)?.description.contains("t has 4 entries and z 3") == true }
    }

    @Test func normalisedTrainingIsAheadAtEveryRate() throws {
        let result = try Lesson.batchNorm.run(settings: [])
        for rate in ["0.1", "0.5", "2"] {
            guard case .array(let plain)? = result.values["plain.lr\(rate).loss"],
                case .array(let normalised)? = result.values["batchnorm.lr\(rate).loss"]
            else {
                Issue.record("no curves for \(rate)")
                continue
            }
            #expect(plain.count == 151 && normalised.count == 151)
            #expect(normalised[50] < plain[50] && normalised.last! < plain.last!, "λ = \(rate)")
        }
        #expect(
            paragraphs(result).contains {
                $0.hasPrefix("With batch normalisation the loss after 50 steps is lower at 3 of the 3 learning rates")
            })
    }

    /// At test time, by hand from the defaults z = 4, 8, 6, 2 (μ = 5, σ² = 5), m = 0.1, z_test = 7:
    /// μ_run = 0.1 × 5 = 0.5, s² = 5 × 4/3, σ²_run = 0.9 + 0.1 s², ẑ_test = 2(7 − 0.5)/√(σ²_run + ε) + 0.5,
    /// against 2(7 − 5)/√(5 + ε) + 0.5 with the batch's statistics; (0.9)^k < 1% from k = 44.
    @Test func atTestTimeTheRunningAveragesNormalise() throws {
        let result = try Lesson.batchNorm.run(settings: [])
        let values = result.values
        let varianceRun = 0.9 + 0.1 * (5.0 * 4 / 3)
        #expect(close(try #require(values.number("mu_run")), 0.5))
        #expect(close(try #require(values.number("var_run")), varianceRun))
        #expect(
            close(try #require(values.number("zhat_test")), 2 * (7 - 0.5) / (varianceRun + 1e-5).squareRoot() + 0.5))
        #expect(close(try #require(values.number("zhat_test_batch")), 2 * (7 - 5) / (5 + 1e-5).squareRoot() + 0.5))
        #expect(pow(0.9, 43) >= 0.01 && pow(0.9, 44) < 0.01)
        let text = paragraphs(result).joined(separator: " ")
        #expect(text.contains("below 1% from k = 44 on") && text.contains("keep 0.9 of their start"))
        // m = 1: the running mean is the batch's; only the variance (N − 1 against N) differs.
        let last = try Lesson.batchNorm.run(settings: ["momentum=1"])
        #expect(try #require(last.values.number("mu_run")) == 5)
        #expect(paragraphs(last).joined(separator: " ").contains("they differ only through the variance"))
    }
}
