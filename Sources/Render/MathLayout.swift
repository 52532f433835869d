import ReportModel

/// A laid-out formula, measured from the left end of its baseline (y grows downwards, so ink
/// above the baseline is at negative y): its advance, the ink above and below the baseline,
/// and each glyph's and rule's ink rectangle, which the tests check never overlap.
struct MathBox {
    var width = 0.0, ascent = 0.0, descent = 0.0
    /// Where the rightmost ink ends: past `width` for an italic letter leaning out of its advance.
    var inkRight = 0.0
    /// Where the leftmost ink starts (an italic f reaches left of its origin); infinite with no ink.
    var inkLeft = Double.infinity
    var marks: [Mark] = []
    var glyphs: [Rect] = []
    /// The class it takes in a row: a fraction is ordinary, a script takes its base's.
    var kind: Math.Class = .ordinary
    /// A binary + or −: a long line breaks before one of these rather than inside a product.
    var isAdditive = false
    /// A matrix in brackets, or one with scripts (Aᵀ): two side by side are a product a line may break in.
    var isMatrix = false
    /// A word space written between two items (it goes at the end of a broken line).
    var isSpace = false

    /// Draws `other` with its baseline's left end at (x, shift), shift > 0 below this baseline.
    mutating func place(_ other: MathBox, x: Double, shift: Double = 0) {
        marks += other.marks.map { $0.offset(by: Point(x, shift)) }
        glyphs += other.glyphs.map { $0.offset(by: Point(x, shift)) }
        ascent = max(ascent, other.ascent - shift)
        descent = max(descent, other.descent + shift)
        width = max(width, x + other.width)
        inkRight = max(inkRight, x + other.inkRight)
        inkLeft = min(inkLeft, x + other.inkLeft)
    }
}

/// TeX's four styles: a display's own line, a fraction's parts in it, scripts, scripts of scripts.
enum MathStyle {
    case display, text, script, scriptScript

    var scripts: MathStyle { self == .display || self == .text ? .script : .scriptScript }
    var fractionParts: MathStyle { self == .display ? .text : scripts }
    var isScript: Bool { self == .script || self == .scriptScript }
}

/// Lays `Math` trees out the way TeX and MathML Core do, from the OpenType MATH constants of
/// `MathFont`: stacked fractions on the axis, scripts shifted by the font's gaps, TeX's spaces
/// between atoms by class, matrices in brackets; long rows broken at relations, then at
/// operators outside brackets.
///
///     let layout = MathLayout(typesetter: t, size: 10.5)
///     let box = layout.box(.fraction(Math("∂E_{total}"), Math("∂w_5")), style: .display)
struct MathLayout {
    let typesetter: Typesetter
    /// The body size in points: display and text style; scripts scale down from it.
    let size: Double
    var color = Theme.ink
    var font: MathFont { MathFont.shared }

    init(typesetter: Typesetter, size: Double, color: Color = Theme.ink) {
        self.typesetter = typesetter
        self.size = size
        self.color = color
    }

    /// The em of a style, in points.
    func em(_ style: MathStyle) -> Double {
        switch style {
        case .display, .text: size
        case .script: size * font.scriptScale
        case .scriptScript: size * font.scriptScriptScale
        }
    }

    func box(_ math: Math, style: MathStyle) -> MathBox {
        switch math {
        case .atom(let text, let kind, let variant): atom(text, kind, variant, style: style)
        case .row(let items): row(items, style: style)
        case .fraction(let top, let bottom): fraction(top, bottom, style: style)
        case .scripts(let base, let sub, let sup):
            with(scripts(base, sub: sub, sup: sup, style: style)) { if case .matrix = base { $0.isMatrix = true } }
        case .matrix(let rows): with(matrix(rows, style: style)) { $0.isMatrix = true }
        case .radical(let radicand): radical(radicand, style: style)
        }
    }

    func with(_ box: MathBox, _ change: (inout MathBox) -> Void) -> MathBox {
        var box = box
        change(&box)
        return box
    }

    // MARK: Atoms

    /// Letters, digits and spaces in the text's face (DejaVu Serif, as the prose), every other
    /// character (operators, ∂, brackets) in the math font; a result wholly in the text's bold.
    func atom(_ text: String, _ kind: Math.Class, _ variant: Math.Variant, style: MathStyle) -> MathBox {
        if MathLayout.isSum(text), !style.isScript, let sum = bigOperator(text, style: style) { return sum }
        let isWord = text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == " " }
        let bold = variant.contains(.bold)
        let family = isWord || bold ? Theme.serif : MathFont.family
        let spec = TextSpec(
            markup: Markup.escape(text), font: Font(family, em(style), bold: bold, italic: variant.contains(.italic)),
            color: color)
        let baseline = typesetter.baseline(spec)
        let ink = typesetter.ink(spec)
        var box = MathBox(width: typesetter.measure(spec).width, kind: kind)
        box.marks = [.text(spec, at: Point(0, -baseline))]
        if ink.size.width > 0 {
            box.ascent = baseline - ink.origin.y
            box.descent = ink.origin.y + ink.size.height - baseline
            box.inkRight = ink.origin.x + ink.size.width
            box.inkLeft = ink.origin.x
            box.glyphs = [ink.offset(by: Point(0, -baseline))]
        }
        return box
    }

    /// Σ (the Greek letter, as the lessons write it) and ∑ are the n-ary sum, a big operator in math.
    static func isSum(_ text: String) -> Bool { text == "Σ" || text == "∑" }

    /// The n-ary sum: in a display, the font's size variant at least displayOperatorMinHeight
    /// tall, else its text size; centred on the axis, a thin space after it, as TeX's Op atom.
    /// The PDF's text layer reads the character the lesson wrote.
    func bigOperator(_ text: String, style: MathStyle) -> MathBox? {
        let s = em(style)
        guard
            let glyph = font.variant(
                of: "∑", covering: style == .display ? font.displayOperatorMinHeight * s : 0, size: s)
        else { return nil }
        var box = onTheAxis(glyph, text: text, kind: .ordinary, style: style)
        box.width += 3.0 / 18 * s
        return box
    }

    /// A glyph of the font by id (a size variant), its ink centred on the math axis; its PDF text is `text`.
    func onTheAxis(
        _ glyph: (id: UInt32, advance: Double, ink: Rect), text: String, kind: Math.Class, style: MathStyle
    ) -> MathBox {
        let lift = -font.axisHeight * em(style) - (glyph.ink.origin.y + glyph.ink.size.height / 2)
        let ink = glyph.ink.offset(by: Point(0, lift))
        var box = MathBox(
            width: glyph.advance, ascent: -ink.origin.y, descent: ink.origin.y + ink.size.height,
            inkRight: ink.origin.x + ink.size.width, inkLeft: ink.origin.x, kind: kind)
        box.marks = [
            .glyph(
                Glyph(id: glyph.id, text: text, size: em(style), color: color, advance: glyph.advance, ink: glyph.ink),
                at: Point(0, lift))
        ]
        box.glyphs = [ink]
        return box
    }

    // MARK: Rows

    /// TeX's spaces between neighbours, in eighteenths of an em (mu); none beside an operator in scripts.
    func space(_ left: Math.Class, _ right: Math.Class, style: MathStyle) -> Double {
        let mu: Double =
            switch (left, right) {
            case (.ordinary, .binary), (.binary, .ordinary), (.binary, .open), (.close, .binary): style.isScript ? 0 : 4
            case (.ordinary, .relation), (.relation, .ordinary), (.relation, .open), (.close, .relation):
                style.isScript ? 0 : 5
            case (.punctuation, .close): 0
            case (.punctuation, _): style.isScript ? 0 : 3
            default: 0
            }
        return mu / 18 * em(style)
    }

    /// The row's items as boxes with their classes settled: a + or − with nothing to its left
    /// (a sign) is ordinary, and a written space beside an operator goes (`Math.dropsSpace`, as
    /// the notebook's LaTeX drops it).
    func settled(_ items: [Math], style: MathStyle) -> [MathBox] {
        var boxes = items.map { box($0, style: style) }
        for k in boxes.indices where boxes[k].kind == .binary {
            if case .atom(let text, _, _) = items[k] { boxes[k].isAdditive = ["+", "−", "-", "±", "∓"].contains(text) }
            let left = boxes[..<k].indices.last { !items[$0].isSpace }.map { boxes[$0].kind }
            let right = boxes.indices.dropFirst(k + 1).first { !items[$0].isSpace }.map { boxes[$0].kind }
            let unary = left.map { [.binary, .relation, .open, .punctuation].contains($0) } ?? true
            if unary || right == nil || [.relation, .close, .punctuation].contains(right!) {
                boxes[k].kind = .ordinary
            }
        }
        stretchBrackets(&boxes, items: items, style: style)
        return boxes.indices.compactMap { k in
            guard items[k].isSpace else { return boxes[k] }
            guard !Math.dropsSpace(at: k, in: items) else { return nil }
            var space = boxes[k]
            space.width = 0.3 * em(style)  // a word space in math, as between 1/m and Σ
            space.isSpace = true
            return space
        }
    }

    /// Brackets as tall as what they enclose, where it is half an em taller than they are: for each pair, inner pairs first, the font's
    /// smallest size variant that covers the content around the axis (at least 90% of it, or
    /// within 5 pt of it, as TeX's \delimiterfactor and \delimitershortfall allow), centred on the axis.
    func stretchBrackets(_ boxes: inout [MathBox], items: [Math], style: MathStyle) {
        let axis = font.axisHeight * em(style)
        var opened: [Int] = []
        for k in boxes.indices {
            if boxes[k].kind == .open {
                opened.append(k)
                continue
            }
            guard boxes[k].kind == .close, let start = opened.popLast(), k > start + 1 else { continue }
            let content = boxes[(start + 1)..<k]
            let reach = max(content.map { $0.ascent - axis }.max() ?? 0, content.map { $0.descent + axis }.max() ?? 0)
            let needed = 2 * reach
            for index in [start, k] {
                let normal = boxes[index].ascent + boxes[index].descent
                // Scripts inside need no taller bracket (TeX's plain ( does not grow); a fraction does.
                guard needed > normal + 0.5 * em(style), case .atom(let text, let kind, _) = items[index],
                    text.count == 1,
                    let variant = font.variant(
                        of: Character(text), covering: max(needed * 0.901, needed - 5), size: em(style)),
                    variant.ink.size.height > normal
                else { continue }
                boxes[index] = onTheAxis(variant, text: text, kind: kind, style: style)
            }
        }
    }

    func row(_ items: [Math], style: MathStyle) -> MathBox {
        join(settled(items, style: style), style: style)
    }

    func join(_ boxes: [MathBox], style: MathStyle) -> MathBox {
        var row = MathBox()
        var x = 0.0
        for (k, item) in boxes.enumerated() {
            if k > 0 { x += space(boxes[k - 1].kind, item.kind, style: style) }
            // Italic correction, as TeX adds it: ink leaning out of its advance (f before a bracket,
            // ∂ before an italic f) moves what follows clear of it.
            if k > 0, item.inkLeft.isFinite, row.inkLeft.isFinite, row.inkRight > x + item.inkLeft - 0.02 * em(style) {
                x = row.inkRight - item.inkLeft + 0.02 * em(style)
            }
            row.place(item, x: x)
            x += item.width
        }
        row.width = x
        if boxes.count == 1 { row.kind = boxes[0].kind }
        return row
    }
}

/// What `lessons-bench` times: the math layout alone, apart from the rest of a page.
///
///     let formulas = MathBenchmark.layOutEveryFormula(of: reports)   // lhs and lines of every step
public enum MathBenchmark {
    /// Lays out every step's left-hand side and lines as the step box does (display style, lines
    /// broken at the text width), with a fresh typesetter, so nothing is measured in advance; returns how many.
    public static func layOutEveryFormula(of reports: [Report]) -> Int {
        let layout = MathLayout(typesetter: Typesetter(), size: Theme.math.size)
        var count = 0
        for step in reports.flatMap(\.steps) {
            for line in [step.lhs] + step.rhs {
                _ = layout.lines(
                    line.math, style: .display, width: Page.a4.contentWidth - 80, indent: 2 * Theme.math.size)
                count += 1
            }
        }
        return count
    }
}
