import Engine
import Foundation
import LessonKit
import ReportModel

/// A script's `plot` statement as a figure: curves of a variable, `points` groups as scatters,
/// the numbers each reads from the tape.
extension ScriptRun {
    func plot(
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
    func pointLayers(_ statement: Statement, colorsFrom first: Int, in scope: TapeScope) throws(ScriptError)
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
    func numbers(_ e: Expr, in scope: TapeScope, indices: [String: Int]) throws(ScriptError) -> [Double] {
        switch try evaluate(e, in: scope, indices: indices) {
        case .number(let x): return [x]
        case .scalar(let v): return [v.value]
        case .tensor(let t): return t.value.scalars
        case let other:
            throw ScriptError("points are drawn from numbers or vectors, not \(other.kindName)", at: e.location)
        }
    }

    /// A formula of two variables on a 41 × 41 grid, each point through the engine on a scratch tape.
    func heatmap(
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
