import Engine
import Foundation
import ReportModel
import Testing

@testable import MathNotation

/// A matrix shown in fewer columns or rows for a smaller page (a slide): the first entries, an
/// ellipsis, the last, as the notation elides a large tensor; an ellipsis already there is reused.
@Suite("Matrices elided for a slide: first entries, ⋯ or ⋮, the last")
struct MatrixElisionTests {
    /// A 10 × 12 tensor as the notation prints it: 8 × 8 with ⋯ and ⋮ (rows 0–4, ⋮, 8–9).
    static let printed = TensorNotation(tape: TensorTape(), format: NumberFormat(significantDigits: 3))
        .matrix(NDArray(shape: [10, 12], scalars: (0..<120).map(Double.init)))

    @Test func fewerColumnsKeepTheFirstAndTheLast() {
        let narrow = Self.printed.narrowed(toColumns: 4)
        // Columns 0 and 1, ⋯, column 11; the ⋮ row crosses the ⋯ at ⋱.
        #expect(narrow.rows[0].map(\.plainText) == ["0", "1", "⋯", "11"])
        #expect(narrow.rows[5].map(\.plainText) == ["⋮", "⋮", "⋱", "⋮"])
        #expect(narrow.rows.last!.map(\.plainText) == ["108", "109", "⋯", "119"])
        // Already narrow enough: unchanged.
        #expect(Self.printed.narrowed(toColumns: 8) == Self.printed)
    }

    @Test func fewerRowsKeepTheFirstAndTheLast() {
        let short = Self.printed.shortened(toRows: 4)
        #expect(short.rows.map { $0[0].plainText } == ["0", "12", "⋮", "108"])
        #expect(short.rows[2].map(\.plainText).contains("⋱") && short.rows[2].count == 8)
        // A matrix with no ellipsis yet gets one: 5 rows to 3.
        let plain = MatrixView(rows: (0..<5).map { [RichText("\($0)")] })
        #expect(plain.shortened(toRows: 3).rows.map { $0[0].plainText } == ["0", "⋮", "4"])
    }

    @Test func aStepNarrowsEveryMatrixItHolds() {
        let step = Step(
            lhs: "W", lines: [MathLine(segments: [.matrix(Self.printed), .text(" "), .matrix(Self.printed)])])
        let narrowed = step.narrowingMatrices(toColumns: 3, rows: 3)
        for segment in narrowed.rhs[0].segments {
            if case .matrix(let m) = segment { #expect(m.rows.count == 3 && m.rows[0].count == 3) }
        }
    }
}
