import Foundation

/// Dropout and batch normalisation, each as one node with the numbers its backward rule needs
/// saved beside it.
enum Layers {
    static func backward(
        _ op: TensorOp, _ node: TensorTape.Node, _ inputs: [TensorTape.Node], _ value: UnsafeBufferPointer<Double>,
        _ gradient: UnsafeMutableBufferPointer<Double>, _ saved: UnsafeBufferPointer<Double>
    ) {
        switch op {
        case .dropout(let keep):
            // y = x ⊙ m / keep, so ∂/∂x = g ⊙ m / keep.
            for k in 0..<node.shape.count {
                gradient[inputs[0].offset + k] += gradient[node.offset + k] * saved[node.auxiliary + k] / keep
            }
        case .batchNorm:
            // y = γ x̂ + β with x̂ = (x − μ)/σ over the N rows (Ioffe & Szegedy 2015):
            // ∂/∂β = Σ g, ∂/∂γ = Σ g x̂, ∂/∂x = γ/(Nσ) (N g − Σ g − x̂ Σ g x̂), column by column.
            let (x, gamma, beta) = (inputs[0], inputs[1], inputs[2])
            let (rows, columns) = (x.shape[0], x.shape[1])
            for c in 0..<columns {
                var (sum, dot) = (0.0, 0.0)
                for r in 0..<rows {
                    let g = gradient[node.offset + r * columns + c]
                    sum += g
                    dot += g * saved[node.auxiliary + r * columns + c]
                }
                gradient[beta.offset + c] += sum
                gradient[gamma.offset + c] += dot
                let scale = value[gamma.offset + c] * saved[node.auxiliary + rows * columns + c] / Double(rows)
                for r in 0..<rows {
                    let k = r * columns + c
                    gradient[x.offset + k] +=
                        scale * (Double(rows) * gradient[node.offset + k] - sum - saved[node.auxiliary + k] * dot)
                }
            }
        default: preconditionFailure("\(op.name) is not a layer")
        }
    }
}

extension Tensor {
    /// Inverted dropout: each entry kept with probability `keep` (scaled by 1/keep, so the
    /// expected value is unchanged) or set to 0, the mask drawn from `random`.
    public func dropout(keep: Double, using random: inout SeededGenerator) -> Tensor {
        precondition(keep > 0 && keep <= 1, "dropout: keep probability \(keep) must be in (0, 1]")
        let mask = (0..<shape.count).map { _ in random.unit() < keep ? 1.0 : 0.0 }
        return dropout(keep: keep, mask: mask)
    }

    /// Dropout with a given mask of 0s and 1s.
    public func dropout(keep: Double, mask: [Double]) -> Tensor {
        precondition(mask.count == shape.count, "dropout: a mask of \(mask.count) for shape \(shape)")
        let source = tape.nodes[id].offset
        return tape.record(.dropout(keep: keep), self, shape: shape, auxiliaryCount: mask.count) { out, arena, saved in
            for k in 0..<out.count {
                saved[k] = mask[k]
                out[k] = arena[source + k] * mask[k] / keep
            }
        }
    }

    /// Batch normalisation in training mode (000, 004): each column normalised over the rows of
    /// the mini-batch with its mean μ and variance σ² (divided by N), then scaled by γ and shifted
    /// by β: y = γ (x − μ)/√(σ² + ε) + β. `statistics` receives μ and σ² for the running averages.
    public func batchNormalized(
        gamma: Tensor, beta: Tensor, epsilon: Double = 1e-5,
        statistics: ((mean: [Double], variance: [Double])) -> Void = { _ in }
    ) -> Tensor {
        let s = shape
        precondition(s.rank == 2, "batchNorm: shape \(s): expected rows (examples) × columns (features)")
        precondition(
            gamma.shape == [s[1]] && beta.shape == [s[1]],
            "batchNorm: γ \(gamma.shape) and β \(beta.shape) must both have shape \(Shape([s[1]])) for input \(s)")
        let (rows, columns) = (s[0], s[1])
        let (source, g, b) = (tape.nodes[id].offset, tape.nodes[gamma.id].offset, tape.nodes[beta.id].offset)
        var mean = [Double](repeating: 0, count: columns)
        var variance = mean
        let result = tape.record(
            .batchNorm(epsilon: epsilon), joining: [self, gamma, beta], shape: s,
            auxiliaryCount: rows * columns + columns
        ) { out, arena, saved in
            for c in 0..<columns {
                for r in 0..<rows { mean[c] += arena[source + r * columns + c] }
                mean[c] /= Double(rows)
                for r in 0..<rows {
                    let d = arena[source + r * columns + c] - mean[c]
                    variance[c] += d * d
                }
                variance[c] /= Double(rows)
                let inverse = 1 / (variance[c] + epsilon).squareRoot()
                saved[rows * columns + c] = inverse
                for r in 0..<rows {
                    let k = r * columns + c
                    saved[k] = (arena[source + k] - mean[c]) * inverse
                    out[k] = arena[g + c] * saved[k] + arena[b + c]
                }
            }
        }
        statistics((mean, variance))
        return result
    }
}

/// Running averages of the batch statistics, for batch normalisation at test time:
/// running ← momentum·running + (1 − momentum)·batch.
///
///     var running = RunningStatistics(features: 4)
///     x.batchNormalized(gamma: g, beta: b) { running.update(with: $0) }
public struct RunningStatistics: Sendable {
    public private(set) var mean: [Double]
    public private(set) var variance: [Double]
    public let momentum: Double

    public init(features: Int, momentum: Double = 0.9) {
        mean = .init(repeating: 0, count: features)
        variance = .init(repeating: 1, count: features)
        self.momentum = momentum
    }

    public mutating func update(with batch: (mean: [Double], variance: [Double])) {
        for k in mean.indices {
            mean[k] = momentum * mean[k] + (1 - momentum) * batch.mean[k]
            variance[k] = momentum * variance[k] + (1 - momentum) * batch.variance[k]
        }
    }
}
