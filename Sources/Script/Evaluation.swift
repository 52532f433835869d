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
                        """
                        the term for \(index) = \(k) is \
                        \(value.isNaN ? "not a number" : "infinite"), so none is the least
                        """,
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
                        """
                        the rows of a matrix need one length each; these have \
                        \(lengths.map(String.init).joined(separator: ", ")) numbers
                        """,
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
