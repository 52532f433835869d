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
    /// The quantities the text prints, where (see `printing(_:)`). Equality ignores them: two
    /// texts that read alike are alike on every page.
    public internal(set) var quantities: [QuantitySpan] = []

    public static func == (a: RichText, b: RichText) -> Bool { a.runs == b.runs }

    public init(runs: [Run] = []) {
        self.runs = []
        for run in runs { append(run) }
    }

    /// Reads the inline syntax described above.
    public init(_ source: String) { self.init(pieces: source.map(InlineParser.Piece.character)) }

    init(pieces: [InlineParser.Piece]) {
        self.init()
        var parser = InlineParser(pieces: pieces)
        parser.parse(into: &self, style: [], until: nil)
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// Text taken as is, with no inline syntax read (file names, user input).
    public static func plain(_ text: String, _ style: Style = []) -> RichText { RichText(runs: [Run(text, style)]) }

    /// The characters without styling, as a PDF text extractor would see them.
    public var plainText: String { runs.map(\.text).joined() }

    /// The text for a terminal: subscripts and superscripts as Unicode's small letters where it
    /// has them all (out_o1 → outₒ₁, E_total → Eₜₒₜₐₗ, w5⁺), else as _(…) and ^(…).
    public var terminalText: String {
        runs.map { run in
            let lowered = run.style.contains(.lowered)
            guard lowered || run.style.contains(.raised) else { return run.text }
            let table = lowered ? RichText.subscripts : RichText.superscripts
            let mapped = run.text.map { table[$0] }
            if mapped.allSatisfy({ $0 != nil }) { return String(mapped.map { $0! }) }
            return (lowered ? "_" : "^") + (run.text.count == 1 ? run.text : "(\(run.text))")
        }.joined()
    }

    private static let subscripts: [Character: Character] = Dictionary(
        uniqueKeysWithValues: zip(
            "0123456789+−-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
    private static let superscripts: [Character: Character] = Dictionary(
        uniqueKeysWithValues: zip(
            "0123456789+−-=()abcdefghijklmnoprstuvwxyzT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀ"))

    public var isEmpty: Bool { runs.isEmpty }

    /// Adds a run, merging it into the last one when the styles agree.
    public mutating func append(_ run: Run) {
        guard !run.text.isEmpty else { return }
        if let last = runs.last, last.style == run.style {
            runs[runs.count - 1].text += run.text
        } else {
            runs.append(run)
        }
    }

    public mutating func append(_ text: RichText) {
        let offset = text.quantities.isEmpty ? 0 : utf8Count
        for run in text.runs { append(run) }
        for span in text.quantities {
            quantities.append(
                QuantitySpan(
                    utf8: span.utf8.lowerBound + offset..<span.utf8.upperBound + offset,
                    quantity: span.quantity))
        }
    }

    /// The same text with `style` added to every run.
    public func adding(_ style: Style) -> RichText {
        var styled = RichText(runs: runs.map { Run($0.text, $0.style.union(style)) })
        styled.quantities = quantities
        return styled
    }

    public static func + (a: RichText, b: RichText) -> RichText {
        var sum = a
        sum.append(b)
        return sum
    }

    public static func += (a: inout RichText, b: RichText) { a.append(b) }
}

/// Reads RichText's inline syntax, one piece at a time: a character of the source, or a value
/// interpolated into it, which is never read as syntax and takes the style of the group it sits
/// in (the subscript of net_{h\(k)}).
struct InlineParser {
    enum Piece { case character(Character), value(RichText) }
    let pieces: [Piece]
    var index = 0

    /// The character at `position`, nil past the end or at an interpolated value.
    private func character(at position: Int) -> Character? {
        guard position < pieces.count, case .character(let c) = pieces[position] else { return nil }
        return c
    }

    mutating func parse(into text: inout RichText, style: RichText.Style, until closing: Character?) {
        var pending = ""
        func flush() {
            text.append(.init(pending, style))
            pending = ""
        }
        while index < pieces.count {
            guard case .character(let c) = pieces[index] else {
                if case .value(let value) = pieces[index] {
                    flush()
                    text.append(value.adding(style))
                }
                index += 1
                continue
            }
            index += 1
            if c == closing { break }
            switch c {
            case "\\" where index < pieces.count:
                if let escaped = character(at: index) {
                    pending.append(escaped)
                } else {
                    pending.append(c)
                    continue
                }
                index += 1
            case "*":
                flush()
                let bold = character(at: index) == "*"
                if bold { index += 1 }
                parseDelimited(into: &text, style: style.union(bold ? .bold : .italic), closing: bold ? "**" : "*")
            case "`":
                flush()
                parseDelimited(into: &text, style: style.union(.mono), closing: "`")
            case "_", "^":
                guard let next = character(at: index), next == "{" || next.isLetter || next.isNumber
                else {
                    pending.append(c)
                    continue
                }
                // The word carrying the index is a math symbol: w_5, net_{h1}, e^{−x} set in italics.
                let symbol = pending.reversed().prefix { $0.isLetter && $0.isASCII }
                pending.removeLast(symbol.count)
                flush()
                text.append(.init(String(symbol.reversed()), style.union(.italic)))
                let shifted = style.union(c == "_" ? .lowered : .raised)
                if next == "{" {
                    index += 1
                    parse(into: &text, style: shifted, until: "}")
                } else {
                    var word = ""
                    while let letter = character(at: index), letter.isLetter || letter.isNumber {
                        word.append(letter)
                        index += 1
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
        while end < pieces.count, !close.indices.allSatisfy({ character(at: end + $0) == close[$0] }) { end += 1 }
        var inner = InlineParser(pieces: Array(pieces[index..<end]))
        inner.parse(into: &text, style: style, until: nil)
        index = min(end + close.count, pieces.count)
    }
}

extension RichText {
    /// The literal pieces and the interpolated values are read together, so a group may hold a
    /// value (`"net_{h\(k)}"`, `"(∂F/∂x)^{\(layers)}"`); the values themselves (a number from
    /// the notation, a name, plain text) go in as they are, never read as syntax. A `Double`
    /// cannot be interpolated: numbers on a page go through the lesson's `Notation`, so they
    /// share one format.
    public struct StringInterpolation: StringInterpolationProtocol {
        var pieces: [InlineParser.Piece] = []
        public init(literalCapacity: Int, interpolationCount: Int) {
            pieces.reserveCapacity(literalCapacity + interpolationCount)
        }
        public mutating func appendLiteral(_ literal: String) { pieces += literal.map(InlineParser.Piece.character) }
        public mutating func appendInterpolation(_ rich: RichText) { pieces.append(.value(rich)) }
        public mutating func appendInterpolation(_ plain: String) { pieces.append(.value(.plain(plain))) }
        public mutating func appendInterpolation(_ integer: Int) { pieces.append(.value(.plain(String(integer)))) }
    }

    public init(stringInterpolation: StringInterpolation) { self.init(pieces: stringInterpolation.pieces) }
}
