/// A recording of every scalar computed: each node's label, operation, ordered inputs,
/// value and, after `backward(from:)`, gradient. Nodes are integers into flat arrays.
///
///     let tape = Tape(); let x = tape.input(3, "x")
///     let y = (x * x).labeled("y"); tape.backward(from: y)   // x.gradient == 6
public final class Tape {
    /// One recorded scalar: what made it, from which inputs, and its value.
    @usableFromInline struct Node: Sendable {
        @usableFromInline var value: Double
        /// Input node ids, in order; -1 where the primitive has fewer inputs.
        @usableFromInline var first: Int32, second: Int32
        @usableFromInline var primitive: Primitive

        @usableFromInline init(value: Double, first: Int32, second: Int32, primitive: Primitive) {
            (self.value, self.first, self.second, self.primitive) = (value, first, second, primitive)
        }
    }

    /// Every node in creation order: one contiguous block, one append per operation.
    @exclusivity(unchecked) @usableFromInline var nodes = NodeBuffer()
    /// ∂output/∂node for the output of the last `backward(from:)`.
    @exclusivity(unchecked) public internal(set) var gradients: [Double] = []
    /// Names, for the few nodes that have one.
    @exclusivity(unchecked) var labels = LabelTable()
    /// The first node whose value is NaN or ±∞: where numerical trouble started, as PyTorch's
    /// anomaly mode names it. Checked on every record, one comparison on the hot path.
    @exclusivity(unchecked) public internal(set) var firstNonFinite: Int?
    /// That node as a value, for its worked step.
    public var firstNonFiniteNode: Value? { firstNonFinite.map { Value(tape: self, id: $0) } }

    /// Where this tape's values find it (see `TapeRegistry`).
    @usableFromInline let slot: UInt32, generation: UInt32

    public init() {
        (slot, generation) = TapeRegistry.reserve()
        TapeRegistry.attach(self)
    }

    deinit {
        TapeRegistry.release(slot)
        nodes.deallocate()
    }

    /// An independent tape with the same record, for "what if" passes that must not disturb
    /// this one (backpropagating through updated weights while the report shows the old).
    public func copy() -> Tape {
        let copy = Tape()
        copy.nodes.deallocate()
        copy.nodes = nodes.copy()
        copy.gradients = gradients
        copy.labels = labels
        copy.firstNonFinite = firstNonFinite
        return copy
    }

    /// Number of recorded nodes.
    public var count: Int { nodes.count }

    /// Forgets every node but keeps the storage, so an iteration loop allocates nothing.
    public func clear() {
        nodes.removeAll()
        gradients.removeAll(keepingCapacity: true)
        labels.removeAll()
        firstNonFinite = nil
    }

    /// A leaf: a parameter or input of the example, named when the report will show it. A lesson
    /// may record one only for its name (a number the report and values.json read by label).
    @discardableResult
    public func input(_ value: Double, _ label: String) -> Value {
        let node = record(.input, value: value)
        labels[node.id] = label
        return node
    }

    /// An unnamed leaf, such as a weight in a training loop that no page shows.
    @inlinable public func input(_ value: Double) -> Value {
        record(.input, value: value)
    }

    /// An unnamed number written into a formula.
    @inlinable public func constant(_ value: Double) -> Value {
        record(.constant, value: value)
    }

    // Recording is inlinable so that a lesson's arithmetic compiles into its own code, a few
    // instructions and an append per node.
    @inlinable @inline(__always)
    func record(_ primitive: Primitive, _ first: Int = -1, _ second: Int = -1, value: Double) -> Value {
        nodes.append(
            Node(
                value: value, first: Int32(truncatingIfNeeded: first), second: Int32(truncatingIfNeeded: second),
                primitive: primitive))
        if !value.isFinite { noteNonFinite() }
        return Value(slot: slot, generation: generation, id: nodes.count - 1)
    }

    @usableFromInline func noteNonFinite() {
        if firstNonFinite == nil { firstNonFinite = nodes.count - 1 }
    }

    @inlinable @inline(__always)
    func apply(_ primitive: Primitive, _ x: Value, _ z: Value) -> Value {
        precondition(x.isOn(self) && z.isOn(self), "values from different tapes")
        return record(primitive, x.id, z.id, value: primitive.rule(nodes[x.id].value, nodes[z.id].value).y)
    }

    @inlinable @inline(__always)
    func apply(_ primitive: Primitive, _ x: Value) -> Value {
        precondition(x.isOn(self), "value from a different tape")
        return record(primitive, x.id, value: primitive.rule(nodes[x.id].value, 0).y)
    }

    // MARK: Reading the record

    public func value(of id: Int) -> Double { nodes[id].value }
    /// 0 for nodes the last backward pass did not reach.
    public func gradient(of id: Int) -> Double { id < gradients.count ? gradients[id] : 0 }
    public func label(of id: Int) -> String? { labels[id] }
    public func primitive(of id: Int) -> Primitive { nodes[id].primitive }
    /// The node's inputs in order.
    public func inputs(of id: Int) -> [Int] {
        let node = nodes[id]
        return [node.first, node.second].prefix(node.primitive.arity).map(Int.init)
    }
    public func setLabel(_ label: String?, of id: Int) { labels[id] = label }

    /// The first node at or after `id` that reads `id`, directly or through unnamed nodes, and has
    /// a label: how to name an unnamed node ("inside E_total"). Nil if nothing labeled uses it.
    public func labeledConsumer(of id: Int) -> Int? {
        labels.firstLabeledConsumer(of: id, among: nodes.count, inputs: inputs(of:))
    }

    /// The last node carrying `label`, if any.
    public func node(labeled label: String) -> Value? {
        labels.lastNode(labeled: label).map { Value(tape: self, id: $0) }
    }

    /// Every labeled node in creation order.
    public var labeledNodes: [(label: String, id: Int)] { labels.inCreationOrder }

    /// Replaces a leaf's value without re-running the forward pass: later nodes keep their
    /// values, but every local derivative that reads the leaf sees the new one. This is what
    /// an update rule that backpropagates through freshly updated weights needs.
    public func assign(_ value: Double, to leaf: Value) {
        precondition(nodes[leaf.id].primitive == .input, "only input leaves can be reassigned")
        nodes[leaf.id].value = value
        if !value.isFinite && firstNonFinite.map({ leaf.id < $0 }) ?? true { firstNonFinite = leaf.id }
    }

    // MARK: Backward

    /// Fills `gradients` with ∂output/∂node for every node recorded up to `output`.
    /// Gradients are zeroed first, so calling it twice gives the same result.
    public func backward(from output: Value) {
        if gradients.count != nodes.count {
            gradients.removeAll(keepingCapacity: true)
            gradients.append(contentsOf: repeatElement(0, count: nodes.count))
        }
        sweep(from: output.id, into: &gradients)
    }

    /// ∂y/∂x along every path between them, leaving `gradients` untouched.
    public func derivative(of y: Value, withRespectTo x: Value) -> Double {
        guard x.id <= y.id else { return 0 }
        // Only nodes x … y can carry y's gradient to x (every consumer comes after its inputs),
        // so the scratch holds that range alone: a growing tape queried every step (Descent)
        // costs the range, not the whole tape, each time.
        let base = x.id
        var scratch = [Double](repeating: 0, count: y.id - base + 1)
        do {
            let nodes = UnsafeBufferPointer(start: nodes.base, count: nodes.count)
            scratch.withUnsafeMutableBufferPointer { g in
                g[y.id - base] = 1
                var i = y.id
                while i > base {
                    let upstream = g[i - base]
                    if upstream != 0 {
                        let local = Tape.local(nodes, i)
                        if local.first >= base { g[local.first - base] += local.dFirst * upstream }
                        if local.second >= base { g[local.second - base] += local.dSecond * upstream }
                    }
                    i -= 1
                }
            }
        }
        return scratch[0]
    }

    /// Node i's inputs and its local derivatives with respect to each (an absent input is −1).
    @inline(__always)
    private static func local(_ nodes: UnsafeBufferPointer<Node>, _ i: Int) -> (
        first: Int, dFirst: Double, second: Int, dSecond: Double
    ) {
        let node = nodes[i]
        let (x, z) = (Int(node.first), Int(node.second))
        switch node.primitive.arity {
        case 2:
            let rule = node.primitive.rule(nodes[x].value, nodes[z].value)
            return (x, rule.dx, z, rule.dz)
        case 1:
            // σ, tanh and exp take their derivative from the recorded output, unless their
            // input is a leaf that may have been reassigned since.
            let y = nodes[x].primitive == .input ? nil : node.value
            return (x, node.primitive.rule(nodes[x].value, 0, y: y).dx, -1, 0)
        default:
            return (-1, 0, -1, 0)
        }
    }

    /// Reverse-mode accumulation in one loop over creation order, newest first: a node's
    /// gradient is complete before it is read because every consumer was created after it.
    private func sweep(from output: Int, into gradient: inout [Double]) {
        do {
            let nodes = UnsafeBufferPointer(start: nodes.base, count: nodes.count)
            gradient.withUnsafeMutableBufferPointer { g in
                for i in g.indices { g[i] = 0 }
                g[output] = 1
                var i = output
                while i > 0 {
                    let upstream = g[i]
                    let local = Tape.local(nodes, i)
                    if local.first >= 0 { g[local.first] += local.dFirst * upstream }
                    if local.second >= 0 { g[local.second] += local.dSecond * upstream }
                    i -= 1
                }
            }
        }
    }
}
