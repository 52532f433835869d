import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// 000_0f8c2b341468a259.txt's "Vanishing/Exploding Gradients" and its initialisations,
    /// W^[l] = [random initialization] × √(1/n^[l−1]) (Xavier), × √(2/n^[l−1]) ("works better with
    /// ReLU", He) and × √(2/(n^[l−1] + n^[l])) (Bengio), through a deep stack of layers.
    public static let initialisation = Lesson(
        name: "initialisation",
        title:
            """
            Weight initialisation: small, Xavier, He and Bengio scales through \
            ten layers of sigmoid, tanh and ReLU, signals and gradients per layer
            """,
        parameters: [
            .integer("layers", 10, in: 2...40, "depth of the stack"),
            .integer("width", 64, in: 4...256, "units per layer, n^[l] (every layer as wide as its input)"),
            .integer("batch", 200, in: 10...1000, "examples pushed through, each feature drawn from N(0, 1)"),
            .integer("seed", 1, in: 0...1_000_000_000, "seed of the inputs and of the weights"),
            .digits(4),
        ],
        check: { p in
            // Twelve stacks (three activations, four scales), each layers × batch × width² multiply-adds
            // forward and back: past 4·10⁹ a run takes more than a few seconds (40 × 1000 × 256²: 25 s).
            let work =
                12 * Double(p.integer("layers")) * Double(p.integer("batch")) * pow(Double(p.integer("width")), 2)
            return work <= 4e9
                ? nil
                : "layers=\(p.integer("layers")), width=\(p.integer("width")) and batch=\(p.integer("batch")) are \(NumberFormat(significantDigits: 2).plain(work)) multiply-adds over the twelve stacks, more than the 4e9 a run of a few seconds allows; use fewer layers, a narrower width or a smaller batch"
        },
        build: Initialisation.build
    ).regimes([
        Regime("layers=40", "a deep stack: even the matched scales lose most of the gradient on the way down"),
        Regime("layers=2", "a shallow stack: the small scale shrinks the signal but has no time to kill it"),
        Regime("width=4", "narrow layers: n σ² is the same, but each layer's few units make the spreads noisy"),
    ])
}

enum Initialisation {
    static let activations: [DenseNetwork.Activation] = [.sigmoid, .tanh, .relu]

    static func build(_ p: Parameters) -> LessonResult {
        let format = NumberFormat(significantDigits: p.integer("digits"))
        let layers = p.integer("layers")
        let width = p.integer("width")
        let batch = p.integer("batch")
        let seed = p.integer("seed")
        // The scales and what each does to the variance of z = Σ_i w_i x_i: Var(z) = n Var(w) Var(x).
        let tape = Tape()
        let n = tape.input(Double(width), "n")
        let scales = [
            tape.constant(0.01).labeled("sigma_small"),
            (1.0 / n).squareRoot().labeled("sigma_xavier"),
            (2.0 / n).squareRoot().labeled("sigma_he"),
            (2.0 / (n + n)).squareRoot().labeled("sigma_bengio"),
        ]
        let gains = DeepStack.Scale.allCases.indices.map { k in
            (n * scales[k].pow(2)).labeled("gain_\(DeepStack.Scale.allCases[k].rawValue)")
        }
        let notation = Notation(
            tape: tape, format: format,
            symbols: [
                "sigma_small": "σ_{small}", "sigma_xavier": "σ_{Xavier}", "sigma_he": "σ_{He}",
                "sigma_bengio": "σ_{Bengio}",
                "gain_small": "g_{small}", "gain_xavier": "g_{Xavier}", "gain_he": "g_{He}",
                "gain_bengio": "g_{Bengio}", "n": "n",
            ])
        let runs = activations.map { activation in
            DeepStack.Scale.allCases.map {
                DeepStack(layers: layers, width: width, batch: batch, activation: activation, scale: $0, seed: seed)
            }
        }

        var values = ExportedValues(tape)
        for (a, activation) in activations.enumerated() {
            for (s, scale) in DeepStack.Scale.allCases.enumerated() {
                values["\(activation.rawValue).\(scale.rawValue).spread"] = .array(runs[a][s].spread)
                values["\(activation.rawValue).\(scale.rawValue).gradient"] = .array(runs[a][s].gradientNorms)
            }
        }

        // Bengio's line dashed: it lies on Xavier's where the layers are square.
        let lines = DeepStack.Scale.allCases.map { (name: RichText.plain($0.title), dashed: $0 == .bengio) }
        func panels(_ y: RichText, _ series: (DeepStack) -> [Double]) -> Panels {
            DeepStack.panels(y, activations: activations, runs: runs, lines: lines, series)
        }
        let relu = activations.firstIndex(of: .relu)!
        let tanh = activations.firstIndex(of: .tanh)!
        let xavier = DeepStack.Scale.allCases.firstIndex(of: .xavier)!
        let he = DeepStack.Scale.allCases.firstIndex(of: .he)!
        let small = DeepStack.Scale.allCases.firstIndex(of: .small)!
        let last = { (run: DeepStack) in run.spread.last! }
        let sigmoid = activations.firstIndex(of: .sigmoid)!

        /// What a stack did to the signal's spread, from the input's to the top layer's.
        func fate(_ run: DeepStack) -> RichText {
            let ratio = run.spread.last! / run.spread.first!
            let perLayer = pow(ratio, 1 / Double(layers))
            let top = notation.number(run.spread.last!)
            if ratio < 1e-3 { return "dies out (" + top + ")" }
            if (0.97...1.03).contains(perLayer) { return "keeps its spread (" + top + ")" }
            return (perLayer < 1 ? "shrinks" : "grows") + " by a factor of about " + notation.number(perLayer)
                + " a layer (" + top + ")"
        }
        /// What share of the gradient at the top reaches the input, in words and number.
        func share(_ run: DeepStack) -> RichText {
            let ratio = run.gradientRatio
            let number = notation.number(ratio)
            return (0.1...10).contains(ratio)
                ? number + " (within a small factor)"
                : ratio < 0.1 ? number + " (it vanishes)" : number + " (it explodes)"
        }

        let name = Lesson.initialisation.name
        let report = Report(
            title: "Weight initialisation",
            subtitle:
                """
                How the scale of the first random weights decides whether signals and gradients \
                survive a deep stack of layers. Every number below was computed by the engine.
                """,
            lesson: name,
            source:
                """
                Notes \(CourseNotes.cite("000")) (“Vanishing/Exploding Gradients”, the Xavier, ReLU and “Bengio \
                & co.” initialisations); \(CourseNotes.cite("001")) and \(CourseNotes.cite("002")) (activations)
                """
        ) {
            Section("The scales", exercise: true) {
                """
                In a deep network “the gradient might become exponentially high or low, thus halting \
                the whole training process” (000). One remedy is the scale of the first weights: \
                W^{[l]} = [random initialization] × a factor from the number of inputs n^{[l−1]} the \
                layer reads. With every layer \(width) units wide (n = \(width)) and N(0, 1) draws:
                """
                for s in scales { notation.step(s) }
                """
                A unit adds n products, z = Σ_i w_i x_i; with independent, centred weights \
                and inputs its variance is Var(z) = n Var(w) Var(x). The factor g = n \
                σ^{2} is what each layer does to the variance before the activation:
                """
                for g in gains { notation.step(g) }
                """
                Xavier’s scale keeps the variance where it was; He’s doubles it, because ReLU zeroes half of its \
                inputs and so halves it again; the small scale shrinks it \(notation.number(1 / gains[0].value))-fold \
                per layer. Where a layer is as wide as its input, Bengio’s n_in + n_out is 2n, and his scale is \
                Xavier’s.
                """
                Note("Whose scale is whose", kind: .errata) {
                    """
                    000 names √(1/n^{[l−1]}) after Xavier and √(2/(n^{[l−1]} + n^{[l]})) after “Bengio & co.”, but \
                    both come from one paper, Glorot and Bengio (2010), whose first author is Xavier Glorot: the \
                    scale it proposes, and that libraries call Xavier or Glorot initialisation, is √(2/(n_in + \
                    n_out)). √(1/n_in) is LeCun’s (1998), and √(2/n_in) He’s (2015). With every layer as wide as its \
                    input, as here, the first two are equal (\(notation.value(scales[1])) and \
                    \(notation.value(scales[3]))).
                    """
                }
                notation.settingsTable(p, "Every setting of this run.")
            }
            Section("Signals through \(layers) layers") {
                """
                A batch of \(batch) inputs through \(layers) layers of each \
                activation, with each scale (the same draws, rescaled):
                """
                Figure(
                    """
                    The spread of each layer’s output across the examples (each unit’s standard \
                    deviation over the batch, pooled; layer 0 is the input), per activation and scale.
                    """,
                    panels: panels("std of h", { $0.spread }))
                Table(
                    "The spread across the examples after layer \(layers).",
                    columns: [.init("scale")] + activations.map { .init(.plain($0.rawValue), alignment: .trailing) },
                    rows: DeepStack.Scale.allCases.enumerated().map { s, scale in
                        [.plain(scale.title)] + activations.indices.map { notation.number(last(runs[$0][s])) }
                    })
                "After \(layers) layer\(layers == 1 ? "" : "s"), with the small scale tanh’s signal "
                    + fate(runs[tanh][small]) + ", ReLU’s " + fate(runs[relu][small]) + ". tanh with Xavier’s scale "
                    + fate(runs[tanh][xavier]) + "; ReLU with Xavier’s " + fate(runs[relu][xavier]) + ", and with He’s "
                    + fate(runs[relu][he])
                    + ". The sigmoid’s outputs settle near ½ whatever the input, so their spread across the examples "
                    + fate(runs[sigmoid][he]) + " even with He’s scale."
            }
            Section("Gradients through \(layers) layers") {
                """
                The same stacks, backward. The same error signal r (N(0, 1) draws) is fed in at the top, \
                L = Σ h_{\(layers)} ⊙ r, and the engine’s backward pass carries it down; ‖∂L/∂h_{l}‖ is \
                how much of it reaches the output of layer l (layer 0: the input). Each layer multiplies \
                it by Wᵀ and by the activation’s slope: where it arrives far smaller at the bottom than \
                at the top, the first layers hardly learn (vanishing); far larger, they jump (exploding).
                """
                Figure(
                    "‖∂L/∂h_{l}‖ at each layer, per activation and scale.",
                    panels: panels("‖∂L/∂h‖", { $0.gradientNorms }))
                Table(
                    "The gradient reaching the input over the one leaving the top, ‖∂L/∂h_{0}‖/‖∂L/∂h_{\(layers)}‖.",
                    columns: [.init("scale")] + activations.map { .init(.plain($0.rawValue), alignment: .trailing) },
                    rows: DeepStack.Scale.allCases.enumerated().map { s, scale in
                        [.plain(scale.title)] + activations.indices.map { notation.number(runs[$0][s].gradientRatio) }
                    })
                "Of what leaves the top, the input receives " + share(runs[tanh][xavier])
                    + " with tanh and Xavier’s scale, " + share(runs[relu][he]) + " with ReLU and He’s, and "
                    + share(runs[relu][small])
                    + " with ReLU and the small scale. The sigmoid’s slope is at most ¼, so each layer multiplies the gradient by about ¼ σ√n: even with He’s scale it passes down "
                    + share(runs[sigmoid][he])
                    + ". Skip connections are the other cure (000, and the lesson “Residual connections”)."
            }
        }
        return LessonResult(
            lesson: name, parameters: p, report: report, values: values,
            recordings: [Recording(notation: notation, output: gains[2])])
    }
}
