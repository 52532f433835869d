/// A handle on one tape node. Arithmetic on values records new nodes on their tape.
///
///     let net = (w1 * i1 + w2 * i2 + b1).labeled("net_h1")
///     let out = net.sigmoid().labeled("out_h1")          // out.value == 0.5932699921…
public struct Value {
    /// The tape's slot in `TapeRegistry` and its generation: a value holds no reference, so
    /// making and dropping one costs no reference counting. Keep the tape while using its values.
    @usableFromInline let slot: UInt32, generation: UInt32
    public let id: Int

    @inlinable init(slot: UInt32, generation: UInt32, id: Int) {
        (self.slot, self.generation, self.id) = (slot, generation, id)
    }

    public init(tape: Tape, id: Int) {
        self.init(slot: tape.slot, generation: tape.generation, id: id)
    }

    public var tape: Tape { TapeRegistry.tape(slot, generation) }
    public var value: Double { onTape { $0.value(of: id) } }
    /// ∂output/∂self from the tape's last `backward(from:)`.
    public var gradient: Double { onTape { $0.gradient(of: id) } }
    public var label: String? { onTape { $0.label(of: id) } }

    @inlinable public func isOn(_ tape: Tape) -> Bool { slot == tape.slot && generation == tape.generation }

    /// Runs `body` on the tape without retaining it: the registry's check stands for the retain.
    @inlinable @inline(__always)
    func onTape<R>(_ body: (Tape) -> R) -> R {
        TapeRegistry.unmanaged(slot, generation)._withUnsafeGuaranteedRef(body)
    }

    /// Names the node, so formulas show it by name and `values.json` lists it.
    @discardableResult
    public func labeled(_ label: String) -> Value {
        onTape { $0.setLabel(label, of: id) }
        return self
    }

    /// The same node on a copy of its tape.
    public func on(_ copy: Tape) -> Value {
        precondition(id < copy.count, "the tape holds no node \(id)")
        return Value(tape: copy, id: id)
    }

    @inlinable @inline(__always) public func pow(_ exponent: Double) -> Value {
        onTape { $0.apply(.power, self, $0.constant(exponent)) }
    }
    /// √x, recorded as x^0.5 and written with a root sign.
    @inlinable @inline(__always) public func squareRoot() -> Value { pow(0.5) }
    @inlinable @inline(__always) public func exp() -> Value { onTape { $0.apply(.exp, self) } }
    @inlinable @inline(__always) public func log() -> Value { onTape { $0.apply(.log, self) } }
    @inlinable @inline(__always) public func sigmoid() -> Value { onTape { $0.apply(.sigmoid, self) } }
    @inlinable @inline(__always) public func tanh() -> Value { onTape { $0.apply(.tanh, self) } }
    @inlinable @inline(__always) public func relu() -> Value { onTape { $0.apply(.relu, self) } }
    @inlinable @inline(__always) public func step() -> Value { onTape { $0.apply(.step, self) } }
    @inlinable @inline(__always) public func magnitude() -> Value { onTape { $0.apply(.abs, self) } }
    @inlinable @inline(__always) public func softplus() -> Value { onTape { $0.apply(.softplus, self) } }
    @inlinable @inline(__always) public static func maximum(_ x: Value, _ z: Value) -> Value {
        x.onTape { $0.apply(.maximum, x, z) }
    }
    @inlinable @inline(__always) public static func minimum(_ x: Value, _ z: Value) -> Value {
        x.onTape { $0.apply(.minimum, x, z) }
    }

    @inlinable @inline(__always) public static func + (x: Value, z: Value) -> Value {
        x.onTape { $0.apply(.add, x, z) }
    }
    @inlinable @inline(__always) public static func - (x: Value, z: Value) -> Value {
        x.onTape { $0.apply(.subtract, x, z) }
    }
    @inlinable @inline(__always) public static func * (x: Value, z: Value) -> Value {
        x.onTape { $0.apply(.multiply, x, z) }
    }
    @inlinable @inline(__always) public static func / (x: Value, z: Value) -> Value {
        x.onTape { $0.apply(.divide, x, z) }
    }
    @inlinable @inline(__always) public static prefix func - (x: Value) -> Value { x.onTape { $0.apply(.negate, x) } }

    @inlinable @inline(__always) public static func + (x: Value, z: Double) -> Value { x + x.onTape { $0.constant(z) } }
    @inlinable @inline(__always) public static func + (x: Double, z: Value) -> Value { z.onTape { $0.constant(x) } + z }
    @inlinable @inline(__always) public static func - (x: Value, z: Double) -> Value { x - x.onTape { $0.constant(z) } }
    @inlinable @inline(__always) public static func - (x: Double, z: Value) -> Value { z.onTape { $0.constant(x) } - z }
    @inlinable @inline(__always) public static func * (x: Value, z: Double) -> Value { x * x.onTape { $0.constant(z) } }
    @inlinable @inline(__always) public static func * (x: Double, z: Value) -> Value { z.onTape { $0.constant(x) } * z }
    @inlinable @inline(__always) public static func / (x: Value, z: Double) -> Value { x / x.onTape { $0.constant(z) } }
    @inlinable @inline(__always) public static func / (x: Double, z: Value) -> Value { z.onTape { $0.constant(x) } / z }
}
