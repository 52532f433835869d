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
                    "no dense network leads to \(name): network draws units a = σ(w·x + b) (or tanh, relu, softplus) read off the tape",
                    at: at,
                    hint:
                        "name each unit's activation (out_h1 = σ(net_h1)) and write its sum as weights times inputs plus a bias"
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

    private func assign(
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

    private func derivative(
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
                    "this chain misses a route from \(yName) to \(xName): its factors give \(spoken(product)), the derivative is \(spoken(total))",
                    at: at,
                    hint:
                        "\(xName) also reaches \(yName) another way; write ∂\(yName)/∂\(xName) alone, or as a sum of parts"
                )
            }
            step = simplified ? n.simplification(path, caption(statement)) : n.chain(path, caption(statement))
        case .sum(let partNames):
            let parts = try partNames.map { name throws(ScriptError) in try scalar(name, in: scope, at: at) }
            let total = tape.derivative(of: y, withRespectTo: x)
            let sum = parts.map { tape.derivative(of: $0, withRespectTo: x) }.reduce(0, +)
            guard abs(sum - total) <= 1e-9 * max(abs(sum), abs(total), .leastNormalMagnitude) else {
                throw ScriptError(
                    "these parts do not add up to ∂\(yName)/∂\(xName): they give \(spoken(sum)), the derivative is \(spoken(total))",
                    at: at)
            }
            step = n.sum(y, of: parts, withRespectTo: x, caption(statement))
        }
        let value = tape.derivative(of: y, withRespectTo: x)
        try record(label, value, in: scope, at: at)
        return [.step(step)]
    }

    /// The labeled nodes and parameters y is computed from, for "L is computed from …".
    private func sources(of y: Value, in scope: TapeScope) -> [String] {
        scope.nodes.compactMap { name, node in
            guard case .scalar(let v) = node, v.id < y.id, !name.hasPrefix("\u{1}"),
                scope.tape.pathCount(from: y, to: v) > 0
            else { return nil }
            return name
        }.sorted()
    }

    /// ∂y/∂X for a scalar y on the tensor tape: X's gradient, recorded as dy/dX.
    private func tensorDerivative(
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

    private func plot(
        _ curves: [(curve: Expr, name: String?)], variable: String, from: Expr, to: Expr, _ statement: Statement,
        in scope: TapeScope
    ) throws(ScriptError) -> Block {
        let (low, high) = (try number(from, in: scope), try number(to, in: scope))
        guard low < high else {
            throw ScriptError("a plot's range runs from a smaller number to a larger one", at: statement.location)
        }
        // One curve names the y axis; several name their legend entries, and the axis stays bare.
        let written = try curves.map { c throws(ScriptError) in
            try c.name.map { n throws(ScriptError) in try filled(n, at: statement.location, in: scope) }
                ?? c.curve.written
        }
        // One curve alone names the y axis; with others, or with points, each is named in the legend.
        let alone = curves.count == 1 && statement.points.isEmpty
        let yAxis = Plot.Axis(RichText(alone ? written[0] : ""))
        let legend = curves.count == 1 ? nil : written
        var layers: [Plot.Layer] = []
        let series = curves.contains { curve in
            curve.curve.references().contains(where: { $0.name.contains("{\(variable)}") })
        }
        if series {
            // A recorded series: plot E{k} for k in 1...5 reads E1 … E5, one point each.
            guard low == low.rounded(), high == high.rounded(), high - low < 10_000 else {
                throw ScriptError("a series runs over whole numbers, at most 10000 of them", at: statement.location)
            }
            for (c, curve) in curves.enumerated() {
                var points: [(x: Double, y: Double)] = []
                for k in Int(low)...Int(high) {
                    let y = try number(curve.curve, in: scope, indices: [variable: k])
                    if y.isFinite { points.append((Double(k), y)) }
                }
                layers += [
                    .line(.init(legend.map { RichText($0[c]) }, points: points, color: c)),
                    .scatter(.init(points: points, color: c)),
                ]
            }
        } else {
            // Each point through the engine, on a scratch tape of its own.
            let scratch = TapeScope(name: "\u{1}plot", format: format, symbols: scope.notation.symbols)
            let read = Set(
                curves.flatMap {
                    $0.curve.references().map { (try? valueIndexed($0.name, in: scope, at: $0.location)) ?? $0.name }
                })
            for (name, node) in scope.nodes {
                switch node {
                case .scalar(let v): scratch.nodes[name] = .scalar(scratch.tape.input(v.value, name))
                // A fit's coefficients, read as the numbers they are: poly(θ3, x).
                case .tensor(let t) where read.contains(name):
                    scratch.nodes[name] = .tensor(scratch.tensors.input(t.value, name))
                case .tensor: break
                }
            }
            let samples = 201
            for (c, curve) in curves.enumerated() {
                var points: [(x: Double, y: Double)] = []
                for k in 0..<samples {
                    let x = low + (high - low) * Double(k) / Double(samples - 1)
                    scratch.nodes[variable] = .scalar(scratch.tape.input(x, variable))
                    let y = try number(curve.curve, in: scratch)
                    if y.isFinite { points.append((x, y)) }
                }
                guard !points.isEmpty else {
                    throw ScriptError(
                        "the curve \(written[c]) has no finite point on \(low)...\(high)", at: statement.location)
                }
                layers.append(.line(.init(RichText(written[c]), points: points, color: alone ? nil : c)))
            }
        }
        let points = try pointLayers(statement, colorsFrom: curves.count, in: scope)
        layers += points
        var y = yAxis
        // A series of errors across degrees spans decades where a fit interpolates: as a training
        // curve does, it goes on a log scale once it spans more than 30×.
        let values = layers.flatMap { layer -> [Double] in
            if case .line(let s) = layer { s.points.map(\.y) } else { [] }
        }
        if series, ScriptRun.spansDecades(values) { y.scale = .logarithmic }
        // With data drawn, the data set the view: a curve that swings far from them (an
        // interpolating polynomial) leaves the axes rather than flattening the points to a line.
        let ys = points.flatMap { layer -> [Double] in if case .scatter(let s) = layer { s.points.map(\.y) } else { [] }
        }
        if !series, let low = ys.min(), let high = ys.max() {
            let margin = max(high - low, 1e-9) * 0.5
            if let top = values.max(), let bottom = values.min(), top > high + margin || bottom < low - margin {
                y.range = (low - margin)...(high + margin)
            }
        }
        let range: RichText =
            series
            ? RichText(" from \(Int(low)) to \(Int(high)).")
            : " from " + scope.notation.number(low) + " to " + scope.notation.number(high) + "."
        let caption =
            caption(statement) ?? RichText.listed(written.map { RichText($0) }, and: true) + " for "
            + RichText(variable) + range
        let scaleNote: RichText =
            y.scale != .logarithmic
            ? "" : caption.plainText.hasSuffix(".") ? " On a logarithmic scale." : ", on a logarithmic scale."
        return .figure(Figure(caption + scaleNote, plot: Plot(x: Plot.Axis(RichText(variable)), y: y, layers: layers)))
    }
}

extension ScriptRun {
    /// A plot's `points` groups: each a scatter of its x and y vectors, named in the legend.
    fileprivate func pointLayers(_ statement: Statement, colorsFrom first: Int, in scope: TapeScope) throws(ScriptError)
        -> [Plot.Layer]
    {
        var layers: [Plot.Layer] = []
        for group in statement.points {
            let assignments = try assignments(of: group.repeats.map { [$0] } ?? [], at: group.x.location, in: scope)
            guard assignments.count <= 100 else {
                throw ScriptError(
                    "these points make \(assignments.count) groups; a plot shows at most 100", at: group.x.location)
            }
            for indices in assignments {
                let (xs, ys) = (
                    try numbers(group.x, in: scope, indices: indices), try numbers(group.y, in: scope, indices: indices)
                )
                guard xs.count == ys.count else {
                    throw ScriptError(
                        "points x, y need as many y values as x values; these are \(ys.count) and \(xs.count)",
                        at: group.x.location)
                }
                let name = try group.name.map { n throws(ScriptError) in
                    try filled(n, indices: indices, at: statement.location, in: scope)
                }
                layers.append(
                    .scatter(.init(name.map { RichText($0) }, points: Array(zip(xs, ys)), color: first + layers.count)))
            }
        }
        return layers
    }

    /// A legend's name with its braced whole numbers put in: "degree {d_dev}" is "degree 3",
    /// "fold {j}" for j = 2 is "fold 2".
    func filled(_ name: String, indices: [String: Int] = [:], at: SourceLocation, in scope: TapeScope)
        throws(ScriptError) -> String
    {
        var result = name
        while let open = result.firstIndex(of: "{"), let close = result[open...].firstIndex(of: "}") {
            let inner = String(result[result.index(after: open)..<close])
            let value = try indices[inner] ?? integer(.name(inner, at), in: scope)
            result.replaceSubrange(open...close, with: String(value))
        }
        return result
    }

    /// A vector's numbers (or one number's).
    private func numbers(_ e: Expr, in scope: TapeScope, indices: [String: Int]) throws(ScriptError) -> [Double] {
        switch try evaluate(e, in: scope, indices: indices) {
        case .number(let x): return [x]
        case .scalar(let v): return [v.value]
        case .tensor(let t): return t.value.scalars
        case let other:
            throw ScriptError("points are drawn from numbers or vectors, not \(other.kindName)", at: e.location)
        }
    }

    /// A formula of two variables on a 41 × 41 grid, each point through the engine on a scratch tape.
    fileprivate func heatmap(
        _ surface: Expr, name: String?, x: String, _ xRange: (Expr, Expr), y: String, _ yRange: (Expr, Expr),
        _ statement: Statement, in scope: TapeScope
    ) throws(ScriptError) -> Block {
        let (xLow, xHigh) = (try number(xRange.0, in: scope), try number(xRange.1, in: scope))
        let (yLow, yHigh) = (try number(yRange.0, in: scope), try number(yRange.1, in: scope))
        guard xLow < xHigh, yLow < yHigh else {
            throw ScriptError("a heatmap's ranges run from a smaller number to a larger one", at: statement.location)
        }
        guard x != y else { throw ScriptError("a heatmap's two variables need two names", at: statement.location) }
        // A name the formula reads that is computed from x or y (a class chosen from scores of the
        // point) is computed again at each grid point, with the lines that lead to it.
        let program = try lines(
            leadingTo: Set(surface.references().map(\.name)), in: scope, at: statement.location, what: "the heatmap")
        let scratch = TapeScope(name: "\u{1}plot", format: format, symbols: scope.notation.symbols)
        let fixed = constants(of: program, reading: [surface], excluding: [x, y], in: scope)
        let samples = 41
        let xs = (0..<samples).map { xLow + (xHigh - xLow) * Double($0) / Double(samples - 1) }
        let ys = (0..<samples).map { yLow + (yHigh - yLow) * Double($0) / Double(samples - 1) }
        var values: [Double] = []
        values.reserveCapacity(samples * samples)
        for b in ys {
            for a in xs {
                scratch.tape.clear()
                scratch.nodes.removeAll(keepingCapacity: true)
                for (label, value) in fixed { scratch.nodes[label] = .scalar(scratch.tape.input(value)) }
                scratch.nodes[x] = .scalar(scratch.tape.input(a))
                scratch.nodes[y] = .scalar(scratch.tape.input(b))
                try replay(program, on: scratch, purpose: "a heatmap draws numbers", at: statement.location)
                values.append(try number(surface, in: scratch))
            }
        }
        let written = RichText(name ?? surface.written)
        guard values.contains(where: \.isFinite) else {
            throw ScriptError("\(written.plainText) has no finite value on this grid", at: statement.location)
        }
        var field = Plot.Field(xs: xs, ys: ys, values: values, colors: .sequential, colorBar: written)
        // Labels (a class 0, 1, 2, 3) keep their colours from one map to the next: the ramp runs from 0.
        let finite = values.filter(\.isFinite)
        if finite.allSatisfy({ $0 == $0.rounded() }), Set(finite).count <= 12, let high = finite.max(),
            let low = finite.min()
        {
            field.colorRange = min(0, low)...max(high, min(0, low) + 1)
        }
        let caption = caption(statement) ?? written + " over " + RichText(x) + " and " + RichText(y) + "."
        return .figure(
            Figure(
                caption,
                plot: Plot(
                    x: Plot.Axis(scope.notation.name(x)), y: Plot.Axis(scope.notation.name(y)),
                    layers: [.heatmap(field)])))
    }
}

extension Expr {
    /// The formula as a reader writes it, for axis labels.
    var written: String {
        switch self {
        case .number(let x, _): x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)"
        // An indexed name is written with its index lowered: w{k} as w_{k}.
        case .name(let n, _): n.replacingOccurrences(of: "_{", with: "{").replacingOccurrences(of: "{", with: "_{")
        case .text(let s, _): s
        case .derivative(let y, let x, _): "∂\(y)/∂\(x)"
        case .negate(let e, _): "−" + e.written
        case .binary(let op, let a, let b, _):
            op == "^"
                ? a.written + "^{" + b.written + "}"
                : "\(a.written) \(["*": "·", "-": "−"][op] ?? op) \(b.written)"
        case .not(let e, _): "not " + e.written
        case .call(let f, let args, _): f + "(" + args.map(\.written).joined(separator: ", ") + ")"
        case .sum(let k, let from, let to, let body, _): "Σ_{\(k)=\(from.written)}^{\(to.written)} " + body.written
        case .chosen(let k, let from, let to, let body, let largest, _):
            "arg\(largest ? "max" : "min")_{\(k)=\(from.written)…\(to.written)} " + body.written
        case .array: "[…]"
        case .choose(let c, let a, let b, _): "\(c.written) ? \(a.written) : \(b.written)"
        }
    }
}

extension RichText {
    /// "w1, w2", or with `and`: "w and c", "a, b and c": a plot's curves, a game's losses.
    static func listed(_ items: [RichText], and: Bool) -> RichText {
        var text = RichText()
        for (k, item) in items.enumerated() {
            text += (k == 0 ? RichText() : RichText(and && k == items.count - 1 ? " and " : ", ")) + item
        }
        return text
    }
}
