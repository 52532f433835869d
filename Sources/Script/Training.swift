import Engine
import Foundation
import Report

/// `train w1, w2 on L for 1000 steps rate alpha`: gradient descent on named parameters, each
/// round the lines that compute L recorded again on a reused tape with the parameters' new
/// values, every parameter stepped at once (w ← w − α·∂L/∂w).
extension ScriptRun {
    func train(_ names: [String], on lossName: String, steps: Expr, rate: Expr, _ statement: Statement,
               in scope: TapeScope) throws(ScriptError) -> [Block] {
        let at = statement.location
        let rounds = try integer(steps, in: scope)
        guard (1...10_000_000).contains(rounds) else { throw ScriptError("train runs from 1 to 10000000 steps, not \(rounds)", at: steps.location) }
        let alpha = try number(rate, in: scope)
        for name in names {
            guard let declared = script.parameters.first(where: { $0.parameter.name == (symbolNames[name] ?? name) }) else {
                throw ScriptError("train steps parameters; '\(name)' is not one", at: at,
                                  hint: didYouMean(name, among: script.parameters.map(\.parameter.name)) ?? "declare it in the ```parameters block")
            }
            guard case .real = declared.parameter.kind else { throw ScriptError("\(name) is not a real parameter, so it cannot be trained", at: at) }
        }
        let trained = names.map { symbolNames[$0] ?? $0 }
        guard case .scalar(let loss)? = scope.nodes[lossName] else {
            throw ScriptError(scope.nodes[lossName] == nil ? "train's loss '\(lossName)' is not set above this line" : "train's loss must be a number", at: at,
                              hint: didYouMean(lossName, among: Array(scope.nodes.keys)) ?? "compute it in a compute block first")
        }
        let program = try lines(leadingTo: lossName, in: scope, at: at)
        for name in trained where scope.tape.pathCount(from: loss, to: try scalar(name, in: scope, at: at)) == 0 {
            throw ScriptError("\(lossName) does not depend on \(name): training it would change nothing", at: at)
        }

        // The rounds a table shows (0, 1, 10, 100, … and the last), and about 300 for the curve.
        var shown = Set([0, rounds]), power = 1
        while power < rounds { shown.insert(power); power *= 10 }
        let samples = min(rounds, 300)
        let sampled = Set((0...samples).map { Int((Double($0) * Double(rounds) / Double(max(samples, 1))).rounded()) })
        var table: [(round: Int, loss: Double)] = [], curve: [(x: Double, y: Double)] = []
        var lowest = (round: 0, loss: Double.infinity), highest = (round: 0, loss: -Double.infinity)
        let round = TapeScope(name: "\u{1}train", format: format, symbols: [:])
        let scalars = script.parameters.compactMap { declared -> String? in
            switch declared.parameter.kind {
            case .real, .integer: declared.parameter.name
            default: nil
            }
        }
        var current = scalars.map { parameters[$0] }
        let trainedIndex = trained.map { name in scalars.firstIndex(of: name)! }
        let compiled = RoundProgram(program, loss: lossName, scalarParameters: scalars, run: self, scope: scope)
        var registers: [Value] = []
        var leaves: [Value] = []
        for r in 0...rounds {
            round.tape.clear()
            var output: Value?
            leaves.removeAll(keepingCapacity: true)
            if let compiled {
                output = compiled.record(on: round.tape, values: current, into: &registers)
                for name in scalars { leaves.append(registers[compiled.leafRegisters[name]!]) }
            } else {
                // Lines only the interpreter reads (a choice in a condition): each name looked up each round.
                round.nodes.removeAll(keepingCapacity: true)
                for (k, name) in scalars.enumerated() {
                    leaves.append(round.tape.input(current[k]))
                    round.nodes[name] = .scalar(leaves[k])
                }
                for (label, formula) in program {
                    guard case .scalar(let v) = try evaluate(formula, in: round) else {
                        throw ScriptError("train needs \(lossName) computed from numbers; \(label) is not one", at: at)
                    }
                    round.nodes[label] = .scalar(v)
                    if label == lossName { output = v }
                }
            }
            guard let output else { throw ScriptError("train's loss \(lossName) is not computed by the lines above", at: at) }
            let error = output.value
            if shown.contains(r) { table.append((r, error)) }
            if sampled.contains(r) { curve.append((Double(r), error)) }
            if error < lowest.loss { lowest = (r, error) }
            if error > highest.loss { highest = (r, error) }
            guard error.isFinite else {
                throw ScriptError("training diverged: \(lossName) is \(spoken(error)) after \(r) steps", at: at, hint: "try a smaller rate")
            }
            if r == rounds { break }
            // Round 0 shows what a round costs: refuse a run of more than about ten seconds.
            if r == 0, Double(round.tape.count) * Double(rounds) > 1e8 {
                throw ScriptError("training would record \(round.tape.count) operations \(rounds) times, more than 10⁸ in all", at: steps.location,
                                  hint: "take fewer steps (at most \(Int(1e8) / max(1, round.tape.count)))")
            }
            round.tape.backward(from: output)
            for k in trainedIndex { current[k] -= alpha * leaves[k].gradient }
        }
        let values = Dictionary(uniqueKeysWithValues: zip(scalars, current))
        // A bump between samples would vanish from the plot: its extremes join the curve.
        for extreme in [lowest, highest] where !sampled.contains(extreme.round) { curve.append((Double(extreme.round), extreme.loss)) }
        curve.sort { $0.x < $1.x }

        let after = lossName + "_after_training"
        try record(after, table.last!.loss, in: scope, at: at)
        for name in trained { try record(name + "_after_training", values[name]!, in: scope, at: at) }
        // Printed as "θ₀ after training", not as θ0 with a subscript "after_training".
        for name in [lossName] + trained {
            scope.notation.symbols[name + "_after_training"] = scope.notation.name(name) + RichText(" after training")
        }
        extra("curve_update", .array(curve.map(\.x)), in: scope)
        extra("curve_" + lossName, .array(curve.map(\.y)), in: scope)
        let n = scope.notation
        let positive = curve.allSatisfy { $0.y > 0 }
        let spread = positive ? (curve.map(\.y).max()! / curve.map(\.y).min()!) : 1
        let axis = Plot.Axis(n.name(lossName), scale: positive && spread > 30 ? .logarithmic : .linear)
        var trainedNames = RichText()
        for (k, name) in names.enumerated() { trainedNames += (k > 0 ? RichText(", ") : RichText()) + n.name(name) }
        let ending: RichText = axis.scale == .logarithmic ? ", on a logarithmic scale." : "."
        var written: RichText = n.name(lossName) + RichText(" after each of \(rounds) steps of gradient descent on ")
        written += trainedNames + RichText(" with rate ") + n.number(alpha) + ending
        let caption = caption(statement) ?? written
        return [
            .figure(Figure(caption, plot: Plot(x: "steps", y: axis, layers: [.line(.init(n.name(lossName), points: curve))]))),
            .table(Table(n.name(lossName) + RichText(" at a few points of the training run."),
                         columns: [.init("steps", alignment: .trailing), .init(n.name(lossName), alignment: .trailing)],
                         rows: table.map { [.plain(String($0.round)), n.number($0.loss)] })),
        ]
    }

    /// The assignments of this tape that the loss is computed from, in order.
    private func lines(leadingTo loss: String, in scope: TapeScope, at: SourceLocation) throws(ScriptError) -> [(String, Expr)] {
        var program: [(String, Expr)] = []
        var tapeName = ""
        for (name, s) in scopes where s === scope { tapeName = name }
        script.cells.forEachStatement { tape, statement in
            if tape == tapeName, case .assignment(let label, let formula, _) = statement.kind { program.append((label, formula)) }
        }
        guard let end = program.firstIndex(where: { $0.0 == loss }) else { return [] }
        var needed: Set<String> = [loss]
        var kept: [(String, Expr)] = []
        for (label, formula) in program[...end].reversed() where needed.contains(label) {
            for (name, location) in formula.references() {
                if name.hasPrefix("d"), name.contains("/d"), scope.nodes[name] != nil {
                    throw ScriptError("train recomputes \(loss) each step, and \(label) reads a derivative worked out once", at: location,
                                      hint: "compute \(loss) from parameters and formulas only")
                }
                needed.insert(name)
            }
            kept.append((label, formula))
        }
        return kept.reversed()
    }
}
