import ReportModel

/// Cells too big for one slide, in parts that each fit: a step between its lines (or the rows
/// of a long line), a note between its cells, a paragraph between its sentences.
extension SlideDeck {
    /// A step in parts that each fit a slide at full size, split between its lines, each part
    /// with the left-hand side (the caption on the first; the result, with at least the line
    /// before it, on the last); a step that fits is one part. A step that no split between its
    /// lines makes fit (one formula broken over many lines) is split between the rows of its lines.
    func parts(of step: Step) -> [(step: Step, rows: Range<Int>)] {
        // A rule (no result) reads as one formula over its lines: it is not split.
        guard step.hasResult, !fits(step) else { return [(step, SlideDeck.allRows)] }
        if step.rhs.count > 1 {
            for split in stride(from: step.rhs.count - 2, through: 1, by: -1) {
                var (head, tail) = (step, step)
                (head.rhs, head.hasResult, head.answerBox, head.answer) = (Array(step.rhs[..<split]), false, false, nil)
                (tail.rhs, tail.caption, tail.showsLabel) = (Array(step.rhs[split...]), nil, false)
                if fits(head) { return [(head, SlideDeck.allRows)] + parts(of: tail) }
            }
        }
        return rowParts(of: step)
    }

    /// A step over as many slides as its rows need, each taking the most rows that fit at full
    /// size; the caption and label on the first, the result with at least the row before it on the last.
    func rowParts(of step: Step) -> [(step: Step, rows: Range<Int>)] {
        let count = typesetter.rowCount(of: step, width: page.contentWidth)
        guard count > 1 else { return [(step, SlideDeck.allRows)] }
        var (parts, part, start) = ([(step: Step, rows: Range<Int>)](), step, 0)
        while start < count {
            var end = start + 1
            while end < count, fits(part, rows: start..<end + 1) { end += 1 }
            if end == count - 1, end - start > 1 { end -= 1 }
            parts.append((part, start..<end))
            // A slide that starts inside a formula says whose it is.
            (part.caption, part.showsLabel) = (step.lhs.math.richText + " (continued)", false)
            start = end
        }
        return parts
    }

    func fits(_ step: Step, rows: Range<Int> = SlideDeck.allRows) -> Bool {
        typesetter.box(for: step, width: page.contentWidth, rows: rows).height <= room
    }

    /// A note in parts that each fit a slide, split between its cells; later parts say they continue.
    func parts(of note: Note) -> [Note] {
        var parts: [Note] = []
        var current = note
        current.content = []
        func fits(_ note: Note) -> Bool {
            typesetter.box(for: note, width: page.contentWidth).height <= room
        }
        var blocks = note.content[...]
        while let block = blocks.popFirst() {
            var longer = current
            longer.content.append(block)
            if fits(longer) {
                current = longer
                continue
            }
            // A paragraph that does not fit gives this part the sentences that do; the rest goes on.
            if case .paragraph(let text) = block {
                func with(_ text: RichText) -> Note {
                    var part = current
                    part.content.append(.paragraph(text))
                    return part
                }
                let (head, tail) = SlideDeck.sentences(of: text) { fits(with($0)) }
                if let tail, current.content.isEmpty || fits(with(head)) {
                    current = with(head)
                    blocks.insert(.paragraph(tail), at: blocks.startIndex)
                    parts.append(current)
                    (current.content, current.title) = ([], note.title + " (continued)")
                    continue
                }
            }
            if current.content.isEmpty {
                current = longer  // one cell bigger than a slide: it is set smaller
            } else {
                blocks.insert(block, at: blocks.startIndex)  // on the next part, whole or split there
                parts.append(current)
                (current.content, current.title) = ([], note.title + " (continued)")
            }
        }
        return parts + [current]
    }

    /// The first sentences of `text` for which `fits` holds, and the rest, if any: broken where a
    /// sentence ends (". " before a capital or a digit), else after a clause's comma, semicolon
    /// or colon, else between words, in plain runs only (never inside a formula's runs).
    static func sentences(of text: RichText, fitting fits: (RichText) -> Bool) -> (head: RichText, tail: RichText?) {
        guard !fits(text) else { return (text, nil) }
        func ends(_ mark: String, where ok: (Character?) -> Bool) -> [(run: Int, offset: String.Index)] {
            var ends: [(run: Int, offset: String.Index)] = []
            for (k, run) in text.runs.enumerated() where run.style.isDisjoint(with: [.mono, .lowered, .raised]) {
                var index = run.text.startIndex
                while let range = run.text[index...].range(of: mark) {
                    index = range.upperBound
                    let next = index < run.text.endIndex ? run.text[index] : text.runs[(k + 1)...].first?.text.first
                    if next != nil, ok(next) { ends.append((k, index)) }
                }
            }
            return ends
        }
        func split(at end: (run: Int, offset: String.Index)) -> (RichText, RichText) {
            var head = RichText(runs: Array(text.runs[..<end.run]))
            var tail = RichText()
            let run = text.runs[end.run]
            head.append(RichText.Run(String(run.text[..<end.offset].dropLast()), run.style))
            tail.append(RichText.Run(String(run.text[end.offset...]), run.style))
            for later in text.runs[(end.run + 1)...] { tail.append(later) }
            return (head, tail)
        }
        let sentence = ends(". ") { $0!.isUppercase || $0!.isNumber } + ends(".” ") { $0!.isUppercase || $0!.isNumber }
        let clause = ends(", ") { _ in true } + ends("; ") { _ in true } + ends(": ") { _ in true }
        for level in [sentence, clause, ends(" ") { _ in true }] {
            let pieces = level.sorted { ($0.run, $0.offset) < ($1.run, $1.offset) }.map(split)
            if let piece = pieces.last(where: { fits($0.0) }) { return piece }
        }
        return (text, nil)
    }
}
