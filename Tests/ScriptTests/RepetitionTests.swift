import Foundation
import LessonKit
import ReportModel
import TestSupport
import Testing

@testable import Script

/// The format's model-selection constructs, each on a data set small enough to work by hand:
/// lines repeated over an index, argmin, a name indexed by a computed number, x[a...b], folds,
/// least squares, and a plot's points.
@Suite("Lesson scripts: repeated lines, fits, folds and choices")
struct RepetitionTests {
    /// Four points on y = 1 + 2x exactly, and one off it.
    static let data = [
        "x = [0, 1, 2, 3, 4] length 2...10 in -10...10 \"inputs\"",
        "y = [1, 3, 5, 7, 10] length 2...10 in -20...20 \"targets\"",
    ]

    /// fit(x, y, 1) through (0, 1), (1, 3), (2, 5): the line 1 + 2x, met exactly; fit(x, y, 0) the mean 3.
    @Test func aLineRepeatedOverTheDegreeFitsEachDegree() throws {
        let result = try lesson(
            script(
                parameters: Self.data,
                compute: [
                    "let θ{d} = fit(x[1...3], y[1...3], d)   for d in 0...1",
                    "let E{d} = mean((poly(θ{d}, x[1...3]) − y[1...3])²)   for d in 0...1",
                    "table E{d} for d in 0...1",
                ])
        ).run(settings: [])
        guard case .rows(let line)? = result.values["θ1"] else {
            Issue.record("θ1 is a 2×1 column")
            return
        }
        #expect(close(line[0][0], 1, relative: 1e-14) && close(line[1][0], 2, relative: 1e-14))
        // Degree 0 is one coefficient, the mean, which values.json writes as a number.
        #expect(close(try #require(result.values.number("θ0")), 3, relative: 1e-15))
        // E0 = ((1 − 3)² + 0 + (5 − 3)²)/3 = 8/3; E1 = 0 to rounding.
        #expect(close(try #require(result.values.number("E0")), 8.0 / 3, relative: 1e-14))
        #expect(abs(try #require(result.values.number("E1"))) < 1e-28)
        let table = try #require(result.report.cells.compactMap { if case .table(let t) = $0 { t } else { nil } }.first)
        #expect(table.rows.map { $0[0].plainText } == ["0", "1"] && table.columns.count == 2)
    }

    /// argmin picks the least term, the smaller index on a tie; E{best} reads the chosen one.
    @Test func argminChoosesAndANameTakesAComputedIndex() throws {
        let result = try lesson(
            script(
                parameters: ["a = 2 in -10...10 \"a\""],
                compute: [
                    "let E{k} = (k − a)² + 1   for k in 0...4",
                    "best = argmin(k = 0...4, E{k})",
                    "worst = argmax(k = 0...4, E{k})",
                    "let tie{k} = 1   for k in 1...3",
                    "first = argmin(k = 1...3, tie{k})",
                    "chosen = E{best} + 0",
                ])
        ).run(settings: ["a=3"])
        #expect(
            result.values.number("best") == 3 && result.values.number("worst") == 0
                && result.values.number("first") == 1)
        #expect(result.values.number("chosen") == 1)
    }

    /// Folds of five points in two: the first three, then two (array_split's blocks).
    @Test func foldsAndTheirComplementsAreContiguousBlocks() throws {
        let result = try lesson(
            script(
                parameters: Self.data,
                compute: [
                    "let f1 = fold(x, 1, 2) + 0", "let o1 = others(x, 1, 2) + 0", "let f2 = fold(x, 2, 2) + 0",
                    "let o2 = others(x, 2, 2) + 0",
                    "let mid = others(x, 2, 3) + 0",
                ])
        ).run(settings: [])
        #expect(result.values["f1"] == .array([0, 1, 2]) && result.values["o1"] == .array([3, 4]))
        #expect(result.values["f2"] == .array([3, 4]) && result.values["o2"] == .array([0, 1, 2]))
        #expect(result.values["mid"] == .array([0, 1, 4]))
    }

    /// solve(A, b) is shown as the textbook writes it, A⁻¹b; Xᵀ is the transpose, not a name.
    @Test func theNormalEquationsAreWrittenAsTheTextbookWritesThem() throws {
        let result = try lesson(
            script(
                parameters: Self.data,
                compute: [
                    "let X = powers(x, 1)", "A = Xᵀ @ X", "b = Xᵀ @ yᵀ", "θ = solve(A, b)",
                ])
        ).run(settings: [])
        // Least squares through all five points: x̄ = 2, ȳ = 5.2, Σxy = 0 + 3 + 10 + 21 + 40 = 74,
        // Σx² = 30; slope (Σxy − 5x̄ȳ)/(Σx² − 5x̄²) = (74 − 52)/(30 − 20) = 2.2, intercept 5.2 − 2.2 × 2 = 0.8.
        guard case .rows(let theta)? = result.values["θ"] else {
            Issue.record("θ")
            return
        }
        #expect(close(theta[0][0], 0.8, relative: 1e-14) && close(theta[1][0], 2.2, relative: 1e-14))
        #expect(result.values["A"] == .rows([[5, 10], [10, 30]]))
        let step = try #require(result.report.steps.first { $0.lhs.plainText == "θ" })
        #expect(step.rhs.map(\.plainText) == ["A−1 b", "[[5, 10], [10, 30]]−1 [[26], [74]]", "[[0.8], [2.2]]"])
    }

    /// A plot's points: one scatter per group, a group per fold, named with its index.
    @Test func pointsAreDrawnAGroupPerFold() throws {
        let result = try lesson(
            script(
                parameters: Self.data,
                compute: [
                    "let θ = fit(x, y, 1)",
                    """
                    plot poly(θ, t) \"the fit\" for t in 0...4 points \
                    fold(x, j, 2), fold(y, j, 2) \"fold {j}\" for j in 1...2
                    """,
                ])
        ).run(settings: [])
        let plot = try #require(
            figures(result).compactMap { figure -> Plot? in if case .plot(let p) = figure.content { p } else { nil } }
                .first)
        let scatters = plot.layers.compactMap { layer -> Plot.Series? in
            if case .scatter(let s) = layer { s } else { nil }
        }
        #expect(scatters.map { $0.name?.plainText } == ["fold 1", "fold 2"])
        #expect(scatters[1].points.map(\.x) == [3, 4] && scatters[1].points.map(\.y) == [7, 10])
        guard case .line(let line)? = plot.layers.first else {
            Issue.record("the fit's line")
            return
        }
        #expect(line.name?.plainText == "the fit" && close(line.points[0].y, 0.8, relative: 1e-13))
    }

    /// A series spanning more than 30× goes on a log scale; with data drawn, the view is the
    /// data's (half their spread again on each side), and a curve that swings away leaves it.
    @Test func errorsSpanningDecadesAreLoggedAndTheDataSetTheView() throws {
        let result = try lesson(
            script(
                parameters: Self.data,
                compute: [
                    "let E{k} = 10^k   for k in 0...3",
                    "plot E{k} for k in 0...3",
                    "plot 100·t² for t in 0...4 points x, y \"data\"",
                ])
        ).run(settings: [])
        let plots = figures(result).compactMap { figure -> Plot? in
            if case .plot(let p) = figure.content { p } else { nil }
        }
        try #require(plots.count == 2)
        #expect(
            plots[0].y.scale == .logarithmic
                && figures(result)[0].caption.plainText.hasSuffix("to 3. On a logarithmic scale."),
            "\(figures(result)[0].caption.plainText)")
        // y runs 1…10: the view is −3.5…14.5, and 100t² (up to 1600) leaves it.
        #expect(plots[1].y.range == -3.5...14.5)
    }

    @Test func mistakesAreRefusedWithTheirLine() {
        #expect(
            refusal(script(parameters: Self.data, compute: ["let θ = fit(x, y, d)   for d in 0...2"]))?
                .contains("θ is set once for each d, so its name needs {d}") == true)
        #expect(
            refusal(script(parameters: Self.data, compute: ["let θ = fit(x[1...2], y[1...2], 2)"]))?
                .contains("a polynomial of degree 2 has 3 coefficients, more than the 2 points fix") == true)
        #expect(
            refusal(script(parameters: Self.data, compute: ["let z = x[4...6]"]))?
                .contains("x[a...b] takes entries a to b counted from 1, with 1 ≤ a ≤ b ≤ 5") == true)
        #expect(
            refusal(script(parameters: Self.data, compute: ["let z = solve(powers(x, 1), yᵀ)"]))?
                .contains("solve(A, B) needs a square A; this one is 5×2") == true)
        #expect(
            refusal(script(parameters: Self.data, compute: ["let z = fold(x, 3, 2)"]))?
                .contains("fold(v, j, k) takes fold j from 1 to k of k folds") == true)
        // Three points at one x fix one coefficient, not two; a singular system is named, not run into NaN.
        #expect(
            refusal(script(parameters: Self.data, compute: ["let θ = fit([1, 1, 1], [1, 2, 3], 1)"]))?
                .contains(
                    "a polynomial of degree 1 needs 2 different x values to fix its coefficients; these points have 1")
                == true)
        #expect(
            refusal(script(parameters: Self.data, compute: ["let z = solve([[1, 2], [2, 4]], [[1], [1]])"]))?
                .contains("this matrix is singular: solve(A, B) has no unique solution") == true)
        #expect(
            refusal(script(parameters: Self.data, compute: ["let E{k} = k   for k in 3...1"]))?
                .contains("k runs from 3 down to 1") == true)
    }
}
