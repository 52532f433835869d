/// A tensor node's formula in terms of the nearest named nodes, as the tape recorded it: W a + b,
/// (a − t) ⊙ a ⊙ (1 − a), σ(z). Written with names, or with each name's matrix put in.
///
///     tape.formula(of: delta).pieces   // [.name(a2), .symbol(" − "), .name(t), …]
public struct TensorFormula: Sendable, Equatable {
    public enum Piece: Sendable, Equatable {
        /// A named node, by id: its name, or its value once numbers are substituted.
        case name(Int)
        /// An unnamed scalar written into the formula (the 1 of 1 − a).
        case number(Double)
        case symbol(String)
        /// A superscript: ᵀ, an exponent.
        case raised([Piece])
    }

    public var pieces: [Piece]
}

extension TensorTape {
    public func formula(of tensor: Tensor) -> TensorFormula {
        TensorFormula(pieces: expansion(tensor.id).pieces)
    }

    private enum Precedence: Int, Comparable {
        case sum = 1, product, power, atom
        static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }
    }

    /// A node as an operand: its name, a constant, or its own expansion when unnamed.
    private func operand(_ id: Int) -> (pieces: [TensorFormula.Piece], precedence: Precedence) {
        if labels[id] != nil { return ([.name(id)], .atom) }
        if nodes[id].op == .leaf {
            return nodes[id].shape.count == 1 ? ([.number(values[nodes[id].offset])], .atom) : ([.name(id)], .atom)
        }
        return expansion(id)
    }

    private func expansion(_ id: Int) -> (pieces: [TensorFormula.Piece], precedence: Precedence) {
        let node = nodes[id]
        let inputs = self.inputs(of: id)
        func wrapped(_ k: Int, atLeast minimum: Precedence) -> [TensorFormula.Piece] {
            let (inner, precedence) = operand(inputs[k])
            return precedence < minimum ? [.symbol("(")] + inner + [.symbol(")")] : inner
        }
        func call(_ name: String) -> ([TensorFormula.Piece], Precedence) {
            ([.symbol(name + "(")] + operand(inputs[0]).pieces + [.symbol(")")], .atom)
        }
        switch node.op {
        case .leaf: return ([.name(id)], .atom)
        case .add: return (wrapped(0, atLeast: .sum) + [.symbol(" + ")] + wrapped(1, atLeast: .sum), .sum)
        case .subtract: return (wrapped(0, atLeast: .sum) + [.symbol(" − ")] + wrapped(1, atLeast: .product), .sum)
        case .multiply:
            // A single number times a tensor is plain scaling, written first: η·δ, 0.5·Σ(…), not Σ(…) ⊙ 0.5.
            for (k, other) in [(0, 1), (1, 0)] where nodes[inputs[k]].shape.count == 1 && nodes[inputs[other]].shape.count > 1 {
                return (operand(inputs[k]).pieces + [.symbol("·")] + wrapped(other, atLeast: .product), .product)
            }
            return (wrapped(0, atLeast: .product) + [.symbol(" ⊙ ")] + wrapped(1, atLeast: .product), .product)
        case .divide: return (wrapped(0, atLeast: .product) + [.symbol(" / ")] + wrapped(1, atLeast: .power), .product)
        case .matmul: return (wrapped(0, atLeast: .product) + [.symbol(" ")] + wrapped(1, atLeast: .power), .product)
        case .negate: return ([.symbol("−")] + wrapped(0, atLeast: .product), .sum)
        case .power(let c): return (wrapped(0, atLeast: .atom) + [.raised([.number(c)])], .power)
        case .transpose: return (wrapped(0, atLeast: .atom) + [.raised([.symbol("T")])], .power)
        case .exp: return call("exp")
        case .log: return call("log")
        case .sigmoid: return call("σ")
        case .tanh: return call("tanh")
        case .relu: return call("ReLU")
        case .softmax: return call("softmax")
        case .logSoftmax: return call("log softmax")
        case .crossEntropy: return call("CE")
        case .reshape: return operand(inputs[0])
        case .slice: return call("slice")
        case .concat:
            return ([.symbol("[")] + inputs.enumerated().flatMap { k, _ in (k > 0 ? [.symbol(", ")] : []) + operand(inputs[k]).pieces } + [.symbol("]")], .atom)
        case .sum: return call("Σ")
        case .dropout: return call("dropout")
        case .batchNorm: return call("BN")
        case .conv2d:
            let (image, kernel) = (operand(inputs[0]).pieces, operand(inputs[1]).pieces)
            let bias = inputs.count > 2 ? [TensorFormula.Piece.symbol(" + ")] + operand(inputs[2]).pieces : []
            return (image + [.symbol(" ∗ ")] + kernel + bias, .sum)
        case .pool(_, _, let maximum): return call(maximum ? "maxpool" : "avgpool")
        }
    }
}
