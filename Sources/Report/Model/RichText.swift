/// Styled text: runs of plain characters, each italic, bold, monospaced, lowered or raised.
/// A string literal is read with a small inline syntax: `*italic*`, `**bold**`, `` `mono` ``,
/// `x_{sub}` or `w_5` for subscripts, `x^{sup}` or `x^2` for superscripts, `\` to escape.
/// The letters right before `_` or `^` are a math symbol and are set in italics.
///
///     let text: RichText = "The total error E_{total} is *small*"
///     RichText.plain("001_1d03.txt").plainText   // no syntax read: "001_1d03.txt"
public struct RichText: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public struct Style: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let italic = Style(rawValue: 1)
        public static let bold = Style(rawValue: 2)
        public static let mono = Style(rawValue: 4)
        public static let lowered = Style(rawValue: 8)
        public static let raised = Style(rawValue: 16)
    }

    public struct Run: Sendable, Equatable {
        public var text: String
        public var style: Style
        public init(_ text: String, _ style: Style = []) {
            self.text = text
            self.style = style
        }
    }

    public private(set) var runs: [Run]

    public init(runs: [Run] = []) {
        self.runs = []
        for run in runs { append(run) }
    }

    /// Reads the inline syntax described above.
    public init(_ source: String) {
        self.init()
        var parser = InlineParser(characters: Array(source))
        parser.parse(into: &self, style: [], until: nil)
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// Text taken as is, with no inline syntax read (file names, user input).
    public static func plain(_ text: String, _ style: Style = []) -> RichText { RichText(runs: [Run(text, style)]) }

    /// The characters without styling, as a PDF text extractor would see them.
    public var plainText: String { runs.map(\.text).joined() }

    /// The text on one line as a terminal or a plain file shows math: subscripts as `_h1` or
    /// `_{o1}`, superscripts as `^2` or `^{−x}`.
    public var linearText: String {
        runs.map { run in
            let mark = run.style.contains(.lowered) ? "_" : run.style.contains(.raised) ? "^" : ""
            guard !mark.isEmpty else { return run.text }
            return mark + (run.text.count == 1 ? run.text : "{\(run.text)}")
        }.joined()
    }

    public var isEmpty: Bool { runs.isEmpty }

    /// Adds a run, merging it into the last one when the styles agree.
    public mutating func append(_ run: Run) {
        guard !run.text.isEmpty else { return }
        if let last = runs.last, last.style == run.style { runs[runs.count - 1].text += run.text } else { runs.append(run) }
    }

    public mutating func append(_ text: RichText) { for run in text.runs { append(run) } }

    /// The same text with `style` added to every run.
    public func adding(_ style: Style) -> RichText { RichText(runs: runs.map { Run($0.text, $0.style.union(style)) }) }

    public static func + (a: RichText, b: RichText) -> RichText {
        var sum = a
        sum.append(b)
        return sum
    }

    public static func += (a: inout RichText, b: RichText) { a.append(b) }
}

/// Reads RichText's inline syntax, one character at a time.
private struct InlineParser {
    let characters: [Character]
    var index = 0

    mutating func parse(into text: inout RichText, style: RichText.Style, until closing: Character?) {
        var pending = ""
        func flush() { text.append(.init(pending, style)); pending = "" }
        while index < characters.count {
            let c = characters[index]
            index += 1
            if c == closing { break }
            switch c {
            case "\\" where index < characters.count:
                pending.append(characters[index])
                index += 1
            case "*":
                flush()
                let bold = index < characters.count && characters[index] == "*"
                if bold { index += 1 }
                parseDelimited(into: &text, style: style.union(bold ? .bold : .italic), closing: bold ? "**" : "*")
            case "`":
                flush()
                parseDelimited(into: &text, style: style.union(.mono), closing: "`")
            case "_", "^":
                guard index < characters.count, characters[index] == "{" || characters[index].isLetter || characters[index].isNumber
                else { pending.append(c); continue }
                // The word carrying the index is a math symbol: w_5, net_{h1}, e^{−x} set in italics.
                let symbol = pending.reversed().prefix { $0.isLetter && $0.isASCII }
                pending.removeLast(symbol.count)
                flush()
                text.append(.init(String(symbol.reversed()), style.union(.italic)))
                let shifted = style.union(c == "_" ? .lowered : .raised)
                if characters[index] == "{" {
                    index += 1
                    parse(into: &text, style: shifted, until: "}")
                } else {
                    var word = ""
                    while index < characters.count, characters[index].isLetter || characters[index].isNumber {
                        word.append(characters[index]); index += 1
                    }
                    text.append(.init(word, shifted))
                }
            default:
                pending.append(c)
            }
        }
        flush()
    }

    /// Parses up to `closing` (one or two characters), with the given style.
    mutating func parseDelimited(into text: inout RichText, style: RichText.Style, closing: String) {
        let close = Array(closing)
        var end = index
        while end < characters.count, Array(characters[end..<min(end + close.count, characters.count)]) != close { end += 1 }
        var inner = InlineParser(characters: Array(characters[index..<end]))
        inner.parse(into: &text, style: style, until: nil)
        index = min(end + close.count, characters.count)
    }
}

extension RichText {
    /// Literal pieces are read with the inline syntax; interpolated rich text (a number from
    /// the notation, a name) goes in as it is. A `Double` cannot be interpolated: numbers on a
    /// page go through the lesson's `Notation`, so they share one format.
    public struct StringInterpolation: StringInterpolationProtocol {
        var text = RichText()
        public init(literalCapacity: Int, interpolationCount: Int) {}
        public mutating func appendLiteral(_ literal: String) { text += RichText(literal) }
        public mutating func appendInterpolation(_ rich: RichText) { text += rich }
        public mutating func appendInterpolation(_ plain: String) { text += .plain(plain) }
        public mutating func appendInterpolation(_ integer: Int) { text += .plain(String(integer)) }
    }

    public init(stringInterpolation: StringInterpolation) { self = stringInterpolation.text }
}
