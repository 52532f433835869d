import Foundation
import LessonKit
import Lessons
import ReportModel

/// `lessons params NAME --json`: what `--set` takes, for a program to read. Every bound is
/// given, so a script can try a lesson at its extremes (scripts/sweep does) without parsing
/// the table meant for people.
///
///     $ lessons params softmax --json
///     {"lesson": "softmax", "parameters": [{"name": "z", "kind": "vector", "default": [2, 1, 0.1], "length": [2, 64], …
struct ParameterListing: Encodable {
    struct Entry: Encodable {
        var name: String
        var kind: String
        var `default`: Value
        var min: Double?
        var max: Double?
        var length: [Int]?
        var options: [String]?
        var meaning: String
    }

    /// A default as it is: a number, a list of numbers or a choice's name.
    enum Value: Encodable {
        case number(Double), numbers([Double]), text(String)
        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .number(let x): try container.encode(x)
            case .numbers(let xs): try container.encode(xs)
            case .text(let text): try container.encode(text)
            }
        }
    }

    struct Setting: Encodable {
        var settings: [String]
        var meaning: String
    }

    var lesson: String
    var parameters: [Entry]
    var regimes: [Setting]

    init(_ lesson: Lesson) {
        self.lesson = lesson.name
        parameters = lesson.parameters.map { parameter in
            switch parameter.kind {
            case .real(let value, let range):
                Entry(
                    name: parameter.name, kind: "real", default: .number(value), min: range.lowerBound,
                    max: range.upperBound, meaning: parameter.meaning)
            case .integer(let value, let range):
                Entry(
                    name: parameter.name, kind: "integer", default: .number(Double(value)),
                    min: Double(range.lowerBound),
                    max: Double(range.upperBound), meaning: parameter.meaning)
            case .choice(let value, let options):
                Entry(
                    name: parameter.name, kind: "choice", default: .text(value), options: options,
                    meaning: parameter.meaning)
            case .vector(let value, let length, let range):
                Entry(
                    name: parameter.name, kind: "vector", default: .numbers(value), min: range.lowerBound,
                    max: range.upperBound,
                    length: [length.lowerBound, length.upperBound], meaning: parameter.meaning)
            }
        }
        regimes = lesson.regimes.map { Setting(settings: $0.settings, meaning: $0.meaning) }
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
