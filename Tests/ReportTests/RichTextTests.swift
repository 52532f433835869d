import Testing
import Engine
import Report

@Suite("Rich text and math names")
struct RichTextTests {
    @Test func inlineSyntax() {
        let text: RichText = "net_{h1} = w_1 and **bold** *it* `code` e^{−x} x\\_y"
        #expect(text.runs == [
            .init("net", .italic), .init("h1", .lowered), .init(" = "), .init("w", .italic), .init("1", .lowered),
            .init(" and "), .init("bold", .bold), .init(" "), .init("it", .italic), .init(" "), .init("code", .mono),
            .init(" "), .init("e", .italic), .init("−x", .raised), .init(" x_y"),
        ])
    }

    @Test func underscoresThatAreNotIndicesStay() {
        #expect(RichText("a _ b").plainText == "a _ b")
        #expect(RichText.plain("001_1d03.txt").runs == [.init("001_1d03.txt")])
    }

    @Test func interpolatedRichTextIsNotReparsed() {
        let name = RichText.plain("w_1")
        let text: RichText = "weight \(name) of \(3)"
        #expect(text.runs == [.init("weight w_1 of 3")])
    }

    @Test(arguments: [
        ("net_h1", [RichText.Run("net", .italic), .init("h1", .lowered)]),
        ("w5", [.init("w", .italic), .init("5", .lowered)]),
        ("w5+", [.init("w", .italic), .init("5", .lowered), .init("+", .raised)]),
        ("dE_total/dw5", [.init("∂"), .init("E", .italic), .init("total", .lowered), .init("/∂"), .init("w", .italic), .init("5", .lowered)]),
        ("x", [.init("x", .italic)]),
    ])
    func mathNames(label: String, runs: [RichText.Run]) {
        #expect(MathName.text(for: label).runs == runs)
    }

    @Test func notationStepIsTheTapesFormula() {
        let tape = Tape()
        let w1 = tape.input(0.15, "w1"), i1 = tape.input(0.05, "i1"), b1 = tape.input(0.35, "b1")
        let net = (w1 * i1 + b1).labeled("net_h1")
        let step = Notation(tape: tape, format: NumberFormat(significantDigits: 4)).step(net, "net input")
        #expect(step.lhs.plainText == "neth1")
        #expect(step.rhs.map(\.plainText) == ["w1·i1 + b1", "0.15 × 0.05 + 0.35", "0.3575"])
        #expect(step.rhs[2] == RichText.plain("0.3575"))
    }

    @Test func leafStepDropsRepeatedLines() {
        let tape = Tape()
        let x = tape.input(2, "x")
        let step = Notation(tape: tape, format: NumberFormat(significantDigits: 3)).step(x)
        #expect(step.rhs.map(\.plainText) == ["x", "2"])
    }
}
