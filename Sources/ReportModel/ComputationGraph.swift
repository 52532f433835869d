/// The part of a tape that leads to one node, as a figure: every node with its math name or
/// operation, its value and (backward view) its gradient, and the edges from inputs to the
/// nodes that read them. Built by `Notation.graph(of:)`; the renderer lays it out and draws it.
///
///     let graph = notation.graph(of: E_total, view: .backward, highlighting: [E_total, out_o1, net_o1, w5])
///     Figure("Gradients flow back from E_total", graph: graph)
public struct ComputationGraph: Sendable {
    public enum View: String, Sendable, CaseIterable {
        /// Values, arrows from inputs to what they feed.
        case forward
        /// Values and ∂output/∂node, arrows in the direction the gradient flows.
        case backward
    }

    public struct Node: Sendable {
        public enum Kind: Sendable {
            /// An input or parameter: nothing recorded before it.
            case leaf
            /// A computed node the lesson named.
            case named
            /// An unnamed intermediate: drawn small, as its operation.
            case operation
        }

        /// Unique within the graph (the tape's node id).
        public var id: Int
        public var kind: Kind
        /// The math name (leaves and named nodes) or the operation with its folded constants (× 0.5, ²).
        public var title: RichText
        public var value: RichText
        /// For a named computed node, the operation that made it (σ, +, × 0.5).
        public var operation: RichText?
        /// ∂output/∂node, in the backward view.
        public var gradient: RichText?
        /// On the highlighted chain.
        public var highlighted: Bool

        public init(
            id: Int, kind: Kind, title: RichText, operation: RichText? = nil, value: RichText,
            gradient: RichText? = nil,
            highlighted: Bool = false
        ) {
            self.id = id
            self.kind = kind
            self.title = title
            self.operation = operation
            self.value = value
            self.gradient = gradient
            self.highlighted = highlighted
        }
    }

    /// An input feeding a node (`from` is read by `to`).
    public struct Edge: Sendable, Equatable {
        public var from: Int
        public var to: Int
        public var highlighted: Bool
        public init(from: Int, to: Int, highlighted: Bool = false) {
            self.from = from
            self.to = to
            self.highlighted = highlighted
        }
    }

    /// Nodes drawn inside one titled box: a neuron's weighted sum and activation.
    public struct Group: Sendable {
        public var title: RichText
        public var members: [Int]
        public init(title: RichText, members: [Int]) {
            self.title = title
            self.members = members
        }
    }

    public var view: View
    /// Nodes in recording order; the output is the last.
    public var nodes: [Node]
    public var edges: [Edge]
    public var groups: [Group]
    /// What the gradients are derivatives of, for the legend: "∂E_total/∂·".
    public var gradientName: RichText?

    public init(view: View, nodes: [Node], edges: [Edge], groups: [Group] = [], gradientName: RichText? = nil) {
        self.view = view
        self.nodes = nodes
        self.edges = edges
        self.groups = groups
        self.gradientName = gradientName
    }
}
