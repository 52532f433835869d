import Engine
import MathNotation
import ReportModel
import Testing

@testable import Render

/// An exercise whose result is a matrix is answered entry by entry (`z[r,c]`), so every writer
/// sets its blank as a box per entry, in brackets of the result's shape, not one box for all.
@Suite("A matrix result is a matrix of boxes")
struct BlankMatrixTests {
    /// z = W x for a 2 × 3 result, asked in the second section.
    func sheetStep() throws -> Step {
        let tape = TensorTape()
        let w = tape.input([[1, 2], [3, 4]], "W")
        let x = tape.input([[1, 0, 1], [0, 1, 1]], "X")
        let z = w.matmul(x).labeled("Z")
        let t = TensorNotation(tape: tape, format: NumberFormat(significantDigits: 3))
        let report = Report(title: "t", lesson: "t") {
            Section("setup") { "W and X." }
            Section("work") { t.step(z) }
        }
        let work = try #require(report.version(.exercise).blocks.last)
        guard case .section(let section) = work, case .step(let step)? = section.content.first else {
            throw Mismatch.noStep
        }
        return step
    }

    @Test func everyWriterSetsABoxPerEntry() throws {
        let step = try sheetStep()
        #expect(step.rhs.last?.matrixShape.map { [$0.rows, $0.columns] } == [2, 3])
        let rule = "\\_\\_\\_\\_"
        #expect(Markdown.step(step).contains("= [\(rule) \(rule) \(rule); \(rule) \(rule) \(rule)]"))
        let latex = Notebook.latex(step)
        #expect(latex.components(separatedBy: "\\boxed").count - 1 == 6 && latex.contains("\\begin{bmatrix}"))
        let html = HTMLPage.step(step)
        #expect(html.components(separatedBy: "class=\"answer\"").count - 1 == 6)
        let blank = HTMLPage.blank(try #require(step.rhs.last))
        #expect(blank.components(separatedBy: "<mtr>").count - 1 == 2 && blank.hasPrefix("<mrow><mo>[</mo>"))
        // The PDF: six white boxes with a muted rule, in two rows of three, and no wide single box.
        let box = Typesetter(page: Layout.a4.page).box(for: step, width: 400)
        let cells = box.marks.compactMap { mark -> Rect? in
            guard case .rect(let rect, Theme.white?, Theme.muted?, _, _, _) = mark else { return nil }
            return rect
        }
        #expect(cells.count == 6 && Set(cells.map(\.origin.y)).count == 2 && Set(cells.map(\.origin.x)).count == 3)
        #expect(cells.allSatisfy { $0.size.width < 120 })
        #expect(step.answerBox)
    }
}

enum Mismatch: Error { case noStep }
