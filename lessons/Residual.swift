import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// 003_d0f05d757d73cc3f.txt's residual networks ("instead of learning a function F(x), you try and
    /// learn F(x) + x", "the gradient at higher layers can easily pass to lower layers") and 000's
    /// skip connections, which "almost single-handedly solved" vanishing gradients.
    public static let residual = Lesson(
        name: "residual",
        title:
            """
            Residual connections: the +1 of y = F(x) + x worked, and \
            the gradient through a deep stack with and without skips
            """,
        parameters: [
            .real("x", 0.5, in: -5...5, "the worked block's input"),
            .real("w1", 0.5, in: -5...5, "the worked block's first weight: F(x) = w2 tanh(w1 x)"),
            .real("w2", 0.1, in: -5...5, "the worked block's second weight"),
            .integer("layers", 30, in: 2...100, "depth of the stacks"),
            .integer("width", 32, in: 4...128, "units per layer"),
            .choice(
                "scale", "xavier", among: DeepStack.Scale.allCases.map(\.rawValue),
                "initial weights: small (0.01), xavier √(1/n), he √(2/n), bengio √(2/(n_in + n_out))"),
            .integer("seed", 1, in: 0...1_000_000_000, "seed of the inputs, the weights and the error signal"),
            .digits(6),
        ],
        build: Residual.build
    ).regimes([
        Regime(
            ["w1=3", "w2=3"], "a steep block: |∂F/∂x| above 1, so the plain product explodes and the residual one grows"
        ),
        Regime(
            ["w2=-1.5", "w1=1"],
            "a block whose slope is near −1: 1 + ∂F/∂x is small, and the skip no longer saves the gradient"),
        Regime(
            "scale=small",
            "tiny weights: the plain stacks vanish for every activation, the residual ones reach the input"),
    ]).varying(
        [Variation("x", -2...2, step: 0.5), Variation("w1", -2...2, step: 0.1), Variation("w2", -1...1, step: 0.1)],
        soundWhen: { p in
            // Every factor counts and tanh is not saturated: |w1 x| ≤ 2, so 1 − tanh² ≥ 0.07.
            p["x"] != 0 && p["w1"] != 0 && p["w2"] != 0 && abs(p["w1"] * p["x"]) <= 2
        })
}

enum Residual {
    static let activations: [DenseNetwork.Activation] = [.sigmoid, .tanh, .relu]

    /// What the two products do with this block's ∂F/∂x: the plain one vanishes below 1 in size,
    /// the residual one stays near 1 only while ∂F/∂x is small.
    static func chainVerdict(local: Double, layers: Int) -> RichText {
        let plain: String =
            abs(local) < 1
            ? "|∂F/∂x| is below 1, so the plain product vanishes"
            : abs(local) > 1
                ? "|∂F/∂x| is above 1, so the plain product explodes"
                : "|∂F/∂x| = 1, so the plain product keeps its size"
        let residual: String =
            abs(local) * Double(layers) < 1
            ? "; 1 + ∂F/∂x is near 1, and its product does not vanish: the gradient can “pass to lower layers without being mediated by the weight layers” (003)."
            : 1 + local > 1
                ? "; 1 + ∂F/∂x is above 1, and over \(layers) blocks its product grows: the skips carry the gradient, but this block’s own slope multiplies it too."
                : "; 1 + ∂F/∂x is below 1 in size, and its product shrinks too: the skip helps only where F’s slope is small."
        return RichText(plain + residual)
    }

    static func build(_ p: Parameters) -> LessonResult {
        let format = NumberFormat(significantDigits: p.integer("digits"))
        let layers = p.integer("layers")
        let width = p.integer("width")
        let seed = p.integer("seed")
        let scale = DeepStack.Scale(rawValue: p.choice("scale"))!
        // One block, worked: y = F(x) + x with F(x) = w2 tanh(w1 x).
        let tape = Tape()
        let x = tape.input(p["x"], "x")
        let w1 = tape.input(p["w1"], "w1")
        let w2 = tape.input(p["w2"], "w2")
        let z = (w1 * x).labeled("z")
        let a = z.tanh().labeled("a")
        let f = (w2 * a).labeled("F")
        let y = (f + x).labeled("y")
        tape.backward(from: y)
        let local = tape.derivative(of: f, withRespectTo: x)
        let n = Notation(tape: tape, format: format)
        let plainChain = pow(local, Double(layers))
        let residualChain = pow(1 + local, Double(layers))

        let runs = activations.map { activation in
            [false, true].map {
                DeepStack(
                    layers: layers, width: width, batch: 100, activation: activation, scale: scale, residual: $0,
                    seed: seed)
            }
        }
        var values = ExportedValues(tape)
        values["dF/dx"] = .number(local)
        values["dy/dx"] = .number(x.gradient)
        values["plain_chain"] = .number(plainChain)
        values["residual_chain"] = .number(residualChain)
        for (k, activation) in activations.enumerated() {
            for (m, kind) in ["plain", "residual"].enumerated() {
                values["\(activation.rawValue).\(kind).gradient"] = .array(runs[k][m].gradientNorms)
                values["\(activation.rawValue).\(kind).spread"] = .array(runs[k][m].spread)
            }
        }
        func panels(_ y: RichText, _ series: (DeepStack) -> [Double]) -> Panels {
            DeepStack.panels(
                y, activations: activations, runs: runs, lines: [("plain", false), ("residual", false)], series)
        }

        let name = Lesson.residual.name
        let report = Report(
            title: "Residual connections",
            subtitle:
                """
                Why adding the input back, y = F(x) + x, lets the gradient reach the first \
                layers of a deep network. Every number below was computed by the engine.
                """,
            lesson: name,
            source:
                """
                Notes \(CourseNotes.cite("003")) (“Residual Networks”: learn F(x) + x, “the \
                gradient at higher layers can easily pass to lower layers”), \(CourseNotes.cite("000")) \
                (skip connections and residual blocks, vanishing/exploding gradients)
                """
        ) {
            Section("The residual block") {
                """
                “Instead of learning a function F(x), you try and learn F(x) + x” (003): \
                the block’s weight layers compute F, and a skip connection adds the block’s \
                input to their result. ResNet put such a link around every two layers.
                """
                Figure(
                    """
                    A residual block: two weight layers compute F(x), the \
                    identity carries x around them, and the sum goes on.
                    """,
                    network: diagram())
                n.settingsTable(p, "Every setting of this run.")
            }
            Section("The +1, worked") {
                "A one-unit block with F(x) = w_2 tanh(w_1 x), forward:"
                for node in [z, a, f, y] { n.step(node) }
                "Backward, y = F + x has two routes to x, and the skip route contributes ∂x/∂x = 1:"
                n.sum(y, of: [f, x], withRespectTo: x)
                n.chain([f, a, z, x], "The weight route by the chain rule")
                ("Stack \(layers) such blocks, each with this derivative, and the chain rule multiplies them. Without the skips that is (∂F/∂x)^{\(layers)}"
                    as RichText) + " = \(n.number(plainChain)); with them, " + ("(1 + ∂F/∂x)^{\(layers)}" as RichText)
                    + " = \(n.number(residualChain)). " + chainVerdict(local: local, layers: layers)
            }
            Section("A deep stack, with and without skips") {
                """
                The same \(layers) layers of \(width) units (weights at the \(scale.title) scale, seed \
                \(seed)), once plain, h_l = act(h_{l−1} W_l), once residual, h_l = h_{l−1} + act(h_{l−1} \
                W_l). The same error signal enters at the top and the engine’s backward pass carries it down:
                """
                Figure(
                    "‖∂L/∂h_l‖ at each layer (layer 0 is the input), plain and residual, per activation.",
                    panels: panels("‖∂L/∂h‖", { $0.gradientNorms }))
                Table(
                    "The gradient reaching the input over the one leaving the top, ‖∂L/∂h_0‖/‖∂L/∂h_L‖.",
                    columns: [
                        .init("activation"), .init("plain", alignment: .trailing),
                        .init("residual", alignment: .trailing),
                    ],
                    rows: activations.enumerated().map { k, activation in
                        [
                            .plain(activation.rawValue), n.number(runs[k][0].gradientRatio),
                            n.number(runs[k][1].gradientRatio),
                        ]
                    })
                let vanishing = activations.indices.filter { runs[$0][0].gradientRatio < 1e-2 }.map {
                    activations[$0].rawValue
                }
                let exploding = activations.indices.filter { runs[$0][1].gradientRatio > 10 }
                let kept = activations.indices.allSatisfy { runs[$0][1].gradientRatio >= 0.1 }
                "\(vanishing.isEmpty ? "Here no plain stack loses the gradient outright" : "Without skips the gradient all but vanishes for " + vanishing.joined(separator: " and "))\(kept ? "; with them it reaches the input with every activation" : "; with them it still weakens for some").\(exploding.isEmpty ? "" : " But for " + exploding.map { "\(activations[$0].rawValue) (\(format.plain(runs[$0][1].gradientRatio)) times as large at the input)" }.joined(separator: " and ") + " it grows on the way down: every factor 1 + ∂F/∂x is above 1, and their product explodes instead.")"
                // Which stacks' signal shrank and which grew, input to top, read from the spreads.
                let shrinks = runs.allSatisfy { $0[0].spread.last! < $0[0].spread.first! }
                let grows = runs.allSatisfy { $0[1].spread.last! > $0[1].spread.first! }
                "The forward signal tells the other half of the story: "
                    + (shrinks
                        ? "in the plain stack it shrinks with depth for every activation"
                        : "in the plain stack it does not shrink for every activation")
                    + (grows
                        ? ", in the residual one every block adds to it, and it grows:"
                        : ", and in the residual one every block adds to it, though it does not grow for every activation:")
                Figure(
                    "The spread of each layer’s output across the examples, plain and residual.",
                    panels: panels("std of h", { $0.spread }))
                """
                This is why real residual networks put batch normalisation inside every \
                block: the skips carry the gradient, the normalisation keeps the sum in range.
                """
            }
        }
        return LessonResult(
            lesson: name, parameters: p, report: report, values: values, recordings: [Recording(notation: n, output: y)]
        )
    }

    /// x → weight layer, ReLU → weight layer → + ← x (the identity), → ReLU.
    static func diagram() -> NetworkDiagram {
        NetworkDiagram(
            layers: [
                [.init("x", kind: .input)],
                [.init("W_1", detail: "weight layer, ReLU"), .init("x", detail: "identity", kind: .bias)],
                [.init("W_2", detail: "weight layer"), .init("x", detail: "identity", kind: .bias)],
                [.init("+", detail: "F(x) + x")],
                [.init("ReLU", kind: .output)],
            ],
            connections: [
                .init(from: (0, 0), to: (1, 0), label: RichText()), .init(from: (0, 0), to: (1, 1), label: RichText()),
                .init(from: (1, 0), to: (2, 0), label: RichText()), .init(from: (1, 1), to: (2, 1), label: RichText()),
                .init(from: (2, 0), to: (3, 0), label: "F(x)"),
                .init(from: (2, 1), to: (3, 0), label: "x", emphasized: true),
                .init(from: (3, 0), to: (4, 0), label: RichText()),
            ])
    }
}
