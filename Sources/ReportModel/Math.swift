/// A formula as a tree, the way a math layout reads it: atoms with a TeX class, rows,
/// stacked fractions, scripts and matrices. The renderer lays it out from the math font's
/// OpenType MATH constants; the notebook writes it as LaTeX; Markdown and the terminal read
/// its linear form (`richText`), the slashed one-line text they always printed.
///
///     let dE_dw5 = Math.fraction(Math("∂E_{total}"), Math("∂w_5"))   // ∂E_total over ∂w₅
///     dE_dw5.richText.plainText                                      // "∂Etotal/∂w5"
public indirect enum Math: Sendable, Equatable {
    /// The TeX class of an atom: what decides the space around it and where a line may break.
    public enum Class: Sendable, Hashable {
        case ordinary, binary, relation, open, close, punctuation
    }

    /// How an atom's characters are set: letters of a name in italics, numbers and words upright,
    /// a result in bold.
    public struct Variant: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let italic = Variant(rawValue: 1)
        public static let bold = Variant(rawValue: 2)
    }

    case atom(String, Class, Variant)
    case row([Math])
    case fraction(Math, Math)
    case scripts(Math, sub: Math?, sup: Math?)
    /// Cells already written, one row each, set in brackets with their columns aligned.
    case matrix([[Math]])
    /// A square root over its radicand.
    case radical(Math)

    public static let empty = Math.row([])

    /// One item as itself, several as a row.
    public init(joining items: [Math]) { self = items.count == 1 ? items[0] : .row(items) }

    /// The same formula, every atom set in bold as well (a step's result).
    public func bold() -> Math { withVariants { $0.union(.bold) } }

    /// The same formula with every atom's variant changed: bold for a result, none to compare
    /// what two formulas say whatever their letters' style.
    public func withVariants(_ change: (Variant) -> Variant) -> Math {
        switch self {
        case .atom(let text, let kind, let variant): .atom(text, kind, change(variant))
        case .row(let items): .row(items.map { $0.withVariants(change) })
        case .fraction(let top, let bottom): .fraction(top.withVariants(change), bottom.withVariants(change))
        case .scripts(let base, let sub, let sup):
            .scripts(base.withVariants(change), sub: sub?.withVariants(change), sup: sup?.withVariants(change))
        case .matrix(let rows): .matrix(rows.map { $0.map { $0.withVariants(change) } })
        case .radical(let radicand): .radical(radicand.withVariants(change))
        }
    }

    /// The items of a row (a single item for anything else).
    public var items: [Math] { if case .row(let items) = self { items } else { [self] } }

    // MARK: The linear form

    /// The formula on one line: fractions slashed (a compound part in brackets), scripts as
    /// lowered and raised runs. What Markdown, the terminal and PDF text extraction read.
    public var richText: RichText {
        switch self {
        case .atom(let text, _, let variant):
            var style: RichText.Style = []
            if variant.contains(.italic) { style.insert(.italic) }
            if variant.contains(.bold) { style.insert(.bold) }
            return .plain(text, style)
        case .row(let items):
            // An operator between two operands is spaced, as the text always spaced it (a × b).
            return items.indices.reduce(RichText()) { text, k in
                guard case .atom(_, let kind, _) = items[k], kind == .binary || kind == .relation, k > 0,
                    k + 1 < items.count,
                    !items[k - 1].isSpace, !items[k + 1].isSpace
                else { return text + items[k].richText }
                return text + .plain(" ") + items[k].richText + .plain(" ")
            }
        case .fraction(let top, let bottom):
            func part(_ m: Math) -> RichText { m.isCompound ? .plain("(") + m.richText + .plain(")") : m.richText }
            return part(top) + .plain("/") + part(bottom)
        case .scripts(let base, let sub, let sup):
            return base.richText + (sub?.richText.adding(.lowered) ?? RichText())
                + (sup?.richText.adding(.raised) ?? RichText())
        case .matrix(let rows):
            return .plain("[")
                + rows.enumerated().reduce(RichText()) { text, row in
                    text + (row.offset > 0 ? .plain("; ") : RichText())
                        + row.element.enumerated().reduce(RichText()) {
                            $0 + ($1.offset > 0 ? .plain(" ") : RichText()) + $1.element.richText
                        }
                } + .plain("]")
        case .radical(let radicand):
            return .plain("√")
                + (radicand.isCompound ? .plain("(") + radicand.richText + .plain(")") : radicand.richText)
        }
    }

    /// The atoms' characters in reading order: a fraction's top before its bottom, a base before
    /// its subscript and then its superscript, as the layout draws them.
    public var atomText: String {
        switch self {
        case .atom(let text, _, _): text
        case .row(let items): items.map(\.atomText).joined()
        case .fraction(let top, let bottom): top.atomText + bottom.atomText
        case .scripts(let base, let sub, let sup): base.atomText + (sub?.atomText ?? "") + (sup?.atomText ?? "")
        case .matrix(let rows): rows.flatMap { $0 }.map(\.atomText).joined()
        case .radical(let radicand): "√" + radicand.atomText
        }
    }

    /// Whether slashing it needs brackets: a row with an operator at its top level.
    var isCompound: Bool {
        items.contains { if case .atom(_, let kind, _) = $0 { kind == .binary || kind == .relation } else { false } }
    }
}

extension Math {
    /// Reads styled text as math: italic letters are a name, digits a number, other letters an
    /// upright word (ln, tanh), + − × · binary operators, = ≈ < relations; a lowered or raised
    /// run is the sub- or superscript of what precedes it, and ᵀ, ⁺ and ² are superscripts too.
    /// A space beside an operator goes (the operator's own spacing replaces it); one between two
    /// words stays.
    ///
    ///     Math("w_5^+")   // .scripts(w, sub: 5, sup: +)
    public init(_ text: RichText) {
        var items: [Math] = []
        for run in text.runs {
            var variant: Variant = []
            if run.style.contains(.italic) { variant.insert(.italic) }
            if run.style.contains(.bold) { variant.insert(.bold) }
            let scripted = run.style.contains(.lowered) || run.style.contains(.raised)
            let atoms = Math.atoms(run.text, variant, italicizingLetters: !scripted)
            // Lowered within raised (the j of e^{z_j}) is a script of the superscript's last item.
            if run.style.contains(.raised), run.style.contains(.lowered),
                case .scripts(let base, let sub, let sup?)? = items.last
            {
                var inner = sup.items
                Math.attach(.row(atoms), raised: false, to: &inner)
                items[items.count - 1] = .scripts(base, sub: sub, sup: Math(joining: inner))
                continue
            }
            if scripted {
                Math.attach(.row(atoms), raised: run.style.contains(.raised), to: &items)
            } else {
                for atom in atoms { Math.append(atom, to: &items) }
            }
        }
        self.init(joining: Math.groupingRadicals(items))
    }

    public init(_ source: String) { self.init(RichText(source)) }

    /// Each √ with the operand after it as one radical: √(σ² + ε) over σ² + ε, its brackets
    /// replaced by the radical's rule; √2 over 2.
    private static func groupingRadicals(_ items: [Math]) -> [Math] {
        var items = items
        var k = items.count - 2
        while k >= 0 {
            if items[k].isAtom("√"), !items[k + 1].isAtom(" ") {
                let end = operandEnd(items, after: k)
                if end > k + 1 {
                    items.replaceSubrange(k..<end, with: [.radical(unbracketed(Array(items[(k + 1)..<end])))])
                }
            }
            k -= 1
        }
        return items
    }

    /// Whether the space atom at `index` goes: beside an operator (its own spacing replaces it),
    /// beside another space, or at an end. The layout and the notebook's LaTeX both ask this.
    public static func dropsSpace(at index: Int, in items: [Math]) -> Bool {
        func kind(_ k: Int) -> Class? {
            guard k >= 0 && k < items.count, !items[k].isSpace else { return nil }
            return items[k].isAtom("/") ? .ordinary : items[k].readClass
        }
        let spacing: Set<Class> = [.binary, .relation, .punctuation]
        for side in [kind(index - 1), kind(index + 1)] {
            guard let side, !spacing.contains(side) else { return true }
        }
        return false
    }

    /// Unicode's superscript characters that are a script of what precedes them.
    static let raisedCharacters: [Character: String] = ["ᵀ": "T", "⁺": "+", "⁻": "−", "²": "2", "³": "3"]

    private static func append(_ atom: Math, to items: inout [Math]) {
        if case .atom(let text, _, let variant) = atom, text.count == 1, let raised = raisedCharacters[Character(text)],
            !items.isEmpty
        {
            attach(.atom(raised, .ordinary, variant), raised: true, to: &items)
        } else {
            items.append(atom)
        }
    }

    /// Puts `script` on the last item: into its empty slot, or as new scripts around it.
    private static func attach(_ script: Math, raised: Bool, to items: inout [Math]) {
        let script = script.items.count == 1 ? script.items[0] : script
        guard let last = items.popLast() else {
            items.append(.scripts(.empty, sub: raised ? nil : script, sup: raised ? script : nil))
            return
        }
        if case .scripts(let base, let sub, let sup) = last {
            if raised, sup == nil {
                items.append(.scripts(base, sub: sub, sup: script))
                return
            }
            if !raised, sub == nil, sup == nil {
                items.append(.scripts(base, sub: script, sup: nil))
                return
            }
        }
        items.append(.scripts(last, sub: raised ? nil : script, sup: raised ? script : nil))
    }

    /// Splits a run's characters into atoms: numbers, words, and one atom per other character.
    /// A single Latin letter on its own is a variable and set in italics, as TeX sets it (p − y,
    /// [i = c]), when `italicizingLetters`; a word of several (log, max, KL) stays upright, and
    /// so do scripts' letters (the o1 of net_o1), as the lessons' labels write them.
    static func atoms(_ text: String, _ variant: Variant, italicizingLetters: Bool = false) -> [Math] {
        var atoms: [Math] = []
        var word = ""
        var wordKind: Character? = nil  // "0" for a number, "a" for letters
        func flush() {
            guard !word.isEmpty else { return }
            let isVariable = italicizingLetters && wordKind == "a" && word.count == 1 && word.first!.isASCII
            atoms.append(
                .atom(
                    word, .ordinary,
                    wordKind == "0" ? variant.subtracting(.italic) : isVariable ? variant.union(.italic) : variant))
            word = ""
        }
        let characters = Array(text)
        for (index, c) in characters.enumerated() {
            let kind: Character? =
                c.isNumber && c.isASCII
                ? "0"
                : c == "." && wordKind == "0" && index + 1 < characters.count && characters[index + 1].isNumber
                    ? "0"
                    : c.isLetter && raisedCharacters[c] == nil ? "a" : nil
            if let kind, kind == wordKind || word.isEmpty {
                word.append(c)
                wordKind = kind
                continue
            }
            flush()
            wordKind = kind
            if kind != nil {
                word.append(c)
                continue
            }
            if c == " " {
                atoms.append(.atom(" ", .ordinary, variant))
                continue
            }
            atoms.append(.atom(String(c), classOf(c), variant))
        }
        flush()
        return atoms
    }

    public static func classOf(_ c: Character) -> Class {
        switch c {
        case "+", "−", "-", "×", "·", "⊙", "±", "∗", "∘": .binary
        case "=", "≈", "<", ">", "≤", "≥", "→", "←", "≠", "∝", "≡", "∈", "↦": .relation
        case "(", "[", "{", "⌊", "⌈", "⟨": .open
        case ")", "]", "}", "⌋", "⌉", "⟩": .close
        case ",", ";": .punctuation
        default: .ordinary
        }
    }
}
