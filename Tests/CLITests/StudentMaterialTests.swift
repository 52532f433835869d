import Foundation
import TestSupport
import Testing

/// What students get (exercise sheets, keys, handouts, slides) speaks of the course, not of the
/// tool: no command lines, no note file names, no lesson slugs as cross-references. The
/// teacher's own `run` report keeps its one line on how to change the settings.
@Suite struct StudentMaterialTests {
    /// The slugs that cannot be read as ordinary words.
    static let slugs = [
        "backprop-example", "backprop-matrix", "decision-boundary", "logistic-regression", "gradient-descent",
        "conv-sizes", "network-size", "batch-norm", "particle-swarm", "hyperparameter-search",
    ]

    /// The text of the one PDF a command writes into `folder` (its name gains -exercise, -slides, …).
    static func text(_ arguments: [String], pdf: String, in folder: URL) throws -> String {
        let outcome = try Command.run(
            arguments + ["--output", folder.appendingPathComponent(pdf).path, "--format", "pdf"])
        try #require(outcome.status == 0, "\(arguments): \(outcome.error)")
        let written = Command.files(in: folder).filter { $0.hasSuffix(".pdf") }
        try #require(written.count == 1, "\(arguments) wrote \(written)")
        let text = try run("pdftotext", [folder.appendingPathComponent(written[0]).path, "-"])
        try #require(text.status == 0 && text.output.count > 10_000, "\(written[0]) has its text")
        return text.output
    }

    /// Whatever in `text` is tool talk: command lines, note file names, lessons named by slug.
    static func toolTalk(_ text: String) -> [String] {
        var found: [String] = []
        for phrase in ["lessons run", "lessons params", "lessons graph", "--set", "--variant"]
        where text.contains(phrase) { found.append(phrase) }
        if let range = text.range(of: "[0-9]{3}_[0-9a-f]{16}\\.txt", options: .regularExpression) {
            found.append(String(text[range]))
        }
        for slug in slugs {
            for pattern in ["lesson \(slug)", "\(slug)’s", "\(slug) again"] where text.contains(pattern) {
                found.append(pattern)
            }
        }
        return found
    }

    @Test(arguments: [["--exercise"], ["--answers"], ["--layout", "slides"], []])
    func theWeeksHandoutCarriesNoToolText(version: [String]) throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try Self.text(["handout", "--all", "--title", "Week 3"] + version, pdf: "week.pdf", in: folder)
        #expect(Self.toolTalk(text).isEmpty, "\(version): \(Self.toolTalk(text))")
    }

    @Test func aVariantSheetAndKeyCarryNoToolText() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        for version in ["--exercise", "--answers"] {
            let outcome = try Command.run([
                "run", "backprop-example", version, "--variant", "7", "--output", folder.path, "--format", "pdf",
            ])
            try #require(outcome.status == 0, "\(outcome.error)")
            let pdf = folder.appendingPathComponent(
                "backprop-example-v07\(version == "--exercise" ? "-exercise" : "-answers")/backprop-example-v07\(version == "--exercise" ? "-exercise" : "-answers").pdf"
            )
            let text = try run("pdftotext", [pdf.path, "-"])
            try #require(
                text.status == 0 && text.output.contains("Backpropagation"), "\(pdf.lastPathComponent) has its text")
            #expect(Self.toolTalk(text.output).isEmpty, "\(version): \(Self.toolTalk(text.output))")
        }
    }

    /// The teacher's printed run says how to change it, once, under the title.
    @Test func theTeachersRunSaysHowToChangeIt() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run(["run", "newton", "--output", folder.path, "--format", "pdf"])
        try #require(outcome.status == 0, "\(outcome.error)")
        let text = try run("pdftotext", [folder.appendingPathComponent("newton/newton.pdf").path, "-"]).output
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("Change any setting with lessons run newton --set key=value"))
        #expect(text.components(separatedBy: "--set").count == 2, "the hint is the only command line")
        #expect(
            text.contains("Notes 001 “A focus on ‘shallow’ neural networks”"), "the notes cited by number and title")
    }
}
