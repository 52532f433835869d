import Engine
import Foundation
import LessonKit
import ReportModel
import TestSupport
import Testing

@testable import Lessons

@Suite("hyperparameter-search: grid, random and coarse to fine (000)")
struct HyperparameterSearchTests {
    /// Adam on the training set's mean squared error with the gradient written by hand, no tape:
    /// ∂/∂θ₀ = 2/m Σ r, ∂/∂θ₁ = 2/m Σ r x with r = θ₀ + θ₁x − y.
    static func devLoss(alpha: Double, epsilon: Double, seed: Int, steps: Int) -> Double {
        let data = HyperparameterSearch.Data(seed: seed)
        var theta = [0.0, 0.0]
        var v = [0.0, 0.0]
        var s = [0.0, 0.0]
        for t in 1...steps {
            let r = data.train.map { theta[0] + theta[1] * $0.x - $0.y }
            let m = Double(r.count)
            let g = [2 / m * r.reduce(0, +), 2 / m * zip(r, data.train).map { $0 * $1.x }.reduce(0, +)]
            for k in 0..<2 {
                v[k] = 0.9 * v[k] + (1 - 0.9) * g[k]  // V = βV + (1 − β)dw (000)
                s[k] = 0.999 * s[k] + (1 - 0.999) * g[k] * g[k]
                theta[k] -=
                    alpha * (v[k] / (1 - pow(0.9, Double(t))))
                    / ((s[k] / (1 - pow(0.999, Double(t)))).squareRoot() + epsilon)
            }
        }
        return data.dev.map { pow(theta[0] + theta[1] * $0.x - $0.y, 2) }.reduce(0, +) / Double(data.dev.count)
    }

    @Test func everyTrialIsTheHandWrittenTraining() throws {
        let values = try Lesson.hyperparameterSearch.run(settings: []).values
        for key in ["grid", "random", "coarse_to_fine"] {
            guard case .rows(let trials)? = values["\(key).trials"] else {
                Issue.record("no \(key)")
                continue
            }
            for trial in trials.prefix(5) {
                let expected = Self.devLoss(alpha: trial[0], epsilon: trial[1], seed: 1, steps: 40)
                #expect(close(trial[2], expected, relative: 1e-12), "\(key) α = \(trial[0]), ε = \(trial[1])")
            }
        }
    }

    @Test(arguments: [(9, 3), (10, 3), (16, 4), (64, 8)])
    func theGridTriesFewValuesOfAlpha(budget: Int, side: Int) throws {
        let values = try Lesson.hyperparameterSearch.run(settings: ["budget=\(budget)", "steps=5"]).values
        guard case .rows(let grid)? = values["grid.trials"], case .rows(let random)? = values["random.trials"] else {
            Issue.record("no trials")
            return
        }
        #expect(
            grid.count == side * side && Set(grid.map { $0[0] }).count == side,
            "the largest square that fits, √\(budget) values of α")
        #expect(random.count == budget && Set(random.map { $0[0] }).count == budget)
    }

    @Test func alphaMattersAndEpsilonBarelyDoes() throws {
        let values = try Lesson.hyperparameterSearch.run(settings: []).values
        #expect(values.number("variation.alpha")! > 1000 * values.number("variation.epsilon")!)
        guard case .array(let grid)? = values["grid.best"], case .array(let random)? = values["random.best"],
            case .array(let fine)? = values["coarse_to_fine.best"]
        else {
            Issue.record("no bests")
            return
        }
        #expect(random[2] < grid[2], "with the same budget, random trials find a better α (Bergstra and Bengio)")
        #expect(fine[2] <= random[2])
    }
}
