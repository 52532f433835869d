import Foundation
import ReportModel

/// Several reports as one course handout: a cover, the contents with page numbers,
/// each report a numbered chapter starting on a new page (its sections, tables and figures
/// numbered within it), running headers with the chapter, and an outline that mirrors the contents.
///
///     let handout = Handout([a.report, b.report], title: "Week 3", date: "2026-11-23")
///     let pdf = try handout.document.pdf()
public struct Handout: Sendable {
    public let document: Document
    private let reports: [Report]
    private let title: String, date: String?
    /// Each chapter's figures, in order.
    private let chapterFigures: [[Drawing]]
    /// Each contents entry: its number ("2" or "2.3"), title and 1-based page, in order.
    public let contents: [(number: String, title: String, page: Int)]

    /// One report laid out as chapter `number`: its pages (or slides), where its sections start, its figures.
    /// Laid out once, a chapter serves every handout it is in (each variant's sheet, say).
    public struct Chapter: Sendable {
        let report: Report
        let layout: Layout
        let pages: [[Mark]]
        /// A deck's slides, numbered when the handout is put together.
        let slides: [SlideDeck.Slide]
        let entries: [(number: String, title: String, page: Int)]
        let figures: [Drawing]
        /// The exercises of the sheet, numbered and labeled as the full report has them (for its answers template).
        public var exercises: [Exercise] = []
        /// The lesson's name, as `lessons list` gives it.
        public var lesson: String { report.lesson }

        public init(_ report: Report, number: Int, layout: Layout = .a4) {
            (self.report, self.layout) = (report, layout)
            let page = layout.page
            let typesetter = Typesetter(page: page)
            typesetter.chapter = number
            let numbered = report.numbered(chapter: number)
            var entries = [(number: "\(number)", title: report.title.plainText, page: 0)]
            if case .slides(let reveal, _) = layout {
                // A deck's contents list its chapters; their sections are in the outline.
                var deck = SlideDeck(typesetter: typesetter, reveal: reveal)
                deck.add(numbered, footer: "\(number)  \(report.title.plainText)", chapter: number)
                (pages, slides, self.entries, figures) = (
                    [], deck.slides, entries, typesetter.figures.map(Drawing.init)
                )
                return
            }
            var titled = report
            titled.title = .plain("\(number)   ") + report.title
            var head = typesetter.titleBlock(titled)
            head.marks.append(.anchor(title: "\(number) \(report.title.plainText)", level: 1, at: Point(0, 0)))
            let boxes = typesetter.boxes(for: numbered.blocks, width: page.contentWidth)
            let top = page.margin.top
            var pages = Pagination(boxes, firstTop: top + head.height + 2, top: top, bottom: page.contentBottom).pages
                .map { placed in
                    placed.flatMap { top, box in box.marks.map { $0.offset(by: Point(page.margin.left, top)) } }
                }
            pages[0] = head.marks.map { $0.offset(by: Point(page.margin.left, top)) } + pages[0]
            // Where each section's heading landed, from the outline anchors on the pages.
            for case .section(let section) in numbered.blocks {
                let (number, title) = (section.number, section.title.plainText)
                let anchor = "\(number) \(title)"
                let page =
                    pages.firstIndex {
                        $0.contains { if case .anchor(let t, _, _) = $0 { t == anchor } else { false } }
                    } ?? 0
                entries.append((number, title, page))
            }
            (self.pages, slides, self.entries, figures) = (pages, [], entries, typesetter.figures.map(Drawing.init))
        }

        var pageCount: Int { slides.isEmpty ? pages.count : slides.count }
    }

    public init(_ reports: [Report], title: String, date: String?, layout: Layout = .a4) {
        self.init(
            chapters: reports.enumerated().map { Chapter($1, number: $0 + 1, layout: layout) }, title: title,
            date: date, layout: layout)
    }

    /// Chapters laid out beforehand, numbered 1, 2, … in this order and all in `layout`.
    public init(chapters: [Chapter], title: String, date: String?, layout: Layout = .a4) {
        let page = layout.page
        let (top, bottom, width) = (page.margin.top, page.contentBottom, page.contentWidth)
        let reports = chapters.map(\.report)
        let figures = chapters.map(\.figures)
        // The contents: a line per entry, as many pages as that takes.
        let typesetter = Typesetter(page: page)
        let slides = if case .slides = layout { true } else { false }
        let lineHeight = 15.0
        let headingHeight = slides ? 22.0 : 40.0
        let contentsTop = slides ? 6 : top
        // The contents' pages, by the same rule that sets them below (a chapter line takes 3 points
        // more): the page numbers in them depend on how many there are.
        var contentsPages = 1
        do {
            var y = contentsTop + headingHeight
            for isChapter in chapters.flatMap({ $0.entries.map { !$0.number.contains(".") } }) {
                if y + lineHeight > bottom { (contentsPages, y) = (contentsPages + 1, contentsTop) }
                y += lineHeight + (isChapter ? 3 : 0)
            }
        }
        var start = 2 + contentsPages
        var contents: [(number: String, title: String, page: Int)] = []
        for chapter in chapters {
            contents += chapter.entries.map { ($0.number, $0.title, start + $0.page) }
            start += chapter.pageCount
        }
        let total = start - 1

        var pages: [[Mark]] = [
            Handout.cover(title: title, date: date, chapters: reports.count, typesetter: typesetter, slides: slides)
        ]
        var contentsPage: [Mark] = [
            .text(
                typesetter.spec(
                    .plain("Contents", .bold), slides ? Theme.heading : Theme.title,
                    color: slides ? Theme.accent : Theme.ink), at: Point(page.margin.left, contentsTop))
        ]
        var y = contentsTop + headingHeight
        for entry in contents {
            if y + lineHeight > bottom {
                pages.append(contentsPage)
                (contentsPage, y) = ([], contentsTop)
            }
            let isChapter = !entry.number.contains(".")
            let indent = isChapter ? 0.0 : 22
            let font = isChapter ? Theme.subheading : Theme.body
            let label = typesetter.spec(
                .plain(entry.number, isChapter ? .bold : []) + "   " + .plain(entry.title, isChapter ? .bold : []),
                font, width: width - indent - 40)
            let number = typesetter.spec(.plain("\(entry.page)"), font, width: width, alignment: .right)
            let x = page.margin.left + indent
            // No link over the entry: cairo 1.16 numbers a link to a later page wrongly in /Annots
            // (a damaged file whose links go nowhere); the outline mirrors the contents instead.
            contentsPage += [.text(label, at: Point(x, y)), .text(number, at: Point(page.margin.left, y))]
            y += lineHeight + (isChapter ? 3 : 0)
        }
        pages.append(contentsPage)
        if slides {
            // A deck numbers its slides itself; each chapter's footer names the chapter.
            var first = pages.count + 1
            for chapter in chapters {
                pages += SlideDeck.finished(chapter.slides, typesetter: typesetter, first: first, total: total)
                first += chapter.slides.count
            }
        } else {
            for chapter in chapters {
                // The running header from a chapter's second page on; its first page opens with its title.
                pages += chapter.pages.enumerated().map {
                    $0.offset == 0
                        ? $0.element
                        : $0.element
                            + Handout.header(chapter: chapter.entries[0], handout: title, typesetter: typesetter)
                }
            }
        }
        for index in 1..<(slides ? 1 + contentsPages : pages.count) {
            let footer = typesetter.spec(
                .plain("\(index + 1) / \(total)"), Theme.small, color: Theme.muted, width: width, alignment: .center)
            pages[index].append(
                .text(footer, at: Point(page.margin.left, page.size.height - page.margin.bottom + (slides ? 2.5 : 20))))
        }
        document = Document(
            pages: pages, size: page.mediaSize, scale: page.scale, title: title, figures: figures.flatMap { $0 },
            report: reports.first!)
        self.contents = contents
        (self.reports, self.title, self.date, chapterFigures) = (reports, title, date, figures)
    }

    /// The handout as one Markdown page; its figures are the PNGs `folder/CC-NN-slug.png`.
    public func markdown(figures folder: String) -> String {
        Markdown.handout(
            reports, title: title, date: date, figures: chapterFigures.map { $0.map { "\(folder)/\($0.fileStem).png" } }
        )
    }

    /// The handout as web pages: the index `name.html` with the contents, and a page per chapter
    /// `name-chapters/NN-lesson.html`, each linking to the contents and the chapters either side.
    /// Paths are relative to the index's folder; figures are inline SVG, so there is nothing else.
    public func webPages(name: String) -> [(path: String, render: @Sendable () throws(RenderError) -> String)] {
        let folder = "\(name)-chapters"
        let (reports, title, date) = (self.reports, self.title, self.date)
        let files = reports.enumerated().map { String(format: "%02d-", $0.offset + 1) + $0.element.lesson + ".html" }
        let index = HTMLPage.index(
            title: title, date: date, chapters: zip(files, reports).map { ("\(folder)/\($0)", $1) })
        var pages: [(path: String, render: @Sendable () throws(RenderError) -> String)] = [("\(name).html", { index })]
        for (k, report) in reports.enumerated() {
            let figures = chapterFigures[k]
            let neighbour = { (j: Int) in
                reports.indices.contains(j) ? (file: files[j], title: "\(j + 1) \(reports[j].title.plainText)") : nil
            }
            let navigation = HTMLPage.Navigation(
                contents: "../\(name).html", previous: neighbour(k - 1), next: neighbour(k + 1))
            pages.append(
                (
                    "\(folder)/\(files[k])",
                    { () throws(RenderError) in
                        let svgs = try figures.map { figure throws(RenderError) in try figure.svg() }
                        return HTMLPage(report, figures: svgs, chapter: k + 1, navigation: navigation).text
                    }
                ))
        }
        return pages
    }

    /// The handout as one Jupyter notebook, its figures embedded as PNG at `dpi`.
    public func notebook(dpi: Double) throws(RenderError) -> String {
        let all = chapterFigures.flatMap { $0 }
        let pngs = try Output.parallel(all.count) { k throws(RenderError) in try all[k].png(dpi: dpi) }
        var (start, perChapter) = (0, [[Data]]())
        for chapter in chapterFigures {
            perChapter.append(Array(pngs[start..<start + chapter.count]))
            start += chapter.count
        }
        return Notebook.handout(reports, title: title, date: date, figures: perChapter)
    }

    /// A tinted band with the title at its foot, then the date and what the handout holds.
    private static func cover(title: String, date: String?, chapters: Int, typesetter: Typesetter, slides: Bool)
        -> [Mark]
    {
        let page = typesetter.page
        let (left, width) = (page.margin.left, page.contentWidth)
        let band = (page.size.height * 0.297).rounded()
        var marks: [Mark] = [.rect(Rect(0, 0, page.size.width, band), fill: Theme.remarkFill)]
        // A long title wraps, in a smaller size where its lines would not fit the band.
        let below = slides ? 6.0 : 64.0
        let sizes: [Double] = slides ? [16, 13, 11, 9] : [30, 24, 20, 16]
        let headings = sizes.map {
            typesetter.spec(.plain(title, .bold), Font(Theme.sans, $0, bold: true), width: width)
        }
        let heading =
            headings.first { typesetter.measure($0).height <= band - below - (slides ? 6 : 24) } ?? headings.last!
        let headingHeight = typesetter.measure(heading).height
        marks.append(.text(heading, at: Point(left, max(slides ? 4 : 12, band - headingHeight - below))))
        var y = band + (slides ? 10 : 56)
        for line in [
            date, "\(chapters) lesson\(chapters == 1 ? "" : "s"), every number computed by the lessons engine",
        ].compactMap({ $0 }) {
            let spec = typesetter.spec(.plain(line), Theme.subtitle, color: Theme.muted, width: width)
            marks.append(.text(spec, at: Point(left, y)))
            y += typesetter.measure(spec).height + 6
        }
        marks.append(.line(from: Point(left, band), to: Point(left + width, band), width: 1.2, color: Theme.accent))
        return marks
    }

    private static func header(
        chapter: (number: String, title: String, page: Int), handout: String, typesetter: Typesetter
    ) -> [Mark] {
        let page = typesetter.page
        let (left, width, y) = (page.margin.left, page.contentWidth, page.margin.top - 26)
        let header = typesetter.header(
            left: .plain("\(chapter.number)  \(chapter.title)"), right: .plain(handout), width: width)
        return [
            .text(header.left, at: Point(left, y)), .text(header.right, at: Point(left + header.rightX, y)),
            .line(from: Point(left, y + 13), to: Point(left + width, y + 13), width: 0.4, color: Theme.rule),
        ]
    }
}
