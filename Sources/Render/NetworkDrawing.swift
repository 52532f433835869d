import Foundation
import Report

/// Draws a layered network as in the textbooks: neurons in columns, arrows between them,
/// each connection labeled near its source so labels of crossing arrows never meet.
struct NetworkDrawing {
    let network: NetworkDiagram
    let width: Double
    let typesetter: Typesetter

    private let radius = 17.0
    private let rowGap = 62.0

    func marks() -> (marks: [Mark], height: Double) {
        let tallest = network.layers.map(\.count).max() ?? 1
        let height = Double(tallest - 1) * rowGap + 2 * radius + 34
        let columnGap = (width - 120) / Double(max(network.layers.count - 1, 1))
        func center(_ layer: Int, _ index: Int) -> Point {
            let count = Double(network.layers[layer].count)
            return Point(60 + Double(layer) * columnGap, height / 2 - 8 + (Double(index) - (count - 1) / 2) * rowGap)
        }

        var edges: [Mark] = [], labels: [Mark] = [], nodes: [Mark] = []
        for connection in network.connections {
            let a = center(connection.from.layer, connection.from.index)
            let b = center(connection.to.layer, connection.to.index)
            let length = hypot(b.x - a.x, b.y - a.y)
            let (ux, uy) = ((b.x - a.x) / length, (b.y - a.y) / length)
            let bias = network.layers[connection.from.layer][connection.from.index].kind == .bias
            let start = Point(a.x + ux * radius, a.y + uy * radius)
            let end = Point(b.x - ux * (radius + 1), b.y - uy * (radius + 1))
            let color = bias ? Theme.biasStroke : connection.emphasized ? Theme.highlight : Theme.muted
            edges.append(.line(from: start, to: end, width: connection.emphasized ? 1.3 : 0.8, color: color, dash: bias ? 2.5 : 0))
            edges.append(.polygon(arrowhead(at: end, direction: (ux, uy)), fill: color))
            guard !connection.label.isEmpty else { continue }
            let label = typesetter.spec(connection.label, Theme.diagramSmall, color: Theme.ink)
            let size = typesetter.measure(label)
            let at = Point(start.x + ux * length * 0.24, start.y + uy * length * 0.24)
            let box = Rect(at.x - size.width / 2 - 2.5, at.y - size.height / 2 - 1, size.width + 5, size.height + 2)
            labels.append(.rect(box, fill: Theme.white, stroke: connection.emphasized ? Theme.highlight : Theme.faint,
                                lineWidth: connection.emphasized ? 0.8 : 0.5, radius: 2.5))
            labels.append(.text(label, at: Point(at.x - size.width / 2, at.y - size.height / 2)))
        }
        for (l, layer) in network.layers.enumerated() {
            for (i, neuron) in layer.enumerated() {
                let c = center(l, i)
                let (fill, stroke) = colors(neuron.kind)
                nodes.append(.circle(center: c, radius: neuron.kind == .bias ? radius - 3 : radius,
                                     fill: fill, stroke: stroke, lineWidth: 1))
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
        return (edges + labels + nodes, height)
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
