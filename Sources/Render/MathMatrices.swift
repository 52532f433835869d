import ReportModel

/// Bracketed matrices: columns aligned, brackets grown from the font's variants or assembled.
extension MathLayout {
    /// Cells right-aligned in their columns (numbers line up), rows apart by their own ink,
    /// in square brackets drawn as rules, centred on the math axis.
    func matrix(_ rows: [[Math]], style: MathStyle) -> MathBox {
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
        addBrackets(to: &box, width: total, top: top, height: height, bracket: bracket)
        return box
    }

    /// An exercise's blank matrix result: `rows` × `columns` boxes to write in, each as wide as
    /// a number written by hand and tall enough to write it (about 5 mm on the page, where 1.2 em
    /// kept backprop-matrix's sheet a page shorter but cramped the hand), in `matrix`'s brackets.
    /// A slide carries a step this tall over two slides, as the key's matrices of numbers are.
    func blankMatrix(rows: Int, columns: Int, style: MathStyle) -> MathBox {
        let s = em(style) * 0.905
        let (cellWidth, cellHeight) = (5.6 * s, 1.45 * s)
        let (pad, gap, rowGap) = (3.5, 5.0, 0.3 * s)
        let height = Double(rows) * cellHeight + rowGap * Double(max(rows - 1, 0)) + 4
        let top = -font.axisHeight * em(style) - height / 2
        var box = MathBox()
        for r in 0..<rows {
            for c in 0..<columns {
                let origin = Point(
                    1 + pad + Double(c) * (cellWidth + gap), top + 2 + Double(r) * (cellHeight + rowGap))
                box.marks.append(
                    .rect(
                        Rect(origin.x, origin.y, cellWidth, cellHeight), fill: Theme.white, stroke: Theme.muted,
                        lineWidth: 0.6, radius: 2))
            }
        }
        let total = Double(columns) * cellWidth + gap * Double(max(columns - 1, 0)) + 2 * pad + 2
        addBrackets(to: &box, width: total, top: top, height: height, bracket: 3.0)
        box.isMatrix = true
        return box
    }

    /// Square brackets as rules at both edges of `width`, and the box's extent from them.
    private func addBrackets(to box: inout MathBox, width total: Double, top: Double, height: Double, bracket: Double) {
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
    }
}
