import Engine
import MathNotation
import ReportModel

/// A worked example rebuilt as a script: parameters in, a report and its values out.
///
///     let lesson = Lesson(name: "square", title: "A square", parameters: [.real("x", 3, in: -9...9, "input")]) { p in
///         let tape = Tape(); let y = tape.input(p["x"], "x").pow(2).labeled("y"); … }
public struct Lesson: Sendable {
    public let name: String
    /// One line, for `lessons list`.
    public let title: String
    public let parameters: [Parameter]
    /// Rules that join parameters (a class index within the logits): nil, or what is wrong.
    private let check: @Sendable (Parameters) -> String?
    private let build: @Sendable (Parameters) -> LessonResult
    /// What an exercise sheet's variants draw (empty: the lesson has no variants).
    public internal(set) var variations: [Variation] = []
    /// Whether a drawn variant makes a sound exercise; see `varying(_:soundWhen:)`.
    var isSound: @Sendable (Parameters) -> Bool = { _ in true }
    /// The settings that change what happens, not only the numbers; see `regimes(_:)`.
    public internal(set) var regimes: [Regime] = []
    /// Mistakes `check` recognises by running the lesson another way; see `slips(_:)`.
    public internal(set) var slips: [Slip] = []
    /// Marks of the exercises worth more than 1, by label; see `weighting(_:)`.
    public internal(set) var weights: [String: Double] = [:]
    /// Where a run's first NaN or infinity was written (`unit.lesson.md:12:1`), for a script;
    /// nil for a built-in lesson, whose stop message names the step instead.
    public private(set) var origin: @Sendable (Parameters) -> String? = { _ in nil }

    public init(
        name: String, title: String, parameters: [Parameter],
        check: @escaping @Sendable (Parameters) -> String? = { _ in nil },
        build: @escaping @Sendable (Parameters) -> LessonResult
    ) {
        precondition(Set(parameters.map(\.name)).count == parameters.count, "parameter names must be unique")
        self.name = name
        self.title = title
        self.parameters = parameters
        self.check = check
        self.build = build
    }

    /// The lesson with a way to say where a run's first NaN came from.
    public func locating(_ origin: @escaping @Sendable (Parameters) -> String?) -> Lesson {
        var copy = self
        copy.origin = origin
        return copy
    }

    /// Checks every `KEY=VALUE` setting against the declared parameters, then runs the lesson.
    /// Nothing runs unless every setting is valid.
    public func run(settings: [String] = []) throws(ParameterError) -> LessonResult {
        run(try parameters(settings: settings))
    }

    public func run(_ parameters: Parameters) -> LessonResult { build(parameters) }

    /// The defaults with every `KEY=VALUE` setting applied, or the first setting's error.
    public func parameters(settings: [String]) throws(ParameterError) -> Parameters {
        var values = Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.defaultValue) })
        for setting in settings {
            guard let equals = setting.firstIndex(of: "="), equals != setting.startIndex else {
                throw .malformed(setting)
            }
            let key = String(setting[..<equals]).trimmingCharacters(in: .whitespaces)
            guard let parameter = parameters.first(where: { $0.name == key }) else {
                throw .unknown(key: key, lesson: name, known: parameters.map(\.name))
            }
            values[key] = try parameter.parse(String(setting[setting.index(after: equals)...]))
        }
        let result = Parameters(declared: parameters, values: values)
        if let broken = check(result) { throw .rule(broken) }
        return result
    }
}

/// The values a lesson runs with, in declaration order.
///
///     p["w1"]                  // 0.15
///     p.integer("iterations")  // 10000
public struct Parameters: Sendable {
    public let declared: [Parameter]
    private let values: [String: ParameterValue]

    init(declared: [Parameter], values: [String: ParameterValue]) {
        self.declared = declared
        self.values = values
    }

    /// Every parameter at its default: what a lesson runs with when nothing is set.
    public static func defaults(of declared: [Parameter]) -> Parameters {
        Parameters(
            declared: declared, values: Dictionary(uniqueKeysWithValues: declared.map { ($0.name, $0.defaultValue) }))
    }

    /// Each parameter with its value, in declaration order.
    public var all: [(name: String, value: ParameterValue)] { declared.map { ($0.name, values[$0.name]!) } }

    public subscript(name: String) -> Double {
        switch value(name) {
        case .real(let x): x
        case .integer(let n): Double(n)
        case .choice, .vector: preconditionFailure("\(name) is not a single number")
        }
    }

    public func vector(_ name: String) -> [Double] {
        guard case .vector(let xs) = value(name) else { preconditionFailure("\(name) is not a vector parameter") }
        return xs
    }

    public func integer(_ name: String) -> Int {
        guard case .integer(let n) = value(name) else { preconditionFailure("\(name) is not an integer parameter") }
        return n
    }

    public func choice(_ name: String) -> String {
        guard case .choice(let s) = value(name) else { preconditionFailure("\(name) is not a choice parameter") }
        return s
    }

    /// True when the parameter holds its declared default.
    public func isDefault(_ name: String) -> Bool {
        value(name) == declared.first { $0.name == name }!.defaultValue
    }

    private func value(_ name: String) -> ParameterValue {
        guard let value = values[name] else { preconditionFailure("lesson reads undeclared parameter \(name)") }
        return value
    }
}

/// What a lesson run produces: the report to render and the values to export.
///
///     let result = try Lesson.backpropExample.run(settings: ["lr=0.1"])
///     try Document(result.report).pdf(); result.json()
public struct LessonResult: Sendable {
    public let lesson: String
    public let parameters: Parameters
    public let report: Report
    public let values: ExportedValues
    /// The tapes behind the report, main one first, for `lessons graph`.
    public let recordings: [Recording]

    public init(
        lesson: String, parameters: Parameters, report: Report, values: ExportedValues, recordings: [Recording] = []
    ) {
        self.lesson = lesson
        self.parameters = parameters
        self.report = report
        self.values = values
        self.recordings = recordings
    }
}

/// A tape a lesson recorded (scalar or tensor), with the notation it prints it in and its main
/// output: what `lessons graph` draws. Labels read `prefix + label` outside the lesson (`linear.L`).
/// It keeps the tape as a value (`TapeSnapshot`), not the tape: a result holds no live engine
/// state, and a graph or a step asked for later is drawn from a tape replayed from the snapshot.
///
///     Recording(notation: n, output: net.E_total)
///     Recording(notation: t, output: E, prefix: "matrix.")
public struct Recording: Sendable {
    private enum Source: Sendable {
        case scalars(TapeSnapshot, output: Int, style: Style)
        case tensors(TensorTapeSnapshot, output: Int, style: Style)
    }

    /// What a notation prints with, apart from its tape.
    private struct Style: Sendable {
        var format: NumberFormat
        var symbols: [String: RichText]
        var labelPrefix = ""
        var maxRows = 8, maxColumns = 8
    }

    private let source: Source
    public let prefix: String
    /// Every labeled node, as users name it (prefix included), in recording order.
    public let labels: [String]
    /// The first node whose value is NaN or ±∞, described with its step; nil when all are finite.
    public let nonFinite: String?
    /// The main output's label, as users name it.
    public let outputLabel: String?

    public init(notation: Notation, output: Value, prefix: String = "") {
        let style = Style(format: notation.format, symbols: notation.symbols, labelPrefix: notation.labelPrefix)
        self.init(
            .scalars(notation.tape.snapshot(), output: output.id, style: style), prefix: prefix,
            labeled: notation.tape.labeledNodes, nonFinite: notation.nonFinite,
            output: notation.tape.label(of: output.id))
    }

    public init(notation: TensorNotation, output: Tensor, prefix: String = "") {
        let style = Style(
            format: notation.format, symbols: notation.symbols, maxRows: notation.maxRows,
            maxColumns: notation.maxColumns)
        self.init(
            .tensors(notation.tape.snapshot(), output: output.id, style: style), prefix: prefix,
            labeled: notation.tape.labeledNodes, nonFinite: notation.nonFinite,
            output: notation.tape.label(of: output.id))
    }

    /// What both tapes give, named as users name it: every label, and the output's, behind `prefix`.
    private init(
        _ source: Source, prefix: String, labeled: [(label: String, id: Int)], nonFinite: String?, output: String?
    ) {
        (self.source, self.prefix) = (source, prefix)
        labels = labeled.map { prefix + $0.label }
        self.nonFinite = nonFinite.map { prefix + $0 }
        outputLabel = output.map { prefix + $0 }
    }

    /// The notation on a tape replayed from the snapshot, and the main output on it.
    private enum Replayed {
        case scalars(Notation, Value)
        case tensors(TensorNotation, Tensor)
    }

    private func replayed() -> Replayed {
        switch source {
        case .scalars(let snapshot, let output, let style):
            let tape = Tape(snapshot)
            var notation = Notation(tape: tape, format: style.format, symbols: style.symbols)
            notation.labelPrefix = style.labelPrefix
            return .scalars(notation, Value(tape: tape, id: output))
        case .tensors(let snapshot, let output, let style):
            let tape = TensorTape(snapshot)
            var notation = TensorNotation(tape: tape, format: style.format, symbols: style.symbols)
            (notation.maxRows, notation.maxColumns) = (style.maxRows, style.maxColumns)
            return .tensors(notation, Tensor(tape: tape, id: output))
        }
    }

    /// The graph leading to the node a user names (`linear.L`), or nil if this recording has none.
    public func graph(of name: String, view: ComputationGraph.View) -> ComputationGraph? {
        guard name.hasPrefix(prefix), labels.contains(name) else { return nil }
        let label = String(name.dropFirst(prefix.count))
        switch replayed() {
        case .scalars(let n, _): return n.tape.node(labeled: label).map { n.graph(of: $0, view: view) }
        case .tensors(let t, _): return t.tape.node(labeled: label).map { t.graph(of: $0, view: view) }
        }
    }

    /// The worked step of the node a user names: formula, numbers, result.
    public func step(of name: String) -> Step? {
        guard name.hasPrefix(prefix), labels.contains(name) else { return nil }
        let label = String(name.dropFirst(prefix.count))
        switch replayed() {
        case .scalars(let n, _): return n.tape.node(labeled: label).map { n.step($0) }
        case .tensors(let t, _): return t.tape.node(labeled: label).map { t.step($0) }
        }
    }

    /// The graph leading to the main output.
    public func graph(view: ComputationGraph.View = .forward) -> ComputationGraph {
        switch replayed() {
        case .scalars(let n, let output): n.graph(of: output, view: view)
        case .tensors(let t, let output): t.graph(of: output, view: view)
        }
    }
}
