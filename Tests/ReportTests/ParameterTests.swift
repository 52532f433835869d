import Engine
import Foundation
import LessonKit
import ReportModel
import TestSupport
import Testing

/// A one-parameter lesson: y = x².
let square = Lesson(
    name: "square", title: "A square",
    parameters: [
        .real("x", 3, in: -10...10, "the input"),
        .integer("n", 2, in: 1...5, "a count"),
        .choice("mode", "fast", among: ["fast", "slow"], "how"),
    ]
) { p in
    let tape = Tape()
    let y = tape.input(p["x"], "x").pow(2).labeled("y")
    var values = ExportedValues(tape)
    values["ys"] = .array([y.value, y.value * 2])
    let report = Report(title: "Square", lesson: "square") { "y = \(NumberFormat(significantDigits: 3).rich(y.value))" }
    return LessonResult(lesson: "square", parameters: p, report: report, values: values)
}

@Suite("Parameters and --set")
struct ParameterTests {
    @Test func defaultsAndSettings() throws {
        let p = try square.parameters(settings: ["x=-2.5", "n=4", "mode=slow"])
        #expect(p["x"] == -2.5 && p.integer("n") == 4 && p.choice("mode") == "slow")
        let defaults = try square.parameters(settings: [])
        #expect(!p.isDefault("x") && defaults.isDefault("x"))
    }

    @Test(arguments: [
        ("y=1", "unknown parameter 'y' for square; its parameters are x, n, mode"),
        ("x", "a setting is KEY=VALUE, got 'x'"),
        ("x=abc", "x=abc is not a number; x (the input) takes a number in [-10, 10]"),
        ("x=nan", "x=nan is not a finite number; x (the input) takes a number in [-10, 10]"),
        ("x=inf", "x=inf is not a finite number; x (the input) takes a number in [-10, 10]"),
        ("x=10.5", "x=10.5 is outside the allowed range [-10, 10] of x (the input)"),
        ("n=2.5", "n=2.5 is not a whole number; n (a count) takes an integer from 1 to 5"),
        ("n=9", "n=9 is outside the allowed range 1 to 5 of n (a count)"),
        ("mode=warp", "mode=warp is not one of fast | slow (how)"),
    ])
    func refusals(setting: String, message: String) {
        #expect(throws: ParameterError.self) { try square.parameters(settings: [setting]) }
        do { _ = try square.parameters(settings: [setting]) } catch { #expect(error.description == message) }
    }

    @Test func valuesJSONKeepsOrderAndFullPrecision() throws {
        let result = try square.run(settings: ["x=0.1"])
        let json = result.json()
        #expect(
            json.hasPrefix(
                "{\n  \"lesson\": \"square\",\n  \"parameters\": {\n    \"x\": 0.1,\n    \"n\": 2,\n    \"mode\": \"fast\""
            ))
        let file = try ValuesFile(Data(json.utf8))
        #expect(file.values["y"] == .number(0.1 * 0.1))  // 0.010000000000000002, every bit kept
        #expect(file.values["ys"] == .array([0.1 * 0.1, 0.1 * 0.1 * 2]))
    }
}
