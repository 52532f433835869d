/// What a tensor node computes. Each family of operations has its forward computation (a method
/// on `Tensor`) and its backward rule (the vector–Jacobian product: how ∂output/∂result turns into
/// ∂output/∂input) side by side in one file: `Elementwise.swift`, `MatrixProduct.swift`,
/// `Reshaping.swift`, `Softmax.swift`, `Layers.swift`.
///
///     TensorOp.matmul.name   // "matmul"
public enum TensorOp: Sendable, Equatable {
    /// Data or a parameter.
    case leaf
    /// Element by element, broadcasting as NumPy does.
    case add, subtract, multiply, divide
    case negate, exp, log, sigmoid, tanh, relu
    case power(Double)
    case matmul, transpose, reshape
    /// A⁻¹B: the solution X of AX = B.
    case solve
    /// A run of `length` entries along `axis`, from `start` (the length is the output's).
    case slice(axis: Int, start: Int)
    case concat(axis: Int)
    /// The sum over the axes whose bits are set (the output keeps or drops them; its shape says which).
    case sum(axes: Int)
    /// Along the last axis.
    case softmax, logSoftmax
    /// Mean over the rows of −log softmax(logits)[row, target]; targets and probabilities saved.
    case crossEntropy
    /// Inverted dropout: kept entries scaled by 1/keep; the mask saved.
    case dropout(keep: Double)
    /// Batch normalisation in training mode over the rows, with γ and β; x̂ and 1/σ saved.
    case batchNorm(epsilon: Double)
    /// 2-D convolution of N×C×H×W images with F×(C/groups)×KH×KW filters (and a bias); the
    /// im2col columns saved.
    case conv2d(stride: Int, padding: Int, groups: Int)
    /// Max or average pooling over K×K windows; for max, where each maximum came from saved.
    case pool(kernel: Int, stride: Int, maximum: Bool)

    /// The scalar primitive an element-by-element operation applies to each element, with its
    /// second input where that is a constant (a power's exponent): one rule for both tapes.
    var elementRule: (primitive: Primitive, z: Double)? {
        switch self {
        case .add: (.add, 0)
        case .subtract: (.subtract, 0)
        case .multiply: (.multiply, 0)
        case .divide: (.divide, 0)
        case .negate: (.negate, 0)
        case .exp: (.exp, 0)
        case .log: (.log, 0)
        case .sigmoid: (.sigmoid, 0)
        case .tanh: (.tanh, 0)
        case .relu: (.relu, 0)
        case .power(let c): (.power, c)
        default: nil
        }
    }

    /// Operations with more than two inputs keep them in the tape's side table.
    var joinsInputs: Bool {
        switch self {
        case .concat, .batchNorm, .conv2d: true
        default: false
        }
    }

    /// The `Tensor` method that records the operation, as a shape error quotes what was called
    /// ("matmul: shapes [2, 3] and [2, 3]…"); the written name is its `Operator`'s (matrixProduct).
    public var name: String {
        switch self {
        case .leaf: "leaf"
        case .add: "add"
        case .subtract: "subtract"
        case .multiply: "multiply"
        case .divide: "divide"
        case .negate: "negate"
        case .exp: "exp"
        case .log: "log"
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .relu: "relu"
        case .power: "power"
        case .matmul: "matmul"
        case .solve: "solve"
        case .transpose: "transpose"
        case .reshape: "reshape"
        case .slice: "slice"
        case .concat: "concat"
        case .sum: "sum"
        case .softmax: "softmax"
        case .logSoftmax: "logSoftmax"
        case .crossEntropy: "crossEntropy"
        case .dropout: "dropout"
        case .batchNorm: "batchNorm"
        case .conv2d: "conv2d"
        case .pool(_, _, let maximum): maximum ? "maxPool" : "averagePool"
        }
    }

    /// Adds this node's contribution to its inputs' gradients.
    func backward(
        node: TensorTape.Node, nodes: UnsafeBufferPointer<TensorTape.Node>, joined: [[Int]],
        value: UnsafeBufferPointer<Double>,
        gradient: UnsafeMutableBufferPointer<Double>, saved: UnsafeBufferPointer<Double>
    ) {
        let a = nodes[Int(max(node.first, 0))]
        switch self {
        case .leaf: break
        case .add, .subtract, .multiply, .divide:
            Elementwise.backwardBinary(self, node, a, nodes[Int(node.second)], value, gradient)
        case .negate, .exp, .log, .sigmoid, .tanh, .relu, .power:
            Elementwise.backwardUnary(self, node, a, value, gradient)
        case .matmul: MatrixProduct.backward(node, a, nodes[Int(node.second)], value, gradient)
        case .transpose: MatrixProduct.backwardTranspose(node, a, gradient)
        case .solve: LinearSolve.backward(node, a, nodes[Int(node.second)], value, gradient)
        case .concat: Reshaping.backward(self, node, joined[Int(node.first)].map { nodes[$0] }, gradient)
        case .reshape, .slice, .sum: Reshaping.backward(self, node, [a], gradient)
        case .softmax, .logSoftmax, .crossEntropy: Softmax.backward(self, node, a, value, gradient, saved)
        case .dropout: Layers.backward(self, node, [a], value, gradient, saved)
        case .batchNorm: Layers.backward(self, node, joined[Int(node.first)].map { nodes[$0] }, value, gradient, saved)
        case .conv2d:
            Convolution.backward(self, node, joined[Int(node.first)].map { nodes[$0] }, value, gradient, saved)
        case .pool: Convolution.backward(self, node, [a], value, gradient, saved)
        }
    }
}

extension TensorTape.Node {
    var range: Range<Int> { offset..<(offset + shape.count) }
}

/// Stops with the shape error's message: a lesson that records mismatched shapes has a bug to fix.
@inline(__always)
func checked<T>(_ body: () throws(ShapeError) -> T) -> T {
    do { return try body() } catch { preconditionFailure(error.description) }
}
