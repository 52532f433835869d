import Foundation
import Lessons
import ReportModel
import TestSupport
import Testing

@testable import Render

/// A page's text as a reader sees it: markup tags dropped, entities read, no spaces.
func text(of marks: [Mark]) -> String {
    marks.map { mark -> String in
        switch mark {
        case .text(let spec, _): spec.markup
        case .glyph(let glyph, _): glyph.text
        case .scaled(_, _, let inner): text(of: inner)
        default: ""
        }
    }.joined().replacing(/<[^>]*>/, with: "").replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(
        of: "&gt;", with: ">"
    )
    .replacingOccurrences(of: "&amp;", with: "&").filter { !$0.isWhitespace }
}

/// A page's text without its sans-serif type (section title, captions, footer): on a slide,
/// the formulas and the narrative, as `text(of:)` reads them.
func serifText(of marks: [Mark]) -> String {
    text(
        of: marks.flatMap { mark -> [Mark] in
            switch mark {
            case .text(let spec, _): spec.font.family == Theme.sans ? [] : [mark]
            case .scaled(let factor, let origin, let inner):
                [
                    .scaled(
                        factor, at: origin,
                        inner.filter { mark in
                            if case .text(let spec, _) = mark { spec.font.family != Theme.sans } else { true }
                        })
                ]
            default: [mark]
            }
        })
}

private func squeezed(_ text: RichText) -> String { text.plainText.filter { !$0.isWhitespace } }
/// A line as the slide draws its atoms: fractions top then bottom, scripts after their base.
private func squeezed(_ line: MathLine) -> String { line.math.atomText.filter { !$0.isWhitespace } }

@Suite("Slides: 16:9, a step whole on one slide, nothing off the slide")
struct SlideTests {
    @Test(arguments: Catalog.lessons.map(\.name))
    func everyLessonMakesADeckThatKeepsWithinItsSlides(name: String) throws {
        let report = try #require(Catalog.lesson(named: name)).run(
            try try #require(Catalog.lesson(named: name)).parameters(settings: [])
        ).report
        let deck = Document(report, layout: .slides(reveal: false))
        #expect(close(deck.size.width / deck.size.height, 16.0 / 9, within: 1e-3))
        let measurer = Typesetter(page: .slide)
        for (index, page) in deck.pages.enumerated() {
            let bounds = try #require(measurer.bounds(of: page))
            #expect(bounds.origin.x >= 0 && bounds.origin.y >= 0, "slide \(index + 1) starts off the slide: \(bounds)")
            #expect(
                bounds.origin.x + bounds.size.width <= deck.size.width + 0.01
                    && bounds.origin.y + bounds.size.height <= deck.size.height + 0.01,
                "slide \(index + 1) runs off the slide: \(bounds)")
        }
        // Every step's lines (formula, numbers, result) are together on one slide, or, for a step
        // too tall for one, go on over consecutive slides that each show its left-hand side (in
        // the formula, or in a caption where a slide starts inside a formula's broken lines).
        let texts = deck.pages.map(text(of:))
        let formulas = deck.pages.map(serifText(of:))
        for step in report.steps where step.rhs.allSatisfy({ !$0.hasMatrix }) {
            let (lhs, whole) = (squeezed(step.lhs), step.rhs.map(squeezed))
            let together = texts.contains { page in page.contains(lhs) && whole.allSatisfy(page.contains) }
            let consecutive = texts.indices.contains { start in
                var end = start
                while end < texts.count, texts[end].contains(lhs) || end > start && texts[end].contains("(continued)") {
                    end += 1
                }
                let carried = formulas[start..<end].joined()
                return end - start > 1 && whole.allSatisfy(carried.contains)
            }
            #expect(
                together || consecutive,
                "\(step.lhs.plainText) = \(whole.joined(separator: " = ")) is split across slides")
        }
        // A slide has its section's title, the handout's type sizes and the slide number.
        #expect(texts[1].contains("1") && texts.last!.contains("\(deck.pageCount)/\(deck.pageCount)"))
    }

    @Test func revealShowsAStepsLinesOnSuccessiveSlides() throws {
        let lesson = try #require(Catalog.lesson(named: "backprop-example"))
        let report = lesson.run(try lesson.parameters(settings: [])).report
        let plain = Document(report, layout: .slides(reveal: false))
        let revealed = Document(report, layout: .slides(reveal: true))
        let texts = revealed.pages.map(text(of:))
        // net_h1 = w1·i1 + w2·i2 + b1 = 0.15 × 0.05 + 0.2 × 0.1 + 0.35 = 0.3775: three slides, one line more on each.
        let step = try #require(report.steps.first { squeezed($0.lhs) == "neth1" && $0.rhs.count == 3 })
        let lines = step.rhs.map(squeezed)
        let first = try #require(texts.firstIndex { $0.contains(lines[0]) && $0.contains("neth1") })
        #expect(!texts[first].contains(lines[1]) && !texts[first].contains(lines[2]))
        #expect(texts[first + 1].contains(lines[1]) && !texts[first + 1].contains(lines[2]))
        #expect(texts[first + 2].contains(lines[1]) && texts[first + 2].contains(lines[2]) && lines[2] == "0.3775")
        // One more slide per further line of every step (fewer where a tall step is already over
        // several slides, each revealed on its own), and the slides otherwise the same.
        let extra = report.steps.map { max(0, $0.rhs.count - 1) }.reduce(0, +)
        let split = report.steps.filter { step in
            plain.pages.filter { text(of: $0).contains(squeezed(step.lhs)) }.count > 1
        }.count
        #expect(revealed.pageCount <= plain.pageCount + extra && revealed.pageCount >= plain.pageCount + extra - split)
    }

    @Test func paperSizes() throws {
        let lesson = try #require(Catalog.lesson(named: "softmax"))
        let report = lesson.run(try lesson.parameters(settings: [])).report
        #expect(Document(report, layout: .pages(.letter)).size == Size(612, 792))
        #expect(Document(report, layout: .a4).size == Size(595.276, 841.890))
    }
}

/// Text on a slide as projected: each text mark with the size it is drawn at on the 160 mm slide.
private func drawnSizes(_ marks: [Mark], scale: Double) -> [(spec: TextSpec, size: Double)] {
    marks.flatMap { mark -> [(spec: TextSpec, size: Double)] in
        switch mark {
        case .text(let spec, _): [(spec, spec.font.size * scale)]
        case .scaled(let factor, _, let inner): drawnSizes(inner, scale: scale * factor)
        default: []
        }
    }
}

@Suite("Slides: type for projection")
struct ProjectionTypeTests {
    /// Every lesson's narrative is 20 pt or more on the 160 mm slide, and so is the main size of
    /// every formula (its scripts are smaller, as in print), on all but the rare slide that a
    /// step too big for it is set smaller on.
    @Test func theBodyIsTwentyPointsOnTheSlide() throws {
        var (formulaSlides, smallFormulaSlides) = (0, [String]())
        for lesson in Catalog.lessons {
            let report = lesson.run(try lesson.parameters(settings: [])).report
            let deck = Document(report, layout: .slides(reveal: false))
            #expect(deck.size.width > 453 && deck.size.width < 454, "160 mm wide")
            for (index, page) in deck.pages.enumerated() {
                let sizes = drawnSizes(page, scale: deck.scale)
                for (spec, size) in sizes where spec.font == Theme.body {
                    #expect(
                        size >= 20 - 1e-9,
                        "\(lesson.name) slide \(index + 1): body text at \(size) pt: \(spec.markup.prefix(40))")
                }
                // A step's formula is set at the math size (a figure's or a table's math is smaller).
                let formula = sizes.filter { $0.spec.font.size == Theme.math.size }.map(\.size).max()
                if let formula {
                    formulaSlides += 1
                    if formula < 21 - 1e-9 {
                        smallFormulaSlides.append("\(lesson.name) \(index + 1) (\(Int(formula)) pt)")
                    }
                }
            }
        }
        #expect(formulaSlides > 300)
        // A step broken over many lines goes on over several slides at full size; what is left
        // smaller is a row of numbers too wide for a slide, or a rule taller than one (Adam's five lines).
        #expect(
            Double(smallFormulaSlides.count) <= 0.07 * Double(formulaSlides),
            """
            \(smallFormulaSlides.count) of \(formulaSlides) slides set their \
            formulas below 21 pt: \(smallFormulaSlides.joined(separator: ", "))
            """
        )
    }
}
