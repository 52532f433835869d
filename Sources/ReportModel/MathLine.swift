/// A line of mathematics: text and bracketed matrices side by side, as a step writes
/// z = W a + b = [0.15 0.2; 0.25 0.3] [0.05; 0.1] + [0.35; 0.35].
///
///     MathLine("w_1·i_1 + b_1")
///     MathLine(segments: [.matrix(W), .text(" "), .matrix(x)])
public struct MathLine: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public enum Segment: Sendable, Equatable {
        case text(RichText)
        case matrix(MatrixView)
        /// A formula as a tree: stacked fractions, scripts (see `Math`).
        case math(Math)
    }

    public private(set) var segments: [Segment]

    public init(segments: [Segment]) {
        self.segments = []
        for segment in segments { append(segment) }
    }

    public init(_ text: RichText) { self.init(segments: [.text(text)]) }
    public init(_ math: Math) { self.init(segments: [.math(math)]) }
    public init(stringLiteral value: String) { self.init(RichText(value)) }
    public init(stringInterpolation: RichText.StringInterpolation) {
        self.init(RichText(stringInterpolation: stringInterpolation))
    }

    /// Adds a segment, merging neighbouring text.
    public mutating func append(_ segment: Segment) {
        if case .text(let new) = segment, case .text(let old)? = segments.last {
            segments[segments.count - 1] = .text(old + new)
        } else if case .text(let new) = segment, new.isEmpty {
            return
        } else {
            segments.append(segment)
        }
    }

    public static func + (a: MathLine, b: MathLine) -> MathLine {
        var sum = a
        for segment in b.segments { sum.append(segment) }
        return sum
    }

    public var hasMatrix: Bool { segments.contains { if case .matrix = $0 { true } else { false } } }

    /// The rows and columns of the line's first matrix: the shape of an exercise's blank result,
    /// which every writer sets as that many boxes in brackets.
    public var matrixShape: (rows: Int, columns: Int)? {
        for case .matrix(let m) in segments { return (m.rows.count, m.rows.first?.count ?? 0) }
        return nil
    }

    /// The text alone, if the line holds no matrix.
    public var text: RichText? {
        if segments.isEmpty { return RichText() }
        if segments.count == 1, case .text(let t) = segments[0] { return t }
        return nil
    }

    /// The line as a PDF text extractor would roughly see it; matrices as [[a, b], [c, d]].
    public var plainText: String {
        segments.map { segment in
            switch segment {
            case .text(let t): t.plainText
            case .matrix(let m): m.plainText
            case .math(let m): m.richText.plainText
            }
        }.joined()
    }

    /// The line for a terminal or a message: indices as Unicode's small letters
    /// (RichText.terminalText), matrices as [[a, b], [c, d]].
    public var terminalText: String {
        segments.map { segment in
            switch segment {
            case .text(let t): t.terminalText
            case .matrix(let m):
                "[" + m.rows.map { "[" + $0.map(\.terminalText).joined(separator: ", ") + "]" }.joined(separator: ", ")
                    + "]"
            case .math(let m): m.richText.terminalText
            }
        }.joined()
    }

    /// The same line, every text run given `style` as well (matrix entries included).
    public func adding(_ style: RichText.Style) -> MathLine {
        MathLine(
            segments: segments.map { segment in
                switch segment {
                case .text(let t): .text(t.adding(style))
                case .matrix(let m): .matrix(MatrixView(rows: m.rows.map { $0.map { $0.adding(style) } }))
                case .math(let m): .math(style.contains(.bold) ? m.bold() : m)
                }
            })
    }

    /// The line as one formula tree, as a display sets it: text read as math (`Math(_:)`) with its
    /// tight slashes stacked (`stackingSlashes`), matrices as matrices.
    public var math: Math {
        var items: [Math] = []
        for segment in segments {
            var next: [Math] =
                switch segment {
                case .text(let t): Math(t).items
                case .matrix(let m): [.matrix(m.rows.map { $0.map(Math.init) })]
                case .math(let m): m.items
                }
            // A script written after a matrix (its ᵀ) is the matrix's own, raised to its bracket's top.
            if case .matrix? = items.last, let first = next.first {
                if case .scripts(.empty, let sub, let sup) = first {
                    items[items.count - 1] = .scripts(items[items.count - 1], sub: sub, sup: sup)
                    next.removeFirst()
                } else if case .atom(let text, _, let variant) = first, text.count == 1,
                    let raised = Math.raisedCharacters[Character(text)]
                {
                    items[items.count - 1] = .scripts(
                        items[items.count - 1], sub: nil, sup: .atom(raised, .ordinary, variant))
                    next.removeFirst()
                }
            }
            items += next
        }
        // Stacked across segments too: a matrix over the number it is divided by.
        return Math(joining: items).stackingSlashes()
    }
}

/// A matrix as it is printed: rows of cells, already formatted (and elided with ⋯ where the
/// tensor is too large to show whole), set in brackets with its columns aligned.
///
///     MatrixView(rows: [["0.15", "0.2"], ["0.25", "0.3"]])
public struct MatrixView: Sendable, Equatable {
    public var rows: [[RichText]]

    public init(rows: [[RichText]]) {
        precondition(rows.allSatisfy { $0.count == rows.first?.count }, "every row of a matrix needs as many cells")
        self.rows = rows
    }

    public var plainText: String {
        "[" + rows.map { "[" + $0.map(\.plainText).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    }

    /// The same matrix in at most `limit` columns (3 or more): the first limit − 2, ⋯, the last,
    /// as the notation elides a large tensor, for a page narrower than the one it was written for
    /// (a slide). An elision column already there counts as the ⋯.
    public func narrowed(toColumns limit: Int) -> MatrixView {
        let count = rows.first?.count ?? 0
        let marks: Set<String> = ["⋯", "⋱"]
        let elided = (0..<count).first { c in
            rows.allSatisfy { marks.contains($0[c].plainText) || $0[c].plainText == "⋮" }
        }
        let real = (0..<count).filter { $0 != elided }
        guard limit >= 3, count > limit else { return self }
        let kept = Array(real.prefix(limit - 2))
        let last = real.last!
        return MatrixView(
            rows: rows.map { row in
                // A row of ⋮ (elided rows) crosses the ⋯ column at ⋱.
                let dots: RichText = row.allSatisfy { ["⋮", "⋱"].contains($0.plainText) } ? "⋱" : "⋯"
                return kept.map { row[$0] } + [dots, row[last]]
            })
    }
}

extension MatrixView {
    /// The same matrix in at most `limit` rows (3 or more): the first limit − 2, ⋮, the last,
    /// for a page shorter than the one it was written for. An elision row already there counts as the ⋮.
    public func shortened(toRows limit: Int) -> MatrixView {
        guard limit >= 3, rows.count > limit else { return self }
        let elided = rows.firstIndex { row in row.allSatisfy { ["⋮", "⋱"].contains($0.plainText) } }
        let real = rows.indices.filter { $0 != elided }
        let dots = rows[0].map { cell -> RichText in ["⋯", "⋱"].contains(cell.plainText) ? "⋱" : "⋮" }
        return MatrixView(rows: real.prefix(limit - 2).map { rows[$0] } + [dots, rows[real.last!]])
    }
}

extension MathLine {
    /// The same line with every matrix in at most `columns` columns and `rows` rows
    /// (`MatrixView.narrowed`, `MatrixView.shortened`).
    public func narrowingMatrices(toColumns columns: Int, rows: Int = .max) -> MathLine {
        MathLine(
            segments: segments.map { segment in
                if case .matrix(let m) = segment {
                    .matrix(m.narrowed(toColumns: columns).shortened(toRows: rows))
                } else {
                    segment
                }
            })
    }
}
