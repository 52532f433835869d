/// Derivatives recorded as nodes of the tape, so they can be differentiated again.
///
///     let g = tape.recordDerivative(of: f, withRespectTo: x)        // ∂f/∂x, a Value with a formula
///     let h = tape.recordDerivative(of: g, withRespectTo: y)        // ∂²f/∂x∂y
///
/// The backward pass gives numbers only; Newton's method needs the Hessian, the derivatives of
/// those numbers. Recording the chain rule's simplified expression (the one `derivativeFormula`
/// writes) as ordinary operations makes ∂f/∂x a node like any other: its formula is the
/// derivative a teacher writes, its value is the backward pass's, and its own derivatives come
/// from the same machinery (PyTorch's `create_graph=True`, by a different road).
extension Tape {
    /// ∂y/∂x as nodes. Where the derivative is a node already on the tape (∂(½x²)/∂x is x
    /// itself) that node is returned, not a copy: labeling it would rename it.
    public func recordDerivative(of y: Value, withRespectTo x: Value) -> Value {
        precondition(y.isOn(self) && x.isOn(self), "values from a different tape")
        return record(derivativeExpression(of: y.id, withRespectTo: x.id).simplified)
    }

    /// The expression as new nodes: named nodes and leaves are read, not copied.
    private func record(_ expression: Expression) -> Value {
        switch expression {
        case .node(let id): return Value(tape: self, id: id)
        case .number(let c): return constant(c)
        case .apply(let primitive, let arguments):
            let x = record(arguments[0])
            return arguments.count > 1 ? apply(primitive, x, record(arguments[1])) : apply(primitive, x)
        }
    }
}
