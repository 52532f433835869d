import Engine
import MathNotation
import ReportModel
import Testing

@Suite("Rich text and math names")
struct RichTextTests {
    @Test func inlineSyntax() {
        let text: RichText = "net_{h1} = w_1 and **bold** *it* `code` e^{−x} x\\_y"
        #expect(
            text.runs == [
                .init("net", .italic), .init("h1", .lowered), .init(" = "), .init("w", .italic), .init("1", .lowered),
                .init(" and "), .init("bold", .bold), .init(" "), .init("it", .italic), .init(" "),
                .init("code", .mono),
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

    /// Literal and interpolated pieces are read together: a value may stand inside a group,
    /// and takes its style. (Read piece by piece, z^{(\(m))} printed as "z( 4)}".)
    @Test func aValueInsideAGroupTakesItsStyle() {
        let m = 4
        let name = RichText.plain("h_1")
        let power: RichText = "z^{(\(m))} and net_{\(name)} and *a \(m)*"
        #expect(
            power.runs == [
                .init("z", .italic), .init("(4)", .raised), .init(" and "), .init("net", .italic),
                .init("h_1", .lowered),
                .init(" and "), .init("a 4", .italic),
            ])
        #expect(RichText("w_\\{1}").plainText == "w_{1}", "an escaped brace is text")
        let escapedValue: RichText = "x\\\(m)"
        #expect(escapedValue.plainText == "x\\4", "a backslash before a value stays: there is no character to escape")
    }

    @Test(arguments: [
        ("net_h1", [RichText.Run("net", .italic), .init("h1", .lowered)]),
        ("w5", [.init("w", .italic), .init("5", .lowered)]),
        ("w5+", [.init("w", .italic), .init("5", .lowered), .init("+", .raised)]),
        (
            "dE_total/dw5",
            [
                .init("∂"), .init("E", .italic), .init("total", .lowered), .init("/∂"), .init("w", .italic),
                .init("5", .lowered),
            ]
        ),
        ("x", [.init("x", .italic)]),
    ])
    func mathNames(label: String, runs: [RichText.Run]) {
        #expect(MathName.text(for: label).runs == runs)
    }

    @Test func notationStepIsTheTapesFormula() {
        let tape = Tape()
        let w1 = tape.input(0.15, "w1")
        let i1 = tape.input(0.05, "i1")
        let b1 = tape.input(0.35, "b1")
        let net = (w1 * i1 + b1).labeled("net_h1")
        let step = Notation(tape: tape, format: NumberFormat(significantDigits: 4)).step(net, "net input")
        #expect(step.lhs.plainText == "neth1")
        #expect(step.rhs.map(\.plainText) == ["w1·i1 + b1", "0.15 × 0.05 + 0.35", "0.3575"])
        #expect(step.rhs[2] == MathLine(RichText.plain("0.3575")))
    }

    @Test func chainAndSumStepsReadTheirFactorsOffTheTape() {
        // y = −2·u + 3·u with u = 0.5x: two paths to u; dy/du = −2 + 3, du/dx = 0.5.
        let tape = Tape()
        let x = tape.input(4, "x")
        let u = (0.5 * x).labeled("u")
        let a = (-2.0 * u).labeled("a")
        let b = (3.0 * u).labeled("b")
        let y = (a + b).labeled("y")
        let notation = Notation(tape: tape, format: NumberFormat(significantDigits: 3))
        #expect(
            notation.sum(y, of: [a, b], withRespectTo: u).rhs.map(\.plainText) == ["∂a/∂u + ∂b/∂u", "−2 + 3", "1"])
        #expect(notation.chain([a, u, x]).rhs.map(\.plainText) == ["∂a/∂u × ∂u/∂x", "−2 × 0.5", "−1"])
    }

    @Test func aChainThatMissesARouteIsRefused() async {
        // ∂y/∂u has two routes (through a and through b); a chain through a alone would print 1 × (−2) = 1.
        await #expect(processExitsWith: .failure) {
            let tape = Tape()
            let u = tape.input(2, "u")
            let a = (-2.0 * u).labeled("a")
            let b = (3.0 * u).labeled("b")
            let y = (a + b).labeled("y")
            _ = Notation(tape: tape, format: NumberFormat(significantDigits: 3)).chain([y, a, u])
        }
    }

    @Test func leafStepDropsRepeatedLines() {
        let tape = Tape()
        let x = tape.input(2, "x")
        let step = Notation(tape: tape, format: NumberFormat(significantDigits: 3)).step(x)
        #expect(step.rhs.map(\.plainText) == ["2"], "x = 2, not x = x = 2")
    }

    /// A number the notation printed keeps its quantity, and where it stands, through
    /// interpolation, brackets, styling and the formula writer; equality ignores it.
    @Test func printedQuantitiesTravelWithTheirText() throws {
        let tape = Tape()
        let x = tape.input(-0.05, "x")
        let y = (2.0 * x).labeled("y")
        let n = Notation(tape: tape, format: NumberFormat(significantDigits: 3))
        let sentence: RichText = "*so* σ(\(n.value(x))) is **\(n.value(y))**"
        #expect(
            sentence.quantities.map(\.quantity) == [
                Quantity(label: "x", value: -0.05), Quantity(label: "y", value: -0.1),
            ])
        #expect(sentence.plainText == "so σ(−0.05) is −0.1" && sentence.plainTextOutsideQuantities == "so σ( ) is  ")
        #expect(sentence == RichText(runs: sentence.runs) && RichText(runs: sentence.runs).quantities.isEmpty)
        // The substituted formula brackets the negative x: its span is inside the brackets.
        let line = try #require(n.step(y).rhs.dropFirst().first?.text)
        #expect(line.plainText == "2 × (−0.05)" && line.plainTextOutsideQuantities == "2 × ( )")
        #expect(line.quantities.map(\.quantity.label) == ["x"] && line.adding(.bold).quantities.count == 1)
        #expect(Quantity(label: "y", value: 0.1).isSame(as: Quantity(label: "y", value: 0.1 + 1e-17)))
        #expect(!Quantity(label: "y", value: 0.1).isSame(as: Quantity(label: "z", value: 0.1)))
    }
}
