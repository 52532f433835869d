import Foundation
import ReportModel

/// Draws a computation graph: Graphviz's `dot` places boxes measured with our typesetter, and
/// we draw the boxes, the text and the returned curves, so the graph looks like the page.
///
/// In a report the graph must fit the space given with type no smaller than 7 pt. It takes the
/// first arrangement that fits: every node, left to right or top to bottom, in at most 60% of
/// a page; then unnamed operations folded into the named nodes they feed; then every node in
/// the whole space; then type a step smaller; then only the nodes nearest the output, the cut
/// ones drawn dashed. A graph of its own (`bounds` nil) is drawn whole at its natural size.
///
///     let drawn = GraphDrawing(graph: graph, typesetter: typesetter, bounds: Size(463, 600)).draw()
///     drawn.size.width <= 463   // and drawn.smallestType >= 7
struct GraphDrawing {
    let graph: ComputationGraph
    let typesetter: Typesetter
    let bounds: Size?
    /// Whether a graph too big for `bounds` may be cut to the nodes nearest its output. A slide
    /// says what its figure shows (the chain for w_5 highlighted), so there the whole graph is
    /// drawn in the arrangement that shrinks least, and the slide scales it to fit.
    var mayCut = true

    /// What was drawn, with where each node and edge went (figure coordinates), for checking.
    struct Drawn {
        var marks: [Mark]
        var size: Size
        var nodes: [(id: Int, rect: Rect, shape: GraphLayout.Shape)]
        var edges: [(from: Int, to: Int, start: Point, end: Point)]
        var smallestType: Double
        var folded: Bool
        var direction: GraphLayout.Direction
    }

    func draw() -> Drawn {
        guard let bounds else {
            let both = [GraphLayout.Direction.leftToRight, .topToBottom].map { attempt(graph, direction: $0, scale: 1) }
            return both.min { max($0.size.width, $0.size.height) < max($1.size.width, $1.size.height) }!
        }
        let half = min(bounds.height, 0.62 * Page.a4.contentHeight)
        let foldable = graph.folded
        var plans: [(folded: Bool, scale: Double, height: Double)] = [(false, 1, half)]
        if foldable != nil { plans.append((true, 1, bounds.height)) }
        plans += [(false, 1, bounds.height), (false, 7 / 8, bounds.height)]
        if foldable != nil { plans.append((true, 7 / 8, bounds.height)) }
        for (folded, scale, height) in plans {
            let shown = folded ? foldable! : graph
            for direction in [GraphLayout.Direction.leftToRight, .topToBottom] {
                // dot costs milliseconds: skip an arrangement whose longest chain alone is too long.
                let sizes = boxes(shown, scale: scale, folded: folded).map(\.size)
                let limit = direction == .leftToRight ? bounds.width : height
                guard shortestRun(shown, sizes: sizes, direction: direction, scale: scale) <= limit else { continue }
                let drawn = attempt(shown, direction: direction, scale: scale, folded: folded)
                if drawn.size.width <= bounds.width && drawn.size.height <= height { return drawn }
            }
        }
        let base = foldable ?? graph
        guard mayCut else {
            // Whole, as large as it can be once scaled into the bounds.
            let arrangements = [GraphLayout.Direction.topToBottom, .leftToRight].flatMap { direction in
                [attempt(base, direction: direction, scale: 7 / 8, folded: foldable != nil)]
                    + (foldable == nil ? [] : [attempt(graph, direction: direction, scale: 7 / 8)])
            }
            func fit(_ drawn: Drawn) -> Double {
                min(bounds.width / drawn.size.width, bounds.height / drawn.size.height)
            }
            return arrangements.max { fit($0) < fit($1) }!
        }
        // Nothing fits whole: keep the nodes nearest the output, as many as fit.
        var best: Drawn? = nil
        for depth in stride(from: base.depth - 1, through: 1, by: -1) {
            let (near, cut) = base.nearest(depth)
            for direction in [GraphLayout.Direction.topToBottom, .leftToRight] {
                let drawn = attempt(near, direction: direction, scale: 7 / 8, folded: foldable != nil, cut: cut)
                best = best ?? drawn
                if drawn.size.width <= bounds.width && drawn.size.height <= bounds.height { return drawn }
            }
        }
        return best ?? attempt(graph, direction: .topToBottom, scale: 7 / 8)
    }

    // MARK: One arrangement

    private func rankGap(_ direction: GraphLayout.Direction, _ scale: Double) -> Double {
        (direction == .leftToRight ? 16 : 13) * scale
    }

    /// A lower bound on the graph's length along its ranks: the nodes of its longest chain sit
    /// in distinct ranks, one rank gap apart, whatever dot does with the rest.
    private func shortestRun(_ graph: ComputationGraph, sizes: [Size], direction: GraphLayout.Direction, scale: Double)
        -> Double
    {
        let index = Dictionary(uniqueKeysWithValues: graph.nodes.enumerated().map { ($1.id, $0) })
        var inputs = [[Int]](repeating: [], count: graph.nodes.count)
        for edge in graph.edges { inputs[index[edge.to]!].append(index[edge.from]!) }
        var run = [Double](repeating: 0, count: graph.nodes.count)
        // Nodes are in recording order, so every input comes before its reader.
        for k in graph.nodes.indices {
            let extent = direction == .leftToRight ? sizes[k].width : sizes[k].height
            run[k] = extent + (inputs[k].map { run[$0] + rankGap(direction, scale) }.max() ?? 0)
        }
        return run.max() ?? 0
    }

    /// Each node's text (its lines set as one centred block, each line in its own font),
    /// that text's size, the node's size and its shape.
    private func boxes(_ graph: ComputationGraph, scale: Double, folded: Bool)
        -> [(text: TextSpec, textSize: Size, size: Size, shape: GraphLayout.Shape)]
    {
        func font(_ f: Font) -> Font { Font(f.family, f.size * scale, bold: f.bold, italic: f.italic) }
        let valueFont = font(Theme.graphValue)
        return graph.nodes.map { node in
            var lines: [String] = []
            if !node.title.isEmpty {
                var title = Markup.font(
                    Markup.from(node.title), font(node.kind == .operation ? Theme.graphOperation : Theme.graphName))
                // Folded, a named node stands for several operations: its last one would mislead.
                if let operation = node.operation, !folded {
                    title =
                        Markup.font(Markup.colored(Markup.from(operation), Theme.muted), font(Theme.graphName)) + "  "
                        + title
                }
                lines.append(title)
            }
            lines.append(Markup.from(node.value))
            if let gradient = node.gradient { lines.append(Markup.colored(Markup.from(gradient), Theme.gradient)) }
            var text = TextSpec(
                markup: lines.joined(separator: "\n"), font: valueFont, color: Theme.ink, alignment: .center)
            let textSize = typesetter.measure(text)
            text.width = textSize.width  // centred lines need the block's width
            let shape: GraphLayout.Shape = node.kind == .operation ? .ellipse : .box
            let size =
                shape == .ellipse
                ? Size(textSize.width * 1.25 + 6, textSize.height * 1.25 + 2)
                : Size(textSize.width + 10 * scale, textSize.height + 5 * scale)
            return (text, textSize, size, shape)
        }
    }

    private func attempt(
        _ graph: ComputationGraph, direction: GraphLayout.Direction, scale: Double,
        folded: Bool = false, cut: Set<Int> = []
    ) -> Drawn {
        func font(_ f: Font) -> Font { Font(f.family, f.size * scale, bold: f.bold, italic: f.italic) }
        let output = graph.nodes.last?.id
        let boxes = self.boxes(graph, scale: scale, folded: folded)
        let index = Dictionary(uniqueKeysWithValues: graph.nodes.enumerated().map { ($1.id, $0) })
        let edges = graph.edges.map { (from: index[$0.from]!, to: index[$0.to]!) }
        let groups = graph.groups.filter { $0.members.compactMap { index[$0] }.count > 1 }
        let clusters = groups.map {
            GraphLayout.Cluster(
                members: $0.members.compactMap { index[$0] }, title: $0.title.plainText,
                titleSize: Theme.legend.size * scale)
        }
        let layout = GraphLayout(
            nodes: boxes.map { .init(size: $0.size, shape: $0.shape) }, edges: edges, clusters: clusters,
            direction: direction, arrowAtEnd: graph.view == .forward,
            nodeGap: 9 * scale, rankGap: rankGap(direction, scale),
            clusterMargin: 7 * scale, order: readingOrder(graph, index: index))

        var marks: [Mark] = []
        // Groups behind everything, titled in their top-left corner.
        var titles: [Mark] = []
        for (rect, group) in zip(layout.clusters, groups) {
            marks.append(.rect(rect, fill: Theme.groupFill, stroke: Theme.rule, lineWidth: 0.6, radius: 4, dash: 2))
            guard !group.title.isEmpty else { continue }
            // Over the edges, on a patch of the group's colour: an edge may cross the title's corner.
            let spec = typesetter.spec(group.title, font(Theme.legend), color: Theme.muted)
            let size = typesetter.measure(spec)
            titles.append(
                .rect(
                    Rect(rect.origin.x + 3, rect.origin.y + 2, size.width + 4, size.height), fill: Theme.groupFill,
                    radius: 1.5))
            titles.append(.text(spec, at: Point(rect.origin.x + 5, rect.origin.y + 2)))
        }
        var drawnEdges: [(from: Int, to: Int, start: Point, end: Point)] = []
        for (edge, curve) in zip(graph.edges, layout.curves) {
            let color = edge.highlighted ? Theme.highlight : graph.view == .backward ? Theme.gradientEdge : Theme.muted
            let width = edge.highlighted ? 1.7 : 0.8
            marks.append(.curve(curve.points, width: width, color: color))
            let base = curve.tipAtEnd ? curve.points.last! : curve.points.first!
            marks.append(.polygon(arrowhead(tip: curve.tip, from: base, wide: edge.highlighted), fill: color))
            drawnEdges.append((edge.from, edge.to, curve.start, curve.end))
        }
        marks += titles
        var drawnNodes: [(id: Int, rect: Rect, shape: GraphLayout.Shape)] = []
        for (k, node) in graph.nodes.enumerated() {
            let (text, textSize, size, shape) = boxes[k]
            let center = layout.centers[k]
            let rect = Rect(center.x - size.width / 2, center.y - size.height / 2, size.width, size.height)
            let (fill, stroke) = colors(node.kind, isOutput: node.id == output)
            let lineWidth = node.highlighted ? 1.7 : 0.8
            let outline = node.highlighted ? Theme.highlight : stroke
            let dash = cut.contains(node.id) ? 2.0 : 0
            marks.append(
                shape == .ellipse
                    ? .ellipse(rect, fill: fill, stroke: outline, lineWidth: lineWidth, dash: dash)
                    : .rect(
                        rect, fill: fill, stroke: outline, lineWidth: lineWidth, radius: node.kind == .leaf ? 0 : 3.5,
                        dash: dash))
            marks.append(.text(text, at: Point(center.x - textSize.width / 2, center.y - textSize.height / 2)))
            drawnNodes.append((node.id, rect, shape))
        }
        var size = layout.size
        if graph.view == .backward, let legend = legend(graph, width: bounds?.width ?? max(layout.size.width, 260)) {
            let legendSize = Size(typesetter.measure(legend).width, typesetter.measure(legend).height)
            // A legend wider than the graph: the graph moves to the middle above it.
            if legendSize.width > size.width {
                let shift = Point((legendSize.width - size.width) / 2, 0)
                marks = marks.map { $0.offset(by: shift) }
                drawnNodes = drawnNodes.map { ($0.id, $0.rect.offset(by: shift), $0.shape) }
                drawnEdges = drawnEdges.map { ($0.from, $0.to, $0.start + shift, $0.end + shift) }
            }
            marks.append(.text(legend, at: Point(0, size.height + 5)))
            size = Size(max(size.width, legendSize.width), size.height + 5 + legendSize.height)
        }
        return Drawn(
            marks: marks, size: size, nodes: drawnNodes, edges: drawnEdges,
            smallestType: min(Theme.graphValue.size * scale, Theme.legend.size), folded: folded, direction: direction)
    }

    /// Depth first from the output, each node after its inputs in their recorded order: w1, x1,
    /// w1·x1, w2, x2, … so that dot starts every rank in the order the formula reads.
    private func readingOrder(_ graph: ComputationGraph, index: [Int: Int]) -> [Int] {
        var inputs: [Int: [Int]] = [:]
        for edge in graph.edges { inputs[edge.to, default: []].append(edge.from) }
        var order: [Int] = []
        var seen = Set<Int>()
        func visit(_ id: Int) {
            guard seen.insert(id).inserted else { return }
            for input in inputs[id] ?? [] { visit(input) }
            order.append(index[id]!)
        }
        for node in graph.nodes.reversed() { visit(node.id) }
        return order
    }

    /// "value; ∂E_total/∂node, flowing back along the arrows", each in its colour, wrapped to `width`.
    private func legend(_ graph: ComputationGraph, width: Double) -> TextSpec? {
        guard let name = graph.gradientName else { return nil }
        var spec = typesetter.spec("Upper number: the value; ", Theme.legend, color: Theme.muted, width: width)
        spec.markup +=
            Markup.colored(Markup.from("lower number: " + name + ", the gradient"), Theme.gradient)
            + Markup.from(", which flows back along the arrows.")
        // Measured at its natural width when that is narrower, so it can be centred.
        let natural = typesetter.measure(TextSpec(markup: spec.markup, font: spec.font, color: spec.color))
        if natural.width <= width { spec.width = nil }
        return spec
    }

    private func arrowhead(tip: Point, from base: Point, wide: Bool) -> [Point] {
        let length = max(hypot(tip.x - base.x, tip.y - base.y), 0.001)
        let (dx, dy) = ((tip.x - base.x) / length, (tip.y - base.y) / length)
        let back = Point(tip.x - dx * 5.5, tip.y - dy * 5.5)
        let half = wide ? 2.8 : 2.3
        return [tip, Point(back.x - dy * half, back.y + dx * half), Point(back.x + dy * half, back.y - dx * half)]
    }

    private func colors(_ kind: ComputationGraph.Node.Kind, isOutput: Bool) -> (Color, Color) {
        if isOutput { return (Theme.outputFill, Theme.outputStroke) }
        return switch kind {
        case .leaf: (Theme.inputFill, Theme.inputStroke)
        case .named: (Theme.hiddenFill, Theme.hiddenStroke)
        case .operation: (Theme.operationFill, Theme.operationStroke)
        }
    }
}

extension ComputationGraph {
    /// The graph with its unnamed operations folded into the named nodes they feed (an edge
    /// runs from each input to the named node it reaches through them); nil when that would
    /// leave no named node between the inputs and the output, or nothing to fold.
    fileprivate var folded: ComputationGraph? {
        let output = nodes.last?.id
        guard nodes.contains(where: { $0.kind == .operation }),
            nodes.contains(where: { $0.kind == .named && $0.id != output })
        else { return nil }
        let kept = nodes.filter { $0.kind != .operation || $0.id == output }
        let keptIDs = Set(kept.map(\.id))
        // Walk down through folded operations, inputs in their recorded order, to the kept nodes they read.
        var foldedEdges: [Edge] = []
        func reach(_ id: Int, into node: Int, highlighted: Bool, seen: inout Set<Int>) {
            for edge in edges where edge.to == id {
                let marked = highlighted && edge.highlighted
                if keptIDs.contains(edge.from) {
                    if let i = foldedEdges.firstIndex(where: { $0.from == edge.from && $0.to == node }) {
                        foldedEdges[i].highlighted = foldedEdges[i].highlighted || marked
                    } else {
                        foldedEdges.append(Edge(from: edge.from, to: node, highlighted: marked))
                    }
                } else if seen.insert(edge.from).inserted {
                    reach(edge.from, into: node, highlighted: marked, seen: &seen)
                }
            }
        }
        for node in kept {
            var seen = Set<Int>()
            reach(node.id, into: node.id, highlighted: true, seen: &seen)
        }
        return ComputationGraph(
            view: view, nodes: kept, edges: foldedEdges,
            groups: groups.map { Group(title: $0.title, members: $0.members.filter(keptIDs.contains)) },
            gradientName: gradientName)
    }

    /// Steps from each node to the output, following edges forwards.
    fileprivate var distances: [Int: Int] {
        guard let output = nodes.last?.id else { return [:] }
        var distance = [output: 0]
        var frontier = [output]
        while !frontier.isEmpty {
            var next: [Int] = []
            for id in frontier {
                for edge in edges where edge.to == id && distance[edge.from] == nil {
                    distance[edge.from] = distance[id]! + 1
                    next.append(edge.from)
                }
            }
            frontier = next
        }
        return distance
    }

    fileprivate var depth: Int { (distances.values.max() ?? 0) + 1 }

    /// Only the nodes at most `depth` steps from the output; `cut` are those whose inputs were left out.
    fileprivate func nearest(_ depth: Int) -> (graph: ComputationGraph, cut: Set<Int>) {
        let distance = distances
        let keep = Set(nodes.map(\.id).filter { (distance[$0] ?? .max) <= depth })
        let cut = Set(edges.filter { keep.contains($0.to) && !keep.contains($0.from) }.map(\.to))
        return (
            ComputationGraph(
                view: view, nodes: nodes.filter { keep.contains($0.id) },
                edges: edges.filter { keep.contains($0.from) && keep.contains($0.to) },
                groups: groups.map { Group(title: $0.title, members: $0.members.filter(keep.contains)) },
                gradientName: gradientName), cut
        )
    }
}
