/// A node's formula as the tape records it, ready to be written with names or with numbers.
///
///     tape.formula(of: net_h1).text()                   // "w1·i1 + w2·i2 + b1"
///     tape.formula(of: net_h1).text(substituted: true)  // "0.15 × 0.05 + 0.2 × 0.1 + 0.35"
public struct Formula: Sendable, Equatable {
    public enum Piece: Sendable, Equatable {
        /// A labeled node: its label, or its value once numbers are substituted.
        case name(String, value: Double)
        /// A constant of the formula, always written as a number.
        case number(Double)
        /// An operator, parenthesis or function name, written as is.
        case symbol(String)
        /// Multiplication: `·` between names, `×` between numbers.
        case product
        /// A superscript (an exponent).
        case raised([Piece])
    }

    public var pieces: [Piece]

    public init(_ pieces: [Piece]) { self.pieces = pieces }

    /// Walks the pieces into `writer`. A negative number is parenthesised unless it opens
    /// a group and carries no exponent, so `0.4 − (−0.1)` and `(−0.7)²` read right.
    public func write<W: FormulaWriter>(to writer: inout W, substituted: Bool) {
        Formula.write(pieces, to: &writer, substituted: substituted)
    }

    private static func write<W: FormulaWriter>(_ pieces: [Piece], to writer: inout W, substituted: Bool) {
        for (index, piece) in pieces.enumerated() {
            let raisedNext = index + 1 < pieces.count && { if case .raised = pieces[index + 1] { true } else { false } }()
            let opensGroup = index == 0 || { if case .symbol(let s) = pieces[index - 1] { s.hasSuffix("(") } else { false } }()
            let wrapNegative = !opensGroup || raisedNext
            switch piece {
            case .name(let label, let value):
                if substituted { number(value, wrap: wrapNegative, writer: &writer) } else { writer.name(label) }
            case .number(let value): number(value, wrap: wrapNegative, writer: &writer)
            case .symbol(let text): writer.symbol(text)
            case .product: writer.symbol(substituted ? " × " : "·")
            case .raised(let body): writer.raised { write(body, to: &$0, substituted: substituted) }
            }
        }
    }

    private static func number<W: FormulaWriter>(_ value: Double, wrap: Bool, writer: inout W) {
        let parenthesise = wrap && value < 0
        if parenthesise { writer.symbol("(") }
        writer.number(value)
        if parenthesise { writer.symbol(")") }
    }

    /// Plain text: labels as recorded, exponents as `^` (`^(…)` when longer than one piece).
    public func text(substituted: Bool = false, number: @escaping (Double) -> String = { "\($0)" }) -> String {
        var writer = PlainFormulaWriter(format: number)
        write(to: &writer, substituted: substituted)
        return writer.text
    }
}

/// Receives a formula piece by piece; the report's writer sets names in italics with
/// subscripts, the plain one writes one line of text.
///
///     var writer = PlainFormulaWriter(format: { "\($0)" })
///     tape.formula(of: net_h1).write(to: &writer, substituted: false)   // writer.text == "w1·i1 + w2·i2 + b1"
public protocol FormulaWriter {
    mutating func name(_ label: String)
    mutating func number(_ value: Double)
    mutating func symbol(_ text: String)
    mutating func raised(_ body: (inout Self) -> Void)
}

/// Writes a formula as one line of plain text.
///
///     var writer = PlainFormulaWriter(format: { String(format: "%.2f", $0) })
///     tape.formula(of: net_h1).write(to: &writer, substituted: true)    // "0.15 × 0.05 + …"
public struct PlainFormulaWriter: FormulaWriter {
    public private(set) var text = ""
    let format: (Double) -> String

    public init(format: @escaping (Double) -> String) { self.format = format }

    public mutating func name(_ label: String) { text += label }
    public mutating func number(_ value: Double) { text += format(value) }
    public mutating func symbol(_ symbol: String) { text += symbol }
    public mutating func raised(_ body: (inout PlainFormulaWriter) -> Void) {
        var inner = PlainFormulaWriter(format: format)
        body(&inner)
        let simple = !inner.text.contains(where: { " +−-·×/()".contains($0) })
        text += simple ? "^" + inner.text : "^(" + inner.text + ")"
    }
}
