import Foundation
import LessonKit
import MathNotation
import ReportModel

/// Where the notes disagree with each other or with the papers on the update rules, with the
/// numbers: this lesson follows the rules of `UpdateRule`, and each variant is run beside them.
enum OptimizerErrata {
    /// The largest distance between two paths' iterates, over the steps both took.
    static func gap(_ a: Descent, _ b: Descent) -> Double {
        zip(a.points, b.points).map { hypot($0.x - $1.x, $0.y - $1.y) }.max() ?? 0
    }

    static func note(_ p: Parameters, runs: [Descent], _ n: Notation) -> Note {
        let steps = p.integer("steps")
        let start = (x: p["x0"], y: p["y0"])
        func run(_ rule: UpdateRule, _ change: (inout Hyperparameters) -> Void) -> Descent {
            var h = Optimizers.hyperparameters(rule, p)
            change(&h)
            return Descent(rule, h, surface: Optimizers.bowl, from: start, steps: steps)
        }
        // ε inside the root (001) against outside (Keras, PyTorch, this lesson), at the run's ε and larger ones.
        let epsilons = [p["adam.eps"], 1e-4, 1e-2]
        let placement = [UpdateRule.rmsprop, .adam].flatMap { rule in
            epsilons.map { eps in
                (
                    rule, eps,
                    gap(
                        run(rule) { $0.eps = eps },
                        run(rule) {
                            $0.eps = eps
                            $0.epsilonInsideRoot = true
                        })
                )
            }
        }
        // 001's bias correction without the exponent t.
        let adam = runs.first { $0.rule == .adam }!
        let uncorrected = run(.adam) { $0.correctionWithoutT = true }
        let shown = min(5, adam.points.count - 1, uncorrected.points.count - 1)
        let (beta1, beta2) = (p["adam.beta1"], p["adam.beta2"])
        /// How much longer 001's step is than Adam's at step t, for the same moments.
        func lengthening(_ t: Int) -> Double {
            (1 - pow(beta1, Double(t))) / (1 - beta1) / ((1 - pow(beta2, Double(t))) / (1 - beta2)).squareRoot()
        }
        let crossover = (2...100_000).first { lengthening($0) < 1 }
        let after: RichText =
            crossover.map {
                """
                They fall below Adam’s only after \($0) steps, and in \
                the end are \(n.number(lengthening(1_000_000))) of them.
                """
            }
            ?? "With these β they never fall below Adam’s."

        // 003's classic momentum, v = μ∇L + αv, w ← w − v, is 000's with μ = α(1 − β) and α = β.
        let momentum = runs.first { $0.rule == .momentum }!
        let (lr, beta) = (p["momentum.lr"], p["momentum.beta"])
        let classic = Descent(
            .momentum, Hyperparameters(lr: lr * (1 - beta), beta: beta, classic: true),
            surface: Optimizers.bowl, from: start, steps: steps)

        return Note("Errata: where the notes write the rules differently", kind: .errata) {
            """
            **Where ε goes.** 001 writes ε inside the root for Adagrad, RMSProp and Adam, √(G + ε); 000 adds \
            it “in the code”, and Keras and PyTorch put it outside for RMSProp and Adam, √S + ε, as this lesson \
            does. The two placements give different paths; how far apart they drift within \(steps) steps:
            """
            Table(
                columns: [
                    .init("rule"), .init("ε", alignment: .trailing),
                    .init("largest distance between the paths", alignment: .trailing),
                ],
                rows: placement.map { rule, eps, distance in [.plain(rule.title), n.number(eps), n.number(distance)] })
            // With ε = 0 the placements agree exactly; a ratio to ε is measured only where ε > 0.
            if let ratio = placement.filter({ $0.1 > 0 }).map({ $2 / $1 }).max() {
                """
                The paths drift apart by about as much as ε itself (by at most \
                \(n.number(ratio)) ε here): invisible in a plot at ε = 10^{−8}, but a \
                large ε, as some codes use to damp the first steps, moves them visibly apart.
                """
            }
            """
            **Adam’s bias correction.** 001 prints M̂ = M/(1 − β_1) and Ĝ = G/(1 − β_2), without \
            the exponent t. At t = 1 the two agree; afterwards the constant divisors overcorrect. \
            While the moments warm up the steps come out longer than Adam’s, by (1 − β_1^{t})/(1 \
            − β_1) ÷ √((1 − β_2^{t})/(1 − β_2)): \(n.number(lengthening(2))) times at t = 2 and \
            \(n.number(lengthening(steps))) times at t = \(steps).  \(after) The first steps along x:
            """
            Table(
                columns: [
                    .init("t", alignment: .trailing), .init("step, V/(1 − β_1^{t})", alignment: .trailing),
                    .init("step, V/(1 − β_1) (001)", alignment: .trailing),
                ],
                rows: (0..<shown).map { t in
                    [
                        .plain("\(t + 1)"), n.number(adam.points[t].x - adam.points[t + 1].x),
                        n.number(uncorrected.points[t].x - uncorrected.points[t + 1].x),
                    ]
                })
            """
            After \(steps) steps f is \(n.number(adam.last.f)) with the \
            correction and \(n.number(uncorrected.last.f)) without the exponent.
            """
            """
            **One letter, two meanings.** 001 uses λ for the learning rate (W_{t+1} = W_t \
            − λ∇f) and again for RMSProp’s decay rate (G_{t+1} = λG_t + (1 − λ)(∇f)^{2}). \
            This lesson writes α for learning rates and β for decay rates, as 000 does.
            """
            """
            **Classic momentum.** 003 writes v^{t} = μ∇L + αv^{t−1}, with μ the step and α the momentum \
            coefficient (the letters swapped against 000’s β and α) and no factor 1 − β. It is the \
            same rule: with μ = α(1 − β) = \(n.number(lr * (1 - beta))) and coefficient β = \(n.number(beta)) \
            its path and 000’s differ by at most \(n.number(gap(momentum, classic))) within \(steps) \
            steps. 003 gives Nesterov’s variant in words only (“first apply the momentum, then compute \
            the gradient step”); this lesson writes it as v ← μv − α∇f(w + μv), w ← w + v.
            """
        }
    }
}
