import Engine
import MathNotation
import ReportModel

extension Parameter {
    /// The precision parameter most lessons declare: significant digits printed, 3 to 15
    /// (values.json keeps full precision).
    ///
    ///     parameters: [.real("x", 1, in: 0...9, "x"), .digits(6)]
    public static func digits(_ value: Int = 6) -> Parameter {
        .integer("digits", value, in: 3...15, "significant digits printed (values.json keeps full precision)")
    }
}

/// The plumbing every lesson repeats, in one place: the number format its `digits` sets, its
/// symbols, the tapes it records on (each with its notation and the prefix values.json puts
/// before its labels), and the values and recordings a result carries.
///
///     let context = LessonContext(p, symbols: ["lr": "η"])
///     let (tape, n) = context.tape()                    // the main tape and its notation
///     let y = (tape.input(p["x"], "x") * 2).labeled("y")
///     context.name(tape.derivative(of: y, withRespectTo: x), "dy/dx", on: tape)
///     return context.result(lesson: "double", report: report, outputs: [y])
public final class LessonContext {
    public let parameters: Parameters
    /// The lesson's precision: its `digits` parameter when it declares one, else `digits`.
    public let format: NumberFormat
    /// Labels → what the page prints for them (lr → η, yhat → ŷ), shared by every tape.
    public var symbols: [String: RichText]
    private var tapes: [(tape: Tape, prefix: String)] = []
    private var extra: [(label: String, entry: ExportedValues.Entry)] = []

    public init(_ parameters: Parameters, digits: Int = 6, symbols: [String: RichText] = [:]) {
        self.parameters = parameters
        let declared = parameters.declared.contains { $0.name == "digits" }
        format = NumberFormat(significantDigits: declared ? parameters.integer("digits") : digits)
        self.symbols = symbols
    }

    /// A new tape and its notation; its labels go to values.json behind `prefix` (`linear.`).
    public func tape(prefix: String = "") -> (Tape, Notation) {
        let tape = Tape()
        tapes.append((tape, prefix))
        return (tape, notation(on: tape, prefix: prefix))
    }

    /// A notation for a tape in this lesson's format and symbols.
    public func notation(on tape: Tape, prefix: String = "") -> Notation {
        var n = Notation(tape: tape, format: format, symbols: symbols)
        n.labelPrefix = prefix
        return n
    }

    /// Puts a number the lesson found (a gradient, a rate) on the tape under a name, so formulas
    /// can show it and values.json lists it: a leaf, not an operation.
    @discardableResult
    public func name(_ value: Double, _ label: String, on tape: Tape) -> Value { tape.input(value, label) }

    /// An entry of values.json that is not a node of a tape (a curve, a table's column).
    public func export(_ label: String, _ entry: ExportedValues.Entry) { extra.append((label, entry)) }

    /// Every tape's labeled nodes behind its prefix, in the order the tapes were made, then the
    /// exported entries.
    public var values: ExportedValues {
        var values = ExportedValues()
        for (tape, prefix) in tapes { values.append(ExportedValues(tape), prefix: prefix) }
        for (label, entry) in extra { values[label] = entry }
        return values
    }

    /// The result: the report, the values, and a recording of each output (on the tapes in order)
    /// for `lessons graph`.
    public func result(lesson: String, report: Report, outputs: [Value]) -> LessonResult {
        let recordings = outputs.map { output in
            let prefix = tapes.first { output.isOn($0.tape) }?.prefix ?? ""
            let tape = tapes.first { output.isOn($0.tape) }?.tape ?? output.tape
            return Recording(notation: notation(on: tape, prefix: prefix), output: output, prefix: prefix)
        }
        return LessonResult(
            lesson: lesson, parameters: parameters, report: report, values: values, recordings: recordings)
    }
}
