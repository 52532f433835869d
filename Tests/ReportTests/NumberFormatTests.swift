import Foundation
import ReportModel
import Testing

@Suite("Numbers as the handout prints them")
struct NumberFormatTests {
    @Test(arguments: [
        (4, 0.5932699921071872, "0.5933"), (9, 0.5932699921071872, "0.593269992"), (9, 0.3775, "0.3775"),
        (9, 0.39249999999999996, "0.3925"), (9, 0.7513650695523157, "0.75136507"), (3, 1.10590596705977, "1.11"),
        (9, 10000, "10000"), (4, 123456, "1.235e5"), (6, 3.510187782978859e-05, "3.51019e-5"), (9, 0, "0"),
        (9, -0.0, "0"), (9, -0.019049118258278, "-0.0190491183"), (9, 0.00012, "0.00012"), (2, 0.95, "0.95"),
        (1, 0.96, "1"), (9, 0.9999999999, "1"),
    ])
    func significantDigits(digits: Int, x: Double, expected: String) {
        #expect(NumberFormat(significantDigits: digits).plain(x) == expected)
    }

    @Test func typesetWithTrueMinusAndRaisedExponent() {
        let text = NumberFormat(significantDigits: 6).rich(-3.510187782978859e-05)
        #expect(text.plainText == "−3.51019 × 10−5")
        #expect(text.runs.last == RichText.Run("−5", .raised))
    }

    @Test func everyDigitIsTheCorrectlyRoundedOne() {
        // 0.1 + 0.2 = 0.30000000000000004: 17 digits show the binary value, 16 round it away.
        #expect(NumberFormat(significantDigits: 17).plain(0.1 + 0.2) == "0.30000000000000004")
        #expect(NumberFormat(significantDigits: 16).plain(0.1 + 0.2) == "0.3")
        // 2.675 is stored as 2.67499999999999982236431605997495353221893310546875.
        #expect(NumberFormat(significantDigits: 3).plain(2.675) == "2.67")
    }

    @Test func countsAreGroupedByThousands() {
        let counts = NumberFormat(significantDigits: 15, groupsThousands: true)
        #expect(counts.plain(23_860) == "23,860")
        #expect(counts.plain(11) == "11")
        #expect(counts.plain(100) == "100" && counts.plain(1000) == "1,000")
        #expect(counts.plain(11_000_011_000_000) == "11,000,011,000,000")
        #expect(counts.rich(-1_234_567.5).plainText == "−1,234,567.5")
        #expect(NumberFormat(significantDigits: 15).plain(23_860) == "23860", "off unless asked")
    }
}
