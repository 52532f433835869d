import Foundation
import Lessons
import ReportModel
import Testing

@testable import Render

/// Every plot of every lesson, drawn as the handout draws it: what shows data stays inside its
/// axes, and a legend card inside the axes covers none of it.
@Suite("Plots: marks inside their axes, legends over no data")
struct PlotBoundsTests {
    /// A mark's points in figure coordinates (segments sampled, so a line crossing a card counts).
    static func points(_ mark: Mark, scale: Double, at origin: Point) -> [Point] {
        func placed(_ p: Point) -> Point { Point(origin.x + p.x * scale, origin.y + p.y * scale) }
        func sampled(_ line: [Point]) -> [Point] {
            var out: [Point] = []
            for (a, b) in zip(line, line.dropFirst()) {
                for k in 0..<12 {
                    let t = Double(k) / 12
                    out.append(placed(Point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)))
                }
            }
            return out + line.suffix(1).map(placed)
        }
        switch mark {
        case .polyline(let line, _, _): return sampled(line)
        case .path(let lines, false, nil, _, _, _): return lines.flatMap(sampled)
        case .circle(let center, _, _, _, _): return [placed(center)]
        case .rect(let r, let fill?, _, _, _, _) where fill != Theme.white:
            // A bar: a grid of points over it.
            return (0...4).flatMap { i in
                (0...4).map { j in
                    placed(Point(r.origin.x + r.size.width * Double(i) / 4, r.origin.y + r.size.height * Double(j) / 4))
                }
            }
        default: return []
        }
    }

    /// The clipped groups (an axes' area and its data) and the legend cards, through any scaling.
    static func walk(
        _ marks: [Mark], scale: Double = 1, at origin: Point = Point(0, 0),
        areas: inout [(area: Rect, data: [Point])], cards: inout [Rect]
    ) {
        for mark in marks {
            switch mark {
            case .clipped(let rect, let inner):
                let area = Rect(
                    origin.x + rect.origin.x * scale, origin.y + rect.origin.y * scale, rect.size.width * scale,
                    rect.size.height * scale)
                areas.append((area, inner.flatMap { points($0, scale: scale, at: origin) }))
            case .scaled(let factor, let at, let inner):
                walk(
                    inner, scale: scale * factor, at: Point(origin.x + at.x * scale, origin.y + at.y * scale),
                    areas: &areas, cards: &cards)
            case .rect(let r, let fill, let stroke, _, _, _) where fill == Theme.white && stroke == Theme.faint:
                cards.append(
                    Rect(
                        origin.x + r.origin.x * scale, origin.y + r.origin.y * scale, r.size.width * scale,
                        r.size.height * scale))
            default: break
            }
        }
    }

    /// Lines and dots drawn outside every clipped group (scaled groups followed), in figure coordinates.
    static func unclipped(_ marks: [Mark], scale: Double = 1, at origin: Point = Point(0, 0), into loose: inout [Point])
    {
        for mark in marks {
            switch mark {
            case .clipped: break
            case .scaled(let factor, let at, let inner):
                unclipped(
                    inner, scale: scale * factor, at: Point(origin.x + at.x * scale, origin.y + at.y * scale),
                    into: &loose)
            case .polyline, .circle: loose += points(mark, scale: scale, at: origin)
            default: break
            }
        }
    }

    static func inside(_ p: Point, _ r: Rect, by margin: Double) -> Bool {
        p.x > r.origin.x + margin && p.x < r.origin.x + r.size.width - margin && p.y > r.origin.y + margin
            && p.y < r.origin.y + r.size.height - margin
    }

    @Test(arguments: Catalog.lessons.map(\.name))
    func everyPlotKeepsItsDataInsideItsAxesAndUnderNoLegend(name: String) throws {
        let lesson = try #require(Catalog.lesson(named: name))
        let report = lesson.run(try lesson.parameters(settings: [])).report
        let typesetter = Typesetter()
        for figure in SlideFigureTests.cells(report.blocks).compactMap({
            if case .figure(let f) = $0 { f } else { nil }
        }) {
            switch figure.content {
            case .plot, .panels: break
            default: continue
            }
            let drawn = typesetter.drawing(
                figure.content, width: Page.a4.contentWidth, height: Page.a4.contentHeight - 60)
            var (areas, cards) = ([(area: Rect, data: [Point])](), [Rect]())
            Self.walk(drawn.marks, areas: &areas, cards: &cards)
            #expect(!areas.isEmpty, "\(name): ‘\(figure.caption.plainText.prefix(40))’ has no axes' area")
            // Lines and dots drawn outside the clipped groups sit in an axes' area, on a legend card, or
            // below an area (a legend's row).
            var loose: [Point] = []
            Self.unclipped(drawn.marks, into: &loose)
            for p in loose where !cards.contains(where: { Self.inside(p, $0, by: -0.5) }) {
                #expect(
                    areas.contains { Self.inside(p, $0.area, by: -3) }
                        || areas.contains {
                            p.y > $0.area.origin.y + $0.area.size.height && p.x >= $0.area.origin.x - 1
                        },
                    "\(name): ‘\(figure.caption.plainText.prefix(40))’ draws data at \(p) outside its clipped axes")
            }
            for card in cards {
                // A card sits inside one axes' area and over none of the data shown there.
                let home = areas.first { Self.inside(Point(card.origin.x + 1, card.origin.y + 1), $0.area, by: 0) }
                #expect(home != nil, "\(name): a legend card outside every axes")
                for (area, data) in areas {
                    let covered = data.filter { Self.inside($0, area, by: 0) && Self.inside($0, card, by: 1) }
                    #expect(
                        covered.isEmpty,
                        """
                        \(name): the legend of ‘\(figure.caption.plainText.prefix(40))’ \
                        covers \(covered.count) data points
                        """
                    )
                }
            }
        }
    }

    /// The test sees a covered point: a legend card drawn over a line through it.
    @Test func theTestSeesALegendOverData() {
        var (areas, cards) = ([(area: Rect, data: [Point])](), [Rect]())
        Self.walk(
            [
                .clipped(
                    Rect(0, 0, 100, 100), [.polyline([Point(0, 50), Point(100, 50)], width: 1, color: Theme.ink)]),
                .rect(Rect(40, 40, 20, 20), fill: Theme.white, stroke: Theme.faint, lineWidth: 0.5, radius: 2),
            ], areas: &areas, cards: &cards)
        #expect(cards.count == 1 && areas[0].data.contains { Self.inside($0, cards[0], by: 1) })
    }
}
