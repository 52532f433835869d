import ReportModel

/// Where a row of math may break to fit a width (after a relation or a binary operator, between
/// matrices of a product), and the continuation lines it makes.
extension MathLayout {
    /// The formula in lines no wider than `width`: broken before a relation where one is
    /// needed, else before a binary operator, outside brackets where a break there fits; each
    /// line after the first starts `indent` further right (its width is that much less).
    func lines(_ math: Math, style: MathStyle, width: Double, indent: Double) -> [MathBox] {
        lines(math, style: style, width: width, indent: indent, insideBrackets: true)!
    }

    /// The same lines, or nil where a break inside brackets would be needed and `insideBrackets` is false.
    func lines(_ math: Math, style: MathStyle, width: Double, indent: Double, insideBrackets: Bool) -> [MathBox]? {
        let boxes = settled(math.items, style: style)
        let whole = join(boxes, style: style)
        guard whole.width > width, boxes.count > 1 else { return [whole] }
        // Break opportunities: before an operator, outside brackets (relations preferred); inside
        // the shallowest brackets only when nothing outside them fits, rather than run off the page.
        // Each opportunity's rank: after a comma (between two formulas of a rule) first, then before
        // a relation, then before a + or −, then before a product's · or × (a term kept whole), and
        // last between two matrices side by side, where the continuation opens with the × the
        // product leaves unwritten (as a textbook breaks AB over two lines).
        var depth = 0
        var operators: [(index: Int, rank: Int, depth: Int)] = []
        for (k, b) in boxes.enumerated() {
            if b.kind == .open { depth += 1 }
            if b.kind == .close { depth = max(0, depth - 1) }
            if k > 0, b.kind == .binary || b.kind == .relation {
                operators.append((k, b.kind == .relation ? 2 : b.isAdditive ? 1 : 0, depth))
            }
            if b.kind == .punctuation, k + 1 < boxes.count { operators.append((k + 1, 3, depth)) }
            if k > 0, b.isMatrix, boxes[..<k].last(where: { !$0.isSpace })?.isMatrix == true {
                operators.append((k, -1, depth))
            }
        }
        let times = box(.atom("×", .binary, []), style: style)
        let implicit = Set(operators.filter { $0.rank == -1 }.map(\.index))
        // The boxes of a line from `start`: a product's continuation opens with its ×.
        func piece(_ range: Range<Int>) -> MathBox {
            let open = implicit.contains(range.lowerBound) ? [times] : []
            let end =
                range.upperBound < boxes.count && implicit.contains(range.upperBound)
                    && boxes[range.upperBound - 1].isSpace
                ? range.upperBound - 1 : range.upperBound
            return join(open + Array(boxes[range.lowerBound..<end]), style: style)
        }
        var lines: [MathBox] = []
        var start = 0
        while start < boxes.count {
            let room = lines.isEmpty ? width : width - indent
            let rest = piece(start..<boxes.count)
            if rest.width <= room {
                lines.append(rest)
                break
            }
            // The last break that still fits, a relation if one fits, else an operator, at the least depth that has one.
            let fitting = operators.filter { $0.index > start && piece(start..<$0.index).width <= room }
            let shallowest = fitting.map(\.depth).min()
            // (A formula wholly inside one pair of brackets, Σ(…), breaks at that pair's top level.)
            if !insideBrackets, let shallowest, shallowest > operators.map(\.depth).min()! { return nil }
            let candidates = fitting.filter { $0.depth == shallowest }
            let best = candidates.map(\.rank).max()
            guard
                let end = candidates.last(where: { $0.rank == best })?.index
                    ?? operators.first(where: { $0.index > start })?.index
            else {
                lines.append(rest)  // no break point left: the piece runs on (a matrix wider than the page)
                break
            }
            lines.append(piece(start..<end))
            start = end
        }
        return lines
    }
}
