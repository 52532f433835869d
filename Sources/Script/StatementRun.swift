import Engine
import Foundation
import LessonKit
import ReportModel

/// Each kind of compute line: what it records on the tape and the cells it writes.
extension ScriptRun {
    func run(_ statement: Statement, in scope: TapeScope) throws(ScriptError) -> [Block] {
        let at = statement.location
        if !statement.repeats.isEmpty, case .assignment(let label, let formula, let shown) = statement.kind {
            var blocks: [Block] = []
            for indices in try repetitions(of: statement, in: scope) {
                blocks += try assign(label, formula, shown: shown, statement, indices: indices, in: scope)
            }
            return blocks
        }
        switch statement.kind {
        case .assignment(let label, let formula, let shown):
            return try assign(label, formula, shown: shown, statement, in: scope)
        case .derivative(let y, let x, let form):
            return try derivative(y, x, form, statement, in: scope)
        case .graph(let name, let backward, let highlighted):
            let view: ComputationGraph.View = backward ? .backward : .forward
            switch try lookUp(name, in: scope, at: at) {
            case .scalar(let output):
                let path = try highlighted.map { n throws(ScriptError) in try scalar(n, in: scope, at: at) }
                let graph = scope.notation.graph(of: output, view: view, highlighting: path)
                scope.output = .scalar(output)
                let caption =
                    caption(statement) ?? "The computation graph of " + scope.notation.name(output)
                    + (backward
                        ? ", backward: each box holds its value and the gradient of the output."
                        : ": every box holds its value.")
                return [.figure(Figure(caption, graph: graph))]
            case .tensor(let output):
                guard highlighted.isEmpty else {
                    throw ScriptError("highlight is for graphs of numbers, not of vectors", at: at)
                }
                let caption =
                    caption(statement) ?? "The computation graph of " + scope.tensorNotation.name(output) + "."
                scope.output = .tensor(output)
                return [.figure(Figure(caption, graph: scope.tensorNotation.graph(of: output, view: view)))]
            default:
                throw ScriptError("graph draws a node of a tape; \(name) is not one", at: at)
            }
        case .network(let name):
            let output = try scalar(name, in: scope, at: at)
            guard let diagram = scope.notation.network(of: output) else {
                throw ScriptError(
                    """
                    no dense network leads to \(name): network draws units a \
                    = σ(w·x + b) (or tanh, relu, softplus) read off the tape
                    """,
                    at: at,
                    hint:
                        """
                        name each unit's activation (out_h1 = σ(net_h1)) and \
                        write its sum as weights times inputs plus a bias
                        """
                )
            }
            let caption =
                caption(statement) ?? "The network that computes " + scope.notation.name(output)
                + ", read off the tape: each arrow carries its weight."
            return [.figure(Figure(caption, network: diagram))]
        case .plot(let curves, let variable, let from, let to):
            return [try plot(curves, variable: variable, from: from, to: to, statement, in: scope)]
        case .heatmap(let surface, let name, let x, let xRange, let y, let yRange):
            return [try heatmap(surface, name: name, x: x, xRange, y: y, yRange, statement, in: scope)]
        case .table(let names) where !statement.repeats.isEmpty:
            return [try indexedTable(names, statement, in: scope)]
        case .table(let names):
            let rows = try names.map { name throws(ScriptError) -> [RichText] in
                switch try lookUp(name, in: scope, at: at) {
                case .scalar(let v): return [scope.notation.name(name), scope.notation.value(v)]
                case .tensor(let t):
                    return [
                        scope.notation.name(name),
                        t.value.scalars.enumerated().reduce(into: RichText()) { r, item in
                            r += (item.offset > 0 ? ", " : "") + scope.notation.number(item.element)
                        },
                    ]
                case .text(let s): return [scope.notation.name(name), RichText(s)]
                default: throw ScriptError("\(name) has no value to tabulate", at: at)
                }
            }
            return [
                .table(
                    Table(
                        caption(statement), columns: [.init("name"), .init("value", alignment: .trailing)], rows: rows))
            ]
        case .parameterTable:
            return [
                .table(
                    scope.notation.settingsTable(
                        parameters,
                        caption(statement) ?? "The parameters of this run; each is set with --set KEY=VALUE."))
            ]
        case .train(let groups, let steps, let rate):
            return try train(groups, steps: steps, rate: rate, statement, in: scope)
        }
    }

    func assign(
        _ written: String, _ formula: Expr, shown: Bool, _ statement: Statement, indices: [String: Int] = [:],
        in scope: TapeScope
    ) throws(ScriptError) -> [Block] {
        let at = statement.location
        var label = written
        for (index, value) in indices { label = Expr.substituting(index, value, in: label) }
        if scope.nodes[label] != nil || script.parameters.contains(where: { $0.parameter.name == label }) {
            let before = scope.places[label].map { " on line \($0.line)" } ?? " as a parameter"
            throw ScriptError(
                "\(label) is already set\(before)", at: at,
                hint: "each name is set once; call the new value \(label)+ or \(label)_2")
        }
        for (name, location) in formula.references() where name == written {
            throw ScriptError(
                "\(label) is used in its own formula", at: location,
                hint: "a formula reads names set above it; name the new value \(label)+")
        }
        (scope.drawLabel, scope.drawCount) = (label, 0)
        switch try evaluate(formula, in: scope, indices: indices) {
        case .number(let x):
            let v = scope.tape.input(x, label)
            scope.nodes[label] = .scalar(v)
        case .scalar(let v) where scope.results.contains(v.id):
            // A trained value as the start of what follows (a layer frozen for transfer, W₁ = w₁
            // after training): a leaf of its own, as nothing upstream of it is on the tape.
            let leaf = scope.tape.input(v.value, label)
            scope.nodes[label] = .scalar(leaf)
        case .scalar(let v):
            // A bare name would be renamed, not copied.
            guard v.label == nil, v.tape.primitive(of: v.id) != .input else {
                throw ScriptError(
                    "\(label) = \(v.label ?? "a leaf") only gives another name to the same value", at: at,
                    hint: "use \(v.label ?? "it") itself, or write the formula it should compute")
            }
            scope.nodes[label] = .scalar(v.labeled(label))
        case .tensor(let t):
            guard t.label == nil else {
                throw ScriptError(
                    "\(label) = \(t.label!) only gives another name to the same value", at: at,
                    hint: "use \(t.label!) itself")
            }
            scope.nodes[label] = .tensor(t.labeled(label))
        case .text, .truth:
            throw ScriptError("\(label) must be a number, a vector or a matrix", at: at)
        }
        scope.places[label] = at
        // lessons graph draws the last step shown (or a graph line's node), not a helper set by let.
        scope.lastSet = scope.nodes[label]
        guard shown else { return [] }
        scope.output = scope.nodes[label]
        switch scope.nodes[label]! {
        case .scalar(let v): return [.step(scope.notation.step(v, caption(statement)))]
        case .tensor(let t): return [.step(scope.tensorNotation.step(t, caption(statement)))]
        }
    }

    func derivative(
        _ yName: String, _ xName: String, _ form: Statement.DerivativeForm, _ statement: Statement,
        in scope: TapeScope
    ) throws(ScriptError) -> [Block] {
        let at = statement.location
        let label = "d\(yName)/d\(xName)"
        guard scope.nodes[label] == nil else { throw ScriptError("∂\(yName)/∂\(xName) is already worked out", at: at) }
        if case .tensor(let y) = try lookUp(yName, in: scope, at: at) {
            return try tensorDerivative(y, xName, label: label, statement, in: scope)
        }
        let y = try scalar(yName, in: scope, at: at)
        let x = try scalar(xName, in: scope, at: at)
        let tape = scope.tape
        let routes = tape.pathCount(from: y, to: x)
        guard routes > 0 else {
            throw ScriptError(
                "\(yName) does not depend on \(xName): ∂\(yName)/∂\(xName) is 0 along every route", at: at,
                hint: "\(yName) is computed from " + spokenList(sources(of: y, in: scope)))
        }
        guard routes <= 4096 else {
            throw ScriptError(
                "∂\(yName)/∂\(xName) has \(routes) routes: too many terms to write", at: at,
                hint: "write it as a chain through named nodes")
        }
        let n = scope.notation
        var step: Step
        switch form {
        case .direct:
            step = n.derivative(of: y, withRespectTo: x, caption(statement))
        case .chain(let names, let simplified):
            let path = try names.map { name throws(ScriptError) in try scalar(name, in: scope, at: at) }
            for (a, b) in zip(path, path.dropFirst()) {
                let links = tape.pathCount(from: a, to: b)
                guard links > 0 else {
                    throw ScriptError(
                        "the chain breaks: \(a.label ?? "?") does not depend on \(b.label ?? "?")", at: at)
                }
                guard links <= 4096 else {
                    throw ScriptError(
                        "∂\(a.label ?? "?")/∂\(b.label ?? "?") has \(links) routes: too many terms to write", at: at)
                }
            }
            let product = zip(path, path.dropFirst()).map { tape.derivative(of: $0, withRespectTo: $1) }.reduce(1, *)
            let total = tape.derivative(of: y, withRespectTo: x)
            guard abs(product - total) <= 1e-9 * max(abs(product), abs(total), .leastNormalMagnitude) else {
                throw ScriptError(
                    """
                    this chain misses a route from \(yName) to \(xName): its factors \
                    give \(spoken(product)), the derivative is \(spoken(total))
                    """,
                    at: at,
                    hint:
                        """
                        \(xName) also reaches \(yName) another way; write \
                        ∂\(yName)/∂\(xName) alone, or as a sum of parts
                        """
                )
            }
            step = simplified ? n.simplification(path, caption(statement)) : n.chain(path, caption(statement))
        case .sum(let partNames):
            let parts = try partNames.map { name throws(ScriptError) in try scalar(name, in: scope, at: at) }
            let total = tape.derivative(of: y, withRespectTo: x)
            let sum = parts.map { tape.derivative(of: $0, withRespectTo: x) }.reduce(0, +)
            guard abs(sum - total) <= 1e-9 * max(abs(sum), abs(total), .leastNormalMagnitude) else {
                throw ScriptError(
                    """
                    these parts do not add up to ∂\(yName)/∂\(xName): they \
                    give \(spoken(sum)), the derivative is \(spoken(total))
                    """,
                    at: at)
            }
            step = n.sum(y, of: parts, withRespectTo: x, caption(statement))
        }
        let value = tape.derivative(of: y, withRespectTo: x)
        try record(label, value, in: scope, at: at)
        return [.step(step)]
    }

    /// The labeled nodes and parameters y is computed from, for "L is computed from …".
    func sources(of y: Value, in scope: TapeScope) -> [String] {
        scope.nodes.compactMap { name, node in
            guard case .scalar(let v) = node, v.id < y.id, !name.hasPrefix("\u{1}"),
                scope.tape.pathCount(from: y, to: v) > 0
            else { return nil }
            return name
        }.sorted()
    }

    /// ∂y/∂X for a scalar y on the tensor tape: X's gradient, recorded as dy/dX.
    func tensorDerivative(
        _ y: Tensor, _ xName: String, label: String, _ statement: Statement, in scope: TapeScope
    ) throws(ScriptError) -> [Block] {
        let at = statement.location
        guard y.shape.count == 1 else {
            throw ScriptError(
                "a derivative is of one number; \(y.label ?? "this") is \(y.shape)", at: at, hint: "sum it first")
        }
        guard case .tensor(let x) = try lookUp(xName, in: scope, at: at) else {
            throw ScriptError(
                "\(xName) is on the scalar tape and \(y.label ?? "the output") on the tensor tape", at: at)
        }
        let tape = scope.tensorTape
        tape.backward(from: y)
        let gradient = tape.gradient(of: x.id)
        let leaf = tape.input(gradient, label)
        scope.nodes[label] = .tensor(leaf)
        scope.places[label] = at
        let t = scope.tensorNotation
        var step = Step(caption(statement), lhs: "∂" + t.name(y) + "/∂" + t.name(x), lines: [t.value(gradient)])
        step.answer =
            gradient.shape.count == 1
            ? StepAnswer(label: scope.prefix + label, value: gradient.scalars[0])
            : StepAnswer(label: scope.prefix + label, rows: gradient.rows)
        return [.step(step)]
    }
}
