/// Reads a formula from tokens by precedence climbing: or < and < not < comparison < + − <
/// · / @ < unary minus < ^ < ² ³ ᵀ < atoms.
struct ExpressionParser {
    private var tokens: [Token]
    private(set) var position = 0

    init(_ tokens: [Token], from position: Int = 0) {
        self.tokens = tokens
        self.position = position
    }

    var current: Token { tokens[position] }
    mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    func isSymbol(_ s: String) -> Bool { current.symbol == s }
    func isWord(_ s: String) -> Bool { current.name == s }

    mutating func expect(_ s: String, _ why: String) throws(ScriptError) {
        guard isSymbol(s) else {
            throw ScriptError("expected '\(s)' \(why), found \(current.spelled)", at: current.location)
        }
        advance()
    }

    /// A word of the grammar (`for`, `in`, `on`, `steps`), or an error showing the form it belongs to.
    mutating func expectWord(_ word: String, _ form: String) throws(ScriptError) {
        guard isWord(word) else {
            throw ScriptError("expected '\(word)', found \(current.spelled)", at: current.location, hint: form)
        }
        advance()
    }

    /// The whole token list as one formula.
    static func parse(_ tokens: [Token]) throws(ScriptError) -> Expr {
        var parser = ExpressionParser(tokens)
        let e = try parser.expression()
        guard case .end = parser.current.kind else {
            throw ScriptError(
                "unexpected \(parser.current.spelled) after the formula", at: parser.current.location,
                hint: "a formula ends with an optional \"caption\"; an operator between the two parts may be missing")
        }
        return e
    }

    mutating func expression() throws(ScriptError) -> Expr {
        let condition = try disjunction()
        guard isSymbol("?") else { return condition }
        let at = current.location
        advance()
        let yes = try disjunction()
        try expect(":", "between the two branches of ? :")
        let no = try disjunction()
        return .choose(condition, yes, no, at)
    }

    private mutating func disjunction() throws(ScriptError) -> Expr {
        var e = try conjunction()
        while isWord("or") {
            let at = current.location
            advance()
            e = .binary("or", e, try conjunction(), at)
        }
        return e
    }

    private mutating func conjunction() throws(ScriptError) -> Expr {
        var e = try negation()
        while isWord("and") {
            let at = current.location
            advance()
            e = .binary("and", e, try negation(), at)
        }
        return e
    }

    private mutating func negation() throws(ScriptError) -> Expr {
        if isWord("not") {
            let at = current.location
            advance()
            return .not(try negation(), at)
        }
        return try comparison()
    }

    private static let comparisons: Set<String> = ["<", "<=", ">", ">=", "==", "!="]

    /// a < b <= c means a < b and b <= c.
    private mutating func comparison() throws(ScriptError) -> Expr {
        let first = try additive()
        var left = first
        var result: Expr?
        while let op = current.symbol, Self.comparisons.contains(op) {
            let at = current.location
            advance()
            let right = try additive()
            let test = Expr.binary(op, left, right, at)
            result = result.map { .binary("and", $0, test, at) } ?? test
            left = right
        }
        return result ?? first
    }

    private mutating func additive() throws(ScriptError) -> Expr {
        var e = try multiplicative()
        while let op = current.symbol, op == "+" || op == "-" {
            let at = current.location
            advance()
            e = .binary(op, e, try multiplicative(), at)
        }
        return e
    }

    private mutating func multiplicative() throws(ScriptError) -> Expr {
        var e = try unary()
        while let op = current.symbol, op == "*" || op == "/" || op == "@" {
            let at = current.location
            advance()
            e = .binary(op, e, try unary(), at)
        }
        return e
    }

    private mutating func unary() throws(ScriptError) -> Expr {
        if isSymbol("-") {
            let at = current.location
            advance()
            return .negate(try unary(), at)
        }
        if isSymbol("+") {
            advance()
            return try unary()
        }
        return try power()
    }

    /// x^y is right-associative and binds tighter than a sign: −x² is −(x²).
    private mutating func power() throws(ScriptError) -> Expr {
        let base = try postfix()
        guard isSymbol("^") else { return base }
        let at = current.location
        advance()
        return .binary("^", base, try unary(), at)
    }

    private mutating func postfix() throws(ScriptError) -> Expr {
        var e = try atom()
        while let op = current.symbol, ["²", "³", "ᵀ", "["].contains(op) {
            let at = current.location
            advance()
            if op == "[" {
                // x[1...12]: the entries of a vector from the first to the last named, counted from 1.
                let from = try additive()
                try expect("...", "between the first and last entry: x[1...12]")
                let to = try additive()
                try expect("]", "to close x[…]")
                e = .call("entries", [e, from, to], at)
                continue
            }
            e = op == "ᵀ" ? .call("transpose", [e], at) : .binary("^", e, .number(op == "²" ? 2 : 3, at), at)
        }
        return e
    }

    private mutating func atom() throws(ScriptError) -> Expr {
        let token = current
        switch token.kind {
        case .number(let x):
            advance()
            return .number(x, token.location)
        case .text(let s):
            advance()
            return .text(s, token.location)
        case .derivative(let y, let x):
            advance()
            return .derivative(of: y, withRespectTo: x, token.location)
        case .name(let name):
            advance()
            guard isSymbol("(") else { return .name(name, token.location) }
            if name == "sum" || name == "Σ", let indexed = try indexedSum(at: token.location) { return indexed }
            if name == "argmin" || name == "argmax" {
                guard let indexed = try indexedSum(at: token.location),
                    case .sum(let index, let from, let to, let body, let at) = indexed
                else {
                    throw ScriptError(
                        "\(name) takes an index and a formula: \(name)(d = 0...6, E_dev{d})", at: token.location)
                }
                return .chosen(index: index, from: from, to: to, body: body, largest: name == "argmax", at)
            }
            return try call(name, at: token.location)
        case .symbol("Σ"):
            advance()
            guard isSymbol("("), let indexed = try indexedSum(at: token.location) else {
                throw ScriptError("Σ takes an index and a formula: Σ(k = 1...3, w{k}·x{k})", at: token.location)
            }
            return indexed
        case .symbol("("):
            advance()
            let e = try expression()
            try expect(")", "to close the '(' at column \(token.location.column)")
            return e
        case .symbol("√"):
            advance()
            return .call("sqrt", [try postfix()], token.location)
        case .symbol("|"):
            advance()
            let e = try additive()
            try expect("|", "to close |…|")
            return .call("abs", [e], token.location)
        case .symbol("["):
            return try array()
        case .end:
            throw ScriptError(
                "the formula ends too soon", at: token.location, hint: "something is missing after the last operator")
        default:
            throw ScriptError("expected a number, a name or '(', found \(token.spelled)", at: token.location)
        }
    }

    private mutating func call(_ name: String, at location: SourceLocation) throws(ScriptError) -> Expr {
        guard let arity = scriptFunctions[name] else {
            throw ScriptError(
                "unknown function '\(name)'", at: location,
                hint: didYouMean(name, among: Array(scriptFunctions.keys)) ?? "the functions are "
                    + scriptFunctions.keys.sorted().joined(separator: ", "))
        }
        try expect("(", "after \(name)")
        var arguments: [Expr] = []
        if !isSymbol(")") {
            arguments.append(try expression())
            while isSymbol(",") {
                advance()
                arguments.append(try expression())
            }
        }
        try expect(")", "to close \(name)(")
        if let arity, arguments.count != arity {
            throw ScriptError(
                "\(name) takes \(arity) argument\(arity == 1 ? "" : "s"), not \(arguments.count)", at: location)
        }
        return .call(canonicalFunction(name), arguments, location)
    }

    /// sum(k = 1...3, body) or sum(k in 1...3: body); nil (nothing read) for sum(vector).
    private mutating func indexedSum(at location: SourceLocation) throws(ScriptError) -> Expr? {
        guard position + 2 < tokens.count, let index = tokens[position + 1].name,
            tokens[position + 2].symbol == "=" || tokens[position + 2].name == "in"
        else { return nil }
        advance()
        advance()
        advance()
        let from = try additive()
        try expect("...", "between the index's first and last value, as in k = 1...3")
        let to = try additive()
        guard isSymbol(",") || isSymbol(":") else {
            throw ScriptError(
                "expected ',' and the formula to sum after the range, found \(current.spelled)", at: current.location)
        }
        advance()
        let body = try expression()
        try expect(")", "to close the sum")
        return .sum(index: index, from: from, to: to, body: body, location)
    }

    /// [1, 2, 3] or [[1, 2], [3, 4]].
    private mutating func array() throws(ScriptError) -> Expr {
        let at = current.location
        advance()
        if isSymbol("[") {
            var rows: [[Expr]] = []
            repeat {
                if isSymbol(",") { advance() }
                guard isSymbol("[") else {
                    throw ScriptError("a matrix is a list of rows, each in [ ]", at: current.location)
                }
                advance()
                rows.append(try list())
                try expect("]", "to close the row")
            } while isSymbol(",")
            try expect("]", "to close the matrix")
            guard let width = rows.first?.count, rows.allSatisfy({ $0.count == width }) else {
                throw ScriptError(
                    """
                    the rows of this matrix have different lengths \
                    (\(rows.map { String($0.count) }.joined(separator: ", ")))
                    """,
                    at: at)
            }
            return .array(rows, isMatrix: true, at)
        }
        let row = try list()
        try expect("]", "to close the vector")
        return .array([row], isMatrix: false, at)
    }

    private mutating func list() throws(ScriptError) -> [Expr] {
        var items = [try additive()]
        while isSymbol(",") {
            advance()
            items.append(try additive())
        }
        return items
    }
}
