import Foundation
import ReportModel

/// Draws a plot: title, a framed plotting area with ticks at round values, the layers in order,
/// the axis labels and a legend of the named series (inside the corner the data leave emptiest,
/// top right on a tie, for up to three entries; in rows below the plot for more). Everything is
/// vector marks.
///
///     let (marks, height) = PlotDrawing(plot: plot, typesetter: typesetter, width: 463).marks()
struct PlotDrawing {
    let plot: Plot
    let typesetter: Typesetter
    let width: Double
    /// Panels show tick labels only on their outer edges.
    var tickLabelsX = true
    var tickLabelsY = true
    /// Fixed ranges that override the plot's own (panels sharing an axis).
    var xRange: ClosedRange<Double>? = nil
    var yRange: ClosedRange<Double>? = nil
    /// The least height of the plotting area (a panel's), unless the plot sets its own.
    var minimumAreaHeight = 0.0

    /// The plotting area of the last drawing, for tests: its rectangle and the two axes.
    struct Frame {
        var area: Rect
        var x: AxisScale
        var y: AxisScale
    }

    func marks() -> (marks: [Mark], height: Double) {
        let drawn = draw()
        return (drawn.marks, drawn.height)
    }

    func draw() -> (marks: [Mark], height: Double, frame: Frame) {
        var marks: [Mark] = []
        var top = 0.0
        if let title = plot.title {
            let spec = typesetter.spec(title.adding(.bold), Theme.caption, width: width, alignment: .center)
            marks.append(.text(spec, at: Point(0, 0)))
            top += typesetter.measure(spec).height + 2
        }
        let yLabel = typesetter.spec(plot.y.label, Theme.caption)
        let yLabelSize = typesetter.measure(yLabel)
        // The axis label sits above the frame, clear of the top tick label that straddles it.
        let tickHalf = typesetter.measure(typesetter.spec("10^{0}", Theme.small)).height / 2
        top += yLabelSize.height + 2 + tickHalf

        // Ranges first: the tick labels decide the left margin.
        let bars = plot.layers.compactMap { if case .bars(let b) = $0 { b } else { nil } }.first
        var (x, y) = axes()
        let tickWidth = tickLabelWidth(y)
        let colorBar = plot.layers.compactMap {
            if case .heatmap(let f) = $0, let title = f.colorBar { (f, title) } else { nil }
        }.first
        var (left, right) = margins(tickWidth: tickWidth)
        var plotWidth = width - left - right
        var plotHeight = plot.height ?? max(min(plotWidth * 0.55, 210), minimumAreaHeight)
        if plot.equalAspect {
            // One data unit is as long across as up: fit the area to the ranges, within the width.
            let ratio = abs(y.high - y.low) / abs(x.high - x.low)
            // Cells with numbers in them stay the size of their numbers: a 3×3 kernel beside a 6×6
            // image shows the same cell size, and a student can read a window off both.
            let limit =
                plot.height ?? PlotDrawing.numberedRows(plot).map { Theme.numberedCell * Double($0) } ?? plotWidth
                * 0.75
            plotHeight = min(plotWidth * ratio, limit)
            let shrunk = plotHeight / ratio
            left += (plotWidth - shrunk) / 2
            right += (plotWidth - shrunk) / 2
            plotWidth = shrunk
        }
        let area = Rect(left, top, plotWidth, plotHeight)
        let (x0, x1, y0, y1) = (area.origin.x, area.origin.x + plotWidth, top + plotHeight, top)
        x.from = x0
        x.to = x1
        (y.from, y.to) = plot.y.reversed ? (y1, y0) : (y0, y1)
        func page(_ px: Double, _ py: Double) -> Point { Point(x.position(px), y.position(py)) }

        // Surfaces first, clipped to the area; grid lines only where no surface hides them.
        var under: [Mark] = []
        var over: [Mark] = []
        let hasSurface = plot.layers.contains {
            if case .contour = $0 { true } else if case .heatmap = $0 { true } else { false }
        }
        var colorIndex = 0
        var legend: [(name: RichText, sample: LegendSample)] = []
        // Where the lines and points fall, segments sampled, so the legend can keep clear of them.
        var occupied: [Point] = []
        for layer in plot.layers {
            switch layer {
            case .contour(let field): under += contour(field, page)
            case .heatmap(let field): under += heatmap(field, page)
            case .line(let series), .scatter(let series), .trajectory(let series):
                let color = Palette.series(series.color ?? colorIndex)
                if series.color == nil { colorIndex += 1 }
                // Points outside the axes still draw the segments that lead out (the area clips them);
                // only what has no place at all (not a number, ≤ 0 on a log axis) is left out.
                let placeable = { (v: Double, axis: AxisScale) in v.isFinite && (axis.scale == .linear || v > 0) }
                let points = series.points.filter { placeable($0.x, x) && placeable($0.y, y) }.map { page($0.x, $0.y) }
                occupied += points
                if case .scatter = layer {
                } else {
                    for (a, b) in zip(points, points.dropFirst()) {
                        occupied += (1..<8).map { k in
                            Point(a.x + (b.x - a.x) * Double(k) / 8, a.y + (b.y - a.y) * Double(k) / 8)
                        }
                    }
                }
                switch layer {
                case .line:
                    over.append(
                        .path(
                            [points], closed: false, fill: nil, stroke: color, lineWidth: 1.4,
                            dash: series.dashed ? 3 : 0))
                    if let name = series.name { legend.append((name, .line(color, dashed: series.dashed))) }
                case .scatter:
                    over += points.map {
                        .circle(center: $0, radius: 2.2, fill: color, stroke: Theme.ink, lineWidth: 0.45)
                    }
                    if let name = series.name { legend.append((name, .dot(color))) }
                default:
                    over += trajectory(points, color: color, within: area)
                    if let name = series.name { legend.append((name, .line(color, dashed: false))) }
                }
            case .bars(let bars):
                let (marks, entries) = barMarks(bars, page, colorIndex: &colorIndex)
                over += marks
                legend += entries
            case .marker(let mx, let my, let label):
                guard x.contains(mx) && y.contains(my) else { continue }
                let p = page(mx, my)
                over.append(
                    .path(
                        [
                            [Point(p.x - 3, p.y - 3), Point(p.x + 3, p.y + 3)],
                            [Point(p.x - 3, p.y + 3), Point(p.x + 3, p.y - 3)],
                        ],
                        closed: false, fill: nil, stroke: Theme.ink, lineWidth: 1.2))
                let spec = typesetter.spec(label, Theme.small)
                over.append(.text(spec, at: Point(p.x + 4, p.y - typesetter.measure(spec).height - 1)))
            case .rule(let vertical, let at, let label):
                guard (vertical ? x : y).contains(at) else { continue }
                let a = vertical ? Point(x.position(at), y1) : Point(x0, y.position(at))
                let b = vertical ? Point(x.position(at), y0) : Point(x1, y.position(at))
                over.append(.line(from: a, to: b, width: 0.8, color: Theme.muted, dash: 3))
                let spec = typesetter.spec(label, Theme.small, color: Theme.muted)
                let size = typesetter.measure(spec)
                over.append(
                    .text(
                        spec, at: vertical ? Point(a.x + 3, y1 + 2) : Point(x1 - size.width - 2, a.y - size.height - 1))
                )
            }
        }
        marks.append(.clipped(area, under))
        if !hasSurface {
            for tick in x.ticks where bars == nil {
                marks.append(
                    .line(
                        from: Point(x.position(tick.value), y1), to: Point(x.position(tick.value), y0), width: 0.4,
                        color: Theme.faint))
            }
            for tick in y.ticks {
                marks.append(
                    .line(
                        from: Point(x0, y.position(tick.value)), to: Point(x1, y.position(tick.value)), width: 0.4,
                        color: Theme.faint))
            }
        }
        marks.append(.clipped(Rect(x0 - 4, y1 - 4, plotWidth + 8, plotHeight + 8), over))
        marks.append(.rect(area, fill: nil, stroke: Theme.ink, lineWidth: 0.7))

        // Ticks and their labels.
        var bottom = y0 + 3
        if let bars {
            for (k, category) in bars.categories.enumerated() {
                let spec = typesetter.spec(category, Theme.small, color: Theme.muted)
                let size = typesetter.measure(spec)
                marks.append(.text(spec, at: Point(x.position(Double(k) + 0.5) - size.width / 2, y0 + 4)))
                bottom = max(bottom, y0 + 4 + size.height)
            }
        } else {
            let specs = x.ticks.map { typesetter.spec($0.label, Theme.small, color: Theme.muted) }
            let widths = specs.map { typesetter.measure($0).width }
            let every = PlotDrawing.labelStride(positions: x.ticks.map { x.position($0.value) }, extents: widths)
            for (k, tick) in x.ticks.enumerated() {
                let px = x.position(tick.value)
                marks.append(.line(from: Point(px, y0), to: Point(px, y0 + 3), width: 0.6, color: Theme.ink))
                guard tickLabelsX, k % every == 0 else { continue }
                let size = typesetter.measure(specs[k])
                marks.append(.text(specs[k], at: Point(px - size.width / 2, y0 + 5)))
                bottom = max(bottom, y0 + 5 + size.height)
            }
        }
        let ySpecs = y.ticks.map { typesetter.spec($0.label, Theme.small, color: Theme.muted) }
        let yEvery = PlotDrawing.labelStride(
            positions: y.ticks.map { y.position($0.value) }, extents: ySpecs.map { typesetter.measure($0).height })
        for (k, tick) in y.ticks.enumerated() {
            let py = y.position(tick.value)
            marks.append(.line(from: Point(x0 - 3, py), to: Point(x0, py), width: 0.6, color: Theme.ink))
            guard tickLabelsY, k % yEvery == 0 else { continue }
            let spec = ySpecs[k]
            let size = typesetter.measure(spec)
            marks.append(.text(spec, at: Point(x0 - 5 - size.width, py - size.height / 2)))
        }
        marks.append(.text(yLabel, at: Point(max(0, x0 - tickWidth - 9), top - tickHalf - yLabelSize.height - 2)))
        if tickLabelsX || bars != nil {
            let xLabel = typesetter.spec(plot.x.label, Theme.caption)
            let size = typesetter.measure(xLabel)
            marks.append(.text(xLabel, at: Point((x0 + x1 - size.width) / 2, bottom + 2)))
            bottom += 2 + size.height
        }
        if let (field, title) = colorBar { marks += self.colorBar(field, title: title, area: area) }
        bottom += legendMarks(legend, area: area, bottom: bottom, avoiding: occupied, into: &marks)
        return (marks, bottom + 2, Frame(area: area, x: x, y: y))
    }
}
