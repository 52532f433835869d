/// A node's formula as a tree over the nearest named nodes: what both tapes export, and what the
/// report writes (with names, with numbers put in, stacked or on one line). The engine only says
/// what was computed from what; how it reads on a page is the report's business.
///
///     tape.formula(of: net_h1)   // .apply(.add, [.apply(.add, [.apply(.multiply, [.name(w1), .name(i1)]), …]), .name(b1)])
///     tape.formula(of: z1)       // .apply(.add, [.apply(.matrixProduct, [.name(W1), .name(x)]), .name(b1)])
public indirect enum FormulaTree: Sendable, Equatable {
    /// A named node, by id on its tape: its label, or its value once numbers are put in.
    case name(Int)
    /// A number written into the formula (the 0.5 of ½(t − o)², the 1 of 1 − a).
    case number(Double)
    case apply(Operator, [FormulaTree])
}

extension TensorOp {
    /// The operator this operation writes as; a product of two tensors is element by element
    /// (a single number times a tensor is plain scaling, `.multiply`: the formula decides).
    public var `operator`: Operator? {
        switch self {
        case .leaf: nil
        case .add: .add
        case .subtract: .subtract
        case .multiply: .hadamard
        case .divide: .divide
        case .negate: .negate
        case .exp: .exp
        case .log: .log
        case .sigmoid: .sigmoid
        case .tanh: .tanh
        case .relu: .relu
        case .power: .power
        case .matmul: .matrixProduct
        case .solve: .solve
        case .transpose: .transpose
        case .reshape: .reshape
        case .slice: .slice
        case .concat: .concat
        case .sum: .sum
        case .softmax: .softmax
        case .logSoftmax: .logSoftmax
        case .crossEntropy: .crossEntropy
        case .dropout: .dropout
        case .batchNorm: .batchNorm
        case .conv2d: .convolution
        case .pool(_, _, let maximum): maximum ? .maxPool : .averagePool
        }
    }
}

extension TensorTape {
    /// The tensor's formula in terms of the nearest named nodes, as the tape recorded it.
    public func formula(of tensor: Tensor) -> FormulaTree { expansion(tensor.id) }

    /// A node as an operand: its name, a single-number constant, or its own expansion when unnamed.
    private func operand(_ id: Int) -> FormulaTree {
        if labels[id] != nil { return .name(id) }
        if nodes[id].op == .leaf { return nodes[id].shape.count == 1 ? .number(values[nodes[id].offset]) : .name(id) }
        return expansion(id)
    }

    private func expansion(_ id: Int) -> FormulaTree {
        let node = nodes[id]
        let inputs = self.inputs(of: id)
        let operands = inputs.map(operand)
        switch node.op {
        case .leaf: return .name(id)
        case .multiply:
            // A single number times a tensor is plain scaling, written first: η·δ, not δ ⊙ η.
            for (k, other) in [(0, 1), (1, 0)]
            where nodes[inputs[k]].shape.count == 1 && nodes[inputs[other]].shape.count > 1 {
                return .apply(.multiply, [operands[k], operands[other]])
            }
            return .apply(.hadamard, operands)
        case .power(let c): return .apply(.power, [operands[0], .number(c)])
        // Written as the textbook writes the solution of AX = B: A⁻¹B.
        case .solve: return .apply(.matrixProduct, [.apply(.power, [operands[0], .number(-1)]), operands[1]])
        case .conv2d where operands.count > 2:
            return .apply(.add, [.apply(.convolution, Array(operands.prefix(2))), operands[2]])
        default: return .apply(node.op.operator!, operands)
        }
    }
}
