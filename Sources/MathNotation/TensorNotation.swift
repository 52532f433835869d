import Engine
import ReportModel

/// Turns tensor tape records into report cells, as `Notation` does for scalars: every matrix on a
/// page is a tape value in the lesson's format, every formula the tape's own. Matrices larger than
/// `maxRows` × `maxColumns` show their first and last rows and columns around ⋯.
///
///     let t = TensorNotation(tape: tape, format: NumberFormat(significantDigits: 6))
///     t.step(z1)   // z1 = W1 x + b1 = [matrices] = [result]
public struct TensorNotation {
    public let tape: TensorTape
    public var format: NumberFormat
    public var symbols: [String: RichText]
    public var maxRows = 8
    public var maxColumns = 8

    public init(tape: TensorTape, format: NumberFormat, symbols: [String: RichText] = [:]) {
        self.tape = tape
        self.format = format
        self.symbols = symbols
    }

    public func name(_ label: String) -> RichText { MathName.text(for: label, symbols: symbols) }

    public func name(_ t: Tensor) -> RichText {
        guard let label = tape.label(of: t.id) else { preconditionFailure("tensor \(t.id) has no label to print") }
        return name(label)
    }

    /// The numbers as a bracketed matrix; a vector as one row. Given the tensor's label, each
    /// entry prints its quantity, `label[r,c]`, as the entry's answer is labeled.
    public func matrix(_ array: NDArray, label: String? = nil) -> MatrixView {
        let rows = array.rows
        func keep(_ count: Int, _ limit: Int) -> [Int?] {
            count <= limit ? Array(0..<count) : Array(0..<(limit - 3)) + [nil] + Array((count - 2)..<count)
        }
        let (rowIndices, columnIndices) = (keep(rows.count, maxRows), keep(rows.first?.count ?? 0, maxColumns))
        return MatrixView(
            rows: rowIndices.map { r in
                columnIndices.map { c in
                    switch (r, c) {
                    case (let r?, let c?):
                        format.rich(rows[r][c], label: label.map { "\($0)[\(r),\(c)]" })
                    case (nil, nil): "⋱"
                    case (nil, _): "⋮"
                    case (_, nil): "⋯"
                    }
                }
            })
    }

    /// A value as printed: a single number as text, anything else as a matrix; with the
    /// tensor's label, printing its quantities.
    public func value(_ array: NDArray, label: String? = nil) -> MathLine {
        guard array.shape.count != 1 else {
            return MathLine(format.rich(array.scalars[0], label: label))
        }
        return MathLine(segments: [.matrix(matrix(array, label: label))])
    }

    public func value(_ t: Tensor) -> MathLine { value(tape.value(of: t.id), label: tape.label(of: t.id)) }

    /// ∂output/∂t from the tape's last backward pass.
    public func gradient(_ t: Tensor) -> MathLine { value(tape.gradient(of: t.id)) }

    public func formula(_ t: Tensor, substituted: Bool = false) -> MathLine {
        let writer = FormulaWriting(number: format.rich) { id, substituted in
            guard substituted else { return .name(tape.label(of: id).map(name) ?? "·") }
            let (array, label) = (tape.value(of: id), tape.label(of: id))
            return array.shape.count == 1
                ? .number(array.scalars[0], Quantity(label, value: array.scalars[0]))
                : .line(value(array, label: label))
        }
        return writer.line(tape.formula(of: t), substituted: substituted)
    }

    /// node = its formula = the formula with matrices = its value.
    public func step(_ t: Tensor, _ caption: RichText? = nil) -> Step {
        var step = Step(caption, lhs: name(t), lines: [formula(t), formula(t, substituted: true), value(t)])
        if let label = tape.label(of: t.id) {
            let array = tape.value(of: t.id)
            step.answer =
                array.shape.count == 1
                ? StepAnswer(label: label, value: array.scalars[0]) : StepAnswer(label: label, rows: array.rows)
        }
        return step
    }

    /// A named tensor and its numbers: W1 = [matrix].
    public func show(_ t: Tensor, _ caption: RichText? = nil) -> Step {
        Step(caption, lhs: name(t), lines: [value(t)], hasResult: false)
    }
}
