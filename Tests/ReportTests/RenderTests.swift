import Foundation
import ReportModel
import TestSupport
import Testing

@testable import Render

let sample = Report(title: "A sample", subtitle: "with math: ∂E/∂w", lesson: "sample", source: "file_1.txt") {
    Section("Steps") {
        "The net input net_{h1} and σ(x) = 1/(1 + e^{−x})."
        for k in 1...40 { Step(.plain("step \(k)"), lhs: "y_\(k)", rhs: ["x^2 + 1", .plain(String(k))]) }
    }
    Section("A long table") {
        Table(
            "Many rows", columns: [.init("k"), .init("k²", alignment: .trailing)],
            rows: (1...80).map { k -> [RichText] in [.plain(String(k)), .plain(String(k * k))] })
    }
}

@Suite("Layout and rendering")
struct RenderTests {
    @Test func boxesNeverCrossThePageBottom() {
        let boxes = (0..<50).map { (k: Int) -> Box in
            let height = Double(20 + k % 7 * 30)
            return Box(height: height, marks: [], spaceBefore: 6, keepWithNext: k % 5 == 0)
        }
        let pagination = Pagination(boxes, firstTop: 100, top: 50, bottom: 800)
        #expect(pagination.pages.count > 1)
        for page in pagination.pages { for (top, box) in page { #expect(top + box.height <= 800) } }
        #expect(pagination.pages.flatMap { $0 }.count == 50)
        // A box kept with the next never ends a page.
        for page in pagination.pages.dropLast() { #expect(!page.last!.box.keepWithNext) }
    }

    /// A figure that does not fit waits for the next page while the text after it fills this
    /// one, a heading and its text too, as LaTeX's [htbp] floats do.
    @Test func aFigureThatDoesNotFitFloatsToTheNextPage() {
        func box(_ height: Double, _ name: Double, floats: Bool = false, heading: Bool = false) -> Box {
            var box = Box(
                height: height, marks: [.anchor(title: String(name), level: 1, at: Point(0, 0))], spaceBefore: 0)
            box.floats = floats
            box.isHeading = heading
            box.keepWithNext = heading
            return box
        }
        let boxes = [
            box(600, 1), box(300, 2, floats: true), box(100, 3), box(100, 4), box(100, 5), box(20, 6, heading: true),
            box(50, 7),
        ]
        let pages = Pagination(boxes, firstTop: 0, top: 0, bottom: 800).pages.map { page in
            page.map { placed -> Double in
                if case .anchor(let title, _, _) = placed.box.marks[0] { Double(title)! } else { 0 }
            }
        }
        #expect(pages == [[1, 3, 4], [2, 5, 6, 7]], "the text fills page one, the figure opens page two")
        let noRoom = [box(600, 1), box(300, 2, floats: true), box(20, 3, heading: true), box(50, 4)]
        let held = Pagination(noRoom, firstTop: 0, top: 0, bottom: 800).pages.map { page in
            page.map { placed -> Double in
                if case .anchor(let title, _, _) = placed.box.marks[0] { Double(title)! } else { 0 }
            }
        }
        #expect(
            held == [[1, 3, 4], [2]], "the next section's heading and text fill page one; the figure opens page two")
    }

    @Test func aTableBrokenAcrossPagesRepeatsItsHeader() throws {
        let document = Document(sample)
        #expect(document.pageCount >= 3)
        let text = try run("pdftotext", ["-layout", "-", "-"], input: document.pdf()).output
        let pages = text.components(separatedBy: "\u{0C}").filter { $0.contains("k²") }
        #expect(pages.count >= 2, "the header row appears on every page the table spans")
        #expect(text.contains("6400"), "the last row is there")
    }

    @Test func aTableThatFitsOnAPageIsNotBroken() throws {
        let filler = (1...30).map { _ in
            Block.paragraph("A paragraph of filler text that takes a line or two of the page.")
        }
        var report = Report(title: "Tables", lesson: "tables") {
            Table(
                "Twenty rows", columns: [.init("k"), .init("k²", alignment: .trailing)],
                rows: (1...20).map { k -> [RichText] in [.plain("row \(k)"), .plain(String(k * k))] })
        }
        report.blocks = filler + report.blocks
        let text = try run("pdftotext", ["-layout", "-", "-"], input: Document(report).pdf()).output
        let pages = text.components(separatedBy: "\u{0C}")
        let withRows = pages.indices.filter { pages[$0].contains("row ") }
        #expect(withRows.count == 1, "every row on one page")
        #expect(pages[withRows[0]].contains("Twenty rows") && pages[withRows[0]].contains("row 20"))
    }

    @Test func pdfIsByteIdenticalAcrossRendersAndHasTheText() throws {
        let first = try Document(sample).pdf()
        let second = try Document(sample).pdf()
        #expect(first == second)
        let text = try run("pdftotext", ["-", "-"], input: first).output
        let pages = Document(sample).pageCount
        #expect(text.contains("∂E/∂w") && text.contains("A sample") && text.contains("/ \(pages)"))
        let info = try run("pdfinfo", ["-"], input: first).output
        #expect(info.contains(try Regex("Pages: +\(pages)\n")))
        #expect(info.contains(try Regex("CreationDate: +Thu Jan  1 00:00:00 2026 UTC")), "the pinned date, not today's")
    }

    @Test func pngPagesCarryInkAndMatchThePageSize() throws {
        let document = Document(sample)
        let pages = try document.pngs(dpi: 72)
        #expect(pages.count == document.pageCount)
        for page in pages { #expect(try inkCoverage(page) > 0.005) }
        #expect(try document.png(page: 0, dpi: 72) == pages[0], "parallel and serial drawing agree")
    }

    @Test func mathGlyphsComeFromDejaVuWithoutFallback() throws {
        let math: RichText = "∂E/∂w_5 = σ(z)(1 − σ(z)), Σ_{k} ŷ_{k}, α β η λ, a ⊙ b × c, x^{2}, e^{−x}, ∇θ ≈ ≤ ∈ ℝ √ ∞"
        let pdf = try Document(Report(title: "Glyphs", lesson: "glyphs") { math }).pdf()
        let text = try run("pdftotext", ["-", "-"], input: pdf).output
        for glyph in ["∂", "σ", "Σ", "ŷ", "α", "β", "η", "λ", "⊙", "×", "−", "∇", "θ", "≈", "≤", "∈", "ℝ", "√", "∞"] {
            #expect(text.contains(glyph), "\(glyph) in the PDF text")
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("glyphs-\(UUID().uuidString).pdf")
        try pdf.write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let fonts = try run("pdffonts", [path.path]).output.split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty)
        for font in fonts { #expect(font.contains("DejaVu"), "only DejaVu is embedded: \(font)") }
    }

    @Test func markupIsEscaped() {
        #expect(Markup.from(RichText.plain("x < 0 & y > 1")) == "x &lt; 0 &amp; y &gt; 1")
        #expect(Markup.from("w_1") == "<i>w</i><sub>1</sub>")
    }
}
