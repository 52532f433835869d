import Foundation

/// Where a `Value` finds its tape without holding a reference to it.
///
///     let tape = Tape()                           // takes a slot and a fresh generation
///     TapeRegistry.tape(tape.slot, tape.generation) === tape
///
/// A value that held its tape would retain it when made and release it when dropped: two atomic
/// operations per recorded node, which cost more than the node's arithmetic and append together.
/// Instead every live tape sits in a fixed table, and a value keeps the tape's slot and the slot's
/// generation at the time. A tape frees its slot and bumps the generation when it goes, so a value
/// that outlives its tape stops at the check with a message instead of reading freed memory.
/// Reading the table is an access through an unsafe pointer, which Swift counts as a deinit
/// barrier: a tape stays alive to the end of the scope that made it while its values are read.
@usableFromInline enum TapeRegistry {
    @usableFromInline struct Entry {
        @usableFromInline var tape: Unmanaged<Tape>?
        @usableFromInline var generation: UInt32
    }

    /// Enough for every tape a process keeps at once (a lesson keeps a few; 30 variants on two
    /// cores keep a few hundred); allocated by the first tape and never moved, so readers need no
    /// lock. A constant initial value (nil) makes it a plain global: reading it needs no
    /// lazy-initialisation check, which a value pays on every operation otherwise.
    static let capacity = 1 << 16
    @usableFromInline nonisolated(unsafe) static var entries: UnsafeMutablePointer<Entry>? = nil

    /// Slots and their bookkeeping change only under the lock: when a tape is made or freed.
    private nonisolated(unsafe) static var freed: [UInt32] = []
    private nonisolated(unsafe) static var used: UInt32 = 0
    private static let lock = NSLock()

    /// A free slot with a generation no value has seen yet.
    static func reserve() -> (slot: UInt32, generation: UInt32) {
        lock.lock()
        defer { lock.unlock() }
        if entries == nil {
            let table = UnsafeMutablePointer<Entry>.allocate(capacity: capacity)
            table.initialize(repeating: Entry(tape: nil, generation: 0), count: capacity)
            entries = table
        }
        let entries = entries.unsafelyUnwrapped
        let slot: UInt32
        if let reused = freed.popLast() {
            slot = reused
        } else {
            precondition(Int(used) < capacity, "more than \(capacity) tapes alive at once")
            slot = used
            used += 1
        }
        entries[Int(slot)].generation &+= 1
        return (slot, entries[Int(slot)].generation)
    }

    static func attach(_ tape: Tape) {
        lock.lock()
        defer { lock.unlock() }
        entries.unsafelyUnwrapped[Int(tape.slot)].tape = Unmanaged.passUnretained(tape)
    }

    static func release(_ slot: UInt32) {
        lock.lock()
        defer { lock.unlock() }
        entries.unsafelyUnwrapped[Int(slot)].tape = nil
        entries.unsafelyUnwrapped[Int(slot)].generation &+= 1
        freed.append(slot)
    }

    /// The tape of a value, unretained: valid while that tape lives, checked by its generation.
    @inlinable @inline(__always)
    static func unmanaged(_ slot: UInt32, _ generation: UInt32) -> Unmanaged<Tape> {
        // A value exists only once a tape has made the table.
        let entry = entries.unsafelyUnwrapped[Int(slot)]
        guard entry.generation == generation, let tape = entry.tape else { gone() }
        return tape
    }

    @usableFromInline static func tape(_ slot: UInt32, _ generation: UInt32) -> Tape {
        unmanaged(slot, generation).takeUnretainedValue()
    }

    @usableFromInline static func gone() -> Never {
        fatalError(
            "a Value was used after its Tape was freed: keep the tape (or a Notation on it) as long as its values")
    }
}
