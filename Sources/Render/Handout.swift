import Foundation
import Report

/// Several reports as one course handout: a cover, the contents with page numbers and links,
/// each report a numbered chapter starting on a new page (its sections, tables and figures
/// numbered within it), running headers with the chapter, and an outline that mirrors the contents.
///
///     let handout = Handout([a.report, b.report], title: "Week 3", date: "2026-11-23")
///     let pdf = try handout.document.pdf()
public struct Handout: Sendable {
    public let document: Document
    /// Each contents entry: its number ("2" or "2.3"), title and 1-based page, in order.
    public let contents: [(number: String, title: String, page: Int)]

    public init(_ reports: [Report], title: String, date: String?) {
        let (top, bottom, width) = (Theme.margin.top, Theme.contentBottom, Theme.contentWidth)
        // Chapters first: their page counts decide the contents' page numbers.
        var chapters: [(pages: [[Mark]], entries: [(number: String, title: String, page: Int)], report: Report)] = []
        var figures: [Drawing] = []
        for (index, report) in reports.enumerated() {
            let typesetter = Typesetter()
            typesetter.chapter = index + 1
            var titled = report
            titled.title = .plain("\(index + 1)   ") + report.title
            var head = typesetter.titleBlock(titled)
            head.marks.append(.anchor(title: "\(index + 1) \(report.title.plainText)", level: 1, at: Point(0, 0)))
            let boxes = typesetter.boxes(for: report.blocks, width: width)
            var pages = Pagination(boxes, firstTop: top + head.height + 2, top: top, bottom: bottom).pages.map { placed in
                placed.flatMap { top, box in box.marks.map { $0.offset(by: Point(Theme.margin.left, top)) } }
            }
            pages[0] = head.marks.map { $0.offset(by: Point(Theme.margin.left, top)) } + pages[0]
            // Where each section's heading landed, from the outline anchors on the pages.
            var entries = [(number: "\(index + 1)", title: report.title.plainText, page: 0)]
            for section in typesetter.sections {
                let anchor = "\(section.number) \(section.title)"
                let page = pages.firstIndex { $0.contains { if case .anchor(let t, _, _) = $0 { t == anchor } else { false } } } ?? 0
                entries.append((section.number, section.title, page))
            }
            chapters.append((pages, entries, report))
            figures += typesetter.figures.map(Drawing.init)
        }
        // The contents: a line per entry, as many pages as that takes.
        let typesetter = Typesetter()
        let lineHeight = 15.0, headingHeight = 40.0
        let entryCount = chapters.map(\.entries.count).reduce(0, +)
        let firstPageLines = Int((bottom - top - headingHeight) / lineHeight), laterLines = Int((bottom - top) / lineHeight)
        let contentsPages = entryCount <= firstPageLines ? 1 : 1 + (entryCount - firstPageLines + laterLines - 1) / laterLines
        var start = 2 + contentsPages
        var contents: [(number: String, title: String, page: Int)] = []
        for chapter in chapters {
            contents += chapter.entries.map { ($0.number, $0.title, start + $0.page) }
            start += chapter.pages.count
        }
        let total = start - 1

        var pages: [[Mark]] = [Handout.cover(title: title, date: date, chapters: reports.count, typesetter: typesetter)]
        var page: [Mark] = [.text(typesetter.spec(.plain("Contents", .bold), Theme.title), at: Point(Theme.margin.left, top))]
        var y = top + headingHeight
        for entry in contents {
            if y + lineHeight > bottom {
                pages.append(page)
                (page, y) = ([], top)
            }
            let isChapter = !entry.number.contains(".")
            let indent = isChapter ? 0.0 : 22
            let font = isChapter ? Theme.subheading : Theme.body
            let label = typesetter.spec(.plain(entry.number, isChapter ? .bold : []) + "   " + .plain(entry.title, isChapter ? .bold : []),
                                        font, width: width - indent - 40)
            let number = typesetter.spec(.plain("\(entry.page)"), font, width: width, alignment: .right)
            let x = Theme.margin.left + indent
            page += [.text(label, at: Point(x, y)), .text(number, at: Point(Theme.margin.left, y)),
                     .link(Rect(x, y, width - indent, lineHeight), page: entry.page, at: Point(0, 0))]
            y += lineHeight + (isChapter ? 3 : 0)
        }
        pages.append(page)
        for chapter in chapters {
            // The running header from a chapter's second page on; its first page opens with its title.
            pages += chapter.pages.enumerated().map { $0.offset == 0 ? $0.element
                : $0.element + Handout.header(chapter: chapter.entries[0], handout: title, typesetter: typesetter) }
        }
        for index in 1..<pages.count {
            let footer = typesetter.spec(.plain("\(index + 1) / \(total)"), Theme.small, color: Theme.muted, width: width, alignment: .center)
            pages[index].append(.text(footer, at: Point(Theme.margin.left, Theme.page.height - Theme.margin.bottom + 20)))
        }
        document = Document(pages: pages, title: title, figures: figures, report: reports.first!)
        self.contents = contents
    }

    private static func cover(title: String, date: String?, chapters: Int, typesetter: Typesetter) -> [Mark] {
        let (left, width) = (Theme.margin.left, Theme.contentWidth)
        var marks: [Mark] = [.rect(Rect(0, 0, Theme.page.width, 250), fill: Theme.remarkFill)]
        let heading = typesetter.spec(.plain(title, .bold), Font(Theme.sans, 30, bold: true), width: width)
        marks.append(.text(heading, at: Point(left, 150)))
        var y = 150 + typesetter.measure(heading).height + 120
        for line in [date, "\(chapters) lesson\(chapters == 1 ? "" : "s"), every number computed by the lessons engine"].compactMap({ $0 }) {
            let spec = typesetter.spec(.plain(line), Theme.subtitle, color: Theme.muted, width: width)
            marks.append(.text(spec, at: Point(left, y)))
            y += typesetter.measure(spec).height + 6
        }
        marks.append(.line(from: Point(left, 250), to: Point(left + width, 250), width: 1.2, color: Theme.accent))
        return marks
    }

    private static func header(chapter: (number: String, title: String, page: Int), handout: String, typesetter: Typesetter) -> [Mark] {
        let (left, width, y) = (Theme.margin.left, Theme.contentWidth, Theme.margin.top - 26)
        let name = typesetter.spec(.plain("\(chapter.number)  \(chapter.title)"), Theme.small, color: Theme.muted, width: width * 0.7)
        let book = typesetter.spec(.plain(handout), Theme.small, color: Theme.muted, width: width, alignment: .right)
        return [.text(name, at: Point(left, y)), .text(book, at: Point(left, y)),
                .line(from: Point(left, y + 13), to: Point(left + width, y + 13), width: 0.4, color: Theme.rule)]
    }
}
