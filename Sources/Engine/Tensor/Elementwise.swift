import Foundation

/// Element-by-element operations: each element's value and local derivative are the scalar
/// tape's own (`Primitive.rule`), so an operation is declared once for both tapes; this file only
/// runs them over buffers. Binary ones broadcast as NumPy does; their backward pass sums the
/// gradient over the axes an operand was repeated along.
enum Elementwise {
    @inline(__always)
    static func slope(_ op: TensorOp, x: Double, y: Double) -> Double {
        guard let (primitive, z) = op.elementRule else { return 0 }
        return primitive.rule(x, z, y: y).dx
    }

    static func backwardUnary(
        _ op: TensorOp, _ node: TensorTape.Node, _ input: TensorTape.Node,
        _ value: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>
    ) {
        let (g, x, y) = (
            gradient.baseAddress! + node.offset, value.baseAddress! + input.offset, value.baseAddress! + node.offset
        )
        let gx = gradient.baseAddress! + input.offset
        let count = node.shape.count
        // The common rules get loops of their own, the primitive a constant, which the compiler
        // folds and vectorises (relu skips where its slope is 0, so a gradient of ∞ adds no NaN).
        switch op {
        case .relu: for k in 0..<count where x[k] > 0 { gx[k] += g[k] }
        case .sigmoid: for k in 0..<count { gx[k] += g[k] * Primitive.sigmoid.rule(x[k], 0, y: y[k]).dx }
        case .tanh: for k in 0..<count { gx[k] += g[k] * Primitive.tanh.rule(x[k], 0, y: y[k]).dx }
        default: for k in 0..<count { gx[k] += g[k] * slope(op, x: x[k], y: y[k]) }
        }
    }

    /// Runs `body` with the operation as a function, choosing it once rather than per element, so
    /// each loop is compiled for one operation and vectorised.
    @inline(__always)
    static func withFunction(_ op: TensorOp, _ body: ((Double, Double) -> Double) -> Void) {
        switch op {
        case .add: body { Primitive.add.rule($0, $1).y }
        case .subtract: body { Primitive.subtract.rule($0, $1).y }
        case .multiply: body { Primitive.multiply.rule($0, $1).y }
        default: body { Primitive.divide.rule($0, $1).y }
        }
    }

    @inline(__always)
    static func withUnary(_ op: TensorOp, _ body: ((Double) -> Double) -> Void) {
        switch op {
        case .negate: body { Primitive.negate.rule($0, 0).y }
        case .exp: body { Primitive.exp.rule($0, 0).y }
        case .log: body { Primitive.log.rule($0, 0).y }
        case .sigmoid: body { Primitive.sigmoid.rule($0, 0).y }
        case .tanh: body { Primitive.tanh.rule($0, 0).y }
        case .relu: body { Primitive.relu.rule($0, 0).y }
        case .power(2): body { Primitive.power.rule($0, 2).y }
        case .power(let c): body { Primitive.power.rule($0, c).y }
        default: preconditionFailure("\(op.name) is not unary")
        }
    }

    @inline(__always)
    static func binary(_ op: TensorOp, _ a: Double, _ b: Double) -> Double {
        op.elementRule!.primitive.rule(a, b).y
    }

    /// ∂(a op b)/∂a and ∂(a op b)/∂b.
    @inline(__always)
    static func slopes(_ op: TensorOp, _ a: Double, _ b: Double) -> (Double, Double) {
        let rule = op.elementRule!.primitive.rule(a, b)
        return (rule.dx, rule.dz)
    }

    static func backwardBinary(
        _ op: TensorOp, _ node: TensorTape.Node, _ a: TensorTape.Node, _ b: TensorTape.Node,
        _ value: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>
    ) {
        let (o, ao, bo) = (node.offset, a.offset, b.offset)
        // Sums and differences need no values: ∂/∂a = g, ∂/∂b = ±g, summed where b repeats.
        if (op == .add || op == .subtract) && a.shape == node.shape && b.shape.repeats(into: node.shape) {
            let sign = op == .add ? 1.0 : -1.0
            let block = b.shape.count
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
        forEachIndex(
            of: node.shape,
            strides: [a.shape.strides(broadcastTo: node.shape), b.shape.strides(broadcastTo: node.shape)]
        ) { k, offsets in
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
                    for row in stride(from: 0, to: out.count, by: block) {
                        for j in 0..<block { out[row + j] = f(x[row + j], y[j]) }
                    }
                }
            } else if b == result && a.repeats(into: result) {
                let block = a.count
                Elementwise.withFunction(op) { f in
                    for row in stride(from: 0, to: out.count, by: block) {
                        for j in 0..<block { out[row + j] = f(x[j], y[row + j]) }
                    }
                }
            } else {
                forEachIndex(of: result, strides: [a.strides(broadcastTo: result), b.strides(broadcastTo: result)]) {
                    k, offsets in
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
