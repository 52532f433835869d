import Engine

/// Where a tape's numbers first stopped being finite, in words a reader can act on: the node's
/// name (or its operation and the named value it feeds) and its worked step with the numbers that
/// produced the NaN or infinity, as PyTorch's anomaly mode names the operation.
///
///     notation.nonFinite   // "S overflows to ∞: S = Σ(eᶻ) = Σ([[8.2 × 10³⁰⁷, …]]) = ∞"
extension Notation {
    public var nonFinite: String? {
        guard let node = tape.firstNonFiniteNode else { return nil }
        let label = tape.label(of: node.id)
        let lines = [formula(node), formula(node, substituted: true), value(node)].map(\.terminalText)
        return NonFinite.describe(
            value: tape.value(of: node.id), label: label, operation: "\(tape.primitive(of: node.id))",
            consumer: tape.labeledConsumer(of: node.id).flatMap(tape.label(of:)),
            lines: (label == nil ? [] : [name(node).terminalText]) + lines)
    }
}

extension TensorNotation {
    public var nonFinite: String? {
        guard let node = tape.firstNonFiniteNode else { return nil }
        let label = tape.label(of: node.id)
        let lines = [formula(node), formula(node, substituted: true), value(node)].map(\.terminalText)
        return NonFinite.describe(
            value: tape.value(of: node.id).scalars.first { !$0.isFinite } ?? .nan, label: label,
            operation: tape.operation(of: node.id).name,
            consumer: tape.labeledConsumer(of: node.id).flatMap(tape.label(of:)),
            lines: (label == nil ? [] : [name(node).terminalText]) + lines)
    }
}

enum NonFinite {
    static func describe(value: Double, label: String?, operation: String, consumer: String?, lines: [String]) -> String
    {
        let what = value.isNaN ? "is not a number (NaN)" : "overflows to \(value < 0 ? "−" : "")∞"
        let name = label ?? "the \(operation)" + (consumer.map { " inside \($0)" } ?? "")
        // A leaf's name, formula and value can repeat one another: say each once.
        var said: [String] = []
        for line in lines where said.last != line { said.append(line) }
        return "\(name) \(what): " + said.joined(separator: " = ")
    }
}
