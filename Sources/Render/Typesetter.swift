import ReportModel

/// Lays a numbered report's cells out as boxes of marks (`Report.numbered(chapter:)` counted
/// them): measures text and draws steps, tables and notes. Knows typography, nothing about
/// lessons. Laying a cell out has no effect but its box and its figure's drawing, so a cell may be
/// laid out only to measure it.
final class Typesetter {
    private let measurer = Measurer()
    /// The page the boxes are laid out for: a table that fits on one moves whole, a figure fits in its height.
    let page: Page

    init(page: Page = .a4) { self.page = page }
    /// In a handout, the chapter: its sections sit one level down in the PDF outline, and its
    /// figures are filed under it.
    var chapter: Int?

    func measure(_ spec: TextSpec) -> Size { measurer.size(spec) }

    private struct ContourKey: Hashable { let xs, ys, values, levels: [Double] }
    private var traced: [ContourKey: (regions: [[[Point]]], lines: [[Contours.Line]])] = [:]

    /// A field's filled regions and level lines at each level, traced once per document.
    func contours(of field: Plot.Field, levels: [Double]) -> (regions: [[[Point]]], lines: [[Contours.Line]]) {
        let key = ContourKey(xs: field.xs, ys: field.ys, values: field.values, levels: levels)
        if let known = traced[key] { return known }
        let result = (
            levels.map { Contours.region(field, atLeast: $0) }, levels.map { Contours.lines(field, level: $0) }
        )
        traced[key] = result
        return result
    }

    /// The rectangle the marks cover (text as its box, at least its wrapping width); nil for none.
    func bounds(of marks: [Mark]) -> Rect? {
        var (x0, y0, x1, y1) = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
        func cover(_ r: Rect) {
            (x0, y0) = (min(x0, r.origin.x), min(y0, r.origin.y))
            (x1, y1) = (max(x1, r.origin.x + r.size.width), max(y1, r.origin.y + r.size.height))
        }
        func cover(_ points: [Point], pad: Double) {
            for p in points { cover(Rect(p.x - pad, p.y - pad, 2 * pad, 2 * pad)) }
        }
        for mark in marks {
            switch mark {
            case .text(let spec, let at):
                let size = measure(spec)
                cover(Rect(at.x, at.y, max(size.width, spec.width ?? 0), size.height))
            case .line(let a, let b, let width, _, _): cover([a, b], pad: width / 2)
            case .rect(let r, _, _, let width, _, _), .ellipse(let r, _, _, let width, _):
                cover(Rect(r.origin.x - width / 2, r.origin.y - width / 2, r.size.width + width, r.size.height + width))
            case .circle(let c, let radius, _, _, let width): cover([c], pad: radius + width / 2)
            case .polyline(let points, let width, _), .curve(let points, let width, _): cover(points, pad: width / 2)
            case .path(let lines, _, _, _, let width, _): cover(lines.flatMap { $0 }, pad: width / 2)
            case .polygon(let points, _): cover(points, pad: 0)
            case .glyph(let glyph, let at): cover(glyph.ink.offset(by: at))
            case .clipped(let r, _): cover(r)
            case .scaled(let factor, let at, let inner):
                if let r = bounds(of: inner) {
                    cover(
                        Rect(
                            at.x + factor * r.origin.x, at.y + factor * r.origin.y, factor * r.size.width,
                            factor * r.size.height))
                }
            case .anchor: break
            }
        }
        return x0.isFinite ? Rect(x0, y0, x1 - x0, y1 - y0) : nil
    }

    /// Distance from the top of the text to its first baseline.
    func baseline(_ spec: TextSpec) -> Double { measurer.baseline(spec) }

    /// The rectangle the text's ink covers, from its top-left corner.
    func ink(_ spec: TextSpec) -> Rect { measurer.ink(spec) }

    /// A text box spec in the theme's ink.
    func spec(
        _ text: RichText, _ font: Font, color: Color = Theme.ink, width: Double? = nil,
        alignment: TextSpec.Alignment = .left, lineSpacing: Double = 1, ellipsized: Bool = false
    ) -> TextSpec {
        TextSpec(
            markup: Markup.from(text), font: font, color: color, width: width, alignment: alignment,
            lineSpacing: lineSpacing,
            ellipsized: ellipsized)
    }

    /// A running header's two texts on one line: `left` from the left edge, `right` against the
    /// right, each cut with "…" where both would not fit (the right one to at most 40%).
    func header(left: RichText, right: RichText, width: Double) -> (left: TextSpec, right: TextSpec, rightX: Double) {
        let gap = 18.0
        let natural = (left: measure(spec(left, Theme.small)).width, right: measure(spec(right, Theme.small)).width)
        let rightWidth =
            natural.left + gap + natural.right <= width
            ? natural.right : min(natural.right, max(width * 0.4, width - gap - natural.left))
        let leftWidth = width - gap - rightWidth
        return (
            spec(left, Theme.small, color: Theme.muted, width: leftWidth, ellipsized: true),
            spec(right, Theme.small, color: Theme.muted, width: rightWidth, alignment: .right, ellipsized: true),
            width - rightWidth
        )
    }

    func boxes(for blocks: [Block], width: Double) -> [Box] {
        blocks.flatMap { boxes(for: $0, width: width) }
    }

    func boxes(for block: Block, width: Double) -> [Box] {
        switch block {
        case .section(let section): return boxes(for: section, width: width)
        case .paragraph(let text):
            // A lead-in ("…through the updated network:") stays with what it introduces.
            var box = paragraph(text, width: width)
            box.keepWithNext = text.plainText.hasSuffix(":")
            return [box]
        case .step(let step): return [box(for: step, width: width)]
        case .table(let table): return boxes(for: table, width: width)
        case .figure(let figure): return [box(for: figure, width: width, height: page.contentHeight - 60)]
        case .note(let note): return boxes(for: note, width: width)
        }
    }

    // MARK: Title, sections, text

    func titleBlock(_ report: Report) -> Box {
        let width = page.contentWidth
        var marks: [Mark] = []
        var y = 0.0
        func add(_ spec: TextSpec, gap: Double) {
            marks.append(.text(spec, at: Point(0, y)))
            y += measure(spec).height + gap
        }
        add(spec(report.title, Theme.title, width: width), gap: 4)
        if let subtitle = report.subtitle {
            add(spec(subtitle, Theme.subtitle, color: Theme.muted, width: width), gap: 6)
        }
        var meta = RichText.plain("Lesson ") + .plain(report.lesson, .mono)
        if let source = report.source { meta += .plain(" · " + source) }
        add(spec(meta, Theme.small, color: Theme.muted, width: width), gap: report.hint == nil ? 8 : 2)
        if let hint = report.hint { add(spec(hint, Theme.small, color: Theme.muted, width: width), gap: 8) }
        marks.append(.line(from: Point(0, y), to: Point(width, y), width: 0.8, color: Theme.accent))
        return Box(height: y + 4, marks: marks)
    }

    /// A section's outline level: 0 at the top, 1 for every section below (numbered 2.1).
    func level(of section: Section) -> Int { min(section.depth - 1, 1) }

    /// The outline entry of a section: one level down in a handout, where chapters are the top.
    func anchor(_ section: Section, number: String, level: Int) -> Mark {
        .anchor(
            title: "\(number) \(section.title.plainText)", level: level + 1 + (chapter == nil ? 0 : 1), at: Point(0, 0))
    }

    /// A numbered heading kept with what follows it.
    private func boxes(for section: Section, width: Double) -> [Box] {
        let (number, level) = (section.number, level(of: section))
        var heading = spec(section.title.adding(.bold), level == 0 ? Theme.heading : Theme.subheading, width: width)
        heading.markup = Markup.colored(number, Theme.accent) + "   " + heading.markup
        let marks: [Mark] = [anchor(section, number: number, level: level), .text(heading, at: Point(0, 0))]
        var head = Box(
            height: measure(heading).height + 3, marks: marks, spaceBefore: level == 0 ? 16 : 11, keepWithNext: true)
        head.isHeading = true
        return [head] + boxes(for: section.content, width: width)
    }

    func paragraph(_ text: RichText, width: Double, font: Font = Theme.body, spaceBefore: Double = 6) -> Box {
        let textSpec = spec(text, font, width: width, lineSpacing: 1.08)
        return Box(
            height: measure(textSpec).height, marks: [.text(textSpec, at: Point(0, 0))], spaceBefore: spaceBefore)
    }

    // MARK: Steps

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
                if blank {
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
    private func stepLines(_ step: Step, width: Double)
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
            guard !(isResult && step.answerBox) else { return (2 * em, [MathBox()]) }
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

    // MARK: Tables

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

    // MARK: Notes and figures

    /// A note as one box, for a slide, which holds it whole.
    func box(for note: Note, width: Double) -> Box { boxes(for: note, width: width, splittable: false)[0] }

    /// A tinted box with a coloured bar, a title and its own cells laid out inside; as one box,
    /// or (`splittable`) as one box per cell, so a long note breaks between its cells across a
    /// page and the tint runs on, the title staying with its first cell.
    func boxes(for note: Note, width: Double, splittable: Bool = true) -> [Box] {
        let (bar, pad) = (3.0, 10.0)
        let inner = width - bar - 2 * pad
        let accent = note.kind == .errata ? Theme.errataAccent : Theme.accent
        let titleSpec = spec(note.title, Theme.noteTitle, color: accent, width: inner)
        // Each cell's marks from the top of its own slice, and the slice's height.
        var slices: [(marks: [Mark], height: Double)] = [
            ([.text(titleSpec, at: Point(bar + pad, pad))], pad + measure(titleSpec).height)
        ]
        for block in note.content {
            let parts: [Box]
            if case .paragraph(let text) = block {
                parts = [paragraph(text, width: inner, font: Theme.noteBody, spaceBefore: 4)]
            } else {
                parts = boxes(for: block, width: inner)
            }
            for part in parts {
                let marks = part.marks.map { $0.offset(by: Point(bar + pad, part.spaceBefore)) }
                slices.append((marks, part.spaceBefore + part.height))
            }
        }
        slices[slices.count - 1].height += pad
        // The title and the first cell are one slice: a title never ends a page.
        if slices.count > 1 {
            let first = slices.removeFirst()
            slices[0] = (
                first.marks + slices[0].marks.map { $0.offset(by: Point(0, first.height)) },
                first.height + slices[0].height
            )
        }
        if !splittable {
            var y = 0.0
            var marks: [Mark] = []
            for slice in slices {
                marks += slice.marks.map { $0.offset(by: Point(0, y)) }
                y += slice.height
            }
            slices = [(marks, y)]
        }
        let fill = note.kind == .errata ? Theme.errataFill : Theme.remarkFill
        return slices.enumerated().map { index, slice in
            let background: [Mark] = [
                .rect(Rect(0, 0, width, slice.height), fill: fill, radius: 2),
                .rect(Rect(0, 0, bar, slice.height), fill: accent),
            ]
            var box = Box(height: slice.height, marks: background + slice.marks, spaceBefore: index == 0 ? 10 : 0)
            // A slice holding one line of text stays with its neighbours: no cell of one line alone across a break.
            box.keepWithNext = index == slices.count - 2 && slices[slices.count - 1].height < 30
            return box
        }
    }

    /// Lays out only the figures of `blocks`, at the widths the page layout gives them (a note's
    /// inside its bar and padding), registering each: a web page needs its figures, not its pages.
    func layOutFigures(of blocks: [Block], width: Double) {
        for block in blocks {
            switch block {
            case .section(let section): layOutFigures(of: section.content, width: width)
            case .note(let note): layOutFigures(of: note.content, width: width - 3 - 2 * 10)
            case .figure(let figure): _ = box(for: figure, width: width, height: page.contentHeight - 60)
            case .paragraph, .step, .table: break
            }
        }
    }

    /// Every figure laid out so far, in the report's order, for writing each to a file of its own.
    var figures: [FigureDrawing] { drawings.keys.sorted().compactMap { drawings[$0] } }

    /// Each figure's drawing by its ordinal: laid out again (measured, then placed), it is the last one.
    private var drawings: [Int: FigureDrawing] = [:]

    /// A figure and its caption within `width` × `height`: a drawing too tall is laid out narrower,
    /// which keeps its type at full size, before it is scaled down as a last resort.
    func box(for figure: Figure, width: Double, height: Double) -> Box {
        let captionSpec = spec(
            .plain("Figure \(figure.number). ", .bold) + figure.caption, Theme.caption,
            color: Theme.muted, width: width)
        let room = height - 5 - measure(captionSpec).height
        var drawing = self.drawing(figure.content, width: width, height: room)
        for _ in 0..<2 where drawing.size.height > room {
            drawing = self.drawing(
                figure.content, width: max(width / 2, drawing.size.width * room / drawing.size.height * 0.98),
                height: room)
        }
        // A graph drawn whole at its best arrangement may still be too tall or, on a slide, too
        // wide (attention's left-to-right graph): scaled down until it fits both ways.
        if drawing.size.height > room || drawing.size.width > width {
            let (byHeight, byWidth) = (room / drawing.size.height, width / drawing.size.width)
            let factor = min(byHeight, byWidth)
            // Held by its height, it takes the room exactly (as before the width was looked at).
            drawing = (
                [.scaled(factor, at: Point(0, 0), drawing.marks)],
                Size(drawing.size.width * factor, byHeight <= byWidth ? room : drawing.size.height * factor)
            )
        }
        drawings[figure.ordinal] = FigureDrawing(
            number: figure.ordinal, chapter: chapter, caption: figure.caption.plainText, marks: drawing.marks,
            size: drawing.size)
        let centred = drawing.marks.map { $0.offset(by: Point((width - drawing.size.width) / 2, 0)) }
        let marks = centred + [.text(captionSpec, at: Point(0, drawing.size.height + 5))]
        var box = Box(height: drawing.size.height + 5 + measure(captionSpec).height, marks: marks, spaceBefore: 12)
        box.floats = true
        return box
    }

    /// A figure's marks within `width` (and, for graphs, `height`; nil: its natural size).
    func drawing(_ content: Figure.Content, width: Double, height: Double?) -> (marks: [Mark], size: Size) {
        switch content {
        case .network(let network):
            let drawn = NetworkDrawing(network: network, width: width, typesetter: self).marks()
            return (drawn.marks, Size(width, drawn.height))
        case .plot(let plot):
            let drawn = PlotDrawing(plot: plot, typesetter: self, width: width).marks()
            return (drawn.marks, Size(width, drawn.height))
        case .panels(let panels):
            let drawn = PanelsDrawing(panels: panels, typesetter: self, width: width).marks()
            return (drawn.marks, Size(width, drawn.height))
        case .graph(let graph):
            let drawn = GraphDrawing(
                graph: graph, typesetter: self, bounds: height.map { Size(width, $0) }, mayCut: !page.isLandscape
            ).draw()
            return (drawn.marks, drawn.size)
        }
    }
}
