import Engine
import Foundation
import Lessons
@testable import Render
import Report
import Testing

/// Every parameter of every lesson at its declared minimum and at its maximum, alone: refused in
/// one line before any work, or run and laid out with no NaN or infinity printed and values.json
/// whole. (The fuzz test stays inside 2000 for integers; `optimizers --set steps=1119` crashed
/// beyond it.) It runs when LESSONS_EXTREMES is set: `LESSONS_EXTREMES=0 scripts/test` for each
/// extreme alone, N for N random combinations more per lesson. In a debug build the sweep takes
/// over five minutes, and beside the rest of the suite on two cores it pushed the fuzz test past
/// its time limit, so `scripts/test` leaves it to be asked for.
@Suite("Parameters at their declared extremes", .enabled(if: ProcessInfo.processInfo.environment["LESSONS_EXTREMES"] != nil))
struct ExtremesTests {
    static let combinations = Int(ProcessInfo.processInfo.environment["LESSONS_EXTREMES"] ?? "") ?? 0

    /// `name=min` and `name=max` for a parameter (the shortest and longest lists of the smallest
    /// and largest entries; every choice).
    static func extremes(_ parameter: Parameter) -> [String] {
        switch parameter.kind {
        case .real(_, let range): ["\(range.lowerBound)", "\(range.upperBound)"].map { "\(parameter.name)=\($0)" }
        case .integer(_, let range): ["\(range.lowerBound)", "\(range.upperBound)"].map { "\(parameter.name)=\($0)" }
        case .choice(_, let options): options.map { "\(parameter.name)=\($0)" }
        case .vector(_, let length, let range):
            [(length.lowerBound, range.lowerBound), (length.lowerBound, range.upperBound), (length.upperBound, range.upperBound)].map { count, x in
                let entry = x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)"
                return "\(parameter.name)=" + Array(repeating: entry, count: count).joined(separator: ",")
            }
        }
    }

    @Test(.timeLimit(.minutes(10)), arguments: Catalog.lessons.map(\.name))
    func everyExtremeRunsOrIsRefusedInOneLine(name: String) throws {
        let lesson = try #require(Catalog.lesson(named: name))
        var cases = lesson.parameters.flatMap(Self.extremes).map { [$0] }
        var random = SeededGenerator(seed: UInt64(name.utf8.count) &* 0x9E37)
        for _ in 0..<Self.combinations {
            cases.append(lesson.parameters.compactMap { p in
                let options = Self.extremes(p)
                return random.next() % 2 == 0 ? options[Int(random.next() % UInt64(options.count))] : nil
            })
        }
        var ran = 0
        for settings in cases {
            let parameters: Parameters
            do { parameters = try lesson.parameters(settings: settings) } catch {
                #expect(!error.description.contains("\n"), "\(name) \(settings): \(error.description)")
                continue
            }
            let result = lesson.run(parameters)
            // A run a NaN stops is refused by the CLI (exit 65), naming the node: no page to check.
            if result.recordings.contains(where: { $0.nonFinite != nil }) { continue }
            let text = Markdown(result.report, figures: []).text
            #expect(!text.contains("NaN") && !text.contains("∞"), "\(name) \(settings) prints a NaN or an infinity")
            #expect(Document(result.report).pageCount >= 1)
            #expect((try? JSONSerialization.jsonObject(with: Data(result.json().utf8))) != nil, "\(name) \(settings): values.json")
            ran += 1
        }
        #expect(ran > 0)
    }
}
