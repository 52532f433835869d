import CGraphviz
import Foundation
import Synchronization

/// Graphviz's `dot` laying out boxes we measured: it places nodes in ranks and routes edges as
/// Bézier curves; we draw everything ourselves. Coordinates come back in points, y down.
///
///     let layout = GraphLayout(nodes: [.init(size: Size(40, 20)), .init(size: Size(40, 20))], edges: [(0, 1)])
///     layout.centers[1]   // below or right of centers[0]
struct GraphLayout {
    enum Direction: String { case leftToRight = "LR", topToBottom = "TB" }
    enum Shape: String { case box, ellipse }

    struct Node {
        var size: Size
        var shape: Shape = .box
    }

    /// One edge: a cubic Bézier (3n + 1 points) from border to border, with the arrowhead's
    /// tip at the reading node (`atEnd`) or at the input.
    struct Curve {
        var points: [Point]
        var tip: Point
        var tipAtEnd: Bool
        /// Where the edge leaves its first node and where it meets its last, arrow included.
        var start: Point { tipAtEnd ? points[0] : tip }
        var end: Point { tipAtEnd ? tip : points[points.count - 1] }
    }

    private(set) var size = Size(0, 0)
    private(set) var centers: [Point] = []
    private(set) var curves: [Curve] = []
    private(set) var clusters: [Rect] = []

    /// `arrowAtEnd`: arrows point from input to reader (false: back along the edge, as gradients flow).
    /// A group of nodes drawn in one box, with room for a title of `titleSize` points at its top.
    struct Cluster {
        var members: [Int]
        var title: String
        var titleSize: Double
    }

    /// `order`: the order to hand nodes to dot in, which it starts each rank's order from
    /// (default: as given).
    init(
        nodes: [Node], edges: [(from: Int, to: Int)], clusters: [Cluster] = [], direction: Direction = .leftToRight,
        arrowAtEnd: Bool = true, nodeGap: Double = 10, rankGap: Double = 18, clusterMargin: Double = 8,
        order: [Int]? = nil
    ) {
        GraphLayout.graphviz.withLock { context in
            if context == nil { context = gvContext() }
            self.lay(
                nodes, edges, clusters, direction, arrowAtEnd, nodeGap, rankGap, clusterMargin,
                order ?? Array(nodes.indices), context!)
        }
    }

    /// Graphviz keeps global state: one layout at a time, in one context made once.
    private static let graphviz = Mutex<OpaquePointer?>(nil)

    private mutating func lay(
        _ nodes: [Node], _ edges: [(from: Int, to: Int)], _ groups: [Cluster], _ direction: Direction,
        _ arrowAtEnd: Bool, _ nodeGap: Double, _ rankGap: Double, _ clusterMargin: Double,
        _ order: [Int], _ context: OpaquePointer
    ) {
        // cgraph's `Agdirected`, built here: Swift 6 refuses to read a mutable C global.
        var directed = Agdesc_t()
        directed.directed = 1
        directed.maingraph = 1
        let graph = "g".withCString { agopen(UnsafeMutablePointer(mutating: $0), directed, nil) }!
        defer { agclose(graph) }
        set(graph, "rankdir", direction.rawValue)
        set(graph, "nodesep", inches(nodeGap))
        set(graph, "ranksep", inches(rankGap))
        set(graph, "splines", "spline")
        // Inputs keep their recorded order (x before z), so subtraction reads the right way round.
        set(graph, "ordering", "in")

        var subgraphs: [UnsafeMutablePointer<Agraph_t>] = []
        var home = [UnsafeMutablePointer<Agraph_t>](repeating: graph, count: nodes.count)
        for (k, group) in groups.enumerated() {
            let sub = "cluster_\(k)".withCString { agsubg(graph, UnsafeMutablePointer(mutating: $0), 1) }!
            set(sub, "margin", String(clusterMargin))
            // dot keeps clear the room a label of this size needs; we draw our own title there.
            if !group.title.isEmpty {
                set(sub, "label", group.title)
                set(sub, "fontsize", String(group.titleSize))
                set(sub, "labeljust", "l")
                set(sub, "labelloc", "t")
            }
            subgraphs.append(sub)
            for m in group.members { home[m] = sub }
        }
        var made = [UnsafeMutablePointer<Agnode_t>?](repeating: nil, count: nodes.count)
        for index in order {
            let node = nodes[index]
            let handle = "n\(index)".withCString { agnode(home[index], UnsafeMutablePointer(mutating: $0), 1) }!
            set(handle, "shape", node.shape.rawValue)
            set(handle, "fixedsize", "true")
            set(handle, "width", inches(node.size.width))
            set(handle, "height", inches(node.size.height))
            set(handle, "label", "")
            made[index] = handle
        }
        let handles = made.map { $0! }
        var edgeHandles = [UnsafeMutablePointer<Agedge_t>?](repeating: nil, count: edges.count)
        for k in edges.indices {
            let handle = agedge(graph, handles[edges[k].from], handles[edges[k].to], nil, 1)!
            set(handle, "dir", arrowAtEnd ? "forward" : "back")
            set(handle, "arrowsize", "0.55")
            edgeHandles[k] = handle
        }
        gvLayout(context, graph, "dot")
        defer { gvFreeLayout(context, graph) }
        attach_attrs(graph)

        let box = numbers(get(graph, "bb"))
        let height = box.count == 4 ? box[3] : 0
        size = Size(box.count == 4 ? box[2] : 0, height)
        func point(_ x: Double, _ y: Double) -> Point { Point(x, height - y) }
        centers = handles.map {
            let p = numbers(get($0, "pos"))
            return point(p[0], p[1])
        }
        curves = edgeHandles.map { handle in
            let handle = handle!
            var points: [Point] = []
            var tip: Point? = nil
            for token in get(handle, "pos").split(separator: " ") {
                let p = numbers(String(token.hasPrefix("e,") || token.hasPrefix("s,") ? token.dropFirst(2) : token))
                if token.hasPrefix("e,") || token.hasPrefix("s,") {
                    tip = point(p[0], p[1])
                } else {
                    points.append(point(p[0], p[1]))
                }
            }
            return Curve(points: points, tip: tip ?? points.last!, tipAtEnd: arrowAtEnd)
        }
        clusters = subgraphs.map { sub in
            let b = numbers(get(sub, "bb"))
            return Rect(b[0], height - b[3], b[2] - b[0], b[3] - b[1])
        }
    }

    private func inches(_ points: Double) -> String { String(points / 72) }

    private func numbers(_ text: String) -> [Double] { text.split(separator: ",").compactMap { Double($0) } }

    private func set(_ object: UnsafeMutableRawPointer?, _ name: String, _ value: String) {
        name.withCString { n in
            value.withCString { v in
                "".withCString { d in
                    _ = agsafeset(
                        object, UnsafeMutablePointer(mutating: n), UnsafeMutablePointer(mutating: v),
                        UnsafeMutablePointer(mutating: d))
                }
            }
        }
    }

    private func set<T>(_ object: UnsafeMutablePointer<T>, _ name: String, _ value: String) {
        set(UnsafeMutableRawPointer(object), name, value)
    }

    private func get<T>(_ object: UnsafeMutablePointer<T>, _ name: String) -> String {
        name.withCString { n in
            agget(UnsafeMutableRawPointer(object), UnsafeMutablePointer(mutating: n)).map { String(cString: $0) } ?? ""
        }
    }
}
