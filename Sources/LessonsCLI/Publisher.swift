import Foundation
import Grading
import LessonKit
import MathNotation
import Render
import ReportModel
import Synchronization

/// Renders a lesson's result and writes its files. Everything is rendered in memory first,
/// so a failure leaves the folder as it was; each file then replaces its old version whole.
///
///     let paths = try Publisher(folder: "output", formats: [.pdf, .json], dpi: 150).publish(result)
struct Publisher {
    let folder: String
    let formats: Set<OutputFormat>
    let dpi: Double
    /// The handout, the exercise sheet or its key.
    var version = ReportVersion.full
    /// The exercise variant the parameters were drawn for, if any.
    var variant: Int?
    /// Printed pages or slides.
    var layout = LayoutOptions()
    /// Significant digits an answer needs, stated on the sheet and in its answer template.
    var answerDigits = 3

    init(
        folder: String, formats: Set<OutputFormat>, dpi: Double, version: ReportVersion = .full, variant: Int? = nil,
        layout: LayoutOptions = LayoutOptions()
    ) {
        self.folder = folder
        self.formats = formats
        self.dpi = dpi
        self.version = version
        self.variant = variant
        self.layout = layout
    }

    /// The folder and file name: `backprop-example`, `backprop-example-v03-exercise`, `backprop-example-slides`, …
    func stem(_ lesson: String) -> String {
        lesson + (variant.map(Variation.fileSuffix) ?? "") + (version == .full ? "" : "-\(version.rawValue)")
            + layout.suffix
    }

    /// Writes the requested files into `folder/STEM/` and returns their paths in order:
    /// the PDF, the PNG pages, each figure as `figures/NN-slug.png` (and `.svg`), values.json.
    func publish(_ result: LessonResult) throws -> [String] {
        let stem = stem(result.lesson)
        var report = result.report.version(version, digits: answerDigits)
        if let sections = layout.sections?.range {
            let count = report.blocks.filter { if case .section = $0 { true } else { false } }.count
            guard sections.upperBound <= count else {
                throw CommandError(
                    """
                    --sections \(layout.sections!.text): \(result.lesson) has \(count) sections; choose from 1-\(count)
                    """
                )
            }
        }
        // The teacher's own printed run says how to change it; sheets, keys and slides go to students.
        if version == .full && layout.layout == .pages {
            report.hint =
                "Change any setting with " + .plain("lessons run \(result.lesson) --set key=value", .mono) + "; "
                + .plain("lessons params \(result.lesson)", .mono)
                + " lists each, and the settings that change what happens."
        }
        // Every file is its own job, spread over all cores; the PDF, the longest, goes first.
        var jobs: [Job] = []
        if !formats.isDisjoint(with: [.pdf, .png, .svg, .md, .ipynb, .html]) {
            let document = Document(report, layout: layout.value)
            if formats.contains(.pdf) { jobs.append(("\(stem).pdf", { () throws(RenderError) in try document.pdf() })) }
            let dpi = self.dpi
            if formats.contains(.png) {
                try Publisher.checkPages(document, dpi: dpi, of: result.lesson)
                for page in 0..<document.pageCount {
                    jobs.append(
                        (
                            Publisher.pageName(page + 1, of: document.pageCount),
                            { () throws(RenderError) in try document.png(page: page, dpi: dpi) }
                        ))
                }
            }
            if formats.contains(.md) { jobs.append(("\(stem).md", { Data(document.markdown().utf8) })) }
            if formats.contains(.html) {
                jobs.append(("\(stem).html", { () throws(RenderError) in try Data(document.html().utf8) }))
            }
            if formats.contains(.ipynb) {
                jobs.append(("\(stem).ipynb", { () throws(RenderError) in try Data(document.notebook(dpi: dpi).utf8) }))
            }
            for figure in document.figures {
                // A Markdown page shows its figures from the PNG files beside it.
                if !formats.isDisjoint(with: [.png, .md]) {
                    jobs.append(
                        ("figures/\(figure.fileStem).png", { () throws(RenderError) in try figure.png(dpi: dpi) }))
                }
                if formats.contains(.svg) {
                    jobs.append(("figures/\(figure.fileStem).svg", { () throws(RenderError) in try figure.svg() }))
                }
            }
        }
        if formats.contains(.json) {
            let json = Data(result.json().utf8)
            jobs.append(("values.json", { json }))
        }
        // A sheet comes with the file a student fills in for lessons check.
        if version == .exercise {
            let template = Data(
                AnswerTemplate.text(
                    lesson: result.lesson, variant: variant, digits: answerDigits, exercises: result.report.exercises
                ).utf8)
            jobs.append(("\(stem)-template.txt", { template }))
        }
        let paths = try Publisher.write(jobs, into: folder, lesson: stem, rendering: result.lesson)
        let names = Set(jobs.map(\.name))
        let directory = URL(fileURLWithPath: folder).appendingPathComponent(stem)
        if formats.contains(.png) { Publisher.removeStalePages(in: directory, keeping: names) }
        Publisher.removeStaleFigures(
            in: directory.appendingPathComponent("figures"), keeping: names,
            extensions: Array(
                Set(formats.compactMap { [.png, .svg].contains($0) ? $0.rawValue : $0 == .md ? "png" : nil })
            ).sorted())
        return paths
    }

    /// The most PNG page pixels one run draws: under 3 s on this machine (28 A4 pages at 600 dpi,
    /// where pages are drawn one at a time to stay under 300 MB; 102 pages at 310 dpi).
    static let mostPagePixels = 1.0e9

    /// Refuses, before any work, PNG pages beyond `mostPagePixels`, naming the --dpi that fits.
    static func checkPages(_ document: Document, dpi: Double, of what: String) throws(CommandError) {
        let pixels = Double(document.pageCount) * document.pixelsPerPage(dpi: dpi)
        guard pixels > mostPagePixels else { return }
        let fitting = Int((dpi * (mostPagePixels / pixels).squareRoot() / 10).rounded(.down)) * 10
        throw CommandError(
            """
            \(document.pageCount) PNG pages of \(what) at --dpi \(Int(dpi)) \
            are \(String(format: "%.1f", pixels / 1e9)) billion pixels, 
            """
                + "more than the \(String(format: "%.1f", mostPagePixels / 1e9)) billion one run draws; use --dpi \(max(36, fitting)) or less, "
                + "or --format pdf (sharp at any zoom)")
    }

    /// `page-07.png`, with as many digits as the last page needs (at least two), so names sort in page order.
    static func pageName(_ number: Int, of count: Int) -> String {
        let digits = max(2, String(count).count)
        return "page-" + String(repeating: "0", count: max(0, digits - String(number).count)) + "\(number).png"
    }
}

/// The operating system's reason, without Foundation's wrapping.
func reason(_ error: Error) -> String {
    if let error = error as? CommandError { return error.description }
    // Foundation's own sentences ("The operation could not be completed…") say less than these.
    if let error = error as? CocoaError {
        switch error.code {
        case .fileReadNoSuchFile, .fileNoSuchFile: return "no such file"
        case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
        case .fileReadInapplicableStringEncoding, .fileReadCorruptFile:
            return "it is not UTF-8 text (save it as UTF-8, or check it is the right file)"
        case .fileWriteOutOfSpace: return "the disk is full"
        default: break
        }
    }
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        return String(cString: strerror(Int32(underlying.code)))
    }
    if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
    return nsError.localizedDescription
}
