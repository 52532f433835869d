import Foundation
import Report

/// Draws a line chart: a framed plot area, ticks at round numbers (decades on a log axis),
/// light grid lines, one coloured line per series and a legend when there are several.
struct ChartDrawing {
    let chart: Chart
    let width: Double
    let typesetter: Typesetter

    private let height = 200.0
    private let plot = (left: 54.0, right: 14.0, top: 18.0, bottom: 34.0)

    func marks() -> (marks: [Mark], height: Double) {
        let points = chart.series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let xAxis = Axis(scale: chart.xScale, values: points.map(\.x), from: plot.left, to: width - plot.right)
        let yAxis = Axis(scale: chart.yScale, values: points.map(\.y), from: height - plot.bottom, to: plot.top)
        var marks: [Mark] = []
        let (x0, x1, y0, y1) = (plot.left, width - plot.right, height - plot.bottom, plot.top)

        for tick in xAxis.ticks {
            let x = xAxis.position(tick.value)
            marks.append(.line(from: Point(x, y1), to: Point(x, y0), width: 0.4, color: Theme.faint))
            marks.append(.line(from: Point(x, y0), to: Point(x, y0 + 3), width: 0.6, color: Theme.ink))
            let label = typesetter.spec(tick.label, Theme.small, color: Theme.muted)
            let size = typesetter.measure(label)
            marks.append(.text(label, at: Point(x - size.width / 2, y0 + 5)))
        }
        for tick in yAxis.ticks {
            let y = yAxis.position(tick.value)
            marks.append(.line(from: Point(x0, y), to: Point(x1, y), width: 0.4, color: Theme.faint))
            marks.append(.line(from: Point(x0 - 3, y), to: Point(x0, y), width: 0.6, color: Theme.ink))
            let label = typesetter.spec(tick.label, Theme.small, color: Theme.muted)
            let size = typesetter.measure(label)
            marks.append(.text(label, at: Point(x0 - 5 - size.width, y - size.height / 2)))
        }
        marks.append(.rect(Rect(x0, y1, x1 - x0, y0 - y1), fill: nil, stroke: Theme.ink, lineWidth: 0.7))

        for (index, series) in chart.series.enumerated() {
            let line = series.points.filter { $0.x.isFinite && $0.y.isFinite && (chart.yScale == .linear || $0.y > 0) }
                .map { Point(xAxis.position($0.x), yAxis.position($0.y)) }
            marks.append(.polyline(line, width: 1.4, color: Theme.series[index % Theme.series.count]))
        }
        if chart.series.count > 1 {
            var y = y1 + 6
            for (index, series) in chart.series.enumerated() {
                let label = typesetter.spec(series.name, Theme.small)
                let size = typesetter.measure(label)
                let color = Theme.series[index % Theme.series.count]
                marks.append(.line(from: Point(x1 - size.width - 30, y + size.height / 2),
                                   to: Point(x1 - size.width - 12, y + size.height / 2), width: 1.4, color: color))
                marks.append(.text(label, at: Point(x1 - size.width - 8, y)))
                y += size.height + 2
            }
        }
        let xLabel = typesetter.spec(chart.xLabel, Theme.caption)
        let xSize = typesetter.measure(xLabel)
        marks.append(.text(xLabel, at: Point((x0 + x1 - xSize.width) / 2, height - xSize.height)))
        let yLabel = typesetter.spec(chart.yLabel, Theme.caption)
        marks.append(.text(yLabel, at: Point(x0, 0)))
        return (marks, height)
    }
}

/// Maps data to page positions and picks round tick values.
private struct Axis {
    struct Tick { var value: Double; var label: RichText }

    let scale: Chart.Scale
    let low: Double, high: Double
    let from: Double, to: Double
    let ticks: [Tick]

    init(scale: Chart.Scale, values: [Double], from: Double, to: Double) {
        self.scale = scale
        self.from = from
        self.to = to
        let usable = scale == .logarithmic ? values.filter { $0 > 0 } : values
        var (low, high) = (usable.min() ?? 0.1, usable.max() ?? 1)
        switch scale {
        case .logarithmic:
            // Whole decades, so every tick is a power of ten.
            low = Foundation.pow(10, floor(log10(low)))
            high = Foundation.pow(10, ceil(log10(high)))
            if low == high { high *= 10 }
            let decades = Int(log10(high / low).rounded())
            let stride = max(1, decades / 6 + (decades % 6 == 0 ? 0 : 1))
            ticks = Swift.stride(from: 0, through: decades, by: stride).map { k in
                let exponent = Int(log10(low).rounded()) + k
                return Tick(value: Foundation.pow(10, Double(exponent)),
                            label: .plain("10") + .plain(String(exponent).replacingOccurrences(of: "-", with: "−"), .raised))
            }
        case .linear:
            if low == high { (low, high) = (low - 1, high + 1) }
            let step = Axis.niceStep((high - low) / 5)
            low = floor(low / step) * step
            high = ceil(high / step) * step
            let count = Int(((high - low) / step).rounded())
            ticks = (0...count).map { k in
                let value = low + Double(k) * step
                return Tick(value: value, label: .plain(Axis.label(value, step: step)))
            }
        }
        self.low = low
        self.high = high
    }

    func position(_ value: Double) -> Double {
        let t = scale == .logarithmic ? log10(value / low) / log10(high / low) : (value - low) / (high - low)
        return from + t * (to - from)
    }

    /// 1, 2 or 5 times a power of ten.
    static func niceStep(_ rough: Double) -> Double {
        let power = Foundation.pow(10, floor(log10(rough)))
        let fraction = rough / power
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power
    }

    static func label(_ value: Double, step: Double) -> String {
        let decimals = max(0, -Int(floor(log10(step))))
        return String(format: "%.*f", decimals, value == 0 ? 0 : value).replacingOccurrences(of: "-", with: "−")
    }
}
