import Engine
import Foundation
import ReportModel

/// A script's arithmetic and function calls: on numbers, on tape values (recorded), on tensors
/// (broadcast, matmul), with each refusal naming what was given.
extension ScriptRun {
    func arithmetic(
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

    func isNumber(_ o: Operand) -> Bool {
        switch o {
        case .number, .scalar: true
        default: false
        }
    }

    func isLeafParameter(_ v: Value) -> Bool {
        v.tape.primitive(of: v.id) == .input
            && v.label.map { l in script.parameters.contains { $0.parameter.name == l } } == true
    }

    /// A scalar parameter used among tensors: the same name on the tensor tape.
    func tensorLeaf(for v: Value, in scope: TapeScope) -> Tensor {
        let label = v.label!
        let key = "\u{1}tensor:" + label
        if case .tensor(let t)? = scope.nodes[key] { return t }
        let t = scope.tensors.scalar(v.value, label)
        scope.nodes[key] = .tensor(t)
        return t
    }

    func tensorArithmetic(_ op: String, _ x: Tensor, _ y: Tensor, at: SourceLocation) throws(ScriptError)
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

    func call(_ function: String, _ a: [Operand], at: SourceLocation, scope: TapeScope) throws(ScriptError)
        -> Operand
    {
        func scalarOrTensor(_ f: (Value) -> Value, _ g: ((Tensor) -> Tensor)?) throws(ScriptError) -> Operand {
            switch a[0] {
            case .number(let x): return .scalar(f(scope.tape.constant(x)))
            case .scalar(let v): return .scalar(f(v))
            case .tensor(let t):
                guard let g else {
                    throw ScriptError(
                        """
                        \(function) is for numbers; a vector goes through exp, log, σ, tanh, relu, softmax, sum and mean
                        """,
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
                    """
                    onehot(k, n) takes a class k from 0 to n − 1 and a length n \
                    from 1 to 4096; here k = \(spoken(k)), n = \(spoken(count))
                    """,
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
}
