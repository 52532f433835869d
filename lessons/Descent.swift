import Engine
import Foundation

/// The update rules of the optimizers lesson, written exactly as the notes write them
/// (000 for momentum, RMSProp and Adam; 003 for Nesterov's look-ahead; 001 for Adagrad):
///
///     gd        w ← w − α g
///     momentum  V ← βV + (1 − β) g;  w ← w − αV
///     nesterov  v ← μv − α ∇f(w + μv);  w ← w + v
///     rmsprop   S ← βS + (1 − β) g²;  w ← w − α g / (√S + ε)
///     adagrad   G ← G + g²;  w ← w − α g / √(G + ε)
///     adam      V ← β₁V + (1 − β₁) g;  S ← β₂S + (1 − β₂) g²;  V̂ = V/(1 − β₁ᵗ);  Ŝ = S/(1 − β₂ᵗ);  w ← w − α V̂ / (√Ŝ + ε)
enum UpdateRule: String, CaseIterable, Sendable {
    case gd, momentum, nesterov, rmsprop, adagrad, adam

    var title: String {
        switch self {
        case .gd: "gradient descent"
        case .momentum: "momentum"
        case .nesterov: "Nesterov"
        case .rmsprop: "RMSProp"
        case .adagrad: "Adagrad"
        case .adam: "Adam"
        }
    }
}

/// A rule's hyperparameters (each rule reads the ones it needs), and the variants the errata
/// note compares against the rules above.
struct Hyperparameters: Sendable {
    var lr = 0.1, beta = 0.9, mu = 0.9, eps = 1e-8, beta1 = 0.9, beta2 = 0.999
    /// α_t = α / (1 + decay·t), t counting the steps taken.
    var decay = 0.0
    /// 001's ε: inside the root, √(S + ε), for RMSProp and Adam.
    var epsilonInsideRoot = false
    /// 001's bias correction, printed without the exponent: V/(1 − β₁), S/(1 − β₂).
    var correctionWithoutT = false
    /// Momentum as 003 writes it, v = μ∇L + αv, w ← w − v: here μ is `lr` and α is `beta`.
    var classic = false
}

/// A surface to descend: f(x, y) recorded on a tape.
typealias Surface = @Sendable (Value, Value) -> Value

/// A run of one rule from a start: the iterates (x, y, f), start included, recorded on a tape,
/// the gradient of each from the tape's backward pass. A path whose f passes 10¹⁰ (or stops
/// being a number) ends there: `diverged` is the step at which it did.
///
///     let run = Descent(.adam, Hyperparameters(lr: 0.2), surface: quadratic, from: (-4, 2), steps: 50)
///     run.points.last   // (x, y, f) after 50 steps
struct Descent {
    let rule: UpdateRule
    private(set) var points: [(x: Double, y: Double, f: Double)] = []
    private(set) var diverged: Int? = nil
    /// The step whose update was 0/0 (ε = 0 and no gradient yet), where the path ends.
    private(set) var undefined: Int? = nil
    /// The tape and, for the first `labeled` steps, the named intermediates of each coordinate.
    let tape = Tape()
    static let divergence = 1e10

    /// `labeled`: name the first steps' intermediates (`g_x1`, `V_x1`, `Vhat_x1`, `step_x1`, …) for the report.
    init(
        _ rule: UpdateRule, _ h: Hyperparameters, surface: Surface, from start: (x: Double, y: Double), steps: Int,
        labeled: Int = 0
    ) {
        self.rule = rule
        let tape = self.tape
        let alpha = tape.input(h.lr, "alpha")
        let decay = tape.input(h.decay, "decay")
        let (beta, mu, eps) = (tape.input(h.beta, "beta"), tape.input(h.mu, "mu"), tape.input(h.eps, "eps"))
        let (beta1, beta2) = (tape.input(h.beta1, "beta1"), tape.input(h.beta2, "beta2"))
        var w = [tape.input(start.x, "x_0"), tape.input(start.y, "y_0")]
        let names = ["x", "y"]
        // State per coordinate: V (momentum, Adam), S (RMSProp, Adam), G (Adagrad), v (Nesterov).
        var first = names.map { tape.input(0, "V_\($0)0") }
        var second = names.map { tape.input(0, "S_\($0)0") }
        for t in 0...steps {
            // 0/0 (Adagrad or RMSProp with ε = 0 where every gradient so far is 0) is no step at
            // all: the path ends before it, and the report says why (it is not a divergence).
            if w.contains(where: { $0.value.isNaN }) {
                undefined = t
                break
            }
            let f = surface(w[0], w[1])
            if t < labeled { f.labeled("f_\(t)") }
            points.append((w[0].value, w[1].value, f.value))
            guard f.value.isFinite, abs(f.value) <= Descent.divergence, w.allSatisfy({ $0.value.isFinite }) else {
                diverged = t
                break
            }
            if t == steps { break }
            let step = t + 1
            func name(_ v: Value, _ symbol: String, _ k: Int) -> Value {
                step <= labeled ? v.labeled("\(symbol)_\(names[k])\(step)") : v
            }
            // The gradient at w, or at the look-ahead point w + μv for Nesterov.
            let at = rule == .nesterov ? (0..<2).map { w[$0] + mu * first[$0] } : w
            let fAt = rule == .nesterov ? surface(at[0], at[1]) : f
            let g = (0..<2).map { k in name(tape.input(tape.derivative(of: fAt, withRespectTo: at[k])), "g", k) }
            let rate = h.decay == 0 ? alpha : alpha / (1.0 + decay * Double(t))
            for k in 0..<2 {
                switch rule {
                case .gd:
                    w[k] = w[k] - rate * g[k]
                case .momentum where h.classic:
                    first[k] = name(rate * g[k] + beta * first[k], "v", k)
                    w[k] = w[k] - first[k]
                case .momentum:
                    first[k] = name(beta * first[k] + (1.0 - beta) * g[k], "V", k)
                    w[k] = w[k] - rate * first[k]
                case .nesterov:
                    first[k] = name(mu * first[k] - rate * g[k], "v", k)
                    w[k] = w[k] + first[k]
                case .rmsprop:
                    second[k] = name(beta * second[k] + (1.0 - beta) * g[k].pow(2), "S", k)
                    let root = h.epsilonInsideRoot ? (second[k] + eps).squareRoot() : second[k].squareRoot() + eps
                    w[k] = w[k] - rate * g[k] / root
                case .adagrad:
                    second[k] = name(second[k] + g[k].pow(2), "G", k)
                    w[k] = w[k] - rate * g[k] / (second[k] + eps).squareRoot()
                case .adam:
                    first[k] = name(beta1 * first[k] + (1.0 - beta1) * g[k], "V", k)
                    second[k] = name(beta2 * second[k] + (1.0 - beta2) * g[k].pow(2), "S", k)
                    let power = h.correctionWithoutT ? 1.0 : Double(step)
                    let vhat = name(first[k] / (1.0 - beta1.pow(power)), "Vhat", k)
                    let shat = name(second[k] / (1.0 - beta2.pow(power)), "Shat", k)
                    let root = h.epsilonInsideRoot ? (shat + eps).squareRoot() : shat.squareRoot() + eps
                    let move = name(rate * vhat / root, "step", k)
                    w[k] = w[k] - move
                }
                if step <= labeled { w[k].labeled("\(names[k])_\(step)") }
            }
        }
    }

    /// The iterate closest to the end that is still a number (the last one, unless it diverged).
    var last: (x: Double, y: Double, f: Double) { points.last! }
}
