import Foundation
import Lessons
import ReportModel
import TestSupport
import Testing

@testable import Render

/// A formula in prose breaks only where TeX's inline math may: never inside a short bracket,
/// never after a slash or a bar that touches what follows.
@Suite("Prose keeps its formulas together")
struct ProseBreakTests {
    @Test func shortBracketsAndSlashesAreKeptTogether() {
        let kept = Markup.keptTogether(
            "E = ½(target − output)² and V̂/√Ŝ = g/|g| (the notes call this in_h1 and write it in a way that runs long)")
        let text = kept.plainText
        #expect(text.contains("½(target\u{00A0}−\u{00A0}output)²"))
        #expect(text.contains("V̂/\u{2060}√Ŝ") && text.contains("g/\u{2060}|\u{2060}g|"))
        // A number in scientific notation holds together; a product of two numbers may still break.
        let numbers = Markup.keptTogether("ε = 1 × 10^{−5} and 0.5 × 0.25").plainText
        #expect(numbers.contains("1\u{00A0}×\u{00A0}10") && numbers.contains("0.5 × 0.25"))
        // A long parenthetical still breaks at its spaces; the text reads the same without the joiners.
        #expect(text.contains("(the notes call"))
        #expect(
            text.replacingOccurrences(of: "\u{2060}", with: "").replacingOccurrences(of: "\u{00A0}", with: " ")
                == "E = ½(target − output)² and V̂/√Ŝ = g/|g| (the notes call this inₕ₁ and write it in a way that runs long)"
                .replacingOccurrences(of: "inₕ₁", with: RichText("in_h1").plainText))
    }

    /// Every lesson's printed pages: no line ends in a slash or a bar that the next line's formula
    /// continues (∂E_total/ | ∂w₅), and no line ends inside "(target − output)".
    @Test(arguments: Catalog.lessons.map(\.name))
    func noLineOfProseEndsInsideAFormula(name: String) throws {
        let lesson = try #require(Catalog.lesson(named: name))
        let report = lesson.run(try lesson.parameters(settings: [])).report
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prose-\(name)-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pdf = folder.appendingPathComponent("\(name).pdf")
        try Document(report).pdf().write(to: pdf)
        let lines = try run("pdftotext", [pdf.path, "-"]).output.split(separator: "\n").map(String.init)
        for (k, line) in lines.enumerated() where k + 1 < lines.count && !lines[k + 1].isEmpty {
            #expect(
                !line.hasSuffix("/") && !line.hasSuffix("/|"),
                "\(name): a line ends in ‘\(line.suffix(30))’, the next goes on ‘\(lines[k + 1].prefix(20))’")
            #expect(!line.hasSuffix("(target −"), "\(name): ‘\(line.suffix(30))’")
        }
    }
}
