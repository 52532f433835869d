import Engine
import Foundation
import LessonKit
import ReportModel
import Testing

@testable import Lessons

@Suite("network-size: a dense network's parameters counted layer by layer (000, 002)")
struct NetworkSizeTests {
    /// Weights n^[l]·n^[l−1] plus biases n^[l], summed over the layers: the definition, by hand.
    func counted(_ sizes: [Int]) -> (layers: [Int], total: Int) {
        let layers = zip(sizes, sizes.dropFirst()).map { input, units in units * input + units }
        return (layers, layers.reduce(0, +))
    }

    @Test func theNotesTwoLayerNetwork() throws {
        // 000: 3 inputs, one hidden layer of two units, one output; "8 parameters + 3 parameters = 11 parameters".
        let values = try Lesson.networkSize.run(settings: []).values
        #expect(values.number("params1") == 8)
        #expect(values.number("params2") == 3)
        #expect(values.number("params") == 11)
        #expect(values.number("weights1") == 6 && values.number("biases1") == 2)
        #expect(values.number("weights2") == 2 && values.number("biases2") == 1)
        #expect(values.number("theta") == 11, "002's Θ with a bias column counts the same")
    }

    @Test func seededNetworksAgainstTheDefinition() throws {
        var random = SeededGenerator(seed: 20_261_123)
        for _ in 0..<40 {
            let depth = Int(random.uniform(in: 1...11.999))
            let sizes = (0...depth).map { _ in Int(random.uniform(in: 1...5000.999)) }
            let values = try Lesson.networkSize.run(settings: [
                "layers=" + sizes.map(String.init).joined(separator: ",")
            ]).values
            let (layers, total) = counted(sizes)
            #expect(values.number("params") == Double(total), "\(sizes)")
            #expect(values.number("theta") == Double(total), "\(sizes)")
            for (l, count) in layers.enumerated() {
                #expect(values.number("params\(l + 1)") == Double(count), "\(sizes), layer \(l + 1)")
                #expect(values.number("weights\(l + 1)") == Double(sizes[l + 1] * sizes[l]))
            }
        }
    }

    /// The tensor engine's own arrays for the same network hold exactly the counted numbers.
    @Test func theEnginesArraysHoldTheCountedNumbers() throws {
        let sizes = [784, 30, 10]
        var random = SeededGenerator(seed: 1)
        let network = DenseNetwork(sizes: sizes, activation: .sigmoid, random: &random)
        let held = network.parameters.map(\.shape.count)
        let values = try Lesson.networkSize.run(settings: ["layers=784,30,10"]).values
        #expect(Double(held[0] + held[1]) == values.number("params1"))
        #expect(Double(held[2] + held[3]) == values.number("params2"))
        #expect(values.number("params") == 23_860, "784·30 + 30 + 30·10 + 10, Nielsen's MNIST network")
    }

    @Test func oneLayerKeepsBothNames() throws {
        // A single layer 3 → 2: its count and the total are the same number under both names.
        let values = try Lesson.networkSize.run(settings: ["layers=3,2"]).values
        #expect(
            values.number("params1") == 8 && values.number("params") == 8 && values.number("theta1") == 8
                && values.number("theta") == 8)
    }

    @Test func largestCountsStayExact() throws {
        // 12 layers of 10⁶ units: 11·(10¹² + 10⁶) parameters, exact in a Double.
        let values = try Lesson.networkSize.run(settings: [
            "layers=" + Array(repeating: "1000000", count: 12).joined(separator: ",")
        ]).values
        let exact: Double = 11 * (1_000_000_000_000 + 1_000_000)
        #expect(values.number("params") == exact)
    }

    @Test func shapesFollowTheNotesConvention() throws {
        // W^[l] is n^[l] × n^[l−1]: rows for the layer's units, columns for its inputs.
        let values = try Lesson.networkSize.run(settings: ["layers=4,5,3"]).values
        func array(_ label: String) -> [Double]? { if case .array(let xs)? = values[label] { xs } else { nil } }
        #expect(array("W1.shape") == [5, 4])
        #expect(array("W2.shape") == [3, 5])
        #expect(array("b2.shape") == [3, 1])
        #expect(array("n") == [4, 5, 3])
    }

    @Test func theDiagramHasOneArrowPerParameter() throws {
        for sizes in [[3, 2, 1], [2, 4, 4, 2], [8, 8, 8, 8, 8, 8]] {
            let diagram = NetworkSize.diagram(sizes)
            #expect(diagram.connections.count == counted(sizes).total, "\(sizes)")
        }
        #expect(!NetworkSize.drawable([9, 2]) && !NetworkSize.drawable([1, 1, 1, 1, 1, 1, 1]))
    }
}
