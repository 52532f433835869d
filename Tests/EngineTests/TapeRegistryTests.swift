import Foundation
import TestSupport
import Testing

@testable import Engine

/// Values find their tape through `TapeRegistry` instead of holding it, so recording costs no
/// reference counting; these check that the handle stays exact and that misuse stops loudly.
@Suite("Values as plain handles on their tape")
struct TapeRegistryTests {
    @Test func valueIsPlainData() {
        // No reference inside: copying or dropping a value never touches a reference count.
        #expect(_isPOD(Value.self))
        #expect(MemoryLayout<Value>.size == 16)
    }

    @Test func freedSlotComesBackWithAnotherGeneration() {
        var old: (slot: UInt32, generation: UInt32)
        do {
            let tape = Tape()
            old = (tape.slot, tape.generation)
            #expect(TapeRegistry.tape(tape.slot, tape.generation) === tape)
        }
        // Every tape made now must differ from the freed one in slot or generation.
        let tapes = (0..<64).map { _ in Tape() }
        #expect(tapes.allSatisfy { ($0.slot, $0.generation) != old })
        #expect(Set(tapes.map(\.slot)).count == 64)
    }

    @Test func valuesOfDifferentTapesWithTheSameSlotAreTold() {
        let first = Tape()
        let x = first.input(0.5, "x")
        let copy = first.copy()
        #expect(x.isOn(first) && !x.isOn(copy))
        #expect(x.on(copy).isOn(copy))
        #expect(x.on(copy).value == 0.5)
    }

    /// The notes' net_h1 = 0.3775 on tapes made and dropped on several threads at once.
    @Test func tapesOnManyThreadsKeepTheirOwnValues() async {
        let results = await withTaskGroup(of: Double.self) { group in
            for k in 0..<200 {
                group.addTask {
                    let tape = Tape()
                    let scale = Double(k % 7 + 1)
                    let net =
                        tape.input(0.15 * scale) * tape.input(0.05) + tape.input(0.2) * tape.input(0.1)
                        + tape.input(0.35)
                    return net.value - 0.15 * scale * 0.05
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 200)
        #expect(results.allSatisfy { close($0, 0.2 * 0.1 + 0.35, within: 1e-15) })
    }

    @Test func valueUsedAfterItsTapeIsFreedStops() async {
        await #expect(processExitsWith: .failure) {
            let orphan: Value = { Tape().input(1, "x") }()
            _ = orphan.value
        }
    }
}
