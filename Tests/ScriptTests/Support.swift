import Foundation
import LessonKit
import ReportModel
import TestSupport
import Testing

@testable import Script

/// The repository's examples/ folder, where the scripts rebuilding built-in lessons live.
let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("examples")

/// `--set` settings as (name, value) pairs, for a test's own model of a script's parameters.
func pairs(_ settings: [String]) -> [(name: String, value: Double)] {
    settings.map { setting in
        let parts = setting.split(separator: "=")
        return (String(parts[0]), Double(parts[1])!)
    }
}

/// A data point's coordinate named `x3` or `y1`: the axis and the 0-based index; nil for other names.
func coordinate(_ name: String) -> (axis: Character, index: Int)? {
    guard name.count == 2, let axis = name.first, axis == "x" || axis == "y", let k = Int(String(name.last!)) else {
        return nil
    }
    return (axis, k - 1)
}

/// (f(x + h) − f(x − h))/2h: what a recorded gradient is checked against.
func centralDifference(at x: Double, h: Double = 1e-6, _ f: (Double) -> Double) -> Double {
    (f(x + h) - f(x - h)) / (2 * h)
}

/// Each label's number in values.json against the value a test worked out, to the tolerance
/// `relative` gives that label (`close`'s: relative, against the larger and 1).
func expectAgreement(
    _ values: ExportedValues, _ expected: [(String, Double)], relative: (String) -> Double,
    _ context: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws {
    for (label, value) in expected {
        let got = try #require(values.number(label), "\(label) in values.json", sourceLocation: sourceLocation)
        #expect(
            close(got, value, relative: relative(label)), "\(context) \(label): \(got) against \(value)",
            sourceLocation: sourceLocation)
    }
}

/// A script's text made into a lesson (parsed and run at its defaults).
func lesson(_ text: String, file: String = "test.lesson.md") throws(ScriptError) -> Lesson {
    try Lesson(script: ScriptParser.parse(text, file: file))
}

/// The first line of what a broken script is refused with: `file:line:column: error: message`.
func refusal(_ text: String) -> String? {
    do {
        _ = try lesson(text)
        return nil
    } catch {
        return String(error.description.split(separator: "\n").first ?? "")
    }
}

/// A script of one compute block under a title, after the given parameter lines.
func script(parameters: [String] = ["x = 0.5 in -10...10 \"x\"", "w = 2 in -10...10 \"w\""], compute: [String])
    -> String
{
    (["# A test", "", "```parameters"] + parameters + ["```", "", "## Steps", "", "```compute"] + compute + ["```"])
        .joined(separator: "\n")
}

/// The text of every paragraph of a result, sections and notes opened, in reading order.
func paragraphs(_ result: LessonResult) -> String {
    func walk(_ blocks: [Block]) -> [String] {
        blocks.flatMap { block -> [String] in
            switch block {
            case .section(let section): [section.title.plainText] + walk(section.content)
            case .note(let note): walk(note.content)
            case .paragraph(let text): [text.plainText]
            default: []
            }
        }
    }
    return walk(result.report.blocks).joined(separator: "\n")
}
