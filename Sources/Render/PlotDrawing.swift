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

    // MARK: Layers

    private func contour(_ field: Plot.Field, _ page: (Double, Double) -> Point) -> [Mark] {
        let levels = PlotDrawing.levels(field)
        let ramp = Palette.ramp(field.colors)
        let corners = [page(field.xs.first!, field.ys.first!), page(field.xs.last!, field.ys.last!)]
        let box = Rect(
            min(corners[0].x, corners[1].x), min(corners[0].y, corners[1].y), abs(corners[1].x - corners[0].x),
            abs(corners[1].y - corners[0].y))
        // Band k lies between levels k − 1 and k: its colour is its place among the bands, or, where
        // the field gives a colour range, the value midway through the band on that range (a range
        // wider than the values gives pale tints).
        let finite = field.values.filter(\.isFinite)
        func band(_ k: Int) -> Color {
            guard let range = field.colorRange else { return Palette.color(Double(k) / Double(levels.count), in: ramp) }
            let low = k == 0 ? min(finite.min() ?? levels[0], levels[0]) : levels[k - 1]
            let high = k == levels.count ? max(finite.max() ?? levels[k - 1], levels[k - 1]) : levels[k]
            return Palette.color(
                PlotDrawing.fraction((low + high) / 2, range.lowerBound, range.upperBound, field.colors), in: ramp)
        }
        var marks: [Mark] = [.rect(box, fill: band(0))]
        // Panels often share one surface: its contours are traced once per document.
        let traced = typesetter.contours(of: field, levels: levels)
        // Each band over the one below it: no seams between neighbouring fills.
        for (k, regions) in traced.regions.enumerated() {
            let loops = regions.map { Contours.simplified($0.map { page($0.x, $0.y) }) }
            marks.append(.path(loops, closed: true, fill: band(k + 1), stroke: nil, lineWidth: 0))
        }
        let lineColor = Color(0x8e9aa6)
        for lines in traced.lines {
            for closed in [true, false] {
                let group = lines.filter { $0.closed == closed }.map {
                    Contours.simplified($0.points.map { page($0.x, $0.y) })
                }
                if !group.isEmpty {
                    marks.append(.path(group, closed: closed, fill: nil, stroke: lineColor, lineWidth: 0.45))
                }
            }
        }
        return [.clipped(box, marks)]
    }

    private func heatmap(_ field: Plot.Field, _ page: (Double, Double) -> Point) -> [Mark] {
        let (low, high) = PlotDrawing.span(field)
        let ramp = Palette.ramp(field.colors)
        func edges(_ v: [Double]) -> [Double] {
            guard v.count > 1 else { return [v[0] - 0.5, v[0] + 0.5] }
            return [v[0] - (v[1] - v[0]) / 2] + zip(v, v.dropFirst()).map { ($0 + $1) / 2 } + [
                v[v.count - 1] + (v[v.count - 1] - v[v.count - 2]) / 2
            ]
        }
        let (ex, ey) = (edges(field.xs), edges(field.ys))
        let format = NumberFormat(significantDigits: 3)
        var marks: [Mark] = []
        for j in field.ys.indices {
            for i in field.xs.indices {
                let value = field.values[j * field.xs.count + i]
                let (a, b) = (page(ex[i], ey[j]), page(ex[i + 1], ey[j + 1]))
                let cell = Rect(min(a.x, b.x), min(a.y, b.y), abs(b.x - a.x), abs(b.y - a.y))
                let fill = Palette.color(PlotDrawing.fraction(value, low, high, field.colors), in: ramp)
                marks.append(.rect(cell, fill: fill, stroke: Theme.white, lineWidth: field.showValues ? 0.6 : 0))
                if field.showValues {
                    let spec = typesetter.spec(format.rich(value), Theme.small, color: Palette.ink(on: fill))
                    let size = typesetter.measure(spec)
                    marks.append(
                        .text(
                            spec,
                            at: Point(
                                cell.origin.x + (cell.size.width - size.width) / 2,
                                cell.origin.y + (cell.size.height - size.height) / 2)))
                }
            }
        }
        return marks
    }

    private func colorBar(_ field: Plot.Field, title: RichText, area: Rect) -> [Mark] {
        let (low, high) = PlotDrawing.span(field)
        let ramp = Palette.ramp(field.colors)
        let bar = Rect(area.origin.x + area.size.width + 10, area.origin.y, 10, area.size.height)
        var marks: [Mark] = []
        let steps = 48
        for k in 0..<steps {
            let t = (Double(k) + 0.5) / Double(steps)
            let y = bar.origin.y + bar.size.height * (1 - Double(k + 1) / Double(steps))
            marks.append(
                .rect(
                    Rect(bar.origin.x, y, bar.size.width, bar.size.height / Double(steps) + 0.3),
                    fill: Palette.color(t, in: ramp)))
        }
        marks.append(.rect(bar, fill: nil, stroke: Theme.ink, lineWidth: 0.5))
        // Counts tick at whole numbers only.
        let counts = field.values.allSatisfy { $0 == $0.rounded() }
        var scale = AxisScale(
            .linear, data: [low, high], range: low...high, minimumStep: counts ? 1 : 0,
            from: bar.origin.y + bar.size.height, to: bar.origin.y)
        scale.from = bar.origin.y + bar.size.height
        for tick in scale.ticks {
            let y = scale.position(tick.value)
            marks.append(
                .line(
                    from: Point(bar.origin.x + bar.size.width, y), to: Point(bar.origin.x + bar.size.width + 2.5, y),
                    width: 0.5, color: Theme.ink))
            let spec = typesetter.spec(tick.label, Theme.small, color: Theme.muted)
            marks.append(
                .text(spec, at: Point(bar.origin.x + bar.size.width + 4, y - typesetter.measure(spec).height / 2)))
        }
        let spec = typesetter.spec(title, Theme.small, color: Theme.muted)
        marks.append(.text(spec, at: Point(bar.origin.x, bar.origin.y - typesetter.measure(spec).height - 2)))
        return marks
    }

    /// The path, a dot at each iterate (at most about 60 of them), a ring at the start and arrows
    /// along the way showing the direction.
    /// A path of steps: dots, the start ringed, arrows along it. One that leaves the axes (a
    /// diverging run) ends where it crosses their edge, with an arrowhead there and a note of the
    /// step that left, instead of running off into the panel's title.
    private func trajectory(_ points: [Point], color: Color, within area: Rect) -> [Mark] {
        guard let first = points.first else { return [] }
        func inside(_ p: Point) -> Bool {
            p.x >= area.origin.x - 0.01 && p.x <= area.origin.x + area.size.width + 0.01
                && p.y >= area.origin.y - 0.01 && p.y <= area.origin.y + area.size.height + 0.01
        }
        var points = points
        var exit: (at: Point, from: Point, step: Int)?  // the first step outside
        if inside(first), let out = points.firstIndex(where: { !inside($0) }) {
            let (a, b) = (points[out - 1], points[out])
            // Where a→b crosses the edge: the smallest t in (0, 1] at which it meets a side it is heading past.
            var t = 1.0
            let (left, right) = (area.origin.x, area.origin.x + area.size.width)
            let (top, bottom) = (area.origin.y, area.origin.y + area.size.height)
            if b.x > right { t = min(t, (right - a.x) / (b.x - a.x)) }
            if b.x < left { t = min(t, (left - a.x) / (b.x - a.x)) }
            if b.y > bottom { t = min(t, (bottom - a.y) / (b.y - a.y)) }
            if b.y < top { t = min(t, (top - a.y) / (b.y - a.y)) }
            let edge = Point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)
            exit = (edge, a, out)
            points = Array(points[..<out]) + [edge]
        }
        var marks: [Mark] = [.path([points], closed: false, fill: nil, stroke: color, lineWidth: 1.2)]
        let every = max(1, points.count / 60)
        for (k, p) in points.enumerated() where k % every == 0 || k == points.count - 1 {
            marks.append(.circle(center: p, radius: 1.5, fill: color, stroke: nil, lineWidth: 0))
        }
        marks.append(.circle(center: first, radius: 3.2, fill: Theme.white, stroke: color, lineWidth: 1.2))
        // Arrows on the longest segments among the first ones, where the direction is clearest.
        let segments = zip(points, points.dropFirst()).enumerated().map { ($0.offset, $0.element.0, $0.element.1) }
            .filter { hypot($0.2.x - $0.1.x, $0.2.y - $0.1.y) > 14 }
        let chosen = segments.enumerated().filter { $0.offset % max(1, segments.count / 5) == 0 }.prefix(6).map(
            \.element)
        for (_, a, b) in chosen {
            let length = hypot(b.x - a.x, b.y - a.y)
            let (dx, dy) = ((b.x - a.x) / length, (b.y - a.y) / length)
            let tip = Point((a.x + b.x) / 2 + dx * 3, (a.y + b.y) / 2 + dy * 3)
            let back = Point(tip.x - dx * 6, tip.y - dy * 6)
            marks.append(
                .polygon(
                    [tip, Point(back.x - dy * 2.8, back.y + dx * 2.8), Point(back.x + dy * 2.8, back.y - dx * 2.8)],
                    fill: color))
        }
        if let exit {
            let length = max(hypot(exit.at.x - exit.from.x, exit.at.y - exit.from.y), 1e-9)
            let (dx, dy) = ((exit.at.x - exit.from.x) / length, (exit.at.y - exit.from.y) / length)
            let back = Point(exit.at.x - dx * 6, exit.at.y - dy * 6)
            marks.append(
                .polygon(
                    [exit.at, Point(back.x - dy * 3, back.y + dx * 3), Point(back.x + dy * 3, back.y - dx * 3)],
                    fill: color))
            // The note inside the axes, on the side away from the edge it left by.
            let spec = typesetter.spec(.plain("step \(exit.step) leaves the axes"), Theme.small, color: color)
            let size = typesetter.measure(spec)
            // Beside the arrowhead, right of it where there is room.
            let right = exit.at.x + 6 + size.width <= area.origin.x + area.size.width - 2
            let x = right ? exit.at.x + 6 : max(area.origin.x + 2, exit.at.x - 6 - size.width)
            let y = dy < 0 ? exit.at.y + 4 : dy > 0 ? exit.at.y - size.height - 4 : exit.at.y - size.height / 2
            marks.append(.rect(Rect(x - 1.5, y - 0.5, size.width + 3, size.height + 1), fill: Theme.white, radius: 1.5))
            marks.append(.text(spec, at: Point(x, y)))
        }
        return marks
    }

    private func barMarks(_ bars: Plot.Bars, _ page: (Double, Double) -> Point, colorIndex: inout Int)
        -> ([Mark], [(name: RichText, sample: LegendSample)])
    {
        var marks: [Mark] = []
        var legend: [(name: RichText, sample: LegendSample)] = []
        let groupWidth = 0.72
        let count = Double(bars.series.count)
        for (s, series) in bars.series.enumerated() {
            let color = Palette.series(colorIndex)
            colorIndex += 1
            for (k, value) in series.values.enumerated() {
                let left = Double(k) + (1 - groupWidth) / 2 + groupWidth * Double(s) / count
                let (a, b) = (page(left, 0), page(left + groupWidth / count, value))
                marks.append(.rect(Rect(min(a.x, b.x), min(a.y, b.y), abs(b.x - a.x) - 1, abs(b.y - a.y)), fill: color))
            }
            legend.append((series.name, .box(color)))
        }
        return (marks, legend)
    }

    // MARK: Legend

    enum LegendSample {
        case line(Color, dashed: Bool)
        case dot(Color)
        case box(Color)
    }

    /// Draws the legend and returns the height it added below the plot.
    private func legendMarks(
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

    // MARK: Data

    /// The ranges an axis keeps as they are: given, or a surface's extent, so that the surface
    /// fills the frame (a heatmap's cells reach half a cell beyond its outer grid points).
    static func fixedRanges(_ plot: Plot) -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?) {
        let field = plot.layers.compactMap { layer -> (Plot.Field, Bool)? in
            switch layer {
            case .contour(let f): (f, false)
            case .heatmap(let f): (f, true)
            default: nil
            }
        }.first
        func extent(_ v: [Double], cells: Bool) -> ClosedRange<Double> {
            let half = cells && v.count > 1 ? abs(v[1] - v[0]) / 2 : cells ? 0.5 : 0
            return (min(v.first!, v.last!) - half)...(max(v.first!, v.last!) + half)
        }
        return (
            plot.x.range ?? field.map { extent($0.0.xs, cells: $0.1) },
            plot.y.range ?? field.map { extent($0.0.ys, cells: $0.1) }
        )
    }

    /// Every x and y the plot's layers hold (a field: the corners of its grid).
    static func data(_ plot: Plot) -> (x: [Double], y: [Double]) {
        var xs: [Double] = []
        var ys: [Double] = []
        for layer in plot.layers {
            switch layer {
            case .line(let s), .scatter(let s), .trajectory(let s):
                xs += s.points.map(\.x)
                ys += s.points.map(\.y)
            case .contour(let f), .heatmap(let f):
                xs += [f.xs.first!, f.xs.last!]
                ys += [f.ys.first!, f.ys.last!]
            case .bars(let b): ys += b.series.flatMap(\.values)
            case .marker(let x, let y, _):
                xs.append(x)
                ys.append(y)
            case .rule: break
            }
        }
        return (xs, ys)
    }

    /// The field's contour levels: given, or round ones about a tenth of its range apart.
    static func levels(_ field: Plot.Field) -> [Double] {
        if let levels = field.levels { return levels.sorted() }
        let (low, high) = span(field)
        let step = AxisScale.niceStep((high - low) / 10)
        return stride(from: (low / step).rounded(.up) * step, through: high, by: step).filter { $0 > low && $0 < high }
    }

    /// 1 when a heatmap's grid along this axis is cell indices (0, 1, 2, …): ticks fall on cells.
    static func cellStep(_ plot: Plot, _ axis: KeyPath<Plot.Field, [Double]>) -> Double {
        let field = plot.layers.lazy.compactMap { if case .heatmap(let f) = $0 { f } else { nil } }.first
        guard let grid = field?[keyPath: axis] else { return 0 }
        return grid.enumerated().allSatisfy { $0.element == Double($0.offset) } ? 1 : 0
    }

    /// 1 where every x of the plot's series is a whole number (a series over k = 1…3, or steps):
    /// a tick at 1.5 would name no point.
    static func wholeStep(_ plot: Plot) -> Double {
        let xs = plot.layers.flatMap { layer -> [Double] in
            switch layer {
            case .line(let s), .scatter(let s): s.points.map(\.x)
            default: [.nan]
            }
        }
        return !xs.isEmpty && xs.allSatisfy { $0.isFinite && $0 == $0.rounded() } ? 1 : 0
    }

    /// The two axes before they are placed: the data's ranges (or the fixed ones) and their ticks.
    private func axes() -> (x: AxisScale, y: AxisScale) {
        let bars = plot.layers.compactMap { if case .bars(let b) = $0 { b } else { nil } }.first
        let data = PlotDrawing.data(plot)
        let fixed = PlotDrawing.fixedRanges(plot)
        let x =
            bars.map { AxisScale(.linear, data: [], range: 0...Double($0.categories.count)) }
            ?? AxisScale(
                plot.x.scale, data: data.x, range: xRange ?? fixed.x,
                minimumStep: max(
                    PlotDrawing.cellStep(plot, \.xs), plot.x.scale == .linear ? PlotDrawing.wholeStep(plot) : 0))
        let y = AxisScale(
            plot.y.scale, data: data.y + (bars == nil ? [] : [0]), range: yRange ?? fixed.y,
            minimumStep: PlotDrawing.cellStep(plot, \.ys))
        return (x, y)
    }

    /// Room for the y tick labels, even where a panel hides them, so panels in a row come out the same size.
    private func tickLabelWidth(_ y: AxisScale) -> Double {
        y.ticks.map { typesetter.measure(typesetter.spec($0.label, Theme.small)).width }.max() ?? 0
    }

    /// The space left and right of the plotting area: the tick labels, and a colour bar's.
    private func margins(tickWidth: Double) -> (left: Double, right: Double) {
        let colorBar = plot.layers.contains { if case .heatmap(let f) = $0 { f.colorBar != nil } else { false } }
        return (tickWidth + 9, colorBar ? 58 : 8)
    }

    /// The plotting area's width before an equal aspect narrows it, without drawing: what panels
    /// choose their number of columns by.
    var areaWidth: Double {
        let (left, right) = margins(tickWidth: tickLabelWidth(axes().y))
        return width - left - right
    }

    /// Label every n-th tick, the smallest n at which no two labels (each `extents` long, centred
    /// on its tick) come closer than 3 pt: a narrow panel's seven decades become 10⁰, 10⁻⁴, 10⁻⁸.
    /// The ticks themselves all stay.
    static func labelStride(positions: [Double], extents: [Double]) -> Int {
        for every in 1..<max(2, positions.count) {
            let shown = Swift.stride(from: 0, to: positions.count, by: every)
            let clear = zip(shown, shown.dropFirst()).allSatisfy { a, b in
                abs(positions[b] - positions[a]) >= (extents[a] + extents[b]) / 2 + 3
            }
            if clear { return every }
        }
        return max(1, positions.count)
    }

    /// The rows of a heatmap that prints its values, if the plot has one.
    static func numberedRows(_ plot: Plot) -> Int? {
        plot.layers.lazy.compactMap { if case .heatmap(let f) = $0, f.showValues { f.ys.count } else { nil } }.first
    }

    /// The least and greatest finite values of a field.
    static func span(_ field: Plot.Field) -> (Double, Double) {
        if let range = field.colorRange { return (range.lowerBound, range.upperBound) }
        let finite = field.values.filter(\.isFinite)
        return (finite.min() ?? 0, finite.max() ?? 1)
    }

    /// Where a value falls on the colour ramp: linear over the range, or symmetric about 0 for
    /// signed values so that white means zero.
    static func fraction(_ value: Double, _ low: Double, _ high: Double, _ colors: Plot.Field.Colors) -> Double {
        if colors == .diverging {
            let reach = max(abs(low), abs(high), .leastNormalMagnitude)
            return 0.5 + value / (2 * reach)
        }
        return high > low ? (value - low) / (high - low) : 0.5
    }
}

/// Small multiples in a grid: every panel the same size, shared axes given one range, tick
/// labels on the left column and the bottom row only.
struct PanelsDrawing {
    let panels: Panels
    let typesetter: Typesetter
    let width: Double

    /// A panel's plotting area is at least this tall (3.5 cm): four panels across a page were
    /// 1.3 cm tall, too flat to read a curve off. Panels narrower than that take more rows instead.
    static let minimumAreaHeight = 3.5 / 2.54 * 72

    func marks() -> (marks: [Mark], height: Double) {
        let gap = 8.0
        func cellWidth(_ columns: Int) -> Double { (width - gap * Double(columns - 1)) / Double(columns) }
        let all = panels.plots.map(PlotDrawing.data)
        func shared(_ scale: Plot.Axis.Scale, _ values: [Double], _ fixed: ClosedRange<Double>?) -> ClosedRange<Double>
        {
            let axis = AxisScale(scale, data: values, range: fixed)
            return min(axis.low, axis.high)...max(axis.low, axis.high)
        }
        let fixed = PlotDrawing.fixedRanges(panels.plots[0])
        let xRange = panels.sharedX ? shared(panels.plots[0].x.scale, all.flatMap(\.x), fixed.x) : nil
        let yRange = panels.sharedY ? shared(panels.plots[0].y.scale, all.flatMap(\.y), fixed.y) : nil
        var columns = min(panels.columns, panels.plots.count)
        // A lesson's own height, or one the data's aspect sets, is kept as it asked.
        let free = panels.plots[0].height == nil && !panels.plots[0].equalAspect
        func areaWidth(_ columns: Int) -> Double {
            var drawing = PlotDrawing(plot: panels.plots[0], typesetter: typesetter, width: cellWidth(columns))
            (drawing.xRange, drawing.yRange) = (xRange, yRange)
            return drawing.areaWidth
        }
        while free, columns > 1, areaWidth(columns) < Self.minimumAreaHeight { columns -= 1 }
        let rows = (panels.plots.count + columns - 1) / columns
        let cell = cellWidth(columns)
        var marks: [Mark] = []
        var y = 0.0
        for row in 0..<rows {
            var rowHeight = 0.0
            for column in 0..<columns {
                let k = row * columns + column
                guard k < panels.plots.count else { continue }
                var drawing = PlotDrawing(plot: panels.plots[k], typesetter: typesetter, width: cell)
                drawing.xRange = xRange
                drawing.yRange = yRange
                drawing.minimumAreaHeight = free ? Self.minimumAreaHeight : 0
                drawing.tickLabelsY = !panels.sharedY || column == 0
                drawing.tickLabelsX = !panels.sharedX || row == rows - 1 || k + columns >= panels.plots.count
                let drawn = drawing.marks()
                marks += drawn.marks.map { $0.offset(by: Point(Double(column) * (cell + gap), y)) }
                rowHeight = max(rowHeight, drawn.height)
            }
            y += rowHeight + (row < rows - 1 ? gap : 0)
        }
        return (marks, y)
    }
}
