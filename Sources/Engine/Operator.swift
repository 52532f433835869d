/// An operation as the page knows it: how a formula writes it, what a graph's node shows, and
/// its name. One table for both tapes: the scalar tape's σ and the tensor tape's σ are the same
/// operator, so they print alike, in the notes' notation (log, e^x, max(0, x)).
///
///     Primitive.log.operator.written   // .function("log")
///     TensorOp.relu.operator.symbol    // "ReLU", the graph node's label
public enum Operator: String, Sendable, CaseIterable {
    case add, subtract, multiply, hadamard, matrixProduct, solve, divide, negate, power, transpose
    case exp, log, sigmoid, tanh, relu, step, abs, softplus, maximum, minimum
    case softmax, logSoftmax, crossEntropy, sum, dropout, batchNorm, convolution, maxPool, averagePool, slice, concat,
        reshape

    /// How tightly an operator binds: an operand that binds more loosely than its place asks is bracketed.
    public enum Precedence: Int, Comparable, Sendable {
        case sum = 1, product, power, atom
        public static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }
    }

    /// The shape of the written form.
    public enum Written: Sendable, Equatable {
        /// Between its two operands: `symbol` with the precedence of the result and the least each
        /// side needs without brackets (a − (b − c) but a + b + c; a/(b·c)).
        case infix(String, Precedence, left: Precedence, right: Precedence)
        /// Before its operand: −x.
        case prefix(String)
        /// A function of its arguments: σ(x), max(a, b).
        case function(String)
        /// A function with a constant first argument: max(0, x).
        case functionOf(String, first: String)
        /// The base raised to the second operand (√x when it is ½).
        case raised
        /// e raised to the operand.
        case exponential
        /// A superscript after the operand: xᵀ.
        case postfix(String)
        /// Between bars: |x|.
        case bars
        /// Side by side: W a.
        case juxtaposed
        /// In brackets, separated by commas: [a, b].
        case list
        /// Written as its operand (a reshape changes no number).
        case invisible
    }

    public var written: Written {
        switch self {
        case .add: .infix("+", .sum, left: .sum, right: .sum)
        case .subtract: .infix("−", .sum, left: .sum, right: .product)
        case .multiply: .infix("·", .product, left: .product, right: .product)
        case .hadamard: .infix("⊙", .product, left: .product, right: .product)
        case .convolution: .infix("∗", .product, left: .product, right: .power)
        case .divide: .infix("/", .product, left: .product, right: .power)
        case .matrixProduct: .juxtaposed
        case .solve: .function("solve")
        case .negate: .prefix("−")
        case .power: .raised
        case .transpose: .postfix("T")
        case .exp: .exponential
        case .relu: .functionOf("max", first: "0")
        case .abs: .bars
        case .concat: .list
        case .reshape: .invisible
        case .log: .function("log")
        case .sigmoid: .function("σ")
        case .tanh: .function("tanh")
        case .step: .function("step")
        case .softplus: .function("softplus")
        case .maximum: .function("max")
        case .minimum: .function("min")
        case .softmax: .function("softmax")
        case .logSoftmax: .function("log softmax")
        case .crossEntropy: .function("CE")
        case .sum: .function("Σ")
        case .dropout: .function("dropout")
        case .batchNorm: .function("BN")
        case .maxPool: .function("maxpool")
        case .averagePool: .function("avgpool")
        case .slice: .function("slice")
        }
    }

    /// What a computation graph's operation node shows.
    public var symbol: String {
        switch self {
        case .add: "+"
        case .subtract: "−"
        case .multiply: "×"
        case .hadamard: "⊙"
        case .matrixProduct: "·"
        case .solve: "A⁻¹b"
        case .divide: "÷"
        case .negate: "−x"
        case .power: "xʸ"
        case .transpose: "xᵀ"
        case .exp: "exp"
        case .log: "log"
        case .sigmoid: "σ"
        case .tanh: "tanh"
        case .relu: "ReLU"
        case .step: "step"
        case .abs: "|x|"
        case .softplus: "softplus"
        case .maximum: "max"
        case .minimum: "min"
        case .softmax: "softmax"
        case .logSoftmax: "log softmax"
        case .crossEntropy: "CE"
        case .sum: "Σ"
        case .dropout: "dropout"
        case .batchNorm: "BN"
        case .convolution: "∗"
        case .maxPool: "max pool"
        case .averagePool: "avg pool"
        case .slice: "slice"
        case .concat: "concat"
        case .reshape: "reshape"
        }
    }

    /// The operator's name, as values.json and error messages write it.
    public var name: String { rawValue }
}

extension Primitive {
    /// The operator this primitive writes as; nil for a leaf.
    public var `operator`: Operator? {
        switch self {
        case .input, .constant: nil
        case .add: .add
        case .subtract: .subtract
        case .multiply: .multiply
        case .divide: .divide
        case .negate: .negate
        case .power: .power
        case .exp: .exp
        case .log: .log
        case .sigmoid: .sigmoid
        case .tanh: .tanh
        case .relu: .relu
        case .step: .step
        case .abs: .abs
        case .softplus: .softplus
        case .maximum: .maximum
        case .minimum: .minimum
        }
    }
}
