import Foundation
import LessonKit
import ReportModel

/// A script's parameter lines (`name = default in low...high "meaning"`, integers, choices,
/// vectors) and its `require` rules.
extension Reader {
    /// `name = default in low...high "meaning" [as symbol]`, `name = 3 integer 1...9 "…"`,
    /// `name = a one of a, b "…"`, `name = [1, 2] length 2...9 in -9...9 "…"`, `require cond "message"`.
    mutating func parameters(_ body: [(String, Int)]) throws(ScriptError) {
        for (line, number) in body {
            let tokens = try Lexer.tokens(line, line: number + 1)
            guard case .name(let name) = tokens[0].kind else {
                if case .end = tokens[0].kind { continue }
                throw ScriptError(
                    "a parameter line starts with its name", at: tokens[0].location,
                    hint: "x1 = 0.5 in -10...10 \"first feature\"")
            }
            var p = ExpressionParser(tokens, from: 1)
            if name == "require" {
                let condition = try p.expression()
                guard case .text(let message) = p.current.kind else {
                    throw ScriptError("require needs a message in quotes after its condition", at: p.current.location)
                }
                script.rules.append(.init(condition: condition, message: message, location: tokens[0].location))
                continue
            }
            guard !script.parameters.contains(where: { $0.parameter.name == name }) else {
                throw ScriptError("parameter '\(name)' is declared twice", at: tokens[0].location)
            }
            try p.expect("=", "after the parameter's name, then its default")
            let location = tokens[0].location
            let parameter: Parameter
            if p.isSymbol("[") {
                let defaults = try numbers(&p)
                try p.expectWord(
                    "length", "a vector parameter: z = [2, 1, 0.1] length 2...64 in -100...100 \"the logits\"")
                let (shortest, longest) = try range(&p)
                try p.expectWord("in", "then the range of its entries")
                let (low, high) = try range(&p)
                guard shortest == shortest.rounded(), longest == longest.rounded(), shortest >= 1, shortest <= longest,
                    longest <= 4096
                else {
                    throw ScriptError(
                        "a vector's length is whole numbers from 1 to 4096, the shorter first", at: location)
                }
                guard (Int(shortest)...Int(longest)).contains(defaults.count),
                    defaults.allSatisfy({ (low...high).contains($0) })
                else {
                    throw ScriptError("the default of \(name) is outside its own length or range", at: location)
                }
                parameter = .vector(
                    name, defaults, length: Int(shortest)...Int(longest), in: low...high, try meaning(&p, name))
            } else if case .name(let first) = p.current.kind, !p.isWord("in") {
                // A choice: the options are read from the raw line, so output-first stays one word.
                guard let of = line.range(of: " one of ") else {
                    throw ScriptError(
                        """
                        '\(first)' is not a number; a choice parameter lists its \
                        options: \(name) = \(first) one of \(first), other \"meaning\"
                        """,
                        at: p.current.location)
                }
                let rest = line[of.upperBound...]
                let quote = rest.firstIndex { $0 == "\"" || $0 == "“" } ?? rest.endIndex
                let options = rest[..<quote].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                let chosen = line[line.index(after: line.firstIndex(of: "=")!)..<of.lowerBound].trimmingCharacters(
                    in: .whitespaces)
                guard options.count >= 2, options.allSatisfy({ !$0.isEmpty && !$0.contains(" ") }) else {
                    throw ScriptError("a choice has at least two options, separated by commas", at: location)
                }
                guard options.contains(chosen) else {
                    throw ScriptError(
                        "the default '\(chosen)' is not one of \(options.joined(separator: ", "))", at: location)
                }
                let captionTokens = try Lexer.tokens(String(rest[quote...]), line: number + 1)
                guard case .text(let meaning) = captionTokens[0].kind else {
                    throw ScriptError(
                        "parameter \(name) needs its meaning in quotes", at: location,
                        hint: "\(name) = \(chosen) one of \(options.joined(separator: ", ")) \"what it chooses\"")
                }
                parameter = .choice(name, chosen, among: options, meaning)
                script.parameters.append(.init(parameter: parameter, symbol: nil, location: location))
                continue
            } else {
                let value = try signedNumber(&p)
                if p.isWord("integer") {
                    p.advance()
                    let (low, high) = try range(&p)
                    guard value == value.rounded(), low == low.rounded(), high == high.rounded(), abs(low) < 1e15,
                        abs(high) < 1e15
                    else {
                        throw ScriptError(
                            "an integer parameter has whole numbers for its default and range", at: location)
                    }
                    guard low <= value, value <= high else {
                        throw ScriptError(
                            "the default \(spoken(value)) of \(name) is outside \(spoken(low))...\(spoken(high))",
                            at: location)
                    }
                    parameter = .integer(name, Int(value), in: Int(low)...Int(high), try meaning(&p, name))
                } else {
                    try p.expectWord("in", "after the default, then its range: \(name) = 0.5 in -10...10 \"meaning\"")
                    let (low, high) = try range(&p)
                    guard low <= value, value <= high else {
                        throw ScriptError(
                            "the default \(spoken(value)) of \(name) is outside \(spoken(low))...\(spoken(high))",
                            at: location)
                    }
                    parameter = .real(name, value, in: low...high, try meaning(&p, name))
                }
            }
            // The precision: a whole number of significant digits a number format can print.
            if name == "digits" {
                guard case .integer(_, let range) = parameter.kind, range.lowerBound >= 1, range.upperBound <= 17 else {
                    throw ScriptError(
                        """
                        digits sets the significant digits printed: an integer \
                        within 1...17, as in digits = 6 integer 3...15 \"…\"
                        """,
                        at: location)
                }
            }
            var symbol: Symbol?
            if p.isWord("as") {
                p.advance()
                switch p.current.kind {
                case .name(let s): symbol = Symbol(written: s, isName: true)
                case .text(let s): symbol = Symbol(written: s, isName: false)
                default:
                    throw ScriptError(
                        "as is followed by the symbol to print, as in 'as α' or 'as \"w_{1}\"'", at: p.current.location)
                }
                p.advance()
            }
            guard case .end = p.current.kind else {
                throw ScriptError(
                    "unexpected \(p.current.spelled) at the end of the declaration", at: p.current.location)
            }
            script.parameters.append(.init(parameter: parameter, symbol: symbol, location: location))
        }
    }

    /// `x2=1,0,1,0 x3=1,0,1,0 "three equal tokens: …"`: settings as `--set` takes them, then
    /// what happens there in quotes. The settings are checked against the parameters when the
    /// lesson is made, so a regime that cannot run is refused with its line.
    mutating func regimes(_ body: [(String, Int)]) throws(ScriptError) {
        for (line, number) in body {
            let text =
                line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let location = SourceLocation(line: number + 1, column: 1)
            guard let open = text.firstIndex(of: "\""),
                let close = text[text.index(after: open)...].firstIndex(of: "\""),
                text[text.index(after: close)...].trimmingCharacters(in: .whitespaces).isEmpty
            else {
                throw ScriptError(
                    "a regime is settings, then what happens there in quotes", at: location,
                    hint: "for example: lr=10 \"a step too large: the error rises\"")
            }
            let settings = text[..<open].split(separator: " ").map(String.init)
            let meaning = String(text[text.index(after: open)..<close])
            guard !settings.isEmpty, settings.allSatisfy({ $0.contains("=") }), !meaning.isEmpty else {
                throw ScriptError(
                    "a regime is settings name=value, then what happens there in quotes", at: location,
                    hint: "for example: lr=10 \"a step too large: the error rises\"")
            }
            script.regimes.append((settings, meaning, location))
        }
    }

    mutating func variants(_ body: [(String, Int)]) throws(ScriptError) {
        for (line, number) in body {
            let tokens = try Lexer.tokens(line, line: number + 1)
            if case .end = tokens[0].kind { continue }
            var p = ExpressionParser(tokens)
            if p.isWord("sound") {
                p.advance()
                try p.expectWord("when", "sound when <condition>")
                script.soundness = try p.expression()
                guard case .end = p.current.kind else {
                    throw ScriptError("unexpected \(p.current.spelled) after the condition", at: p.current.location)
                }
                continue
            }
            var names: [(String, SourceLocation)] = []
            repeat {
                if p.isSymbol(",") { p.advance() }
                guard case .name(let n) = p.current.kind else {
                    throw ScriptError(
                        "a variants line names parameters: x1, x2 in -2...2 step 0.5", at: p.current.location)
                }
                names.append((n, p.current.location))
                p.advance()
            } while p.isSymbol(",")
            try p.expectWord("in", "then the range to draw from: x1 in -2...2 step 0.5")
            let (low, high) = try range(&p)
            try p.expectWord("step", "then the step between drawn values")
            let step = try signedNumber(&p)
            guard step > 0, low <= high else {
                throw ScriptError("a variant's step is positive and its range low...high", at: tokens[0].location)
            }
            for (name, location) in names {
                guard let declared = script.parameters.first(where: { $0.parameter.name == name }) else {
                    throw ScriptError(
                        "'\(name)' is not a parameter", at: location,
                        hint: didYouMean(name, among: script.parameters.map(\.parameter.name))
                            ?? "declare it in the ```parameters block first")
                }
                switch declared.parameter.kind {
                case .real(_, let r) where r.contains(low) && r.contains(high): break
                case .integer(_, let r)
                where Double(r.lowerBound) <= low && high <= Double(r.upperBound) && step == step.rounded(): break
                default:
                    throw ScriptError(
                        "\(name)'s variants must stay within its range \(declared.parameter.allowed)", at: location)
                }
                script.variations.append(Variation(name, low...high, step: step))
            }
        }
    }

    func signedNumber(_ p: inout ExpressionParser) throws(ScriptError) -> Double {
        var sign = 1.0
        if p.isSymbol("-") {
            sign = -1
            p.advance()
        }
        guard case .number(let x) = p.current.kind else {
            throw ScriptError("expected a number, found \(p.current.spelled)", at: p.current.location)
        }
        p.advance()
        return sign * x
    }

    func range(_ p: inout ExpressionParser) throws(ScriptError) -> (Double, Double) {
        let low = try signedNumber(&p)
        guard p.isSymbol("...") else {
            throw ScriptError(
                "expected '...' between the two ends of a range, found \(p.current.spelled)", at: p.current.location)
        }
        p.advance()
        let high = try signedNumber(&p)
        guard low <= high else { throw ScriptError("a range is written low...high", at: p.current.location) }
        return (low, high)
    }

    func numbers(_ p: inout ExpressionParser) throws(ScriptError) -> [Double] {
        p.advance()
        var values = [try signedNumber(&p)]
        while p.isSymbol(",") {
            p.advance()
            values.append(try signedNumber(&p))
        }
        guard p.isSymbol("]") else {
            throw ScriptError("expected ']' to close the vector, found \(p.current.spelled)", at: p.current.location)
        }
        p.advance()
        return values
    }

    func meaning(_ p: inout ExpressionParser, _ name: String) throws(ScriptError) -> String {
        guard case .text(let meaning) = p.current.kind else {
            throw ScriptError(
                "parameter \(name) needs its meaning in quotes", at: p.current.location,
                hint: "what a teacher reads in `lessons params`: \"learning rate\"")
        }
        p.advance()
        return meaning
    }
}
