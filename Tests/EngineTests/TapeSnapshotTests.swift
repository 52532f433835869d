import Engine
import Foundation
import TestSupport
import Testing

/// A finished tape kept as a value (what a run's result holds), then replayed into a tape of
/// its own: the same record, node for node, and a replay that goes on without touching the
/// original.
@Suite struct TapeSnapshotTests {
    /// net_h1 = w1·i1 + w2·i2 + b1 and out_h1 = σ(net_h1), the notes' first hidden neuron.
    @Test func aReplayedTapeHoldsTheSameRecord() throws {
        let tape = Tape()
        let (w1, i1, w2, i2, b1) = (
            tape.input(0.15, "w1"), tape.input(0.05, "i1"), tape.input(0.2, "w2"), tape.input(0.1, "i2"),
            tape.input(0.35, "b1")
        )
        let net = (w1 * i1 + w2 * i2 + b1).labeled("net_h1")
        let out = net.sigmoid().labeled("out_h1")
        tape.backward(from: out)
        let replay = Tape(tape.snapshot())
        #expect(replay.count == tape.count && tape.snapshot().count == tape.count)
        for id in 0..<tape.count {
            #expect(replay.value(of: id) == tape.value(of: id) && replay.gradient(of: id) == tape.gradient(of: id))
            #expect(replay.label(of: id) == tape.label(of: id) && replay.primitive(of: id) == tape.primitive(of: id))
            #expect(replay.inputs(of: id) == tape.inputs(of: id))
        }
        let replayedOut = try #require(replay.node(labeled: "out_h1"))
        #expect(close(replayedOut.value, 0.593269992, relative: 1e-9))  // the notes: out_h1 = 0.593269992
        #expect(replay.formula(of: replayedOut) == tape.formula(of: out))
        // The replay goes on alone: a node recorded on it is not on the original.
        _ = (replayedOut * 2).labeled("twice")
        #expect(replay.count == tape.count + 2 && tape.node(labeled: "twice") == nil)
    }

    @Test func aReplayedTensorTapeHoldsTheSameRecord() throws {
        let tape = TensorTape()
        let W = tape.input([[0.15, 0.2], [0.25, 0.3]], "W1")
        let x = tape.input([[0.05], [0.1]], "x")
        let z = (W.matmul(x) + 0.35).labeled("z1")
        let loss = z.sigmoid().sum().labeled("L")
        tape.backward(from: loss)
        let replay = TensorTape(tape.snapshot())
        #expect(replay.count == tape.count)
        for id in 0..<tape.count {
            #expect(replay.value(of: id) == tape.value(of: id) && replay.gradient(of: id) == tape.gradient(of: id))
            #expect(replay.label(of: id) == tape.label(of: id))
        }
        let z1 = try #require(replay.node(labeled: "z1"))
        #expect(close(z1.value.rows[0][0], 0.3775, relative: 1e-12))  // the notes: net_h1 = 0.3775
        #expect(replay.formula(of: z1) == tape.formula(of: z))
    }
}
