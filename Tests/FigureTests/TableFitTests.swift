import Foundation
import Lessons
import ReportModel
import Testing

@testable import Render

@Suite("Tables fit the text width: words whole, set smaller before they overflow")
struct TableFitTests {
    /// Every table of every lesson at its defaults lies within the A4 text width.
    @Test(arguments: Catalog.lessons.map(\.name))
    func everyTableOfEveryLessonFitsTheTextWidth(name: String) throws {
        let lesson = try #require(Catalog.lesson(named: name))
        let report = lesson.run(try lesson.parameters(settings: [])).report
        let typesetter = Typesetter()
        let width = Page.a4.contentWidth
        for case .table(let table) in report.cells {
            let marks = typesetter.boxes(for: table, width: width).flatMap(\.marks)
            let bounds = try #require(typesetter.bounds(of: marks))
            // The rules' strokes reach 0.4 pt past their ends.
            #expect(
                bounds.origin.x >= -0.5 && bounds.origin.x + bounds.size.width <= width + 0.5,
                """
                \(name): table \"\(table.caption?.plainText ?? "")\" spans \(bounds.origin.x) \
                to \(bounds.origin.x + bounds.size.width) of 0 to \(width) pt
                """
            )
        }
    }

    /// A table of long unbreakable words, twice as wide as the page at the body size, is set
    /// smaller, no smaller than three quarters: then it fits only if it can.
    @Test func aTooWideTableIsSetSmallerDownToThreeQuarters() throws {
        let typesetter = Typesetter()
        let word = RichText.plain("Backpropagation")
        let columns = (0..<4).map { _ in Table.Column(word) }
        let table = Table(nil, columns: columns, rows: [columns.map { _ in word }])
        let natural = columns.count * Int(typesetter.measure(typesetter.spec(word, Theme.tableCell)).width)
        let width = Double(natural) * 0.95
        let cellFonts = typesetter.boxes(for: table, width: width).flatMap(\.marks).compactMap { mark -> Double? in
            if case .text(let spec, _) = mark, spec.font.family == Theme.tableCell.family {
                spec.font.size
            } else {
                nil
            }
        }
        let size = try #require(cellFonts.first)
        #expect(size < Theme.tableCell.size && size >= 0.75 * Theme.tableCell.size)
    }
}
