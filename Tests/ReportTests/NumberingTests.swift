import Foundation
import Render
import ReportModel
import TestSupport
import Testing

/// Section, table and figure numbers come from one pass over the report (`numbered(chapter:)`),
/// and the PDF, Markdown and HTML print the same ones.
@Suite struct NumberingTests {
    static let plot = Plot(x: "x", y: "y", layers: [.line(.init(points: [(0, 0), (1, 1)]))])

    /// Setup; The forward pass (a table, a subsection with a figure and a sub-subsection); a note
    /// holding a figure; The backward pass (a table).
    static let report = Report(title: "Numbers", lesson: "numbers") {
        Section("Setup") { "The weights." }
        Section("The forward pass") {
            Table("Inputs", columns: [.init("x")], rows: [["1"]])
            Section("The hidden layer") {
                Figure("The hidden outputs.", plot: plot)
                Section("A detail") { "Deeper sections count at the second level." }
            }
        }
        Note("An aside") { Figure("A figure in a note.", plot: plot) }
        Section("The backward pass") { Table("Gradients", columns: [.init("g")], rows: [["2"]]) }
    }

    func sections(_ blocks: [Block]) -> [(String, Int)] {
        blocks.flatMap { block -> [(String, Int)] in
            switch block {
            case .section(let s): [(s.number, s.depth)] + sections(s.content)
            case .note(let n): sections(n.content)
            default: []
            }
        }
    }

    func captions(_ blocks: [Block]) -> [String] {
        blocks.flatMap { block -> [String] in
            switch block {
            case .section(let s): captions(s.content)
            case .note(let n): captions(n.content)
            case .table(let t): ["Table \(t.number)"]
            case .figure(let f): ["Figure \(f.number) (\(f.ordinal))"]
            default: []
            }
        }
    }

    @Test func onePassNumbersEverySectionTableAndFigure() {
        let numbered = Self.report.numbered()
        #expect(sections(numbered.blocks).map(\.0) == ["1", "2", "2.1", "2.2", "3"])
        #expect(sections(numbered.blocks).map(\.1) == [1, 1, 2, 3, 1])
        #expect(captions(numbered.blocks) == ["Table 1", "Figure 1 (1)", "Figure 2 (2)", "Table 2"])
        let chapter = Self.report.numbered(chapter: 3)
        #expect(sections(chapter.blocks).map(\.0) == ["3.1", "3.2", "3.2.1", "3.2.2", "3.3"])
        #expect(captions(chapter.blocks) == ["Table 3.1", "Figure 3.1 (1)", "Figure 3.2 (2)", "Table 3.2"])
        // Numbering again, or a numbered report, gives the same numbers.
        #expect(captions(chapter.numbered(chapter: 3).blocks) == captions(chapter.blocks))
        #expect(sections(numbered.numbered().blocks).map(\.0) == sections(numbered.blocks).map(\.0))
        // A numbered report numbered for another chapter, or changed, is counted anew.
        #expect(sections(numbered.numbered(chapter: 4).blocks).map(\.0).first == "4.1")
        var changed = numbered
        changed.blocks.insert(contentsOf: Section("A new first section") { "Text." }.blocks, at: 0)
        #expect(sections(changed.numbered().blocks).map(\.0) == ["1", "2", "3", "3.1", "3.2", "4"])
    }

    @Test func thePDFMarkdownAndHTMLPrintTheNumbersOfThePass() throws {
        let document = Document(Self.report)
        let pdf = try run("pdftotext", ["-", "-"], input: document.pdf()).output
        let markdown = document.markdown()
        let html = try document.html()
        for words in [
            "2.1\n\nThe hidden layer", "2.2\n\nA detail", "Table 2. Gradients", "Figure 2. A figure in a note.",
        ] {
            #expect(pdf.contains(words), "\(words)")
        }
        #expect(markdown.contains("### 2.1 The hidden layer") && markdown.contains("#### 2.2 A detail"))
        #expect(markdown.contains("**Table 2.** Gradients") && markdown.contains("**Figure 2.** A figure in a note."))
        #expect(html.contains("<span class=\"number\">2.2</span> A detail"))
        #expect(html.contains("<strong>Table 2.</strong> Gradients"))
        #expect(html.contains("<strong>Figure 2.</strong> A figure in a note."))
        // Each figure once, in the report's order.
        #expect(document.figures.count == 2)
    }
}
