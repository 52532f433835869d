import Foundation
import ReportModel

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
