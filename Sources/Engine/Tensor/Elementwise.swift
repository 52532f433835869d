import Foundation

/// Element-by-element operations: the forward value and, beside it, each one's local derivative.
/// Binary ones broadcast as NumPy does; their backward pass sums the gradient over the axes an
/// operand was repeated along.
enum Elementwise {
    /// y = f(x) and dy/dx from x and y, for the unary operations.
    @inline(__always)
    static func unary(_ op: TensorOp, _ x: Double) -> Double {
        switch op {
        case .negate: -x
        case .exp: Foundation.exp(x)
        case .log: Foundation.log(x)
        case .sigmoid: 1 / (1 + Foundation.exp(-x))
        case .tanh: Foundation.tanh(x)
        case .relu: max(x, 0)
        case .power(let c): c == 2 ? x * x : Foundation.pow(x, c)
        default: preconditionFailure("\(op.name) is not unary")
        }
    }

    @inline(__always)
    static func slope(_ op: TensorOp, x: Double, y: Double) -> Double {
        switch op {
        case .negate: -1
        case .exp: y                          // (eˣ)′ = eˣ
        case .log: 1 / x                      // (ln x)′ = 1/x
        case .sigmoid: y * (1 - y)            // σ′ = σ(1 − σ)
        case .tanh: 1 - y * y                 // tanh′ = 1 − tanh²
        case .relu: x > 0 ? 1 : 0             // 1 for x > 0 (0 at the kink, as PyTorch)
        case .power(let c): c * Foundation.pow(x, c - 1)
        default: 0
        }
    }

    static func backwardUnary(_ op: TensorOp, _ node: TensorTape.Node, _ input: TensorTape.Node,
                              _ value: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>) {
        let (o, i) = (node.offset, input.offset)
        for k in 0..<node.shape.count {
            gradient[i + k] += gradient[o + k] * slope(op, x: value[i + k], y: value[o + k])
        }
    }

    @inline(__always)
    static func binary(_ op: TensorOp, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        default: a / b
        }
    }

    /// ∂(a op b)/∂a and ∂(a op b)/∂b.
    @inline(__always)
    static func slopes(_ op: TensorOp, _ a: Double, _ b: Double) -> (Double, Double) {
        switch op {
        case .add: (1, 1)
        case .subtract: (1, -1)
        case .multiply: (b, a)
        default: (1 / b, -a / (b * b))
        }
    }

    static func backwardBinary(_ op: TensorOp, _ node: TensorTape.Node, _ a: TensorTape.Node, _ b: TensorTape.Node,
                               _ value: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>) {
        let (o, ao, bo) = (node.offset, a.offset, b.offset)
        if a.shape == node.shape && b.shape == node.shape {
            for k in 0..<node.shape.count {
                let (da, db) = slopes(op, value[ao + k], value[bo + k])
                gradient[ao + k] += gradient[o + k] * da
                gradient[bo + k] += gradient[o + k] * db
            }
            return
        }
        // One side a single number (the 1 of 1 − a): its gradient is the sum over the other.
        if b.shape.rank == 0 && a.shape == node.shape {
            var total = 0.0
            for k in 0..<node.shape.count {
                let (da, db) = slopes(op, value[ao + k], value[bo])
                gradient[ao + k] += gradient[o + k] * da
                total += gradient[o + k] * db
            }
            gradient[bo] += total
            return
        }
        if a.shape.rank == 0 && b.shape == node.shape {
            var total = 0.0
            for k in 0..<node.shape.count {
                let (da, db) = slopes(op, value[ao], value[bo + k])
                total += gradient[o + k] * da
                gradient[bo + k] += gradient[o + k] * db
            }
            gradient[ao] += total
            return
        }
        forEachIndex(of: node.shape, strides: [a.shape.strides(broadcastTo: node.shape), b.shape.strides(broadcastTo: node.shape)]) { k, offsets in
            let (da, db) = slopes(op, value[ao + offsets[0]], value[bo + offsets[1]])
            gradient[ao + offsets[0]] += gradient[o + k] * da
            gradient[bo + offsets[1]] += gradient[o + k] * db
        }
    }
}

extension Tensor {
    private func unary(_ op: TensorOp) -> Tensor {
        let source = tape.nodes[id].range
        return tape.record(op, self, shape: shape) { out, arena, _ in
            for k in 0..<out.count { out[k] = Elementwise.unary(op, arena[source.lowerBound + k]) }
        }
    }

    private func binary(_ op: TensorOp, _ other: Tensor) -> Tensor {
        let (a, b) = (shape, other.shape)
        let result = checked { () throws(ShapeError) in try Shape.broadcast(a, b, in: op.name) }
        let (ao, bo) = (tape.nodes[id].offset, tape.nodes[other.id].offset)
        return tape.record(op, self, other, shape: result) { out, arena, _ in
            if a == result && b == result {
                for k in 0..<out.count { out[k] = Elementwise.binary(op, arena[ao + k], arena[bo + k]) }
            } else if b.rank == 0 && a == result {
                for k in 0..<out.count { out[k] = Elementwise.binary(op, arena[ao + k], arena[bo]) }
            } else if a.rank == 0 && b == result {
                for k in 0..<out.count { out[k] = Elementwise.binary(op, arena[ao], arena[bo + k]) }
            } else {
                forEachIndex(of: result, strides: [a.strides(broadcastTo: result), b.strides(broadcastTo: result)]) { k, offsets in
                    out[k] = Elementwise.binary(op, arena[ao + offsets[0]], arena[bo + offsets[1]])
                }
            }
        }
    }

    public func exp() -> Tensor { unary(.exp) }
    public func log() -> Tensor { unary(.log) }
    public func sigmoid() -> Tensor { unary(.sigmoid) }
    public func tanh() -> Tensor { unary(.tanh) }
    public func relu() -> Tensor { unary(.relu) }
    public func pow(_ exponent: Double) -> Tensor { unary(.power(exponent)) }

    public static prefix func - (x: Tensor) -> Tensor { x.unary(.negate) }
    public static func + (a: Tensor, b: Tensor) -> Tensor { a.binary(.add, b) }
    public static func - (a: Tensor, b: Tensor) -> Tensor { a.binary(.subtract, b) }
    /// Element by element (the notes' ⊙), broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor { a.binary(.multiply, b) }
    public static func / (a: Tensor, b: Tensor) -> Tensor { a.binary(.divide, b) }

    public static func + (a: Tensor, b: Double) -> Tensor { a + a.tape.scalar(b) }
    public static func + (a: Double, b: Tensor) -> Tensor { b.tape.scalar(a) + b }
    public static func - (a: Tensor, b: Double) -> Tensor { a - a.tape.scalar(b) }
    public static func - (a: Double, b: Tensor) -> Tensor { b.tape.scalar(a) - b }
    public static func * (a: Tensor, b: Double) -> Tensor { a * a.tape.scalar(b) }
    public static func * (a: Double, b: Tensor) -> Tensor { b.tape.scalar(a) * b }
    public static func / (a: Tensor, b: Double) -> Tensor { a / a.tape.scalar(b) }
}
