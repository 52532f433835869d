/// The recorded quantity a printed number is: the label a student answers it under and its
/// value. The notation tags every number it reads off a tape, so an exercise sheet can tell
/// the result it hides from another number that merely prints the same digits (η = 0.5 beside
/// a hidden 0.5), and find the hidden result wherever it is printed again.
///
///     let shown = format.rich(0.3775).printing(Quantity(label: "net_h1", value: 0.3775))
///     shown.quantities.map(\.quantity.label)   // ["net_h1"]
public struct Quantity: Sendable, Equatable {
    /// The label as values.json and `check` write it: `out_o1`, `dE_total/dw5`, `z1[0,1]`.
    public var label: String
    public var value: Double

    public init(label: String, value: Double) {
        self.label = label
        self.value = value
    }

    /// The quantity under `label`, or none for a number with no label (an unlabeled node).
    public init?(_ label: String?, value: Double) {
        guard let label else { return nil }
        self.init(label: label, value: value)
    }

    /// The same quantity printed twice: one label, and values that agree as two ways of
    /// computing one number do (`agree`).
    public func isSame(as other: Quantity) -> Bool { label == other.label && Quantity.agree(value, other.value) }

    /// Whether two computations of one number agree: within 1e-9 of the larger, what a chain's
    /// product of factors and the backward sweep leave between them (a few ulps, with room).
    public static func agree(_ a: Double, _ b: Double) -> Bool {
        a == b || abs(a - b) <= 1e-9 * max(abs(a), abs(b), .leastNormalMagnitude)
    }
}

extension NumberFormat {
    /// `x` in this format, printing the quantity `label` names (none without a label).
    public func rich(_ x: Double, label: String?) -> RichText { rich(x).printing(Quantity(label, value: x)) }
}

extension RichText {
    /// A stretch of a text (UTF-8 offsets into `plainText`, which a run's length gives at no
    /// cost) that prints a quantity.
    public struct QuantitySpan: Sendable {
        public var utf8: Range<Int>
        public var quantity: Quantity
    }

    /// The text as printing `quantity` as a whole (a number the notation read off a tape).
    public func printing(_ quantity: Quantity?) -> RichText {
        guard let quantity else { return self }
        var tagged = self
        tagged.quantities = [QuantitySpan(utf8: 0..<utf8Count, quantity: quantity)]
        return tagged
    }

    /// The characters outside every quantity's span, each span left as one space: the text an
    /// untagged number (typed by a lesson, not read off a tape) can only be judged by.
    public var plainTextOutsideQuantities: String {
        guard !quantities.isEmpty else { return plainText }
        let bytes = Array(plainText.utf8)
        var kept: [UInt8] = []
        var position = 0
        for span in quantities.sorted(by: { $0.utf8.lowerBound < $1.utf8.lowerBound }) {
            if span.utf8.lowerBound > position { kept += bytes[position..<span.utf8.lowerBound] }
            kept.append(UInt8(ascii: " "))
            position = max(position, span.utf8.upperBound)
        }
        if position < bytes.count { kept += bytes[position...] }
        return String(decoding: kept, as: UTF8.self)
    }

    /// The text printed by one span.
    public func text(of span: QuantitySpan) -> String {
        String(decoding: Array(plainText.utf8)[span.utf8.clamped(to: 0..<utf8Count)], as: UTF8.self)
    }

    var utf8Count: Int { runs.reduce(0) { $0 + $1.text.utf8.count } }
}
