/// One word of a script line: a number, a name, a derivative, a string or a symbol.
///
///     Lexer.tokens("a = σ(z)  \"The activation\"")
///     // [.name("a"), .symbol("="), .name("σ"), .symbol("("), .name("z"), .symbol(")"), .text("The activation")]
struct Token: Equatable {
    enum Kind: Equatable {
        case number(Double)
        /// A name as the tape labels it: `w1`, `net_{h1}`, `w5+` (written `w5⁺` or `w5+`).
        case name(String)
        /// ∂top/∂bottom (also written dtop/dbottom).
        case derivative(of: String, withRespectTo: String)
        /// A caption or a word of prose, between straight or curly double quotes.
        case text(String)
        /// An operator or punctuation, normalised: `−` is `-`, `·` and `×` are `*`, `≤` is `<=`.
        case symbol(String)
        case end
    }

    let kind: Kind
    let location: SourceLocation

    var symbol: String? { if case .symbol(let s) = kind { s } else { nil } }
    var name: String? { if case .name(let s) = kind { s } else { nil } }

    /// How the token reads in an error message.
    var spelled: String {
        switch kind {
        case .number(let x): "\(x)"
        case .name(let s): "'\(s)'"
        case .derivative(let y, let x): "'∂\(y)/∂\(x)'"
        case .text(let s): "\"\(s)\""
        case .symbol(let s): "'\(s)'"
        case .end: "the end of the line"
        }
    }
}

/// Splits one line of a script into tokens. Never fails silently: a character it cannot read is
/// an error at its column.
enum Lexer {
    /// Symbols and their normal forms; longest first so `<=` wins over `<`.
    private static let symbols: [(String, String)] = [
        ("...", "..."), ("..", "..."), ("…", "..."), ("<=", "<="), (">=", ">="), ("==", "=="), ("!=", "!="),
        ("≤", "<="), ("≥", ">="), ("≠", "!="), ("−", "-"), ("–", "-"), ("·", "*"), ("×", "*"), ("⋅", "*"), ("÷", "/"),
        ("+", "+"), ("-", "-"), ("*", "*"), ("/", "/"), ("^", "^"), ("(", "("), (")", ")"), ("[", "["), ("]", "]"),
        (",", ","), ("=", "="), ("<", "<"), (">", ">"), ("?", "?"), (":", ":"), ("@", "@"), ("|", "|"),
        ("²", "²"), ("³", "³"), ("ᵀ", "ᵀ"), ("√", "√"), ("Σ", "Σ"), ("∑", "Σ"), ("←", "="),
    ]

    static func tokens(_ line: String, line number: Int, startColumn: Int = 1) throws(ScriptError) -> [Token] {
        let characters = Array(line)
        var tokens: [Token] = []
        var i = 0
        func location(_ k: Int) -> SourceLocation { SourceLocation(line: number, column: startColumn + k) }
        while i < characters.count {
            let c = characters[i]
            if c == " " || c == "\t" {
                i += 1
                continue
            }
            if c == "#" { break }  // a comment runs to the end of the line
            let start = i
            if c.isNumber && c.isASCII
                || (c == "." && i + 1 < characters.count && characters[i + 1].isASCII && characters[i + 1].isNumber)
            {
                i = Lexer.number(characters, from: i)
                let text = String(characters[start..<i])
                guard let value = Double(text), value.isFinite else {
                    throw ScriptError(
                        "'\(text)' is not a number this tool can hold", at: location(start),
                        hint: "numbers are written in decimal: 0.25, -3, 1e-5")
                }
                tokens.append(Token(kind: .number(value), location: location(start)))
                continue
            }
            if let fraction = ["½": 0.5, "¼": 0.25, "¾": 0.75][c] {
                tokens.append(Token(kind: .number(fraction), location: location(start)))
                i += 1
                continue
            }
            if c == "\"" || c == "“" {
                let close: Character = c == "“" ? "”" : "\""
                guard let end = characters[(i + 1)...].firstIndex(where: { $0 == close || $0 == "\"" }) else {
                    throw ScriptError(
                        "this caption has no closing quote", at: location(start),
                        hint: "end it with \" on the same line")
                }
                tokens.append(Token(kind: .text(String(characters[(i + 1)..<end])), location: location(start)))
                i = end + 1
                continue
            }
            if c == "∂" || isNameStart(c) {
                let derivative = c == "∂"
                let nameStart = derivative ? i + 1 : i
                guard nameStart < characters.count, isNameStart(characters[nameStart]) else {
                    throw ScriptError("∂ must be followed by a name, as in ∂L/∂w1", at: location(start))
                }
                var (top, after) = name(characters, from: nameStart)
                // ∂top/∂bottom, or dtop/dbottom when a name starting with d is divided by one.
                let marker: Character? = derivative ? "∂" : (top.count > 1 && top.hasPrefix("d") ? "d" : nil)
                if let marker, after + 2 < characters.count, characters[after] == "/", characters[after + 1] == marker,
                    isNameStart(characters[after + 2])
                {
                    let (bottom, end) = name(characters, from: after + 2)
                    if !derivative { top.removeFirst() }
                    tokens.append(Token(kind: .derivative(of: top, withRespectTo: bottom), location: location(start)))
                    i = end
                    continue
                }
                if derivative {
                    throw ScriptError(
                        "∂\(top) must be followed by /∂ and a name, as in ∂\(top)/∂x", at: location(start))
                }
                // w5+ is the name w5⁺ when the + touches the name and no operand follows it.
                if after < characters.count, characters[after] == "+", !operandFollows(characters, from: after + 1) {
                    top += "+"
                    after += 1
                }
                tokens.append(Token(kind: .name(top), location: location(start)))
                i = after
                continue
            }
            guard let (written, normal) = symbols.first(where: { matches(characters, at: i, $0.0) }) else {
                throw ScriptError(
                    "'\(c)' cannot be read here", at: location(start),
                    hint: "operators are + − · × / ^ ² and names are letters, digits and _")
            }
            tokens.append(Token(kind: .symbol(normal), location: location(start)))
            i += written.count
        }
        tokens.append(Token(kind: .end, location: location(characters.count)))
        return tokens
    }

    // ᵀ is a letter to Unicode (a modifier letter), but here it is the transpose: Xᵀ is transpose(X).
    static func isNameStart(_ c: Character) -> Bool { (c.isLetter && c != "Σ" && c != "∑" && c != "ᵀ") || c == "_" }
    private static func isNameCharacter(_ c: Character) -> Bool {
        isNameStart(c) || (c.isNumber && c.isASCII) || "₀₁₂₃₄₅₆₇₈₉'".contains(c)
    }

    /// A name: letters, digits, _, a braced group ({h1}, {k}), and a closing ⁺.
    private static func name(_ characters: [Character], from start: Int) -> (String, Int) {
        var i = start
        var text = ""
        while i < characters.count {
            let c = characters[i]
            if isNameCharacter(c) {
                text.append(c)
                i += 1
                continue
            }
            if c == "{", let close = characters[i...].firstIndex(of: "}"),
                characters[(i + 1)..<close].allSatisfy(isNameCharacter), close > i + 1
            {
                text += String(characters[i...close])
                i = close + 1
                continue
            }
            if c == "⁺" {
                text.append("+")
                i += 1
                break
            }
            break
        }
        return (text, i)
    }

    /// Whether what follows a `+` is an operand, making the `+` an addition. A minus is an
    /// operand's sign only when it touches what follows: in `a+ − y` the minus is a subtraction
    /// and `a+` the name a⁺; in `a+ -y` it is a + (−y).
    private static func operandFollows(_ characters: [Character], from start: Int) -> Bool {
        guard let at = characters[start...].firstIndex(where: { $0 != " " && $0 != "\t" }) else { return false }
        let next = characters[at]
        if next == "-" || next == "−" {
            return at + 1 < characters.count && characters[at + 1] != " " && characters[at + 1] != "\t"
        }
        return isNameStart(next) || next.isNumber || "(∂√[|.½¼¾".contains(next)
    }

    private static func number(_ characters: [Character], from start: Int) -> Int {
        var i = start
        func digits() { while i < characters.count, characters[i].isASCII, characters[i].isNumber { i += 1 } }
        digits()
        // 1...3 is a range, not the number 1. followed by .3
        if i < characters.count, characters[i] == ".", !(i + 1 < characters.count && characters[i + 1] == ".") {
            i += 1
            digits()
        }
        if i < characters.count, characters[i] == "e" || characters[i] == "E" {
            var j = i + 1
            if j < characters.count, characters[j] == "+" || characters[j] == "-" { j += 1 }
            if j < characters.count, characters[j].isASCII, characters[j].isNumber {
                i = j
                digits()
            }
        }
        return i
    }

    private static func matches(_ characters: [Character], at i: Int, _ word: String) -> Bool {
        var k = i
        for c in word {
            guard k < characters.count, characters[k] == c else { return false }
            k += 1
        }
        return true
    }
}
