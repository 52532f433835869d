import Engine
import ReportModel

extension TensorNotation {
    /// The subgraph of the tensor tape that leads to `output`, as a figure, like `Notation.graph`:
    /// named tensors by their math name, unnamed ones as their operation, unnamed single numbers
    /// folded into the operation that reads them. A node shows a tensor of up to four entries by
    /// its numbers, a larger one by its shape; the backward view adds ∂output/∂node the same way.
    ///
    ///     t.graph(of: E, view: .backward)
    public func graph(of output: Tensor, view: ComputationGraph.View = .forward, digits: Int? = nil) -> ComputationGraph
    {
        let tape = self.tape
        let format = NumberFormat(significantDigits: digits ?? min(self.format.significantDigits, 4))
        func folded(_ id: Int) -> Bool {
            tape.operation(of: id) == .leaf && tape.label(of: id) == nil && tape.shape(of: id).count == 1
        }
        var seen: Set<Int> = [output.id]
        var stack = [output.id]
        while let id = stack.popLast() {
            for input in tape.inputs(of: id) where !seen.contains(input) && !folded(input) {
                seen.insert(input)
                stack.append(input)
            }
        }
        let ids = seen.sorted()
        // Gradients from a copy: the recorded tape is only ever read.
        let gradients = view == .backward ? tape.copy() : nil
        gradients.map { $0.backward(from: output.on($0)) }
        func shown(_ array: NDArray) -> RichText {
            guard array.shape.count > 4 else {
                let numbers = array.scalars.map { format.rich($0) }
                guard numbers.count > 1 else { return numbers[0] }
                return numbers.dropFirst().reduce(.plain("[") + numbers[0]) { $0 + .plain(", ") + $1 } + .plain("]")
            }
            return .plain(array.shape.description)
        }
        let nodes = ids.map { id -> ComputationGraph.Node in
            let op = tape.operation(of: id)
            let kind: ComputationGraph.Node.Kind = op == .leaf ? .leaf : tape.label(of: id) != nil ? .named : .operation
            let title = tape.label(of: id).map(name) ?? (kind == .leaf ? RichText() : symbol(id, format: format))
            return .init(
                id: id, kind: kind, title: title, operation: kind == .named ? symbol(id, format: format) : nil,
                value: shown(tape.value(of: id)), gradient: gradients.map { shown($0.gradient(of: id)) })
        }
        var edges: [ComputationGraph.Edge] = []
        for id in ids {
            for input in tape.inputs(of: id)
            where seen.contains(input) && !edges.contains(where: { $0.from == input && $0.to == id }) {
                edges.append(.init(from: input, to: id))
            }
        }
        return ComputationGraph(
            view: view, nodes: nodes, edges: edges,
            gradientName: tape.label(of: output.id).map { .plain("∂") + name($0) + .plain("/∂·") })
    }

    /// The operation of a node, with the single numbers it reads written in (× 0.5, 1 −).
    private func symbol(_ id: Int, format: NumberFormat) -> RichText {
        let inputs = tape.inputs(of: id)
        let constants = inputs.map { input -> Double? in
            tape.operation(of: input) == .leaf && tape.label(of: input) == nil && tape.shape(of: input).count == 1
                ? tape.value(of: input).scalars[0] : nil
        }
        let op = tape.operation(of: id)
        // A square is common enough to be shown as one.
        let symbol = if case .power(2) = op { "x²" } else { op.operator?.symbol ?? "" }
        guard constants.count == 2 else { return .plain(symbol) }
        // Times a single number is plain scaling: × 0.5, not ⊙ 0.5.
        let written = op == .multiply && constants.contains(where: { $0 != nil }) ? "×" : symbol
        switch (constants[0], constants[1]) {
        case (nil, let c?): return .plain(written + " ") + format.rich(c)
        case (let c?, nil) where op == .add || op == .multiply: return .plain(written + " ") + format.rich(c)
        case (let c?, nil): return format.rich(c) + .plain(" " + written)
        default: return .plain(written)
        }
    }
}
