import Foundation
import LessonKit
import Lessons
import ReportModel
import TestSupport
import Testing

/// A saturated sigmoid is a lesson: a note with σ′ computed where σ(1 − σ) rounds to 0.
@Suite("Saturation notes")
struct SaturationTests {
    func notes(_ blocks: [Block]) -> [Note] {
        blocks.flatMap { block -> [Note] in
            switch block {
            case .section(let s): notes(s.content)
            case .note(let note): [note]
            default: []
            }
        }
    }

    @Test func saturatedHiddenNeuronsGetANote() throws {
        let settings = ["i1=10", "i2=10", "w1=10", "w2=10", "w3=10", "w4=10", "iterations=1"]
        let report = try Lesson.backpropExample.run(settings: settings).report
        let note = try #require(notes(report.blocks).first { $0.title.plainText.hasPrefix("Saturated sigmoids") })
        let text = note.content.map { if case .paragraph(let t) = $0 { t.plainText } else { "" } }.joined(
            separator: "\n")
        // net_h1 = 10·10 + 10·10 + 0.35 = 200.35; σ′ = e^{−200.35}/(1 + e^{−200.35})² ≈ 9.752154e−88.
        let slope = exp(-200.35) / ((1 + exp(-200.35)) * (1 + exp(-200.35)))
        #expect(close(slope / 9.752154e-88, 1, within: 1e-6))
        #expect(text.contains("σ′ at neth1 = 200.35: outh1(1 − outh1) = 9.752154 × 10−88"), "\(text)")
        #expect(text.contains("rounds to 0"))
        // The defaults are far from saturation: no note.
        let plain = try Lesson.backpropExample.run(settings: ["iterations=1"]).report
        #expect(!notes(plain.blocks).contains { $0.title.plainText.hasPrefix("Saturated sigmoids") })
    }
}
