import Foundation
import ReportModel

/// A plot's legend: inside the corner the data leave emptiest for up to three entries, else in rows below.
extension PlotDrawing {
    enum LegendSample {
        case line(Color, dashed: Bool)
        case dot(Color)
        case box(Color)
    }

    /// Draws the legend and returns the height it added below the plot.
    func legendMarks(
        _ entries: [(name: RichText, sample: LegendSample)], area: Rect, bottom: Double, avoiding occupied: [Point],
        into marks: inout [Mark]
    ) -> Double {
        guard plot.legend, !entries.isEmpty, entries.count > 1 || plot.layers.count > 1 else { return 0 }
        let specs = entries.map { typesetter.spec($0.name, Theme.small) }
        let sizes = specs.map(typesetter.measure)
        func sample(_ s: LegendSample, at p: Point, height: Double) -> Mark {
            switch s {
            case .line(let c, let dashed):
                .line(
                    from: Point(p.x, p.y + height / 2), to: Point(p.x + 16, p.y + height / 2), width: 1.6, color: c,
                    dash: dashed ? 3 : 0)
            case .dot(let c):
                .circle(center: Point(p.x + 8, p.y + height / 2), radius: 2.2, fill: c, stroke: nil, lineWidth: 0)
            case .box(let c): .rect(Rect(p.x + 3, p.y + 1, 10, height - 2), fill: c)
            }
        }
        // Inside a corner, on a white card, where one covers no data (top right first); else below
        // the plot. A surface (contours, a heatmap) is data everywhere: its legend goes below.
        let hasSurface = plot.layers.contains {
            if case .contour = $0 { true } else if case .heatmap = $0 { true } else { false }
        }
        if entries.count <= 3 && !hasSurface {
            let widest = sizes.map(\.width).max()!
            let lineHeight = sizes.map(\.height).max()! + 2
            let (w, h) = (widest + 26, lineHeight * Double(entries.count) + 4)
            let (left, right) = (area.origin.x + 4, area.origin.x + area.size.width - widest - 30)
            let (top, low) = (area.origin.y + 4, area.origin.y + area.size.height - h - 4)
            let corners = [
                Rect(right, top, w, h), Rect(left, top, w, h), Rect(right, low, w, h), Rect(left, low, w, h),
            ]
            func covered(_ r: Rect) -> Int {
                occupied.filter {
                    $0.x >= r.origin.x - 2 && $0.x <= r.origin.x + r.size.width + 2 && $0.y >= r.origin.y - 2
                        && $0.y <= r.origin.y + r.size.height + 2
                }.count
            }
            if let card = corners.first(where: { covered($0) == 0 }) {
                marks.append(.rect(card, fill: Theme.white, stroke: Theme.faint, lineWidth: 0.5, radius: 2))
                for (k, entry) in entries.enumerated() {
                    let p = Point(card.origin.x + 4, card.origin.y + 2 + lineHeight * Double(k))
                    marks.append(sample(entry.sample, at: p, height: sizes[k].height))
                    marks.append(.text(specs[k], at: Point(p.x + 20, p.y)))
                }
                return 0
            }
        }
        // Below the plot, in rows as wide as the figure.
        var (x, y) = (area.origin.x, bottom + 4)
        let lineHeight = sizes.map(\.height).max()! + 3
        for (k, entry) in entries.enumerated() {
            let itemWidth = 20 + sizes[k].width + 12
            if x + itemWidth > width && x > area.origin.x { (x, y) = (area.origin.x, y + lineHeight) }
            marks.append(sample(entry.sample, at: Point(x, y), height: sizes[k].height))
            marks.append(.text(specs[k], at: Point(x + 20, y)))
            x += itemWidth
        }
        return y + lineHeight - bottom
    }
}
