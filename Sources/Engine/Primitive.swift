import Foundation

/// What a tape node computes from its (at most two) ordered inputs x and z.
///
///     let y = Primitive.sigmoid.rule(0.3775, 0)   // (y: 0.59327, dx: 0.24130, dz: 0)
///     Primitive.multiply.rule(0.15, 0.05).dz       // ∂(x·z)/∂z = x = 0.15
public enum Primitive: UInt8, Sendable, CaseIterable {
    /// A leaf the lesson declared (a parameter, an input): it has a label and can be reassigned.
    case input
    /// A number written into a formula (the 0.5 of ½(t − o)², the 2 of a square).
    case constant
    case add, subtract, multiply, divide, negate, power
    case exp, log, sigmoid, tanh, relu
    /// The perceptron's binary threshold (003): 1 where x ≥ 0, else 0.
    case step
    /// |x|, softplus(x) = ln(1 + eˣ), and the larger and smaller of two (lesson scripts' functions).
    case abs, softplus, maximum, minimum

    /// Number of inputs the operation reads.
    public var arity: Int {
        switch self {
        case .input, .constant: 0
        case .negate, .exp, .log, .sigmoid, .tanh, .relu, .step, .abs, .softplus: 1
        case .add, .subtract, .multiply, .divide, .power, .maximum, .minimum: 2
        }
    }

    /// The forward value y = f(x, z) beside its local derivatives ∂y/∂x and ∂y/∂z.
    ///
    /// The backward pass calls this again with the inputs' current values, so a leaf
    /// reassigned after the forward pass is seen by every derivative that reads it. It also
    /// passes the recorded `y` of σ, tanh and exp whose input is not a leaf, whose derivatives
    /// the notes write through the output (σ′ = σ(1 − σ)): the backward pass then needs no exp.
    @inlinable @inline(__always)
    public func rule(_ x: Double, _ z: Double, y recorded: Double? = nil) -> (y: Double, dx: Double, dz: Double) {
        switch self {
        case .input, .constant: return (x, 0, 0)
        case .add: return (x + z, 1, 1)
        case .subtract: return (x - z, 1, -1)
        case .multiply: return (x * z, z, x)
        case .divide: return (x / z, 1 / z, -x / (z * z))
        case .negate: return (-x, -1, 0)
        case .power where z == 2:
            // squares are common; x·x is pow(x, 2) exactly
            return (x * x, 2 * x, x > 0 ? x * x * Foundation.log(x) : 0)
        case .power:
            let y = Foundation.pow(x, z)
            // d(xᶻ)/dz = xᶻ·ln x is real only for x > 0; exponents here are constants.
            return (y, z * Foundation.pow(x, z - 1), x > 0 ? y * Foundation.log(x) : 0)
        case .exp:
            let y = recorded ?? Foundation.exp(x)
            return (y, y, 0)
        case .log: return (Foundation.log(x), 1 / x, 0)
        case .sigmoid:
            let y = recorded ?? 1 / (1 + Foundation.exp(-x))
            return (y, y * (1 - y), 0)  // σ′ = σ(1 − σ)
        case .tanh:
            let y = recorded ?? Foundation.tanh(x)
            return (y, 1 - y * y, 0)  // tanh′ = 1 − tanh²
        case .relu: return (max(x, 0), x > 0 ? 1 : 0, 0)  // subgradient 0 at the kink, as PyTorch
        // flat on both sides: why perceptrons learn by a rule, not by gradients
        case .step: return (x >= 0 ? 1 : 0, 0, 0)
        case .abs: return (Swift.abs(x), x > 0 ? 1 : x < 0 ? -1 : 0, 0)  // subgradient 0 at the kink, as PyTorch
        case .softplus:
            // ln(1 + eˣ) without overflow: x + ln(1 + e⁻ˣ) for x > 0; its slope is σ(x).
            let y = x > 0 ? x + Foundation.log1p(Foundation.exp(-x)) : Foundation.log1p(Foundation.exp(x))
            return (y, 1 / (1 + Foundation.exp(-x)), 0)
        case .maximum: return (Swift.max(x, z), x >= z ? 1 : 0, x >= z ? 0 : 1)  // a tie goes to the first
        case .minimum: return (Swift.min(x, z), x <= z ? 1 : 0, x <= z ? 0 : 1)
        }
    }
}
