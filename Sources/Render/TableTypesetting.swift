import ReportModel

/// A booktabs table, row by row so that a long one breaks between rows and repeats its header.
extension Typesetter {
    /// A booktabs table: rules above and below the header and at the end, no vertical lines.
    /// Each row is its own box, so a table longer than a page breaks between rows and repeats its header.
    func boxes(for table: Table, width: Double) -> [Box] {
        let (padX, padY) = (7.0, 2.8)
        // A text column never gets narrower than its longest word: cells wrap at spaces only,
        // never inside a word ("simultaneo-us").
        func longest(_ text: RichText, _ font: Font) -> Double {
            text.plainText.split(separator: " ").map { measure(spec(.plain(String($0)), font)).width + 2 }.max() ?? 0
        }
        func narrowest(_ headerFont: Font, _ cellFont: Font) -> Double {
            table.columns.indices.map { j in
                let words = [longest(table.columns[j].header, headerFont)] + table.rows.map { longest($0[j], cellFont) }
                let whole =
                    [measure(spec(table.columns[j].header, headerFont)).width]
                    + table.rows.map { measure(spec($0[j], cellFont)).width }
                return (table.columns[j].alignment == .leading ? words.max()! : whole.max()!) + 2 * padX
            }.reduce(0, +)
        }
        // A table too wide even with its words unbroken is set smaller, down to three quarters of the size.
        var (headerFont, cellFont) = (Theme.tableHeader, Theme.tableCell)
        // Text does not measure exactly in proportion to its size, so the factor is refined a few times.
        let pads = 2 * padX * Double(table.columns.count)
        for _ in 0..<3 {
            let least = narrowest(headerFont, cellFont)
            guard least > width + 0.01, cellFont.size > 0.75 * Theme.tableCell.size + 0.001 else { break }
            let factor = max(0.75 * Theme.tableCell.size / cellFont.size, (width - pads) / (least - pads) * 0.995)
            headerFont.size *= factor
            cellFont.size *= factor
        }
        let header = table.columns.map { spec($0.header, headerFont) }
        let cells = table.rows.map { $0.map { spec($0, cellFont) } }
        var columnWidths = table.columns.indices.map { j in
            ([header[j]] + cells.map { $0[j] }).map { measure($0).width }.max()! + 2 * padX
        }
        let natural = columnWidths.reduce(0, +)
        if natural > width {
            // Numbers keep their width; the widest text columns give up space first and wrap:
            // find the cap T with Σ min(textWidth, T) equal to what the numbers leave.
            let isText = table.columns.map { $0.alignment == .leading }
            let available = width - zip(columnWidths, isText).filter { !$0.1 }.map(\.0).reduce(0, +)
            var (low, high) = (0.0, columnWidths.max()!)
            for _ in 0..<40 {
                let cap = (low + high) / 2
                let used = zip(columnWidths, isText).map { $1 ? min($0, cap) : 0 }.reduce(0, +)
                if used > available { high = cap } else { low = cap }
            }
            let longestWord = table.columns.indices.map { j in
                max(
                    longest(table.columns[j].header, headerFont), table.rows.map { longest($0[j], cellFont) }.max() ?? 0
                )
            }
            columnWidths = zip(columnWidths, isText).enumerated().map { j, column in
                column.1 ? min(column.0, max(low, longestWord[j] + 2 * padX)) : column.0
            }
        }
        let tableWidth = columnWidths.reduce(0, +)
        // Centred; one still wider than `width` at three quarters of the size starts at the left edge, and a slide scales it.
        let left = max(0, (width - tableWidth) / 2)
        let xs = columnWidths.indices.map { j in left + columnWidths[..<j].reduce(0, +) }

        func row(_ specs: [TextSpec], top: Double) -> (marks: [Mark], height: Double) {
            var marks: [Mark] = []
            var height = 0.0
            for (j, var cell) in specs.enumerated() {
                cell.width = columnWidths[j] - 2 * padX
                cell.alignment =
                    switch table.columns[j].alignment {
                    case .leading: .left
                    case .center: .center
                    case .trailing: .right
                    }
                marks.append(.text(cell, at: Point(xs[j] + padX, top + padY)))
                height = max(height, measure(cell).height)
            }
            return (marks, height + 2 * padY)
        }
        func rule(_ y: Double, _ weight: Double) -> Mark {
            .line(from: Point(left, y), to: Point(left + tableWidth, y), width: weight, color: Theme.ink)
        }

        var headMarks: [Mark] = []
        var y = 0.0
        if let caption = table.caption {
            let captionSpec = spec(
                .plain("Table \(table.number). ", .bold) + caption, Theme.caption, color: Theme.muted,
                width: width)
            headMarks.append(.text(captionSpec, at: Point(0, 0)))
            y += measure(captionSpec).height + 4
        }
        let headerTop = y
        let headerRow = row(header, top: y + 0.8)
        let headerMarks = [rule(y + 0.4, 0.8)] + headerRow.marks + [rule(y + 0.8 + headerRow.height, 0.5)]
        y += headerRow.height + 1.3
        let continuation = Box.Continuation(
            marks: headerMarks.map { $0.offset(by: Point(0, -headerTop)) }, height: y - headerTop)
        var boxes = [Box(height: y, marks: headMarks + headerMarks, spaceBefore: 9, keepWithNext: true)]
        for (index, cellRow) in cells.enumerated() {
            var (marks, height) = row(cellRow, top: 0)
            if index == cells.count - 1 {
                marks.append(rule(height + 0.4, 0.8))
                height += 1
            }
            var box = Box(height: height, marks: marks)
            box.continuation = continuation
            boxes.append(box)
        }
        // A table that fits on a page moves to the next one whole; a longer one breaks between rows,
        // never before its last row alone.
        if boxes.map(\.height).reduce(0, +) <= page.contentHeight {
            for index in boxes.indices.dropLast() { boxes[index].keepWithNext = true }
        } else if boxes.count > 2 {
            boxes[boxes.count - 2].keepWithNext = true
        }
        return boxes
    }
}
