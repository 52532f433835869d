/// A handle on one tape node. Arithmetic on values records new nodes on their tape.
///
///     let net = (w1 * i1 + w2 * i2 + b1).labeled("net_h1")
///     let out = net.sigmoid().labeled("out_h1")          // out.value == 0.5932699921…
public struct Value {
    public let tape: Tape
    public let id: Int

    @inlinable init(tape: Tape, id: Int) {
        self.tape = tape
        self.id = id
    }

    public var value: Double { tape.value(of: id) }
    /// ∂output/∂self from the tape's last `backward(from:)`.
    public var gradient: Double { tape.gradient(of: id) }
    public var label: String? { tape.label(of: id) }

    /// Names the node, so formulas show it by name and `values.json` lists it.
    @discardableResult
    public func labeled(_ label: String) -> Value {
        tape.setLabel(label, of: id)
        return self
    }

    /// The same node on a copy of its tape.
    public func on(_ copy: Tape) -> Value {
        precondition(id < copy.count, "the tape holds no node \(id)")
        return Value(tape: copy, id: id)
    }

    @inlinable public func pow(_ exponent: Double) -> Value { tape.apply(.power, self, tape.constant(exponent)) }
    /// √x, recorded as x^0.5 and written with a root sign.
    @inlinable public func squareRoot() -> Value { pow(0.5) }
    @inlinable public func exp() -> Value { tape.apply(.exp, self) }
    @inlinable public func log() -> Value { tape.apply(.log, self) }
    @inlinable public func sigmoid() -> Value { tape.apply(.sigmoid, self) }
    @inlinable public func tanh() -> Value { tape.apply(.tanh, self) }
    @inlinable public func relu() -> Value { tape.apply(.relu, self) }

    @inlinable public static func + (x: Value, z: Value) -> Value { x.tape.apply(.add, x, z) }
    @inlinable public static func - (x: Value, z: Value) -> Value { x.tape.apply(.subtract, x, z) }
    @inlinable public static func * (x: Value, z: Value) -> Value { x.tape.apply(.multiply, x, z) }
    @inlinable public static func / (x: Value, z: Value) -> Value { x.tape.apply(.divide, x, z) }
    @inlinable public static prefix func - (x: Value) -> Value { x.tape.apply(.negate, x) }

    @inlinable public static func + (x: Value, z: Double) -> Value { x + x.tape.constant(z) }
    @inlinable public static func + (x: Double, z: Value) -> Value { z.tape.constant(x) + z }
    @inlinable public static func - (x: Value, z: Double) -> Value { x - x.tape.constant(z) }
    @inlinable public static func - (x: Double, z: Value) -> Value { z.tape.constant(x) - z }
    @inlinable public static func * (x: Value, z: Double) -> Value { x * x.tape.constant(z) }
    @inlinable public static func * (x: Double, z: Value) -> Value { z.tape.constant(x) * z }
    @inlinable public static func / (x: Value, z: Double) -> Value { x / x.tape.constant(z) }
    @inlinable public static func / (x: Double, z: Value) -> Value { z.tape.constant(x) / z }
}
