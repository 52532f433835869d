import Foundation
import Lessons
@testable import Render
import Report
import Testing

/// A page's text as a reader sees it: markup tags dropped, entities read, no spaces.
func text(of marks: [Mark]) -> String {
    marks.map { mark -> String in
        switch mark {
        case .text(let spec, _): spec.markup
        case .glyph(let glyph, _): glyph.text
        case .scaled(_, _, let inner): text(of: inner)
        default: ""
        }
    }.joined().replacing(/<[^>]*>/, with: "").replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&amp;", with: "&").filter { !$0.isWhitespace }
}


private func squeezed(_ text: RichText) -> String { text.plainText.filter { !$0.isWhitespace } }
/// A line as the slide draws its atoms: fractions top then bottom, scripts after their base.
private func squeezed(_ line: MathLine) -> String { line.math.atomText.filter { !$0.isWhitespace } }

@Suite("Slides: 16:9, a step whole on one slide, nothing off the slide")
struct SlideTests {
    @Test(arguments: Catalog.lessons.map(\.name))
    func everyLessonMakesADeckThatKeepsWithinItsSlides(name: String) throws {
        let report = Catalog.lesson(named: name)!.run(try Catalog.lesson(named: name)!.parameters(settings: [])).report
        let deck = Document(report, layout: .slides(reveal: false))
        #expect(abs(deck.size.width / deck.size.height - 16.0 / 9) < 1e-3)
        let measurer = Typesetter(page: .slide)
        for (index, page) in deck.pages.enumerated() {
            let bounds = try #require(measurer.bounds(of: page))
            #expect(bounds.origin.x >= 0 && bounds.origin.y >= 0, "slide \(index + 1) starts off the slide: \(bounds)")
            #expect(bounds.origin.x + bounds.size.width <= deck.size.width + 0.01
                    && bounds.origin.y + bounds.size.height <= deck.size.height + 0.01, "slide \(index + 1) runs off the slide: \(bounds)")
        }
        // Every step's lines (formula, numbers, result) are together on one slide.
        let texts = deck.pages.map(text(of:))
        for step in report.steps where step.rhs.allSatisfy({ !$0.hasMatrix }) {
            let whole = step.rhs.map(squeezed)
            #expect(texts.contains { page in page.contains(squeezed(step.lhs)) && whole.allSatisfy(page.contains) },
                    "\(step.lhs.plainText) = \(whole.joined(separator: " = ")) is split across slides")
        }
        // A slide has its section's title, the handout's type sizes and the slide number.
        #expect(texts[1].contains("1") && texts.last!.contains("\(deck.pageCount)/\(deck.pageCount)"))
    }

    @Test func revealShowsAStepsLinesOnSuccessiveSlides() throws {
        let lesson = Catalog.lesson(named: "backprop-example")!
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
        // One more slide per further line of every step, and the slides otherwise the same.
        let extra = report.steps.map { max(0, $0.rhs.count - 1) }.reduce(0, +)
        #expect(revealed.pageCount == plain.pageCount + extra)
    }

    @Test func paperSizes() throws {
        let lesson = Catalog.lesson(named: "softmax")!
        let report = lesson.run(try lesson.parameters(settings: [])).report
        #expect(Document(report, layout: .pages(.letter)).size == Size(612, 792))
        #expect(Document(report, layout: .a4).size == Size(595.276, 841.890))
    }
}
