import ReportModel

/// A report as a 16:9 deck: a title slide, then one step, table, figure or note per slide under
/// its section's title, with the narrative before it when both fit. A step is never split; with
/// `reveal` its lines (formula, numbers, result) come on successive slides. What is still too big
/// for a slide (a wide matrix, a tall plot) is scaled down whole, so nothing leaves the slide.
///
///     var deck = SlideDeck(typesetter: Typesetter(page: .slide), reveal: true)
///     deck.add(report, footer: "Backpropagation"); let pages = deck.finished()
struct SlideDeck {
    let typesetter: Typesetter
    let reveal: Bool
    /// The top-level sections shown (1-based), or all.
    let sections: ClosedRange<Int>?
    var page: Page { typesetter.page }

    /// A slide's content, the section it belongs to, and the footer's text.
    struct Slide: Sendable {
        var marks: [Mark]
        var header: String?
        var footer: String
    }
    private(set) var slides: [Slide] = []
    /// Where each top-level section starts (0-based slide), for a handout's contents.
    private(set) var sectionStarts: [(number: String, title: String, slide: Int)] = []
    var header: String?
    var footer = ""
    /// Narrative waiting for the step, table or figure it leads to.
    var pending: [Box] = []
    /// Outline entries for the next slide made.
    var anchors: [Mark] = []

    /// Tables and figures are set at 70% of the slide's type (the body's 20 pt is 14 pt in them):
    /// then a table's columns wrap as little as on paper, and a plot or a network has the room of
    /// a page 1.4 times as wide.
    static let figureScale = 0.7

    init(typesetter: Typesetter, reveal: Bool, sections: ClosedRange<Int>? = nil) {
        self.typesetter = typesetter
        self.reveal = reveal
        self.sections = sections
    }

    var count: Int { slides.count }

    /// The report's title slide and its cells. In a handout `chapter` numbers the title and
    /// makes it an outline entry of its own.
    mutating func add(_ report: Report, footer: String, chapter: Int? = nil) {
        self.footer = footer
        header = nil
        var titled = report
        if let chapter { titled.title = .plain("\(chapter)   ") + report.title }
        var title = typesetter.titleBlock(titled)
        if let chapter {
            title.marks.append(.anchor(title: "\(chapter) \(report.title.plainText)", level: 1, at: Point(0, 0)))
        }
        // A title longer than the slide holds is set smaller, whole.
        let factor = min(1, (page.size.height - page.margin.bottom - 8) / title.height)
        let top = max(8, (page.size.height - title.height * factor) / 2 - 6)
        let marks =
            factor < 1
            ? [Mark.scaled(factor, at: Point(0, 0), title.marks.filter { !$0.isAnchor })]
                + title.marks.filter(\.isAnchor)
            : title.marks
        slides.append(
            Slide(marks: marks.map { $0.offset(by: Point(page.margin.left, top)) }, header: nil, footer: footer))
        var section = 0
        for block in report.blocks {
            if case .section = block { section += 1 }
            // A section not chosen is left out: the numbering pass gave the chosen their numbers (and
            // their figures' and tables') already.
            if let sections, !sections.contains(max(section, 1)) { continue }
            add([block])
        }
        flush()
    }

    mutating func add(_ blocks: [Block]) {
        let width = page.contentWidth
        for block in blocks {
            switch block {
            case .section(let section):
                flush()
                let (number, level) = (section.number, typesetter.level(of: section))
                if level == 0 { sectionStarts.append((number, section.title.plainText, slides.count)) }
                anchors.append(typesetter.anchor(section, number: number, level: level))
                let outer = header
                header = "\(number)   \(section.title.plainText)"
                add(section.content)
                flush()
                header = outer
            case .paragraph(let text):
                // A paragraph taller than a slide goes on over several, broken between sentences.
                var rest: RichText? = text
                while let text = rest {
                    let (head, tail) = SlideDeck.sentences(of: text) {
                        typesetter.paragraph($0, width: width).height <= room
                    }
                    pending.append(typesetter.paragraph(head, width: width))
                    rest = tail
                }
            case .step(let written):
                let whole = narrowed(written, width: width)
                for (step, rows) in parts(of: whole) {
                    let lines =
                        reveal && rows == SlideDeck.allRows && step.rhs.count > 1
                        ? Array(1...step.rhs.count) : [Int.max]
                    let boxes = lines.map { typesetter.box(for: step, width: width, shown: $0, rows: rows) }
                    present(boxes.map { [$0] })
                }
            case .table(let table):
                let scale = SlideDeck.figureScale
                present([typesetter.boxes(for: table, width: width / scale).map { $0.scaled(scale) }], breaks: true)
            case .figure(let figure):
                // A short lead-in keeps its figure on its slide: the figure takes the room left.
                let lead = pending.isEmpty ? 0 : height(pending) + 12
                let fits = lead < room * 0.35 ? room - lead : room
                let scale = SlideDeck.figureScale
                present([[typesetter.box(for: figure, width: width / scale, height: fits / scale).scaled(scale)]])
            case .note(let note):
                for part in parts(of: note) {
                    // A cell too big for a note on a slide (a long table) goes on as itself, over several.
                    if part.content.count == 1,
                        typesetter.box(for: part, width: width).height > room
                    {
                        var title = typesetter.paragraph(.plain("\(part.title.plainText)", .bold), width: width)
                        title.keepWithNext = true
                        pending.append(title)
                        add(part.content)
                    } else {
                        present([[typesetter.box(for: part, width: width)]])
                    }
                }
            }
        }
    }

    /// A step whose matrices make it wider or taller than the slide, with fewer of their columns
    /// and rows shown (down to two, ⋯ or ⋮, and the last, as the notation elides a large tensor)
    /// until it fits: the numbers stay at the slide's size rather than the whole step shrinking.
    func narrowed(_ step: Step, width: Double) -> Step {
        // Wide: the whole step. Tall: each line on its own, as a step too tall for one slide goes
        // on over several a line (or a row of lines) at a time.
        func wide(_ candidate: Step) -> Bool {
            let box = typesetter.box(for: candidate, width: width)
            return (typesetter.bounds(of: box.marks).map { $0.origin.x + $0.size.width } ?? 0) > width + 0.01
        }
        func tall(_ candidate: Step) -> Bool {
            candidate.rhs.contains { line in
                var single = candidate
                single.rhs = [line]
                return typesetter.box(for: single, width: width).height > room
            }
        }
        let matrices = ([step.lhs] + step.rhs).flatMap(\.segments).compactMap { segment -> MatrixView? in
            if case .matrix(let m) = segment { m } else { nil }
        }
        guard !matrices.isEmpty else { return step }
        var (c, r) = (matrices.map { $0.rows.first?.count ?? 0 }.max() ?? 0, matrices.map(\.rows.count).max() ?? 0)
        var narrowed = step
        // Columns while a row of numbers is too wide, then rows while a column of them is too tall.
        while c > 3 && wide(narrowed) {
            c -= 1
            narrowed = step.narrowingMatrices(toColumns: c)
        }
        while r > 3 && tall(narrowed) {
            r -= 1
            narrowed = step.narrowingMatrices(toColumns: c, rows: r)
        }
        return narrowed
    }

    /// The content area's height under the section title.
    var room: Double { page.contentHeight }

    func height(_ boxes: [Box]) -> Double {
        boxes.enumerated().reduce(0) { $0 + ($1.offset == 0 ? 0 : $1.element.spaceBefore) + $1.element.height }
    }

    /// Slides for one cell's states (one state, or a step's lines revealed one by one), each with
    /// the narrative before it when that fits; a table longer than a slide breaks between rows.
    mutating func present(_ states: [[Box]], breaks: Bool = false) {
        let full = states.last!
        var lead = pending
        pending = []
        // Narrative never shrinks with what it leads to: a cell too tall or too wide for the
        // slide with it (a wide matrix, set smaller) leaves it on a slide of its own.
        let wide = full.contains {
            typesetter.bounds(of: $0.marks).map { $0.origin.x + $0.size.width > page.contentWidth + 0.01 } ?? false
        }
        if !lead.isEmpty && (height(lead + full) > room || wide) {
            paginate(lead)
            lead = []
        }
        if breaks && height(lead + full) > room {
            paginate(lead + full)
            return
        }
        for state in states { slide(lead + state) }
    }

    /// Narrative with nothing to lead to (the end of a section) on slides of its own.
    mutating func flush() {
        if !pending.isEmpty { paginate(pending) }
        pending = []
    }

    /// Boxes over as many slides as they need, breaking between boxes (and table rows).
    mutating func paginate(_ boxes: [Box]) {
        let top = page.margin.top
        for placed in Pagination(boxes, firstTop: top, top: top, bottom: page.contentBottom).pages where !placed.isEmpty
        {
            let marks = placed.flatMap { y, box in box.marks.map { $0.offset(by: Point(0, y - top)) } }
            place(marks, height: placed.last!.top + placed.last!.box.height - top)
        }
    }

    /// Boxes stacked on one slide.
    mutating func slide(_ boxes: [Box]) {
        var (marks, y) = ([Mark](), 0.0)
        for (index, box) in boxes.enumerated() {
            if index > 0 { y += box.spaceBefore }
            marks += box.marks.map { $0.offset(by: Point(0, y)) }
            y += box.height
        }
        place(marks, height: y)
    }

    /// Content of `height` on a new slide, centred in the content area; scaled down whole if it
    /// is taller or wider than the area.
    mutating func place(_ content: [Mark], height: Double) {
        let width = max(page.contentWidth, typesetter.bounds(of: content).map { $0.origin.x + $0.size.width } ?? 0)
        let factor = min(1, room / max(height, 1), page.contentWidth / width)
        var marks = factor < 1 ? [Mark.scaled(factor, at: Point(0, 0), content)] : content
        let offset = Point(
            page.margin.left + (page.contentWidth - width * factor) / 2,
            page.margin.top + max(0, (room - height * factor) / 2) * 0.6)
        marks =
            anchors.map { $0.offset(by: Point(page.margin.left, page.margin.top)) }
            + marks.map { $0.offset(by: offset) }
        anchors = []
        slides.append(Slide(marks: marks, header: header, footer: footer))
    }

    /// Every row of a step's broken lines.
    static let allRows = 0..<Int.max

    /// Every slide with its section title above and its footer below: the deck's title (or the
    /// chapter) on the left, the slide number on the right. `first` is the first slide's number.
    func finished() -> [[Mark]] { SlideDeck.finished(slides, typesetter: typesetter, first: 1, total: slides.count) }

    static func finished(_ slides: [Slide], typesetter: Typesetter, first: Int, total: Int) -> [[Mark]] {
        let page = typesetter.page
        let (left, width) = (page.margin.left, page.contentWidth)
        return slides.enumerated().map { index, slide in
            var marks = slide.marks
            if let header = slide.header {
                // The section's title on one line above the rule: smaller if it is long, cut if still longer.
                var heading = typesetter.spec(.plain(header, .bold), Theme.heading, color: Theme.accent, width: width)
                if typesetter.measure(heading).height > 17 { heading.font = Theme.subheading }
                if typesetter.measure(heading).height > 17 {
                    heading = typesetter.spec(
                        .plain(header, .bold), Theme.subheading, color: Theme.accent, width: width, ellipsized: true)
                }
                marks += [
                    .text(heading, at: Point(left, 3)),
                    .line(
                        from: Point(left, page.margin.top - 3.5), to: Point(left + width, page.margin.top - 3.5),
                        width: 0.4, color: Theme.rule),
                ]
            }
            let y = page.size.height - page.margin.bottom + 2.5
            let footer = typesetter.header(
                left: .plain(slide.footer), right: .plain("\(first + index) / \(total)"), width: width)
            return marks + [
                .text(footer.left, at: Point(left, y)), .text(footer.right, at: Point(left + footer.rightX, y)),
            ]
        }
    }
}
