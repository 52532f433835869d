import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// 000_0f8c2b341468a259.txt's two-layer network (3 inputs, one hidden layer of two units, one
    /// output, "everything is fully-connected") and its count, "8 parameters + 3 parameters = 11
    /// parameters"; W^[l] is n^[l] × n^[l−1] as in Z^[l] = W^[l] a^[l−1] + b^[l].
    public static let networkSize = Lesson(
        name: "network-size",
        title: "Counting a dense network's parameters, layer by layer",
        parameters: [
            .vector(
                "layers", [3, 2, 1], length: 2...12, in: 1...1_000_000,
                "units per layer, input first: n^[0], n^[1], …, n^[L], comma-separated (whole numbers)")
        ],
        check: { p in
            p.vector("layers").allSatisfy { $0 == $0.rounded() }
                ? nil
                : "layers=\(p.vector("layers").map { ParameterValue.real($0).description }.joined(separator: ",")) must list whole numbers of units, such as 3,2,1 or 784,30,10"
        },
        build: NetworkSize.build
    ).regimes([
        Regime(
            "layers=784,30,10", "Nielsen's network for MNIST digits: too many arrows to draw, the counts still worked"),
        Regime("layers=1,1", "the smallest network: one weight and one bias"),
    ])
}

enum NetworkSize {
    /// Counts print whole and grouped (23,860): 15 significant digits hold every count the
    /// declared range allows exactly.
    static let format = NumberFormat(significantDigits: 15, groupsThousands: true)

    /// A diagram only where every unit and arrow can be seen.
    static func drawable(_ sizes: [Int]) -> Bool { sizes.count <= 6 && sizes.allSatisfy { $0 <= 8 } }

    static func build(_ p: Parameters) -> LessonResult {
        let sizes = p.vector("layers").map { Int($0) }
        let depth = sizes.count - 1
        let tape = Tape()
        // n^[l] on the tape; each count a product or sum of them, so every step shows its numbers.
        let n = sizes.indices.map { tape.input(Double(sizes[$0]), "n\($0)") }
        let weights = (1...depth).map { l in (n[l] * n[l - 1]).labeled("weights\(l)") }
        let biases = (1...depth).map { l in (n[l] * 1.0).labeled("biases\(l)") }
        let layerParameters = (1...depth).map { l in (weights[l - 1] + biases[l - 1]).labeled("params\(l)") }
        // A one-layer network's total is its layer's count, recorded again so each keeps its name.
        let total = (depth == 1 ? weights[0] + biases[0] : layerParameters.dropFirst().reduce(layerParameters[0], +))
            .labeled("params")
        // 002 writes each layer as one matrix Θ with a column for the bias unit: n^[l] × (n^[l−1] + 1).
        let thetas = (1...depth).map { l in (n[l] * (n[l - 1] + 1.0)).labeled("theta\(l)") }
        let thetaTotal = (depth == 1 ? n[1] * (n[0] + 1.0) : thetas.dropFirst().reduce(thetas[0], +)).labeled("theta")

        var symbols: [String: RichText] = ["params": "P", "theta": "|Θ|"]
        for l in sizes.indices { symbols["n\(l)"] = "n^{[\(l)]}" }
        for l in 1...depth {
            symbols["weights\(l)"] = "|W^{[\(l)]}|"
            symbols["biases\(l)"] = "|b^{[\(l)]}|"
            symbols["params\(l)"] = "P^{[\(l)]}"
            symbols["theta\(l)"] = "|Θ^{(\(l))}|"
        }
        let notation = Notation(tape: tape, format: format, symbols: symbols)

        var values = ExportedValues(tape)
        values["n"] = .array(sizes.map(Double.init))
        for l in 1...depth {
            values["W\(l).shape"] = .array([Double(sizes[l]), Double(sizes[l - 1])])
            values["b\(l).shape"] = .array([Double(sizes[l]), 1])
        }

        let counts = (
            weights: weights.map(\.value), biases: biases.map(\.value), parameters: layerParameters.map(\.value)
        )
        let largest = counts.parameters.indices.max { counts.parameters[$0] < counts.parameters[$1] }!
        let shape = sizes.map(String.init).joined(separator: "–")
        let report = Report(
            title: "How many parameters?",
            subtitle:
                """
                A dense network's weights and biases counted layer by layer, with the shapes \
                of the matrices that hold them. Every number below was computed by the engine.
                """,
            lesson: Lesson.networkSize.name,
            source:
                """
                Notes \(CourseNotes.cite("000")) (the two-layer network, “8 parameters + 3 parameters = 11 \
                parameters”, and Z[l] = W[l] a[l−1] + b[l]), \(CourseNotes.cite("002")) (Θ matrices with a bias unit)
                """
        ) {
            Section("The network") {
                "The network has \(depth + 1) layers of units, n = (\(shape)): the input layer with "
                    + notation.name(n[0])
                    + " = \(notation.value(n[0])) features, \(depth - 1 == 1 ? "one hidden layer" : "\(depth - 1) hidden layers"), and the output layer. The notes count layers without the input, so this is a \(depth)-layer network (000: “Here we have a two-layers neural network” for 3–2–1). “Everything is fully-connected”: every unit of a layer feeds every unit of the next, and every unit after the input has a bias."
                if drawable(sizes) {
                    Figure(
                        """
                        The \(shape) network. Every solid arrow is one weight, every \
                        dashed arrow one bias: counting the arrows counts the parameters.
                        """,
                        network: diagram(sizes))
                } else {
                    """
                    With \(shape) units the diagram would have \(notation.value(total)) \
                    arrows; it is drawn for networks of at most 8 units a layer and 6 layers.
                    """
                }
            }
            Section("Layer by layer") {
                """
                Layer l computes Z^{[l]} = W^{[l]} a^{[l−1]} + b^{[l]} (000): the weight matrix W^{[l]} has a row \
                for each of the layer’s n^{[l]} units and a column for each of the n^{[l−1]} inputs it reads, \
                n^{[l]} × n^{[l−1]}, and the bias b^{[l]} is a column of n^{[l]}. |W| counts a matrix’s entries.
                """
                for l in 1...depth {
                    notation.step(
                        weights[l - 1], "The weights of layer \(l): W^{[\(l)]} is \(sizes[l]) × \(sizes[l - 1])")
                    notation.step(biases[l - 1], "Its biases: b^{[\(l)]} is \(sizes[l]) × 1")
                    notation.step(layerParameters[l - 1], "Layer \(l)’s parameters")
                }
                notation.step(total, "The whole network")
                Table(
                    "The parameters of the \(shape) network, layer by layer.",
                    columns: [
                        .init("layer", alignment: .trailing), .init("W^{[l]}"), .init("b^{[l]}"),
                        .init("weights", alignment: .trailing),
                        .init("biases", alignment: .trailing), .init("parameters", alignment: .trailing),
                    ],
                    rows: (1...depth).map { l in
                        [
                            .plain("\(l)"), .plain("\(sizes[l]) × \(sizes[l - 1])"), .plain("\(sizes[l]) × 1"),
                            notation.value(weights[l - 1]), notation.value(biases[l - 1]),
                            notation.value(layerParameters[l - 1]),
                        ]
                    } + [
                        [
                            .plain("all"), "", "", notation.number(counts.weights.reduce(0, +)),
                            notation.number(counts.biases.reduce(0, +)), notation.value(total),
                        ]
                    ])
                """
                Weights grow with the product of neighbouring widths, biases only with the widths: \
                \(notation.number(counts.weights.reduce(0, +))) of the \(notation.value(total)) parameters are \
                weights. Layer \(largest + 1) holds the most, \(notation.number(counts.parameters[largest])), \
                \(notation.number((counts.parameters[largest] / total.value * 1000).rounded() / 10))% of the network.
                """
                if depth > 1 {
                    Figure(
                        "Weights and biases in each layer.",
                        plot: Plot(
                            x: "layer", y: "parameters",
                            layers: [
                                .bars(
                                    .init(
                                        categories: (1...depth).map { .plain("\($0)") },
                                        series: [
                                            (RichText("weights"), counts.weights), (RichText("biases"), counts.biases),
                                        ]))
                            ]))
                }
            }
            Section("Counted with a bias unit") {
                """
                002 writes the same network with matrices Θ^{(l)} that carry the bias as an extra column, fed by a \
                bias unit that always outputs 1: Θ^{(l)} is n^{[l]} × (n^{[l−1]} + 1). The count must be the same:
                """
                for l in 1...depth { notation.step(thetas[l - 1]) }
                notation.step(thetaTotal, "All of them")
                """
                Both ways give the same count, \(notation.value(thetaTotal)) \
                parameters: a bias is a weight from a unit that is always 1.
                """
            }
        }
        return LessonResult(
            lesson: Lesson.networkSize.name, parameters: p, report: report, values: values,
            recordings: [Recording(notation: notation, output: total)])
    }

    /// The units as circles (inputs x_i, hidden units, outputs), one bias unit feeding each layer.
    static func diagram(_ sizes: [Int]) -> NetworkDiagram {
        let last = sizes.count - 1
        let layers: [[NetworkDiagram.Neuron]] = sizes.indices.map { l in
            let units = (1...sizes[l]).map { i -> NetworkDiagram.Neuron in
                let name: RichText =
                    l == 0 ? "x_{\(i)}" : l == last ? (sizes[l] == 1 ? "ŷ" : "ŷ_{\(i)}") : "a^{[\(l)]}_{\(i)}"
                return .init(name, kind: l == 0 ? .input : l == last ? .output : .hidden)
            }
            return l == last ? units : units + [.init("1", detail: "bias", kind: .bias)]
        }
        var connections: [NetworkDiagram.Connection] = []
        for l in 1...last {
            for to in 0..<sizes[l] {
                for from in 0...sizes[l - 1] {
                    connections.append(.init(from: (l - 1, from), to: (l, to), label: RichText()))
                }
            }
        }
        return NetworkDiagram(layers: layers, connections: connections)
    }
}
