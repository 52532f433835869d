import Foundation
import ReportModel
import Testing

@testable import Lessons

/// README's "Labels in values.json" against what every lesson writes at its defaults: each
/// listed label (or pattern) is written, and each written label is listed.
@Suite struct ReadmeLabelTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("README.md")

    /// `- `name`: `label` `pattern<n>` …` lines of the section, by lesson.
    static func listed() throws -> [String: [String]] {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let start = try #require(text.range(of: "## Labels in `values.json`"))
        let section = text[start.upperBound...].prefix { _ in true }
        let body = section.components(separatedBy: "\n## ").first ?? ""
        var lists: [String: [String]] = [:]
        for line in body.split(separator: "\n") where line.hasPrefix("- `") {
            let parts = line.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            lists[parts[0]] = Array(parts.dropFirst())
        }
        return lists
    }

    /// `<n>` is a whole number, any other `<…>` some text; everything else literal.
    static func matches(_ pattern: String, _ label: String) -> Bool {
        var regex = "^"
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            regex += NSRegularExpression.escapedPattern(for: String(rest[..<open]))
            regex += rest[open...close] == "<n>" ? "[0-9]+" : ".+"
            rest = rest[rest.index(after: close)...]
        }
        regex += NSRegularExpression.escapedPattern(for: String(rest)) + "$"
        return label.range(of: regex, options: .regularExpression) != nil
    }

    @Test func everyLessonHasItsLabelsListed() throws {
        let lists = try Self.listed()
        #expect(
            Set(lists.keys) == Set(Catalog.lessons.map(\.name)),
            "README lists the labels of exactly the catalogue's lessons")
        for lesson in Catalog.lessons {
            let patterns = try #require(lists[lesson.name], "README has no label line for \(lesson.name)")
            let labels = try lesson.run(settings: []).values.entries.map(\.label)
            for pattern in patterns {
                #expect(
                    labels.contains { Self.matches(pattern, $0) },
                    "\(lesson.name): README lists `\(pattern)`, which values.json does not have")
            }
            for label in labels {
                #expect(
                    patterns.contains { Self.matches($0, label) },
                    "\(lesson.name): values.json has `\(label)`, which README's list leaves out")
            }
        }
    }

    @Test func patternsMatchAsDocumented() {
        #expect(Self.matches("w<n>+", "w5+"))
        #expect(!Self.matches("w<n>+", "w+"))
        #expect(!Self.matches("w<n>", "w5+"))
        #expect(Self.matches("plain.lr<λ>.loss", "plain.lr0.1.loss"))
        #expect(!Self.matches("dL/dz", "dL/dz_1"))
    }
}
