import Foundation

/// The 2-2-2 network written out by hand, with no tape: forward pass, the δ rule for the
/// gradients, and both update orders. An independent check on the engine and the lesson.
public struct Reference {
    public var i = (0.05, 0.10), t = (0.01, 0.99)
    public var w = [0, 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55]
    public var b = (0.35, 0.60), lr = 0.5

    public init() {}

    public static func σ(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    public struct Pass { public var h1, h2, o1, o2, E: Double }

    public func forward(_ w: [Double]) -> Pass {
        let h1 = Reference.σ(w[1] * i.0 + w[2] * i.1 + b.0)
        let h2 = Reference.σ(w[3] * i.0 + w[4] * i.1 + b.0)
        let o1 = Reference.σ(w[5] * h1 + w[6] * h2 + b.1)
        let o2 = Reference.σ(w[7] * h1 + w[8] * h2 + b.1)
        return Pass(h1: h1, h2: h2, o1: o1, o2: o2, E: 0.5 * pow(t.0 - o1, 2) + 0.5 * pow(t.1 - o2, 2))
    }

    /// ∂E_total/∂w1…w8 (index 1…8); hidden ones through `outputWeights`.
    public func gradients(_ w: [Double], outputWeights v: [Double]? = nil) -> [Double] {
        let p = forward(w)
        let v = v ?? w
        let d1 = (p.o1 - t.0) * p.o1 * (1 - p.o1)
        let d2 = (p.o2 - t.1) * p.o2 * (1 - p.o2)  // δ = ∂E/∂net_o
        let e1 = (d1 * v[5] + d2 * v[7]) * p.h1 * (1 - p.h1)
        let e2 = (d1 * v[6] + d2 * v[8]) * p.h2 * (1 - p.h2)
        return [0, e1 * i.0, e1 * i.1, e2 * i.0, e2 * i.1, d1 * p.h1, d1 * p.h2, d2 * p.h1, d2 * p.h2]
    }

    public func step(_ w: [Double], outputFirst: Bool) -> [Double] {
        var g = gradients(w)
        var next = w
        for k in 5...8 { next[k] = w[k] - lr * g[k] }
        if outputFirst { g = gradients(w, outputWeights: next) }
        for k in 1...4 { next[k] = w[k] - lr * g[k] }
        return next
    }

    /// Weights after `n` updates.
    public func train(_ n: Int, outputFirst: Bool) -> [Double] {
        (0..<n).reduce(w) { weights, _ in step(weights, outputFirst: outputFirst) }
    }
}
