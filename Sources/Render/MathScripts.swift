import ReportModel

/// Fractions and scripts set from the math font's MATH constants: stacked or slashed fractions,
/// super- and subscripts shifted and kerned as TeX sets them.
extension MathLayout {
    func fraction(_ top: Math, _ bottom: Math, style: MathStyle) -> MathBox {
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

    func scripts(_ base: Math, sub: Math?, sup: Math?, style: MathStyle) -> MathBox {
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
}
