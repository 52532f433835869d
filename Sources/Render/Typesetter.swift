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

    /// Every figure laid out so far, in the report's order, for writing each to a file of its own.
    var figures: [FigureDrawing] { drawings.keys.sorted().compactMap { drawings[$0] } }

    /// Each figure's drawing by its ordinal: laid out again (measured, then placed), it is the last one.
    var drawings: [Int: FigureDrawing] = [:]

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
}
