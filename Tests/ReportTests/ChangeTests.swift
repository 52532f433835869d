import Engine
import Foundation
import MathNotation
import ReportModel
import Testing

/// A before-and-after pair as a sentence says it: the verb is chosen from the two values, and a
/// change too small to print is named as such rather than shown as "from x to x".
@Suite struct ChangeTests {
    let nine = NumberFormat(significantDigits: 9)

    @Test func theVerbFollowsTheNumbers() {
        // backprop-example's error before and after one step at η = 0.5 (001: 0.298371109 → 0.291027924).
        #expect(Change(from: 0.298371109, to: 0.291027924, printedAs: nine) == .fell)
        #expect(Change(from: 0.291027924, to: 0.298371109, printedAs: nine) == .rose)
        #expect(Change(from: 0.298371109, to: 0.298371109, printedAs: nine) == .unchanged)
        let nudged = 0.298371109 - 1e-12  // prints the same at 9 digits
        #expect(Change(from: 0.298371109, to: nudged, printedAs: nine) == .invisible(by: nudged - 0.298371109))
    }

    @Test func theClauseNamesAnInvisibleChange() {
        let n = Notation(tape: Tape(), format: nine)
        let before = 0.2983711087600027
        let after = before - 3e-12
        let text = n.change(of: "the total error", from: before, to: after).plainText
        // The difference of the two doubles (2.99998915e-12, not 3e-12: 3e-12 is not a step between them).
        #expect(text.hasPrefix("lowers the total error by only " + n.number(before - after).plainText), "\(text)")
        #expect(text.contains("too little to show at 9 digits (both print as 0.298371109)"), "\(text)")
        #expect(n.change(of: "the loss", from: 0.5, to: 0.5).plainText == "leaves the loss unchanged at 0.5")
        #expect(n.change(of: "f", from: 24.2, to: 4.73188).plainText == "lowers f from 24.2 to 4.73188")
    }
}
