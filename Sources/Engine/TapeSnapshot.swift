/// A finished tape as a value: its nodes, labels and gradients copied out, so that a run's
/// result can cross threads and outlive the tape it was recorded on. `Tape(snapshot)` replays
/// one into a tape of its own, to draw a graph or write a step from it.
///
///     let snapshot = tape.snapshot()                       // after the lesson's last operation
///     Tape(snapshot).value(of: 3) == tape.value(of: 3)     // true
public struct TapeSnapshot: Sendable {
    let nodes: [Tape.Node]
    let gradients: [Double]
    let labels: LabelTable
    let firstNonFinite: Int?

    /// Number of recorded nodes.
    public var count: Int { nodes.count }
}

extension Tape {
    /// The record so far, as a value; the tape itself goes on unchanged.
    public func snapshot() -> TapeSnapshot {
        TapeSnapshot(
            nodes: Array(UnsafeBufferPointer(start: nodes.base, count: nodes.count)), gradients: gradients,
            labels: labels, firstNonFinite: firstNonFinite)
    }

    /// A new tape holding the snapshot's record: the same nodes, labels and gradients.
    public convenience init(_ snapshot: TapeSnapshot) {
        self.init()
        for node in snapshot.nodes { nodes.append(node) }
        gradients = snapshot.gradients
        labels = snapshot.labels
        firstNonFinite = snapshot.firstNonFinite
    }
}

/// A finished tensor tape as a value (its arrays are shared until either side changes them):
/// what a run's result keeps of a tensor lesson. `TensorTape(snapshot)` replays it.
///
///     let snapshot = tape.snapshot()
///     TensorTape(snapshot).value(of: 2) == tape.value(of: 2)   // true
public struct TensorTapeSnapshot: Sendable {
    let nodes: [TensorTape.Node]
    let joined: [[Int]]
    let values: [Double], gradients: [Double], auxiliary: [Double]
    let labels: LabelTable
    let backwardOrigin: Int?
    let firstNonFinite: Int?

    /// Number of recorded nodes.
    public var count: Int { nodes.count }
}

extension TensorTape {
    /// The record so far, as a value; the tape itself goes on unchanged.
    public func snapshot() -> TensorTapeSnapshot {
        TensorTapeSnapshot(
            nodes: nodes, joined: joined, values: values, gradients: gradients, auxiliary: auxiliary,
            labels: labels, backwardOrigin: backwardOrigin, firstNonFinite: firstNonFinite)
    }

    /// A new tape holding the snapshot's record.
    public convenience init(_ snapshot: TensorTapeSnapshot) {
        self.init()
        (nodes, joined, values, gradients) = (snapshot.nodes, snapshot.joined, snapshot.values, snapshot.gradients)
        (auxiliary, labels, firstNonFinite) = (snapshot.auxiliary, snapshot.labels, snapshot.firstNonFinite)
        backwardOrigin = snapshot.backwardOrigin
    }
}
