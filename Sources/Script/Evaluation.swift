import Engine
import Foundation
import ReportModel

/// Formulas evaluated on a tape: every operation recorded through the engine, so the page's
/// formula, numbers and result are the tape's own.
extension ScriptRun {
    func evaluate(_ e: Expr, in scope: TapeScope, indices: [String: Int] = [:]) throws(ScriptError) -> Operand {
        switch e {
        case .number(let x, _): return .number(x)
        case .text(let s, _): return .text(s)
        case .name(let written, let at):
            let name = try valueIndexed(try resolved(written, indices: indices, at: at), in: scope, at: at)
            if let index = indices[name] { return .number(Double(index)) }
            return try lookUp(name, in: scope, at: at)
        case .derivative(let y, let x, let at):
            let label = "d\(try resolved(y, indices: indices, at: at))/d\(try resolved(x, indices: indices, at: at))"
            if let node = scope.nodes[label] { return operand(node) }
            throw ScriptError(
                "∂\(y)/∂\(x) is used before it is worked out", at: at,
                hint: "add a line '∂\(y)/∂\(x)' to a compute block above this one")
        case .negate(let inner, let at):
            switch try evaluate(inner, in: scope, indices: indices) {
            case .number(let x): return .number(-x)
            case .scalar(let v): return .scalar(-v)
            case .tensor(let t): return .tensor(t * -1.0)
            default: throw ScriptError("− applies to numbers", at: at)
            }
        case .binary(let op, let a, let b, let at):
            if ["and", "or", "<", "<=", ">", ">=", "==", "!="].contains(op) {
                return .truth(try condition(e, in: scope, indices: indices))
            }
            return try arithmetic(
                op, try evaluate(a, in: scope, indices: indices), try evaluate(b, in: scope, indices: indices),
                at: at, exponent: b, scope: scope, indices: indices)
        case .not:
            return .truth(try condition(e, in: scope, indices: indices))
        case .choose(let c, let yes, let no, _):
            return try evaluate(try condition(c, in: scope, indices: indices) ? yes : no, in: scope, indices: indices)
        case .call("normal", let arguments, let at):
            let seed = try integer(arguments[0], in: scope, indices: indices)
            defer { scope.drawCount += 1 }
            // A number, like a literal: a line of its own makes it a labeled leaf (ε), no gradient flows to it.
            return .number(
                NormalDraw.value(
                    NormalDraw.key(seed: seed, label: scope.drawLabel, occurrence: scope.drawCount), round: scope.round)
            )
        case .call(let function, let arguments, let at):
            let values = try arguments.map { a throws(ScriptError) in try evaluate(a, in: scope, indices: indices) }
            return try call(function, values, at: at, scope: scope)
        case .sum(let index, let from, let to, let body, let at):
            let (low, high) = (
                try integer(from, in: scope, indices: indices), try integer(to, in: scope, indices: indices)
            )
            guard low <= high else {
                throw ScriptError("this sum runs from \(low) down to \(high): it has no terms", at: at)
            }
            guard high - low < 10_000 else {
                throw ScriptError("this sum has \(high - low + 1) terms; at most 10000", at: at)
            }
            var total: Operand?
            for k in low...high {
                var inner = indices
                inner[index] = k
                let term = try evaluate(body, in: scope, indices: inner)
                guard scope.tape.count < ScriptRun.mostOperations else {
                    throw ScriptError(
                        "this sum records more than \(ScriptRun.mostOperations) operations", at: at,
                        hint: "sum over fewer terms")
                }
                total =
                    try total.map { t throws(ScriptError) in
                        try arithmetic("+", t, term, at: at, exponent: nil, scope: scope, indices: inner)
                    } ?? term
            }
            return total!
        case .chosen(let index, let from, let to, let body, let largest, let at):
            let (low, high) = (
                try integer(from, in: scope, indices: indices), try integer(to, in: scope, indices: indices)
            )
            guard low <= high else {
                throw ScriptError("this runs from \(low) down to \(high): there is nothing to choose from", at: at)
            }
            guard high - low < 10_000 else {
                throw ScriptError("this chooses among \(high - low + 1) terms; at most 10000", at: at)
            }
            // The first index of the least (greatest) term: a tie goes to the smaller index, the simpler model.
            var best: (index: Int, value: Double)?
            for k in low...high {
                var inner = indices
                inner[index] = k
                let value = try number(body, in: scope, indices: inner)
                guard value.isFinite else {
                    throw ScriptError(
                        "the term for \(index) = \(k) is \(value.isNaN ? "not a number" : "infinite"), so none is the least",
                        at: at,
                        hint: "the lines that compute it met a NaN or an infinity")
                }
                if best == nil || (largest ? value > best!.value : value < best!.value) { best = (k, value) }
            }
            return .number(Double(best!.index))
        case .array(let rows, let isMatrix, let at):
            // `[q1, q2, q3]` of vectors: their rows stacked into a matrix, on the tape, so a
            // gradient reaches each vector through the matrix.
            if !isMatrix, rows[0].count > 1, rows[0].allSatisfy({ isVector($0, in: scope) }) {
                let parts = try rows[0].map { item throws(ScriptError) -> Tensor in
                    guard case .tensor(let t) = try evaluate(item, in: scope, indices: indices) else {
                        preconditionFailure("checked as a vector")
                    }
                    return t
                }
                let lengths = parts.map { $0.shape.count }
                guard parts.allSatisfy({ $0.shape.rank == 2 && $0.shape[0] == 1 }), Set(lengths).count == 1 else {
                    throw ScriptError(
                        "the rows of a matrix need one length each; these have \(lengths.map(String.init).joined(separator: ", ")) numbers",
                        at: at)
                }
                return .tensor(Tensor.concatenate(parts, axis: 0))
            }
            let numbers = try rows.map { row throws(ScriptError) in
                try row.map { item throws(ScriptError) in try number(item, in: scope, indices: indices) }
            }
            let array = isMatrix ? NDArray(numbers) : NDArray(shape: [1, numbers[0].count], scalars: numbers[0])
            return .tensor(scope.tensors.input(array))
        }
    }

    /// Whether a formula is a vector's name: a vector parameter, or a vector the script computed.
    func isVector(_ e: Expr, in scope: TapeScope) -> Bool {
        guard case .name(let written, _) = e else { return false }
        let name = symbolNames[written] ?? written
        if case .tensor(let t)? = scope.nodes[written] ?? scope.nodes[name] {
            return t.shape.rank == 2 && t.shape[0] == 1
        }
        return script.parameters.contains { declared in
            if case .vector = declared.parameter.kind { declared.parameter.name == name } else { false }
        }
    }

    /// `w{k}` with k = 2 is w2; `x_{k}` is x_2.
    func resolved(_ name: String, indices: [String: Int], at: SourceLocation) throws(ScriptError) -> String {
        guard name.contains("{") else { return name }
        var result = name
        for (index, value) in indices { result = Expr.substituting(index, value, in: result) }
        return result
    }

    /// A name indexed by a computed whole number: E_test{d_dev} with d_dev = 3 is E_test3 (the
    /// test error at the degree the Dev set chose).
    func valueIndexed(_ name: String, in scope: TapeScope, at: SourceLocation) throws(ScriptError) -> String {
        guard let open = name.firstIndex(of: "{"), let close = name[open...].firstIndex(of: "}") else { return name }
        let inner = String(name[name.index(after: open)..<close])
        guard scope.nodes[inner] != nil || script.parameters.contains(where: { $0.parameter.name == inner }) else {
            return name
        }
        let k = try integer(.name(inner, at), in: scope)
        return try valueIndexed(Expr.substituting(inner, k, in: name), in: scope, at: at)
    }

    func operand(_ node: Node) -> Operand {
        switch node {
        case .scalar(let v): .scalar(v)
        case .tensor(let t): .tensor(t)
        }
    }

    func lookUp(_ name: String, in scope: TapeScope, at: SourceLocation) throws(ScriptError) -> Operand {
        if let node = scope.nodes[name] { return operand(node) }
        if let symbol = symbolNames[name], let node = scope.nodes[symbol] { return operand(node) }
        let parameterName = symbolNames[name] ?? name
        if let declared = script.parameters.first(where: { $0.parameter.name == parameterName }) {
            switch declared.parameter.kind {
            case .choice: return .text(parameters.choice(parameterName))
            case .vector: return .tensor(leaf(parameterName, in: scope))
            case .real, .integer: return .scalar(scalarLeaf(parameterName, in: scope))
            }
        }
        if let constant = ScriptRun.constants[name] {
            // A leaf labelled π, so a shown formula reads √(2·π) and its numbers √(2 × 3.14159).
            let v = scope.tape.input(constant, name)
            scope.nodes[name] = .scalar(v)
            return .scalar(v)
        }
        if let later = laterNames[scope.name]?[name], later > at {
            throw ScriptError(
                "'\(name)' is used before it is set (on line \(later.line))", at: at,
                hint: "move the line that sets \(name) above this one")
        }
        let known = Array(scope.nodes.keys) + script.parameters.map(\.parameter.name) + Array(symbolNames.keys)
        throw ScriptError(
            "unknown name '\(name)'", at: at,
            hint: didYouMean(name, among: known)
                ?? "set it in a compute block (\(name) = …) or declare it as a parameter")
    }

    /// A scalar parameter's leaf on this tape, made on first use.
    func scalarLeaf(_ name: String, in scope: TapeScope) -> Value {
        if case .scalar(let v)? = scope.nodes[name] { return v }
        let v = scope.tape.input(parameters[name], name)
        scope.nodes[name] = .scalar(v)
        return v
    }

    func leaf(_ name: String, in scope: TapeScope) -> Tensor {
        if case .tensor(let t)? = scope.nodes[name] { return t }
        let values = parameters.vector(name)
        let t = scope.tensors.input(NDArray(shape: [1, values.count], scalars: values), name)
        scope.nodes[name] = .tensor(t)
        return t
    }

    private func arithmetic(
        _ op: String, _ a: Operand, _ b: Operand, at: SourceLocation, exponent: Expr?,
        scope: TapeScope, indices: [String: Int]
    ) throws(ScriptError) -> Operand {
        // A literal becomes a constant on the tape where the operation reads it, left before right,
        // as Value's Double overloads place it: the same nodes in the same order.
        func scalar(_ o: Operand) -> Value? {
            switch o {
            case .number(let x): scope.tape.constant(x)
            case .scalar(let v): v
            default: nil
            }
        }
        if op == "^" {
            switch (a, b) {
            case (.number(let x), .number(let y)): return .number(Primitive.power.rule(x, y).y)
            case (.scalar(let x), .number(let y)): return .scalar(x.pow(y))
            // A parameter in an exponent is read as its number (x^n with n = 3 is x³).
            case (.scalar(let x), .scalar(let y)) where [.input, .constant].contains(y.tape.primitive(of: y.id)):
                return .scalar(x.pow(y.value))
            case (.number, .scalar), (.scalar, .scalar):
                throw ScriptError(
                    "an exponent is a number or a parameter, not a computed value", at: exponent?.location ?? at)
            default: break
            }
        }
        if isNumber(a), isNumber(b), op != "^" {
            guard op != "@" else { throw ScriptError("@ is the matrix product, for matrices", at: at) }
            let (x, z) = (scalar(a)!, scalar(b)!)
            switch op {
            case "+": return .scalar(x + z)
            case "-": return .scalar(x - z)
            case "*": return .scalar(x * z)
            default: return .scalar(x / z)
            }
        }
        switch (a, b) {
        case (.tensor(let x), .tensor(let y)):
            guard x.tape === y.tape else { throw ScriptError("these two come from different tapes", at: at) }
            return .tensor(try tensorArithmetic(op, x, y, at: at))
        case (.tensor(let x), .number(let y)):
            if op == "^" { return .tensor(x.pow(y)) }
            return .tensor(try tensorArithmetic(op, x, x.tape.scalar(y), at: at))
        case (.number(let x), .tensor(let y)):
            return .tensor(try tensorArithmetic(op, y.tape.scalar(x), y, at: at))
        case (.tensor(let x), .scalar(let y)) where isLeafParameter(y):
            if op == "^" { return .tensor(x.pow(y.value)) }
            return .tensor(try tensorArithmetic(op, x, tensorLeaf(for: y, in: scope), at: at))
        case (.scalar(let x), .tensor(let y)) where isLeafParameter(x):
            return .tensor(try tensorArithmetic(op, tensorLeaf(for: x, in: scope), y, at: at))
        case (.scalar, .tensor), (.tensor, .scalar):
            throw ScriptError(
                "a number computed on the scalar tape cannot meet a vector or matrix", at: at,
                hint: "compute it from the vector (e.g. sum(…)), or write its formula with parameters only")
        default:
            throw ScriptError("\(op) takes numbers, not \(a.kindName) and \(b.kindName)", at: at)
        }
    }

    private func isNumber(_ o: Operand) -> Bool {
        switch o {
        case .number, .scalar: true
        default: false
        }
    }

    private func isLeafParameter(_ v: Value) -> Bool {
        v.tape.primitive(of: v.id) == .input
            && v.label.map { l in script.parameters.contains { $0.parameter.name == l } } == true
    }

    /// A scalar parameter used among tensors: the same name on the tensor tape.
    private func tensorLeaf(for v: Value, in scope: TapeScope) -> Tensor {
        let label = v.label!
        let key = "\u{1}tensor:" + label
        if case .tensor(let t)? = scope.nodes[key] { return t }
        let t = scope.tensors.scalar(v.value, label)
        scope.nodes[key] = .tensor(t)
        return t
    }

    private func tensorArithmetic(_ op: String, _ x: Tensor, _ y: Tensor, at: SourceLocation) throws(ScriptError)
        -> Tensor
    {
        let (a, b) = (x.shape, y.shape)
        if op == "@" {
            guard a.rank == 2, b.rank == 2, a[1] == b[0] else {
                throw ScriptError(
                    "the matrix product needs columns of the first = rows of the second; these are \(a) and \(b)",
                    at: at)
            }
            return x.matmul(y)
        }
        do { _ = try Shape.broadcast(a, b, in: op) } catch {
            throw ScriptError(
                "shapes \(a) and \(b) do not fit for \(op == "*" ? "·" : op)", at: at,
                hint: "use @ for the matrix product")
        }
        switch op {
        case "+": return x + y
        case "-": return x - y
        case "*": return x * y
        case "/": return x / y
        default: throw ScriptError("^ takes a number for its exponent", at: at)
        }
    }

    private func call(_ function: String, _ a: [Operand], at: SourceLocation, scope: TapeScope) throws(ScriptError)
        -> Operand
    {
        func scalarOrTensor(_ f: (Value) -> Value, _ g: ((Tensor) -> Tensor)?) throws(ScriptError) -> Operand {
            switch a[0] {
            case .number(let x): return .scalar(f(scope.tape.constant(x)))
            case .scalar(let v): return .scalar(f(v))
            case .tensor(let t):
                guard let g else {
                    throw ScriptError(
                        "\(function) is for numbers; a vector goes through exp, log, σ, tanh, relu, softmax, sum and mean",
                        at: at)
                }
                return .tensor(g(t))
            default: throw ScriptError("\(function) takes a number, not \(a[0].kindName)", at: at)
            }
        }
        switch function {
        case "σ": return try scalarOrTensor({ $0.sigmoid() }, { $0.sigmoid() })
        case "tanh": return try scalarOrTensor({ $0.tanh() }, { $0.tanh() })
        case "relu": return try scalarOrTensor({ $0.relu() }, { $0.relu() })
        case "exp": return try scalarOrTensor({ $0.exp() }, { $0.exp() })
        case "log": return try scalarOrTensor({ $0.log() }, { $0.log() })
        case "sqrt": return try scalarOrTensor({ $0.squareRoot() }, { $0.pow(0.5) })
        case "abs": return try scalarOrTensor({ $0.magnitude() }, nil)
        case "softplus": return try scalarOrTensor({ $0.softplus() }, nil)
        case "max", "min":
            func value(_ o: Operand) throws(ScriptError) -> Value {
                switch o {
                case .number(let x): return scope.tape.constant(x)
                case .scalar(let v): return v
                default: throw ScriptError("\(function) takes two numbers", at: at)
                }
            }
            let (x, z) = (try value(a[0]), try value(a[1]))
            return .scalar(function == "max" ? Value.maximum(x, z) : Value.minimum(x, z))
        case "softmax", "sum", "mean", "transpose", "length":
            guard case .tensor(let t) = a[0] else {
                throw ScriptError("\(function) takes a vector or matrix, not \(a[0].kindName)", at: at)
            }
            guard function == "sum" || function == "mean" || function == "length" || t.shape.rank >= 1 else {
                throw ScriptError("\(function) takes a vector or matrix, and this is one number", at: at)
            }
            guard function != "transpose" || t.shape.rank == 2 else {
                throw ScriptError("only a matrix can be transposed; this is \(t.shape)", at: at)
            }
            switch function {
            case "softmax": return .tensor(t.softmax())
            case "sum": return .tensor(t.sum())
            case "mean": return .tensor(t.mean())
            case "transpose": return .tensor(t.transposed)
            // A constant on the tensor tape, so that a width can scale a matrix (QKᵀ/√d_k);
            // conditions and onehot read it as the number it is.
            default: return .tensor(t.tape.scalar(Double(t.shape.last)))
            }
        case "onehot":
            let (k, count) = (try plainNumber(a[0], at: at), try plainNumber(a[1], at: at))
            guard count == count.rounded(), count >= 1, count <= 4096, k == k.rounded(), k >= 0, k < count else {
                throw ScriptError(
                    "onehot(k, n) takes a class k from 0 to n − 1 and a length n from 1 to 4096; here k = \(spoken(k)), n = \(spoken(count))",
                    at: at)
            }
            return .tensor(
                scope.tensors.input(
                    NDArray(shape: [1, Int(count)], scalars: (0..<Int(count)).map { $0 == Int(k) ? 1 : 0 })))
        case "cross_entropy":
            guard case .tensor(let t) = a[0], t.shape.rank == 2, t.shape[0] == 1 else {
                throw ScriptError("cross_entropy takes a row of logits and a class", at: at)
            }
            let k: Double
            switch a[1] {
            case .number(let x): k = x
            case .scalar(let v): k = v.value
            default: throw ScriptError("cross_entropy's second argument is the class, a number", at: at)
            }
            guard k == k.rounded(), k >= 0, Int(k) < t.shape.last else {
                throw ScriptError(
                    "the class \(spoken(k)) is not one of the \(t.shape.last) classes (counting from 0)", at: at)
            }
            return .tensor(t.crossEntropy(targets: [Int(k)]))
        case "floor", "ceil":
            // A whole number for counting (a fold's size), not a step of the computation: no gradient.
            let x = try plainNumber(a[0], at: at)
            return .number(function == "floor" ? x.rounded(.down) : x.rounded(.up))
        case "solve", "powers", "fit", "poly", "fold", "others", "entries":
            return try fitting(function, a, at: at, scope: scope)
        default:
            throw ScriptError("\(function)(…) is for text, as in {change(\"the loss\", L, L_after)}", at: at)
        }
    }

    func plainNumber(_ o: Operand, at: SourceLocation) throws(ScriptError) -> Double {
        switch o {
        case .number(let x): return x
        case .scalar(let v): return v.value
        case .tensor(let t) where t.shape.count == 1: return t.value.scalars[0]
        default: throw ScriptError("expected a number, not \(o.kindName)", at: at)
        }
    }

    // MARK: Numbers and conditions

    /// A formula as a plain number (ranges, steps, conditions), read from the tape's values.
    func number(_ e: Expr, in scope: TapeScope, indices: [String: Int] = [:]) throws(ScriptError) -> Double {
        // A parameter read as a number (a step count, a rate) needs no leaf on the tape.
        if case .name(let written, _) = e, indices[written] == nil, scope.nodes[written] == nil,
            let declared = script.parameters.first(where: { $0.parameter.name == (symbolNames[written] ?? written) })
        {
            switch declared.parameter.kind {
            case .real, .integer: return parameters[declared.parameter.name]
            default: break
            }
        }
        switch try evaluate(e, in: scope, indices: indices) {
        case .number(let x): return x
        case .scalar(let v): return v.value
        case .tensor(let t) where t.shape.count == 1: return t.value.scalars[0]
        case let other: throw ScriptError("expected a number here, not \(other.kindName)", at: e.location)
        }
    }

    func integer(_ e: Expr, in scope: TapeScope, indices: [String: Int] = [:]) throws(ScriptError) -> Int {
        let x = try number(e, in: scope, indices: indices)
        guard x == x.rounded(), abs(x) < 1e9 else {
            throw ScriptError("expected a whole number here, not \(spoken(x))", at: e.location)
        }
        return Int(x)
    }

    func condition(_ e: Expr, in scope: TapeScope, indices: [String: Int] = [:]) throws(ScriptError) -> Bool {
        switch e {
        case .not(let inner, _): return !(try condition(inner, in: scope, indices: indices))
        case .binary("and", let a, let b, _):
            guard try condition(a, in: scope, indices: indices) else { return false }
            return try condition(b, in: scope, indices: indices)
        case .binary("or", let a, let b, _):
            if try condition(a, in: scope, indices: indices) { return true }
            return try condition(b, in: scope, indices: indices)
        case .binary(let op, let a, let b, let at) where ["<", "<=", ">", ">=", "==", "!="].contains(op):
            let (x, y) = (try evaluate(a, in: scope, indices: indices), try evaluate(b, in: scope, indices: indices))
            if case .text(let s) = x, case .text(let t) = y {
                guard op == "==" || op == "!=" else {
                    throw ScriptError("captions are compared with == and != only", at: at)
                }
                return (s == t) == (op == "==")
            }
            let (u, v) = (try number(a, in: scope, indices: indices), try number(b, in: scope, indices: indices))
            switch op {
            case "<": return u < v
            case "<=": return u <= v
            case ">": return u > v
            case ">=": return u >= v
            case "==": return u == v
            default: return u != v
            }
        default:
            throw ScriptError("expected a condition (a comparison such as L⁺ < L), found a formula", at: e.location)
        }
    }
}
