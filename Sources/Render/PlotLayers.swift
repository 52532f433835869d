import Foundation
import ReportModel

/// A plot's layers as marks: filled contours and level lines, a heatmap and its colour bar,
/// trajectories with direction arrows, grouped bars.
extension PlotDrawing {
    func contour(_ field: Plot.Field, _ page: (Double, Double) -> Point) -> [Mark] {
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

    func heatmap(_ field: Plot.Field, _ page: (Double, Double) -> Point) -> [Mark] {
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

    func colorBar(_ field: Plot.Field, title: RichText, area: Rect) -> [Mark] {
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
    func trajectory(_ points: [Point], color: Color, within area: Rect) -> [Mark] {
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

    func barMarks(_ bars: Plot.Bars, _ page: (Double, Double) -> Point, colorIndex: inout Int)
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
}
