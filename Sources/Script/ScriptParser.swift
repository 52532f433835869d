import Foundation
import LessonKit
import ReportModel

/// Reads a lesson script: Markdown with front matter, `# title`, `## sections`, paragraphs,
/// `> **Note: …**` boxes and fenced `parameters`, `variants` and `compute` blocks.
/// Every error carries the file, line and column it is about.
///
///     let script = try ScriptParser.parse(text, file: "unit.lesson.md")
public enum ScriptParser {
    public static func parse(_ text: String, file: String) throws(ScriptError) -> Script {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.hasSuffix("\r") ? $0.dropLast() : $0)
        }
        do {
            var reader = Reader(lines: lines, file: file)
            return try reader.read()
        } catch var error {
            error.file = file
            if error.lineText.isEmpty, (1...max(1, lines.count)).contains(error.location.line),
                error.location.line <= lines.count
            {
                error.lineText = lines[error.location.line - 1]
            }
            throw error
        }
    }

    /// The name a script file is run by: `unit.lesson.md` → `unit`.
    public static func defaultName(ofFile path: String) -> String {
        var base = String(path.split(separator: "/").last ?? Substring(path))
        for suffix in [".lesson.md", ".md"] where base.hasSuffix(suffix) {
            base.removeLast(suffix.count)
            break
        }
        return base
    }
}

private struct Reader {
    let lines: [String]
    let file: String
    var index = 0
    var script: Script

    init(lines: [String], file: String) {
        self.lines = lines
        self.file = file
        script = Script(file: file, name: ScriptParser.defaultName(ofFile: file), title: "", heading: "")
    }

    func at(_ line: Int, _ column: Int = 1) -> SourceLocation { SourceLocation(line: line + 1, column: column) }

    mutating func read() throws(ScriptError) -> Script {
        try frontMatter()
        var top: [Cell] = []
        var section: (title: Prose, exercise: Bool?, cells: [Cell], location: SourceLocation)?
        var paragraph: [(String, SourceLocation)] = []
        func flushParagraph(into cells: inout [Cell]) throws(ScriptError) {
            guard !paragraph.isEmpty else { return }
            cells.append(.paragraph(try Reader.prose(paragraph)))
            paragraph = []
        }
        func append(_ cell: Cell) {
            if section != nil { section!.cells.append(cell) } else { top.append(cell) }
        }
        func flush() throws(ScriptError) {
            if section != nil { try flushParagraph(into: &section!.cells) } else { try flushParagraph(into: &top) }
        }
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                try flush()
                index += 1
                continue
            }
            if trimmed.hasPrefix("```") {
                try flush()
                let info = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces).split(separator: " ").map(
                    String.init)
                let opened = index
                index += 1
                var body: [(String, Int)] = []
                while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                    body.append((lines[index], index))
                    index += 1
                }
                guard index < lines.count else {
                    throw ScriptError(
                        "this ``` block is never closed", at: at(opened), hint: "end it with a line holding ``` alone")
                }
                index += 1
                let kind = info.first ?? ""
                switch kind {
                case "parameters": try parameters(body)
                case "variants": try variants(body)
                case "regimes": try regimes(body)
                case "compute":
                    guard info.count <= 2 else {
                        throw ScriptError("a compute block names at most one tape: ```compute linear", at: at(opened))
                    }
                    let tape = info.count == 2 ? info[1] : ""
                    var statements: [Statement] = []
                    for (line, number) in body {
                        if let statement = try StatementParser.parse(line, line: number + 1) {
                            statements.append(statement)
                        }
                    }
                    append(.statements(tape: tape, statements))
                default:
                    throw ScriptError(
                        "unknown block '\(kind)'", at: at(opened, 4),
                        hint: (didYouMean(kind, among: ["parameters", "variants", "regimes", "compute"]).map {
                            $0 + " "
                        } ?? "") + "blocks are ```parameters, ```variants, ```regimes and ```compute")
                }
                continue
            }
            if trimmed.hasPrefix("# ") {
                try flush()
                guard script.heading.isEmpty else {
                    throw ScriptError("a second # title; sections start with ##", at: at(index))
                }
                script.heading = String(trimmed.dropFirst(2)).trimmingCharacters(in: .whitespaces)
                index += 1
                // The paragraph right after the title is the subtitle.
                var subtitle: [String] = []
                while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).isEmpty { index += 1 }
                while index < lines.count, let next = Optional(lines[index].trimmingCharacters(in: .whitespaces)),
                    !next.isEmpty,
                    !next.hasPrefix("#"), !next.hasPrefix("```"), !next.hasPrefix(">")
                {
                    subtitle.append(next)
                    index += 1
                }
                if !subtitle.isEmpty { script.subtitle = subtitle.joined(separator: " ") }
                continue
            }
            if trimmed.hasPrefix("## ") {
                try flush()
                if let s = section {
                    top.append(.section(title: s.title, exercise: s.exercise, cells: s.cells, s.location))
                }
                var title = String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                var exercise: Bool?
                if title.hasSuffix("{exercise}") {
                    exercise = true
                    title = String(title.dropLast(10)).trimmingCharacters(in: .whitespaces)
                } else if title.hasSuffix("{no exercise}") {
                    exercise = false
                    title = String(title.dropLast(13)).trimmingCharacters(in: .whitespaces)
                } else if let brace = title.lastIndex(of: "{"), title.hasSuffix("}"),
                    title[title.index(before: brace)] == " "
                {
                    throw ScriptError(
                        "a section heading may end with {exercise} or {no exercise}, not \(title[brace...])",
                        at: at(index, line.distance(from: line.startIndex, to: line.lastIndex(of: "{")!) + 1))
                }
                let column =
                    line.distance(from: line.startIndex, to: line.range(of: title)?.lowerBound ?? line.startIndex) + 1
                section = (try Reader.prose([(title, at(index, column))]), exercise, [], at(index))
                index += 1
                continue
            }
            if trimmed.hasPrefix("#") {
                throw ScriptError(
                    "headings are # (the title) and ## (a section)", at: at(index),
                    hint: "write '## \(trimmed.drop { $0 == "#" || $0 == " " })'")
            }
            if trimmed.hasPrefix(">") {
                try flush()
                append(try note())
                continue
            }
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            paragraph.append((trimmed, at(index, indent + 1)))
            index += 1
        }
        try flush()
        if let s = section { top.append(.section(title: s.title, exercise: s.exercise, cells: s.cells, s.location)) }
        guard !script.heading.isEmpty else {
            throw ScriptError(
                "the script has no title", at: at(0), hint: "its first heading, '# A title', is the report's title")
        }
        if script.title.isEmpty { script.title = script.heading }
        script.cells = top
        script.lines = lines
        return script
    }

    // MARK: Front matter

    mutating func frontMatter() throws(ScriptError) {
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else { return }
        index = 1
        while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces) != "---" {
            let line = lines[index]
            defer { index += 1 }
            if line.trimmingCharacters(in: .whitespaces).isEmpty
                || line.trimmingCharacters(in: .whitespaces).hasPrefix("#")
            {
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                throw ScriptError(
                    "front matter lines are 'key: value'", at: at(index),
                    hint: "keys are name, title, source and digits")
            }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "name":
                guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }),
                    value.first != "-"
                else {
                    throw ScriptError(
                        "a lesson's name is letters, digits and - (it names files): '\(value)'", at: at(index, 7))
                }
                script.name = value
            case "title": script.title = value
            case "source": script.source = value
            case "digits":
                guard let digits = Int(value), (1...17).contains(digits) else {
                    throw ScriptError("digits is a whole number from 1 to 17, not '\(value)'", at: at(index, 9))
                }
                script.digits = digits
            default:
                throw ScriptError(
                    "unknown front matter key '\(key)'", at: at(index),
                    hint: (didYouMean(key, among: ["name", "title", "source", "digits"]).map { $0 + " " } ?? "")
                        + "keys are name, title, source and digits")
            }
        }
        guard index < lines.count else {
            throw ScriptError("the front matter opened by --- is never closed", at: at(0))
        }
        index += 1
    }

    // MARK: Notes

    /// `> **Note: title**` or `> **Erratum: title**` and the quoted lines after it.
    mutating func note() throws(ScriptError) -> Cell {
        let start = index
        var quoted: [(String, SourceLocation)] = []
        while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).hasPrefix(">") {
            let raw = lines[index]
            let line = raw.trimmingCharacters(in: .whitespaces).dropFirst().trimmingCharacters(in: .whitespaces)
            // The column where the text after "> " starts.
            let lead = raw.distance(from: raw.startIndex, to: raw.firstIndex(of: ">")!) + 1
            let gap = raw.dropFirst(lead).prefix { $0 == " " || $0 == "\t" }.count
            quoted.append((line, at(index, lead + gap + 1)))
            index += 1
        }
        var title = "Note"
        var errata = false
        if let first = quoted.first?.0, first.hasPrefix("**"), let close = first.dropFirst(2).range(of: "**") {
            var heading = String(first[first.index(first.startIndex, offsetBy: 2)..<close.lowerBound])
            for (word, isErrata) in [("Note:", false), ("Erratum:", true), ("Errata:", true)]
            where heading.hasPrefix(word) {
                heading = heading.dropFirst(word.count).trimmingCharacters(in: .whitespaces)
                errata = isErrata
            }
            title = heading.isEmpty ? (errata ? "Erratum" : "Note") : heading
            let rest = String(first[close.upperBound...])
            let shift = first.distance(from: first.startIndex, to: close.upperBound) + rest.prefix { $0 == " " }.count
            quoted[0] = (
                rest.trimmingCharacters(in: .whitespaces),
                SourceLocation(line: quoted[0].1.line, column: quoted[0].1.column + shift)
            )
        }
        var paragraphs: [Prose] = []
        var current: [(String, SourceLocation)] = []
        for (line, location) in quoted {
            if line.isEmpty {
                if !current.isEmpty {
                    paragraphs.append(try Reader.prose(current))
                    current = []
                }
            } else {
                current.append((line, location))
            }
        }
        if !current.isEmpty { paragraphs.append(try Reader.prose(current)) }
        return .note(title: title, errata: errata, paragraphs, at(start))
    }

    // MARK: Prose

    /// Splits text at `{…}` (a `{` after _ or ^ is typesetting: net_{h1}, w^{T}).
    static func prose(_ lines: [(String, SourceLocation)]) throws(ScriptError) -> Prose {
        var pieces: [Prose.Piece] = []
        var literal = ""
        // The lines joined by spaces, each character remembering where it was written.
        var characters: [Character] = []
        var places: [SourceLocation] = []
        for (k, (text, start)) in lines.enumerated() {
            if k > 0 {
                characters.append(" ")
                places.append(places.last!)
            }
            for (offset, c) in text.enumerated() {
                characters.append(c)
                places.append(SourceLocation(line: start.line, column: start.column + offset))
            }
        }
        let location = lines[0].1
        var i = 0
        while i < characters.count {
            let c = characters[i]
            let markup = i > 0 && (characters[i - 1] == "_" || characters[i - 1] == "^")
            guard c == "{", !markup else {
                literal.append(c)
                i += 1
                continue
            }
            var depth = 0
            var j = i
            while j < characters.count {
                if characters[j] == "{" { depth += 1 }
                if characters[j] == "}" {
                    depth -= 1
                    if depth == 0 { break }
                }
                j += 1
            }
            guard j < characters.count else {
                throw ScriptError(
                    "this { has no closing }", at: places[i],
                    hint: "braces in text hold a value, as in {L}; to typeset a subscript write net_{h1}")
            }
            if !literal.isEmpty {
                pieces.append(.text(literal))
                literal = ""
            }
            let inner = String(characters[(i + 1)..<j])
            // A value is written on one line: its columns are that line's.
            let open = places[i]
            guard places[j].line == open.line else {
                throw ScriptError("a value in braces is written on one line", at: open)
            }
            let tokens = try Lexer.tokens(inner, line: open.line, startColumn: open.column + 1)
            pieces.append(.value(try ExpressionParser.parse(tokens)))
            i = j + 1
        }
        if !literal.isEmpty { pieces.append(.text(literal)) }
        return Prose(pieces: pieces, location: location)
    }
}

extension Reader {
    // MARK: Parameters

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
                        "'\(first)' is not a number; a choice parameter lists its options: \(name) = \(first) one of \(first), other \"meaning\"",
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
                        "digits sets the significant digits printed: an integer within 1...17, as in digits = 6 integer 3...15 \"…\"",
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

    private func signedNumber(_ p: inout ExpressionParser) throws(ScriptError) -> Double {
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

    private func range(_ p: inout ExpressionParser) throws(ScriptError) -> (Double, Double) {
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

    private func numbers(_ p: inout ExpressionParser) throws(ScriptError) -> [Double] {
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

    private func meaning(_ p: inout ExpressionParser, _ name: String) throws(ScriptError) -> String {
        guard case .text(let meaning) = p.current.kind else {
            throw ScriptError(
                "parameter \(name) needs its meaning in quotes", at: p.current.location,
                hint: "what a teacher reads in `lessons params`: \"learning rate\"")
        }
        p.advance()
        return meaning
    }
}
