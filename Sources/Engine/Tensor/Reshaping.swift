/// Operations that move numbers without changing them, and sums: reshape, slice, concatenate,
/// sum and mean over axes. Their backward rules move the gradient back to where each number came
/// from (a sum spreads it to every term).
enum Reshaping {
    static func backward(
        _ op: TensorOp, _ node: TensorTape.Node, _ inputs: [TensorTape.Node],
        _ gradient: UnsafeMutableBufferPointer<Double>
    ) {
        switch op {
        case .reshape:
            for k in 0..<node.shape.count { gradient[inputs[0].offset + k] += gradient[node.offset + k] }
        case .slice(let axis, let start):
            let input = inputs[0]
            let strides = input.shape.strides
            forEachIndex(of: node.shape, strides: [input.shape.strides]) { k, offsets in
                gradient[input.offset + start * strides[axis] + offsets[0]] += gradient[node.offset + k]
            }
        case .concat(let axis):
            var start = 0
            for input in inputs {
                let strides = node.shape.strides
                forEachIndex(of: input.shape, strides: [strides]) { k, offsets in
                    gradient[input.offset + k] += gradient[node.offset + start * strides[axis] + offsets[0]]
                }
                start += input.shape[axis]
            }
        case .sum(let axes) where node.shape.count == 1:
            // Everything summed: each input gets the one upstream gradient.
            for k in 0..<inputs[0].shape.count { gradient[inputs[0].offset + k] += gradient[node.offset] }
            _ = axes
        case .sum(let axes):
            let input = inputs[0]
            let kept = Shape(input.shape.dims.enumerated().map { axes & (1 << $0.offset) != 0 ? 1 : $0.element })
            forEachIndex(of: input.shape, strides: [kept.strides(broadcastTo: input.shape)]) { k, offsets in
                gradient[input.offset + k] += gradient[node.offset + offsets[0]]
            }
        default: preconditionFailure("\(op.name) does not reshape")
        }
    }
}

extension Tensor {
    /// The same numbers, read as another shape with as many of them.
    public func reshaped(_ target: Shape) -> Tensor {
        let s = shape
        precondition(
            target.count == s.count, "reshape: shape \(s) holds \(s.count) numbers, shape \(target) \(target.count)")
        let source = tape.nodes[id].offset
        return tape.record(.reshape, self, shape: target) { out, arena, _ in
            for k in 0..<out.count { out[k] = arena[source + k] }
        }
    }

    /// Entries `range` along `axis`: x.slice(axis: 0, 1..<3) is rows 1 and 2.
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let s = shape
        precondition(
            axis < s.rank && range.lowerBound >= 0 && range.upperBound <= s[axis],
            "slice: \(range) along axis \(axis) of shape \(s) is out of bounds")
        var dims = s.dims
        dims[axis] = range.count
        let result = Shape(dims)
        let base = tape.nodes[id].offset + range.lowerBound * s.strides[axis]
        return tape.record(.slice(axis: axis, start: range.lowerBound), self, shape: result) { out, arena, _ in
            forEachIndex(of: result, strides: [s.strides]) { k, offsets in out[k] = arena[base + offsets[0]] }
        }
    }

    /// The tensors side by side along `axis`; every other axis must agree.
    public static func concatenate(_ parts: [Tensor], axis: Int) -> Tensor {
        precondition(!parts.isEmpty, "concat: nothing to join")
        let shapes = parts.map(\.shape)
        let first = shapes[0]
        let mismatch = shapes.first { other in
            other.rank != first.rank || (0..<first.rank).contains { k in k != axis && other[k] != first[k] }
        }
        precondition(
            mismatch == nil,
            "concat: shapes \(shapes.map(\.description).joined(separator: ", ")) differ off axis \(axis)")
        var dims = first.dims
        dims[axis] = shapes.map { $0[axis] }.reduce(0, +)
        let result = Shape(dims)
        let tape = parts[0].tape
        let offsets = parts.map { tape.nodes[$0.id].offset }
        return tape.record(.concat(axis: axis), joining: parts, shape: result) { out, arena, _ in
            var start = 0
            for (part, offset) in zip(shapes, offsets) {
                forEachIndex(of: part, strides: [result.strides]) { k, position in
                    out[start * result.strides[axis] + position[0]] = arena[offset + k]
                }
                start += part[axis]
            }
        }
    }

    /// The sum over `axes` (all of them by default), dropping them unless `keepingAxes`.
    public func sum(axes: [Int]? = nil, keepingAxes: Bool = false) -> Tensor {
        let s = shape
        if axes == nil && !keepingAxes {
            let source = tape.nodes[id].range
            return tape.record(.sum(axes: (1 << s.rank) - 1), self, shape: .scalar) { out, arena, _ in
                for k in source { out[0] += arena[k] }
            }
        }
        let axes = axes ?? Array(0..<s.rank)
        precondition(axes.allSatisfy { $0 >= 0 && $0 < s.rank }, "sum: axes \(axes) out of range for shape \(s)")
        let kept = Shape(s.dims.enumerated().map { axes.contains($0.offset) ? 1 : $0.element })
        let result = keepingAxes ? kept : Shape(s.dims.enumerated().filter { !axes.contains($0.offset) }.map(\.element))
        let source = tape.nodes[id].offset
        return tape.record(.sum(axes: axes.reduce(0) { $0 | 1 << $1 }), self, shape: result) { out, arena, _ in
            forEachIndex(of: s, strides: [kept.strides(broadcastTo: s)]) { k, offsets in
                out[offsets[0]] += arena[source + k]
            }
        }
    }

    /// The mean over `axes` (all of them by default).
    public func mean(axes: [Int]? = nil, keepingAxes: Bool = false) -> Tensor {
        let s = shape
        let count = (axes ?? Array(0..<s.rank)).map { s[$0] }.reduce(1, *)
        return sum(axes: axes, keepingAxes: keepingAxes) / Double(count)
    }
}
