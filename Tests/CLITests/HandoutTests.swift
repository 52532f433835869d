import Foundation
import TestSupport
import Testing

@Suite("lessons handout: contents, chapters, outline, variants")
struct HandoutTests {
    @Test func aHandoutOfEveryLessonHasMatchingContentsAndOutline() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pdf = folder.appendingPathComponent("week.pdf").path
        let outcome = try Command.run([
            "handout", "--all", "--output", pdf, "--title", "Week 3", "--date", "2026-11-23",
        ])
        #expect(outcome.status == 0, "\(outcome.error)")
        let lessons = try Command.run(["list"]).output.split(separator: "\n").map {
            String($0.split(separator: " ")[0])
        }
        let pages = Int(try run("pdfinfo", [pdf]).output.firstMatch(of: /Pages:\s+(\d+)/)!.output.1)!
        #expect(pages > 40)
        // A sound file: qpdf finds nothing to repair (cairo 1.16 had damaged /Annots with contents links).
        let checked = try run("qpdf", ["--check", pdf])
        #expect(
            checked.status == 0 && !checked.output.contains("WARNING") && !checked.error.contains("WARNING"),
            "\(checked.error)")
        // The contents: "N   Title ... page" for chapters and "N.M   Title ... page" for sections.
        // The contents run from page 2 to the page before chapter 1, whose page the first entry gives.
        func entries(_ last: Int) throws -> [(number: String, title: String, page: Int)] {
            try run("pdftotext", ["-layout", "-f", "2", "-l", "\(last)", pdf, "-"]).output
                .matches(of: /(?m)^\s*(\d+(?:\.\d+)?)\s+(.+?)\s{2,}(\d+)\s*$/).map {
                    (number: String($0.output.1), title: String($0.output.2), page: try #require(Int($0.output.3)))
                }
        }
        let firstChapter = try #require(try entries(2).first).page
        let entries = try entries(firstChapter - 1)
        #expect(entries.filter { !$0.number.contains(".") }.count == lessons.count)
        #expect(entries.count > 40)
        for entry in entries {
            #expect((1...pages).contains(entry.page))
            // Whitespace as one space: a long chapter title wraps on its page.
            let page = try run("pdftotext", ["-f", "\(entry.page)", "-l", "\(entry.page)", pdf, "-"]).output
                .replacing(/\s+/, with: " ")
            // (pdftotext may read a heading's number apart from its title when the running header sits between.)
            #expect(
                page.contains("\(entry.number) \(entry.title)")
                    || (page.contains("\(entry.number) ") && page.contains(entry.title)),
                "\(entry.number) \(entry.title) on page \(entry.page)")
            #expect(page.contains("\(entry.page) / \(pages)"), "the footer of page \(entry.page)")
        }
        // The outline: a chapter per lesson, its sections under it, the same numbers as the contents.
        let json = try run("qpdf", ["--json", "--json-key=outlines", pdf]).output
        let outline = try #require(
            (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["outlines"] as? [[String: Any]]
        )
        #expect(outline.count == lessons.count)
        let topSections = outline.flatMap {
            ($0["kids"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
        }
        #expect(topSections == entries.filter { $0.number.contains(".") }.map { "\($0.number) \($0.title)" })
        // Running headers name the chapter; figures and tables are numbered within it.
        let chapterTwo = entries.first { $0.number == "2" }!
        let second = try run("pdftotext", ["-f", "\(chapterTwo.page + 1)", "-l", "\(chapterTwo.page + 1)", pdf, "-"])
            .output
        #expect(second.contains("2  Logistic regression") || second.contains("2 Logistic regression"))
        let body = try run("pdftotext", [pdf, "-"]).output
        #expect(
            body.contains("Figure 2.1.") && body.contains("Table 1.1.") && body.contains("Week 3")
                && body.contains("2026-11-23"))
    }

    @Test func variantsWriteASheetAndAKeyEach() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run([
            "handout", "backprop-example", "logistic-regression", "--variants", "1-3", "--output",
            folder.appendingPathComponent("sheet.pdf").path,
        ])
        #expect(outcome.status == 0, "\(outcome.error)")
        // Each sheet comes with an answers template per lesson, naming its variant.
        #expect(
            Command.files(in: folder)
                == (1...3).flatMap { v in
                    [
                        "sheet-v0\(v)-answers.pdf", "sheet-v0\(v)-exercise-templates/backprop-example.txt",
                        "sheet-v0\(v)-exercise-templates/logistic-regression.txt", "sheet-v0\(v)-exercise.pdf",
                    ]
                })
        let template = try String(
            contentsOf: folder.appendingPathComponent("sheet-v02-exercise-templates/logistic-regression.txt"),
            encoding: .utf8)
        #expect(template.contains("# lesson: logistic-regression\n# variant: 2\n"))
        let one = try run("pdftotext", [folder.appendingPathComponent("sheet-v01-answers.pdf").path, "-"]).output
        let two = try run("pdftotext", [folder.appendingPathComponent("sheet-v02-answers.pdf").path, "-"]).output
        #expect(one != two && one.contains("Exercise 1") && one.contains("variant 1"))
        #expect(try Command.run(["handout", "--all", "backprop-example"]).error.contains("not both"))
        #expect(try Command.run(["handout", "--all", "--variants", "5-2"]).error.contains("FIRST-LAST"))
    }

    @Test func slidesAreA16By9DeckAndPaperSetsThePage() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run([
            "run", "softmax", "--layout", "slides", "--format", "pdf,png", "--dpi", "72", "--output", folder.path,
        ])
        #expect(outcome.status == 0, "\(outcome.error)")
        let deck = folder.appendingPathComponent("softmax-slides/softmax-slides.pdf").path
        #expect(try run("pdfinfo", [deck]).output.contains("Page size:       453.543 x 255.118 pts"))
        // The PNG slides are 16:9 too: 453.5 × 255.1 pt at 72 dpi.
        let png = try Data(contentsOf: folder.appendingPathComponent("softmax-slides/page-01.png"))
        let (width, height) = png[16..<24].withUnsafeBytes {
            ($0.load(as: UInt32.self).bigEndian, $0.load(fromByteOffset: 4, as: UInt32.self).bigEndian)
        }
        #expect(width == 454 && height == 255)
        let slides = Int(try run("pdfinfo", [deck]).output.firstMatch(of: /Pages:\s+(\d+)/)!.output.1)!
        let slideText = try run("pdftotext", ["-f", "3", "-l", "3", deck, "-"]).output
        #expect(
            slideText.contains("3 / \(slides)") && slideText.contains("Softmax"),
            "a slide's footer: the lesson and its number")
        #expect(
            try Command.run(["run", "softmax", "--format", "pdf", "--paper", "letter", "--output", folder.path]).status
                == 0)
        #expect(
            try run("pdfinfo", [folder.appendingPathComponent("softmax/softmax.pdf").path]).output.contains(
                "612 x 792 pts"))
        #expect(try Command.run(["run", "softmax", "--reveal"]).error.contains("--layout slides"))
        #expect(try Command.run(["run", "softmax", "--layout", "slides", "--paper", "a4"]).error.contains("16:9"))
        #expect(try Command.run(["run", "softmax", "--paper", "a3"]).error.contains("a4"))
    }

    /// `--sections 2-4`: the title slide, then sections 2 to 4 only, numbered (and their figures
    /// numbered) as in the whole deck, in a file of its own.
    @Test func sectionsChooseTheSlides() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run([
            "run", "backprop-example", "--layout", "slides", "--sections", "2-4", "--format", "pdf,png", "--dpi", "36",
            "--output", folder.path,
        ])
        #expect(outcome.status == 0, "\(outcome.error)")
        let deck = folder.appendingPathComponent("backprop-example-slides-2-4/backprop-example-slides-2-4.pdf").path
        let json = try run("qpdf", ["--json", "--json-key=outlines", deck]).output
        let outline = try #require(
            (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["outlines"] as? [[String: Any]]
        )
        #expect(
            outline.compactMap { $0["title"] as? String } == [
                "2 The forward pass", "3 The error", "4 Backward pass: the output layer",
            ])
        let text = try run("pdftotext", [deck, "-"]).output
        #expect(
            text.contains("Backpropagation, step by step") && text.contains("Figure 2.") && text.contains("Figure 3."))
        #expect(!text.contains("Figure 1.") && !text.contains("Table 1.") && !text.contains("Figure 4."))
        let figures = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent("backprop-example-slides-2-4/figures").path)
        #expect(figures.sorted().map { String($0.prefix(3)) } == ["02-", "03-"])
        // Out of range, backwards, or without slides: one line, nothing written.
        let tooFar = try Command.run([
            "run", "backprop-example", "--layout", "slides", "--sections", "6-9", "--output", folder.path,
        ])
        #expect(tooFar.status == 64 && tooFar.error.contains("has 7 sections; choose from 1-7"))
        #expect(try Command.run(["run", "backprop-example", "--layout", "slides", "--sections", "4-2"]).status == 64)
        #expect(try Command.run(["run", "backprop-example", "--sections", "2"]).error.contains("--layout slides"))
        #expect(
            try Command.run(["handout", "softmax", "--layout", "slides", "--sections", "2"]).error.contains(
                "whole lessons"))
        #expect(
            !FileManager.default.fileExists(atPath: folder.appendingPathComponent("backprop-example-slides-6-9").path))
    }

    @Test func aHandoutAsSlidesMarkdownAndNotebookTwiceIdentical() throws {
        let (a, b) = (try Command.scratch(), try Command.scratch())
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        for folder in [a, b] {
            let outcome = try Command.run([
                "handout", "logistic-regression", "softmax", "--layout", "slides", "--format", "pdf,png,md,ipynb",
                "--dpi", "40", "--output", folder.appendingPathComponent("week.pdf").path,
            ])
            #expect(outcome.status == 0, "\(outcome.error)")
        }
        let files = Command.files(in: a)
        #expect(
            files.contains("week-slides.pdf") && files.contains("week-slides.md") && files.contains("week-slides.ipynb")
        )
        #expect(
            files.contains("week-slides-pages/page-01.png")
                && files.contains { $0.hasPrefix("week-slides-figures/02-01-") })
        #expect(files == Command.files(in: b))
        for file in files {
            #expect(
                try Data(contentsOf: a.appendingPathComponent(file))
                    == Data(contentsOf: b.appendingPathComponent(file)), "\(file)")
        }
        // Chapters numbered as in the PDF, figures linked to the files beside the page.
        let markdown = try String(contentsOf: a.appendingPathComponent("week-slides.md"), encoding: .utf8)
        #expect(
            markdown.contains("## 2 Softmax") && markdown.contains("### 2.1 ") && markdown.contains("**Figure 1.1.**"))
        for link in markdown.matches(of: /\]\((week-slides-figures\/[^)]+)\)/) {
            #expect(files.contains(String(link.output.1)), "\(link.output.1)")
        }
        let pages = Int(
            try run("pdfinfo", [a.appendingPathComponent("week-slides.pdf").path]).output.firstMatch(
                of: /Pages:\s+(\d+)/)!.output.1)!
        #expect(files.count { $0.hasPrefix("week-slides-pages/") } == pages)
        let problem = try Command.notebookProblem(a.appendingPathComponent("week-slides.ipynb").path)
        #expect(problem == nil, "\(problem ?? "")")
    }
}
