import Foundation
import ReportModel

/// What a plot's data say about its axes: fixed ranges, the values each covers, contour levels,
/// tick-label margins and strides.
extension PlotDrawing {
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
    func axes() -> (x: AxisScale, y: AxisScale) {
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
    func tickLabelWidth(_ y: AxisScale) -> Double {
        y.ticks.map { typesetter.measure(typesetter.spec($0.label, Theme.small)).width }.max() ?? 0
    }

    /// The space left and right of the plotting area: the tick labels, and a colour bar's.
    func margins(tickWidth: Double) -> (left: Double, right: Double) {
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
