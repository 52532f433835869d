import Engine
import Foundation
import LessonKit
import Lessons
import MathNotation
import ReportModel
import Testing

@testable import Render

/// A seeded random expression on a tape: leaves, constants, every kind of operation, a few
/// labels, all of it feeding one output; `nodes` tape nodes make about 60 graph nodes once the
/// constants fold into their operations.
func randomExpression(seed: UInt64, nodes: Int = 112) -> (tape: Tape, output: Value) {
    var random = SeededGenerator(seed: seed)
    func pick(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
    let tape = Tape()
    var open = (1...6).map { tape.input(Double(pick(19)) / 10 - 0.9, "x\($0)") }
    while tape.count < nodes {
        let a = open.remove(at: pick(open.count))
        var v: Value
        switch pick(8) {
        case 0: v = a.sigmoid()
        case 1: v = a.tanh()
        case 2: v = a * Double(pick(9) + 1) / 4
        case 3: v = a.pow(2)
        default:
            let b = open.isEmpty ? tape.input(0.5, "u\(tape.count)") : open.remove(at: pick(open.count))
            v = [a + b, a - b, a * b][pick(3)]
        }
        if pick(5) == 0 { v.labeled("v\(tape.count)") }
        open.append(v)
        if pick(4) == 0 { open.append(tape.input(Double(pick(9)) / 10, "p\(tape.count)")) }
    }
    let output = open.dropFirst().reduce(open[0]) { $0 + $1 }.labeled("out")
    return (tape, output)
}

/// The graphs lessons print: backprop-example's E_total, logistic-regression's L and its
/// linear twin, and a random expression, each forward and backward.
let graphs: [(name: String, graph: ComputationGraph)] = {
    let backprop = try! Lesson.backpropExample.run(settings: ["iterations=1"]).recordings[0]
    let logistic = try! Lesson.logisticRegression.run(settings: []).recordings
    let matrix = try! Lesson.backpropMatrix.run(settings: ["iterations=1"]).recordings[0]
    let boundary = try! Lesson.decisionBoundary.run(settings: ["epochs=5"]).recordings[0]
    let random = randomExpression(seed: 42)
    let notation = Notation(tape: random.tape, format: NumberFormat(significantDigits: 6))
    let sources: [(String, Recording)] = [
        ("E_total", backprop), ("L", logistic[0]), ("linear.L", logistic[1]),
        ("random", Recording(notation: notation, output: random.output)),
        ("matrix E", matrix), ("decision-boundary L", boundary),
    ]
    return sources.flatMap { name, r in
        ComputationGraph.View.allCases.map { ("\(name) \($0)", r.graph(view: $0)) }
    }
}()

@Suite("Computation-graph layout on real tapes")
struct GraphLayoutTests {
    static let page = Size(Page.a4.contentWidth, Page.a4.contentHeight - 60)

    @Test(arguments: graphs.map(\.name))
    func fitsTheTextWidthLegibly(name: String) {
        let graph = graphs.first { $0.name == name }!.graph
        let drawn = GraphDrawing(graph: graph, typesetter: Typesetter(), bounds: Self.page).draw()
        #expect(drawn.size.width <= Page.a4.contentWidth, "\(name): \(drawn.size.width) pt wide")
        #expect(drawn.size.height <= Self.page.height, "\(name): \(drawn.size.height) pt tall")
        #expect(drawn.smallestType >= 7, "\(name): \(drawn.smallestType) pt type")
    }

    @Test(arguments: graphs.map(\.name))
    func noTwoNodeBoxesOverlap(name: String) {
        let graph = graphs.first { $0.name == name }!.graph
        let drawn = GraphDrawing(graph: graph, typesetter: Typesetter(), bounds: Self.page).draw()
        let rects = drawn.nodes.map(\.rect)
        for i in rects.indices {
            for j in rects.indices where j > i {
                let (a, b) = (rects[i], rects[j])
                let overlapX = min(a.origin.x + a.size.width, b.origin.x + b.size.width) - max(a.origin.x, b.origin.x)
                let overlapY = min(a.origin.y + a.size.height, b.origin.y + b.size.height) - max(a.origin.y, b.origin.y)
                #expect(
                    overlapX <= 0.5 || overlapY <= 0.5,
                    "\(name): nodes \(drawn.nodes[i].id) and \(drawn.nodes[j].id) overlap")
            }
        }
    }

    /// An edge's two ends lie on the borders of the nodes it joins: on the rectangle's edge, or
    /// on the ellipse (normalised radius 1), within 1.5 pt.
    @Test(arguments: graphs.map(\.name))
    func everyEdgeRunsFromBorderToBorder(name: String) throws {
        let graph = try #require(graphs.first { $0.name == name }).graph
        let drawn = GraphDrawing(graph: graph, typesetter: Typesetter(), bounds: Self.page).draw()
        let nodes = Dictionary(uniqueKeysWithValues: drawn.nodes.map { ($0.id, ($0.rect, $0.shape)) })
        #expect(drawn.edges.count == (drawn.folded ? drawn.edges.count : graph.edges.count))
        for edge in drawn.edges {
            for (id, point) in [(edge.from, edge.start), (edge.to, edge.end)] {
                let (rect, shape) = try #require(nodes[id])
                #expect(
                    onBorder(point, rect, shape),
                    "\(name): edge \(edge.from)→\(edge.to) ends at \(point), off node \(id) \(rect)")
            }
        }
    }

    func onBorder(_ p: Point, _ r: Rect, _ shape: GraphLayout.Shape, tolerance: Double = 1.5) -> Bool {
        let (cx, cy) = (r.origin.x + r.size.width / 2, r.origin.y + r.size.height / 2)
        let (a, b) = (r.size.width / 2, r.size.height / 2)
        switch shape {
        case .box:
            let inside = abs(p.x - cx) <= a + tolerance && abs(p.y - cy) <= b + tolerance
            let deepInside = abs(p.x - cx) < a - tolerance && abs(p.y - cy) < b - tolerance
            return inside && !deepInside
        case .ellipse:
            let outer = pow((p.x - cx) / (a + tolerance), 2) + pow((p.y - cy) / (b + tolerance), 2)
            let inner = pow((p.x - cx) / (a - tolerance), 2) + pow((p.y - cy) / (b - tolerance), 2)
            return outer <= 1 && inner >= 1
        }
    }

    @Test func theRandomExpressionIsAsLargeAsPromised() {
        let random = randomExpression(seed: 42)
        let graph = Notation(tape: random.tape, format: NumberFormat(significantDigits: 4)).graph(of: random.output)
        #expect((60...75).contains(graph.nodes.count), "\(graph.nodes.count) nodes")
    }

    @Test func aGraphOfItsOwnIsDrawnWhole() throws {
        let graph = graphs.first { $0.name == "E_total forward" }!.graph
        let drawn = GraphDrawing(graph: graph, typesetter: Typesetter(), bounds: nil).draw()
        #expect(!drawn.folded && drawn.nodes.count == graph.nodes.count)
        #expect(drawn.smallestType >= 7)
    }

    @Test func graphvizIsDeterministic() throws {
        let graph = graphs.first { $0.name == "L backward" }!.graph
        let first = try Drawing(Figure("g", graph: graph)).pdf()
        let second = try Drawing(Figure("g", graph: graph)).pdf()
        #expect(first == second)
        #expect(try Drawing(Figure("g", graph: graph)).svg() == Drawing(Figure("g", graph: graph)).svg())
    }
}
