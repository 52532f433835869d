import Engine
import Foundation
import LessonKit
import Render
import ReportModel
import Testing

@testable import Script

/// Random bytes and random edits of the example scripts: each is read and run, or refused with
/// a file:line:column message; none crashes or hangs, and every tenth that runs is rendered.
/// CI runs a fixed seed; LESSONS_FUZZ=N makes N edits per script instead of 150.
@Suite struct ScriptFuzzTests {
    static let edits = Int(ProcessInfo.processInfo.environment["LESSONS_FUZZ"] ?? "") ?? 150

    /// Characters that matter to the grammar, and a few that do not.
    static let alphabet =
        Array("{}()[]=+-−*·/^²∂σΣ√|\"#`>\n\t _.,:;?!0123456789xwzLabykε⁺½…") + ["🦀", "\u{0}", "\u{FEFF}"]

    /// Outcome of one text: nil when it read and ran, else the refusal's first line.
    static func attempt(_ text: String, render: Bool) -> String? {
        let script: Script
        do { script = try ScriptParser.parse(text, file: "fuzz.lesson.md") } catch {
            return String(error.description.prefix { $0 != "\n" })
        }
        let lesson: Lesson
        do { lesson = try Lesson(script: script) } catch { return String(error.description.prefix { $0 != "\n" }) }
        if render { _ = try? Document(lesson.run(Parameters.defaults(of: lesson.parameters)).report).pdf() }
        return nil
    }

    @Test func randomBytesAreRefusedOrRead() {
        var random = SeededGenerator(seed: 2026)
        for _ in 0..<400 {
            let count = Int(random.next() % 300)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let text = String(decoding: bytes, as: UTF8.self)
            if let refusal = Self.attempt(text, render: false) {
                #expect(refusal.hasPrefix("fuzz.lesson.md:"), "\(refusal)")
            }
        }
    }

    @Test(arguments: ["logistic-unit", "softmax-vector", "tanh-321", "backprop-222"])
    func randomEditsOfAnExampleNeverCrash(_ name: String) throws {
        let original = try String(contentsOf: examples.appendingPathComponent(name + ".lesson.md"), encoding: .utf8)
            // The long training run would make each edit a second: a short one tries the same code.
            .replacingOccurrences(of: "iterations = 10000 integer", with: "iterations = 20 integer")
        var random = SeededGenerator(seed: UInt64(name.utf8.count) * 7919)
        var ran = 0
        var slowest = 0.0
        for k in 0..<Self.edits {
            let text = Self.edit(original, &random, times: 1 + Int(random.next() % 3))
            let start = Date()
            if let refusal = Self.attempt(text, render: k % 10 == 0) {
                #expect(refusal.hasPrefix("fuzz.lesson.md:"), "\(refusal)")
            } else {
                ran += 1
            }
            slowest = max(slowest, Date().timeIntervalSince(start))
        }
        #expect(ran > 0, "some edits leave a script that runs")
        #expect(slowest < 20, "no edit hangs: the slowest took \(slowest) s")
    }

    /// Deletes, inserts or replaces a character, drops, doubles or swaps a line, or puts an
    /// extreme number where a number was.
    static func edit(_ text: String, _ random: inout SeededGenerator, times: Int) -> String {
        var characters = Array(text)
        for _ in 0..<times where !characters.isEmpty {
            let at = Int(random.next() % UInt64(characters.count))
            switch random.next() % 7 {
            case 0: characters.remove(at: at)
            case 1: characters.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: at)
            case 2: characters[at] = alphabet[Int(random.next() % UInt64(alphabet.count))]
            case 3, 4, 5:
                var lines = String(characters).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                let k = Int(random.next() % UInt64(lines.count))
                let j = Int(random.next() % UInt64(lines.count))
                switch random.next() % 3 {
                case 0: lines.remove(at: k)
                case 1: lines.insert(lines[k], at: j)
                default: lines.swapAt(k, j)
                }
                characters = Array(lines.joined(separator: "\n"))
            default:
                let extremes = ["1e308", "-1e308", "0", "-0", "5e-324", "1000000", "99999999999999999999", "1e-300"]
                if let digit = characters[at...].firstIndex(where: { $0.isNumber && $0.isASCII }) {
                    var end = digit
                    while end < characters.count, characters[end].isNumber || characters[end] == "." { end += 1 }
                    characters.replaceSubrange(
                        digit..<end, with: Array(extremes[Int(random.next() % UInt64(extremes.count))]))
                }
            }
        }
        return String(characters)
    }
}
