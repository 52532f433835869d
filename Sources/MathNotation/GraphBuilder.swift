import Engine
import ReportModel

extension Notation {
    /// The subgraph of the tape that leads to `output`, ready to draw: named nodes by their
    /// math name, unnamed ones as their operation, unnamed constants folded into the operation
    /// that reads them (`× 0.5`, `²`). `highlighting` = [y, …, x] marks every node and edge on a
    /// route between consecutive listed nodes: one chain rule. Values are printed with
    /// `digits` significant digits (default: the lesson's, at most 4, so boxes stay small).
    ///
    ///     n.graph(of: net.E_total)                                             // forward values
    ///     n.graph(of: net.E_total, view: .backward, highlighting: [E, out_o1, net_o1, w5])
    public func graph(
        of output: Value, view: ComputationGraph.View = .forward, highlighting path: [Value] = [],
        digits: Int? = nil
    ) -> ComputationGraph {
        let tape = self.tape
        let format = NumberFormat(significantDigits: digits ?? min(self.format.significantDigits, 4))
        let ids = Self.ancestors(of: output.id, on: tape)
        let shown = Set(ids)
        func inputs(_ id: Int) -> [Int] { tape.inputs(of: id).filter { shown.contains($0) } }

        var gradients: Tape? = nil
        if view == .backward {
            gradients = tape.copy()
            gradients!.backward(from: output.on(gradients!))
        }
        let marked = Self.chainNodes(path.map(\.id), on: tape, within: shown)
        let nodes = ids.map { id -> ComputationGraph.Node in
            let label = tape.label(of: id)
            let kind: ComputationGraph.Node.Kind =
                inputs(id).isEmpty && Self.isLeaf(id, on: tape)
                ? .leaf
                : label != nil ? .named : .operation
            let title = label.map(name) ?? (kind == .leaf ? RichText() : operation(id, format: format))
            return .init(
                id: id, kind: kind, title: title, operation: kind == .named ? operation(id, format: format) : nil,
                value: format.rich(tape.value(of: id)),
                gradient: gradients.map { format.rich($0.gradient(of: id)) }, highlighted: marked.contains(id))
        }
        var edges: [ComputationGraph.Edge] = []
        for id in ids {
            for input in inputs(id) where !edges.contains(where: { $0.from == input && $0.to == id }) {
                edges.append(.init(from: input, to: id, highlighted: marked.contains(input) && marked.contains(id)))
            }
        }
        let gradientName = tape.label(of: output.id).map { .plain("∂") + name($0) + .plain("/∂·") }
        return ComputationGraph(
            view: view, nodes: nodes, edges: edges, groups: neurons(ids, on: tape, within: shown),
            gradientName: gradientName)
    }

    /// Every node `output` reads, directly or not, in recording order; unnamed constants are left
    /// out (they are folded into the operation that reads them).
    static func ancestors(of output: Int, on tape: Tape) -> [Int] {
        var seen: Set<Int> = [output]
        var stack = [output]
        while let id = stack.popLast() {
            for input in tape.inputs(of: id) where !seen.contains(input) && !isFoldedConstant(input, on: tape) {
                seen.insert(input)
                stack.append(input)
            }
        }
        return seen.sorted()
    }

    static func isFoldedConstant(_ id: Int, on tape: Tape) -> Bool {
        tape.primitive(of: id) == .constant && tape.label(of: id) == nil
    }

    static func isLeaf(_ id: Int, on tape: Tape) -> Bool {
        tape.primitive(of: id) == .input || tape.primitive(of: id) == .constant
    }

    /// The nodes on some route between consecutive entries of `path` (later node first).
    static func chainNodes(_ path: [Int], on tape: Tape, within shown: Set<Int>) -> Set<Int> {
        var marked = Set<Int>()
        for (y, x) in zip(path, path.dropFirst()) {
            // Below y (what y reads) and above x (what reads x): the routes from x to y.
            let below = Set(ancestors(of: y, on: tape))
            var above: Set<Int> = [x]
            for id in (x + 1)..<max(x + 1, y + 1) where below.contains(id) {
                if tape.inputs(of: id).contains(where: above.contains) { above.insert(id) }
            }
            marked.formUnion(below.intersection(above).intersection(shown))
        }
        return marked
    }

    /// The operation of an unnamed node, with the unnamed constants it reads written in.
    func operation(_ id: Int, format: NumberFormat) -> RichText {
        let tape = self.tape
        let inputs = tape.inputs(of: id)
        let constant = inputs.map { Self.isFoldedConstant($0, on: tape) ? tape.value(of: $0) : nil }
        func c(_ k: Int) -> RichText { format.rich(constant[k]!) }
        let primitive = tape.primitive(of: id)
        if primitive == .power, let exponent = constant[1] {
            let superscripts: [Double: String] = [2: "²", 3: "³", -1: "⁻¹", 0.5: "½"]
            return superscripts[exponent].map { .plain("x" + $0) } ?? .plain("x")
                + format.rich(exponent).adding(.raised)
        }
        let symbol = primitive.operator?.symbol ?? ""
        guard inputs.count == 2 else { return .plain(symbol) }
        switch (constant[0], constant[1]) {
        case (nil, nil): return .plain(symbol)
        case (nil, _?): return .plain(symbol + " ") + c(1)
        // x + c and x·c read the same either way round: the constant goes after, as in × 0.5.
        case (_?, nil) where primitive == .add || primitive == .multiply: return .plain(symbol + " ") + c(0)
        case (_?, nil): return c(0) + .plain(" " + symbol)
        case (_?, _?): return c(0) + .plain(" " + symbol + " ") + c(1)
        }
    }

    /// Neurons: a named activation (σ, tanh, ReLU) of a named weighted sum read by nothing
    /// else, together with the unnamed operations that make the sum. Titled by the label part
    /// they share (net_h1 and out_h1: h1).
    func neurons(_ ids: [Int], on tape: Tape, within shown: Set<Int>) -> [ComputationGraph.Group] {
        var readers: [Int: [Int]] = [:]
        for id in ids {
            for input in tape.inputs(of: id) where shown.contains(input) { readers[input, default: []].append(id) }
        }
        var groups: [ComputationGraph.Group] = []
        for id in ids {
            guard [.sigmoid, .tanh, .relu].contains(tape.primitive(of: id)), let activation = tape.label(of: id),
                let sum = tape.inputs(of: id).first, let sumLabel = tape.label(of: sum), !Self.isLeaf(sum, on: tape),
                readers[sum] == [id]
            else { continue }
            // The unnamed operations read only on the way into the sum.
            var members = [sum, id]
            var stack = [sum]
            while let node = stack.popLast() {
                for input in tape.inputs(of: node)
                where shown.contains(input) && tape.label(of: input) == nil
                    && !Self.isLeaf(input, on: tape) && readers[input]?.allSatisfy(members.contains) == true
                {
                    members.append(input)
                    stack.append(input)
                }
            }
            let suffix = { (label: String) in
                label.split(separator: "_", maxSplits: 1).dropFirst().first.map(String.init)
            }
            let title = suffix(activation).flatMap { $0 == suffix(sumLabel) ? name($0) : nil } ?? RichText()
            groups.append(.init(title: title, members: members.sorted()))
        }
        return groups
    }
}
