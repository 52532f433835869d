/// A recording of every scalar computed: each node's label, operation, ordered inputs,
/// value and, after `backward(from:)`, gradient. Nodes are integers into flat arrays.
///
///     let tape = Tape(); let x = tape.input(3, "x")
///     let y = (x * x).labeled("y"); tape.backward(from: y)   // x.gradient == 6
public final class Tape {
    /// Value of each node, in creation order.
    public private(set) var values: [Double] = []
    /// ∂(output)/∂(node) for the output of the last `backward(from:)`.
    public private(set) var gradients: [Double] = []
    @usableFromInline var operations: [Operation] = []
    /// Input node ids (x, z); -1 where the operation has fewer inputs.
    @usableFromInline var inputPairs: [(x: Int32, z: Int32)] = []
    @usableFromInline var labels: [String?] = []

    public init() {}

    /// An independent tape with the same record, for "what if" passes that must not disturb
    /// this one (backpropagating through updated weights while the report shows the old).
    public func copy() -> Tape {
        let copy = Tape()
        copy.values = values
        copy.gradients = gradients
        copy.operations = operations
        copy.inputPairs = inputPairs
        copy.labels = labels
        return copy
    }

    /// Number of recorded nodes.
    public var count: Int { values.count }

    /// Forgets every node but keeps the storage, so an iteration loop allocates nothing.
    public func clear() {
        values.removeAll(keepingCapacity: true)
        gradients.removeAll(keepingCapacity: true)
        operations.removeAll(keepingCapacity: true)
        inputPairs.removeAll(keepingCapacity: true)
        labels.removeAll(keepingCapacity: true)
    }

    /// A named leaf: a parameter or input of the example.
    public func input(_ value: Double, _ label: String) -> Value {
        record(.input, value: value, label: label)
    }

    /// An unnamed number written into a formula.
    public func constant(_ value: Double) -> Value {
        record(.constant, value: value)
    }

    @inline(__always)
    func record(_ operation: Operation, _ x: Int = -1, _ z: Int = -1, value: Double, label: String? = nil) -> Value {
        values.append(value)
        gradients.append(0)
        operations.append(operation)
        inputPairs.append((Int32(truncatingIfNeeded: x), Int32(truncatingIfNeeded: z)))
        labels.append(label)
        return Value(tape: self, id: values.count - 1)
    }

    @inline(__always)
    func apply(_ operation: Operation, _ x: Value, _ z: Value) -> Value {
        precondition(x.tape === self && z.tape === self, "values from different tapes")
        return record(operation, x.id, z.id, value: operation.rule(values[x.id], values[z.id]).y)
    }

    @inline(__always)
    func apply(_ operation: Operation, _ x: Value) -> Value {
        precondition(x.tape === self, "value from a different tape")
        return record(operation, x.id, value: operation.rule(values[x.id], 0).y)
    }

    // MARK: Reading the record

    public func label(of id: Int) -> String? { labels[id] }
    public func operation(of id: Int) -> Operation { operations[id] }
    /// The node's inputs in order (x, then z).
    public func inputs(of id: Int) -> [Int] {
        let (x, z) = inputPairs[id]
        return operations[id].arity == 2 ? [Int(x), Int(z)] : operations[id].arity == 1 ? [Int(x)] : []
    }
    public func setLabel(_ label: String?, of id: Int) { labels[id] = label }

    /// The last node carrying `label`, if any.
    public func node(labeled label: String) -> Value? {
        labels.lastIndex(of: label).map { Value(tape: self, id: $0) }
    }

    /// Every labeled node in creation order.
    public var labeledNodes: [(label: String, id: Int)] {
        labels.indices.compactMap { i in labels[i].map { ($0, i) } }
    }

    /// Replaces a leaf's value without re-running the forward pass: later nodes keep their
    /// values, but every local derivative that reads the leaf sees the new one. This is what
    /// an update rule that backpropagates through freshly updated weights needs.
    public func assign(_ value: Double, to leaf: Value) {
        precondition(operations[leaf.id] == .input, "only input leaves can be reassigned")
        values[leaf.id] = value
    }

    // MARK: Backward

    /// Fills `gradients` with ∂output/∂node for every node recorded up to `output`.
    /// Gradients are zeroed first, so calling it twice gives the same result.
    public func backward(from output: Value) {
        sweep(from: output.id, into: &gradients)
    }

    /// ∂y/∂x along every path between them, leaving `gradients` untouched.
    public func derivative(of y: Value, withRespectTo x: Value) -> Double {
        guard x.id <= y.id else { return 0 }
        var scratch = [Double](repeating: 0, count: y.id + 1)
        sweep(from: y.id, into: &scratch, stoppingAt: x.id)
        return scratch[x.id]
    }

    /// Reverse-mode accumulation in one loop over creation order, newest first: a node's
    /// gradient is complete before it is read because every consumer was created after it.
    private func sweep(from output: Int, into gradient: inout [Double], stoppingAt lowest: Int = 0) {
        values.withUnsafeBufferPointer { v in
            operations.withUnsafeBufferPointer { op in
                inputPairs.withUnsafeBufferPointer { xz in
                    gradient.withUnsafeMutableBufferPointer { g in
                        for i in g.indices { g[i] = 0 }
                        g[output] = 1
                        var i = output
                        while i > lowest {
                            let upstream = g[i]
                            let (x, z) = (Int(xz[i].x), Int(xz[i].z))
                            switch op[i].arity {
                            case 2:
                                let rule = op[i].rule(v[x], v[z])
                                g[x] += rule.dx * upstream
                                g[z] += rule.dz * upstream
                            case 1:
                                g[x] += op[i].rule(v[x], 0).dx * upstream
                            default: break
                            }
                            i -= 1
                        }
                    }
                }
            }
        }
    }
}
