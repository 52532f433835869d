import Foundation
import LessonKit
import ReportModel
import TestSupport
import Testing

@testable import Lessons

/// A reproducible stream of numbers in [0, 1) (SplitMix64), so every run tests the same cases.
struct SplitMix {
    var state: UInt64
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
    mutating func next(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + next() * (range.upperBound - range.lowerBound)
    }
}

@Suite("backprop-example against a hand-written network with no tape")
struct BackpropReferenceTests {
    @Test func everyValueAtFullPrecision() {
        let reference = Reference()
        let pass = reference.forward(reference.w)
        let g = reference.gradients(reference.w)
        let next = reference.step(reference.w, outputFirst: false)
        let v = { (label: String) in value(defaults, label) }
        #expect(close(v("out_h1"), pass.h1) && close(v("out_h2"), pass.h2))
        #expect(close(v("out_o1"), pass.o1) && close(v("out_o2"), pass.o2))
        #expect(close(v("E_total"), pass.E))
        for k in 1...8 {
            #expect(close(v("dE_total/dw\(k)"), g[k]), "∂E/∂w\(k)")
            #expect(close(v("w\(k)+"), next[k]), "w\(k)+")
        }
        #expect(close(v("E_total_after_update"), reference.forward(next).E))
        #expect(
            close(
                v("E_total_after_training"), reference.forward(reference.train(10000, outputFirst: false)).E,
                relative: 1e-9, within: 0))
    }

    @Test func outputFirstOrder() {
        let reference = Reference()
        let next = reference.step(reference.w, outputFirst: true)
        for k in 1...8 { #expect(close(value(outputFirst, "w\(k)+"), next[k]), "w\(k)+") }
        #expect(close(value(outputFirst, "E_total_after_update"), reference.forward(next).E))
        let trained = reference.forward(reference.train(10000, outputFirst: true))
        #expect(close(value(outputFirst, "out_o1_after_training"), trained.o1, relative: 1e-9, within: 0))
    }

    /// 002's cross-entropy output: L = −Σ [t log o + (1 − t) log(1 − o)], and δ_o1 = ∂L/∂net_o1 =
    /// o1 − t1, against a central difference of L in net_o1 and the notes' out_o1 = 0.75136507.
    @Test func theCrossEntropyDeltaIsTheOutputMinusItsTarget() {
        let reference = Reference()
        let pass = reference.forward(reference.w)
        func loss(_ o1: Double, _ o2: Double) -> Double {
            let (t1, t2) = reference.t
            return -(t1 * log(o1) + (1 - t1) * log(1 - o1)) - (t2 * log(o2) + (1 - t2) * log(1 - o2))
        }
        #expect(close(value(defaults, "L_CE"), loss(pass.o1, pass.o2)))
        #expect(close(value(defaults, "dL_CE/dnet_o1"), pass.o1 - reference.t.0))
        #expect(close(value(defaults, "dL_CE/dnet_o1"), 0.75136507 - 0.01, within: 1e-8))  // the notes' out_o1 minus t1
        // net_o1 moved by ±h, o1 = σ(net_o1) recomputed; o2 does not depend on net_o1.
        let net = log(pass.o1 / (1 - pass.o1))
        let h = 1e-6
        let numeric = (loss(1 / (1 + exp(-(net + h))), pass.o2) - loss(1 / (1 + exp(-(net - h))), pass.o2)) / (2 * h)
        #expect(close(value(defaults, "dL_CE/dnet_o1"), numeric, within: 1e-8))
        // The squared error's δ is the cross-entropy's times σ′ = o(1 − o), as the page says.
        let squared = (pass.o1 - reference.t.0) * pass.o1 * (1 - pass.o1)
        let text = paragraphs(defaults).joined(separator: "\n")
        #expect(
            text.contains("is this δ times")
                && text.contains("= \(String(format: "%.9g", pass.o1 * (1 - pass.o1))), which is at most ¼"))
        #expect(
            text.contains(String(format: "the cross-entropy’s δ is %.9g times as large", 1 / (pass.o1 * (1 - pass.o1))))
        )
        #expect(close(squared, value(defaults, "dL_CE/dnet_o1") * pass.o1 * (1 - pass.o1)))
    }

    @Test func weightGradientsAgainstFiniteDifferences() {
        // Central differences of the hand-written E_total, h = 1e-6: truncation ~1e-12, rounding ~1e-10.
        let reference = Reference()
        for k in 1...8 {
            var up = reference.w
            var down = reference.w
            up[k] += 1e-6
            down[k] -= 1e-6
            let numeric = (reference.forward(up).E - reference.forward(down).E) / 2e-6
            #expect(close(value(defaults, "dE_total/dw\(k)"), numeric, within: 1e-8), "∂E/∂w\(k)")
        }
    }

    @Test func anyValidParametersGiveTheirOwnNumbers() throws {
        var random = SplitMix(state: 2026)
        for _ in 0..<12 {
            var reference = Reference()
            reference.i = (random.next(in: -2...2), random.next(in: -2...2))
            reference.t = (random.next(), random.next())
            reference.w = [0] + (1...8).map { _ in random.next(in: -3...3) }
            reference.b = (random.next(in: -1...1), random.next(in: -1...1))
            reference.lr = random.next(in: 0.01...2)
            let settings =
                [
                    "i1=\(reference.i.0)", "i2=\(reference.i.1)", "t1=\(reference.t.0)", "t2=\(reference.t.1)",
                    "b1=\(reference.b.0)", "b2=\(reference.b.1)", "lr=\(reference.lr)", "iterations=5",
                ]
                + (1...8).map { "w\($0)=\(reference.w[$0])" }
            let result = try Lesson.backpropExample.run(settings: settings)
            let next = reference.step(reference.w, outputFirst: false)
            #expect(close(value(result, "E_total"), reference.forward(reference.w).E))
            for k in 1...8 { #expect(close(value(result, "w\(k)+"), next[k], relative: 1e-11, within: 0)) }
            #expect(
                close(
                    value(result, "E_total_after_training"),
                    reference.forward(reference.train(5, outputFirst: false)).E, relative: 1e-10, within: 0))
        }
    }
}
