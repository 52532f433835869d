import Engine
import ReportModel

/// A result's follow-through program read off a tape: the stretch of the tape between the result
/// and its nearest labeled ancestors, copied as values so the answer outlives the tape.
///
///     Carry.program(of: out_o1.id, on: tape)?.inputs     // ["net_o1"]
///     Carry.derivative(of: L.id, withRespectTo: a.id, on: tape)
extension Carry {
    /// The most operations a program copies: a step of a long loop is not worth carrying.
    static let mostOperations = 4000

    /// The program of `node` on `tape`: back from it to the nearest labeled nodes; nil when the
    /// node is itself a leaf, or the stretch is longer than `mostOperations`.
    public static func program(of node: Int, on tape: Tape) -> Carry? {
        guard tape.primitive(of: node).arity > 0, let program = copy(node, on: tape, through: nil) else { return nil }
        return .program(program)
    }

    /// ∂node/∂x as a program: the stretch back from `node` goes on through labeled nodes that
    /// depend on x (a between L and z), so that x is one of its leaves.
    public static func derivative(of node: Int, withRespectTo x: Int, on tape: Tape) -> Carry? {
        guard x < node, tape.label(of: x) != nil, let program = copy(node, on: tape, through: x),
            let leaf = program.leaves.firstIndex(where: { $0.label == tape.label(of: x) })
        else { return nil }
        return .derivative(program, leaf: leaf)
    }

    /// Whether `node` is computed from `x`, memoised over the nodes between them.
    private static func depends(_ node: Int, on x: Int, tape: Tape, known: inout [Int: Bool]) -> Bool {
        if node == x { return true }
        if node < x { return false }
        if let answer = known[node] { return answer }
        let answer = tape.inputs(of: node).contains { depends($0, on: x, tape: tape, known: &known) }
        known[node] = answer
        return answer
    }

    private static func copy(_ node: Int, on tape: Tape, through x: Int?) -> Program? {
        var known: [Int: Bool] = [:]
        var leaves: [(label: String, value: Double)] = []
        var leafIndex: [Int: Int] = [:]
        var inner: Set<Int> = []
        var stack = [node]
        while let id = stack.popLast() {
            guard !inner.contains(id) && leafIndex[id] == nil else { continue }
            if id != node, let label = tape.label(of: id),
                !(x.map { id > $0 && depends(id, on: $0, tape: tape, known: &known) } ?? false)
            {
                leafIndex[id] = leaves.count
                leaves.append((label, tape.value(of: id)))
                continue
            }
            inner.insert(id)
            if inner.count > mostOperations { return nil }
            stack += tape.inputs(of: id)
        }
        // Recording order is a topological order: inputs always come before their consumers.
        var index = leafIndex
        var operations: [(primitive: Primitive, x: Int, z: Int, constant: Double)] = []
        for id in inner.sorted() {
            let inputs = tape.inputs(of: id)
            let primitive = tape.primitive(of: id)
            index[id] = leaves.count + operations.count
            operations.append(
                (
                    primitive, inputs.count > 0 ? index[inputs[0]]! : -1, inputs.count > 1 ? index[inputs[1]]! : -1,
                    primitive.arity == 0 ? tape.value(of: id) : 0
                ))
        }
        return Program(leaves: leaves, operations: operations)
    }
}
