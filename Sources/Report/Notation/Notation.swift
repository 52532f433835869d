import Engine

/// Turns tape records into report cells. Every number a lesson prints passes through here,
/// so all share the lesson's format, and every formula is the tape's own. Nodes are read on
/// this notation's tape, so a notation over a copy shows the copy's values and labels.
///
///     let notation = Notation(tape: tape, format: NumberFormat(significantDigits: 9))
///     notation.step(net_h1)   // net_h1 = w1·i1 + w2·i2 + b1 = 0.15 × 0.05 + … = 0.3775
public struct Notation {
    public let tape: Tape
    public var format: NumberFormat
    /// Symbols that replace labels on the page (`lr` → η).
    public var symbols: [String: RichText]

    public init(tape: Tape, format: NumberFormat, symbols: [String: RichText] = [:]) {
        self.tape = tape
        self.format = format
        self.symbols = symbols
    }

    // MARK: Words

    public func name(_ label: String) -> RichText { MathName.text(for: label, symbols: symbols) }

    /// The node's label as this notation's tape has it (a copy may have relabeled it).
    public func name(_ node: Value) -> RichText {
        guard let label = tape.label(of: node.id) else { preconditionFailure("node \(node.id) has no label to print") }
        return name(label)
    }

    public func number(_ x: Double) -> RichText { format.rich(x) }

    /// The node's value in the lesson's format.
    public func value(_ node: Value) -> RichText { number(tape.value(of: node.id)) }

    /// "∂y/∂x" with both names typeset.
    public func partial(_ y: Value, _ x: Value) -> RichText { .plain("∂") + name(y) + .plain("/∂") + name(x) }

    public func formula(_ node: Value, substituted: Bool = false) -> RichText {
        write(tape.formula(of: node.on(tape)), substituted: substituted)
    }

    private func write(_ formula: Formula, substituted: Bool) -> RichText {
        var writer = RichFormulaWriter(format: format, symbols: symbols)
        formula.write(to: &writer, substituted: substituted)
        return writer.text
    }

    // MARK: Steps

    /// node = its formula = the formula with numbers = its value.
    public func step(_ node: Value, _ caption: RichText? = nil) -> Step {
        Step(caption, lhs: name(node), rhs: [formula(node), formula(node, substituted: true), value(node)])
    }

    /// ∂y/∂x = the product of local derivatives along the way = with numbers = its value.
    public func derivative(of y: Value, withRespectTo x: Value, _ caption: RichText? = nil) -> Step {
        let written = tape.derivativeFormula(of: y.on(tape), withRespectTo: x.on(tape))
        return Step(caption, lhs: partial(y, x), rhs: [
            write(written, substituted: false), write(written, substituted: true),
            number(tape.derivative(of: y, withRespectTo: x)),
        ])
    }

    /// The chain rule through named nodes: for `path` = [y, a, …, x],
    /// ∂y/∂x = ∂y/∂a × … × ∂…/∂x, each factor and the result read from the tape.
    public func chain(_ path: [Value], _ caption: RichText? = nil) -> Step {
        precondition(path.count >= 2, "a chain needs at least two nodes")
        let links = zip(path, path.dropFirst())
        let factors = links.map { partial($0, $1) }
        let numbers = links.map { tape.derivative(of: $0, withRespectTo: $1) }
        return Step(caption, lhs: partial(path.first!, path.last!), rhs: [
            joined(factors, by: " × "), joined(numbers, by: " × "),
            number(tape.derivative(of: path.first!, withRespectTo: path.last!)),
        ])
    }

    /// ∂y/∂x as the sum of the parts y is made of: ∂y/∂x = Σₖ ∂partₖ/∂x.
    public func sum(_ y: Value, of parts: [Value], withRespectTo x: Value, _ caption: RichText? = nil) -> Step {
        Step(caption, lhs: partial(y, x), rhs: [
            joined(parts.map { partial($0, x) }, by: " + "),
            joined(parts.map { tape.derivative(of: $0, withRespectTo: x) }, by: " + "),
            number(tape.derivative(of: y, withRespectTo: x)),
        ])
    }

    /// Numbers in a row of factors or terms; a negative one after the first is parenthesised.
    private func joined(_ numbers: [Double], by separator: String) -> RichText {
        joined(numbers.enumerated().map { $0.offset > 0 && $0.element < 0 ? "(\(number($0.element)))" : number($0.element) },
               by: separator)
    }

    private func joined(_ parts: [RichText], by separator: String) -> RichText {
        parts.enumerated().reduce(into: RichText()) { text, part in
            if part.offset > 0 { text += .plain(separator) }
            text += part.element
        }
    }
}
