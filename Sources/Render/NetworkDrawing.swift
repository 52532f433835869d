import Foundation
import ReportModel

/// Draws a layered network as in the textbooks: neurons in columns, arrows between them,
/// each connection labeled near its source so labels of crossing arrows never meet, and far
/// enough along its arrow that the label clears both neurons (on a narrow slide too).
struct NetworkDrawing {
    let network: NetworkDiagram
    let width: Double
    let typesetter: Typesetter

    private let radius = 17.0
    private let rowGap = 62.0

    /// What was drawn, with where each label and neuron went, for checking.
    struct Drawn {
        var marks: [Mark]
        var height: Double
        var labels: [Rect]
        var neurons: [(center: Point, radius: Double)]
    }

    func marks() -> (marks: [Mark], height: Double) {
        let drawn = draw()
        return (drawn.marks, drawn.height)
    }

    func draw() -> Drawn {
        let tallest = network.layers.map(\.count).max() ?? 1
        let height = Double(tallest - 1) * rowGap + 2 * radius + 34
        // The outer columns sit as near the edges as their circles and the details under them
        // allow ("target 0.01"): the arrows between get the rest, and room for their labels.
        func reach(_ layer: [NetworkDiagram.Neuron]) -> Double {
            layer.map { neuron in
                max(
                    radius,
                    neuron.detail.map { typesetter.measure(typesetter.spec($0, Theme.diagramSmall)).width / 2 } ?? 0)
            }.max() ?? radius
        }
        let (left, right) = (reach(network.layers.first ?? []) + 4, reach(network.layers.last ?? []) + 4)
        let columnGap = (width - left - right) / Double(max(network.layers.count - 1, 1))
        func center(_ layer: Int, _ index: Int) -> Point {
            let count = Double(network.layers[layer].count)
            return Point(left + Double(layer) * columnGap, height / 2 - 8 + (Double(index) - (count - 1) / 2) * rowGap)
        }

        var edges: [Mark] = []
        var labels: [Mark] = []
        var nodes: [Mark] = []
        var labelBoxes: [Rect] = []
        var neurons: [(center: Point, radius: Double)] = []
        let circles = network.layers.enumerated().flatMap { l, layer in
            layer.indices.map { i in (center: center(l, i), radius: layer[i].kind == .bias ? radius - 3 : radius) }
        }
        for connection in network.connections {
            let a = center(connection.from.layer, connection.from.index)
            let b = center(connection.to.layer, connection.to.index)
            let length = hypot(b.x - a.x, b.y - a.y)
            let (ux, uy) = ((b.x - a.x) / length, (b.y - a.y) / length)
            let bias = network.layers[connection.from.layer][connection.from.index].kind == .bias
            let start = Point(a.x + ux * radius, a.y + uy * radius)
            let end = Point(b.x - ux * (radius + 1), b.y - uy * (radius + 1))
            let color = bias ? Theme.biasStroke : connection.emphasized ? Theme.highlight : Theme.muted
            edges.append(
                .line(
                    from: start, to: end, width: connection.emphasized ? 1.3 : 0.8, color: color, dash: bias ? 2.5 : 0))
            edges.append(.polygon(arrowhead(at: end, direction: (ux, uy)), fill: color))
            guard !connection.label.isEmpty else { continue }
            let label = typesetter.spec(connection.label, Theme.diagramSmall, color: Theme.ink)
            let size = typesetter.measure(label)
            // A quarter of the way along the arrow if that spot is free; else the free spot
            // nearest it, where the box touches no neuron and no label placed before it.
            let (halfWidth, halfHeight) = (size.width / 2 + 2.5, size.height / 2 + 1)
            let span = length - radius * 2 - 1
            let spots = stride(from: 0.24, through: 0.8, by: 0.02).flatMap { [$0, 0.48 - $0] }.filter { $0 >= 0.05 }.map
            { fraction -> Rect in
                let at = Point(start.x + ux * span * fraction, start.y + uy * span * fraction)
                return Rect(at.x - halfWidth, at.y - halfHeight, 2 * halfWidth, 2 * halfHeight)
            }
            let box =
                spots.first { spot in
                    !circles.contains { NetworkDrawing.overlaps(spot, $0.center, $0.radius + 1) }
                        && !labelBoxes.contains { NetworkDrawing.overlaps(spot, $0, gap: 1) }
                } ?? spots[0]
            let at = Point(box.origin.x + halfWidth, box.origin.y + halfHeight)
            labelBoxes.append(box)
            labels.append(
                .rect(
                    box, fill: Theme.white, stroke: connection.emphasized ? Theme.highlight : Theme.faint,
                    lineWidth: connection.emphasized ? 0.8 : 0.5, radius: 2.5))
            labels.append(.text(label, at: Point(at.x - size.width / 2, at.y - size.height / 2)))
        }
        for (l, layer) in network.layers.enumerated() {
            for (i, neuron) in layer.enumerated() {
                let c = center(l, i)
                let (fill, stroke) = colors(neuron.kind)
                nodes.append(
                    .circle(
                        center: c, radius: neuron.kind == .bias ? radius - 3 : radius,
                        fill: fill, stroke: stroke, lineWidth: 1))
                neurons.append((c, neuron.kind == .bias ? radius - 3 : radius))
                let name = typesetter.spec(neuron.name, Theme.diagram)
                let size = typesetter.measure(name)
                nodes.append(.text(name, at: Point(c.x - size.width / 2, c.y - size.height / 2)))
                if let detail = neuron.detail {
                    let spec = typesetter.spec(detail, Theme.diagramSmall, color: Theme.muted)
                    let width = typesetter.measure(spec).width
                    nodes.append(.text(spec, at: Point(c.x - width / 2, c.y + radius + 2)))
                }
            }
        }
        return Drawn(marks: edges + labels + nodes, height: height, labels: labelBoxes, neurons: neurons)
    }

    /// Whether a box and a circle share a point.
    static func overlaps(_ box: Rect, _ center: Point, _ radius: Double) -> Bool {
        let x = min(max(center.x, box.origin.x), box.origin.x + box.size.width)
        let y = min(max(center.y, box.origin.y), box.origin.y + box.size.height)
        return hypot(center.x - x, center.y - y) < radius
    }

    /// Whether two boxes come within `gap` of each other.
    static func overlaps(_ a: Rect, _ b: Rect, gap: Double) -> Bool {
        a.origin.x < b.origin.x + b.size.width + gap && b.origin.x < a.origin.x + a.size.width + gap
            && a.origin.y < b.origin.y + b.size.height + gap && b.origin.y < a.origin.y + a.size.height + gap
    }

    private func arrowhead(at tip: Point, direction d: (Double, Double)) -> [Point] {
        let (length, half) = (6.0, 2.6)
        let base = Point(tip.x - d.0 * length, tip.y - d.1 * length)
        return [tip, Point(base.x - d.1 * half, base.y + d.0 * half), Point(base.x + d.1 * half, base.y - d.0 * half)]
    }

    private func colors(_ kind: NetworkDiagram.Neuron.Kind) -> (Color, Color) {
        switch kind {
        case .input: (Theme.inputFill, Theme.inputStroke)
        case .hidden: (Theme.hiddenFill, Theme.hiddenStroke)
        case .output: (Theme.outputFill, Theme.outputStroke)
        case .bias: (Theme.biasFill, Theme.biasStroke)
        }
    }
}
