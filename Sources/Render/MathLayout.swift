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
    private var font: MathFont { MathFont.shared }

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

    private func with(_ box: MathBox, _ change: (inout MathBox) -> Void) -> MathBox {
        var box = box
        change(&box)
        return box
    }

    // MARK: Atoms

    /// Letters, digits and spaces in the text's face (DejaVu Serif, as the prose), every other
    /// character (operators, ∂, brackets) in the math font; a result wholly in the text's bold.
    private func atom(_ text: String, _ kind: Math.Class, _ variant: Math.Variant, style: MathStyle) -> MathBox {
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
    private func bigOperator(_ text: String, style: MathStyle) -> MathBox? {
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
    private func onTheAxis(
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
    private func space(_ left: Math.Class, _ right: Math.Class, style: MathStyle) -> Double {
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
    private func settled(_ items: [Math], style: MathStyle) -> [MathBox] {
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
    private func stretchBrackets(_ boxes: inout [MathBox], items: [Math], style: MathStyle) {
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

    private func row(_ items: [Math], style: MathStyle) -> MathBox {
        join(settled(items, style: style), style: style)
    }

    private func join(_ boxes: [MathBox], style: MathStyle) -> MathBox {
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

    // MARK: Breaking

    /// The formula in lines no wider than `width`: broken before a relation where one is
    /// needed, else before a binary operator, outside brackets where a break there fits; each
    /// line after the first starts `indent` further right (its width is that much less).
    func lines(_ math: Math, style: MathStyle, width: Double, indent: Double) -> [MathBox] {
        lines(math, style: style, width: width, indent: indent, insideBrackets: true)!
    }

    /// The same lines, or nil where a break inside brackets would be needed and `insideBrackets` is false.
    func lines(_ math: Math, style: MathStyle, width: Double, indent: Double, insideBrackets: Bool) -> [MathBox]? {
        let boxes = settled(math.items, style: style)
        let whole = join(boxes, style: style)
        guard whole.width > width, boxes.count > 1 else { return [whole] }
        // Break opportunities: before an operator, outside brackets (relations preferred); inside
        // the shallowest brackets only when nothing outside them fits, rather than run off the page.
        // Each opportunity's rank: after a comma (between two formulas of a rule) first, then before
        // a relation, then before a + or −, then before a product's · or × (a term kept whole), and
        // last between two matrices side by side, where the continuation opens with the × the
        // product leaves unwritten (as a textbook breaks AB over two lines).
        var depth = 0
        var operators: [(index: Int, rank: Int, depth: Int)] = []
        for (k, b) in boxes.enumerated() {
            if b.kind == .open { depth += 1 }
            if b.kind == .close { depth = max(0, depth - 1) }
            if k > 0, b.kind == .binary || b.kind == .relation {
                operators.append((k, b.kind == .relation ? 2 : b.isAdditive ? 1 : 0, depth))
            }
            if b.kind == .punctuation, k + 1 < boxes.count { operators.append((k + 1, 3, depth)) }
            if k > 0, b.isMatrix, boxes[..<k].last(where: { !$0.isSpace })?.isMatrix == true {
                operators.append((k, -1, depth))
            }
        }
        let times = box(.atom("×", .binary, []), style: style)
        let implicit = Set(operators.filter { $0.rank == -1 }.map(\.index))
        // The boxes of a line from `start`: a product's continuation opens with its ×.
        func piece(_ range: Range<Int>) -> MathBox {
            let open = implicit.contains(range.lowerBound) ? [times] : []
            let end =
                range.upperBound < boxes.count && implicit.contains(range.upperBound)
                    && boxes[range.upperBound - 1].isSpace
                ? range.upperBound - 1 : range.upperBound
            return join(open + Array(boxes[range.lowerBound..<end]), style: style)
        }
        var lines: [MathBox] = []
        var start = 0
        while start < boxes.count {
            let room = lines.isEmpty ? width : width - indent
            let rest = piece(start..<boxes.count)
            if rest.width <= room {
                lines.append(rest)
                break
            }
            // The last break that still fits, a relation if one fits, else an operator, at the least depth that has one.
            let fitting = operators.filter { $0.index > start && piece(start..<$0.index).width <= room }
            let shallowest = fitting.map(\.depth).min()
            // (A formula wholly inside one pair of brackets, Σ(…), breaks at that pair's top level.)
            if !insideBrackets, let shallowest, shallowest > operators.map(\.depth).min()! { return nil }
            let candidates = fitting.filter { $0.depth == shallowest }
            let best = candidates.map(\.rank).max()
            guard
                let end = candidates.last(where: { $0.rank == best })?.index
                    ?? operators.first(where: { $0.index > start })?.index
            else {
                lines.append(rest)  // no break point left: the piece runs on (a matrix wider than the page)
                break
            }
            lines.append(piece(start..<end))
            start = end
        }
        return lines
    }

    // MARK: Fractions and scripts

    private func fraction(_ top: Math, _ bottom: Math, style: MathStyle) -> MathBox {
        let parts = style.fractionParts
        let (numerator, denominator) = (box(top, style: parts), box(bottom, style: parts))
        let s = em(style)
        let display = style == .display
        let (rule, axis) = (font.fractionRuleThickness * s, font.axisHeight * s)
        var up = (display ? font.fractionNumeratorDisplayShiftUp : font.fractionNumeratorShiftUp) * s
        var down = (display ? font.fractionDenominatorDisplayShiftDown : font.fractionDenominatorShiftDown) * s
        let gapAbove = (display ? font.fractionNumeratorDisplayGapMin : font.fractionNumeratorGapMin) * s
        let gapBelow = (display ? font.fractionDenominatorDisplayGapMin : font.fractionDenominatorGapMin) * s
        up = max(up, numerator.descent + axis + rule / 2 + gapAbove)
        down = max(down, denominator.ascent - axis + rule / 2 + gapBelow)
        // The bar overhangs its parts a little, and keeps clear of its neighbours (TeX's null delimiters).
        let (overhang, clearance) = (0.08 * s, 0.1 * s)
        let inner = max(numerator.width, denominator.width)
        var box = MathBox()
        box.place(numerator, x: clearance + overhang + (inner - numerator.width) / 2, shift: -up)
        box.place(denominator, x: clearance + overhang + (inner - denominator.width) / 2, shift: down)
        let bar = Rect(clearance, -axis - rule / 2, inner + 2 * overhang, rule)
        box.marks.append(.rect(bar, fill: color))
        box.glyphs.append(bar)
        box.width = inner + 2 * (overhang + clearance)
        box.inkRight = box.width - clearance
        box.inkLeft = clearance
        box.ascent = max(box.ascent, axis + rule / 2)
        return box
    }

    private func scripts(_ base: Math, sub: Math?, sup: Math?, style: MathStyle) -> MathBox {
        if style == .display, case .atom(let text, _, _) = base, MathLayout.isSum(text) {
            return limits(box(base, style: style), sub: sub, sup: sup, style: style)
        }
        let nucleus = box(base, style: style)
        let s = em(style)
        // A letter's scripts start from the font's shifts; a taller base (a fraction, a bracket
        // with scripts) pushes them out by its own height and depth.
        let isCharacter = if case .atom = base { true } else { false }
        var result = nucleus
        let raised = sup.map { box($0, style: style.scripts) }
        let lowered = sub.map { box($0, style: style.scripts) }
        var up = 0.0
        var down = 0.0
        if let raised {
            up = max(
                isCharacter ? 0 : nucleus.ascent - font.superscriptBaselineDropMax * s, font.superscriptShiftUp * s,
                raised.descent + font.superscriptBottomMin * s)
        }
        if let lowered {
            down = max(
                isCharacter ? 0 : nucleus.descent + font.subscriptBaselineDropMin * s, font.subscriptShiftDown * s,
                lowered.ascent - font.subscriptTopMax * s)
        }
        if let raised, let lowered {
            let gap = (up - raised.descent) - (lowered.ascent - down)
            var needed = font.subSuperscriptGapMin * s - gap
            if needed > 0 {
                let raise = min(needed, font.superscriptBottomMaxWithSubscript * s - (up - raised.descent))
                if raise > 0 {
                    up += raise
                    needed -= raise
                }
                down += max(needed, 0)
            }
        }
        // A raised clears the base's ink (an italic letter leans past its advance).
        // A script whose ink reaches left of its origin (the hook of j) moves right by that much.
        func reach(_ script: MathBox?) -> Double { min(0, script?.inkLeft.isFinite == true ? script!.inkLeft : 0) }
        let supX = max(nucleus.width, nucleus.inkRight + 0.03 * s - reach(raised))
        var end = nucleus.width
        // The subscript's marks before the superscript's: the tree's order, which text extraction reads.
        // The subscript clears the base's ink too (W and Σ reach past their advance at the foot).
        let subX = max(nucleus.width, nucleus.inkRight - reach(lowered))
        if let lowered {
            result.place(lowered, x: subX, shift: down)
            end = max(end, subX + lowered.width)
        }
        if let raised {
            result.place(raised, x: supX, shift: -up)
            end = max(end, supX + raised.width)
        }
        result.width = end + font.spaceAfterScript * s
        result.kind = nucleus.kind
        return result
    }

    // MARK: Radicals

    /// The radical sign tall enough for its radicand and the font's gap, its rule over the
    /// radicand from the sign's top; what the chosen size has to spare goes to the gap.
    private func radical(_ radicand: Math, style: MathStyle) -> MathBox {
        let inner = box(radicand, style: style)
        let s = em(style)
        let rule = font.radicalRuleThickness * s
        var gap = (style == .display ? font.radicalDisplayStyleVerticalGap : font.radicalVerticalGap) * s
        let needed = inner.ascent + inner.descent + gap + rule
        var result = MathBox()
        guard let sign = font.variant(of: "√", covering: needed, size: s) else {
            result = atom("√", .ordinary, [], style: style)
            result.place(inner, x: result.width)
            return result
        }
        gap += max(0, sign.ink.size.height - needed) / 2
        let top = -(inner.ascent + gap + rule)
        let lift = top - sign.ink.origin.y
        result.marks = [
            .glyph(
                Glyph(id: sign.id, text: "√", size: s, color: color, advance: sign.advance, ink: sign.ink),
                at: Point(0, lift))
        ]
        let signInk = sign.ink.offset(by: Point(0, lift))
        result.glyphs = [signInk]
        result.inkLeft = signInk.origin.x
        result.ascent = -top + font.radicalExtraAscender * s
        result.descent = signInk.origin.y + signInk.size.height
        let start = signInk.origin.x + signInk.size.width
        // A radicand whose ink leans left of its origin (λ) starts clear of the sign's ink.
        let x = max(sign.advance, start, start - inner.inkLeft)
        result.place(inner, x: x)
        let bar = Rect(start - rule, top, x + inner.width - start + rule, rule)
        result.marks.append(.rect(bar, fill: color))
        result.width = x + inner.width
        result.inkRight = max(result.inkRight, bar.origin.x + bar.size.width)
        return result
    }

    /// A display's sum with its limits centred below and above it, by the font's limit gaps.
    private func limits(_ sum: MathBox, sub: Math?, sup: Math?, style: MathStyle) -> MathBox {
        let s = em(style)
        let (below, above) = (sub.map { box($0, style: style.scripts) }, sup.map { box($0, style: style.scripts) })
        let thin = 3.0 / 18 * s
        let operatorWidth = sum.width - thin
        let width = max(operatorWidth, below?.width ?? 0, above?.width ?? 0)
        var result = MathBox()
        result.place(sum, x: (width - operatorWidth) / 2)
        if let below {
            let down = max(font.lowerLimitBaselineDropMin * s, sum.descent + font.lowerLimitGapMin * s + below.ascent)
            result.place(below, x: (width - below.width) / 2, shift: down)
        }
        if let above {
            let up = max(font.upperLimitBaselineRiseMin * s, sum.ascent + font.upperLimitGapMin * s + above.descent)
            result.place(above, x: (width - above.width) / 2, shift: -up)
        }
        result.width = width + thin
        return result
    }

    // MARK: Matrices

    /// Cells right-aligned in their columns (numbers line up), rows apart by their own ink,
    /// in square brackets drawn as rules, centred on the math axis.
    private func matrix(_ rows: [[Math]], style: MathStyle) -> MathBox {
        let cellLayout = MathLayout(typesetter: typesetter, size: em(style) * 0.905, color: color)
        let cells = rows.map { $0.map { cellLayout.box($0, style: .text) } }
        let columns = rows.first?.count ?? 0
        let widths = (0..<columns).map { c in cells.map { $0[c].width }.max() ?? 0 }
        let s = cellLayout.size
        let ascents = cells.map { max($0.map(\.ascent).max() ?? 0, 0.72 * s) }
        let descents = cells.map { max($0.map(\.descent).max() ?? 0, 0.22 * s) }
        let (pad, gap, rowGap, bracket) = (3.5, 7.0, 0.3 * s, 3.0)
        let height = zip(ascents, descents).map { $0 + $1 }.reduce(0, +) + rowGap * Double(max(rows.count - 1, 0)) + 2
        let top = -font.axisHeight * em(style) - height / 2
        var box = MathBox()
        var baseline = top + 1
        for (r, row) in cells.enumerated() {
            baseline += ascents[r]
            var x = 1 + pad
            for (c, cell) in row.enumerated() {
                box.place(cell, x: x + widths[c] - cell.width, shift: baseline)
                x += widths[c] + gap
            }
            baseline += descents[r] + rowGap
        }
        let total = widths.reduce(0, +) + gap * Double(max(columns - 1, 0)) + 2 * pad + 2
        for (edge, toward) in [(0.5, bracket), (total - 0.5, -bracket)] {
            box.marks.append(
                .path(
                    [
                        [
                            Point(edge + toward, top), Point(edge, top), Point(edge, top + height),
                            Point(edge + toward, top + height),
                        ]
                    ],
                    closed: false, fill: nil, stroke: color, lineWidth: 0.7))
        }
        box.ascent = max(box.ascent, -top)
        box.descent = max(box.descent, top + height)
        box.width = total + 3
        box.inkRight = total
        box.inkLeft = 0
        return box
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
