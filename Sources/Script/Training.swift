import Engine
import Foundation
import ReportModel

/// `train w1, w2 on L for 1000 steps rate alpha`: gradient descent on named parameters, each
/// round the lines that compute L recorded again on a reused tape with the parameters' new
/// values, every parameter stepped at once (w ← w − α·∂L/∂w).
///
/// `train w, c on L_D then a, b on L_G for …` is a game (a GAN's): each round steps w and c on
/// L_D, then a and b on L_G at the w and c just stepped. Each loss is read at the round's start.
extension ScriptRun {
    func train(
        _ groups: [Training], steps: Expr, rate: Expr, _ statement: Statement,
        in scope: TapeScope
    ) throws(ScriptError) -> [Block] {
        let at = statement.location
        let rounds = try integer(steps, in: scope)
        guard (1...10_000_000).contains(rounds) else {
            throw ScriptError("train runs from 1 to 10000000 steps, not \(rounds)", at: steps.location)
        }
        let alpha = try number(rate, in: scope)
        var seen: Set<String> = []
        for name in groups.flatMap(\.parameters) {
            guard let declared = script.parameters.first(where: { $0.parameter.name == (symbolNames[name] ?? name) })
            else {
                throw ScriptError(
                    "train steps parameters; '\(name)' is not one", at: at,
                    hint: didYouMean(name, among: script.parameters.map(\.parameter.name))
                        ?? "declare it in the ```parameters block")
            }
            guard case .real = declared.parameter.kind else {
                throw ScriptError("\(name) is not a real parameter, so it cannot be trained", at: at)
            }
            guard seen.insert(declared.parameter.name).inserted else {
                throw ScriptError("train steps \(name) twice; each parameter belongs to one loss", at: at)
            }
        }
        guard Set(groups.map(\.loss)).count == groups.count else {
            throw ScriptError("a game's losses are different names", at: at)
        }
        let scalars = script.parameters.compactMap { declared -> String? in
            switch declared.parameter.kind {
            case .real, .integer: declared.parameter.name
            default: nil
            }
        }
        let players = try groups.map { group throws(ScriptError) in
            try Player(group, scalars: scalars, run: self, scope: scope, at: at)
        }

        // The rounds a table shows (0, 1, 10, 100, … and the last), and about 300 for the curve.
        var shown = Set([0, rounds])
        var power = 1
        while power < rounds {
            shown.insert(power)
            power *= 10
        }
        let samples = min(rounds, 300)
        let sampled = Set((0...samples).map { Int((Double($0) * Double(rounds) / Double(max(samples, 1))).rounded()) })
        var table: [(round: Int, losses: [Double], values: [Double])] = []
        var curves = [[(x: Double, y: Double)]](repeating: [], count: groups.count)
        var lowest = [(round: Int, loss: Double)](repeating: (0, .infinity), count: groups.count)
        var highest = [(round: Int, loss: Double)](repeating: (0, -.infinity), count: groups.count)
        let round = TapeScope(name: "\u{1}train", format: format, symbols: [:])
        var current = scalars.map { parameters[$0] }
        let trainedIndex = groups.map { group in
            group.parameters.map { name in scalars.firstIndex(of: symbolNames[name] ?? name)! }
        }
        var registers: [Value] = []
        var leaves: [Value] = []
        for r in 0...rounds {
            // Every loss at the round's start; the first player's recording is also its step's.
            var losses = [Double](repeating: 0, count: groups.count)
            var first: Value?
            for g in groups.indices.reversed() {
                let output = try players[g].record(
                    on: round, values: current, round: r, registers: &registers, leaves: &leaves, run: self, at: at)
                losses[g] = output.value
                if g == 0 { first = output }
            }
            for g in groups.indices {
                let error = losses[g]
                if sampled.contains(r) { curves[g].append((Double(r), error)) }
                if error < lowest[g].loss { lowest[g] = (r, error) }
                if error > highest[g].loss { highest[g] = (r, error) }
                guard error.isFinite else {
                    throw ScriptError(
                        "training diverged: \(groups[g].loss) is \(spoken(error)) after \(r) steps", at: at,
                        hint: "try a smaller rate")
                }
            }
            if shown.contains(r) { table.append((r, losses, trainedIndex.flatMap { $0.map { current[$0] } })) }
            if r == rounds { break }
            // Round 0 shows what a round costs: refuse a run of more than about ten seconds.
            if r == 0, Double(round.tape.count) * Double(rounds) * Double(2 * groups.count - 1) > 1e8 {
                throw ScriptError(
                    "training would record \(round.tape.count) operations \(rounds) times, more than 10⁸ in all",
                    at: steps.location,
                    hint: "take fewer steps (at most \(Int(1e8) / max(1, round.tape.count * (2 * groups.count - 1))))")
            }
            for g in groups.indices {
                let output =
                    g == 0
                    ? first!
                    : try players[g].record(
                        on: round, values: current, round: r, registers: &registers, leaves: &leaves, run: self, at: at)
                round.tape.backward(from: output)
                for k in trainedIndex[g] { current[k] -= alpha * leaves[k].gradient }
            }
        }
        let values = Dictionary(uniqueKeysWithValues: zip(scalars, current))
        let n = scope.notation
        for (g, group) in groups.enumerated() {
            // A bump between samples would vanish from the plot: its extremes join the curve.
            for extreme in [lowest[g], highest[g]] where !sampled.contains(extreme.round) {
                curves[g].append((Double(extreme.round), extreme.loss))
            }
            curves[g].sort { $0.x < $1.x }
            let trained = group.parameters.map { symbolNames[$0] ?? $0 }
            try record(group.loss + "_after_training", table.last!.losses[g], in: scope, at: at, result: true)
            for name in trained { try record(name + "_after_training", values[name]!, in: scope, at: at, result: true) }
            // Printed as θ₀∗, the trained value, not as θ0 with a subscript "after_training".
            for name in [group.loss] + trained {
                scope.notation.symbols[name + "_after_training"] = n.name(name) + RichText(runs: [.init("∗", .raised)])
            }
            // A second training on the tape names its rounds after its loss, as a game's players do.
            let first =
                groups.count == 1 && !extraValues.contains { $0.scope == scope.name && $0.label == "curve_update" }
            extra(first ? "curve_update" : "curve_\(group.loss)_update", .array(curves[g].map(\.x)), in: scope)
            extra("curve_" + group.loss, .array(curves[g].map(\.y)), in: scope)
        }
        let all = curves.flatMap { $0.map(\.y) }
        let lossNames = groups.map { n.name($0.loss) }
        let axis = Plot.Axis(
            groups.count == 1 ? lossNames[0] : "", scale: ScriptRun.spansDecades(all) ? .logarithmic : .linear)
        let ending: RichText = axis.scale == .logarithmic ? ", on a logarithmic scale." : "."
        var written = RichText()
        if groups.count == 1 {
            written =
                lossNames[0] + RichText(" after each of \(rounds) steps of gradient descent on ")
                + RichText.listed(groups[0].parameters.map(n.name), and: false)
        } else {
            written =
                RichText.listed(lossNames, and: true)
                + RichText(" after each of \(rounds) rounds of a game: each round steps ")
            for (g, group) in groups.enumerated() {
                written +=
                    (g == 0 ? RichText() : RichText(", then "))
                    + RichText.listed(group.parameters.map(n.name), and: true) + RichText(" on ") + lossNames[g]
            }
        }
        written += RichText(" with rate ") + n.number(alpha) + ending
        let lines = groups.indices.map { g in
            Plot.Layer.line(.init(lossNames[g], points: curves[g], color: groups.count == 1 ? nil : g))
        }
        // The table follows the parameters too while they fit across the page (a game has no
        // one loss that shows progress; a fit shows where each weight goes).
        let tabled = groups.flatMap(\.parameters).count <= 6
        let parameterColumns =
            tabled ? groups.flatMap(\.parameters).map { Table.Column(n.name($0), alignment: .trailing) } : []
        let tableCaption =
            RichText.listed(lossNames, and: true) + RichText(tabled ? " and the parameters" : "")
            + RichText(" at a few points of the \(groups.count == 1 ? "training run" : "game").")
        return [
            .figure(Figure(caption(statement) ?? written, plot: Plot(x: "steps", y: axis, layers: lines))),
            .table(
                Table(
                    tableCaption,
                    columns: [.init("steps", alignment: .trailing)] + lossNames.map { .init($0, alignment: .trailing) }
                        + parameterColumns,
                    rows: table.map { row in
                        [.plain(String(row.round))] + row.losses.map(n.number)
                            + (tabled ? row.values.map(n.number) : [])
                    })),
        ]
    }

    /// The assignments of this tape that the loss is computed from, in order.
    func lines(leadingTo loss: String, in scope: TapeScope, at: SourceLocation) throws(ScriptError) -> [(String, Expr)]
    {
        try lines(leadingTo: [loss], in: scope, at: at, what: loss)
    }

    /// The assignments of this tape that any of `names` is computed from, in order; `what` names
    /// the recomputed value in the refusal of a line that reads a derivative.
    func lines(leadingTo names: Set<String>, in scope: TapeScope, at: SourceLocation, what loss: String)
        throws(ScriptError) -> [(String, Expr)]
    {
        var program: [(String, Expr)] = []
        var tapeName = ""
        for (name, s) in scopes where s === scope { tapeName = name }
        script.cells.forEachStatement { tape, statement in
            if tape == tapeName, case .assignment(let label, let formula, _) = statement.kind {
                program.append((label, formula))
            }
        }
        guard let end = program.lastIndex(where: { names.contains($0.0) }) else { return [] }
        var needed = names
        var kept: [(String, Expr)] = []
        // A sum's w{k} reads w1, w2, …: its bounds are read here, as the run will read them.
        let terms = { (from: Expr, to: Expr) -> ClosedRange<Int>? in
            guard let low = try? self.integer(from, in: scope), let high = try? self.integer(to, in: scope), low <= high
            else { return nil }
            return low...high
        }
        for (label, formula) in program[...end].reversed() where needed.contains(label) {
            for (name, location) in formula.references(terms: terms) {
                if name.hasPrefix("d"), name.contains("/d"), scope.nodes[name] != nil {
                    throw ScriptError(
                        "train recomputes \(loss) each step, and \(label) reads a derivative worked out once",
                        at: location,
                        hint: "compute \(loss) from parameters and formulas only")
                }
                needed.insert(name)
            }
            kept.append((label, formula))
        }
        return kept.reversed()
    }
}

extension ScriptRun {
    /// The values `program` (and `extra`) read that it does not set itself and that are not in
    /// `excluding` (what each recomputation sets anew): a weight trained earlier and frozen, a
    /// point's coordinates. They are the same every time the lines are recomputed.
    func constants(
        of program: [(String, Expr)], reading extra: [Expr] = [], excluding: Set<String>,
        in scope: TapeScope
    ) -> [(name: String, value: Double)] {
        let labels = Set(program.map(\.0))
        var constants: [(name: String, value: Double)] = []
        for formula in program.map(\.1) + extra {
            for (name, _) in formula.references()
            where !labels.contains(name) && !excluding.contains(symbolNames[name] ?? name) {
                if case .scalar(let v)? = scope.nodes[name], !constants.contains(where: { $0.name == name }) {
                    constants.append((name, v.value))
                }
            }
        }
        return constants
    }

    /// `program` recorded line by line on `scope` (whose nodes hold what it reads), each line's
    /// value set under its label; `purpose` says what needs numbers, for the refusal of one that is not.
    func replay(_ program: [(String, Expr)], on scope: TapeScope, purpose: String, at: SourceLocation)
        throws(ScriptError)
    {
        for (label, formula) in program {
            (scope.drawLabel, scope.drawCount) = (label, 0)
            switch try evaluate(formula, in: scope) {
            case .scalar(let node): scope.nodes[label] = .scalar(node)
            // a number (or a draw) is a leaf, as on the page
            case .number(let x): scope.nodes[label] = .scalar(scope.tape.input(x))
            default: throw ScriptError("\(purpose); \(label) is not one", at: at)
            }
        }
    }
}

/// One loss of a training run and the lines that compute it, compiled to register operations
/// when they can be (else interpreted name by name each round).
private struct Player {
    let loss: String
    let program: [(String, Expr)]
    let compiled: RoundProgram?
    let scalars: [String]
    let constants: [(name: String, value: Double)]

    init(_ group: Training, scalars: [String], run: ScriptRun, scope: TapeScope, at: SourceLocation) throws(ScriptError)
    {
        guard case .scalar(let loss)? = scope.nodes[group.loss] else {
            throw ScriptError(
                scope.nodes[group.loss] == nil
                    ? "train's loss '\(group.loss)' is not set above this line" : "train's loss must be a number",
                at: at,
                hint: didYouMean(group.loss, among: Array(scope.nodes.keys)) ?? "compute it in a compute block first")
        }
        program = try run.lines(leadingTo: group.loss, in: scope, at: at)
        for name in group.parameters.map({ run.symbolNames[$0] ?? $0 })
        where scope.tape.pathCount(from: loss, to: try run.scalar(name, in: scope, at: at)) == 0 {
            throw ScriptError("\(group.loss) does not depend on \(name): training it would change nothing", at: at)
        }
        self.loss = group.loss
        self.scalars = scalars
        // A value set before and not by these lines (a weight trained earlier, then frozen) is
        // the same every round: a constant of the round.
        constants = run.constants(of: program, excluding: Set(scalars), in: scope)
        compiled = RoundProgram(program, loss: group.loss, scalarParameters: scalars, run: run, scope: scope)
    }

    /// The loss recorded on the round's cleared tape at `values`; `leaves` gets each scalar
    /// parameter's leaf, in `scalars` order, for its gradient.
    func record(
        on round: TapeScope, values: [Double], round r: Int, registers: inout [Value], leaves: inout [Value],
        run: ScriptRun, at: SourceLocation
    ) throws(ScriptError) -> Value {
        round.tape.clear()
        round.round = r
        leaves.removeAll(keepingCapacity: true)
        if let compiled {
            let output = compiled.record(on: round.tape, values: values, round: r, into: &registers)
            for name in scalars { leaves.append(registers[compiled.leafRegisters[name]!]) }
            return output
        }
        // Lines only the interpreter reads (a choice in a condition): each name looked up each round.
        round.nodes.removeAll(keepingCapacity: true)
        for (k, name) in scalars.enumerated() {
            leaves.append(round.tape.input(values[k]))
            round.nodes[name] = .scalar(leaves[k])
        }
        for constant in constants { round.nodes[constant.name] = .scalar(round.tape.input(constant.value)) }
        try run.replay(program, on: round, purpose: "train needs \(loss) computed from numbers", at: at)
        guard program.contains(where: { $0.0 == loss }), case .scalar(let output)? = round.nodes[loss] else {
            throw ScriptError("train's loss \(loss) is not computed by the lines above", at: at)
        }
        return output
    }
}
