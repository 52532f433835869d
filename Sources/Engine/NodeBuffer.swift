/// The tape's nodes in one growable block of memory, appended to and read by index.
///
///     var nodes = NodeBuffer(); nodes.append(node)      // nodes[0] == node
///     nodes.removeAll()                                 // count 0, the memory kept
///
/// An `Array` in a class checks on every append that its storage is not shared (a call into the
/// runtime); the tape never shares its nodes, so a plain block saves that on the hot path.
/// Reads are bounds-checked like an array's. The owner frees the block (`deallocate()`); a copy
/// of the struct shares it, so only `copy()` makes another tape's nodes.
@usableFromInline struct NodeBuffer {
    @usableFromInline var base: UnsafeMutablePointer<Tape.Node>
    @usableFromInline var count = 0
    @usableFromInline var capacity: Int

    init(capacity: Int = 64) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    func deallocate() { base.deallocate() }

    @inlinable @inline(__always)
    mutating func append(_ node: Tape.Node) {
        if count == capacity { grow() }
        (base + count).initialize(to: node)
        count += 1
    }

    @usableFromInline mutating func grow() {
        let larger = UnsafeMutablePointer<Tape.Node>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        (base, capacity) = (larger, capacity * 2)
    }

    /// Forgets every node and keeps the memory (nodes are plain values: nothing to deinitialise).
    mutating func removeAll() { count = 0 }

    @inlinable subscript(id: Int) -> Tape.Node {
        @inline(__always) get {
            precondition(id >= 0 && id < count, "no node \(id) on a tape of \(count)")
            return base[id]
        }
        @inline(__always) set {
            precondition(id >= 0 && id < count, "no node \(id) on a tape of \(count)")
            base[id] = newValue
        }
    }

    func copy() -> NodeBuffer {
        var copy = NodeBuffer(capacity: capacity)
        copy.base.initialize(from: base, count: count)
        copy.count = count
        return copy
    }
}
