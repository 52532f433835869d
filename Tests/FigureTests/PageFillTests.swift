import Foundation
import Lessons
import ReportModel
import Testing

@testable import Render

@Suite("Pages that fill: figures float as LaTeX's [htbp], tables and notes break, headings stay with their text")
struct PageFillTests {
    /// A box known by its name on the page (an anchor mark), for tests that read pages as lists of names.
    static func named(_ height: Double, _ name: String, keep: Bool = false, floats: Bool = false, heading: Bool = false)
        -> Box
    {
        var box = Box(height: height, marks: [.anchor(title: name, level: 1, at: Point(0, 0))], keepWithNext: keep)
        box.floats = floats
        box.isHeading = heading
        return box
    }

    /// Each page as the names of its boxes, top to bottom.
    static func titles(_ pagination: Pagination) -> [[String]] {
        pagination.pages.map { page in
            page.map { placed in if case .anchor(let title, _, _) = placed.box.marks[0] { title } else { "" } }
        }
    }

    /// Measured from the layout: where each page's last box ends, against the text area's height.
    @Test(arguments: Catalog.lessons.map(\.name))
    func everyPageButTheLastIsAtLeast70PercentFull(name: String) throws {
        let lesson = try #require(Catalog.lesson(named: name))
        let document = Document(lesson.run(try lesson.parameters(settings: [])).report)
        #expect(document.pageUse.count == document.pageCount)
        for (index, use) in document.pageUse.enumerated() {
            if index < document.pageUse.count - 1 {
                #expect(use.fill >= 0.7, "\(name) page \(index + 1) is \(Int(use.fill * 100))% full")
            }
            #expect(!use.endsWithHeading, "\(name) page \(index + 1) ends with a heading")
        }
    }

    @Test func aSectionsTextStaysUnderItsHeadingWhenItsFigureWaits() throws {
        // 350 pt of text, then a heading, its lead-in and a 300 pt figure that does not fit, then
        // 80 pt of text: the heading, its lead-in and the text stay on page one in the order
        // written; only the figure waits, for the top of page two.
        func box(_ height: Double, keep: Bool = false) -> Box { Box(height: height, marks: [], keepWithNext: keep) }
        var heading = box(20, keep: true)
        heading.isHeading = true
        var figure = box(300)
        figure.floats = true
        let pages = Pagination(
            [box(350), heading, box(30, keep: true), figure, box(80)], firstTop: 0, top: 0, bottom: 500
        ).pages
        try #require(pages.count == 2)
        #expect(pages[0].map(\.box.height) == [350, 20, 30, 80])
        #expect(pages[1].map(\.box.height) == [300])
    }

    @Test func aFigureNeverOpensAPageAboveItsOwnHeading() throws {
        // A waiting figure (A) fills page two's top; then a heading, its lead-in and a figure (B)
        // with no room on page one, and text after them that does not fit either: the heading
        // moves to page two, and B comes back after its lead-in there, not above the heading
        // (regularisation's early-stopping figure had opened a page above "5 Early stopping").
        let boxes = [
            Self.named(300, "text"), Self.named(250, "A", floats: true), Self.named(120, "more"),
            Self.named(20, "heading", keep: true, heading: true),
            Self.named(30, "lead-in", keep: true), Self.named(200, "B", floats: true), Self.named(100, "after"),
        ]
        let pages = Self.titles(Pagination(boxes, firstTop: 0, top: 0, bottom: 500))
        #expect(
            pages == [["text", "more"], ["A", "heading", "lead-in", "B"], ["after"]]
                || pages == [["text", "more"], ["A", "heading", "lead-in", "after"], ["B"]],
            "\(pages)")
        for page in pages {
            if let b = page.firstIndex(of: "B"), let h = page.firstIndex(of: "heading") { #expect(h < b) }
        }
        #expect(pages.firstIndex { $0.contains("heading") }! <= pages.firstIndex { $0.contains("B") }!)
    }

    @Test func aFigureThatDoesNotFitWaitsWhileTheTextAfterItFillsThePage() throws {
        // Boxes of 100 pt on a 500 pt page, a 300 pt figure fourth: it goes to page two's top,
        // and the two paragraphs after it fill page one.
        func paragraph() -> Box { Box(height: 100, marks: []) }
        var figure = Box(height: 300, marks: [])
        figure.floats = true
        let pagination = Pagination(
            [paragraph(), paragraph(), paragraph(), figure, paragraph(), paragraph()],
            firstTop: 0, top: 0, bottom: 500)
        #expect(pagination.pages.count == 2)
        #expect(pagination.pages[0].count == 5 && pagination.pages[1].first?.box.floats == true)
    }

    @Test func aFigureWaitsWithTheLeadInThatIntroducesIt() throws {
        // "…as a graph:" then the figure, with no room for the figure: both open page two, the
        // lead-in right above it, and the next section's heading and text fill page one.
        let boxes = [
            Self.named(600, "text"), Self.named(20, "lead-in", keep: true), Self.named(300, "figure", floats: true),
            Self.named(20, "heading", keep: true, heading: true), Self.named(100, "next"),
        ]
        let pages = Self.titles(Pagination(boxes, firstTop: 0, top: 0, bottom: 800))
        #expect(pages == [["text", "heading", "next"], ["lead-in", "figure"]])
    }

    @Test func aTableThatWouldLeaveThePageEmptyBreaksBetweenRowsWithTwoOnEachSide() throws {
        // 300 pt of text, then a table of a 20 pt header and ten 30 pt rows (320 pt in all) on a 500 pt page.
        let header = Box.Continuation(marks: [], height: 20)
        var head = Box(height: 20, marks: [], keepWithNext: true)
        head.continuation = nil
        let rows = (0..<10).map { index -> Box in
            var row = Box(height: 30, marks: [], keepWithNext: index < 9)
            row.continuation = header
            return row
        }
        let pagination = Pagination([Box(height: 300, marks: []), head] + rows, firstTop: 0, top: 0, bottom: 500)
        #expect(pagination.pages.count == 2)
        let onFirst = pagination.pages[0].count - 2
        let onSecond = pagination.pages[1].count - 1  // less the text and the headers
        #expect(onFirst >= 2 && onSecond >= 2 && onFirst + onSecond == 10)
    }
}
