/// A formula tree over tape nodes; the bridge between the record and its written form.
/// Unlabeled intermediate nodes are expanded, labeled ones stay names.
///
///     // net_h1 = (w1·i1 + w2·i2) + b1 becomes
///     .apply(.add, [.apply(.add, [.apply(.multiply, [.node(w1), .node(i1)]), …]), .node(b1)])
indirect enum Expression: Equatable {
    case node(Int)
    case number(Double)
    case apply(Primitive, [Expression])

    static let one = Expression.number(1)
}

extension Tape {
    /// The node's formula in terms of the nearest labeled nodes and constants.
    public func formula(of node: Value) -> FormulaTree {
        tree(expanding(node.id))
    }

    /// ∂y/∂x as the chain rule gives it, simplified as a teacher writes it: for each path from
    /// y down to x the product of the local derivatives along it, paths summed, then constants
    /// folded, signs pulled to the front and factors of 1 dropped (see `Expression.simplified`).
    ///
    ///     tape.derivativeFormula(of: E_total, withRespectTo: out_o1)
    ///     // −(t1 − out_o1), from 0.5·2·(t1 − out_o1)·(−1)
    public func derivativeFormula(of y: Value, withRespectTo x: Value) -> FormulaTree {
        tree(derivativeExpression(of: y.id, withRespectTo: x.id).simplified)
    }

    /// ∂y/∂x through the named nodes of `path` = [y, a, …, x], in the forms a teacher goes
    /// through: the product of each link's simplified derivative, then (when it cancels
    /// something) multiplied out one level, then fully.
    ///
    ///     tape.chainSimplification([L, a, z])
    ///     // (−y/a + (1 − y)/(1 − a))·a·(1 − a), then −y·(1 − a) + (1 − y)·a, then a − y
    public func chainSimplification(_ path: [Value]) -> [FormulaTree] {
        precondition(path.count >= 2, "a chain needs at least two nodes")
        let links = zip(path, path.dropFirst()).map { derivativeExpression(of: $0.id, withRespectTo: $1.id).simplified }
        let product = links.dropFirst().reduce(links[0]) { .apply(.multiply, [$0, $1]) }
        // Stages that differ only in how a product is grouped read alike: the report writes them once.
        return [tree(product)] + product.simplificationStages.map(tree)
    }

    /// How many routes lead from y down to x: the number of terms the chain rule's written sum has.
    /// Counted in one sweep over the record, so a lesson can ask before writing a sum that would
    /// run to 2^τ terms (an RNN unfolded over τ steps).
    ///
    ///     tape.pathCount(from: loss, to: W11)   // 3 for three steps of a 2-unit RNN's W₁₁
    public func pathCount(from y: Value, to x: Value) -> Int {
        guard x.id <= y.id else { return 0 }
        var routes = [Int](repeating: 0, count: y.id + 1)
        routes[y.id] = 1
        for id in stride(from: y.id, to: x.id, by: -1) where routes[id] > 0 {
            for input in inputs(of: id) where input >= x.id {
                routes[input] =
                    routes[input].addingReportingOverflow(routes[id]).overflow ? .max : routes[input] + routes[id]
            }
        }
        return routes[x.id]
    }

    /// Written sums are for pages: beyond this many terms nobody reads them, and listing the
    /// paths would take as long as their number.
    static let writtenTermLimit = 4096

    /// The sum over paths of the products of local derivatives, unsimplified.
    func derivativeExpression(of y: Int, withRespectTo x: Int) -> Expression {
        let count = pathCount(from: Value(tape: self, id: y), to: Value(tape: self, id: x))
        precondition(
            count <= Tape.writtenTermLimit,
            """
            ∂\(labels[y] ?? "node \(y)")/∂\(labels[x] ?? "node \(x)") has \
            \(count) paths: too many terms to write; check pathCount first
            """
        )
        let terms = derivativeTerms(of: y, withRespectTo: x)
        return terms.dropFirst().reduce(terms.first ?? .number(0)) { .apply(.add, [$0, $1]) }
    }

    /// One product of local derivatives per path from y down to x, factors of 1 left out.
    func derivativeTerms(of y: Int, withRespectTo x: Int) -> [Expression] {
        paths(from: y, to: x).map { factors in
            let kept = factors.filter { if case .number(1) = $0 { false } else { true } }
            return kept.dropFirst().reduce(kept.first ?? .one) { .apply(.multiply, [$0, $1]) }
        }
    }

    /// What an expression evaluates to with the tape's current values, through the same
    /// `Primitive.rule` the tape records with.
    func evaluate(_ expression: Expression) -> Double {
        switch expression {
        case .node(let id): nodes[id].value
        case .number(let value): value
        case .apply(let primitive, let arguments):
            primitive.rule(evaluate(arguments[0]), arguments.count > 1 ? evaluate(arguments[1]) : 0).y
        }
    }

    private func paths(from y: Int, to x: Int) -> [[Expression]] {
        if y == x { return [[]] }
        if y < x { return [] }
        let inputs = inputs(of: y)
        return inputs.indices.flatMap { k in
            paths(from: inputs[k], to: x).map { [localDerivative(of: y, input: k)] + $0 }
        }
    }

    /// ∂y/∂(input k) written with the node's own inputs, as the notes write them:
    /// σ′ as out(1 − out), the square's as 2·(t − out).
    private func localDerivative(of y: Int, input k: Int) -> Expression {
        let inputs = inputs(of: y).map(operand)
        let x = inputs[0]
        let z = inputs.count > 1 ? inputs[1] : .one
        let output = operand(y)
        switch nodes[y].primitive {
        case .input, .constant: return .number(0)
        case .add: return .one
        case .subtract: return k == 0 ? .one : .number(-1)
        case .multiply: return k == 0 ? z : x
        case .divide:
            return k == 0
                ? .apply(.divide, [.one, z])
                : .apply(.negate, [.apply(.divide, [x, .apply(.power, [z, .number(2)])])])
        case .negate: return .number(-1)
        case .power:
            guard k == 0 else { return .apply(.multiply, [output, .apply(.log, [x])]) }
            if case .number(let c) = z {
                return .apply(.multiply, [.number(c), c == 2 ? x : .apply(.power, [x, .number(c - 1)])])
            }
            return .apply(.multiply, [z, .apply(.power, [x, .apply(.subtract, [z, .one])])])
        case .exp: return output
        case .log: return .apply(.divide, [.one, x])
        case .sigmoid: return .apply(.multiply, [output, .apply(.subtract, [.one, output])])
        case .tanh: return .apply(.subtract, [.one, .apply(.power, [output, .number(2)])])
        case .relu: return .number(nodes[Int(nodes[y].first)].value > 0 ? 1 : 0)
        case .step: return .number(0)
        case .abs:
            return .number(nodes[Int(nodes[y].first)].value > 0 ? 1 : nodes[Int(nodes[y].first)].value < 0 ? -1 : 0)
        case .softplus: return .apply(.sigmoid, [x])
        case .maximum, .minimum:
            let (a, b) = (nodes[Int(nodes[y].first)].value, nodes[Int(nodes[y].second)].value)
            let first = nodes[y].primitive == .maximum ? a >= b : a <= b
            return .number(first == (k == 0) ? 1 : 0)
        }
    }

    /// A node as an operand: its name if it has one, else its own expansion.
    private func operand(_ id: Int) -> Expression {
        if nodes[id].primitive == .constant && labels[id] == nil { return .number(nodes[id].value) }
        if labels[id] != nil || nodes[id].primitive == .input { return .node(id) }
        return expanding(id)
    }

    private func expanding(_ id: Int) -> Expression {
        switch nodes[id].primitive {
        case .input, .constant: return operand(id)
        default: return .apply(nodes[id].primitive, inputs(of: id).map(operand))
        }
    }

    // MARK: Export

    /// The expression as the tree the report writes: nodes by id, operators from the one table.
    private func tree(_ expression: Expression) -> FormulaTree {
        switch expression {
        case .node(let id): .name(id)
        case .number(let value): .number(value)
        case .apply(let primitive, let arguments): .apply(primitive.operator!, arguments.map(tree))
        }
    }
}
