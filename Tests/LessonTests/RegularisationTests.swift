import Engine
import Foundation
import LessonKit
import ReportModel
import TestSupport
import Testing

@testable import Lessons

@Suite("regularisation: ridge, lasso, early stopping and dropout against their definitions (002, 004, 000)")
struct RegularisationTests {
    static let data = Regularisation.Data(m: 12, noise: 0.2, seed: 1)

    /// ∂/∂θ of 1/(2m) Σ (h_θ(x_i) − y_i)², by hand: 1/m Σ (h − y) x^j.
    static func dataGradient(_ theta: [Double]) -> [Double] {
        let m = Double(data.train.count)
        return theta.indices.map { j in
            data.train.map { p in
                (Regularisation.features(p.x, theta.count - 1).enumerated().map { theta[$0.offset] * $0.element }
                    .reduce(0, +) - p.y) * pow(p.x, Double(j))
            }
            .reduce(0, +) / m
        }
    }

    @Test func eachRidgeFitIsWhereTheNotesCostIsFlat() throws {
        // 002's cost J = 1/(2m) Σ r² + λ Σ_{j≥1} θ_j²: ∂J/∂θ_j = data gradient + 2λθ_j (j ≥ 1) = 0 at its minimum.
        let values = try Lesson.regularisation.run(settings: ["lambda=0.0001,0.01,1"]).values
        for lambda in ["0.0001", "0.01", "1"] {
            guard case .array(let theta)? = values["ridge.lambda\(lambda)"] else {
                Issue.record("no fit \(lambda)")
                continue
            }
            let g = Self.dataGradient(theta)
            for j in theta.indices {
                #expect(abs(g[j] + (j == 0 ? 0 : 2 * Double(lambda)! * theta[j])) < 1e-9, "λ = \(lambda), j = \(j)")
            }
        }
    }

    @Test func theLassoMeetsItsOptimalityConditions() throws {
        // At the lasso's minimum: ∂data/∂θ_j = −λ sign θ_j where θ_j ≠ 0, and |∂data/∂θ_j| ≤ λ where θ_j = 0 (j ≥ 1).
        let values = try Lesson.regularisation.run(settings: []).values
        guard case .array(let theta)? = values["lasso"] else {
            Issue.record("no lasso")
            return
        }
        let g = Self.dataGradient(theta)
        let lambda = 1e-3
        #expect(abs(g[0]) < 1e-7)
        for j in 1..<theta.count {
            if theta[j] == 0 {
                #expect(abs(g[j]) <= lambda + 1e-7, "j = \(j)")
            } else {
                #expect(abs(g[j] + lambda * (theta[j] > 0 ? 1 : -1)) < 1e-6, "j = \(j)")
            }
        }
        #expect(theta.dropFirst().filter { $0 == 0 }.count >= 3, "exact zeros: feature selection")
    }

    @Test func theNotesUpdateAndTheCostsGradientDifferByTheFactor() throws {
        let values = try Lesson.regularisation.run(settings: []).values
        // λ = 1, α = 0.1, m = 12: 002's update uses (λ/m)θ_1, the cost's gradient 2λθ_1.
        let theta1 = try #require(values.number("theta1"))
        let g = try #require(values.number("dJfit/dtheta1"))
        #expect(close(try #require(values.number("theta1_notes")), (theta1 - 0.1 * (g + theta1 / 12)), within: 1e-12))
        #expect(close(try #require(values.number("theta1_tape")), (theta1 - 0.1 * (g + 2 * theta1)), within: 1e-12))
    }

    /// Data augmentation (003): the points and their reflections through the origin make a data
    /// set symmetric under (x, y) → (−x, −y), so its least-squares polynomial is odd (every even
    /// coefficient 0); reflected in the y axis, it is even. Each fit is where its cost is flat.
    @Test func augmentedFitsAreOddAndEvenAndLeastSquares() throws {
        let result = try Lesson.regularisation.run(settings: [])
        let values = result.values
        guard case .array(let odd)? = values["augment.odd"], case .array(let even)? = values["augment.even"],
            case .array(let plain)? = values["augment.plain"], case .array(let errors)? = values["augment.validation"]
        else {
            Issue.record("no augmented fits")
            return
        }
        let scale = odd.map(abs).max()!
        for j in stride(from: 0, to: odd.count, by: 2) {
            #expect(abs(odd[j]) < 1e-9 * scale, "θ_\(j) of the odd fit: \(odd[j])")
        }
        for j in stride(from: 1, to: even.count, by: 2) {
            #expect(abs(even[j]) < 1e-9 * even.map(abs).max()!, "θ_\(j) of the even fit: \(even[j])")
        }
        // ∂/∂θ_j of Σ (h(x) − y)² over the doubled set, by hand: 0 at a least-squares fit.
        let reflected = Self.data.train + Self.data.train.map { (x: -$0.x, y: -$0.y) }
        for j in odd.indices {
            let g = reflected.map { p in
                (odd.enumerated().map { $0.element * pow(p.x, Double($0.offset)) }.reduce(0, +) - p.y)
                    * pow(p.x, Double(j))
            }.reduce(0, +)
            #expect(abs(g) < 1e-8, "∂/∂θ_\(j) = \(g)")
        }
        // The validation errors, 1/(2m) Σ (h − y)² over the 50 validation points, by hand.
        func validation(_ theta: [Double]) -> Double {
            Self.data.validation.map { p in
                pow(theta.enumerated().map { $0.element * pow(p.x, Double($0.offset)) }.reduce(0, +) - p.y, 2)
            }.reduce(0, +) / 100
        }
        for (got, theta) in zip(errors, [plain, odd, even]) {
            #expect(close(got, validation(theta), relative: 1e-9, within: 0))
        }
        let text = paragraphs(result).joined(separator: "\n")
        #expect(
            text.contains(
                errors[1] < errors[0]
                    ? "the data lower the validation error" : "the reflected data do not lower the validation error"))
    }

    @Test func theErrorIsTheTapesCost() {
        let theta = [0.3, -1.2, 0.5, 0.25]
        let tape = Tape()
        #expect(
            close(
                Regularisation.cost(theta.map { tape.input($0) }, Self.data.validation).value,
                Regularisation.error(theta, Self.data.validation), within: 1e-15))
    }

    @Test func earlyStoppingAndDropout() throws {
        let values = try Lesson.regularisation.run(settings: []).values
        guard case .array(let validation)? = values["early.validation"],
            case .array(let average)? = values["dropout.average"]
        else {
            Issue.record("no curves")
            return
        }
        let best = validation.indices.min { validation[$0] < validation[$1] }!
        #expect(
            best > 0 && best < validation.count - 1 && validation.last! > 1.5 * validation[best],
            "an interior minimum: stopping there pays")
        for i in 1...8 {
            let (a, m, d) = (
                try #require(values.number("dropout.a_\(i)")), try #require(values.number("dropout.m_\(i)")),
                try #require(values.number("dropout.d_\(i)"))
            )
            #expect(d == a * m / 0.8)  // d = a m / p
            // The mean of 10,000 draws of a·Bernoulli(0.8)/0.8 is a, give or take 4 standard errors.
            #expect(close(average[i - 1], a, within: 4 * a * (0.2 / 0.8 / 10_000).squareRoot() + 1e-12), "unit \(i)")
        }
    }

    /// 003's ensemble reading, enumerated here: over all 2⁸ masks m (probability Π p^{m_i}(1 − p)^{1 − m_i}),
    /// the normalised geometric mean of σ(Σ v_i m_i a_i) is σ(Σ v_i p a_i), and the arithmetic mean is not.
    @Test func weightScalingIsTheGeometricMeanOfTheCrippledNetworks() throws {
        let values = try Lesson.regularisation.run(settings: []).values
        guard case .array(let v)? = values["dropout.ensemble.v"] else {
            Issue.record("no weights")
            return
        }
        let a = try (1...8).map { try #require(values.number("dropout.a_\($0)")) }
        let p = try #require(values.number("dropout.p"))
        func σ(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
        var (logG, logComplement, arithmetic) = (0.0, 0.0, 0.0)
        for pattern in 0..<256 {
            let m = (0..<8).map { Double(pattern >> $0 & 1) }
            let probability = m.map { $0 == 1 ? p : 1 - p }.reduce(1, *)
            let output = σ((0..<8).map { v[$0] * m[$0] * a[$0] }.reduce(0, +))
            logG += probability * log(output)
            logComplement += probability * log(1 - output)
            arithmetic += probability * output
        }
        let geometric = exp(logG) / (exp(logG) + exp(logComplement))
        let scaled = σ((0..<8).map { v[$0] * p * a[$0] }.reduce(0, +))
        #expect(close(try #require(values.number("dropout.ensemble.geometric")), geometric, within: 1e-14))
        #expect(close(try #require(values.number("dropout.ensemble.arithmetic")), arithmetic, within: 1e-14))
        #expect(close(try #require(values.number("dropout.ensemble.weight_scaled")), scaled, within: 1e-15))
        #expect(close(scaled, geometric, within: 1e-12) && abs(scaled - arithmetic) > 1e-4)
    }
}
