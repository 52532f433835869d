import CCairo
import Dispatch
import Foundation
import Synchronization

/// Marks to file bytes: PDF (vector, one page per list of marks), PNG (drawn at a resolution),
/// SVG (vector). Every format draws the same marks through the same canvas.
///
///     let pdf = try Output.pdf(pages: [marks], size: Theme.page, title: "Backpropagation")
///     let png = try Output.png(marks, size: Theme.page, dpi: 150)
public enum Output {
    /// The PDF's creation date: SOURCE_DATE_EPOCH when set (reproducible-builds.org), else a
    /// fixed date, so the same report gives the same bytes.
    static let creationDate: String = {
        guard let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Int(text), seconds >= 0
        else {
            return "2026-01-01T00:00:00Z"
        }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }()

    /// Collects what a cairo stream surface writes.
    private final class Sink { var data = Data() }

    private static let write: cairo_write_func_t = { closure, bytes, length in
        Unmanaged<Sink>.fromOpaque(closure!).takeUnretainedValue().data.append(bytes!, count: Int(length))
        return CAIRO_STATUS_SUCCESS
    }

    /// PDF bytes; `.anchor` marks become bookmarks (level 1 entries with their level 2 children).
    /// `size` is the page as drawn, its marks laid out `scale` times smaller.
    static func pdf(pages: [[Mark]], size: Size, title: String, scale: Double = 1) throws(RenderError) -> Data {
        try Fonts.check()
        let sink = Sink()
        let surface = cairo_pdf_surface_create_for_stream(
            write, Unmanaged.passUnretained(sink).toOpaque(), size.width, size.height)!
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface), "creating the PDF")
        // Device scale, not cairo_scale, as for PNG: Pango sizes <sub>/<sup> wrongly under a user-space scale.
        if scale != 1 { cairo_surface_set_device_scale(surface, scale, scale) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, creationDate)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "lessons")
        do {
            let canvas = Canvas(surface: surface)
            // The latest entry of each level is the parent of the next level's entries.
            var parents: [Int32] = [CAIRO_PDF_OUTLINE_ROOT]
            for (number, marks) in pages.enumerated() {
                for mark in marks {
                    if case .anchor(let title, let level, let at) = mark {
                        let link = "page=\(number + 1) pos=[\(at.x) \(at.y)]"
                        let parent = parents[min(level - 1, parents.count - 1)]
                        let id = cairo_pdf_surface_add_outline(
                            surface, parent, title, link, cairo_pdf_outline_flags_t(0))
                        parents = Array(parents.prefix(level)) + [id]
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

    /// SVG bytes. cairo numbers its surfaces with a process-wide counter; the id is pinned so
    /// the same drawing gives the same bytes whatever was drawn before it.
    static func svg(_ marks: [Mark], size: Size) throws(RenderError) -> Data {
        try Fonts.check()
        let sink = Sink()
        let surface = cairo_svg_surface_create_for_stream(
            write, Unmanaged.passUnretained(sink).toOpaque(), size.width, size.height)!
        try check(cairo_surface_status(surface), "creating the SVG")
        cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_1)
        do {
            let canvas = Canvas(surface: surface)
            for mark in marks { canvas.draw(mark) }
            try check(canvas.status, "drawing the SVG")
        }
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        try check(status, "finishing the SVG")
        return pinningSurfaceIDs(sink.data)
    }

    /// Every `id="surfaceN"` as `id="surface1"`, by a scan of the bytes (a regular expression
    /// over a 900 KB heatmap's SVG took a tenth of a second).
    static func pinningSurfaceIDs(_ svg: Data) -> Data {
        let opener = Array("id=\"surface".utf8)
        let pinned = Array("id=\"surface1\"".utf8)
        let bytes = [UInt8](svg)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var k = 0
        while k < bytes.count {
            if bytes[k] == UInt8(ascii: "i"), k + opener.count < bytes.count,
                bytes[k..<k + opener.count].elementsEqual(opener)
            {
                var end = k + opener.count
                while end < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]) { end += 1 }
                if end > k + opener.count, end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
                    out += pinned
                    k = end + 1
                    continue
                }
            }
            out.append(bytes[k])
            k += 1
        }
        return Data(out)
    }

    /// PNG bytes at `dpi` dots per inch, on white. Pages larger than `PageMemory.largest` (above
    /// 300 dpi) are drawn one at a time, in one shared buffer: two 600 dpi pages at once would hold 280 MB.
    static func png(_ marks: [Mark], size: Size, dpi: Double, scale layoutScale: Double = 1) throws(RenderError) -> Data
    {
        try Fonts.check()
        let (width, height) = (Int32((size.width * dpi / 72).rounded()), Int32((size.height * dpi / 72).rounded()))
        let scale = dpi / 72 * layoutScale
        let stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, width)
        let byteCount = Int(stride) * Int(height)
        func draw(into memory: PageMemory) throws(RenderError) -> Data {
            let pixels = memory.pixels(byteCount: byteCount)
            let surface = cairo_image_surface_create_for_data(
                pixels.assumingMemoryBound(to: UInt8.self), CAIRO_FORMAT_RGB24, width, height, stride)!
            defer { cairo_surface_destroy(surface) }
            try check(cairo_surface_status(surface), "creating a \(Int(dpi)) dpi image")
            // Device scale, not cairo_scale: Pango sizes <sub>/<sup> wrongly under a user-space scale.
            cairo_surface_set_device_scale(surface, scale, scale)
            do {
                let canvas = Canvas(surface: surface)
                canvas.paint(Theme.white)  // every pixel: the last row may be only partly inside `size`
                for mark in marks { canvas.draw(mark) }
                try check(canvas.status, "drawing a \(Int(dpi)) dpi image")
            }
            cairo_surface_flush(surface)
            return PNGEncoder.encode(width: Int(width), height: Int(height), stride: Int(stride), pixels: pixels)
        }
        return byteCount > PageMemory.largest ? try PageMemory.withLarge(draw) : try draw(into: .current)
    }

    /// `count` results computed on all cores, in order; the first failure is thrown.
    public static func parallel(_ count: Int, _ body: @Sendable (Int) throws(RenderError) -> Data) throws(RenderError)
        -> [Data]
    {
        let results = Mutex([Result<Data, RenderError>?](repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { k in
            let result = Result { () throws(RenderError) -> Data in try body(k) }
            results.withLock { $0[k] = result }
        }
        var all: [Data] = []
        for result in results.withLock({ $0 }) { all.append(try result!.get()) }
        return all
    }
}
