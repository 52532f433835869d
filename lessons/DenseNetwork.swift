import Engine
import Foundation

/// A dense network whose parameters live as plain numbers between steps and are put on a tensor
/// tape for each forward pass: x → act(x W₁ + b₁) → … → x Wₙ + bₙ (the logits, no activation).
/// Weights start Glorot-uniform from a seeded generator, biases at 0.
///
///     var net = DenseNetwork(sizes: [2, 3, 2], activation: .tanh, random: &random)
///     let (logits, parameters) = net.forward(tape.input(points), on: tape)
struct DenseNetwork {
    enum Activation: String, CaseIterable, Sendable { case tanh, relu, sigmoid }

    var weights: [NDArray]
    var biases: [NDArray]
    let activation: Activation

    init(sizes: [Int], activation: Activation, random: inout SeededGenerator) {
        self.activation = activation
        weights = zip(sizes, sizes.dropFirst()).map { fanIn, fanOut in
            // Glorot & Bengio (2010): uniform in ±√(6/(fan_in + fan_out)), so signals keep their size.
            let limit = (6 / Double(fanIn + fanOut)).squareRoot()
            return NDArray(
                shape: [fanIn, fanOut], scalars: (0..<(fanIn * fanOut)).map { _ in random.uniform(in: -limit...limit) })
        }
        biases = sizes.dropFirst().map { NDArray(shape: [$0], scalars: .init(repeating: 0, count: $0)) }
    }

    /// The logits for the rows of `x`, and the parameter tensors (W₁, b₁, W₂, b₂, …) to read
    /// gradients from; `labeled` names them (W1, b1, h1, …, z) for a report or a graph.
    func forward(_ x: Tensor, on tape: TensorTape, labeled: Bool = false) -> (logits: Tensor, parameters: [Tensor]) {
        var h = x
        var parameters: [Tensor] = []
        for (k, (w, b)) in zip(weights, biases).enumerated() {
            let (W, B) = (tape.input(w, labeled ? "W\(k + 1)" : nil), tape.input(b, labeled ? "b\(k + 1)" : nil))
            parameters += [W, B]
            h = h.matmul(W) + B
            if k < weights.count - 1 {
                h =
                    switch activation {
                    case .tanh: h.tanh()
                    case .relu: h.relu()
                    case .sigmoid: h.sigmoid()
                    }
                if labeled { h.labeled("h\(k + 1)") }
            }
        }
        if labeled { h.labeled("z") }
        return (h, parameters)
    }

    var parameters: [NDArray] {
        get { zip(weights, biases).flatMap { [$0, $1] } }
        set {
            for k in weights.indices {
                weights[k] = newValue[2 * k]
                biases[k] = newValue[2 * k + 1]
            }
        }
    }
}

/// Adam (Kingma & Ba 2015), as the optimizers lesson writes it: V ← β₁V + (1 − β₁)g,
/// S ← β₂S + (1 − β₂)g², w ← w − α V̂/(√Ŝ + ε) with V̂ = V/(1 − β₁ᵗ), Ŝ = S/(1 − β₂ᵗ).
struct AdamOptimizer {
    let alpha: Double, beta1 = 0.9, beta2 = 0.999, epsilon: Double
    private var first: [[Double]] = [], second: [[Double]] = []
    private var t = 0

    /// Keras's defaults but for α, and ε where a lesson varies it.
    init(alpha: Double, epsilon: Double = 1e-8) { (self.alpha, self.epsilon) = (alpha, epsilon) }

    mutating func step(_ parameters: inout [NDArray], gradients: [NDArray]) {
        if first.isEmpty {
            first = parameters.map { .init(repeating: 0, count: $0.shape.count) }
            second = first
        }
        t += 1
        let (c1, c2) = (1 - pow(beta1, Double(t)), 1 - pow(beta2, Double(t)))
        for k in parameters.indices {
            var w = parameters[k].scalars
            let g = gradients[k].scalars
            for i in w.indices {
                first[k][i] = beta1 * first[k][i] + (1 - beta1) * g[i]
                second[k][i] = beta2 * second[k][i] + (1 - beta2) * g[i] * g[i]
                w[i] -= alpha * (first[k][i] / c1) / ((second[k][i] / c2).squareRoot() + epsilon)
            }
            parameters[k] = NDArray(shape: parameters[k].shape, scalars: w)
        }
    }
}
