/// One worked step: a left-hand side and the chain of right-hand sides it equals,
/// typically formula → formula with numbers → result.
///
///     Step(lhs: "net_{h1}", rhs: ["w_1·i_1 + w_2·i_2 + b_1", "0.15 × 0.05 + 0.2 × 0.1 + 0.35", "0.3775"])
///     // net_h1 = w1·i1 + … = 0.15 × 0.05 + … = 0.3775
public struct Step: Sendable, ReportContent {
    /// A short line above the equations saying what the step computes.
    public var caption: RichText?
    public var lhs: MathLine
    /// Each entry is written on its own line after "=". The last one is the result.
    public var rhs: [MathLine]
    /// Whether the last line is a result, set in bold; a rule (V = βV + (1 − β)g) has none.
    public var hasResult: Bool
    /// An exercise sheet's step: the result is a blank box for the student's answer.
    public var answerBox = false
    /// The result as a student answers it: its label, full-precision value and follow-through.
    /// Set by the notations for every step they read off a tape; nil for a step typed by hand.
    public var answer: StepAnswer?
    /// On a sheet and its key: print the answer's label beside the result.
    public var showsLabel = false

    public init(_ caption: RichText? = nil, lhs: RichText, rhs: [RichText], hasResult: Bool = true) {
        self.init(caption, lhs: lhs, lines: rhs.map(MathLine.init), hasResult: hasResult)
    }

    /// A step whose lines hold matrices: z = W a + b = [matrices] = [result].
    public init(_ caption: RichText? = nil, lhs: RichText, lines rhs: [MathLine], hasResult: Bool = true) {
        self.init(caption, equating: MathLine(lhs), to: rhs, hasResult: hasResult)
    }

    /// A step whose left-hand side is a formula of its own (∂E_total over ∂w₅, stacked).
    public init(_ caption: RichText? = nil, equating lhs: MathLine, to rhs: [MathLine], hasResult: Bool = true) {
        self.caption = caption
        self.lhs = lhs
        self.hasResult = hasResult
        // A line identical to the one before it (a leaf's name and value), or a first line that
        // only repeats the name (p − y = p − y; eᶻ = eᶻ, the name in italics), says nothing new.
        func says(_ line: MathLine) -> Math { line.math.withVariants { _ in [] } }
        let lines = rhs.count > 1 && (rhs.first == lhs || says(rhs[0]) == says(lhs)) ? Array(rhs.dropFirst()) : rhs
        self.rhs = lines.enumerated().filter { $0.offset == 0 || $0.element != lines[$0.offset - 1] }.map(\.element)
    }

    /// Whether line `index` is the result, set in bold or, on a sheet, as the answer box: the last
    /// of several lines, or on a sheet the only line left (the others printed a hidden number).
    public func isResult(line index: Int) -> Bool {
        hasResult && index == rhs.count - 1 && (rhs.count > 1 || answerBox)
    }

    public var blocks: [Block] { [.step(self)] }
}

extension Step {
    /// The same step with every matrix in at most `columns` columns and `rows` rows, for a
    /// smaller page (a slide).
    public func narrowingMatrices(toColumns columns: Int, rows: Int = .max) -> Step {
        var step = self
        step.lhs = lhs.narrowingMatrices(toColumns: columns, rows: rows)
        step.rhs = rhs.map { $0.narrowingMatrices(toColumns: columns, rows: rows) }
        return step
    }
}

extension Step {
    /// The step on one line, as a terminal shows it: lhs = formula = numbers = result.
    public var terminalLine: String { ([lhs.terminalText] + rhs.map(\.terminalText)).joined(separator: " = ") }
}
