import Foundation
import Lessons
import ReportModel
import TestSupport
import Testing

@testable import Render

/// Two ink rectangles overlap by more than a hair (a rule and a glyph may touch at 0.05 pt).
private func overlap(_ a: Rect, _ b: Rect) -> Bool {
    let hair = 0.05
    return a.origin.x + hair < b.origin.x + b.size.width && b.origin.x + hair < a.origin.x + a.size.width
        && a.origin.y + hair < b.origin.y + b.size.height && b.origin.y + hair < a.origin.y + a.size.height
}

@Suite("Math layout: fractions, scripts and radicals placed by the font's MATH constants")
struct MathLayoutTests {
    let layout = MathLayout(typesetter: Typesetter(), size: 10.5)
    let font = MathFont.shared
    let em = 10.5

    @Test func theMathTableIsRead() {
        // TeX Gyre DejaVu Math's own numbers (units per em 1000), as the HarfBuzz probe prints them.
        #expect(font.isLoaded)
        #expect(close(font.axisHeight, 0.275, within: 1e-12) && close(font.fractionRuleThickness, 0.064, within: 1e-12))
        #expect(
            close(font.fractionNumeratorDisplayShiftUp, 0.635, within: 1e-12)
                && close(font.scriptScale, 0.8, within: 1e-12))
    }

    @Test func aFractionsPartsAreCentredOverOneBarOnTheAxis() throws {
        let box = layout.box(.fraction(Math("∂E_{total}"), Math("∂w_5")), style: .display)
        let bars = box.marks.compactMap { mark -> Rect? in if case .rect(let r, _, _, _, _, _) = mark { r } else { nil }
        }
        let bar = try #require(bars.first)
        #expect(bars.count == 1)
        // The bar's centre is the math axis; its thickness the font's rule.
        #expect(abs(bar.origin.y + bar.size.height / 2 + font.axisHeight * em) < 1e-9)
        #expect(close(bar.size.height, font.fractionRuleThickness * em, within: 1e-9))
        // Numerator glyphs above the bar, denominator glyphs below, by at least the display gaps.
        let glyphs = box.glyphs.filter { $0 != bar }
        let above = glyphs.filter { $0.origin.y < bar.origin.y }
        let below = glyphs.filter { $0.origin.y > bar.origin.y }
        #expect(above.count + below.count == glyphs.count && !above.isEmpty && !below.isEmpty)
        let numeratorBottom = above.map { $0.origin.y + $0.size.height }.max()!
        let denominatorTop = below.map(\.origin.y).min()!
        #expect(bar.origin.y - numeratorBottom >= font.fractionNumeratorDisplayGapMin * em - 1e-9)
        #expect(denominatorTop - (bar.origin.y + bar.size.height) >= font.fractionDenominatorDisplayGapMin * em - 1e-9)
        // Both parts centred on the bar's middle, to 0.01 pt: each part's first mark starts half its width left of it.
        let middle = bar.origin.x + bar.size.width / 2
        let starts = box.marks.compactMap { mark -> Point? in if case .text(_, let at) = mark { at } else { nil } }
        let numeratorStart = starts.filter { $0.y < bar.origin.y - 4 }.map(\.x).min()!
        let denominatorStart = starts.filter { $0.y > bar.origin.y - 4 }.map(\.x).min()!
        let (numerator, denominator) = (
            layout.box(Math("∂E_{total}"), style: .text), layout.box(Math("∂w_5"), style: .text)
        )
        #expect(close(numeratorStart + numerator.width / 2, middle, within: 0.01))
        #expect(close(denominatorStart + denominator.width / 2, middle, within: 0.01))
        #expect(numerator.width > denominator.width + 3)  // so the two are centred, not merely left-aligned
    }

    @Test func scriptsClearTheirBaseByTheFontsGaps() throws {
        // w₅⁺: the subscript at least the font's shift down, the superscript's ink at least its
        // bottom minimum above the baseline, and the two apart by at least the sub-superscript gap.
        let box = layout.box(Math("w_5^{+}"), style: .display)
        #expect(box.glyphs.count == 3)
        let (base, sub, sup) = (box.glyphs[0], box.glyphs[1], box.glyphs[2])
        #expect(-(sup.origin.y + sup.size.height) >= font.superscriptBottomMin * em - 1e-9)
        #expect(
            sub.origin.y + sub.size.height > 0
                && sub.origin.y - sup.origin.y - sup.size.height >= font.subSuperscriptGapMin * em - 1e-9)
        // The superscript starts right of the italic w's ink: a^{[1]} must not read as d.
        #expect(sup.origin.x >= base.origin.x + base.size.width)
        #expect(!overlap(base, sup) && !overlap(base, sub) && !overlap(sub, sup))
        // A subscript is lowered by at least subscriptShiftDown: its box sits that far below the base's baseline.
        let lowered = layout.box(Math("E_{total}"), style: .display)
        let subscriptText = layout.box(Math("total"), style: .script)
        let subInk = try #require(lowered.glyphs.last)
        // Lowered by the font's shift, or further where the script's top would rise past subscriptTopMax.
        let down = subInk.origin.y + subInk.size.height - subscriptText.descent
        #expect(
            close(
                down, max(font.subscriptShiftDown * em, subscriptText.ascent - font.subscriptTopMax * em), within: 1e-6)
        )
        #expect(down >= font.subscriptShiftDown * em - 1e-9)
    }

    @Test func aTransposeIsASuperscriptAndBracketsGrowAroundFractions() throws {
        // (δ²)ᵀ: ᵀ becomes a raised T on the bracket, not a small letter on the baseline.
        let transposed = Math("(a)ᵀ")
        guard case .row(let items) = transposed, case .scripts(_, nil, let sup?) = items.last else {
            Issue.record("ᵀ is not a superscript: \(transposed)")
            return
        }
        #expect(sup.atomText == "T")
        // Brackets around a fraction are the font's larger size variants, centred on the axis.
        let line = MathLine("(1/x − y)").math
        let plain = layout.box(Math("(x)"), style: .display)
        let grown = layout.box(line, style: .display)
        #expect(grown.marks.contains { if case .glyph = $0 { true } else { false } })
        #expect(grown.ascent > plain.ascent + 1 && grown.descent > plain.descent + 1)
    }

    @Test func aDisplaysSumTakesItsLimitsBelowAndAbove() throws {
        // 1/m Σ_i r_i: the sum is the font's display variant, at least displayOperatorMinHeight tall,
        // centred on the axis, and i is centred under it, clear by lowerLimitGapMin.
        let box = layout.box(Math("Σ_{i}^{m}"), style: .display)
        #expect(box.glyphs.count == 3)
        let (sum, below, above) = (box.glyphs[0], box.glyphs[1], box.glyphs[2])
        #expect(sum.size.height >= font.displayOperatorMinHeight * em - 1e-9)
        #expect(abs(sum.origin.y + sum.size.height / 2 + font.axisHeight * em) < 1e-9)
        #expect(below.origin.y - (sum.origin.y + sum.size.height) >= font.lowerLimitGapMin * em - 1e-9)
        #expect(sum.origin.y - (above.origin.y + above.size.height) >= font.upperLimitGapMin * em - 1e-9)
        // ink centres, within a glyph's side bearing
        #expect(close((below.origin.x + below.size.width / 2), sum.origin.x + sum.size.width / 2, within: 1.5))
        // In text style (a fraction's part) the sum keeps its scripts at its side.
        let inline = layout.box(Math("Σ_{i}"), style: .script)
        #expect(
            inline.glyphs.count == 2
                && inline.glyphs[1].origin.x >= inline.glyphs[0].origin.x + inline.glyphs[0].size.width)
    }

    @Test func aRadicalsRuleCoversItsRadicand() throws {
        let box = layout.box(MathLine("√(σ^2 + ε)").math, style: .display)
        let rules = box.marks.compactMap { mark -> Rect? in
            if case .rect(let r, _, _, _, _, _) = mark { r } else { nil }
        }
        let rule = try #require(rules.first)
        let radicand = box.glyphs.dropFirst().filter { $0 != rule }
        #expect(!radicand.isEmpty)
        #expect(
            radicand.allSatisfy {
                $0.origin.y >= rule.origin.y + rule.size.height + font.radicalDisplayStyleVerticalGap * em - 1e-6
            })
        #expect(radicand.allSatisfy { $0.origin.x + $0.size.width <= rule.origin.x + rule.size.width + 1e-6 })
    }

    @Test func aLongFormulaBreaksAtARelationThenAtOperatorsAndNoLineOverflows() throws {
        let long = MathLine("a_1 + a_2 + a_3 = b_1 · (c_1 + c_2 + c_3 + c_4) + b_2 + b_3 + b_4 + b_5 + b_6 + b_7").math
        let width = layout.box(long, style: .display).width * 0.55
        let lines = layout.lines(long, style: .display, width: width, indent: 2 * em)
        #expect(lines.count >= 2)
        #expect(lines.enumerated().allSatisfy { $0.element.width <= width - ($0.offset == 0 ? 0 : 2 * em) + 1e-9 })
        // The bracket group stays whole on one line.
        let texts = lines.map { line in
            line.marks.compactMap { mark -> String? in if case .text(let s, _) = mark { s.markup } else { nil } }
                .joined()
        }
        #expect(texts.filter { $0.contains("(") }.allSatisfy { $0.contains(")") })
        // The first break is at the relation: the first line holds the whole left-hand side, and no more.
        #expect(texts[0].contains("a") && !texts[0].contains("b") && texts[1].hasPrefix("="))
    }

    /// backprop-matrix's Δ² = δ²(A¹)ᵀ with numbers: two matrices side by side, too wide for a slide,
    /// break between them, and the second line opens with the × the product leaves unwritten; the
    /// ᵀ written after the second matrix is that matrix's superscript, at its bracket's top.
    @Test func aProductOfTwoMatricesBreaksBetweenThemWithATimes() throws {
        let m = MatrixView(rows: [["0.74136507", "0.552713202"], ["−0.217071535", "−0.0255116097"]])
        let line = MathLine(segments: [.matrix(m), .text(" "), .matrix(m), .text("ᵀ")])
        guard case .row(let items) = line.math, case .scripts(.matrix, nil, let sup?) = items.last else {
            Issue.record("ᵀ is not the matrix's superscript: \(line.math)")
            return
        }
        #expect(sup.atomText == "T")
        let whole = layout.box(line.math, style: .display)
        let lines = layout.lines(line.math, style: .display, width: whole.width * 0.7, indent: 2 * em)
        try #require(lines.count == 2)
        #expect(lines[0].width <= whole.width * 0.7 && lines[1].width <= whole.width * 0.7 - 2 * em + 1e-9)
        let texts = lines.map { line in
            line.marks.compactMap { mark -> String? in if case .text(let s, _) = mark { s.markup } else { nil } }
                .joined()
        }
        #expect(!texts[0].contains("×") && texts[1].hasPrefix("×"), "\(texts)")
        // The T sits above the bracket's middle: raised by the matrix's height, not a letter's.
        let tee = try #require(
            lines[1].marks.compactMap { mark -> Point? in
                if case .text(let s, let at) = mark, s.markup == "T" { at } else { nil }
            }.first)
        #expect(tee.y < -0.6 * em, "T at \(tee.y)")
    }

    /// batch-norm's loss with numbers (the issue's "(−2.18328 − (−1))²" split over two lines): a
    /// continuation that would break inside brackets 2 em past the "=" hangs less, and the bracket
    /// stays whole; the lines still keep within the box, every "=" in one column.
    @Test func aContinuationHangsLessRatherThanBreakInsideBrackets() throws {
        let lesson = try #require(Catalog.lesson(named: "batch-norm"))
        let report = lesson.run(try lesson.parameters(settings: [])).report
        let step = try #require(report.steps.first { $0.rhs.contains { $0.plainText.contains("(−2.18328 − (−1))") } })
        let width = Page.a4.contentWidth
        let drawn = Typesetter().box(for: step, width: width)
        // The first and the last term of the numbers' bracket group are on one line, the
        // bracket's close with them: their text boxes share a band.
        let typesetter = Typesetter()
        func band(_ text: String) throws -> ClosedRange<Double> {
            let (spec, at) = try #require(
                drawn.marks.lazy.compactMap { mark -> (TextSpec, Point)? in
                    if case .text(let spec, let at) = mark, spec.markup == text { (spec, at) } else { nil }
                }.last)
            return at.y...(at.y + typesetter.measure(spec).height)
        }
        let (first, last) = (try band("0.394426"), try band("2.18328"))
        #expect(first.overlaps(last), "(−0.394426 − 0)² and (−2.18328 − (−1))² on different lines: \(first), \(last)")
        let bounds = try #require(Typesetter().bounds(of: drawn.marks))
        #expect(bounds.origin.x + bounds.size.width <= width + 0.01)
    }

    /// Every formula of every lesson at its defaults: no two glyphs' ink overlaps, every step's "=" signs
    /// share one x to 0.1 pt, and no step line runs past its box.
    @Test(arguments: Catalog.lessons.map(\.name))
    func everyStepOfEveryLessonIsSetCleanly(name: String) throws {
        let lesson = try #require(Catalog.lesson(named: name))
        let report = lesson.run(try lesson.parameters(settings: [])).report
        let typesetter = Typesetter()
        let width = Page.a4.contentWidth
        for step in report.steps {
            for line in [step.lhs] + step.rhs {
                let box = layout.box(line.math, style: .display)
                for (i, a) in box.glyphs.enumerated() {
                    for b in box.glyphs[(i + 1)...] where overlap(a, b) {
                        Issue.record("\(name): glyphs overlap in \(line.plainText): \(a) and \(b)")
                    }
                }
            }
            let drawn = typesetter.box(for: step, width: width)
            let equals = drawn.marks.compactMap { mark -> Double? in
                if case .text(let spec, let at) = mark, spec.markup == "=", spec.font.family == MathFont.family {
                    at.x
                } else {
                    nil
                }
            }
            // Each line's "=" is the leftmost on it; all at one x (a formula's own = signs lie further right).
            let column = try #require(equals.min())
            #expect(
                equals.count { close($0, column, within: 0.1) } >= step.rhs.count,
                "\(name): \(step.lhs.plainText)'s = signs are not aligned: \(equals)")
            let bounds = try #require(typesetter.bounds(of: drawn.marks))
            #expect(
                bounds.origin.x + bounds.size.width <= width + 0.01,
                """
                \(name): \(step.lhs.plainText) runs \
                \(bounds.origin.x + bounds.size.width - width) pt past the text width
                """
            )
        }
    }
}
