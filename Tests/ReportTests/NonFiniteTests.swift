import Engine
import Foundation
import MathNotation
import ReportModel
import Testing

/// NaN and infinity caught at the first node that makes one, named with its step.
@Suite("Numerical trouble caught at its node")
struct NonFiniteTests {
    @Test func logOfZeroTimesZeroIsNaNAtTheProduct() throws {
        let tape = Tape()
        let p = tape.input(0, "p")
        let q = tape.input(0, "q")
        let logP = p.log()  // −∞: an overflow, the first trouble
        let term = (q * logP).labeled("term")  // 0 · (−∞) = NaN
        _ = (term + 1).labeled("H")
        #expect(tape.firstNonFinite == logP.id)
        let n = Notation(tape: tape, format: NumberFormat(significantDigits: 6))
        #expect(n.nonFinite == "the log inside term overflows to −∞: log(p) = log(0) = −∞")
    }

    @Test func zeroOverZeroAndInfinityMinusInfinity() {
        let tape = Tape()
        let a = tape.input(0, "a")
        let ratio = (a / a).labeled("r")
        #expect(tape.firstNonFinite == ratio.id)
        #expect(
            Notation(tape: tape, format: NumberFormat(significantDigits: 4)).nonFinite
                == "r is not a number (NaN): r = a/a = 0/0 = NaN")
        let other = Tape()
        let big = other.input(1000, "x").exp().labeled("big")
        _ = (big - big).labeled("d")
        #expect(other.firstNonFinite == big.id, "the exp overflows before ∞ − ∞ makes a NaN")
        let said = Notation(tape: other, format: NumberFormat(significantDigits: 4)).nonFinite
        #expect(said == "big overflows to ∞: big = eˣ = e¹⁰⁰⁰ = ∞", "\(said ?? "nil")")
        // A finite tape says nothing, and clearing forgets old trouble.
        other.clear()
        _ = other.input(2, "x").exp()
        #expect(other.firstNonFinite == nil)
    }

    @Test func tensorOverflowIsNamedWithItsNumbers() {
        let tape = TensorTape()
        let z = tape.input(vector: [709, 709, 709], "z")
        let total = z.exp().sum().labeled("S")
        #expect(tape.firstNonFinite == total.id, "each e^709 fits; their sum does not")
        let message = TensorNotation(tape: tape, format: NumberFormat(significantDigits: 3)).nonFinite ?? ""
        #expect(message == "S overflows to ∞: S = Σ(eᶻ) = Σ(exp([[709, 709, 709]])) = ∞", "\(message)")
    }
}
