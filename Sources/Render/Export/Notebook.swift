import Foundation
import ReportModel

/// A report as a Jupyter notebook (nbformat 4.5): a Markdown cell per cell of the report, steps
/// as LaTeX `aligned` equations, figures as PNG image outputs of empty code cells, so it opens in
/// Jupyter, VS Code and Colab without running anything.
///
///     let json = Notebook(report, figures: pngs).json
struct Notebook {
    let report: Report
    /// Each figure's PNG, in reading order.
    let figures: [Data]
    /// In a handout, the chapter: numbers start with it, as in the PDF.
    let chapter: Int?

    init(_ report: Report, figures: [Data], chapter: Int? = nil) {
        self.report = report
        self.figures = figures
        self.chapter = chapter
    }

    enum Cell {
        case markdown(String)
        case image(Data, String)
    }

    /// The title cell, then a cell per cell of the report.
    var cells: [Cell] {
        var cells: [Cell] = [.markdown(Markdown.heading(report, chapter: chapter))]
        for block in report.numbered(chapter: chapter).blocks { cells += self.cells(block) }
        return cells
    }

    var json: String { Notebook.json(cells, lesson: report.lesson) }

    /// Several reports as one notebook: a title cell with the contents, then each chapter's cells.
    static func handout(_ reports: [Report], title: String, date: String?, figures: [[Data]]) -> String {
        let contents = reports.enumerated().map { "\($0 + 1). \(Markdown.escape($1.title.plainText))" }.joined(
            separator: "\n")
        let head = Cell.markdown(
            "# \(Markdown.escape(title))\n\n" + (date.map { "*\(Markdown.escape($0))*\n\n" } ?? "") + "**Contents**\n\n"
                + contents)
        let cells = [head] + reports.enumerated().flatMap { Notebook($1, figures: figures[$0], chapter: $0 + 1).cells }
        return json(cells, lesson: reports.map(\.lesson).joined(separator: ","))
    }

    static func json(_ cells: [Cell], lesson: String) -> String {
        let written = cells.enumerated().map { index, cell -> String in
            let id = String(format: "cell-%03d", index)
            switch cell {
            case .markdown(let text):
                return
                    "  {\n   \"cell_type\": \"markdown\",\n   \"id\": \"\(id)\",\n   \"metadata\": {},\n   \"source\": \(Notebook.lines(text))\n  }"
            case .image(let png, let caption):
                return """
                      {
                       "cell_type": "code",
                       "execution_count": null,
                       "id": "\(id)",
                       "metadata": {"jupyter": {"source_hidden": true}},
                       "outputs": [
                        {
                         "data": {"image/png": "\(png.base64EncodedString())", \
                    "text/plain": [\(Notebook.quoted(caption))]},
                         "metadata": {},
                         "output_type": "display_data"
                        }
                       ],
                       "source": []
                      }
                    """
            }
        }
        return """
            {
             "cells": [
            \(written.joined(separator: ",\n"))
             ],
             "metadata": {
              "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
              "language_info": {"name": "python"},
              "lessons": {"lesson": \(Notebook.quoted(lesson))}
             },
             "nbformat": 4,
             "nbformat_minor": 5
            }

            """
    }

    /// A numbered block's cells (`Report.numbered(chapter:)`).
    private func cells(_ block: Block) -> [Cell] {
        switch block {
        case .section(let section):
            return [
                .markdown(
                    String(repeating: "#", count: section.depth + (chapter == nil ? 1 : 2))
                        + " \(section.number) \(Markdown.inline(section.title))")
            ]
                + section.content.flatMap { cells($0) }
        case .paragraph(let text): return [.markdown(Markdown.inline(text))]
        case .step(let step): return [.markdown(Notebook.latex(step))]
        case .table, .note:
            // Tables and notes read the same in a notebook's Markdown as on a web page.
            return [
                .markdown(
                    Markdown(report, figures: [], chapter: chapter).markdown(block).trimmingCharacters(in: .newlines))
            ]
        case .figure(let figure):
            let caption = "Figure \(figure.number). \(figure.caption.plainText)"
            return (figure.ordinal <= figures.count ? [.image(figures[figure.ordinal - 1], caption)] : [])
                + [.markdown("**Figure \(figure.number).** \(Markdown.inline(figure.caption))")]
        }
    }

    /// A step as display math: lhs &= line \\ &= … with the result in bold, each side written
    /// from its formula tree, so fractions are \frac and every script has one base.
    static func latex(_ step: Step) -> String {
        let rows = step.rhs.enumerated().map { index, line -> String in
            let isResult = step.isResult(line: index)
            let body =
                isResult && step.answerBox
                ? blank(line) : isResult ? "\\mathbf{\(latex(line.math))}" : latex(line.math)
            return (index == 0 ? latex(step.lhs.math) : "") + " &= " + body
        }
        return (step.caption.map { "*\(Markdown.inline($0))*\n\n" } ?? "") + "$$\n\\begin{aligned}\n"
            + rows.joined(separator: " \\\\\n") + "\n\\end{aligned}\n$$"
    }

    /// An exercise's result to write in: a box, or one per entry in brackets of a matrix's shape.
    static func blank(_ line: MathLine) -> String {
        guard let shape = line.matrixShape else { return "\\boxed{\\phantom{0.000000}}" }
        let row = Array(repeating: "\\boxed{\\phantom{0.0000}}", count: shape.columns).joined(separator: " & ")
        return "\\begin{bmatrix}" + Array(repeating: row, count: shape.rows).joined(separator: " \\\\ ")
            + "\\end{bmatrix}"
    }

    /// Math-mode LaTeX from a formula tree: a name's letters as they are (several in \mathit),
    /// upright words in \mathrm, scripts on a braced base, fractions as \frac.
    static func latex(_ math: Math) -> String {
        switch math {
        case .atom(let text, _, let variant):
            let body = text.map(symbol).joined()
            let isWord = text.count > 1 && text.allSatisfy { $0.isLetter && $0.isASCII }
            if variant.contains(.italic) { return isWord ? "\\mathit{\(body)}" : body }
            return text.contains(where: { $0.isLetter && $0.isASCII }) ? "\\mathrm{\(body)}" : body
        case .row(let items):
            return items.indices.map { k in
                items[k].isSpace ? (Math.dropsSpace(at: k, in: items) ? "" : "\\ ") : latex(items[k])
            }.joined()
        case .radical(let radicand): return "\\sqrt{\(latex(radicand))}"
        case .fraction(let top, let bottom): return "\\frac{\(latex(top))}{\(latex(bottom))}"
        case .scripts(let base, let sub, let sup):
            return "{\(latex(base))}" + (sub.map { "_{\(latex($0))}" } ?? "") + (sup.map { "^{\(latex($0))}" } ?? "")
        case .matrix(let rows):
            return "\\begin{bmatrix}" + rows.map { $0.map(latex).joined(separator: " & ") }.joined(separator: " \\\\ ")
                + "\\end{bmatrix}"
        }
    }

    static let symbols: [Character: String] = [
        "σ": "\\sigma ", "δ": "\\delta ", "η": "\\eta ", "α": "\\alpha ", "β": "\\beta ", "λ": "\\lambda ",
        "μ": "\\mu ", "ε": "\\varepsilon ",
        "θ": "\\theta ", "∂": "\\partial ", "Σ": "\\sum ", "∑": "\\sum ", "×": "\\times ", "·": "\\cdot ", "−": "-",
        "⊙": "\\odot ",
        "√": "\\sqrt ", "≈": "\\approx ", "≤": "\\le ", "≥": "\\ge ", "→": "\\to ", "←": "\\leftarrow ",
        "⌊": "\\lfloor ", "⌋": "\\rfloor ",
        "ŷ": "\\hat{y}", "∇": "\\nabla ", "∞": "\\infty ", "‖": "\\|", "⋯": "\\cdots ", "∗": "\\ast ", "{": "\\{",
        "}": "\\}", "%": "\\%",
        "#": "\\#", "&": "\\&", "_": "\\_", " ": "\\ ", "ᵀ": "^{\\mathsf{T}}", "⁺": "^{+}", "½": "\\tfrac{1}{2}",
    ]

    static func symbol(_ c: Character) -> String { symbols[c] ?? String(c) }

    /// A cell's source as nbformat writes it: a list of lines, each but the last ending in \n.
    static func lines(_ text: String) -> String {
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false)
        return "["
            + parts.enumerated().map { index, line in quoted(String(line) + (index < parts.count - 1 ? "\n" : "")) }
            .joined(separator: ", ") + "]"
    }

    static func quoted(_ s: String) -> String { JSON.quoted(s) }
}
