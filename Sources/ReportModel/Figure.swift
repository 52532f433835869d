/// A drawing with a caption. The report holds only the data; the renderer draws it.
///
///     Figure("The error during training", plot: Plot(x: "update", y: .init("E_{total}", scale: .logarithmic),
///                                                 layers: [.line(.init(points: curve))]))
public struct Figure: Sendable, ReportContent {
    public enum Content: Sendable {
        case network(NetworkDiagram)
        case plot(Plot)
        case panels(Panels)
        case graph(ComputationGraph)
    }

    public var caption: RichText
    public var content: Content
    /// "2", or "3.2" in chapter 3 of a handout: set by `Report.numbered(chapter:)`.
    public internal(set) var number = ""
    /// Its place among the report's figures, from 1: the index of its drawing in a writer's list.
    public internal(set) var ordinal = 0

    public init(_ caption: RichText, network: NetworkDiagram) {
        self.caption = caption
        self.content = .network(network)
    }

    public init(_ caption: RichText, plot: Plot) {
        self.caption = caption
        self.content = .plot(plot)
    }

    public init(_ caption: RichText, panels: Panels) {
        self.caption = caption
        self.content = .panels(panels)
    }

    public init(_ caption: RichText, graph: ComputationGraph) {
        self.caption = caption
        self.content = .graph(graph)
    }

    public var blocks: [Block] { [.figure(self)] }
}

/// A layered network: neurons in columns, left to right, and labeled connections.
///
///     NetworkDiagram(layers: [[.init("i_1"), .init("i_2")], [.init("h_1")]],
///                    connections: [.init(from: (0, 0), to: (1, 0), label: "w_1")])
public struct NetworkDiagram: Sendable {
    public struct Neuron: Sendable {
        public enum Kind: Sendable { case input, hidden, output, bias }
        public var name: RichText
        /// A value written beside the neuron (its output, say).
        public var detail: RichText?
        public var kind: Kind
        public init(_ name: RichText, detail: RichText? = nil, kind: Kind = .hidden) {
            self.name = name
            self.detail = detail
            self.kind = kind
        }
    }

    public struct Connection: Sendable {
        public var from: (layer: Int, index: Int)
        public var to: (layer: Int, index: Int)
        public var label: RichText
        /// Drawn in the accent colour (a weight that changed, say).
        public var emphasized: Bool
        public init(from: (Int, Int), to: (Int, Int), label: RichText, emphasized: Bool = false) {
            self.from = from
            self.to = to
            self.label = label
            self.emphasized = emphasized
        }
    }

    public var layers: [[Neuron]]
    public var connections: [Connection]

    public init(layers: [[Neuron]], connections: [Connection]) {
        self.layers = layers
        self.connections = connections
    }
}
