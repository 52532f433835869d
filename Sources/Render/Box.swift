/// A laid-out piece of a page: its height, what to draw (relative to its top-left corner)
/// and how it may be placed. Pagination moves boxes whole; only tables break, between rows.
struct Box: Sendable {
    var height: Double
    var marks: [Mark]
    /// Space above the box, dropped at the top of a page.
    var spaceBefore: Double = 0
    /// Headings, lead-ins and table headers stay on the page of what follows them.
    var keepWithNext = false
    /// A figure: when it does not fit, it waits for the top of the next page and the text
    /// after it fills the rest of this one (up to the next heading), as in a printed book.
    var floats = false
    /// A section heading: text never moves ahead of a waiting figure across one.
    var isHeading = false
    /// For a table row: the header to repeat when the table continues on a new page.
    var continuation: Continuation?

    struct Continuation: Sendable {
        var marks: [Mark]
        var height: Double
    }

    init(height: Double, marks: [Mark], spaceBefore: Double = 0, keepWithNext: Bool = false) {
        self.height = height
        self.marks = marks
        self.spaceBefore = spaceBefore
        self.keepWithNext = keepWithNext
    }

    /// The same box drawn `factor` times as large (a table set smaller on a slide).
    func scaled(_ factor: Double) -> Box {
        var box = self
        (box.height, box.spaceBefore) = (height * factor, spaceBefore * factor)
        box.marks = [.scaled(factor, at: Point(0, 0), marks)]
        box.continuation = continuation.map {
            Continuation(marks: [.scaled(factor, at: Point(0, 0), $0.marks)], height: $0.height * factor)
        }
        return box
    }
}

/// Boxes placed on pages: each page a list of (top, box).
struct Pagination {
    private(set) var pages: [[(top: Double, box: Box)]] = [[]]
    private var y: Double
    private let top: Double, bottom: Double

    /// Places boxes top to bottom from `firstTop` on page one and `top` on the others. Boxes
    /// kept together (`keepWithNext`) move as one group; a page breaks before a group that
    /// would cross `bottom`, unless the page is empty. Figures float as LaTeX's [htbp] does: one
    /// that does not fit waits for the top of the next page, with the lead-in that introduces it,
    /// while the text after it, headings too, fills this one (after a heading, only the figure
    /// waits: a section's text keeps its order under its heading). A table
    /// that would leave this page less than 70% full breaks between its rows instead of moving
    /// whole, its header repeated, with at least two rows on each side.
    init(_ boxes: [Box], firstTop: Double, top: Double, bottom: Double) {
        (y, self.top, self.bottom) = (firstTop, top, bottom)
        var groups: [[Box]] = []
        for box in boxes {
            if let last = groups.last?.last, last.keepWithNext {
                groups[groups.count - 1].append(box)
            } else {
                groups.append([box])
            }
        }
        var held: [Box] = []
        // How many of the newest waiting figures were taken from under the held group's heading.
        var heldFigures = 0
        for next in groups {
            var group = held + next
            // Where the figures taken from under this group's heading start in `waiting`: a page
            // break before the group must not put them at the new page's top, above that heading.
            var keepFrom: Int? = heldFigures > 0 ? waiting.count - heldFigures : nil
            (held, heldFigures) = ([], 0)
            var placeKept = false
            func breakPage() {
                let kept = keepFrom.map { waiting.count - $0 } ?? 0
                newPage(before: group[0], keeping: keepFrom)
                // Every figure from before the heading found room: the heading's own may follow its text here.
                placeKept = kept > 0 && waiting.count == kept
            }
            // A figure never passes one that waits (figures keep their numbers' order, as in LaTeX).
            if (!fits(group) || !waiting.isEmpty) && !(atTop && waiting.isEmpty) && group.contains(where: \.floats) {
                // The figure waits with the lead-in right before it ("…as a graph:"), which
                // introduces it; but text that opens a section stays after its heading, in the
                // order written, and only the figure waits (as LaTeX moves floats, never text).
                let first = group.firstIndex(where: \.floats)!
                let underHeading = group[..<first].contains(where: \.isHeading)
                let leadIn = underHeading ? first : 0
                if underHeading && keepFrom == nil { keepFrom = waiting.count }
                waiting += group[leadIn..<first] + group[first...].filter(\.floats)
                group = Array(group[..<leadIn]) + group[first...].filter { !$0.floats }
                if let last = group.last, last.keepWithNext {
                    (held, heldFigures) = (group, keepFrom.map { waiting.count - $0 } ?? 0)
                    continue
                }
                if group.isEmpty { continue }
            }
            if !fits(group) && !atTop && !(splitsWell(group) && filled < 0.7) { breakPage() }
            // The floats that waited may have filled the new page: the group starts the next.
            if !fits(group) && !atTop && !splitsWell(group) { breakPage() }
            place(group)
            if placeKept { placeWaiting() }
        }
        if !held.isEmpty { place(held) }
        while !waiting.isEmpty { newPage() }
    }

    /// Figures (and their lead-ins) held for the top of the next page.
    private var waiting: [Box] = []

    /// How much of this page is used.
    private var filled: Double { (y - top) / (bottom - top) }

    /// Whether the group is (or ends in) a table whose header and two rows fit here and which
    /// leaves two rows or more for the next page.
    private func splitsWell(_ group: [Box]) -> Bool {
        guard let firstRow = group.firstIndex(where: { $0.continuation != nil }) else { return false }
        let rows = group.count - firstRow
        return rows >= 4 && fits(Array(group[..<(firstRow + 2)]))
    }

    private var atTop: Bool { pages[pages.count - 1].isEmpty }

    private func height(_ group: [Box]) -> Double {
        group.enumerated().reduce(0) { sum, item in
            sum + (item.offset == 0 && atTop ? 0 : item.element.spaceBefore) + item.element.height
        }
    }

    private func fits(_ group: [Box]) -> Bool { y + height(group) <= bottom }

    /// A new page, the figures that waited at its top (those before `keeping`: the rest belong
    /// under a heading that opens this page, and wait for the next); when it continues a table
    /// (`next` is one of its rows), the table's header after them.
    private mutating func newPage(before next: Box? = nil, keeping: Int? = nil) {
        pages.append([])
        y = top
        // As many as fit, in order, each with its lead-in; the rest wait for the next break while
        // text fills this page.
        placeWaiting(upTo: keeping)
        if let header = next?.continuation {
            pages[pages.count - 1].append((y, Box(height: header.height, marks: header.marks)))
            y += header.height
        }
    }

    /// The waiting figures (the first `limit` of them at most) where this page now is, in order,
    /// each with its lead-in, as many as fit.
    private mutating func placeWaiting(upTo limit: Int? = nil) {
        var limit = min(limit ?? waiting.count, waiting.count)
        while limit > 0 {
            var count = 1
            while count < waiting.count && waiting[count - 1].keepWithNext { count += 1 }
            let unit = Array(waiting.prefix(count))
            guard count <= limit, atTop || fits(unit) else { break }
            for box in unit {
                if !atTop { y += box.spaceBefore }
                pages[pages.count - 1].append((y, box))
                y += box.height
            }
            waiting.removeFirst(count)
            limit -= count
        }
    }

    /// Box by box; a group taller than a page breaks where it must, repeating a table's header.
    private mutating func place(_ group: [Box]) {
        for (index, box) in group.enumerated() {
            // A table's rows break where the next two would not both fit: its last row never goes alone.
            let pair =
                box.continuation != nil && index + 1 < group.count && group[index + 1].continuation != nil
                    && index + 2 == group.count ? group[index + 1].height : 0
            if !atTop && y + box.spaceBefore + box.height + pair > bottom { newPage(before: box) }
            if !atTop { y += box.spaceBefore }
            pages[pages.count - 1].append((y, box))
            y += box.height
        }
    }
}
