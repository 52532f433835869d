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
}

/// Boxes placed on pages: each page a list of (top, box).
struct Pagination {
    private(set) var pages: [[(top: Double, box: Box)]] = [[]]
    private var y: Double
    private let top: Double, bottom: Double

    /// Places boxes top to bottom from `firstTop` on page one and `top` on the others. Boxes
    /// kept together (`keepWithNext`) move as one group; a page breaks before a group that
    /// would cross `bottom`, unless the page is empty. A floating group that does not fit is
    /// held back while the groups after it fill the page, and opens the next page.
    init(_ boxes: [Box], firstTop: Double, top: Double, bottom: Double) {
        (y, self.top, self.bottom) = (firstTop, top, bottom)
        var groups: [[Box]] = []
        for box in boxes {
            if let last = groups.last?.last, last.keepWithNext { groups[groups.count - 1].append(box) } else { groups.append([box]) }
        }
        var waiting: [[Box]] = []
        for group in groups {
            if !waiting.isEmpty && (group.first!.isHeading || group.contains(where: \.floats) || !fits(group)) {
                newPage()
                for held in waiting { place(held) }
                waiting = []
            }
            // A group that opens a section never waits: text after it must not move above its heading.
            if !fits(group) && !atTop && group.contains(where: \.floats) && !group.contains(where: \.isHeading) && waiting.isEmpty {
                waiting.append(group)
                continue
            }
            if !fits(group) && !atTop { newPage(before: group[0]) }
            place(group)
        }
        if !waiting.isEmpty {
            newPage()
            for held in waiting { place(held) }
        }
    }

    private var atTop: Bool { pages[pages.count - 1].isEmpty }

    private func height(_ group: [Box]) -> Double {
        group.enumerated().reduce(0) { sum, item in sum + (item.offset == 0 && atTop ? 0 : item.element.spaceBefore) + item.element.height }
    }

    private func fits(_ group: [Box]) -> Bool { y + height(group) <= bottom }

    /// A new page; when it continues a table (`next` is one of its rows), the header first.
    private mutating func newPage(before next: Box? = nil) {
        pages.append([])
        y = top
        if let header = next?.continuation {
            pages[pages.count - 1].append((y, Box(height: header.height, marks: header.marks)))
            y += header.height
        }
    }

    /// Box by box; a group taller than a page breaks where it must, repeating a table's header.
    private mutating func place(_ group: [Box]) {
        for box in group {
            if !atTop && y + box.spaceBefore + box.height > bottom { newPage(before: box) }
            if !atTop { y += box.spaceBefore }
            pages[pages.count - 1].append((y, box))
            y += box.height
        }
    }
}
