/// Tight slashes stacked as fractions: a slash with no space on either side divides the
/// operands beside it, found by their brackets and scripts.
extension Math {
    /// The row with each tight slash, one with no space on either side, set as a stacked
    /// fraction of its neighbours: ∂E/∂w₅, 1/m, (1 − y)/(1 − a), whose brackets the bar
    /// replaces. A spaced slash (e^{z_i} / Σ_j e^{z_j}) stays: its sides are not single operands.
    ///
    ///     Math("−y/a").stackingSlashes()   // − then y over a
    public func stackingSlashes() -> Math {
        var items = self.items
        var k = 1
        while k < items.count - 1 {
            guard items[k].isAtom("/"), !items[k - 1].isAtom(" "), !items[k + 1].isAtom(" ") else {
                k += 1
                continue
            }
            let start = Math.operandStart(items, before: k)
            let end = Math.operandEnd(items, after: k)
            guard start < k, end > k + 1 else {
                k += 1
                continue
            }
            items.replaceSubrange(
                start..<end,
                with: [
                    .fraction(
                        Math.unbracketed(Array(items[start..<k])),
                        Math.unbracketed(Array(items[(k + 1)..<end])))
                ])
            k = start + 1
        }
        return Math(joining: items)
    }

    func isAtom(_ text: String) -> Bool { if case .atom(text, _, _) = self { true } else { false } }

    /// A written space between two words of a formula.
    public var isSpace: Bool { isAtom(" ") }

    /// The class a row reads an item as: a script takes its base's.
    var readClass: Class? {
        switch self {
        case .atom(let text, let kind, _): text == " " || text == "/" ? nil : kind
        case .scripts(let base, _, _): base.readClass ?? .ordinary
        default: .ordinary
        }
    }

    /// Where the operand left of index `k` begins: names, numbers and bracket groups, back to a
    /// space, an operator or an unmatched bracket.
    static func operandStart(_ items: [Math], before k: Int) -> Int {
        var j = k - 1
        while j >= 0 {
            switch items[j].readClass {
            case .ordinary?: j -= 1
            case .close?:
                var depth = 0
                while j >= 0 {
                    if items[j].readClass == .close { depth += 1 }
                    if items[j].readClass == .open {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    j -= 1
                }
                if j < 0 { return k }  // unbalanced: no operand
                j -= 1
            default: return j + 1
            }
        }
        return 0
    }

    /// Where the operand right of index `k` ends (exclusive): one bracket group, or names and numbers.
    static func operandEnd(_ items: [Math], after k: Int) -> Int {
        var j = k + 1
        if items[j].readClass == .open {
            var depth = 0
            while j < items.count {
                if items[j].readClass == .open { depth += 1 }
                if items[j].readClass == .close {
                    depth -= 1
                    if depth == 0 { return j + 1 }
                }
                j += 1
            }
            return k + 1  // unbalanced: no operand
        }
        while j < items.count, items[j].readClass == .ordinary { j += 1 }
        return j
    }

    /// The operand without the brackets that only grouped it for the slash.
    static func unbracketed(_ items: [Math]) -> Math {
        if items.count > 2, items.first?.readClass == .open, case .atom(_, .close, _) = items.last! {
            var depth = 0
            let closesAtEnd = items.indices.allSatisfy { index in
                if items[index].readClass == .open { depth += 1 }
                if items[index].readClass == .close { depth -= 1 }
                return depth > 0 || index == items.count - 1
            }
            if closesAtEnd { return .row(Array(items.dropFirst().dropLast())) }
        }
        return Math(joining: items)
    }
}
