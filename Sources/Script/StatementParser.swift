import ReportModel

/// Reads one line of a ```compute block into a statement.
///
///     z = w1·x1 + w2·x2 + b   "The weighted sum"
///     ∂L/∂z = ∂L/∂a · ∂a/∂z simplified
///     graph L backward highlight L, a, z, w1   "The chain for w1"
enum StatementParser {
    static let commands = ["let", "graph", "network", "plot", "heatmap", "table", "parameters", "train"]

    /// nil for a blank or comment line.
    static func parse(_ line: String, line number: Int) throws(ScriptError) -> Statement? {
        let tokens = try Lexer.tokens(line, line: number)
        if case .end = tokens[0].kind { return nil }
        var p = ExpressionParser(tokens)
        let start = tokens[0].location
        var statement: Statement
        switch tokens[0].kind {
        case .derivative(let y, let x):
            p.advance()
            var form = Statement.DerivativeForm.direct
            if p.isSymbol("=") {
                p.advance()
                form = try derivativeForm(&p, y: y, x: x)
            }
            statement = Statement(kind: .derivative(of: y, withRespectTo: x, form: form), location: start)
        case .name("let") where tokens.count > 2 && tokens[2].symbol == "=":
            p.advance()
            statement = try assignment(&p, shown: false)
        case .name("graph"):
            p.advance()
            let output = try name(&p, "graph names the node to draw the graph of: graph L")
            var backward = false
            var highlighted: [String] = []
            if p.isWord("backward") {
                backward = true
                p.advance()
            } else if p.isWord("forward") {
                p.advance()
            }
            if p.isWord("highlight") {
                p.advance()
                highlighted = try names(&p)
            }
            statement = Statement(
                kind: .graph(of: output, backward: backward, highlighting: highlighted), location: start)
        case .name("network") where tokens.count > 1 && tokens[1].symbol != "=":
            p.advance()
            statement = Statement(
                kind: .network(of: try name(&p, "network names the output of the network: network E_total")),
                location: start)
        case .name("plot") where tokens.count > 1 && tokens[1].symbol != "=":
            p.advance()
            // plot f "name", g "name" for x in a...b: one figure, a legend entry per curve.
            var curves: [(curve: Expr, name: String?)] = []
            repeat {
                if !curves.isEmpty { p.advance() }
                let curve = try p.expression()
                var name: String?
                if case .text(let s) = p.current.kind {
                    name = s
                    p.advance()
                }
                curves.append((curve, name))
            } while p.isSymbol(",")
            try p.expectWord(
                "for",
                """
                plot needs its variable and range: plot σ(x) for x in \
                -6...6 (several curves: plot σ(x), tanh(x) for x in -6...6)
                """
            )
            let variable = try name(&p, "the variable to plot over: plot σ(x) for x in -6...6")
            try p.expectWord("in", "a range follows the variable: for x in -6...6")
            let from = try p.expression()
            try p.expect("...", "between the two ends of the range: for x in -6...6")
            let to = try p.expression()
            statement = Statement(kind: .plot(curves, variable: variable, from: from, to: to), location: start)
            let usage =
                """
                points x_dev, y_dev \"Dev\" (one group per fold: points \
                fold(x, j, k), fold(y, j, k) \"fold {j}\" for j in 1...k)
                """
            while p.isWord("points") {
                p.advance()
                let x = try p.expression()
                try p.expect(",", "the points' x and y values: \(usage)")
                let y = try p.expression()
                var name: String?
                if case .text(let s) = p.current.kind {
                    name = s
                    p.advance()
                }
                var repeats: (String, Expr, Expr)?
                if p.isWord("for") {
                    p.advance()
                    let index = try self.name(&p, "the index the groups run over: \(usage)")
                    try p.expectWord("in", "a range follows the index: \(usage)")
                    let low = try p.expression()
                    try p.expect("...", "between the index's first and last value: \(usage)")
                    repeats = (index, low, try p.expression())
                }
                statement.points.append((x, y, name, repeats))
            }
        case .name("heatmap") where tokens.count > 1 && tokens[1].symbol != "=":
            p.advance()
            // heatmap f "name" for x in a...b, y in c...d: one cell per grid point.
            let surface = try p.expression()
            var legend: String?
            if case .text(let s) = p.current.kind {
                legend = s
                p.advance()
            }
            let usage = "heatmap f for x in -3...3, y in -3...3"
            try p.expectWord("for", "a heatmap needs its two variables and ranges: \(usage)")
            var axes: [(String, Expr, Expr)] = []
            repeat {
                if !axes.isEmpty { p.advance() }
                let variable = try name(&p, "a variable of the heatmap: \(usage)")
                try p.expectWord("in", "a range follows the variable: \(usage)")
                let from = try p.expression()
                try p.expect("...", "between the two ends of the range: \(usage)")
                axes.append((variable, from, try p.expression()))
            } while p.isSymbol(",") && axes.count < 2
            guard axes.count == 2 else {
                throw ScriptError("a heatmap runs over two variables: \(usage)", at: p.current.location)
            }
            statement = Statement(
                kind: .heatmap(
                    surface, name: legend, x: axes[0].0, xRange: (axes[0].1, axes[0].2),
                    y: axes[1].0, yRange: (axes[1].1, axes[1].2)), location: start)
        case .name("table") where tokens.count > 1 && tokens[1].symbol != "=":
            p.advance()
            statement = Statement(kind: .table(try names(&p)), location: start)
        case .name("parameters") where tokens.count > 1 && tokens[1].symbol != "=":
            p.advance()
            statement = Statement(kind: .parameterTable, location: start)
        case .name("train") where tokens.count > 1 && tokens[1].symbol != "=":
            p.advance()
            let form = "train w1, w2 on L for 100 steps rate alpha (a game: train w on L_D then a on L_G for …)"
            var groups: [Training] = []
            repeat {
                if !groups.isEmpty { p.advance() }
                let trained = try names(&p)
                try p.expectWord("on", form)
                groups.append(Training(parameters: trained, loss: try name(&p, "the loss to train on")))
            } while p.isWord("then")
            try p.expectWord("for", form)
            let steps = try p.expression()
            try p.expectWord("steps", form)
            try p.expectWord("rate", form)
            let rate = try p.expression()
            statement = Statement(kind: .train(groups: groups, steps: steps, rate: rate), location: start)
        case .name:
            statement = try assignment(&p, shown: true)
        default:
            throw ScriptError(
                """
                a line of a compute block starts with a name (z = …), a \
                derivative (∂L/∂w1) or one of \(commands.joined(separator: ", "))
                """,
                at: start)
        }
        try options(&p, into: &statement)
        return statement
    }

    private static func assignment(_ p: inout ExpressionParser, shown: Bool) throws(ScriptError) -> Statement {
        let start = p.current.location
        guard case .name(let label) = p.current.kind else { throw ScriptError("expected a name to set", at: start) }
        p.advance()
        guard p.isSymbol("=") else {
            throw ScriptError(
                "expected '=' after \(label), found \(p.current.spelled)", at: p.current.location,
                hint: StatementParser.commands.contains(where: { Spelling.distance($0, label) <= 2 && $0 != label })
                    ? didYouMean(label, among: StatementParser.commands) : "a step is written name = formula")
        }
        p.advance()
        if case .end = p.current.kind {
            throw ScriptError("\(label) = what? The formula is missing", at: p.current.location)
        }
        let formula = try p.expression()
        return Statement(kind: .assignment(label: label, formula, shown: shown), location: start)
    }

    /// ∂y/∂a · ∂a/∂x [simplified], or ∂p1/∂x + ∂p2/∂x.
    private static func derivativeForm(_ p: inout ExpressionParser, y: String, x: String) throws(ScriptError)
        -> Statement.DerivativeForm
    {
        var factors: [(String, String, SourceLocation)] = []
        var separator: String?
        repeat {
            if let s = separator {
                guard p.isSymbol(s) else { break }
                p.advance()
            }
            guard case .derivative(let top, let bottom) = p.current.kind else {
                throw ScriptError(
                    "the chain rule is written with derivatives: ∂\(y)/∂\(x) = ∂\(y)/∂a · ∂a/∂\(x)",
                    at: p.current.location)
            }
            factors.append((top, bottom, p.current.location))
            p.advance()
            if separator == nil, let s = p.current.symbol, s == "*" || s == "+" { separator = s }
        } while separator != nil && p.isSymbol(separator!)
        if separator == "+" {
            for (_, bottom, location) in factors where bottom != x {
                throw ScriptError(
                    "each term of the sum is a derivative with respect to \(x), not \(bottom)", at: location)
            }
            return .sum(factors.map(\.0))
        }
        guard factors.first?.0 == y, factors.last?.1 == x else {
            throw ScriptError(
                "a chain for ∂\(y)/∂\(x) starts with ∂\(y)/∂… and ends with ∂…/∂\(x)", at: factors.first!.2)
        }
        for (a, b) in zip(factors, factors.dropFirst()) where a.1 != b.0 {
            throw ScriptError(
                """
                the chain breaks here: ∂\(a.0)/∂\(a.1) is followed by ∂\(b.0)/∂\(b.1), which should start with ∂\(a.1)
                """,
                at: b.2)
        }
        var simplified = false
        if p.isWord("simplified") {
            simplified = true
            p.advance()
        }
        return .chain([y] + factors.map(\.1), simplified: simplified)
    }

    /// "caption", `as symbol`, `marks 2`, in any order.
    private static func options(_ p: inout ExpressionParser, into statement: inout Statement) throws(ScriptError) {
        while true {
            switch p.current.kind {
            case .end: return
            case .text(let caption):
                guard statement.caption == nil else {
                    throw ScriptError("a line has one caption", at: p.current.location)
                }
                statement.caption = caption
                p.advance()
            case .name("as"):
                p.advance()
                switch p.current.kind {
                case .name(let symbol): statement.symbol = Symbol(written: symbol, isName: true)
                case .text(let symbol): statement.symbol = Symbol(written: symbol, isName: false)
                default:
                    throw ScriptError(
                        "as is followed by the symbol to print, as in 'as ŷ' or 'as \"E_{total}^{+}\"'",
                        at: p.current.location)
                }
                p.advance()
            case .name("for") where statement.repeats.isEmpty:
                switch statement.kind {
                case .assignment, .table: break
                default:
                    throw ScriptError(
                        "only a line that sets a name, or a table, repeats over an index", at: p.current.location)
                }
                let usage = "theta{d} = fit(x, y, d)   for d in 0...6 (or: for i in 1...3, d in 0...6)"
                repeat {
                    p.advance()
                    let index = try name(&p, "the index to repeat over: \(usage)")
                    try p.expectWord("in", "a range follows the index: \(usage)")
                    let from = try p.expression()
                    try p.expect("...", "between the index's first and last value: \(usage)")
                    statement.repeats.append((index, from, try p.expression()))
                } while p.isSymbol(",")
                if case .assignment(let label, _, _) = statement.kind,
                    let missing = statement.repeats.first(where: { !label.contains("{\($0.index)}") })
                {
                    throw ScriptError(
                        "\(label) is set once for each \(missing.index), so its name needs {\(missing.index)}",
                        at: statement.location,
                        hint: "call it \(label){\(missing.index)}: \(usage)")
                }
            case .name("marks"):
                p.advance()
                guard case .number(let marks) = p.current.kind, marks > 0, marks <= 1000 else {
                    throw ScriptError("marks is followed by a positive number: marks 2", at: p.current.location)
                }
                statement.marks = marks
                p.advance()
            default:
                throw ScriptError(
                    "unexpected \(p.current.spelled) after the line's formula", at: p.current.location,
                    hint:
                        """
                        a line ends with an optional \"caption\", 'as symbol' \
                        and 'marks N'; an operator may be missing before it
                        """
                )
            }
        }
    }

    private static func name(_ p: inout ExpressionParser, _ hint: String) throws(ScriptError) -> String {
        guard case .name(let n) = p.current.kind else {
            throw ScriptError("expected a name, found \(p.current.spelled)", at: p.current.location, hint: hint)
        }
        p.advance()
        return n
    }

    private static func names(_ p: inout ExpressionParser) throws(ScriptError) -> [String] {
        var names = [try name(&p, "a list of names: a, b, c")]
        while p.isSymbol(",") {
            p.advance()
            names.append(try name(&p, "a list of names: a, b, c"))
        }
        return names
    }
}
