import CCairo
import Dispatch
import Foundation
import Report
import Synchronization

/// A report laid out on A4 pages once, then drawn as a PDF or as PNG pages from that layout.
///
///     let document = Document(report)
///     let pdf = try document.pdf(); let pages = try document.pngs(dpi: 150)
public struct Document: Sendable {
    /// Every page as marks in page coordinates, running header and footer included.
    let pages: [[Mark]]
    let title: String

    /// The PDF's creation date, fixed so the same report gives the same bytes.
    static let creationDate = "2026-01-01T00:00:00Z"

    public init(_ report: Report) {
        let typesetter = Typesetter()
        let title = typesetter.titleBlock(report)
        let boxes = typesetter.boxes(for: report.blocks, width: Theme.contentWidth)
        let top = Theme.margin.top
        let pagination = Pagination(boxes, firstTop: top + title.height + 2, top: top, bottom: Theme.contentBottom)
        var pages = pagination.pages.map { placed in
            placed.flatMap { top, box in box.marks.map { $0.offset(by: Point(Theme.margin.left, top)) } }
        }
        pages[0] = title.marks.map { $0.offset(by: Point(Theme.margin.left, top)) } + pages[0]
        for index in pages.indices {
            pages[index] += Document.decorations(page: index, of: pages.count, report: report, typesetter: typesetter)
        }
        self.pages = pages
        self.title = report.title.plainText
    }

    public var pageCount: Int { pages.count }

    /// Running header (from page two on) and the page number in the footer.
    private static func decorations(page: Int, of count: Int, report: Report, typesetter: Typesetter) -> [Mark] {
        let (left, width) = (Theme.margin.left, Theme.contentWidth)
        let footer = typesetter.spec(.plain("\(page + 1) / \(count)"), Theme.small, color: Theme.muted,
                                     width: width, alignment: .center)
        var marks: [Mark] = [.text(footer, at: Point(left, Theme.page.height - Theme.margin.bottom + 20))]
        if page > 0 {
            let y = Theme.margin.top - 26
            let title = typesetter.spec(report.title, Theme.small, color: Theme.muted, width: width * 0.75)
            let lesson = typesetter.spec(.plain(report.lesson), Theme.small, color: Theme.muted, width: width, alignment: .right)
            marks += [.text(title, at: Point(left, y)), .text(lesson, at: Point(left, y)),
                      .line(from: Point(left, y + 13), to: Point(left + width, y + 13), width: 0.4, color: Theme.rule)]
        }
        return marks
    }

    // MARK: PDF

    /// The whole document as PDF bytes, with a bookmark per section.
    public func pdf() throws(RenderError) -> Data {
        final class Sink { var data = Data() }
        let sink = Sink()
        let surface = cairo_pdf_surface_create_for_stream({ closure, bytes, length in
            let sink = Unmanaged<Sink>.fromOpaque(closure!).takeUnretainedValue()
            sink.data.append(bytes!, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(sink).toOpaque(), Theme.page.width, Theme.page.height)!
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface), "creating the PDF")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, Document.creationDate)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "lessons")

        do {
            let canvas = Canvas(surface: surface)
            var parent: Int32 = CAIRO_PDF_OUTLINE_ROOT
            for (number, marks) in pages.enumerated() {
                for mark in marks {
                    if case .anchor(let title, let level, let at) = mark {
                        let link = "page=\(number + 1) pos=[\(at.x) \(at.y)]"
                        let id = cairo_pdf_surface_add_outline(surface, level == 1 ? CAIRO_PDF_OUTLINE_ROOT : parent, title, link,
                                                               cairo_pdf_outline_flags_t(0))
                        if level == 1 { parent = id }
                    }
                    canvas.draw(mark)
                }
                cairo_show_page(canvas.cr)
            }
            try check(canvas.status, "drawing the PDF")
        }
        cairo_surface_finish(surface)
        try check(cairo_surface_status(surface), "finishing the PDF")
        return sink.data
    }

    // MARK: PNG

    /// One page as PNG bytes at `dpi` dots per inch.
    public func png(page: Int, dpi: Double) throws(RenderError) -> Data {
        let scale = dpi / 72
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32((Theme.page.width * scale).rounded()),
                                                 Int32((Theme.page.height * scale).rounded()))!
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface), "creating a \(Int(dpi)) dpi page image")
        // Device scale, not cairo_scale: Pango sizes <sub>/<sup> wrongly under a user-space scale.
        cairo_surface_set_device_scale(surface, scale, scale)
        do {
            let canvas = Canvas(surface: surface)
            canvas.draw(.rect(Rect(0, 0, Theme.page.width, Theme.page.height), fill: Theme.white))
            for mark in pages[page] { canvas.draw(mark) }
            try check(canvas.status, "drawing page \(page + 1)")
        }
        cairo_surface_flush(surface)
        // cairo's RGB24 is a native-endian 0x00RRGGBB word per pixel: bytes B, G, R, unused here.
        let (width, stride) = (Int(cairo_image_surface_get_width(surface)), Int(cairo_image_surface_get_stride(surface)))
        let pixels = cairo_image_surface_get_data(surface)!
        return try PNGEncoder.encode(width: width, height: Int(cairo_image_surface_get_height(surface))) { y, rgb in
            let row = pixels.advanced(by: y * stride)
            for x in 0..<width {
                rgb[3 * x] = row[4 * x + 2]
                rgb[3 * x + 1] = row[4 * x + 1]
                rgb[3 * x + 2] = row[4 * x]
            }
        }
    }

    /// Every page as PNG, drawn on all cores.
    public func pngs(dpi: Double) throws(RenderError) -> [Data] {
        let results = Mutex([Result<Data, RenderError>?](repeating: nil, count: pages.count))
        DispatchQueue.concurrentPerform(iterations: pages.count) { page in
            let result = Result { () throws(RenderError) -> Data in try png(page: page, dpi: dpi) }
            results.withLock { $0[page] = result }
        }
        let all = results.withLock { $0 }
        var pages: [Data] = []
        for result in all { pages.append(try result!.get()) }
        return pages
    }
}
