import ReportModel

/// A step set as a teacher writes it: lhs = formula = numbers = result, the = signs aligned, lines
/// broken where they run past the width, the result shaded.
extension Typesetter {
    /// caption, then `lhs = line` with every further line starting under the first "=".
    /// Only the first `shown` lines are drawn, in the place they take in the whole step (slides reveal them);
    /// only `rows` of the broken lines are set, counted over all lines (a slide carries a tall step over several).
    func box(for step: Step, width: Double, shown: Int = .max, rows: Range<Int> = 0..<Int.max) -> Box {
        let (bar, padX, padY) = (2.5, 11.0, 6.5)
        var marks: [Mark] = []
        var y = padY
        // On a sheet and its key, the label the answer is written under, in a tag at the right.
        var tag: (spec: TextSpec, size: Size)?
        if step.showsLabel, let answer = step.answer {
            // A matrix is answered entry by entry: z2[0,1].
            let label = answer.label + (answer.entries.count > 1 ? "[r,c]" : "")
            let tagSpec = spec(.plain(label, .mono), Theme.tag, color: Theme.accent)
            tag = (tagSpec, measure(tagSpec))
        }
        if let caption = step.caption {
            let captionSpec = spec(
                caption, Theme.caption, color: Theme.muted,
                width: width - bar - 2 * padX - (tag.map { $0.size.width + 14 } ?? 0))
            marks.append(.text(captionSpec, at: Point(bar + padX, y)))
            y += measure(captionSpec).height + 2.5
        }
        if let tag {
            let origin = Point(width - padX - tag.size.width, padY)
            marks += [
                .rect(
                    Rect(origin.x - 4, origin.y - 1.5, tag.size.width + 8, tag.size.height + 3), fill: Theme.white,
                    stroke: Theme.rule,
                    lineWidth: 0.5, radius: 2),
                .text(tag.spec, at: origin),
            ]
            if step.caption == nil { y += tag.size.height + 2.5 }
        }
        let set = stepLines(step, width: width)
        let (lhs, equals, equalsX, x) = (set.lhs, set.equals, set.equalsX, set.x)
        let em = Theme.math.size
        let (strutAscent, strutDescent, lineGap) = (0.78 * em, 0.26 * em, 0.4 * em)
        var visible: Int?
        var previousDescent: Double?
        var baseline = y
        var row = -1
        for (index, (indent, pieces)) in set.lines.enumerated() {
            if index == shown { visible = marks.count }
            let blank = step.isResult(line: index) && step.answerBox
            for (k, piece) in pieces.enumerated() {
                row += 1
                guard rows.contains(row) else { continue }
                var ascent = max(piece.ascent, strutAscent, k == 0 ? equals.ascent : 0)
                if index == 0 && k == 0 { ascent = max(ascent, lhs.ascent) }
                // Baselines at least 1.3 em apart; further when ink above and below would come closer than the gap.
                baseline =
                    previousDescent.map { max(baseline + 1.3 * em, baseline + $0 + lineGap + ascent) } ?? y + ascent
                if index == 0 && k == 0 { marks += lhs.marks.map { $0.offset(by: Point(bar + padX, baseline)) } }
                if k == 0 { marks += equals.marks.map { $0.offset(by: Point(equalsX, baseline)) } }
                marks += piece.marks.map { $0.offset(by: Point(x + (k == 0 ? 0 : indent), baseline)) }
                var descent = max(piece.descent, strutDescent, index == 0 && k == 0 ? lhs.descent : 0)
                if blank && !piece.isMatrix {
                    // The box a student writes the result in, as wide as a long number written by hand.
                    marks.append(
                        .rect(
                            Rect(x, baseline - strutAscent - 2, 120, strutAscent + strutDescent + 6), fill: Theme.white,
                            stroke: Theme.muted, lineWidth: 0.6, radius: 2))
                    descent += 5
                }
                previousDescent = descent
            }
        }
        y = baseline + (previousDescent ?? 0) + 2.5
        let height = y - 2.5 + padY
        // A row of numbers that no break can shorten runs past the box (a slide then scales the
        // whole step down): the shading still covers it.
        let ink = bounds(of: marks).map { $0.origin.x + $0.size.width } ?? 0
        let right = ink > width + 0.01 ? ink + padX : width
        let background: [Mark] = [
            .rect(Rect(0, 0, right, height), fill: Theme.stepFill, radius: 2),
            .rect(Rect(0, 0, bar, height), fill: Theme.accent),
        ]
        return Box(height: height, marks: background + marks.prefix(visible ?? marks.count), spaceBefore: 7)
    }

    /// A step's lines laid out: lhs, "=", where the lines start, and each line broken at its
    /// relations and operators where it would cross the box (a continuation hangs 2 em in).
    func stepLines(_ step: Step, width: Double)
        -> (lhs: MathBox, equals: MathBox, equalsX: Double, x: Double, lines: [(indent: Double, pieces: [MathBox])])
    {
        let (bar, padX) = (2.5, 11.0)
        let layout = MathLayout(typesetter: self, size: Theme.math.size)
        let em = Theme.math.size
        let lhs = layout.box(step.lhs.math, style: .display)
        let equals = layout.box(.atom("=", .relation, []), style: .display)
        let thick = 5.0 / 18 * em
        let equalsX = bar + padX + lhs.width + thick
        let x = equalsX + equals.width + thick
        let lines = step.rhs.enumerated().map { index, line -> (indent: Double, pieces: [MathBox]) in
            let isResult = step.isResult(line: index)
            if isResult && step.answerBox {
                // A box to write in; for a matrix, a box per entry in brackets of the result's shape.
                let blank = line.matrixShape.map {
                    layout.blankMatrix(rows: $0.rows, columns: $0.columns, style: .display)
                }
                return (2 * em, [blank ?? MathBox()])
            }
            // A continuation hangs 2 em past the "="; where a bracket would then have to break, it
            // hangs less: under the "=", then 2 em from the box's left edge, where a bracket fits whole.
            let math = isResult ? line.math.bold() : line.math
            let hangs = [2 * em, 0, min(0, bar + padX + 2 * em - x)]
            let found = hangs.lazy.compactMap { hang in
                layout.lines(math, style: .display, width: width - x - padX, indent: hang, insideBrackets: false).map {
                    (hang, $0)
                }
            }.first
            return found ?? (2 * em, layout.lines(math, style: .display, width: width - x - padX, indent: 2 * em))
        }
        return (lhs, equals, equalsX, x, lines)
    }

    /// How many lines a step's formulas take once broken to `width` (what `box(for:width:rows:)` counts).
    func rowCount(of step: Step, width: Double) -> Int {
        stepLines(step, width: width).lines.reduce(0) { $0 + $1.pieces.count }
    }
}
