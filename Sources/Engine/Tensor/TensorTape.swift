/// A recording of tensor computations, built like the scalar `Tape`: nodes in one array, in
/// creation order, each with its operation, its inputs and its shape; labels kept apart; one
/// backward sweep from the newest node to the oldest.
///
/// Why a second tape rather than scalars as 0-d tensors: the scalar tape records an operation in
/// about 15 ns, which the 2-2-2 lessons' training loops rely on; a shape and a storage offset per
/// node would cost several times that. So the two tapes share their structure, not their code.
/// Here every node's values sit in one contiguous arena (and its gradient at the same offset in a
/// second one), so recording allocates nothing per element and `clear()` keeps the memory for the
/// next iteration.
///
///     let tape = TensorTape()
///     let W = tape.input([[0.15, 0.2], [0.25, 0.3]], "W1"), x = tape.input([[0.05], [0.1]], "x")
///     let z = (W.matmul(x) + 0.35).labeled("z1"); tape.backward(from: z.sigmoid().sum())
public final class TensorTape {
    /// One recorded tensor: plain values only, so the node array holds no references to count.
    struct Node: Sendable {
        var op: TensorOp
        /// The inputs (−1 where there are fewer); a concatenation's are in `joined[Int(first)]`.
        var first: Int32, second: Int32
        var shape: Shape
        /// Where the values (and gradients) start in the arenas.
        var offset: Int
        /// Where this node's saved auxiliary numbers start (masks, probabilities, statistics).
        var auxiliary: Int
    }

    @exclusivity(unchecked) var nodes: [Node] = []
    /// The inputs of each concatenation, which may be many.
    @exclusivity(unchecked) var joined: [[Int]] = []
    @exclusivity(unchecked) var values: [Double] = []
    @exclusivity(unchecked) var gradients: [Double] = []
    @exclusivity(unchecked) var auxiliary: [Double] = []
    @exclusivity(unchecked) var labels = LabelTable()
    /// The node the last `backward(from:)` started at.
    var backwardOrigin: Int?
    /// The first node with a NaN or ±∞ among its values: where numerical trouble started.
    @exclusivity(unchecked) public internal(set) var firstNonFinite: Int?
    /// That node as a tensor, for its worked step.
    public var firstNonFiniteNode: Tensor? { firstNonFinite.map { Tensor(tape: self, id: $0) } }

    public init() {}

    public var count: Int { nodes.count }

    /// An independent tape with the same record, for a backward pass that must not disturb this one.
    public func copy() -> TensorTape {
        let copy = TensorTape()
        (copy.nodes, copy.joined, copy.values, copy.gradients) = (nodes, joined, values, gradients)
        (copy.auxiliary, copy.labels, copy.firstNonFinite) = (auxiliary, labels, firstNonFinite)
        return copy
    }

    /// Forgets every node but keeps the storage, so a training loop allocates nothing.
    public func clear() {
        nodes.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        gradients.removeAll(keepingCapacity: true)
        auxiliary.removeAll(keepingCapacity: true)
        joined.removeAll(keepingCapacity: true)
        labels.removeAll()
        backwardOrigin = nil
        firstNonFinite = nil
    }

    /// A leaf: data or a parameter, named when the report will show it.
    public func input(_ array: NDArray, _ label: String? = nil) -> Tensor {
        let t = record(.leaf, shape: array.shape) { out, _, _ in
            array.scalars.withUnsafeBufferPointer { source in _ = out.initialize(from: source) }
        }
        if let label { labels[t.id] = label }
        return t
    }

    public func input(_ rows: [[Double]], _ label: String? = nil) -> Tensor { input(NDArray(rows), label) }

    public func input(vector: [Double], _ label: String? = nil) -> Tensor {
        input(NDArray(shape: [vector.count], scalars: vector), label)
    }

    public func scalar(_ x: Double, _ label: String? = nil) -> Tensor {
        let t = record(.leaf, shape: .scalar) { out, _, _ in out[0] = x }
        if let label { labels[t.id] = label }
        return t
    }

    /// Appends a node of `shape` and `auxiliaryCount` saved numbers, and fills them with `fill`,
    /// which gets the output, the whole value arena (inputs are read from it) and the saved slots.
    @discardableResult
    func record(
        _ op: TensorOp, _ a: Tensor? = nil, _ b: Tensor? = nil, joining parts: [Tensor]? = nil, shape: Shape,
        auxiliaryCount: Int = 0,
        _ fill: (UnsafeMutableBufferPointer<Double>, UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) ->
            Void
    ) -> Tensor {
        precondition(
            (a == nil || a!.tape === self) && (b == nil || b!.tape === self)
                && (parts ?? []).allSatisfy { $0.tape === self },
            "\(op.name): a tensor from another tape")
        let offset = values.count
        let aux = auxiliary.count
        values.append(contentsOf: repeatElement(0, count: shape.count))
        auxiliary.append(contentsOf: repeatElement(0, count: auxiliaryCount))
        var first = Int32(a?.id ?? -1)
        if let parts {
            first = Int32(joined.count)
            joined.append(parts.map(\.id))
        }
        nodes.append(
            Node(op: op, first: first, second: Int32(b?.id ?? -1), shape: shape, offset: offset, auxiliary: aux))
        values.withUnsafeMutableBufferPointer { arena in
            auxiliary.withUnsafeMutableBufferPointer { saved in
                let out = UnsafeMutableBufferPointer(rebasing: arena[offset..<(offset + shape.count)])
                let slots = UnsafeMutableBufferPointer(rebasing: saved[aux..<(aux + auxiliaryCount)])
                fill(out, UnsafeBufferPointer(arena), slots)
                if firstNonFinite == nil && !out.allSatisfy(\.isFinite) { firstNonFinite = nodes.count - 1 }
            }
        }
        return Tensor(tape: self, id: nodes.count - 1)
    }

    // MARK: Reading the record

    public func shape(of id: Int) -> Shape { nodes[id].shape }
    public func label(of id: Int) -> String? { labels[id] }
    public func setLabel(_ label: String?, of id: Int) { labels[id] = label }

    /// The first labeled node at or after `id` that reads it, directly or through unnamed nodes.
    public func labeledConsumer(of id: Int) -> Int? {
        labels.firstLabeledConsumer(of: id, among: nodes.count, inputs: inputs(of:))
    }

    public func inputs(of id: Int) -> [Int] {
        let node = nodes[id]
        if node.op.joinsInputs { return joined[Int(node.first)] }
        return [node.first, node.second].filter { $0 >= 0 }.map(Int.init)
    }
    public func operation(of id: Int) -> TensorOp { nodes[id].op }

    public func value(of id: Int) -> NDArray {
        let node = nodes[id]
        return NDArray(shape: node.shape, scalars: Array(values[node.offset..<(node.offset + node.shape.count)]))
    }

    /// ∂output/∂node from the last backward pass (zeros if it did not reach the node).
    public func gradient(of id: Int) -> NDArray {
        let node = nodes[id]
        guard node.offset + node.shape.count <= gradients.count else {
            return NDArray(shape: node.shape, scalars: .init(repeating: 0, count: node.shape.count))
        }
        return NDArray(shape: node.shape, scalars: Array(gradients[node.offset..<(node.offset + node.shape.count)]))
    }

    /// The last node carrying `label`, if any.
    public func node(labeled label: String) -> Tensor? {
        labels.lastNode(labeled: label).map { Tensor(tape: self, id: $0) }
    }

    /// Every labeled node in creation order.
    public var labeledNodes: [(label: String, id: Int)] { labels.inCreationOrder }

    // MARK: Backward

    /// Fills the gradients with ∂output/∂node for every node up to `output`, which must hold a
    /// single number (a loss). Each node's gradient is complete before it is read, because every
    /// node that reads it was recorded after it.
    public func backward(from output: Tensor) {
        precondition(output.tape === self, "backward from a tensor of another tape")
        precondition(
            output.shape.count == 1,
            "backward needs a single number to differentiate, not a \(output.shape) tensor; sum or average it first")
        gradients.removeAll(keepingCapacity: true)
        gradients.append(contentsOf: repeatElement(0, count: values.count))
        gradients[nodes[output.id].offset] = 1
        backwardOrigin = output.id
        values.withUnsafeBufferPointer { value in
            gradients.withUnsafeMutableBufferPointer { gradient in
                auxiliary.withUnsafeBufferPointer { saved in
                    nodes.withUnsafeBufferPointer { nodes in
                        for id in stride(from: output.id, through: 0, by: -1) where nodes[id].op != .leaf {
                            nodes[id].op.backward(
                                node: nodes[id], nodes: nodes, joined: joined, value: value, gradient: gradient,
                                saved: saved)
                        }
                    }
                }
            }
        }
    }
}

/// A handle on one tensor node. Operations on tensors record new nodes on their tape.
///
///     let z = (W.matmul(a) + b).labeled("z2")
///     z.value.rows   // [[1.1059…], [1.2249…]]
public struct Tensor {
    public let tape: TensorTape
    public let id: Int

    /// Node `id` of `tape`, as `Value(tape:id:)` is for a scalar: unchecked, since every
    /// recorded operation makes one (`on(_:)` checks a node taken to another tape).
    public init(tape: TensorTape, id: Int) { (self.tape, self.id) = (tape, id) }

    public var shape: Shape { tape.shape(of: id) }
    public var value: NDArray { tape.value(of: id) }
    public var gradient: NDArray { tape.gradient(of: id) }
    public var label: String? { tape.label(of: id) }

    @discardableResult
    public func labeled(_ label: String) -> Tensor {
        tape.setLabel(label, of: id)
        return self
    }

    /// The same node on a copy of its tape.
    public func on(_ copy: TensorTape) -> Tensor {
        precondition(id < copy.count, "the tape holds no node \(id)")
        return Tensor(tape: copy, id: id)
    }
}

/// A tensor's numbers, detached from any tape: a shape and its scalars in row-major order.
///
///     NDArray([[1, 2], [3, 4]]).rows   // [[1, 2], [3, 4]]
public struct NDArray: Sendable, Equatable {
    public let shape: Shape
    public let scalars: [Double]

    public init(shape: Shape, scalars: [Double]) {
        precondition(
            shape.count == scalars.count, "a \(shape) array holds \(shape.count) numbers, not \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// A matrix from its rows, which must all be as long.
    public init(_ rows: [[Double]]) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "every row of a matrix needs the same length")
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    /// The array as rows: a vector is one row, a matrix its rows; higher ranks flatten their
    /// outer axes.
    public var rows: [[Double]] {
        guard shape.rank >= 2 else { return [scalars] }
        let columns = shape.last
        return stride(from: 0, to: scalars.count, by: max(columns, 1)).map {
            Array(scalars[$0..<min($0 + columns, scalars.count)])
        }
    }

    public subscript(index: Int...) -> Double {
        scalars[zip(index, shape.strides).map(*).reduce(0, +)]
    }
}
