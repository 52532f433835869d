/// A laid-out piece of a page: its height, what to draw (relative to its top-left corner)
/// and how it may be placed. Pagination moves boxes whole; only tables break, between rows.
struct Box: Sendable {
    var height: Double
    var marks: [Mark]
    /// Space above the box, dropped at the top of a page.
    var spaceBefore: Double = 0
    /// Headings and table headers stay on the page of what follows them.
    var keepWithNext = false
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

    /// Places boxes top to bottom from `firstTop` on page one and `top` on the others,
    /// breaking before any box (with the one it keeps with) that would cross `bottom`.
    init(_ boxes: [Box], firstTop: Double, top: Double, bottom: Double) {
        var y = firstTop
        var atTop = true
        for (index, box) in boxes.enumerated() {
            var needed = (atTop ? 0 : box.spaceBefore) + box.height
            var next = index + 1
            var keeping = box.keepWithNext
            while keeping, next < boxes.count {
                needed += boxes[next].spaceBefore + boxes[next].height
                keeping = boxes[next].keepWithNext
                next += 1
            }
            if !atTop && y + needed > bottom {
                pages.append([])
                y = top
                atTop = true
                if let header = box.continuation {
                    pages[pages.count - 1].append((y, Box(height: header.height, marks: header.marks)))
                    y += header.height
                }
            }
            if !atTop { y += box.spaceBefore }
            pages[pages.count - 1].append((y, box))
            y += box.height
            atTop = false
        }
    }
}
