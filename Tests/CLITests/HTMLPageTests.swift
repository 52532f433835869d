import Foundation
import TestSupport
import Testing

/// Reads each page with html5lib, as a browser parses it, and prints one line per page:
/// its parse errors, then what an accessibility check looks at.
private let checker = #"""
    import json, sys
    import html5lib
    MATH, SVG = "{http://www.w3.org/1998/Math/MathML}", "{http://www.w3.org/2000/svg}"
    report = {}
    for path in sys.argv[1:]:
        parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
        document = parser.parse(open(path, encoding="utf-8").read())
        elements = list(document.iter())
        tags = [e.tag for e in elements if isinstance(e.tag, str)]
        headings = [int(t[1]) for t in tags if len(t) == 2 and t[0] == "h" and t[1].isdigit()]
        ids = [e.get("id") for e in elements if isinstance(e.tag, str) and e.get("id")]
        svgs = [e for e in elements if e.tag == SVG + "svg"]
        report[path] = {
            "errors": [str(error[1]) for error in parser.errors],
            "math": sum(1 for t in tags if t == MATH + "math"),
            "steps": sum(1 for e in elements if e.tag == "div" and e.get("class") == "step"),
            "fractions": sum(1 for t in tags if t == MATH + "mfrac"),
            "headings": headings,
            "duplicateIds": sorted({i for i in ids if ids.count(i) > 1}),
            "unlabelledSVG": sum(1 for s in svgs if not (s.get("role") == "img" and (s.get("aria-label") or "").strip())),
            "svg": len(svgs),
            "figures": sum(1 for e in elements if e.tag == "figure" and e.get("class") != "table"),
            "scripts": sum(1 for t in tags if t == "script"),
            "external": sorted({v for e in elements if isinstance(e.tag, str) for k, v in e.attrib.items()
                                if k in ("src", "href") and v.startswith(("http:", "https:", "//"))}),
            "imagesWithoutAlt": sum(1 for e in elements if e.tag == "img" and not e.get("alt")),
            "ids": ids,
            "links": [[e.get("href"), e.get("rel") or "", "".join(e.itertext())] for e in elements if e.tag == "a"],
        }
    print(json.dumps(report))
    """#

/// The relative luminance and contrast ratio of WCAG 2.
private func contrast(_ a: UInt32, _ b: UInt32) -> Double {
    func luminance(_ c: UInt32) -> Double {
        func linear(_ byte: UInt32) -> Double {
            let v = Double(byte) / 255
            return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
        }
        let channels = [linear((c >> 16) & 0xff), linear((c >> 8) & 0xff), linear(c & 0xff)]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    }
    let (la, lb) = (luminance(a), luminance(b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

@Suite("lessons run --format html: one page per lesson, MathML and inline SVG, valid and accessible")
struct HTMLPageTests {
    @Test func everyLessonsPageParsesCleanlyAndIsAccessible() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lessons = try Command.run(["list"]).output.split(separator: "\n").map {
            String($0.split(separator: " ")[0])
        }
        var pages: [String] = []
        for lesson in lessons {
            let outcome = try Command.run(["run", lesson, "--format", "html", "--output", folder.path])
            #expect(outcome.status == 0, "\(lesson): \(outcome.error)")
            pages.append(folder.appendingPathComponent("\(lesson)/\(lesson).html").path)
        }
        let python = try Command.python()
        let checked = try run(python, ["-c", checker] + pages)
        #expect(checked.status == 0, "\(checked.error)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(checked.output.utf8)) as? [String: [String: Any]])
        for (lesson, page) in zip(lessons, pages) {
            let facts = try #require(report[page])
            #expect((facts["errors"] as? [String])?.isEmpty == true, "\(lesson): html5lib: \(facts["errors"] ?? "")")
            // Every step's lines are formulas, cut where a narrow window may wrap them (decision-boundary has none: it trains and plots).
            #expect(
                (facts["math"] as? Int ?? 0) >= 2 * (facts["steps"] as? Int ?? 0),
                "\(lesson): \(facts["steps"] ?? 0) steps, \(facts["math"] ?? 0) formulas")
            let headings = facts["headings"] as? [Int] ?? []
            #expect(
                headings.first == 1 && zip(headings, headings.dropFirst()).allSatisfy { $1 <= $0 + 1 },
                "\(lesson): headings out of order: \(headings)")
            #expect(
                (facts["duplicateIds"] as? [String])?.isEmpty == true,
                "\(lesson): ids used twice: \(facts["duplicateIds"] ?? "")")
            #expect(
                facts["unlabelledSVG"] as? Int == 0 && facts["imagesWithoutAlt"] as? Int == 0,
                "\(lesson): a figure without a text alternative")
            #expect(
                facts["svg"] as? Int == facts["figures"] as? Int,
                "\(lesson): \(facts["figures"] ?? 0) figures, \(facts["svg"] ?? 0) drawings")
            #expect(
                facts["scripts"] as? Int == 0 && (facts["external"] as? [String])?.isEmpty == true,
                "\(lesson): needs a script or the network")
        }
        // backprop-example: its chain rules are stacked fractions, and it has figures to draw.
        let backprop = try #require(report[pages[lessons.firstIndex(of: "backprop-example")!]])
        #expect(
            (backprop["fractions"] as? Int ?? 0) >= 30 && (backprop["svg"] as? Int ?? 0) > 0
                && (backprop["steps"] as? Int ?? 0) >= 30)
        let page = try String(
            contentsOfFile: pages[try #require(lessons.firstIndex(of: "backprop-example"))], encoding: .utf8)
        #expect(
            page.contains("<mn>0.75136507</mn>") && page.contains("0.35891648"), "out_o1 and w5⁺ as the PDF prints them"
        )
    }

    /// `handout --format html`: an index whose contents link to every chapter's page and
    /// section, and chapter pages linked in order to each other and back to the index.
    @Test func aHandoutIsAnIndexAndAPagePerChapterLinkedInOrder() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lessons = ["backprop-example", "softmax", "optimizers"]
        let outcome = try Command.run(
            ["handout"] + lessons + [
                "--format", "html", "--date", "Week 3", "--output", folder.appendingPathComponent("week.pdf").path,
            ])
        #expect(outcome.status == 0, "\(outcome.error)")
        let chapters = lessons.enumerated().map {
            folder.appendingPathComponent("week-chapters/0\($0.offset + 1)-\($0.element).html").path
        }
        let index = folder.appendingPathComponent("week.html").path
        #expect(
            outcome.output.split(separator: "\n").map(String.init) == [index] + chapters,
            "the paths written, the index first")
        let python = try Command.python()
        let checked = try run(python, ["-c", checker, index] + chapters)
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(checked.output.utf8)) as? [String: [String: Any]])
        for page in [index] + chapters {
            let facts = try #require(report[page])
            #expect((facts["errors"] as? [String])?.isEmpty == true, "\(page): \(facts["errors"] ?? "")")
            // Every link is to a page written here, and to an id on it.
            for link in facts["links"] as? [[String]] ?? [] {
                let parts = link[0].split(separator: "#", maxSplits: 1).map(String.init)
                let target = URL(fileURLWithPath: page).deletingLastPathComponent().appendingPathComponent(parts[0])
                    .standardizedFileURL.path
                let facts = try #require(report[target], "\(page) links to \(link[0]), not a page of the handout")
                if parts.count == 2 {
                    #expect(
                        (facts["ids"] as? [String] ?? []).contains(parts[1]), "\(page): no #\(parts[1]) in \(target)")
                }
            }
        }
        // The contents: three chapters and their sections (softmax's 2.4 among them).
        let contents = (report[index]?["links"] as? [[String]] ?? []).map { $0[2] }
        #expect(
            contents.filter { !$0.contains(".") }.count == 3 && contents.contains("2.4 Cross-entropy and its gradient"),
            "\(contents)")
        // Chapter 2 leads back to 1 and on to 3; the first has no previous, the last no next.
        let middle = (report[chapters[1]]?["links"] as? [[String]] ?? []).filter { !$0[1].isEmpty }
        #expect(
            middle.contains { $0[1] == "prev" && $0[0] == "01-backprop-example.html" }
                && middle.contains { $0[1] == "next" && $0[0] == "03-optimizers.html" })
        #expect(!(report[chapters[0]]?["links"] as? [[String]] ?? []).contains { $0[1] == "prev" })
        #expect(!(report[chapters[2]]?["links"] as? [[String]] ?? []).contains { $0[1] == "next" })
        // Numbered within the chapter, as in the PDF.
        let softmax = try String(contentsOfFile: chapters[1], encoding: .utf8)
        #expect(
            softmax.contains("<h1><span class=\"number\">2</span> Softmax") && softmax.contains("id=\"s2-4\"")
                && softmax.contains("Figure 2.1."))
    }

    /// A sheet's page asks and does not tell: its answer boxes are empty and no result is in the source.
    @Test func anExerciseSheetsPageHoldsNoAnswer() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(
            try Command.run(["run", "backprop-example", "--exercise", "--format", "html,json", "--output", folder.path])
                .status == 0)
        let page = try String(
            contentsOf: folder.appendingPathComponent("backprop-example-exercise/backprop-example-exercise.html"),
            encoding: .utf8)
        #expect(page.contains("class=\"answer\""))
        // w5⁺ = 0.35891648 and ∂E_total/∂w5 = 0.0821670406 are asked: neither is in the page.
        #expect(!page.contains("0.35891648") && !page.contains("0.0821670406"))
    }

    /// The stylesheet's text colours, read from a page, keep WCAG AA's 4.5:1 on every background
    /// they are set on (white, the step's, the remark's and the erratum's tint).
    @Test func textColoursMeetWCAGAA() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Command.run(["run", "softmax", "--format", "html", "--output", folder.path]).status == 0)
        let page = try String(contentsOf: folder.appendingPathComponent("softmax/softmax.html"), encoding: .utf8)
        var colours: [String: UInt32] = [:]
        for match in page.matches(of: /--([a-z-]+): #([0-9a-f]{6})/) {
            colours[String(match.output.1)] = UInt32(match.output.2, radix: 16)
        }
        let texts = try ["ink", "muted", "accent"].map { try #require(colours[$0], "--\($0) in the stylesheet") }
        let backgrounds =
            try [UInt32(0xffffff)]
            + ["step", "remark", "errata"].map { try #require(colours[$0], "--\($0) in the stylesheet") }
        for text in texts {
            for background in backgrounds {
                #expect(
                    contrast(text, background) >= 4.5,
                    "#\(String(text, radix: 16)) on #\(String(background, radix: 16)): \(contrast(text, background))")
            }
        }
    }
}
