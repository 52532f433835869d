import Engine
import ReportModel

/// Writes a tape's formula tree on one line, as a teacher writes it: the one writer for both
/// tapes, so σ, log, e^x and max(0, x) read alike for a number and for a matrix. Each operator's
/// form comes from the engine's table (`Operator.written`); brackets go where precedence needs
/// them and before an operand that opens with a sign (a·(−b)); a negative number is bracketed
/// unless it opens a group (0.4 − (−0.1), (−0.7)², but σ(−0.3)). The display reads the same
/// line as math (`MathLine.math`): a tight slash stacks as a fraction, a raised run is a superscript.
///
///     let writer = FormulaWriting(number: format.rich) { id, substituted in … }
///     writer.line(tape.formula(of: net_h1), substituted: true)   // 0.15 × 0.05 + 0.2 × 0.1 + 0.35
struct FormulaWriting {
    /// A named node as it reads: its typeset name, or its value once numbers are put in (with
    /// the quantity it prints, for a labeled node).
    enum Leaf {
        case name(RichText)
        case number(Double, Quantity? = nil)
        case line(MathLine)
    }

    /// A number in the lesson's format.
    let number: (Double) -> RichText
    let leaf: (_ id: Int, _ substituted: Bool) -> Leaf

    func line(_ tree: FormulaTree, substituted: Bool) -> MathLine {
        write(Self.pieces(tree).pieces, substituted: substituted)
    }

    // MARK: Pieces

    private enum Piece: Equatable {
        case name(Int)
        case number(Double)
        case symbol(String)
        /// Multiplication: `·` between names, `×` between numbers.
        case product
        case raised([Piece])
        /// e raised to the body; exp(…) when the body holds a matrix, which no superscript can.
        case exponential([Piece])
    }

    private typealias Precedence = Operator.Precedence

    private static func pieces(_ tree: FormulaTree) -> (pieces: [Piece], precedence: Precedence) {
        switch tree {
        case .name(let id): return ([.name(id)], .atom)
        case .number(let value): return ([.number(value)], .atom)
        case .apply(let op, let arguments):
            func operand(_ k: Int, atLeast minimum: Precedence) -> [Piece] {
                let (inner, precedence) = pieces(arguments[k])
                // An operand that opens with a sign reads as a sum: "a·(−b)", "a + (−b)".
                let signed = k > 0 && inner.first == .symbol("−")
                return precedence < minimum || signed ? [.symbol("(")] + inner + [.symbol(")")] : inner
            }
            func listed() -> [Piece] {
                arguments.indices.flatMap { k in (k > 0 ? [.symbol(", ")] : []) + pieces(arguments[k]).pieces }
            }
            switch op.written {
            case .infix(let symbol, let precedence, let left, let right):
                // A slash is tight, so a display stacks it; a product is `·` or `×` by what it joins.
                let between: Piece = op == .multiply ? .product : .symbol(symbol == "/" ? "/" : " \(symbol) ")
                return (operand(0, atLeast: left) + [between] + operand(1, atLeast: right), precedence)
            case .prefix(let symbol): return ([.symbol(symbol)] + operand(0, atLeast: .product), .sum)
            case .raised:
                if case .number(0.5) = arguments[1] { return ([.symbol("√")] + operand(0, atLeast: .atom), .power) }
                return (operand(0, atLeast: .atom) + [.raised(pieces(arguments[1]).pieces)], .power)
            case .exponential: return ([.exponential(pieces(arguments[0]).pieces)], .power)
            case .postfix(let symbol): return (operand(0, atLeast: .atom) + [.raised([.symbol(symbol)])], .power)
            case .function(let name): return ([.symbol(name + "(")] + listed() + [.symbol(")")], .atom)
            case .functionOf(let name, let first):
                return ([.symbol(name + "(" + first + ", ")] + listed() + [.symbol(")")], .atom)
            case .bars: return ([.symbol("|")] + listed() + [.symbol("|")], .atom)
            case .juxtaposed:
                return (operand(0, atLeast: .product) + [.symbol(" ")] + operand(1, atLeast: .power), .product)
            case .list: return ([.symbol("[")] + listed() + [.symbol("]")], .atom)
            case .invisible: return pieces(arguments[0])
            }
        }
    }

    // MARK: Writing

    private func write(_ pieces: [Piece], substituted: Bool) -> MathLine {
        var line = MathLine(segments: [])
        // The line before the last name, and that name, while it is the last thing written.
        var lastName: (before: MathLine, name: RichText)?
        for (index, piece) in pieces.enumerated() {
            let raisedNext =
                index + 1 < pieces.count && { if case .raised = pieces[index + 1] { true } else { false } }()
            let opensGroup =
                index == 0
                || {
                    if case .symbol(let s) = pieces[index - 1] { s.hasSuffix("(") || s.hasSuffix(", ") } else { false }
                }()
            let wrapsNegative = !opensGroup || raisedNext
            func number(_ x: Double, _ quantity: Quantity? = nil) {
                let written = self.number(x).printing(quantity)
                line.append(.text(wrapsNegative && x < 0 ? "(" + written + ")" : written))
            }
            var named: (before: MathLine, name: RichText)?
            switch piece {
            case .name(let id):
                switch leaf(id, substituted) {
                case .name(let name):
                    // A symbol of several words (Σⱼ e^{z_j}) beside a slash is one operand: bracketed, the
                    // display stacks it whole and drops the brackets.
                    let besideSlash = [index - 1, index + 1].contains {
                        pieces.indices.contains($0) && pieces[$0] == .symbol("/")
                    }
                    let written = besideSlash && name.plainText.contains(" ") ? "(" + name + ")" : name
                    named = (line, written)
                    line.append(.text(written))
                case .number(let x, let quantity): number(x, quantity)
                case .line(let value): line = line + value
                }
            case .number(let x): number(x)
            case .symbol(let text): line.append(.text(.plain(text)))
            case .product: line.append(.text(.plain(substituted ? " × " : "·")))
            case .raised(let body):
                // h^{(3)} then ² would read h^{(3)2}: a name that ends raised is bracketed first, (h^{(3)})².
                if let (before, name) = lastName, name.runs.last?.style.contains(.raised) == true {
                    line = before + MathLine("(" + name + ")")
                }
                line.append(.text((write(body, substituted: substituted).text ?? RichText()).adding(.raised)))
            case .exponential(let body):
                let exponent = write(body, substituted: substituted)
                if let text = exponent.text {
                    line.append(.text("e" + text.adding(.raised)))
                } else {
                    line = line + MathLine("exp(") + exponent + MathLine(")")
                }
            }
            lastName = named
        }
        return line
    }
}
