import Engine
import Foundation
import ReportModel

extension Notation {
    /// A remark for every sigmoid on the tape whose derivative σ′ = σ(1 − σ) is below `threshold`:
    /// saturation is part of the lesson (the vanishing gradient of the notes), so the page says
    /// why its gradients are tiny instead of printing a column of near-zeros. Nil when none is.
    ///
    ///     if let note = n.saturationNote() { note }   // inside a report builder
    public func saturationNote(below threshold: Double = 1e-8) -> Note? {
        var lines: [RichText] = []
        for id in 0..<tape.count where tape.primitive(of: id) == .sigmoid {
            let input = tape.inputs(of: id)[0]
            let x = tape.value(of: input)
            // e^{−|x|}/(1 + e^{−|x|})², exact where σ(1 − σ) has rounded to 0 (σ = 1 − 2^{−53}·k).
            let slope = Foundation.exp(-abs(x)) / ((1 + Foundation.exp(-abs(x))) * (1 + Foundation.exp(-abs(x))))
            guard slope < threshold else { continue }
            let output = tape.label(of: id).map(name) ?? .plain("σ(") + (tape.label(of: input).map(name) ?? "x") + ")"
            let at = tape.label(of: input).map { name($0) + " = " + number(x) } ?? number(x)
            let rounded =
                Primitive.sigmoid.rule(x, 0).dx == 0
                ? RichText.plain(" (in double precision σ(1 − σ) rounds to 0)") : RichText()
            lines.append(.plain("σ′ at ") + at + ": " + output + "(1 − " + output + ") = " + number(slope) + rounded)
        }
        guard !lines.isEmpty else { return nil }
        return Note("Saturated sigmoids: vanishing gradients") {
            """
            Where |x| is large, σ(x) is flat: its slope σ′(x) = σ(x)(1 − σ(x)) is almost 0. Every gradient that \
            passes back through such a neuron is multiplied by that slope, so it is tiny too, and the weights \
            before it barely move: the vanishing gradient of the notes. Here σ′ is below \(number(threshold)) at:
            """
            for line in lines { Paragraph(line) }
            """
            The small numbers in the steps below are right, not a failure of the arithmetic; \
            smaller inputs or weights bring the neurons back to where σ is steep.
            """
        }
    }
}
