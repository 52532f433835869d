import Foundation

/// Softmax and its relatives along the last axis, computed the stable way: the largest entry of
/// each row is taken off before exponentiating (softmax(z) = softmax(z − c), 003's translation
/// invariance), so e^{1000} never has to exist. Backward rules beside each.
enum Softmax {
    /// Row by row: y = e^{x − max} / Σ e^{x − max}, or its logarithm.
    static func rows(
        _ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, rows: Int, columns: Int, logarithm: Bool
    ) {
        for r in 0..<rows {
            let (input, output) = (x + r * columns, y + r * columns)
            var largest = -Double.infinity
            for c in 0..<columns { largest = max(largest, input[c]) }
            var total = 0.0
            for c in 0..<columns { total += Foundation.exp(input[c] - largest) }
            let logTotal = Foundation.log(total)
            for c in 0..<columns {
                output[c] = logarithm ? input[c] - largest - logTotal : Foundation.exp(input[c] - largest) / total
            }
        }
    }

    static func backward(
        _ op: TensorOp, _ node: TensorTape.Node, _ input: TensorTape.Node, _ value: UnsafeBufferPointer<Double>,
        _ gradient: UnsafeMutableBufferPointer<Double>, _ saved: UnsafeBufferPointer<Double>
    ) {
        let columns = input.shape.last
        let rows = input.shape.count / max(columns, 1)
        for r in 0..<rows {
            let x = input.offset + r * columns
            let y = node.offset + r * columns
            switch op {
            case .softmax:
                // ∂/∂x = y ⊙ (g − Σ g ⊙ y)
                var dot = 0.0
                for c in 0..<columns { dot += gradient[y + c] * value[y + c] }
                for c in 0..<columns { gradient[x + c] += value[y + c] * (gradient[y + c] - dot) }
            case .logSoftmax:
                // ∂/∂x = g − softmax(x) Σ g, with softmax(x) = e^{y}
                var total = 0.0
                for c in 0..<columns { total += gradient[y + c] }
                for c in 0..<columns { gradient[x + c] += gradient[y + c] - Foundation.exp(value[y + c]) * total }
            default:
                // Cross-entropy: ∂L/∂logits = (p − one-hot(target)) / N, p saved, then the targets.
                let upstream = gradient[node.offset] / Double(rows)
                let probabilities = node.auxiliary + r * columns
                let target = Int(saved[node.auxiliary + rows * columns + r])
                for c in 0..<columns {
                    gradient[x + c] += upstream * (saved[probabilities + c] - (c == target ? 1 : 0))
                }
            }
        }
    }
}

extension Tensor {
    private func alongLastAxis(_ op: TensorOp) -> Tensor {
        let s = shape
        precondition(s.rank >= 1, "\(op.name): a scalar has no axis to normalise over")
        let columns = s.last
        let source = tape.nodes[id].offset
        return tape.record(op, self, shape: s) { out, arena, _ in
            Softmax.rows(
                arena.baseAddress! + source, into: out.baseAddress!, rows: s.count / max(columns, 1), columns: columns,
                logarithm: op == .logSoftmax)
        }
    }

    /// softmax(z)ᵢ = e^{zᵢ} / Σⱼ e^{zⱼ} along the last axis, computed stably.
    public func softmax() -> Tensor { alongLastAxis(.softmax) }

    /// log softmax(z), computed stably: z − max − log Σ e^{z − max}.
    public func logSoftmax() -> Tensor { alongLastAxis(.logSoftmax) }

    /// The mean over the rows of −log softmax(logits)[row, target]: the cross-entropy of one-hot
    /// targets against the predicted distribution. Its gradient is (p − y)/N.
    public func crossEntropy(targets: [Int]) -> Tensor {
        let s = shape
        precondition(s.rank == 2, "crossEntropy: logits of shape \(s): expected rows × classes")
        precondition(targets.count == s[0], "crossEntropy: \(targets.count) targets for \(s[0]) rows of shape \(s)")
        precondition(
            targets.allSatisfy { (0..<s[1]).contains($0) },
            "crossEntropy: a target outside the \(s[1]) classes: \(targets)")
        let (rows, columns) = (s[0], s[1])
        let source = tape.nodes[id].offset
        return tape.record(.crossEntropy, self, shape: .scalar, auxiliaryCount: rows * columns + rows) {
            out, arena, saved in
            Softmax.rows(
                arena.baseAddress! + source, into: saved.baseAddress!, rows: rows, columns: columns, logarithm: false)
            var total = 0.0
            var row = [Double](repeating: 0, count: columns)
            for r in 0..<rows {
                row.withUnsafeMutableBufferPointer { logs in
                    Softmax.rows(
                        arena.baseAddress! + source + r * columns, into: logs.baseAddress!, rows: 1, columns: columns,
                        logarithm: true)
                }
                total -= row[targets[r]]
                saved[rows * columns + r] = Double(targets[r])
            }
            out[0] = total / Double(rows)
        }
    }

    /// The mean of the squared differences, ½ left out: mean((self − target)²).
    public func meanSquaredError(_ target: Tensor) -> Tensor { (self - target).pow(2).mean() }
}
