import Report

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
    private var page: Page { typesetter.page }

    /// A slide's content, the section it belongs to, and the footer's text.
    struct Slide: Sendable {
        var marks: [Mark]
        var header: String?
        var footer: String
    }
    private(set) var slides: [Slide] = []
    /// Where each top-level section starts (0-based slide), for a handout's contents.
    private(set) var sectionStarts: [(number: String, title: String, slide: Int)] = []
    private var header: String?
    private var footer = ""
    /// Narrative waiting for the step, table or figure it leads to.
    private var pending: [Box] = []
    /// Outline entries for the next slide made.
    private var anchors: [Mark] = []

    init(typesetter: Typesetter, reveal: Bool) {
        self.typesetter = typesetter
        self.reveal = reveal
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
        if let chapter { title.marks.append(.anchor(title: "\(chapter) \(report.title.plainText)", level: 1, at: Point(0, 0))) }
        let top = max(page.margin.top, (page.size.height - title.height) / 2 - 12)
        slides.append(Slide(marks: title.marks.map { $0.offset(by: Point(page.margin.left, top)) }, header: nil, footer: footer))
        add(report.blocks)
        flush()
    }

    private mutating func add(_ blocks: [Block]) {
        let width = page.contentWidth
        for block in blocks {
            switch block {
            case .section(let section):
                flush()
                let (number, level) = typesetter.openSection(section)
                if level == 0 { sectionStarts.append((number, section.title.plainText, slides.count)) }
                anchors.append(typesetter.anchor(section, number: number, level: level))
                let outer = header
                header = "\(number)   \(section.title.plainText)"
                add(section.content)
                flush()
                header = outer
                typesetter.closeSection()
            case .paragraph(let text):
                pending.append(typesetter.paragraph(text, width: width))
            case .step(let step):
                let lines = reveal && step.rhs.count > 1 ? Array(1...step.rhs.count) : [Int.max]
                let boxes = lines.map { typesetter.box(for: step, width: width, shown: $0) }
                present(boxes.map { [$0] })
            case .table(let table):
                present([typesetter.boxes(for: table, width: width)], breaks: true)
            case .figure(let figure):
                // A short lead-in keeps its figure on its slide: the figure takes the room left.
                let lead = pending.isEmpty ? 0 : height(pending) + 12
                let fits = lead < room * 0.35 ? room - lead : room
                present([[typesetter.box(for: figure, width: width, height: fits)]])
            case .note(let note):
                for part in parts(of: note) {
                    // A cell too big for a note on a slide (a long table) goes on as itself, over several.
                    if part.content.count == 1, typesetter.trial({ typesetter.box(for: part, width: width) }).height > room {
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

    /// The content area's height under the section title.
    private var room: Double { page.contentHeight }

    private func height(_ boxes: [Box]) -> Double {
        boxes.enumerated().reduce(0) { $0 + ($1.offset == 0 ? 0 : $1.element.spaceBefore) + $1.element.height }
    }

    /// Slides for one cell's states (one state, or a step's lines revealed one by one), each with
    /// the narrative before it when that fits; a table longer than a slide breaks between rows.
    private mutating func present(_ states: [[Box]], breaks: Bool = false) {
        let full = states.last!
        var lead = pending
        pending = []
        if !lead.isEmpty && height(lead + full) > room {
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
    private mutating func flush() {
        if !pending.isEmpty { paginate(pending) }
        pending = []
    }

    /// Boxes over as many slides as they need, breaking between boxes (and table rows).
    private mutating func paginate(_ boxes: [Box]) {
        let top = page.margin.top
        for placed in Pagination(boxes, firstTop: top, top: top, bottom: page.contentBottom).pages where !placed.isEmpty {
            let marks = placed.flatMap { y, box in box.marks.map { $0.offset(by: Point(0, y - top)) } }
            place(marks, height: placed.last!.top + placed.last!.box.height - top)
        }
    }

    /// Boxes stacked on one slide.
    private mutating func slide(_ boxes: [Box]) {
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
    private mutating func place(_ content: [Mark], height: Double) {
        let width = max(page.contentWidth, typesetter.bounds(of: content).map { $0.origin.x + $0.size.width } ?? 0)
        let factor = min(1, room / max(height, 1), page.contentWidth / width)
        var marks = factor < 1 ? [Mark.scaled(factor, at: Point(0, 0), content)] : content
        let offset = Point(page.margin.left + (page.contentWidth - width * factor) / 2,
                           page.margin.top + max(0, (room - height * factor) / 2) * 0.6)
        marks = anchors.map { $0.offset(by: Point(page.margin.left, page.margin.top)) } + marks.map { $0.offset(by: offset) }
        anchors = []
        slides.append(Slide(marks: marks, header: header, footer: footer))
    }

    /// A note in parts that each fit a slide, split between its cells; later parts say they continue.
    private func parts(of note: Note) -> [Note] {
        var parts: [Note] = []
        var current = note
        current.content = []
        for block in note.content {
            var longer = current
            longer.content.append(block)
            if !current.content.isEmpty && typesetter.trial({ typesetter.box(for: longer, width: page.contentWidth) }).height > room {
                parts.append(current)
                current.content = [block]
                current.title = note.title + " (continued)"
            } else {
                current = longer
            }
        }
        return parts + [current]
    }

    /// Every slide with its section title above and its footer below: the deck's title (or the
    /// chapter) on the left, the slide number on the right. `first` is the first slide's number.
    func finished() -> [[Mark]] { SlideDeck.finished(slides, typesetter: typesetter, first: 1, total: slides.count) }

    static func finished(_ slides: [Slide], typesetter: Typesetter, first: Int, total: Int) -> [[Mark]] {
        let page = typesetter.page
        let (left, width) = (page.margin.left, page.contentWidth)
        return slides.enumerated().map { index, slide in
            var marks = slide.marks
            if let header = slide.header {
                var heading = typesetter.spec(.plain(header, .bold), Theme.heading, color: Theme.accent, width: width)
                if typesetter.measure(heading).height > 20 { heading.font = Theme.subheading }
                marks += [.text(heading, at: Point(left, 12)),
                          .line(from: Point(left, page.margin.top - 8), to: Point(left + width, page.margin.top - 8), width: 0.6, color: Theme.rule)]
            }
            let y = page.size.height - page.margin.bottom + 8
            let footer = typesetter.header(left: .plain(slide.footer), right: .plain("\(first + index) / \(total)"), width: width)
            return marks + [.text(footer.left, at: Point(left, y)), .text(footer.right, at: Point(left + footer.rightX, y))]
        }
    }
}
