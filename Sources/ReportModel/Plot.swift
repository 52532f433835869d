/// A plot as data: two axes and layers drawn in order (filled contours first, then lines and
/// paths, then markers), with a legend of the named series. The renderer draws it; a lesson
/// never touches Cairo.
///
///     Plot(x: "iteration", y: .init("f", scale: .logarithmic), layers: [.line(.init("GD", points: pts))])
///     Plot(x: "x", y: "y", equalAspect: true, layers: [.contour(field), .trajectory(path)])
public struct Plot: Sendable {
    public struct Axis: Sendable, ExpressibleByStringLiteral {
        public enum Scale: Sendable { case linear, logarithmic }
        public var label: RichText
        public var scale: Scale
        /// Fixed ends; nil: the data's, widened to round ticks.
        public var range: ClosedRange<Double>?
        /// Growing downwards (a y axis of image rows, row 0 at the top).
        public var reversed: Bool

        public init(
            _ label: RichText, scale: Scale = .linear, range: ClosedRange<Double>? = nil, reversed: Bool = false
        ) {
            self.label = label
            self.scale = scale
            self.range = range
            self.reversed = reversed
        }

        public init(stringLiteral value: String) { self.init(RichText(value)) }
    }

    /// A sequence of points with a name for the legend (nil: not listed) and a look.
    public struct Series: Sendable {
        public var name: RichText?
        public var points: [(x: Double, y: Double)]
        /// An index into the palette; nil: the next colour in order.
        public var color: Int?
        public var dashed: Bool

        public init(_ name: RichText? = nil, points: [(x: Double, y: Double)], color: Int? = nil, dashed: Bool = false)
        {
            self.name = name
            self.points = points
            self.color = color
            self.dashed = dashed
        }
    }

    /// Values on a rectangular grid: `values[j * xs.count + i]` belongs to (xs[i], ys[j]).
    public struct Field: Sendable {
        public enum Colors: Sendable {
            /// Light to dark in one hue, for surfaces under paths.
            case surface
            /// Perceptually even from dark to light (viridis), for heatmaps.
            case sequential
            /// Blue below zero, white at zero, vermillion above, for signed values.
            case diverging
        }

        public var xs: [Double]
        public var ys: [Double]
        public var values: [Double]
        /// Contour levels; nil: about ten, evenly spaced over the values.
        public var levels: [Double]?
        public var colors: Colors
        /// Heatmaps only: the value written in each cell.
        public var showValues: Bool
        /// Heatmaps only: a colour bar with this title beside the plot (nil: none).
        public var colorBar: RichText?
        /// The values the colour ramp runs over; nil: the field's own least and greatest. Panels
        /// that show the same quantity share one, so equal numbers get equal colours.
        public var colorRange: ClosedRange<Double>?

        public init(
            xs: [Double], ys: [Double], values: [Double], levels: [Double]? = nil, colors: Colors = .surface,
            showValues: Bool = false, colorBar: RichText? = nil
        ) {
            precondition(values.count == xs.count * ys.count, "a field needs one value per grid point")
            self.xs = xs
            self.ys = ys
            self.values = values
            self.levels = levels
            self.colors = colors
            self.showValues = showValues
            self.colorBar = colorBar
        }

        /// f sampled on an n × n grid over the given ranges.
        public init(
            x: ClosedRange<Double>, y: ClosedRange<Double>, samples n: Int = 81, levels: [Double]? = nil,
            _ f: (Double, Double) -> Double
        ) {
            let xs = (0..<n).map { x.lowerBound + (x.upperBound - x.lowerBound) * Double($0) / Double(n - 1) }
            let ys = (0..<n).map { y.lowerBound + (y.upperBound - y.lowerBound) * Double($0) / Double(n - 1) }
            self.init(xs: xs, ys: ys, values: ys.flatMap { y in xs.map { x in f(x, y) } }, levels: levels)
        }
    }

    /// Bars in groups: one group per category, one bar per series.
    public struct Bars: Sendable {
        public var categories: [RichText]
        public var series: [(name: RichText, values: [Double])]
        public init(categories: [RichText], series: [(name: RichText, values: [Double])]) {
            precondition(
                series.allSatisfy { $0.values.count == categories.count }, "one value per category in every series")
            self.categories = categories
            self.series = series
        }
    }

    public enum Layer: Sendable {
        case line(Series)
        case scatter(Series)
        /// A path of iterates: markers, the segments between them and arrows showing the direction.
        case trajectory(Series)
        case bars(Bars)
        /// Filled bands between levels and the level lines over them.
        case contour(Field)
        /// One coloured cell per grid point.
        case heatmap(Field)
        /// A labelled point: a minimum, a start.
        case marker(x: Double, y: Double, label: RichText)
        /// A labelled line across the plot at x (vertical) or y (horizontal).
        case rule(vertical: Bool, at: Double, label: RichText)
    }

    public var title: RichText?
    public var x: Axis
    public var y: Axis
    public var layers: [Layer]
    /// The same scale on both axes, so circles stay round.
    public var equalAspect: Bool
    /// Height of the plotting area in points; nil: chosen from the width.
    public var height: Double?
    /// Whether the named series get a legend (panels often show it once).
    public var legend: Bool

    public init(
        title: RichText? = nil, x: Axis, y: Axis, equalAspect: Bool = false, height: Double? = nil, legend: Bool = true,
        layers: [Layer]
    ) {
        self.title = title
        self.x = x
        self.y = y
        self.equalAspect = equalAspect
        self.height = height
        self.legend = legend
        self.layers = layers
    }
}

/// Small multiples: plots in a grid of `columns`, sharing their axes' ranges (and tick labels
/// only on the outer edges) where asked.
///
///     Panels(columns: 3, sharedX: true, sharedY: true, plots: optimizers.map { Plot(title: $0.name, …) })
public struct Panels: Sendable {
    public var columns: Int
    public var sharedX: Bool
    public var sharedY: Bool
    public var plots: [Plot]

    public init(columns: Int, sharedX: Bool = true, sharedY: Bool = true, plots: [Plot]) {
        precondition(columns >= 1 && !plots.isEmpty, "panels need at least one column and one plot")
        self.columns = columns
        self.sharedX = sharedX
        self.sharedY = sharedY
        self.plots = plots
    }
}
