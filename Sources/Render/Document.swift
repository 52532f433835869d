import Foundation
import ReportModel

/// A report laid out once, on printed pages or as slides, then drawn as a PDF or as PNG pages.
///
///     let document = Document(report)                         // A4 pages
///     let pdf = try document.pdf(); let pages = try Document(report, layout: .slides(reveal: false)).pngs(dpi: 150)
public struct Document: Sendable {
    /// Every page as marks in page coordinates, running header and footer included.
    let pages: [[Mark]]
    /// The page size in points, as drawn.
    let size: Size
    /// How much larger than laid out the pages are drawn (a slide: twice).
    let scale: Double
    let title: String
    /// Every figure of the report on its own, in order, for `figures/NN-slug.png`.
    public let figures: [Drawing]
    private let report: Report
    /// How each page's text area was used: how much the layout filled, 0 to 1, and whether its
    /// last box is a heading (slides and handouts: none).
    let pageUse: [(fill: Double, endsWithHeading: Bool)]

    public init(_ report: Report, layout: Layout = .a4) {
        // Numbered once, before it is laid out: the pages and every writer below read these numbers.
        let report = report.numbered()
        self.report = report
        title = report.title.plainText
        let page = layout.page
        (size, scale) = (page.mediaSize, page.scale)
        let typesetter = Typesetter(page: page)
        if case .slides(let reveal, let sections) = layout {
            var deck = SlideDeck(typesetter: typesetter, reveal: reveal, sections: sections)
            deck.add(report, footer: report.title.plainText)
            pages = deck.finished()
            figures = typesetter.figures.map(Drawing.init)
            pageUse = []
            return
        }
        let title = typesetter.titleBlock(report)
        let boxes = typesetter.boxes(for: report.blocks, width: page.contentWidth)
        let top = page.margin.top
        let pagination = Pagination(boxes, firstTop: top + title.height + 2, top: top, bottom: page.contentBottom)
        var pages = pagination.pages.map { placed in
            placed.flatMap { top, box in box.marks.map { $0.offset(by: Point(page.margin.left, top)) } }
        }
        pages[0] = title.marks.map { $0.offset(by: Point(page.margin.left, top)) } + pages[0]
        for index in pages.indices {
            pages[index] += Document.decorations(page: index, of: pages.count, report: report, typesetter: typesetter)
        }
        self.pages = pages
        figures = typesetter.figures.map(Drawing.init)
        pageUse = pagination.pages.map { placed in
            let end = placed.map { $0.top + $0.box.height }.max() ?? top
            return ((end - top) / (page.contentBottom - top), placed.last?.box.isHeading ?? false)
        }
    }

    /// A document laid out elsewhere (a handout of several reports).
    init(pages: [[Mark]], size: Size, scale: Double, title: String, figures: [Drawing], report: Report) {
        self.pages = pages
        (self.size, self.scale) = (size, scale)
        self.title = title
        self.figures = figures
        self.report = report
        pageUse = []
    }

    public var pageCount: Int { pages.count }

    /// Pixels in one PNG page at `dpi`.
    public func pixelsPerPage(dpi: Double) -> Double { size.width * size.height * pow(dpi / 72, 2) }

    /// Running header (from page two on) and the page number in the footer.
    private static func decorations(page index: Int, of count: Int, report: Report, typesetter: Typesetter) -> [Mark] {
        let page = typesetter.page
        let (left, width) = (page.margin.left, page.contentWidth)
        let footer = typesetter.spec(
            .plain("\(index + 1) / \(count)"), Theme.small, color: Theme.muted,
            width: width, alignment: .center)
        var marks: [Mark] = [.text(footer, at: Point(left, page.size.height - page.margin.bottom + 20))]
        if index > 0 {
            let y = page.margin.top - 26
            let header = typesetter.header(left: report.title, right: .plain(report.lesson), width: width)
            marks += [
                .text(header.left, at: Point(left, y)), .text(header.right, at: Point(left + header.rightX, y)),
                .line(from: Point(left, y + 13), to: Point(left + width, y + 13), width: 0.4, color: Theme.rule),
            ]
        }
        return marks
    }

    // MARK: Output

    /// The whole document as PDF bytes, with a bookmark per section.
    public func pdf() throws(RenderError) -> Data {
        try Output.pdf(pages: pages, size: size, title: title, scale: scale)
    }

    /// One page as PNG bytes at `dpi` dots per inch.
    public func png(page: Int, dpi: Double) throws(RenderError) -> Data {
        try Output.png(pages[page], size: size, dpi: dpi, scale: scale)
    }

    /// The report as a Markdown page; its figures are the PNGs `figures/NN-slug.png` beside it.
    public func markdown() -> String {
        Markdown(report, figures: figures.map { "figures/\($0.fileStem).png" }).text
    }

    /// The report as one self-contained web page: MathML from the formula trees, figures as inline SVG.
    public func html() throws(RenderError) -> String {
        HTMLPage(report, figures: try figures.map { figure throws(RenderError) in try figure.svg() }).text
    }

    /// A report's header and main part as HTML, for a page that adds its own around them
    /// (`lessons serve`'s, with the parameters' form). Only the figures are laid out, as the
    /// A4 pages would have them: no pages are made.
    public static func htmlContent(of report: Report) throws(RenderError) -> String {
        let report = report.numbered()
        let typesetter = Typesetter(page: Layout.a4.page)
        typesetter.layOutFigures(of: report.blocks, width: Layout.a4.page.contentWidth)
        let figures = typesetter.figures
        let svgs = try Output.parallel(figures.count) { k throws(RenderError) in try Drawing(figures[k]).svg() }
        return HTMLPage(report, figures: svgs).content
    }

    /// The report as a Jupyter notebook (nbformat 4), its figures embedded as PNG at `dpi`.
    public func notebook(dpi: Double) throws(RenderError) -> String {
        let pngs = try Output.parallel(figures.count) { k throws(RenderError) in try figures[k].png(dpi: dpi) }
        return Notebook(report, figures: pngs).json
    }

    /// Every page as PNG, drawn on all cores.
    public func pngs(dpi: Double) throws(RenderError) -> [Data] {
        try Output.parallel(pages.count) { page throws(RenderError) in try png(page: page, dpi: dpi) }
    }
}
