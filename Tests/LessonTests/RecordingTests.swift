import Engine
import LessonKit
import Lessons
import ReportModel
import TestSupport
import Testing

/// A run's result carries its tapes as values (snapshots), so it crosses threads as data; a
/// graph or a step asked of it later is drawn from a replayed tape and reads the run's numbers.
@Suite struct RecordingTests {
    @Test func aResultsRecordingDrawsTheRunsGraphOnAnotherThread() async throws {
        let result = try Lesson.backpropExample.run(settings: ["lr=0.1"])
        let recording = try #require(result.recordings.first)
        #expect(recording.outputLabel == "E_total" && recording.labels.contains("w5") && recording.nonFinite == nil)
        // Sendable as a value: handed to a detached task, no live tape goes with it.
        let graph = await Task.detached { recording.graph(view: .backward) }.value
        let w5 = try #require(graph.nodes.first { $0.title.plainText == "w5" })
        // ∂E_total/∂w5 at the notes' weights, from the hand-written network, to the graph's 4 digits.
        let dw5 = Reference().gradients(Reference().w)[5]
        #expect(close(dw5, 0.082167041, within: 1e-9))
        #expect(w5.gradient?.plainText == NumberFormat(significantDigits: 4).plain(dw5))
        // out_o1's worked step, its result as printed: the notes' 0.75136507 at the lesson's digits.
        let step = try #require(recording.step(of: "out_o1"))
        let printed = try #require(step.rhs.last.flatMap { Double($0.plainText) })
        #expect(close(printed, Reference().forward(Reference().w).o1, relative: 1e-8))
        #expect(close(printed, 0.75136507, relative: 1e-8))
        #expect(
            recording.step(of: "no_such_label") == nil && recording.graph(of: "no_such_label", view: .forward) == nil)
    }
}
