import Report

/// Sets a line of mathematics that holds matrices: each matrix in brackets with its columns
/// aligned (numbers to the right), every segment centred on the line's axis. A line wider than
/// the space breaks between segments, the rest continuing below.
///
///     let drawn = MathSetter(typesetter: t).marks(for: MathLine(segments: [.matrix(W), .text(" "), .matrix(x)]), width: 380)
struct MathSetter {
    let typesetter: Typesetter
    private let font = Theme.math
    private let cellFont = Font(Theme.serif, 9.5)

    /// The marks from the top-left corner, the height, and the first row's axis (its centre).
    func marks(for line: MathLine, width: Double) -> (marks: [Mark], height: Double, firstAxis: Double) {
        let pieces = line.segments.map(piece)
        // Greedy rows: a segment that would cross the width starts a new row.
        var rows: [[(marks: [Mark], size: Size)]] = [[]]
        var used = 0.0
        for p in pieces {
            if used + p.size.width > width && !rows[rows.count - 1].isEmpty {
                rows.append([])
                used = 0
            }
            rows[rows.count - 1].append(p)
            used += p.size.width
        }
        var marks: [Mark] = []
        var y = 0.0, firstAxis = 0.0
        for (r, row) in rows.enumerated() {
            let height = row.map(\.size.height).max() ?? 0
            if r == 0 { firstAxis = height / 2 }
            var x = r == 0 ? 0 : 12.0  // continuation rows indented
            for p in row {
                marks += p.marks.map { $0.offset(by: Point(x, y + (height - p.size.height) / 2)) }
                x += p.size.width
            }
            y += height + (r < rows.count - 1 ? 4 : 0)
        }
        return (marks, y, firstAxis)
    }

    private func piece(_ segment: MathLine.Segment) -> (marks: [Mark], size: Size) {
        switch segment {
        case .text(let text):
            let spec = typesetter.spec(text, font)
            return ([.text(spec, at: Point(0, 0))], typesetter.measure(spec))
        case .matrix(let matrix):
            return self.matrix(matrix)
        }
    }

    /// Cells right-aligned in their columns, in square brackets drawn as lines.
    private func matrix(_ m: MatrixView) -> (marks: [Mark], size: Size) {
        let specs = m.rows.map { $0.map { typesetter.spec($0, cellFont) } }
        let sizes = specs.map { $0.map(typesetter.measure) }
        let columns = m.rows.first?.count ?? 0
        let widths = (0..<columns).map { c in sizes.map { $0[c].width }.max() ?? 0 }
        let heights = sizes.map { $0.map(\.height).max() ?? 0 }
        let (pad, gap, bracket) = (3.5, 7.0, 3.0)
        let inner = widths.reduce(0, +) + gap * Double(max(columns - 1, 0))
        let height = heights.reduce(0, +) + 2
        let total = inner + 2 * pad + 2
        var marks: [Mark] = []
        var y = 1.0
        for (r, row) in specs.enumerated() {
            var x = 1 + pad
            for (c, cell) in row.enumerated() {
                marks.append(.text(cell, at: Point(x + widths[c] - sizes[r][c].width, y)))
                x += widths[c] + gap
            }
            y += heights[r]
        }
        for (edge, toward) in [(0.5, bracket), (total - 0.5, -bracket)] {
            marks.append(.path([[Point(edge + toward, 0), Point(edge, 0), Point(edge, height), Point(edge + toward, height)]],
                               closed: false, fill: nil, stroke: Theme.ink, lineWidth: 0.7))
        }
        return (marks, Size(total + 3, height))
    }
}
