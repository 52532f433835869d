/// A formula as a script writes it, before it meets a tape.
///
///     ExpressionParser.parse("σ(w1·x1 + b)")
///     // .call("σ", [.binary("+", .binary("*", .name("w1"), .name("x1")), .name("b"))])
indirect enum Expr: Equatable, Sendable {
    case number(Double, SourceLocation)
    case name(String, SourceLocation)
    case derivative(of: String, withRespectTo: String, SourceLocation)
    case negate(Expr, SourceLocation)
    /// + - * / ^ @ and comparisons < <= > >= == != (chained: a <= b <= c), `and`, `or`.
    case binary(String, Expr, Expr, SourceLocation)
    case not(Expr, SourceLocation)
    case call(String, [Expr], SourceLocation)
    /// Σ over an integer index: sum(k = 1...3, w{k}·x{k}).
    case sum(index: String, from: Expr, to: Expr, body: Expr, SourceLocation)
    /// The index whose term is least (or, `largest`, greatest): argmin(d = 0...6, E_dev{d}).
    case chosen(index: String, from: Expr, to: Expr, body: Expr, largest: Bool, SourceLocation)
    /// A vector [1, 2] or a matrix [[1, 2], [3, 4]] of numbers.
    case array([[Expr]], isMatrix: Bool, SourceLocation)
    /// cond ? a : b, over numbers or captions (in prose: {L⁺ < L ? "lowers" : "raises"}).
    case choose(Expr, Expr, Expr, SourceLocation)
    case text(String, SourceLocation)

    var location: SourceLocation {
        switch self {
        case .number(_, let l), .name(_, let l), .derivative(_, _, let l), .negate(_, let l), .binary(_, _, _, let l),
            .not(_, let l), .call(_, _, let l), .sum(_, _, _, _, let l), .chosen(_, _, _, _, _, let l),
            .array(_, _, let l), .choose(_, _, _, let l), .text(_, let l):
            l
        }
    }

    /// Every name and derivative the formula reads, with where it reads them (an index is not a name).
    ///
    /// With `terms`, a sum whose bounds it gives reads its indexed names term by term: w{k} over
    /// k = 1...3 is w1, w2, w3 (without it, the name w{k} once).
    func references(bound: Set<String> = [], terms: ((_ from: Expr, _ to: Expr) -> ClosedRange<Int>?)? = nil) -> [(
        name: String, location: SourceLocation
    )] {
        func read(_ e: Expr) -> [(name: String, location: SourceLocation)] { e.references(bound: bound, terms: terms) }
        switch self {
        case .number, .text: return []
        case .name(let n, let l): return bound.contains(n) ? [] : [(n, l)]
        case .derivative(let y, let x, let l): return [("d\(y)/d\(x)", l)]
        case .negate(let e, _), .not(let e, _): return read(e)
        case .binary(_, let a, let b, _): return read(a) + read(b)
        case .call(_, let args, _): return args.flatMap(read)
        case .sum(let index, let from, let to, let body, _):
            guard let range = terms?(from, to) else {
                return read(from) + read(to) + body.references(bound: bound.union([index]), terms: terms)
            }
            let inner = read(body).filter { $0.name != index }
            return read(from) + read(to)
                + range.flatMap { k in inner.map { (Expr.substituting(index, k, in: $0.name), $0.location) } }
        case .chosen(let index, let from, let to, let body, _, let at):
            return Expr.sum(index: index, from: from, to: to, body: body, at).references(bound: bound, terms: terms)
        case .array(let rows, _, _): return rows.flatMap { $0.flatMap(read) }
        case .choose(let c, let a, let b, _): return read(c) + read(a) + read(b)
        }
    }

    /// A name with an index's value put in: w{k} with k = 2 is w2, x_{k} is x_2.
    static func substituting(_ index: String, _ value: Int, in name: String) -> String {
        name.replacingOccurrences(of: "_{\(index)}", with: "_\(value)").replacingOccurrences(
            of: "{\(index)}", with: "\(value)")
    }
}

/// The functions a formula may call, each with its number of arguments (nil: any from 1).
let scriptFunctions: [String: Int?] = [
    "σ": 1, "sigmoid": 1, "sigma": 1, "tanh": 1, "relu": 1, "ReLU": 1, "softplus": 1, "exp": 1, "log": 1, "ln": 1,
    "sqrt": 1, "abs": 1, "max": 2, "min": 2, "softmax": 1, "sum": 1, "mean": 1, "transpose": 1,
    "length": 1, "cross_entropy": 2, "onehot": 2, "change": 3, "normal": 1,
    "solve": 2, "powers": 2, "fit": 3, "poly": 2, "fold": 3, "others": 3, "floor": 1, "ceil": 1,
]

/// Spellings of the same function: sigmoid is σ, ReLU is relu, ln is log.
func canonicalFunction(_ name: String) -> String {
    switch name {
    case "sigmoid", "sigma": "σ"
    case "ReLU": "relu"
    case "ln": "log"
    default: name
    }
}
