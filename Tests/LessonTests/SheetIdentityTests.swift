import Engine
import LessonKit
import MathNotation
import ReportModel
import Testing

@testable import Lessons

/// An exercise sheet knows a hidden result by the quantity a number prints (the label and value
/// the notation read off the tape), not by its digits alone: the same result in another format
/// or as 0 is held back, and a given that happens to print an answer's digits stays.
@Suite("Exercise sheets hide results by what the numbers are")
struct SheetIdentityTests {
    /// The lines a sheet keeps for `lhs`, its formula first; the last is its result, which the
    /// sheet sets as a blank box.
    func lines(of lhs: String, in report: Report) throws -> [String] {
        try #require(ExerciseTests().steps(in: report.blocks).first { $0.lhs.plainText == lhs }).rhs.map(\.plainText)
    }

    @Test func aHiddenResultIsKnownInAnyFormat() throws {
        let tape = Tape()
        let x = tape.input(0.123456789, "x")
        let y = (x * 2.0).labeled("y")
        let n = Notation(tape: tape, format: NumberFormat(significantDigits: 9))
        let short = Notation(tape: tape, format: NumberFormat(significantDigits: 3))
        let report = Report(title: "t", lesson: "t") {
            Section("setup") { "x = \(n.value(x))" }
            Section("work") { n.step(y) }
            Section("after") {
                "y is about \(short.value(y))."
                "Typed by the lesson: \(n.number(y.value))."
                "Twice that is \(short.number(2 * y.value))."
            }
        }
        #expect(n.value(y).plainText == "0.246913578" && short.value(y).plainText == "0.247")
        let sheet = ExerciseTests().paragraphs(in: report.version(.exercise).blocks)
        let key = ExerciseTests().paragraphs(in: report.version(.answers).blocks)
        // y printed to three digits is still y; a number the lesson typed is judged by its digits.
        #expect(key.contains("y is about 0.247.") && !sheet.contains { $0.contains("0.247") })
        #expect(key.contains("Typed by the lesson: 0.246913578.") && !sheet.contains { $0.contains("Typed") })
        #expect(sheet.contains("Twice that is 0.494."), "a number that is not y stays")
    }

    /// Zeros are too common to judge by their digits; by what they are, a hidden 0 is held back.
    @Test func aHiddenZeroIsHeldBack() throws {
        let tape = Tape()
        let x = tape.input(0.25, "x")
        let z = (x - x).labeled("z")
        let w = (z + x).labeled("w")
        let n = Notation(tape: tape, format: NumberFormat(significantDigits: 6))
        let report = Report(title: "t", lesson: "t") {
            Section("setup") { "x = \(n.value(x))" }
            Section("work") {
                n.step(z)
                n.step(w)
            }
        }
        #expect(try lines(of: "w", in: report.version(.answers)) == ["z + x", "0 + 0.25", "0.25"])
        #expect(try lines(of: "w", in: report.version(.exercise)) == ["z + x", "0.25"])
    }

    /// The same printed line, "0.5 × 3", stays when its 0.5 is η, given in the setup, and goes
    /// when it is a, the answer to the exercise before.
    @Test func aGivenWithAnAnswersDigitsStays() throws {
        let tape = Tape()
        let lr = tape.input(0.5, "lr")
        let (x1, x2) = (tape.input(0.25, "x1"), tape.input(0.25, "x2"))
        let a = (x1 + x2).labeled("a")
        let b = (lr * 3.0).labeled("b")
        let c = (a * 3.0).labeled("c")
        let n = Notation(tape: tape, format: NumberFormat(significantDigits: 6))
        let report = Report(title: "t", lesson: "t") {
            Section("setup") { "The learning rate is \(n.value(lr)), x₁ = \(n.value(x1)) and x₂ = \(n.value(x2))." }
            Section("work") {
                n.step(a)
                n.step(b)
                n.step(c)
            }
        }
        let sheet = report.version(.exercise)
        #expect(try lines(of: "a", in: sheet) == ["x1 + x2", "0.25 + 0.25", "0.5"])
        #expect(try lines(of: "b", in: sheet) == ["lr·3", "0.5 × 3", "1.5"])
        #expect(try lines(of: "c", in: sheet) == ["a·3", "1.5"])
    }

    /// The lessons' own cases. backprop-example with its targets met from the start: net_o1 = 0
    /// is asked, so out_o1's σ(0) is not printed. newton: ∂f/∂y = 10 is asked, but the Hessian's
    /// ∂²f/∂y² = 10, given in the section's opening, stays, and det H keeps its numbers.
    @Test func theLessonsSheetsHideWhatIsAskedAndKeepWhatIsGiven() throws {
        let met = ["t1=0.5", "t2=0.5", "w5=0", "w6=0", "w7=0", "w8=0", "b2=0"]
        let backprop = try Lesson.backpropExample.run(settings: met + ["iterations=1"]).report
        #expect(try lines(of: "outo1", in: backprop.version(.answers)).contains("σ(0)"))
        #expect(try !lines(of: "outo1", in: backprop.version(.exercise)).contains("σ(0)"))
        let newton = try Lesson.newton.run(settings: []).report.version(.exercise)
        #expect(try lines(of: "det H", in: newton).contains("1 × 10 − 0 × 0"))
        // ∂net_o2/∂w7 is out_h1, asked earlier: printed under another name, its digits still go.
        let sheet = try Lesson.backpropExample.run(settings: ["iterations=1"]).report.version(.exercise)
        let printed = ExerciseTests().steps(in: sheet.blocks).flatMap {
            ($0.answerBox ? $0.rhs.dropLast() : $0.rhs).map(\.plainText)
        }
        #expect(!printed.contains { $0.contains("0.593269992") })
    }
}
