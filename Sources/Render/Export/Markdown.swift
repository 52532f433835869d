import Foundation
import ReportModel

/// A report as a Markdown page, as GitHub or a course website shows it: headings numbered like
/// the PDF, text with `<sub>`/`<sup>` for indices, steps as quoted equations, GitHub tables, and
/// the figures as the PNG files written beside the page.
///
///     let page = Markdown(report, figures: document.figures.map { "figures/\($0.fileStem).png" }).text
struct Markdown {
    let report: Report
    /// Each figure's file, in reading order.
    let figures: [String]
    /// In a handout, the chapter: the title is a level-2 heading "3 Title", and sections,
    /// tables and figures are numbered within it (3.1, Table 3.2).
    let chapter: Int?

    init(_ report: Report, figures: [String], chapter: Int? = nil) {
        self.report = report
        self.figures = figures
        self.chapter = chapter
    }

    var text: String {
        var out = Markdown.heading(report, chapter: chapter) + "\n\n"
        for block in report.numbered(chapter: chapter).blocks { out += markdown(block) }
        return out
    }

    /// The title (numbered in a handout), subtitle and lesson line.
    static func heading(_ report: Report, chapter: Int?) -> String {
        var out = chapter.map { "## \($0) " } ?? "# "
        out += inline(report.title) + "\n\n"
        if let subtitle = report.subtitle { out += "*\(inline(subtitle))*\n\n" }
        return out + "Lesson `\(report.lesson)`" + (report.source.map { " · \($0)" } ?? "")
            + (report.hint.map { "\n\n" + inline($0) } ?? "")
    }

    /// Several reports as one page: the title, the date, the contents linking to each chapter, the chapters.
    static func handout(_ reports: [Report], title: String, date: String?, figures: [[String]]) -> String {
        var out = "# \(escape(title))\n\n" + (date.map { "*\(escape($0))*\n\n" } ?? "") + "**Contents**\n\n"
        for (index, report) in reports.enumerated() {
            let heading = "\(index + 1) \(report.title.plainText)"
            // GitHub's heading ids: lower case, spaces to hyphens, punctuation dropped.
            let id = heading.lowercased().filter { $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" }
                .replacingOccurrences(of: " ", with: "-")
            out += "\(index + 1). [\(escape(report.title.plainText))](#\(id))\n"
        }
        return out + "\n"
            + reports.enumerated().map { Markdown($1, figures: figures[$0], chapter: $0 + 1).text }.joined()
    }

    /// A numbered block (`Report.numbered(chapter:)`) as Markdown.
    func markdown(_ block: Block) -> String {
        switch block {
        case .section(let section):
            // Chapters take level 2 in a handout, so their sections start a level down.
            return String(repeating: "#", count: section.depth + (chapter == nil ? 1 : 2))
                + " \(section.number) \(Markdown.inline(section.title))\n\n"
                + section.content.map { markdown($0) }.joined()
        case .paragraph(let text): return Markdown.inline(text) + "\n\n"
        case .step(let step): return Markdown.step(step)
        case .table(let table):
            let header = "| " + table.columns.map { Markdown.cell($0.header) }.joined(separator: " | ") + " |\n"
            let rule =
                "| "
                + table.columns.map { $0.alignment == .trailing ? "---:" : $0.alignment == .center ? ":---:" : "---" }
                .joined(separator: " | ") + " |\n"
            let rows = table.rows.map { "| " + $0.map(Markdown.cell).joined(separator: " | ") + " |\n" }.joined()
            return "**Table \(table.number).** " + (table.caption.map(Markdown.inline) ?? "") + "\n\n" + header
                + rule + rows + "\n"
        case .figure(let figure):
            let file = figure.ordinal <= figures.count ? figures[figure.ordinal - 1] : ""
            return
                "![Figure \(figure.number)](\(file))\n\n**Figure \(figure.number).** \(Markdown.inline(figure.caption))\n\n"
        case .note(let note):
            let body = note.content.map { markdown($0) }.joined()
            return "> **\(Markdown.inline(note.title))**\n>\n"
                + body.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? ">" : "> \($0)" }.joined(separator: "\n") + "\n\n"
        }
    }

    /// lhs = line, each further line under it, the result in bold; an exercise's result a blank.
    static func step(_ step: Step) -> String {
        var lines: [String] = []
        if let caption = step.caption { lines.append(inline(caption)) }
        for (index, line) in step.rhs.enumerated() {
            let isResult = step.isResult(line: index)
            let shown =
                isResult && step.answerBox
                ? blank(line) : isResult ? "**\(math(line))**" : math(line)
            lines.append((index == 0 ? math(step.lhs) : "&emsp;") + " = " + shown)
        }
        return lines.map { "> " + $0 }.joined(separator: "<br>\n") + "\n\n"
    }

    /// An exercise's result to write in: a rule, or one per entry in brackets of a matrix's shape.
    static func blank(_ line: MathLine) -> String {
        let rule = "\\_\\_\\_\\_\\_\\_\\_\\_"
        guard let shape = line.matrixShape else { return rule }
        let row = Array(repeating: "\\_\\_\\_\\_", count: shape.columns).joined(separator: " ")
        return "[" + Array(repeating: row, count: shape.rows).joined(separator: "; ") + "]"
    }

    static func math(_ line: MathLine) -> String {
        line.segments.map { segment in
            switch segment {
            case .text(let text): inline(text)
            case .matrix(let matrix):
                "[" + matrix.rows.map { $0.map(inline).joined(separator: " ") }.joined(separator: "; ") + "]"
            case .math(let formula): inline(formula.richText)
            }
        }.joined()
    }

    static func cell(_ text: RichText) -> String { inline(text).replacingOccurrences(of: "|", with: "\\|") }

    /// Runs as Markdown: italic, bold, code; indices as HTML sub- and superscripts.
    static func inline(_ text: RichText) -> String {
        text.runs.map { run in
            var s = escape(run.text)
            if run.style.contains(.mono) { s = "`\(run.text)`" }
            if run.style.contains(.lowered) { s = "<sub>\(s)</sub>" }
            if run.style.contains(.raised) { s = "<sup>\(s)</sup>" }
            if run.style.contains(.bold) && !s.isEmpty { s = "**\(s)**" }
            if run.style.contains(.italic) && !run.style.contains(.lowered) && !run.style.contains(.raised)
                && !s.trimmingCharacters(in: .whitespaces).isEmpty
            {
                s = "*\(s)*"
            }
            return s
        }.joined()
    }

    static func escape(_ text: String) -> String { backslashed(text, before: "\\*_`[]<>#") }

    /// `text` with a backslash before each of `characters` (Markdown's, or a Moodle Cloze field's).
    static func backslashed(_ text: String, before characters: String) -> String {
        var out = ""
        for character in text {
            if characters.contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
