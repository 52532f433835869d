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

    private mutating func add(_ blocks: [Block]) {
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
    private func narrowed(_ step: Step, width: Double) -> Step {
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
    private mutating func flush() {
        if !pending.isEmpty { paginate(pending) }
        pending = []
    }

    /// Boxes over as many slides as they need, breaking between boxes (and table rows).
    private mutating func paginate(_ boxes: [Box]) {
        let top = page.margin.top
        for placed in Pagination(boxes, firstTop: top, top: top, bottom: page.contentBottom).pages where !placed.isEmpty
        {
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

    /// A step in parts that each fit a slide at full size, split between its lines, each part
    /// with the left-hand side (the caption on the first; the result, with at least the line
    /// before it, on the last); a step that fits is one part. A step that no split between its
    /// lines makes fit (one formula broken over many lines) is split between the rows of its lines.
    private func parts(of step: Step) -> [(step: Step, rows: Range<Int>)] {
        // A rule (no result) reads as one formula over its lines: it is not split.
        guard step.hasResult, !fits(step) else { return [(step, SlideDeck.allRows)] }
        if step.rhs.count > 1 {
            for split in stride(from: step.rhs.count - 2, through: 1, by: -1) {
                var (head, tail) = (step, step)
                (head.rhs, head.hasResult, head.answerBox, head.answer) = (Array(step.rhs[..<split]), false, false, nil)
                (tail.rhs, tail.caption, tail.showsLabel) = (Array(step.rhs[split...]), nil, false)
                if fits(head) { return [(head, SlideDeck.allRows)] + parts(of: tail) }
            }
        }
        return rowParts(of: step)
    }

    /// A step over as many slides as its rows need, each taking the most rows that fit at full
    /// size; the caption and label on the first, the result with at least the row before it on the last.
    private func rowParts(of step: Step) -> [(step: Step, rows: Range<Int>)] {
        let count = typesetter.rowCount(of: step, width: page.contentWidth)
        guard count > 1 else { return [(step, SlideDeck.allRows)] }
        var (parts, part, start) = ([(step: Step, rows: Range<Int>)](), step, 0)
        while start < count {
            var end = start + 1
            while end < count, fits(part, rows: start..<end + 1) { end += 1 }
            if end == count - 1, end - start > 1 { end -= 1 }
            parts.append((part, start..<end))
            // A slide that starts inside a formula says whose it is.
            (part.caption, part.showsLabel) = (step.lhs.math.richText + " (continued)", false)
            start = end
        }
        return parts
    }

    private func fits(_ step: Step, rows: Range<Int> = SlideDeck.allRows) -> Bool {
        typesetter.box(for: step, width: page.contentWidth, rows: rows).height <= room
    }

    /// A note in parts that each fit a slide, split between its cells; later parts say they continue.
    private func parts(of note: Note) -> [Note] {
        var parts: [Note] = []
        var current = note
        current.content = []
        func fits(_ note: Note) -> Bool {
            typesetter.box(for: note, width: page.contentWidth).height <= room
        }
        var blocks = note.content[...]
        while let block = blocks.popFirst() {
            var longer = current
            longer.content.append(block)
            if fits(longer) {
                current = longer
                continue
            }
            // A paragraph that does not fit gives this part the sentences that do; the rest goes on.
            if case .paragraph(let text) = block {
                func with(_ text: RichText) -> Note {
                    var part = current
                    part.content.append(.paragraph(text))
                    return part
                }
                let (head, tail) = SlideDeck.sentences(of: text) { fits(with($0)) }
                if let tail, current.content.isEmpty || fits(with(head)) {
                    current = with(head)
                    blocks.insert(.paragraph(tail), at: blocks.startIndex)
                    parts.append(current)
                    (current.content, current.title) = ([], note.title + " (continued)")
                    continue
                }
            }
            if current.content.isEmpty {
                current = longer  // one cell bigger than a slide: it is set smaller
            } else {
                blocks.insert(block, at: blocks.startIndex)  // on the next part, whole or split there
                parts.append(current)
                (current.content, current.title) = ([], note.title + " (continued)")
            }
        }
        return parts + [current]
    }

    /// The first sentences of `text` for which `fits` holds, and the rest, if any: broken where a
    /// sentence ends (". " before a capital or a digit), else after a clause's comma, semicolon
    /// or colon, else between words, in plain runs only (never inside a formula's runs).
    static func sentences(of text: RichText, fitting fits: (RichText) -> Bool) -> (head: RichText, tail: RichText?) {
        guard !fits(text) else { return (text, nil) }
        func ends(_ mark: String, where ok: (Character?) -> Bool) -> [(run: Int, offset: String.Index)] {
            var ends: [(run: Int, offset: String.Index)] = []
            for (k, run) in text.runs.enumerated() where run.style.isDisjoint(with: [.mono, .lowered, .raised]) {
                var index = run.text.startIndex
                while let range = run.text[index...].range(of: mark) {
                    index = range.upperBound
                    let next = index < run.text.endIndex ? run.text[index] : text.runs[(k + 1)...].first?.text.first
                    if next != nil, ok(next) { ends.append((k, index)) }
                }
            }
            return ends
        }
        func split(at end: (run: Int, offset: String.Index)) -> (RichText, RichText) {
            var head = RichText(runs: Array(text.runs[..<end.run]))
            var tail = RichText()
            let run = text.runs[end.run]
            head.append(RichText.Run(String(run.text[..<end.offset].dropLast()), run.style))
            tail.append(RichText.Run(String(run.text[end.offset...]), run.style))
            for later in text.runs[(end.run + 1)...] { tail.append(later) }
            return (head, tail)
        }
        let sentence = ends(". ") { $0!.isUppercase || $0!.isNumber } + ends(".” ") { $0!.isUppercase || $0!.isNumber }
        let clause = ends(", ") { _ in true } + ends("; ") { _ in true } + ends(": ") { _ in true }
        for level in [sentence, clause, ends(" ") { _ in true }] {
            let pieces = level.sorted { ($0.run, $0.offset) < ($1.run, $1.offset) }.map(split)
            if let piece = pieces.last(where: { fits($0.0) }) { return piece }
        }
        return (text, nil)
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
