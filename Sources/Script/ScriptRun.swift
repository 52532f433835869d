import Engine
import Foundation
import LessonKit
import ReportModel

/// One run of a script with one set of parameters: each compute line recorded on its tape in
/// order, each cell written from the records, in a single pass.
///
///     let result = try ScriptRun(script, parameters).result()
///     result.values.number("z")   // 0.2
final class ScriptRun {
    let script: Script
    let parameters: Parameters
    let format: NumberFormat
    /// Symbol → the label it prints for (α → alpha), so a formula may use either.
    let symbolNames: [String: String]
    /// Where each label is set, per tape, for "used before it is set".
    let laterNames: [String: [String: SourceLocation]]
    private(set) var scopes: [String: TapeScope] = [:]
    private var scopeOrder: [String] = []
    private var current: TapeScope
    /// Where the first NaN or infinity appeared, for the stop message.
    private(set) var firstNonFinite: SourceLocation?
    private(set) var extraValues: [(scope: String, label: String, entry: ExportedValues.Entry)] = []
    /// Names every formula may read without setting them, printed as themselves.
    static let constants: [String: Double] = ["π": .pi]

    init(_ script: Script, _ parameters: Parameters) {
        self.script = script
        self.parameters = parameters
        let digits =
            script.parameters.contains { $0.parameter.name == "digits" } ? parameters.integer("digits") : script.digits
        format = NumberFormat(significantDigits: digits)
        var symbols: [String: RichText] = [:]
        var names: [String: String] = [:]
        for declared in script.parameters {
            if let s = declared.symbol {
                symbols[declared.parameter.name] = s.text
                names[s.written] = declared.parameter.name
            }
        }
        var later: [String: [String: SourceLocation]] = [:]
        script.cells.forEachStatement { tape, statement in
            if let s = statement.symbol, case .assignment(let label, _, _) = statement.kind {
                symbols[label] = s.text
                names[s.written] = label
            }
            if case .assignment(let label, _, _) = statement.kind {
                later[tape, default: [:]][label] = statement.location
            }
        }
        symbolNames = names
        laterNames = later
        current = TapeScope(name: "", format: format, symbols: symbols)
        scopes[""] = current
        scopeOrder = [""]
        // Leaves for the parameters each tape reads, in declaration order, before anything else:
        // values.json lists them first, as a built-in lesson's does.
        var read: [String: Set<String>] = [:]
        script.cells.forEachStatement { tape, statement in read[tape, default: []].formUnion(statement.references) }
        for tape in read.keys.sorted() where !tape.isEmpty {
            let scope = TapeScope(name: tape, format: format, symbols: symbols)
            scopes[tape] = scope
        }
        scopeOrder = [""] + script.cells.tapesInOrder.filter { !$0.isEmpty }
        for name in scopeOrder {
            guard let scope = scopes[name] else { continue }
            let names = read[name] ?? []
            for declared in script.parameters
            where names.contains(declared.parameter.name)
                || names.contains(declared.symbol?.written ?? "\u{0}")
                || names.contains(where: { ScriptRun.index($0, couldName: declared.parameter.name) })
            {
                switch declared.parameter.kind {
                case .real, .integer: _ = scalarLeaf(declared.parameter.name, in: scope)
                case .vector: _ = leaf(declared.parameter.name, in: scope)
                case .choice: break
                }
            }
        }
    }

    /// The most operations one tape of a run records (a sum within a sum runs away fast).
    static let mostOperations = 2_000_000

    /// Whether an indexed name (x{k}, x_{k}) names `name` for some whole k: x{k} names x2.
    static func index(_ pattern: String, couldName name: String) -> Bool {
        guard let open = pattern.firstIndex(of: "{"), let close = pattern[open...].firstIndex(of: "}") else {
            return false
        }
        let head = pattern[..<open]
        let tail = pattern[pattern.index(after: close)...]
        guard name.hasPrefix(head), name.hasSuffix(tail), name.count > head.count + tail.count else { return false }
        let middle = name.dropFirst(head.count).dropLast(tail.count)
        return middle.allSatisfy { $0.isASCII && $0.isNumber }
            || (middle.hasPrefix("_") && middle.dropFirst().allSatisfy { $0.isASCII && $0.isNumber })
    }

    func scope(named name: String) -> TapeScope {
        if let scope = scopes[name] { return scope }
        let scope = TapeScope(name: name, format: format, symbols: current.notation.symbols)
        scopes[name] = scope
        scopeOrder.append(name)
        return scope
    }

    var main: TapeScope { scopes[""]! }

    /// Runs every cell; the first mistake stops it with its line.
    func result() throws(ScriptError) -> (result: LessonResult, nonFinite: SourceLocation?) {
        for rule in script.rules where !(try condition(rule.condition, in: main)) {
            throw ScriptError(rule.message, at: rule.location)
        }
        let blocks = try cells(script.cells)
        let report = Report(
            title: RichText(script.heading), subtitle: script.subtitle.map { RichText($0) },
            lesson: script.name, source: script.source
        ) { blocks }
        var values = ExportedValues()
        var recordings: [Recording] = []
        for name in scopeOrder {
            guard let scope = scopes[name] else { continue }
            values.append(ExportedValues(scope.tape), prefix: scope.prefix)
            // the formulas' constants, not this run's values
            for name in ScriptRun.constants.keys { values[scope.prefix + name] = nil }
            if scope.usesTensors {
                for (label, id) in scope.tensorTape.labeledNodes.sorted(by: { $0.id < $1.id })
                where !label.hasPrefix("\u{1}") {
                    let array = scope.tensorTape.value(of: id)
                    values[scope.prefix + label] =
                        array.shape.count == 1
                        ? .number(array.scalars[0])
                        : array.rows.count == 1 ? .array(array.rows[0]) : .rows(array.rows)
                }
            }
            for extra in extraValues where extra.scope == name { values[scope.prefix + extra.label] = extra.entry }
            switch scope.output ?? scope.lastSet {
            case .scalar(let v)?:
                recordings.append(Recording(notation: scope.notation, output: v, prefix: scope.prefix))
            case .tensor(let t)?:
                recordings.append(Recording(notation: scope.tensorNotation, output: t, prefix: scope.prefix))
            case nil: break
            }
        }
        return (
            LessonResult(
                lesson: script.name, parameters: parameters, report: report, values: values, recordings: recordings),
            firstNonFinite
        )
    }

    private func cells(_ cells: [Cell]) throws(ScriptError) -> [Block] {
        var blocks: [Block] = []
        for cell in cells {
            switch cell {
            case .section(let title, let exercise, let inner, _):
                let content = try self.cells(inner)
                let heading = try text(title)
                blocks.append(.section(Section(heading, exercise: exercise) { content }))
            case .paragraph(let prose):
                blocks.append(.paragraph(try text(prose)))
            case .note(let title, let errata, let paragraphs, _):
                let content = try paragraphs.map { p throws(ScriptError) in Block.paragraph(try text(p)) }
                blocks.append(.note(Note(RichText(title), kind: errata ? .errata : .remark) { content }))
            case .statements(let tape, let statements):
                current = scope(named: tape)
                for statement in statements {
                    let before = firstNonFiniteCount
                    blocks += try run(statement, in: current)
                    if firstNonFinite == nil, firstNonFiniteCount != before { firstNonFinite = statement.location }
                }
            }
        }
        return blocks
    }

    /// How many tapes have met a NaN or infinity so far.
    private var firstNonFiniteCount: Int {
        scopes.values.reduce(0) {
            $0 + ($1.tape.firstNonFinite == nil ? 0 : 1)
                + ($1.usesTensors && $1.tensorTape.firstNonFinite != nil ? 1 : 0)
        }
    }

    /// Text with its values: `{L}` is L's value, `{cond ? "a" : "b"}` the words that are true.
    func text(_ prose: Prose) throws(ScriptError) -> RichText {
        var text = RichText()
        for piece in prose.pieces {
            switch piece {
            case .text(let s): text += RichText(s)
            case .value(.call("change", let arguments, let at)):
                guard arguments.count == 3, case .text(let subject, _) = arguments[0] else {
                    throw ScriptError("change takes a subject and two values: {change(\"the loss\", L, L⁺)}", at: at)
                }
                let (before, after) = (try number(arguments[1], in: current), try number(arguments[2], in: current))
                text += current.notation.change(of: RichText(subject), from: before, to: after)
            case .value(let e):
                if case .name = e, let x = try? number(e, in: current) {
                    text += current.notation.number(x)
                    continue
                }
                switch try evaluate(e, in: current) {
                case .number(let x): text += current.notation.number(x)
                case .scalar(let v): text += current.notation.value(v)
                case .tensor(let t) where t.shape.count == 1: text += current.notation.number(t.value.scalars[0])
                case .tensor(let t):
                    text +=
                        t.value.scalars.enumerated().reduce(into: RichText("(")) { r, item in
                            r += (item.offset > 0 ? ", " : "") + current.notation.number(item.element)
                        } + ")"
                case .text(let s): text += RichText(s)
                case .truth(let b): text += RichText(b ? "true" : "false")
                }
            }
        }
        return text
    }

    func caption(_ statement: Statement) -> RichText? { statement.caption.map { RichText($0) } }

    func scalar(_ name: String, in scope: TapeScope, at: SourceLocation) throws(ScriptError) -> Value {
        switch try lookUp(name, in: scope, at: at) {
        case .scalar(let v): return v
        case .tensor: throw ScriptError("\(name) is a vector or matrix; this needs a number", at: at)
        default: throw ScriptError("\(name) is not a number on this tape", at: at)
        }
    }

    /// A number worked out off the tape, as a labeled leaf; a `result` (a training's) may be copied by a later line.
    func record(_ label: String, _ value: Double, in scope: TapeScope, at: SourceLocation, result: Bool = false)
        throws(ScriptError)
    {
        guard scope.nodes[label] == nil else { throw ScriptError("\(label) is already set", at: at) }
        let leaf = scope.tape.input(value, label)
        scope.nodes[label] = .scalar(leaf)
        if result { scope.results.insert(leaf.id) }
        scope.places[label] = at
    }

    func extra(_ label: String, _ entry: ExportedValues.Entry, in scope: TapeScope) {
        extraValues.append((scope.name, label, entry))
    }
}

extension Statement {
    /// The parameter and node names the line reads.
    var references: Set<String> {
        switch kind {
        case .assignment(_, let e, _): Set(e.references().map(\.name))
        // Steps and rates are read as numbers, trained parameters through their own leaves.
        case .plot, .heatmap, .train, .derivative, .graph, .network, .table, .parameterTable: []
        }
    }
}

extension [Cell] {
    func forEachStatement(_ body: (String, Statement) -> Void) {
        for cell in self {
            switch cell {
            case .section(_, _, let inner, _): inner.forEachStatement(body)
            case .statements(let tape, let statements): for s in statements { body(tape, s) }
            case .paragraph, .note: break
            }
        }
    }

    /// The tapes in the order their first block appears.
    var tapesInOrder: [String] {
        var seen: [String] = []
        forEachStatement { tape, _ in if !seen.contains(tape) { seen.append(tape) } }
        return seen
    }
}
