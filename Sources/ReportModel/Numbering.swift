/// Section, table and figure numbers, counted in one pass over a report before anything is
/// written, as Typst resolves its counters in a pass of their own. The PDF, the slides, Markdown,
/// the notebook and HTML print the numbers this pass set, so they agree, and laying a cell out
/// twice (to measure it) cannot count it twice.
///
///     let numbered = report.numbered(chapter: 3)
///     if case .section(let s) = numbered.blocks[1] { s.number }   // "3.2"
extension Report {
    /// The report with every section, table and figure numbered; within `chapter` in a handout
    /// (3.1, Table 3.2, Figure 3.1). Numbering again gives the same numbers.
    public func numbered(chapter: Int? = nil) -> Report {
        if numbering == (true, chapter) { return self }
        var counters = Numbering(prefix: chapter.map { "\($0)." } ?? "")
        var copy = self
        copy.blocks = blocks.map { counters.number($0, depth: 0) }
        copy.numbering = (true, chapter)
        return copy
    }
}

/// The counters of one pass: top-level sections, the sections below them (deeper ones count at
/// the second level, so a number has at most two parts), tables and figures.
private struct Numbering {
    let prefix: String
    var sections = [0, 0]
    var tables = 0
    var figures = 0

    mutating func number(_ block: Block, depth: Int) -> Block {
        switch block {
        case .section(var section):
            let level = min(depth, 1)
            sections[level] += 1
            if level == 0 { sections[1] = 0 }
            section.number = prefix + sections[...level].map(String.init).joined(separator: ".")
            section.depth = depth + 1
            section.content = section.content.map { number($0, depth: depth + 1) }
            return .section(section)
        case .note(var note):
            note.content = note.content.map { number($0, depth: depth) }
            return .note(note)
        case .table(var table):
            tables += 1
            table.number = prefix + String(tables)
            return .table(table)
        case .figure(var figure):
            figures += 1
            (figure.number, figure.ordinal) = (prefix + String(figures), figures)
            return .figure(figure)
        case .paragraph, .step: return block
        }
    }
}
