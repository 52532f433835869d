import Foundation
import LessonKit
import ReportModel
import TestSupport
import Testing

@testable import Render

@Suite("Plots: ticks, axes, contours, rendering")
struct PlotTests {
    @Test func linearTicksAreRoundNumbersCoveringTheData() {
        let axis = AxisScale(.linear, data: [0.3, 9.2])
        #expect(axis.ticks.map(\.value) == [0, 2, 4, 6, 8, 10])
        #expect((axis.low, axis.high) == (0, 10))
        let small = AxisScale(.linear, data: [-0.013, 0.0071])
        #expect(small.ticks.map(\.label.plainText) == ["−0.015", "−0.010", "−0.005", "0.000", "0.005", "0.010"])
        let fixed = AxisScale(.linear, data: [], range: -4.5...4.5)
        #expect((fixed.low, fixed.high) == (-4.5, 4.5), "a given range is kept as it is")
        #expect(fixed.ticks.map(\.value) == [-4, -2, 0, 2, 4])
        for rough in [0.7, 1.3, 3.1, 7.7, 12, 0.00042] {
            let step = AxisScale.niceStep(rough)
            let mantissa = step / pow(10, floor(log10(step)))
            #expect([1, 2, 5].contains(mantissa.rounded()) && step >= rough, "\(rough) → \(step)")
        }
    }

    @Test func logTicksAreDecadesOrOneTwoFive() {
        let wide = AxisScale(.logarithmic, data: [3.2e-5, 0.29])
        #expect((wide.low, wide.high) == (1e-5, 1))
        #expect(wide.ticks.map(\.label.plainText) == ["10−5", "10−4", "10−3", "10−2", "10−1", "100"])
        let many = AxisScale(.logarithmic, data: [1e-29, 12])
        #expect(many.ticks.allSatisfy { Int(log10($0.value).rounded()) % 5 == 0 }, "exponents on a round stride")
        #expect(many.ticks.count <= 8)
        let narrow = AxisScale(.logarithmic, data: [1.5, 40])
        #expect(narrow.ticks.map(\.value) == [1, 2, 5, 10, 20, 50, 100])
        #expect(
            AxisScale(.logarithmic, data: [-1, 0, 5]).ticks.map(\.value) == [1, 2, 5, 10],
            "≤ 0 has no place on a log axis")
    }

    @Test func dataToPageIsExactAtTheAxisEnds() {
        for (scale, data) in [
            (Plot.Axis.Scale.linear, [0.1, 0.7]), (.linear, [-3.3, 17.9]), (.logarithmic, [2e-7, 3e3]),
        ] {
            let axis = AxisScale(scale, data: data, from: 54.123, to: 417.9)
            #expect(axis.position(axis.low) == 54.123)
            #expect(axis.position(axis.high) == 417.9)
        }
        let flipped = AxisScale(.linear, data: [0, 1], from: 300, to: 20)  // y grows upwards on the page
        #expect(flipped.position(0) == 300 && flipped.position(1) == 20 && flipped.position(0.5) == 160)
    }

    /// f = x² + y² on a grid: the level r² is the circle of radius r.
    @Test(arguments: [0.5, 1.0, 1.7])
    func contoursOfCirclesAreClosedCircles(radius: Double) {
        let field = Plot.Field(x: -2...2, y: -2...2, samples: 81) { $0 * $0 + $1 * $1 }
        let lines = Contours.lines(field, level: radius * radius)
        #expect(lines.count == 1 && lines[0].closed, "one closed loop")
        let h = 4.0 / 80
        for p in lines[0].points {
            // Linear interpolation of a quadratic is off by at most about h²/4 in f.
            #expect(close(hypot(p.x, p.y), radius, within: h * h / radius), "\(p) is on the circle")
        }
        let angles = lines[0].points.map { atan2($0.y, $0.x) }.sorted()
        let largestGap = zip(angles, angles.dropFirst()).map { $1 - $0 }.max()!
        #expect(largestGap < 2 * h / radius, "the loop goes all the way round")
    }

    @Test func aLevelThatLeavesTheGridGivesOpenLinesAndTheRegionStillCloses() {
        let field = Plot.Field(x: -2...2, y: -2...2, samples: 41) { $0 * $0 + $1 * $1 }
        let lines = Contours.lines(field, level: 6.25)  // r = 2.5 crosses the square's sides
        #expect(!lines.isEmpty && lines.allSatisfy { !$0.closed })
        let region = Contours.region(field, atLeast: 6.25)
        #expect(!region.isEmpty)
        for loop in region {
            let (a, b) = (loop.first!, loop.last!)
            #expect(hypot(a.x - b.x, a.y - b.y) < 0.2, "each boundary loop closes on itself")
        }
    }

    @Test func aSaddleCellIsSplitByItsCentre() {
        // Corners 1, 0, 1, 0 round one cell: the centre (0.5) decides which corners join.
        let field = Plot.Field(xs: [0, 1], ys: [0, 1], values: [1, 0, 0, 1])
        #expect(Contours.lines(field, level: 0.4).count == 2)
        #expect(Contours.lines(field, level: 0.6).count == 2)
    }

    @Test func aPlotRendersItsLabelsAndLegend() throws {
        let plot = Plot(
            title: "A race", x: "step", y: .init("f", scale: .logarithmic),
            layers: [
                .line(.init("gradient descent", points: (0...20).map { (Double($0), pow(0.7, Double($0))) })),
                .line(.init("momentum", points: (0...20).map { (Double($0), pow(0.5, Double($0))) })),
            ])
        let report = Report(title: "Plots", lesson: "plots") { Figure("Two curves.", plot: plot) }
        let document = Document(report)
        let text = try run("pdftotext", ["-", "-"], input: document.pdf()).output
        for word in ["A race", "step", "gradient descent", "momentum", "Figure 1."] {
            #expect(text.contains(word), "\(word)")
        }
        #expect(try inkCoverage(document.figures[0].png(dpi: 72)) > 0.02)
        let svg = String(decoding: try document.figures[0].svg(), as: UTF8.self)
        #expect(svg.hasPrefix("<?xml") && !svg.contains("<image"), "vector only: no raster inside")
    }

    @Test func aColourRangeWiderThanTheValuesTintsTheBandsPalely() throws {
        // z = x − y on [−1, 1]², one level at 0: two bands. Without a range they take the ramp's
        // ends; with ±4 their midpoints (±1) fall an eighth of the way from white.
        func inked(_ range: ClosedRange<Double>?) throws -> (strong: Double, any: Double) {
            var field = Plot.Field(x: -1...1, y: -1...1, samples: 21) { $0 - $1 }
            (field.levels, field.colors, field.colorRange) = ([0], .diverging, range)
            let report = Report(title: "Bands", lesson: "bands") {
                Figure("Two bands.", plot: Plot(x: "x", y: "y", equalAspect: true, layers: [.contour(field)]))
            }
            let png = try Document(report).figures[0].png(dpi: 72)
            return (try inkCoverage(png), try inkCoverage(png, darkerThan: 245))
        }
        let (full, pale) = (try inked(nil), try inked(-4...4))
        #expect(full.strong > 0.05, "the ramp's ends are strong colours")
        #expect(pale.strong < 0.03 && pale.any > 0.05, "pale tints: visible, but lighter than 200 in every channel")
    }

    @Test func theLegendTakesTheCornerTheDataLeaveEmpty() {
        // Two lines climbing to the top right: the legend card goes elsewhere; falling to the
        // bottom right, it stays in the top right where it always was.
        func card(_ rising: Bool) -> Rect? {
            let f = { (x: Double) in rising ? x * x : (10 - x) * (10 - x) }
            let plot = Plot(
                x: "x", y: "y",
                layers: [
                    .line(.init("a", points: (0...10).map { (Double($0), f(Double($0))) })),
                    .line(.init("b", points: (0...10).map { (Double($0), f(Double($0)) * 0.9) })),
                ])
            let marks = PlotDrawing(plot: plot, typesetter: Typesetter(page: Layout.a4.page), width: 400).marks().marks
            return marks.compactMap {
                if case .rect(let r, let fill, let stroke, _, _, _) = $0, fill == Theme.white, stroke == Theme.faint {
                    r
                } else {
                    nil
                }
            }.first
        }
        let (up, down) = (card(true)!, card(false)!)
        #expect(up.origin.x < 200, "rising data: the card moves to the left, \(up)")
        #expect(down.origin.x > 200 && down.origin.y < 60, "falling data: top right, \(down)")
    }

    @Test func aLegendThatWouldCoverDataInEveryCornerGoesBelowThePlot() {
        // Points everywhere (a grid over the whole frame): no card inside the axes; the entries go under the plot.
        let grid = (0...20).flatMap { i in (0...20).map { j in (Double(i) / 2, Double(j) / 2) } }
        let plot = Plot(
            x: .init("x", range: 0...10), y: .init("y", range: 0...10),
            layers: [
                .scatter(.init("a", points: grid)),
                .scatter(.init("b", points: grid.map { ($0.0 + 0.25, $0.1 + 0.25) })),
            ])
        let drawn = PlotDrawing(plot: plot, typesetter: Typesetter(page: Layout.a4.page), width: 400).draw()
        let cards = drawn.marks.compactMap {
            if case .rect(let r, let fill, let stroke, _, _, _) = $0, fill == Theme.white, stroke == Theme.faint {
                r
            } else {
                nil
            }
        }
        #expect(cards.isEmpty, "\(cards)")
        let labels = drawn.marks.compactMap { mark -> Point? in
            if case .text(let spec, let at) = mark, spec.markup == "a" || spec.markup == "b" { at } else { nil }
        }
        #expect(
            labels.count == 2 && labels.allSatisfy { $0.y > drawn.frame.area.origin.y + drawn.frame.area.size.height })
    }

    @Test func aPathThatLeavesTheAxesEndsAtTheirEdgeWithANote() throws {
        // Gradient descent diverging on fixed axes: the path stops where it crosses the frame.
        let path = [(-4.0, 2.0), (-3.0, -4.0), (-2.0, 8.0), (-1.0, -16.0)]
        let plot = Plot(
            x: .init("x", range: -5...5), y: .init("y", range: -3...3), layers: [.trajectory(.init(points: path))])
        let drawn = PlotDrawing(plot: plot, typesetter: Typesetter(page: Layout.a4.page), width: 400).draw()
        let area = drawn.frame.area
        let paths = drawn.marks.flatMap { mark -> [[Point]] in
            if case .clipped(_, let inner) = mark {
                return inner.compactMap { if case .path(let lines, _, _, _, _, _) = $0 { lines.first } else { nil } }
            }
            return []
        }
        let line = try #require(paths.max { $0.count < $1.count })
        #expect(line.count == 2, "the start and the edge crossing: \(line)")
        #expect(line.allSatisfy { $0.y >= area.origin.y - 1e-9 && $0.y <= area.origin.y + area.size.height + 1e-9 })
        #expect(close(line[1].y, area.origin.y + area.size.height, within: 1e-9), "it ends on the bottom edge")
        let texts = drawn.marks.flatMap { mark -> [String] in
            if case .clipped(_, let inner) = mark {
                return inner.compactMap { if case .text(let spec, _) = $0 { spec.markup } else { nil } }
            }
            return []
        }
        #expect(texts.contains("step 1 leaves the axes"))
    }

    @Test func theOkabeItoPaletteColoursTheSeriesInOrder() {
        #expect(
            Palette.series(0) == Color(0x0072b2) && Palette.series(1) == Color(0xd55e00)
                && Palette.series(8) == Palette.series(0))
        let middle = Palette.color(0.5, in: Palette.ramp(.diverging))
        #expect(middle == Color(0xf7f7f7), "white means zero on the signed ramp")
    }
}
