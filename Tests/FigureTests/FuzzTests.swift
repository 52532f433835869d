import Engine
import Foundation
import LessonKit
import Lessons
import ReportModel
import Testing

@testable import Render

/// Random settings for every lesson, inside and outside the declared ranges: ±0, subnormals,
/// ±1e308, NaN, ±infinity, huge integers, empty and long lists, unknown choices. Each run is
/// refused with one line or laid out whole, with no NaN or infinity printed. CI runs a fixed
/// seed; LESSONS_FUZZ=N runs N cases per lesson instead of 12, with larger integers.
@Suite("Fuzzed parameters")
struct FuzzTests {
    static let cases = Int(ProcessInfo.processInfo.environment["LESSONS_FUZZ"] ?? "") ?? 12

    /// Numbers a hand could type: edges, specials, and values just outside the range.
    static func real(_ range: ClosedRange<Double>, _ random: inout SeededGenerator) -> String {
        let inside = range.lowerBound + (range.upperBound - range.lowerBound) * Double(random.next() % 1001) / 1000
        let outside = range.upperBound + max(1, abs(range.upperBound)) * Double(random.next() % 100 + 1) / 100
        let choices = [
            "\(range.lowerBound)", "\(range.upperBound)", "\(inside)", "\(inside)", "\(inside)", "\(inside)", "-0", "0",
            "5e-324", "2.2e-308",
            "1e308", "-1e308", "nan", "inf", "-inf", "\(outside)", "\(range.lowerBound - 1)", "1e400", "0x1p-1074", "",
            "two",
        ]
        return choices[Int(random.next() % UInt64(choices.count))]
    }

    static func integer(_ range: ClosedRange<Int>, _ random: inout SeededGenerator) -> String {
        // In range, log-uniform: the long runs are rare in CI, and every size is tried in a long fuzz.
        let span = Double(range.upperBound - range.lowerBound)
        let cap = cases > 12 ? span : min(span, 2000)
        let inside = range.lowerBound + Int(pow(cap + 1, Double(random.next() % 1001) / 1000) - 1)
        let choices =
            [
                "\(range.lowerBound)", "\(inside)", "\(inside)", "\(inside)", "\(range.lowerBound - 1)",
                "\(range.upperBound + 1)",
                "99999999999999999999999", "-9223372036854775808", "1.5", "1e3", "nan", "",
            ] + (cases > 12 ? ["\(range.upperBound)"] : [])
        return choices[Int(random.next() % UInt64(choices.count))]
    }

    /// A value inside the declared range, for the first case of each lesson: something renders.
    static func inside(_ parameter: Parameter, _ random: inout SeededGenerator) -> String {
        let t = Double(random.next() % 1001) / 1000
        let value: String
        switch parameter.kind {
        case .real(_, let range): value = "\(range.lowerBound + (range.upperBound - range.lowerBound) * t)"
        case .integer(_, let range):
            value = "\(range.lowerBound + Int(pow(Double(min(range.upperBound - range.lowerBound, 2000) + 1), t) - 1))"
        case .choice(_, let options): value = options[Int(random.next() % UInt64(options.count))]
        case .vector(_, let length, let range):
            value = Array(repeating: "\(Int(range.lowerBound.rounded(.up)))", count: length.lowerBound).joined(
                separator: ",")
        }
        return "\(parameter.name)=\(value)"
    }

    static func setting(_ parameter: Parameter, _ random: inout SeededGenerator) -> String {
        let value: String
        switch parameter.kind {
        case .real(_, let range): value = real(range, &random)
        case .integer(_, let range): value = integer(range, &random)
        case .choice(_, let options): value = (options + ["bogus", ""])[Int(random.next() % UInt64(options.count + 2))]
        case .vector(_, let length, let range):
            let counts = [0, length.lowerBound, length.lowerBound, length.upperBound, length.upperBound + 1, 10_000]
            let count = counts[Int(random.next() % UInt64(counts.count))]
            // Mostly numbers in range, so whole lists get through; one list in four has one entry
            // that may be anything. Half the lists are whole numbers, as lists of units must be.
            let whole = random.next() % 2 == 0
            let odd = random.next() % 4 == 0 ? Int(random.next() % UInt64(max(count, 1))) : -1
            value = (0..<count).map { k in
                let inside =
                    range.lowerBound + (range.upperBound - range.lowerBound) * Double(random.next() % 1001) / 1000
                return k == odd ? real(range, &random) : whole ? "\(Int(inside.rounded()))" : "\(inside)"
            }.joined(separator: ",")
        }
        return "\(parameter.name)=\(value)"
    }

    @Test(.timeLimit(.minutes(5)), arguments: Catalog.lessons.map(\.name))
    func everySettingRendersOrIsRefusedInOneLine(name: String) throws {
        let lesson = try #require(Catalog.lesson(named: name))
        var random = SeededGenerator(seed: UInt64(name.utf8.reduce(7) { $0 &* 31 &+ UInt64($1) }))
        var rendered = 0
        for k in 0..<Self.cases {
            let settings = (0..<Int(random.next() % 3 + 1)).map { _ in
                let parameter = lesson.parameters[Int(random.next() % UInt64(lesson.parameters.count))]
                return k == 0 ? Self.inside(parameter, &random) : Self.setting(parameter, &random)
            }
            let parameters: Parameters
            do {
                parameters = try lesson.parameters(settings: settings)
            } catch {
                #expect(
                    !error.description.isEmpty && !error.description.contains("\n"), "\(settings): \(error.description)"
                )
                continue
            }
            let result = lesson.run(parameters)
            let document = Document(result.report)
            let text = Markdown(result.report, figures: []).text
            #expect(!text.contains("NaN") && !text.contains("∞"), "\(name) \(settings) prints a NaN or an infinity")
            #expect(document.pageCount >= 1)
            #expect(
                (try? JSONSerialization.jsonObject(with: Data(result.json().utf8))) != nil,
                "\(name) \(settings): values.json")
            rendered += 1
        }
        // A lesson whose parameters constrain each other (model-selection's split sizes against its
        // data) may refuse every random mix: then one parameter at a time, inside its range.
        for parameter in lesson.parameters where rendered == 0 {
            guard let parameters = try? lesson.parameters(settings: [Self.inside(parameter, &random)]) else { continue }
            #expect(Document(lesson.run(parameters).report).pageCount >= 1)
            rendered += 1
        }
        #expect(rendered > 0, "no random setting of \(name) was accepted")
    }
}
