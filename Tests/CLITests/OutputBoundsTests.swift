import Foundation
import TestSupport
import Testing

/// What a run does at the edges of its output: a title longer than a header, a character no
/// font has, a handout of more PNG pixels than a run draws, and a run that fails after it has
/// made folders.
@Suite("Output at its bounds")
struct OutputBoundsTests {
    static let longTitle =
        "Week 3: backpropagation, gradient descent, momentum, Nesterov, RMSProp, Adagrad, Adam, softmax, "
        + "convolutions and everything else a first course in deep learning has room for, worked"

    /// A page's text, as pdftotext lays it out.
    static func text(of pdf: URL, page: Int) throws -> String {
        try run("pdftotext", ["-layout", "-f", "\(page)", "-l", "\(page)", pdf.path, "-"]).output
    }

    /// The running header is one line, cut with "…" (drawn: pdftotext still reads the whole title,
    /// which Pango keeps behind the ellipsis), so nothing of it falls below its rule; the cover
    /// carries the whole title.
    @Test func aLongTitleIsCutInTheRunningHeaderAndWholeOnTheCover() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pdf = folder.appendingPathComponent("week.pdf")
        let outcome = try Command.run([
            "handout", "backprop-example", "--title", Self.longTitle, "--output", pdf.path,
            "--format", "pdf,png", "--dpi", "72",
        ])
        try #require(outcome.status == 0, "\(outcome.error)")
        let cover = try Self.text(of: pdf, page: 1).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(cover.contains(Self.longTitle))
        // Page 4 has a running header (page 3 opens the chapter). At 72 dpi a pixel is a point:
        // the header's line is at 38–48 pt, its rule at 51, the page's text from 64.
        let page = try Data(contentsOf: folder.appendingPathComponent("week-pages/page-04.png"))
        #expect(try inkCoverage(page, darkerThan: 160, rows: 38..<48) > 0.02)
        #expect(try inkCoverage(page, darkerThan: 250, rows: 53..<63) == 0, "a second line of the header")
        // The ink on that line is the title's: a short title leaves less.
        let short = try Command.run([
            "handout", "backprop-example", "--title", "Week 3", "--output", pdf.path, "--format", "png", "--dpi", "72",
        ])
        try #require(short.status == 0)
        let plain = try Data(contentsOf: folder.appendingPathComponent("week-pages/page-04.png"))
        #expect(
            try inkCoverage(plain, darkerThan: 160, rows: 38..<48) < inkCoverage(page, darkerThan: 160, rows: 38..<48))
    }

    /// A title that would wrap over the header's rule is refused before any work, as is one over 200 characters.
    @Test(arguments: ["Week 3\nBackprop", String(repeating: "long ", count: 41)])
    func aTitleOnTwoLinesOrTooLongIsRefused(title: String) throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run([
            "handout", "softmax", "--title", title, "--output", folder.appendingPathComponent("h.pdf").path,
        ])
        #expect(outcome.status == 64)
        #expect(outcome.error.contains("--title"))
        #expect(outcome.error.split(separator: "\n").count == 1)
        #expect(Command.files(in: folder).isEmpty)
    }

    /// DejaVu has no crab and no kanji: one warning names each character once, however many
    /// pages repeat the title; characters DejaVu has (😀, ∮) are not named.
    @Test func aCharacterNoFontHasIsReportedOnceByName() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run([
            "handout", "backprop-example", "softmax", "--title", "Week 3 🦀 漢 😀 ∮",
            "--output", folder.appendingPathComponent("h.pdf").path,
        ])
        try #require(outcome.status == 0, "\(outcome.error)")
        let warnings = outcome.error.split(separator: "\n").filter { $0.hasPrefix("warning:") }
        #expect(warnings.count == 1)
        let warning = try #require(warnings.first)
        #expect(warning.contains("🦀 (U+1F980)") && warning.contains("漢 (U+6F22)"))
        #expect(!warning.contains("1F600") && !warning.contains("222E"))
        #expect(warning.components(separatedBy: "U+1F980").count == 2)
        // The defaults' text is all in DejaVu: no warning.
        let plain = try Command.run(["run", "softmax", "--output", folder.path])
        #expect(!plain.error.contains("warning"))
    }

    /// Every lesson's PNG pages at 600 dpi (over a hundred, 3.5 billion pixels and more): refused
    /// up front, naming a --dpi that fits, and nothing written. The dpi it names is accepted
    /// (checked on two lessons).
    @Test func pngPagesBeyondTheBudgetAreRefusedWithTheDpiThatFits() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pdf = folder.appendingPathComponent("all.pdf")
        let outcome = try Command.run(["handout", "--all", "--dpi", "600", "--format", "pdf,png", "--output", pdf.path])
        #expect(outcome.status == 64)
        // An A4 page at 600 dpi is 4961 × 7016 pixels.
        let counted = try #require(
            outcome.error.firstMatch(of: /([0-9]+) PNG pages of the handout at --dpi 600 are ([0-9.]+) billion pixels/))
        let pages = try #require(Double(counted.output.1))
        let billions = try #require(Double(counted.output.2))
        #expect(pages > 100 && close(billions, pages * 4961 * 7016 / 1e9, within: 0.05), "\(counted.output.0)")
        let suggested = try #require(
            outcome.error.firstMatch(of: /use --dpi ([0-9]+) or less/).flatMap { Int($0.output.1) })
        // The dpi whose pages fit the one-billion-pixel budget, in tens: it falls as lessons are added.
        let fitting = Int((600 * (1e9 / (pages * 4961 * 7016)).squareRoot() / 10).rounded(.down)) * 10
        #expect(suggested == fitting && (200...320).contains(suggested), "\(suggested) against \(fitting)")
        #expect(Command.files(in: folder).isEmpty)
    }

    /// A run that cannot make its folder (a file is in the way, or the path is too long) leaves
    /// none of the folders it made on the way.
    @Test(arguments: [true, false])
    func aFailedRunRemovesTheFoldersItMade(blocked: Bool) throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A file where a folder should be, or a path that passes the system's 4096 bytes after 20 folders.
        let output =
            blocked
            ? "blocker/" + (0..<5).map { _ in String(repeating: "d", count: 20) }.joined(separator: "/")
            : (0..<25).map { _ in String(repeating: "e", count: 200) }.joined(separator: "/")
        try Data().write(to: folder.appendingPathComponent("blocker"))
        let before = try FileManager.default.subpathsOfDirectory(atPath: folder.path).sorted()
        let outcome = try Command.run(["run", "softmax", "--output", output], in: folder)
        #expect(outcome.status == 64)
        #expect(outcome.error.contains("cannot create the output folder"))
        #expect(try FileManager.default.subpathsOfDirectory(atPath: folder.path).sorted() == before)
    }
}
