import Foundation
import ReportModel

/// MathML Core from a formula tree: names' letters as italic identifiers (one each, as TeX sets
/// "out"), numbers as `mn`, operators and brackets as `mo`, fractions stacked, scripts on one
/// base, a display's sum with its limits under and over it, matrices in brackets.
///
///     MathML.write(.fraction(Math("∂E_{total}"), Math("∂w_5")))   // <mfrac><mrow>…</mrow><mrow>…</mrow></mfrac>
enum MathML {
    static func write(_ math: Math) -> String {
        switch math {
        case .atom(let text, let kind, let variant): return atom(text, kind, variant)
        case .row(let items):
            return "<mrow>"
                + items.indices.map { k in
                    items[k].isSpace
                        ? (Math.dropsSpace(at: k, in: items) ? "" : "<mspace width=\"0.25em\"></mspace>")
                        : write(items[k])
                }.joined() + "</mrow>"
        case .fraction(let top, let bottom): return "<mfrac>\(grouped(top))\(grouped(bottom))</mfrac>"
        case .radical(let radicand): return "<msqrt>\(write(radicand))</msqrt>"
        case .scripts(let base, let sub, let sup):
            let isSum = if case .atom(let text, _, _) = base { text == "∑" || text == "Σ" } else { false }
            let (under, over) = isSum ? ("munder", "mover") : ("msub", "msup")
            switch (sub, sup) {
            case (let sub?, let sup?):
                return
                    "<\(isSum ? "munderover" : "msubsup")>\(grouped(base))\(grouped(sub))\(grouped(sup))</\(isSum ? "munderover" : "msubsup")>"
            case (let sub?, nil): return "<\(under)>\(grouped(base))\(grouped(sub))</\(under)>"
            case (nil, let sup?): return "<\(over)>\(grouped(base))\(grouped(sup))</\(over)>"
            case (nil, nil): return write(base)
            }
        case .matrix(let rows):
            let cells = rows.map { "<mtr>" + $0.map { "<mtd>\(write($0))</mtd>" }.joined() + "</mtr>" }.joined()
            return "<mrow><mo>[</mo><mtable class=\"matrix\">\(cells)</mtable><mo>]</mo></mrow>"
        }
    }

    /// A step's line "= …" as formulas cut before each relation, +, − and × at the top level (outside
    /// every bracket): where a browser may wrap it. An operator that opens a piece keeps its spacing.
    static func pieces(of math: Math, bold: Bool) -> [String] {
        var pieces: [[Math]] = [[.atom("=", .relation, [])]]
        var depth = 0
        // A bracket counts where it stands, a raised one too: the ")" of (a − b)² is the base of its square.
        func bracket(_ item: Math) -> Int {
            switch item {
            case .atom(_, .open, _): 1
            case .atom(_, .close, _): -1
            case .scripts(let base, _, _): bracket(base)
            default: 0
            }
        }
        // Where the PDF breaks a line: at a relation, then before a +, − or × (a product written w·x
        // stays whole), outside brackets; inside the outermost ones only where the whole line is
        // in them, −(t ln o + (1 − t) ln(1 − o)), as the PDF breaks it rather than run off the page.
        var cuts: [(index: Int, depth: Int)] = []
        for (k, item) in math.items.enumerated() {
            if k > 0, case .atom(let text, let kind, _) = item,
                kind == .relation || (kind == .binary && "+−-±×".contains(text))
            {
                cuts.append((k, depth))
            }
            depth = max(0, depth + bracket(item))
        }
        let shallowest = cuts.map(\.depth).min()
        let cutting = Set(cuts.filter { $0.depth == shallowest }.map(\.index))
        for (k, item) in math.items.enumerated() {
            if cutting.contains(k) { pieces.append([]) }
            pieces[pieces.count - 1].append(item)
        }
        return pieces.enumerated().map { index, items in
            var lead = ""
            let body = items.enumerated().map { k, item -> String in
                if k == 0, case .atom(let text, let kind, _) = item, kind == .binary || kind == .relation {
                    // The line's "=" stands outside its result, which reads as the number alone.
                    let op = "<mo form=\"infix\">\(HTMLPage.escape(text))</mo>"
                    if index == 0 {
                        lead = op
                        return ""
                    }
                    return op
                }
                return item.isSpace
                    ? (Math.dropsSpace(at: k, in: items) ? "" : "<mspace width=\"0.25em\"></mspace>") : write(item)
            }.joined()
            return "<math>" + lead + (bold ? "<mrow class=\"result\">\(body)</mrow>" : "<mrow>\(body)</mrow>")
                + "</math>"
        }
    }

    /// A script's or a fraction's part as one element, as MathML's arity requires.
    private static func grouped(_ math: Math) -> String {
        if case .row = math { return write(math) }
        if case .atom(let text, _, let variant) = math, variant.contains(.italic), text.count > 1 {
            return atom(text, .ordinary, variant)
        }
        return "<mrow>\(write(math))</mrow>"
    }

    private static func atom(_ text: String, _ kind: Math.Class, _ variant: Math.Variant) -> String {
        let t = HTMLPage.escape(text)
        switch kind {
        case .binary, .relation, .punctuation: return "<mo>\(t)</mo>"
        case .open, .close: return "<mo stretchy=\"false\">\(t)</mo>"
        case .ordinary: break
        }
        if text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "," }) && text.first?.isNumber == true {
            return "<mn>\(t)</mn>"
        }
        if text.count == 1, !text.first!.isLetter, !"∂∇".contains(text) { return "<mo>\(t)</mo>" }
        if variant.contains(.italic) {
            // One italic identifier per letter; a single letter is italic by default.
            let letters = text.map { "<mi>\(HTMLPage.escape(String($0)))</mi>" }
            return letters.count == 1 ? letters[0] : "<mrow>" + letters.joined() + "</mrow>"
        }
        // Upright: a word (log, tanh) is upright by default; a single letter needs normal.
        return text.count == 1 ? "<mi mathvariant=\"normal\">\(t)</mi>" : "<mi>\(t)</mi>"
    }
}
