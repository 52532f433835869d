import Foundation
import LessonKit
import ReportModel
import TestSupport
import Testing

@testable import Lessons

/// The six update rules written again with plain Doubles and the gradient by hand,
/// ∇½(x² + 10y²) = (x, 10y): an independent check on the lesson's tapes.
func referencePath(_ rule: String, _ s: [String: Double], steps: Int, start: (Double, Double)) -> [[Double]] {
    func f(_ w: [Double]) -> Double { 0.5 * (w[0] * w[0] + 10 * w[1] * w[1]) }
    func grad(_ w: [Double]) -> [Double] { [w[0], 10 * w[1]] }
    var w = [start.0, start.1]
    var v = [0.0, 0.0]
    var s2 = [0.0, 0.0]
    var path = [[w[0], w[1], f(w)]]
    for t in 1...max(1, steps) where steps > 0 {
        let lr = s["\(rule).lr"]!
        switch rule {
        case "gd": w = zip(w, grad(w)).map { $0 - lr * $1 }
        case "momentum":
            let beta = s["momentum.beta"]!
            v = zip(v, grad(w)).map { beta * $0 + (1 - beta) * $1 }
            w = zip(w, v).map { $0 - lr * $1 }
        case "nesterov":
            let mu = s["nesterov.mu"]!
            let g = grad(zip(w, v).map { $0 + mu * $1 })
            v = zip(v, g).map { mu * $0 - lr * $1 }
            w = zip(w, v).map { $0 + $1 }
        case "rmsprop":
            let (beta, eps) = (s["rmsprop.beta"]!, s["rmsprop.eps"]!)
            let g = grad(w)
            s2 = zip(s2, g).map { beta * $0 + (1 - beta) * $1 * $1 }
            w = (0..<2).map { w[$0] - lr * g[$0] / (s2[$0].squareRoot() + eps) }
        case "adagrad":
            let g = grad(w)
            s2 = zip(s2, g).map { $0 + $1 * $1 }
            w = (0..<2).map { w[$0] - lr * g[$0] / (s2[$0] + s["adagrad.eps"]!).squareRoot() }
        default:  // adam
            let (b1, b2, eps) = (s["adam.beta1"]!, s["adam.beta2"]!, s["adam.eps"]!)
            let g = grad(w)
            v = zip(v, g).map { b1 * $0 + (1 - b1) * $1 }
            s2 = zip(s2, g).map { b2 * $0 + (1 - b2) * $1 * $1 }
            w = (0..<2).map { k in
                let vhat = v[k] / (1 - pow(b1, Double(t)))
                let shat = s2[k] / (1 - pow(b2, Double(t)))
                return w[k] - lr * vhat / (shat.squareRoot() + eps)
            }
        }
        path.append([w[0], w[1], f(w)])
        if !(abs(f(w)) <= 1e10) { break }
    }
    return path
}

let optimizerDefaults: [String: Double] = [
    "gd.lr": 0.15, "momentum.lr": 0.15, "momentum.beta": 0.9, "nesterov.lr": 0.02, "nesterov.mu": 0.9,
    "rmsprop.lr": 0.3, "rmsprop.beta": 0.9, "rmsprop.eps": 1e-8, "adagrad.lr": 1.5, "adagrad.eps": 1e-8,
    "adam.lr": 0.3, "adam.beta1": 0.9, "adam.beta2": 0.999, "adam.eps": 1e-8,
]

@Suite("optimizers against an independent implementation of the notes' rules")
struct OptimizerTests {
    static let variants: [[String: Double]] = [
        [:],
        [
            "x0": 3, "y0": -1.5, "steps": 80, "gd.lr": 0.05, "momentum.beta": 0.5, "nesterov.mu": 0.7,
            "rmsprop.lr": 0.05,
            "adagrad.lr": 0.4, "adam.lr": 0.1, "adam.beta1": 0.8, "adam.eps": 1e-3, "rmsprop.eps": 1e-4,
        ],
    ]

    @Test(arguments: variants)
    func everyTrajectoryMatchesTheReference(_ changes: [String: Double]) throws {
        let settings = changes.map { "\($0.key)=\($0.value)" }
        let result = try Lesson.optimizers.run(settings: settings)
        let s = optimizerDefaults.merging(changes) { $1 }
        let steps = Int(changes["steps"] ?? 50)
        for rule in ["gd", "momentum", "nesterov", "rmsprop", "adagrad", "adam"] {
            guard case .rows(let path)? = result.values["trajectory.\(rule)"] else {
                Issue.record("no trajectory.\(rule)")
                continue
            }
            let reference = referencePath(rule, s, steps: steps, start: (changes["x0"] ?? -4, changes["y0"] ?? 2))
            #expect(path.count == reference.count, "\(rule): \(path.count) iterates")
            for (a, b) in zip(path, reference) {
                for k in 0..<3 { #expect(close(a[k], b[k], relative: 1e-12), "\(rule): \(a) vs \(b)") }
            }
        }
    }

    @Test func theNotesDefaultsAreTheLessonsDefaults() throws {
        let p = try Lesson.optimizers.parameters(settings: [])
        #expect(p["momentum.beta"] == 0.9 && p["rmsprop.beta"] == 0.9)  // 000: β usually 0.9; Keras rho = 0.9
        #expect(p["adam.beta1"] == 0.9 && p["adam.beta2"] == 0.999 && p["adam.eps"] == 1e-8)  // 001: Keras's Adam
        #expect((p["x0"], p["y0"]) == (-4, 2))
    }

    @Test func adamsFirstStepIsAlphaLongInEachCoordinate() throws {
        let values = try Lesson.optimizers.run(settings: []).values
        // V̂/√Ŝ = g/|g| at t = 1: the step is α·sign(g), whatever g is.
        #expect(close(try #require(values.number("adam.step_x1")), 0.3 * -1, within: 1e-9))
        #expect(close(try #require(values.number("adam.step_y1")), 0.3, within: 1e-9))
        #expect(values.number("adam.g_x1") == -4 && values.number("adam.g_y1") == 20)  // ∇f(−4, 2) = (−4, 20)
        #expect(values.number("adam.x_1") == -4 + 0.3 * 4 / (4 + 1e-8))  // ε shortens the step by a hair
    }

    @Test func aDivergingRunStopsWhereFPassesTenToTheTen() throws {
        let result = try Lesson.optimizers.run(settings: ["gd.lr=0.5"])
        guard case .rows(let path)? = result.values["trajectory.gd"] else {
            Issue.record("no path")
            return
        }
        #expect(
            path.last![2] > 1e10 && path.dropLast().allSatisfy { $0[2] <= 1e10 },
            "the path ends at the first f above 10¹⁰")
        #expect(path.count < 51)
        #expect(
            paragraphs(result).contains {
                $0.contains("With gradient descent the path diverges: at step \(path.count - 1) f passes")
            })
    }

    @Test func badSettingsAreRefused() {
        for bad in ["steps=0", "steps=10001", "gd.lr=-0.1", "adam.beta1=1", "steps=2.5"] {
            #expect(throws: ParameterError.self, "\(bad)") { try Lesson.optimizers.run(settings: [bad]) }
        }
    }

    @Test func theErrataComparisonsHoldTheirClaims() throws {
        let p = try Lesson.optimizers.parameters(settings: [])
        let start = (x: -4.0, y: 2.0)
        let momentum = Descent(
            .momentum, Optimizers.hyperparameters(.momentum, p), surface: Optimizers.bowl, from: start, steps: 50)
        // 003's v = μ∇L + αv with μ = α(1 − β), α = β: the same path to rounding.
        let classic = Descent(
            .momentum, Hyperparameters(lr: 0.15 * 0.1, beta: 0.9, classic: true), surface: Optimizers.bowl, from: start,
            steps: 50)
        #expect(OptimizerErrata.gap(momentum, classic) < 1e-14)
        // ε outside or inside the root: apart by about ε, no more.
        var inside = Optimizers.hyperparameters(.adam, p)
        inside.epsilonInsideRoot = true
        let adam = Descent(
            .adam, Optimizers.hyperparameters(.adam, p), surface: Optimizers.bowl, from: start, steps: 50)
        let other = Descent(.adam, inside, surface: Optimizers.bowl, from: start, steps: 50)
        #expect(OptimizerErrata.gap(adam, other) > 0 && OptimizerErrata.gap(adam, other) < 1e-7)
        // 001's correction without t agrees at t = 1 and differs from t = 2.
        var without = Optimizers.hyperparameters(.adam, p)
        without.correctionWithoutT = true
        let uncorrected = Descent(.adam, without, surface: Optimizers.bowl, from: start, steps: 50)
        #expect(uncorrected.points[1].x == adam.points[1].x && uncorrected.points[2].x != adam.points[2].x)
    }
}
