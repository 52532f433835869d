import Engine
import Foundation
import ReportModel

/// A deep stack of equal dense layers on the tensor tape, to watch signals and gradients pass
/// through it: h_l = act(h_{l−1} W_l), or with a skip connection h_l = h_{l−1} + act(h_{l−1} W_l)
/// (000's "skip connections and residual blocks"). No biases: they would only blur the picture.
///
///     let run = DeepStack(layers: 10, width: 64, activation: .tanh, scale: .xavier, seed: 1)
///     run.spread        // each layer's output: its spread across the examples
///     run.gradientNorms // ‖∂L/∂h_l‖ for the input and each layer's output
struct DeepStack {
    /// 000's initialisations: W = [random initialisation] × a scale from the layer's fan-in n^{[l−1]}
    /// and fan-out n^{[l]}, here N(0, 1) draws.
    enum Scale: String, CaseIterable, Sendable {
        case small, xavier, he, bengio

        var title: String {
            switch self {
            case .small: "small (0.01)"
            case .xavier: "Xavier √(1/n)"
            case .he: "He √(2/n)"
            case .bengio: "Bengio √(2/(n_in + n_out))"
            }
        }

        func factor(fanIn: Int, fanOut: Int) -> Double {
            switch self {
            case .small: 0.01
            case .xavier: (1 / Double(fanIn)).squareRoot()
            case .he: (2 / Double(fanIn)).squareRoot()
            case .bengio: (2 / Double(fanIn + fanOut)).squareRoot()
            }
        }
    }

    /// The spread of the input and of each layer's output across the batch: each unit's standard
    /// deviation over the examples, pooled over the units (the root of their mean variance). Not
    /// over units and examples together: a sigmoid's outputs settle at ½ plus a fixed offset per
    /// unit, which such a measure would count as signal although every example looks the same.
    let spread: [Double]
    /// ‖∂L/∂h_l‖ (over the whole batch) for the input h_0 and each layer's output h_l, with
    /// L = Σ h_L ⊙ r for a fixed N(0, 1) tensor r: the backward pass starts from the same signal
    /// r at the top whatever the weights did to the forward one, and what reaches each layer shows.
    let gradientNorms: [Double]

    init(
        layers: Int, width: Int, batch: Int = 200, activation: DenseNetwork.Activation, scale: Scale,
        residual: Bool = false, seed: Int
    ) {
        var random = SeededGenerator(seed: UInt64(seed) &+ 0xDEE9)
        let factor = scale.factor(fanIn: width, fanOut: width)
        let x = NDArray(shape: [batch, width], scalars: (0..<(batch * width)).map { _ in random.gaussian() })
        let weights = (0..<layers).map { _ in
            NDArray(shape: [width, width], scalars: (0..<(width * width)).map { _ in factor * random.gaussian() })
        }
        let tape = TensorTape()
        var h = tape.input(x)
        var outputs = [h]
        for W in weights {
            let w = tape.input(W)
            let z = h.matmul(w)
            let a =
                switch activation {
                case .tanh: z.tanh()
                case .relu: z.relu()
                case .sigmoid: z.sigmoid()
                }
            h = residual ? h + a : a
            outputs.append(h)
        }
        let signal = tape.input(
            NDArray(shape: [batch, width], scalars: (0..<(batch * width)).map { _ in random.gaussian() }))
        tape.backward(from: (h * signal).sum())
        spread = outputs.map { DeepStack.spreadAcrossExamples($0.value.scalars, batch: batch, width: width) }
        gradientNorms = outputs.map { $0.gradient.scalars.map { $0 * $0 }.reduce(0, +).squareRoot() }
    }

    /// What reaches the input over what left the top, ‖∂L/∂h_0‖/‖∂L/∂h_L‖: below 1 it vanished on
    /// the way down, above 1 it grew.
    var gradientRatio: Double { gradientNorms.first! / gradientNorms.last! }

    /// A panel per activation with a line per run in it (runs[activation][line]), by layer from
    /// the input on a logarithmic axis; the legend under the last panel.
    static func panels(
        _ y: RichText, activations: [DenseNetwork.Activation], runs: [[DeepStack]],
        lines: [(name: RichText, dashed: Bool)],
        _ series: (DeepStack) -> [Double]
    ) -> Panels {
        Panels(
            columns: 3, sharedX: true, sharedY: true,
            plots: activations.enumerated().map { a, activation in
                Plot(
                    title: .plain(activation.rawValue), x: "layer", y: .init(y, scale: .logarithmic),
                    legend: a == activations.count - 1,
                    layers: lines.enumerated().map { k, line in
                        .line(
                            .init(
                                line.name,
                                points: series(runs[a][k]).enumerated().map {
                                    (Double($0.offset), max($0.element, 1e-300))
                                },
                                color: k, dashed: line.dashed))
                    })
            })
    }

    /// √(mean over units of Var over examples) for a batch × width matrix, row by row.
    static func spreadAcrossExamples(_ values: [Double], batch: Int, width: Int) -> Double {
        var total = 0.0
        for unit in 0..<width {
            let column = (0..<batch).map { values[$0 * width + unit] }
            let sd = standardDeviation(column)
            total += sd * sd
        }
        return (total / Double(width)).squareRoot()
    }

    static func standardDeviation(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
    }
}
