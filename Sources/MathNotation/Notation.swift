import Engine
import ReportModel

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
    /// What values.json puts before this tape's labels (`linear.` for logistic-regression's twin):
    /// an exercise read off this tape is answered under the same label, `linear.dL/dw1`.
    public var labelPrefix = ""

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

    /// The node's value in the lesson's format, printing the node's quantity if it has a label.
    public func value(_ node: Value) -> RichText {
        format.rich(tape.value(of: node.id), label: answerLabel(of: node.id))
    }

    /// The label a node's answer is given under (its tape label behind the prefix); nil unlabeled.
    func answerLabel(of id: Int) -> String? { tape.label(of: id).map { labelPrefix + $0 } }

    /// ∂y/∂x as a number on a page: under the label `partialLabel` gives it.
    func derivativeNumber(_ y: Value, _ x: Value, _ value: Double) -> RichText {
        format.rich(value, label: partialLabel(y, x))
    }

    /// "∂y/∂x" with both names typeset.
    public func partial(_ y: Value, _ x: Value) -> RichText { .plain("∂") + name(y) + .plain("/∂") + name(x) }

    /// ∂y/∂x as a display sets it: ∂y over ∂x, stacked.
    public func partialFraction(_ y: Value, _ x: Value) -> Math {
        .fraction(Math(.plain("∂") + name(y)), Math(.plain("∂") + name(x)))
    }

    public func formula(_ node: Value, substituted: Bool = false) -> RichText {
        write(tape.formula(of: node.on(tape)), substituted: substituted)
    }

    /// A formula tree of this tape on one line, with names or with the tape's numbers.
    func write(_ tree: FormulaTree, substituted: Bool) -> RichText {
        let tape = self.tape
        let writer = FormulaWriting(number: format.rich) { id, substituted in
            guard substituted else { return .name(name(tape.label(of: id) ?? "?")) }
            return .number(tape.value(of: id), Quantity(answerLabel(of: id), value: tape.value(of: id)))
        }
        return writer.line(tree, substituted: substituted).text ?? RichText()
    }

    // MARK: Steps

    /// node = its formula = the formula with numbers = its value.
    public func step(_ node: Value, _ caption: RichText? = nil) -> Step {
        var step = Step(caption, lhs: name(node), rhs: [formula(node), formula(node, substituted: true), value(node)])
        if let label = tape.label(of: node.id) {
            step.answer = StepAnswer(
                label: labelPrefix + label, value: tape.value(of: node.id), carry: Carry.program(of: node.id, on: tape))
        }
        return step
    }

    /// The label a student writes ∂y/∂x under: `dE_total/dout_o1`, as values.json writes gradients.
    func partialLabel(_ y: Value, _ x: Value) -> String? {
        guard let top = tape.label(of: y.id), let bottom = tape.label(of: x.id) else { return nil }
        return labelPrefix + "d\(top)/d\(bottom)"
    }

    private func answered(_ step: Step, _ y: Value, _ x: Value, _ value: Double, carry: Carry? = nil) -> Step {
        var step = step
        if let label = partialLabel(y, x) { step.answer = StepAnswer(label: label, value: value, carry: carry) }
        return step
    }

    /// ∂y/∂x = the product of local derivatives along the way = with numbers = its value.
    public func derivative(of y: Value, withRespectTo x: Value, _ caption: RichText? = nil) -> Step {
        let written = tape.derivativeFormula(of: y.on(tape), withRespectTo: x.on(tape))
        let value = tape.derivative(of: y, withRespectTo: x)
        return answered(
            Step(
                caption, equating: MathLine(partialFraction(y, x)),
                to: [
                    MathLine(write(written, substituted: false)), MathLine(write(written, substituted: true)),
                    MathLine(derivativeNumber(y, x, value)),
                ]), y, x, value, carry: Carry.derivative(of: y.id, withRespectTo: x.id, on: tape))
    }

    /// The chain rule through named nodes: for `path` = [y, a, …, x],
    /// ∂y/∂x = ∂y/∂a × … × ∂…/∂x, each factor and the result read from the tape.
    /// Every route from y to x must pass through the listed nodes, or the page would print a
    /// product that is not the derivative; a lesson that breaks this stops here (use `sum`).
    public func chain(_ path: [Value], _ caption: RichText? = nil) -> Step {
        precondition(path.count >= 2, "a chain needs at least two nodes")
        let links = zip(path, path.dropFirst())
        let factors = links.map { partialFraction($0, $1) }
        let values = links.map { tape.derivative(of: $0, withRespectTo: $1) }
        let total = tape.derivative(of: path.first!, withRespectTo: path.last!)
        // The product and the backward sweep round differently, by a few ulps at most.
        let product = values.reduce(1, *)
        precondition(
            Quantity.agree(product, total),
            """
            \(path.compactMap { tape.label(of: $0.id) }) misses another \
            route: the factors give \(product), the derivative is \(total)
            """
        )
        // Follow-through: the product of the student's own factors, where they gave them.
        let linkLabels = zip(path, path.dropFirst()).map { partialLabel($0, $1) }
        let carry = linkLabels.allSatisfy { $0 != nil } ? Carry.product(zip(linkLabels, values).map { ($0!, $1) }) : nil
        return answered(
            Step(
                caption, equating: MathLine(partialFraction(path.first!, path.last!)),
                to: [
                    joined(factors, by: "×"),
                    MathLine(numbers(Array(zip(values, links.map { partialLabel($0, $1) })), by: .multiply)),
                    MathLine(derivativeNumber(path.first!, path.last!, total)),
                ]), path.first!, path.last!, total, carry: carry)
    }

    /// ∂y/∂x through `path` = [y, a, …, x], simplified before the reader's eyes: the chain of
    /// named factors, their written derivatives multiplied, each form on the way to the
    /// simplest (a − y for the logistic loss), then that form with numbers, then the value.
    public func simplification(_ path: [Value], _ caption: RichText? = nil) -> Step {
        let forms = tape.chainSimplification(path.map { $0.on(tape) })
        let factors = zip(path, path.dropFirst()).map { partialFraction($0, $1) }
        let value = tape.derivative(of: path.first!, withRespectTo: path.last!)
        // Two stages can differ only in how a product is grouped, which reads the same: it is written once.
        var written: [RichText] = []
        for form in forms.map({ write($0, substituted: false) }) where form != written.last { written.append(form) }
        return answered(
            Step(
                caption, equating: MathLine(partialFraction(path.first!, path.last!)),
                to: [joined(factors, by: "×")]
                    + (written + [
                        write(forms.last!, substituted: true), derivativeNumber(path.first!, path.last!, value),
                    ]).map(MathLine.init)),
            path.first!, path.last!, value,
            carry: Carry.derivative(of: path.first!.id, withRespectTo: path.last!.id, on: tape))
    }

    /// ∂y/∂x as the sum of the parts y is made of: ∂y/∂x = Σₖ ∂partₖ/∂x.
    public func sum(_ y: Value, of parts: [Value], withRespectTo x: Value, _ caption: RichText? = nil) -> Step {
        let value = tape.derivative(of: y, withRespectTo: x)
        return answered(
            Step(
                caption, equating: MathLine(partialFraction(y, x)),
                to: [
                    joined(parts.map { partialFraction($0, x) }, by: "+"),
                    MathLine(
                        numbers(
                            parts.map { (tape.derivative(of: $0, withRespectTo: x), partialLabel($0, x)) },
                            by: .add)),
                    MathLine(derivativeNumber(y, x, value)),
                ]), y, x, value, carry: Carry.derivative(of: y.id, withRespectTo: x.id, on: tape))
    }

    /// A row of factors or terms written as a formula of numbers, so a negative one is
    /// parenthesised by the same rule as everywhere else; each prints the quantity its label
    /// names (a chain's factor ∂a/∂b).
    private func numbers(_ terms: [(value: Double, label: String?)], by separator: Operator) -> RichText {
        // Each term is a leaf of its own, so the writer tags it as it tags a node's value.
        let leaves = terms.indices.map(FormulaTree.name)
        let tree = leaves.dropFirst().reduce(leaves[0]) { .apply(separator, [$0, $1]) }
        let writer = FormulaWriting(number: format.rich) { k, _ in
            .number(terms[k].value, Quantity(terms[k].label, value: terms[k].value))
        }
        return writer.line(tree, substituted: true).text ?? RichText()
    }

    /// Factors or terms in a row, with the operator between them (its spacing is the layout's).
    private func joined(_ parts: [Math], by separator: String) -> MathLine {
        MathLine(
            .row(
                parts.enumerated().flatMap { part in
                    part.offset > 0
                        ? [.atom(separator, Math.classOf(Character(separator)), []), part.element] : [part.element]
                }))
    }
}
