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
        let (g, x, y) = (gradient.baseAddress! + node.offset, value.baseAddress! + input.offset, value.baseAddress! + node.offset)
        let gx = gradient.baseAddress! + input.offset
        let count = node.shape.count
        // The common rules get loops of their own, which the compiler vectorises.
        switch op {
        case .relu: for k in 0..<count where x[k] > 0 { gx[k] += g[k] }
        case .sigmoid: for k in 0..<count { gx[k] += g[k] * y[k] * (1 - y[k]) }
        case .tanh: for k in 0..<count { gx[k] += g[k] * (1 - y[k] * y[k]) }
        default: for k in 0..<count { gx[k] += g[k] * slope(op, x: x[k], y: y[k]) }
        }
    }

    /// Runs `body` with the operation as a function, choosing it once rather than per element, so
    /// each loop is compiled for one operation and vectorised.
    @inline(__always)
    static func withFunction(_ op: TensorOp, _ body: ((Double, Double) -> Double) -> Void) {
        switch op {
        case .add: body(+)
        case .subtract: body(-)
        case .multiply: body(*)
        default: body(/)
        }
    }

    @inline(__always)
    static func withUnary(_ op: TensorOp, _ body: ((Double) -> Double) -> Void) {
        switch op {
        case .negate: body { -$0 }
        case .exp: body { Foundation.exp($0) }
        case .log: body { Foundation.log($0) }
        case .sigmoid: body { 1 / (1 + Foundation.exp(-$0)) }
        case .tanh: body { Foundation.tanh($0) }
        case .relu: body { max($0, 0) }
        case .power(2): body { $0 * $0 }
        case .power(let c): body { Foundation.pow($0, c) }
        default: preconditionFailure("\(op.name) is not unary")
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
        // Sums and differences need no values: ∂/∂a = g, ∂/∂b = ±g, summed where b repeats.
        if (op == .add || op == .subtract) && a.shape == node.shape && b.shape.repeats(into: node.shape) {
            let sign = op == .add ? 1.0 : -1.0, block = b.shape.count
            let (g, ga, gb) = (gradient.baseAddress! + o, gradient.baseAddress! + ao, gradient.baseAddress! + bo)
            for row in stride(from: 0, to: node.shape.count, by: block) {
                for j in 0..<block {
                    ga[row + j] += g[row + j]
                    gb[j] += sign * g[row + j]
                }
            }
            return
        }
        if a.shape == node.shape && b.shape == node.shape {
            for k in 0..<node.shape.count {
                let (da, db) = slopes(op, value[ao + k], value[bo + k])
                gradient[ao + k] += gradient[o + k] * da
                gradient[bo + k] += gradient[o + k] * db
            }
            return
        }
        // One side repeats whole (a bias row, a single number): its gradient sums over the repeats.
        if a.shape == node.shape && b.shape.repeats(into: node.shape) {
            let block = b.shape.count
            for k in 0..<node.shape.count {
                let (da, db) = slopes(op, value[ao + k], value[bo + k % block])
                gradient[ao + k] += gradient[o + k] * da
                gradient[bo + k % block] += gradient[o + k] * db
            }
            return
        }
        if b.shape == node.shape && a.shape.repeats(into: node.shape) {
            let block = a.shape.count
            for k in 0..<node.shape.count {
                let (da, db) = slopes(op, value[ao + k % block], value[bo + k])
                gradient[ao + k % block] += gradient[o + k] * da
                gradient[bo + k] += gradient[o + k] * db
            }
            return
        }
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
        let source = tape.nodes[id].offset
        return tape.record(op, self, shape: shape) { out, arena, _ in
            Elementwise.withUnary(op) { f in
                for k in 0..<out.count { out[k] = f(arena[source + k]) }
            }
        }
    }

    private func binary(_ op: TensorOp, _ other: Tensor) -> Tensor {
        let (a, b) = (shape, other.shape)
        let result = checked { () throws(ShapeError) in try Shape.broadcast(a, b, in: op.name) }
        let (ao, bo) = (tape.nodes[id].offset, tape.nodes[other.id].offset)
        return tape.record(op, self, other, shape: result) { out, arena, _ in
            let (x, y) = (arena.baseAddress! + ao, arena.baseAddress! + bo)
            if a == result && b == result {
                Elementwise.withFunction(op) { f in for k in 0..<out.count { out[k] = f(x[k], y[k]) } }
            } else if a == result && b.repeats(into: result) {
                let block = b.count
                Elementwise.withFunction(op) { f in
                    for row in stride(from: 0, to: out.count, by: block) { for j in 0..<block { out[row + j] = f(x[row + j], y[j]) } }
                }
            } else if b == result && a.repeats(into: result) {
                let block = a.count
                Elementwise.withFunction(op) { f in
                    for row in stride(from: 0, to: out.count, by: block) { for j in 0..<block { out[row + j] = f(x[j], y[row + j]) } }
                }
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
