import ReportModel

/// Radicals: the sign drawn from the font's size variants or assembled, over its radicand.
extension MathLayout {
    /// The radical sign tall enough for its radicand and the font's gap, its rule over the
    /// radicand from the sign's top; what the chosen size has to spare goes to the gap.
    func radical(_ radicand: Math, style: MathStyle) -> MathBox {
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
    func limits(_ sum: MathBox, sub: Math?, sup: Math?, style: MathStyle) -> MathBox {
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
}
