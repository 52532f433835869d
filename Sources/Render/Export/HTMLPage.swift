import Foundation
import ReportModel

/// A report as one self-contained web page: numbered headings as in the PDF, every step as
/// MathML Core written from its formula trees (lines aligned on "="), tables with scoped header
/// cells, figures as inline SVG with their caption as the text alternative, notes as asides,
/// and one small stylesheet (with a print one) that follows the PDF's design. It needs no
/// network and no script; an exercise sheet's answer boxes hold nothing of the answer.
///
///     let page = HTMLPage(report, figures: try document.figures.map { try $0.svg() }).text
///     try page.write(toFile: "backprop-example.html", atomically: true, encoding: .utf8)
struct HTMLPage {
    let report: Report
    /// Each figure's SVG document, in reading order.
    let figures: [Data]
    /// In a handout, the chapter: the title reads "3 Title", and sections, tables and figures
    /// are numbered within it (3.1, Table 3.2).
    let chapter: Int?
    /// In a handout, the links to the contents and to the chapters either side.
    let navigation: Navigation?

    /// A chapter page's links: the handout's index, and the previous and next chapters (file, title).
    struct Navigation {
        var contents: String
        var previous: (file: String, title: String)?
        var next: (file: String, title: String)?
    }

    init(_ report: Report, figures: [Data], chapter: Int? = nil, navigation: Navigation? = nil) {
        self.report = report
        self.figures = figures
        self.chapter = chapter
        self.navigation = navigation
    }

    var text: String {
        let body =
            (navigation.map { HTMLPage.links($0, at: "top") } ?? "") + content
            + (navigation.map { HTMLPage.links($0, at: "bottom") } ?? "")
        return HTMLPage.document(title: (chapter.map { "\($0) " } ?? "") + report.title.plainText, body: body)
    }

    /// The report's header and main part, without the page around them.
    var content: String {
        let number = chapter.map { "<span class=\"number\">\($0)</span> " } ?? ""
        var body = "<header>\n<h1>\(number)\(HTMLPage.inline(report.title))</h1>\n"
        if let subtitle = report.subtitle { body += "<p class=\"subtitle\">\(HTMLPage.inline(subtitle))</p>\n" }
        body +=
            "<p class=\"source\">Lesson <code>\(HTMLPage.escape(report.lesson))</code>"
            + (report.source.map { " · " + HTMLPage.escape($0) } ?? "") + "</p>\n"
        if let hint = report.hint { body += "<p class=\"source\">\(HTMLPage.inline(hint))</p>\n" }
        body += "</header>\n<main>\n"
        for block in report.numbered(chapter: chapter).blocks { body += html(block) }
        return body + "</main>\n"
    }

    /// A chapter's navigation bar: previous, contents, next (each only where there is one).
    static func links(_ navigation: Navigation, at place: String) -> String {
        var items = [
            navigation.previous.map { "<a rel=\"prev\" href=\"\(escape($0.file))\">← \(escape($0.title))</a>" }
                ?? "<span></span>",
            "<a href=\"\(escape(navigation.contents))\">Contents</a>",
        ]
        items.append(
            navigation.next.map { "<a rel=\"next\" href=\"\(escape($0.file))\">\(escape($0.title)) →</a>" }
                ?? "<span></span>")
        return "<nav class=\"chapters \(place)\" aria-label=\"Chapters (\(place))\">\(items.joined())</nav>\n"
    }

    /// A handout's first page: its title and date, then the contents, each chapter with its
    /// sections, linking to the chapter pages.
    static func index(title: String, date: String?, chapters: [(file: String, report: Report)]) -> String {
        var body =
            "<header>\n<h1>\(escape(title))</h1>\n" + (date.map { "<p class=\"subtitle\">\(escape($0))</p>\n" } ?? "")
        body +=
            "<p class=\"source\">\(chapters.count) lesson\(chapters.count == 1 ? "" : "s"), every number computed by the lessons engine</p>\n</header>\n"
        body +=
            "<main>\n<nav aria-labelledby=\"contents\">\n<h2 id=\"contents\">Contents</h2>\n<ol class=\"contents\">\n"
        for (k, chapter) in chapters.enumerated() {
            body +=
                """
                <li><a href=\"\(escape(chapter.file))\"><span \
                class=\"number\">\(k + 1)</span> \(inline(chapter.report.title))</a>
                """
            let sections = chapter.report.numbered(chapter: k + 1).blocks.compactMap { block -> String? in
                guard case .section(let section) = block else { return nil }
                let number = section.number
                let id = "s" + number.replacingOccurrences(of: ".", with: "-")
                return
                    """
                    <li><a href=\"\(escape(chapter.file))#\(id)\"><span \
                    class=\"number\">\(number)</span> \(inline(section.title))</a></li>
                    """
            }
            if !sections.isEmpty { body += "\n<ol>\n" + sections.joined(separator: "\n") + "\n</ol>\n" }
            body += "</li>\n"
        }
        return document(title: title, body: body + "</ol>\n</nav>\n</main>\n")
    }

    /// The page around a body: language, character set, viewport, the stylesheet, and what
    /// `head` adds (a page of `lessons serve` adds its form's style and script).
    static func document(title: String, body: String, head: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="lessons">
        <title>\(escape(title))</title>
        <style>
        \(HTMLPage.stylesheet)
        </style>
        \(head)</head>
        <body>
        \(body)</body>
        </html>

        """
    }

    /// A numbered block (`Report.numbered(chapter:)`) as HTML.
    private func html(_ block: Block) -> String {
        switch block {
        case .section(let section):
            let number = section.number
            let level = min(section.depth + 1, 4)
            let id = "s" + number.replacingOccurrences(of: ".", with: "-")
            return
                "<section aria-labelledby=\"\(id)\">\n<h\(level) id=\"\(id)\"><span class=\"number\">\(number)</span> \(HTMLPage.inline(section.title))</h\(level)>\n"
                + section.content.map { html($0) }.joined() + "</section>\n"
        case .paragraph(let text):
            return "<p>\(HTMLPage.inline(text))</p>\n"
        case .step(let step):
            return HTMLPage.step(step)
        case .table(let table):
            var out =
                "<figure class=\"table\">\n<figcaption><strong>Table \(table.number).</strong> \(table.caption.map(HTMLPage.inline) ?? "")</figcaption>\n<table>\n<thead><tr>"
            for column in table.columns {
                out += "<th scope=\"col\"\(HTMLPage.alignment(column))>\(HTMLPage.inline(column.header))</th>"
            }
            out += "</tr></thead>\n<tbody>\n"
            for row in table.rows {
                out +=
                    "<tr>"
                    + zip(table.columns, row).map { "<td\(HTMLPage.alignment($0))>\(HTMLPage.inline($1))</td>" }
                    .joined() + "</tr>\n"
            }
            return out + "</tbody>\n</table>\n</figure>\n"
        case .figure(let figure):
            let index = figure.ordinal - 1
            let caption = "Figure \(figure.number). " + figure.caption.plainText
            let art =
                index < figures.count
                ? HTMLPage.inlineSVG(figures[index], prefix: "f\(figure.ordinal)-", label: caption) : ""
            return
                "<figure>\n\(art)<figcaption><strong>Figure \(figure.number).</strong> \(HTMLPage.inline(figure.caption))</figcaption>\n</figure>\n"
        case .note(let note):
            let kind = note.kind == .errata ? "errata" : "remark"
            return
                "<aside class=\"\(kind)\">\n<p class=\"note-title\"><strong>\(HTMLPage.inline(note.title))</strong></p>\n"
                + note.content.map { html($0) }.joined() + "</aside>\n"
        }
    }

    static func alignment(_ column: Table.Column) -> String {
        switch column.alignment {
        case .leading: ""
        case .center: " class=\"c\""
        case .trailing: " class=\"r\""
        }
    }

    // MARK: Steps

    /// A step as display math: its lines in a grid, the left-hand side right-aligned before the
    /// first "=", every further "=" under it; the result in bold; a sheet's result an empty box.
    /// Each line is a run of formulas cut before its top-level operators, so a line too long for
    /// the reader's window wraps there, with a hanging indent, and never inside brackets (MathML
    /// Core breaks no line by itself; one formula per line would scroll).
    static func step(_ step: Step) -> String {
        // The label a result is known by (values.json's, check's), for a script or a test to find it.
        var out = "<div class=\"step\"" + (step.answer.map { " data-label=\"\(escape($0.label))\"" } ?? "") + ">\n"
        if let caption = step.caption { out += "<p class=\"caption\">\(inline(caption))</p>\n" }
        if step.showsLabel, let answer = step.answer {
            out += "<p class=\"tag\"><code>\(escape(answer.label))</code></p>\n"
        }
        out += "<div class=\"lines\">"
        for (index, line) in step.rhs.enumerated() {
            let isResult = step.isResult(line: index)
            let lhs = index == 0 ? "<math>\(MathML.write(step.lhs.math))</math>" : ""
            let rhs =
                isResult && step.answerBox
                ? "<math><mo>=</mo>\(blank(line))</math>"
                : MathML.pieces(of: line.math, bold: isResult).joined(separator: "<wbr>")
            out += "<span class=\"lhs\">\(lhs)</span><span class=\"rhs\">\(rhs)</span>"
        }
        return out + "</div>\n</div>\n"
    }

    // MARK: Figures

    /// A figure's SVG inside the page: its prolog dropped, its ids made unique on the page
    /// (cairo names them glyph0-1, clip1, … in every drawing), scaled to the column, with the
    /// caption as its text alternative.
    /// An exercise's result to write in: a box, or one per entry in brackets of a matrix's shape.
    static func blank(_ line: MathLine) -> String {
        let box = { (width: String) in
            "<mspace class=\"answer\" width=\"\(width)\" height=\"1.1em\" depth=\"0.35em\"></mspace>"
        }
        guard let shape = line.matrixShape else { return box("6em") }
        let row = "<mtr>" + String(repeating: "<mtd>\(box("3.5em"))</mtd>", count: shape.columns) + "</mtr>"
        return
            "<mrow><mo>[</mo><mtable class=\"matrix\">\(String(repeating: row, count: shape.rows))</mtable><mo>]</mo></mrow>"
    }

    static func inlineSVG(_ data: Data, prefix: String, label: String) -> String {
        var svg = String(decoding: prefixingReferences(in: data, with: prefix), as: UTF8.self)
        if let start = svg.range(of: "<svg") { svg = String(svg[start.lowerBound...]) }
        svg = svg.replacingOccurrences(
            of: "<svg ", with: "<svg role=\"img\" aria-label=\"\(escape(label))\" ", options: [],
            range: svg.range(of: "<svg "))
        return svg.trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
    }

    /// Every `id="…"`, `href="#…"` and `url(#…)` in the SVG with `prefix` put before the name, so
    /// that two figures' glyphs and clips stay apart in one page. One pass over the bytes: three
    /// regular expressions over a 900 KB figure took a tenth of a second.
    static func prefixingReferences(in svg: Data, with prefix: String) -> Data {
        // Each opener, and the byte that would end an empty name after it (left alone).
        let openers: [(bytes: [UInt8], closer: UInt8)] = [
            (Array("id=\"".utf8), UInt8(ascii: "\"")), (Array("href=\"#".utf8), UInt8(ascii: "\"")),
            (Array("url(#".utf8), UInt8(ascii: ")")),
        ]
        let inserted = Array(prefix.utf8)
        let bytes = [UInt8](svg)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + bytes.count / 16)
        var k = 0
        while k < bytes.count {
            let byte = bytes[k]
            // Each opener starts with i, h or u: only those bytes need a closer look.
            if byte == UInt8(ascii: "i") || byte == UInt8(ascii: "h") || byte == UInt8(ascii: "u"),
                let opener = openers.first(where: { opener in
                    let end = k + opener.bytes.count
                    return end < bytes.count && bytes[end] != opener.closer
                        && bytes[k..<end].elementsEqual(opener.bytes)
                })
            {
                out += opener.bytes
                out += inserted
                k += opener.bytes.count
            } else {
                out.append(byte)
                k += 1
            }
        }
        return Data(out)
    }

    // MARK: Text

    /// Runs as HTML: italic, bold, code; indices as sub- and superscripts.
    static func inline(_ text: RichText) -> String {
        text.runs.map { run in
            var s = escape(run.text)
            if run.style.contains(.mono) { s = "<code>\(s)</code>" }
            if run.style.contains(.lowered) { s = "<sub>\(s)</sub>" }
            if run.style.contains(.raised) { s = "<sup>\(s)</sup>" }
            if run.style.contains(.italic) && !s.trimmingCharacters(in: .whitespaces).isEmpty { s = "<i>\(s)</i>" }
            if run.style.contains(.bold) && !s.isEmpty { s = "<b>\(s)</b>" }
            return s
        }.joined()
    }

    /// Text as HTML character data or an attribute value: Pango's markup escapes exactly these.
    static func escape(_ text: String) -> String { Markup.escape(text) }

    /// The PDF's design on screen: DejaVu where installed, the step boxes' tint and bar, the
    /// accent blue; ink and muted text keep WCAG AA contrast on white and on the tints.
    static let stylesheet = """
        :root { --ink: #1c1e21; --muted: #575d66; --accent: #2b5797; --rule: #b9bec6; \
        --step: #f4f6f9; --remark: #edf3fb; --errata: #fcf4e4; --errata-accent: #8a5514; }
        body { margin: 0 auto; max-width: 46rem; padding: 1.5rem 1.25rem 4rem; color: var(--ink); background: #fff;
          font: 1.05rem/1.55 "DejaVu Serif", Georgia, serif; }
        h1, h2, h3, h4 { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; line-height: 1.25; }
        h1 { font-size: 1.9rem; margin: 0 0 .3rem; }
        h2 { font-size: 1.35rem; margin: 2.2rem 0 .6rem; }
        h3 { font-size: 1.1rem; margin: 1.6rem 0 .5rem; }
        h2 .number, h3 .number, h4 .number { color: var(--accent); margin-right: .5rem; }
        header { border-bottom: 2px solid var(--accent); padding-bottom: .6rem; margin-bottom: 1.2rem; }
        .subtitle { font-style: italic; color: var(--muted); margin: 0 0 .4rem; font-size: 1.1rem; }
        .source { color: var(--muted); font: .8rem/1.4 "DejaVu Sans", sans-serif; margin: .2rem 0; }
        code { font-family: "DejaVu Sans Mono", monospace; font-size: .9em; }
        math { font-family: "TeX Gyre DejaVu Math", "DejaVu Math TeX Gyre", math; font-size: 1.05em; }
        .step { background: var(--step); border-left: 4px solid var(--accent); \
        border-radius: 2px; margin: 1rem 0; padding: .5rem 1rem .6rem; overflow-x: auto; }
        .step .caption { margin: 0 0 .2rem; color: var(--muted); font: .82rem/1.4 "DejaVu Sans", sans-serif; }
        .step .tag { float: right; margin: 0; font-size: .75rem; border: 1px solid \
        var(--rule); border-radius: 2px; padding: 0 .3rem; background: #fff; }
        .step .lines { display: grid; grid-template-columns: max-content auto; align-items: baseline; margin: .2rem 0; }
        .step .lhs { text-align: right; padding: .18rem .25em .18rem 0; }
        .step .rhs { padding: .18rem 0 .18rem 1.6em; text-indent: -1.6em; }
        .step math { math-style: normal; }
        mtable { math-style: normal; }
        mtable.matrix mtd { padding: .1rem .45em; }
        mtable.matrix mtd:first-child { padding-left: .12em; }
        mtable.matrix mtd:last-child { padding-right: .12em; }
        .result { font-weight: bold; }
        .answer { border: 1px solid var(--muted); background: #fff; }
        figure { margin: 1.5rem 0; }
        figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
        figcaption { color: var(--muted); font: .85rem/1.45 "DejaVu Sans", sans-serif; margin-top: .4rem; }
        figure.table figcaption { margin: 0 0 .4rem; }
        table { border-collapse: collapse; font-size: .95rem; border-top: \
        1.5px solid var(--ink); border-bottom: 1.5px solid var(--ink); }
        th { font: bold .85rem "DejaVu Sans", sans-serif; text-align: left; border-bottom: 1px solid var(--ink); }
        th, td { padding: .25rem .7rem; vertical-align: top; }
        .r { text-align: right; font-variant-numeric: tabular-nums; }
        .c { text-align: center; }
        figure.table { overflow-x: auto; }
        aside { background: var(--remark); border-left: 4px solid var(--accent); \
        padding: .6rem 1rem; margin: 1.2rem 0; font-size: .97rem; }
        aside.errata { background: var(--errata); border-left-color: var(--errata-accent); }
        aside .note-title { font-family: "DejaVu Sans", sans-serif; margin: 0 0 .3rem; }
        nav.chapters { display: grid; grid-template-columns: 1fr auto 1fr; gap: \
        1rem; font: .85rem/1.4 "DejaVu Sans", sans-serif; margin: 0 0 1.2rem; }
        nav.chapters.bottom { border-top: 1px solid var(--rule); padding-top: .8rem; margin: 2.5rem 0 0; }
        nav.chapters a[rel=next] { text-align: right; }
        nav a { color: var(--accent); }
        ol.contents { padding-left: 0; list-style: none; font-family: "DejaVu Sans", sans-serif; }
        ol.contents > li { margin: .9rem 0; font-weight: bold; }
        ol.contents ol { list-style: none; padding-left: 1.6rem; font-weight: normal; font-size: .92rem; }
        ol.contents ol li { margin: .2rem 0; }
        ol.contents a { color: var(--ink); text-decoration: none; }
        ol.contents a:hover { text-decoration: underline; }
        ol.contents .number { color: var(--accent); display: inline-block; min-width: 2.2rem; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10pt; }
          .step, aside, figure { break-inside: avoid; }
          h2, h3 { break-after: avoid; }
          a { color: inherit; text-decoration: none; }
          nav.chapters { display: none; }
        }
        """
}
