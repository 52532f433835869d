import Engine
import MathNotation
import ReportModel
import Testing

@testable import LessonKit

/// LessonContext carries what every lesson repeated: digits, the format, named numbers,
/// values of every tape behind its prefix, and the recordings `lessons graph` draws.
@Suite struct LessonContextTests {
    static let parameters = Parameters.defaults(of: [.real("x", 1.5, in: -9...9, "x"), .digits(4)])

    @Test func theDigitsParameterSetsTheFormat() {
        #expect(LessonContext(Self.parameters).format.significantDigits == 4)
        #expect(
            LessonContext(Parameters.defaults(of: [.real("x", 1, in: 0...2, "x")]), digits: 9).format.significantDigits
                == 9)
        #expect(Parameter.digits(6).allowed == "integer 3 to 15")
    }

    @Test func valuesAndRecordingsComeFromEveryTapeBehindItsPrefix() {
        let context = LessonContext(Self.parameters, symbols: ["yhat": "ŷ"])
        let (tape, n) = context.tape()
        let x = tape.input(1.5, "x")
        let y = (x * x).labeled("y")
        context.name(tape.derivative(of: y, withRespectTo: x), "dy/dx", on: tape)
        let (twin, m) = context.tape(prefix: "twin.")
        let u = (twin.input(2, "x") + 1).labeled("yhat")
        context.export("curve", .array([1, 2]))
        #expect(n.format.significantDigits == 4 && m.labelPrefix == "twin." && m.name(u).plainText == "ŷ")
        let result = context.result(
            lesson: "square", report: Report(title: "Square", lesson: "square") {}, outputs: [y, u])
        #expect(result.values.entries.map(\.label) == ["x", "y", "dy/dx", "twin.x", "twin.yhat", "curve"])
        #expect(result.values.number("dy/dx") == 3, "∂(x²)/∂x = 2x at 1.5")
        #expect(result.recordings.map(\.outputLabel) == ["y", "twin.yhat"])
    }
}
