import Foundation
import LessonKit
import Lessons
import ReportModel
import TestSupport
import Testing

@testable import Script

/// The shipped script `gan` (002's GANs) against a one-dimensional GAN written out here: the two
/// players, both steps with their gradients (derived by hand, and checked by central differences),
/// and the game played round by round.
@Suite("gan: the script against a GAN written by hand (002)")
struct GanTests {
    /// The script's parameters, typed again here: the reference must not read the script.
    struct Game {
        var x = [3.4, 4.6], z = [-0.8, 0.9]
        var a = 1.0, b = 0.0, w = 0.5, c = -1.0, alpha = 0.1, steps = 3000

        init(_ settings: [String]) {
            for setting in settings {
                let parts = setting.split(separator: "=")
                let value = Double(parts[1])!
                switch parts[0] {
                case "x1", "x2": x[Int(String(parts[0].last!))! - 1] = value
                case "z1", "z2": z[Int(String(parts[0].last!))! - 1] = value
                case "a": a = value
                case "b": b = value
                case "w": w = value
                case "c": c = value
                case "alpha": alpha = value
                case "steps": steps = Int(value)
                default: break
                }
            }
        }

        static func σ(_ t: Double) -> Double { 1 / (1 + Foundation.exp(-t)) }
        static func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }

        func fakes(a: Double, b: Double) -> [Double] { z.map { a * $0 + b } }
        /// −½ Σ log D(x_k) + log(1 − D(G(z_k))).
        func discriminatorLoss(w: Double, c: Double, a: Double, b: Double) -> Double {
            -Self.mean(x.map { Foundation.log(Self.σ(w * $0 + c)) })
                - Self.mean(fakes(a: a, b: b).map { Foundation.log(1 - Self.σ(w * $0 + c)) })
        }
        /// ½ Σ log(1 − D(G(z_k))).
        func saturatingLoss(w: Double, c: Double, a: Double, b: Double) -> Double {
            Self.mean(fakes(a: a, b: b).map { Foundation.log(1 - Self.σ(w * $0 + c)) })
        }
        /// −½ Σ log D(G(z_k)).
        func nonSaturatingLoss(w: Double, c: Double, a: Double, b: Double) -> Double {
            -Self.mean(fakes(a: a, b: b).map { Foundation.log(Self.σ(w * $0 + c)) })
        }

        /// The game as the lesson plays it: each round D steps on L_D, then G on L_G^ns against the new D.
        func played() -> (w: Double, c: Double, a: Double, b: Double) {
            var (w, c, a, b) = (self.w, self.c, self.a, self.b)
            for _ in 0..<steps {
                let g = fakes(a: a, b: b)
                let r = x.map { Self.σ(w * $0 + c) }
                let f = g.map { Self.σ(w * $0 + c) }
                let dw = -Self.mean(zip(r, x).map { (1 - $0) * $1 }) + Self.mean(zip(f, g).map { $0 * $1 })
                let dc = -Self.mean(r.map { 1 - $0 }) + Self.mean(f)
                (w, c) = (w - alpha * dw, c - alpha * dc)
                let f2 = g.map { Self.σ(w * $0 + c) }
                let db = -Self.mean(f2.map { (1 - $0) * w })
                let da = -Self.mean(zip(f2, z).map { (1 - $0) * w * $1 })
                (a, b) = (a - alpha * da, b - alpha * db)
            }
            return (w, c, a, b)
        }
    }

    static let settings: [[String]] = [
        [],
        ["alpha=0.5"],  // the players overshoot: a two-round swing
        ["steps=30"],
        ["x1=-3.4", "x2=-4.6"],
        ["w=-0.8", "c=2", "a=-0.5", "b=7", "steps=500"],  // D upside down, G to the right of the data
    ]

    static func shipped() throws -> Lesson {
        try #require(Catalog.lesson(named: "gan"), "gan is listed with the built-in lessons")
    }

    @Test(arguments: settings)
    func everyValueIsTheHandWrittenOnes(_ settings: [String]) throws {
        let values = try Self.shipped().run(settings: settings).values
        let game = Game(settings)
        let (w, c, a, b) = (game.w, game.c, game.a, game.b)
        let g = game.fakes(a: a, b: b)
        let r = game.x.map { Game.σ(w * $0 + c) }
        let f = g.map { Game.σ(w * $0 + c) }
        // The gradients derived by hand: σ′ = σ(1 − σ), so d log σ(t) = (1 − σ) dt and d log(1 − σ(t)) = −σ dt.
        let dw = -Game.mean(zip(r, game.x).map { (1 - $0) * $1 }) + Game.mean(zip(f, g).map { $0 * $1 })
        let dc = -Game.mean(r.map { 1 - $0 }) + Game.mean(f)
        let dSaturatingdb = -Game.mean(f.map { $0 * w })
        let dNonSaturatingdb = -Game.mean(f.map { (1 - $0) * w })
        let dNonSaturatingda = -Game.mean(zip(f, game.z).map { (1 - $0) * w * $1 })
        let end = game.played()
        var expected: [(String, Double)] = [
            ("L_D", game.discriminatorLoss(w: w, c: c, a: a, b: b)), ("dL_D/dw", dw), ("dL_D/dc", dc),
            ("w+", w - game.alpha * dw), ("c+", c - game.alpha * dc),
            ("L_sat", game.saturatingLoss(w: w, c: c, a: a, b: b)),
            ("L_ns", game.nonSaturatingLoss(w: w, c: c, a: a, b: b)),
            ("dL_sat/db", dSaturatingdb), ("dL_ns/db", dNonSaturatingdb), ("dL_ns/da", dNonSaturatingda),
            ("b+", b - game.alpha * dNonSaturatingdb), ("a+", a - game.alpha * dNonSaturatingda),
            ("w_after_training", end.w), ("c_after_training", end.c), ("a_after_training", end.a),
            ("b_after_training", end.b),
            ("L_D_after_training", game.discriminatorLoss(w: end.w, c: end.c, a: end.a, b: end.b)),
            ("L_ns_after_training", game.nonSaturatingLoss(w: end.w, c: end.c, a: end.a, b: end.b)),
        ]
        for k in 0..<2 { expected += [("g\(k + 1)", g[k]), ("r\(k + 1)", r[k]), ("f\(k + 1)", f[k])] }
        // A game of thousands of rounds amplifies rounding: 1e-9 there, 1e-12 for one step.
        try expectAgreement(
            values, expected, relative: { $0.hasSuffix("_after_training") ? 1e-9 : 1e-12 }, "\(settings)")
    }

    /// Every gradient the page prints against central differences of the losses written above.
    @Test(arguments: settings)
    func theGradientsAreTheCentralDifferences(_ settings: [String]) throws {
        let values = try Self.shipped().run(settings: settings).values
        let game = Game(settings)
        let (w, c, a, b) = (game.w, game.c, game.a, game.b)
        try expectAgreement(
            values,
            [
                ("dL_D/dw", centralDifference(at: w) { game.discriminatorLoss(w: $0, c: c, a: a, b: b) }),
                ("dL_D/dc", centralDifference(at: c) { game.discriminatorLoss(w: w, c: $0, a: a, b: b) }),
                ("dL_sat/db", centralDifference(at: b) { game.saturatingLoss(w: w, c: c, a: a, b: $0) }),
                ("dL_ns/db", centralDifference(at: b) { game.nonSaturatingLoss(w: w, c: c, a: a, b: $0) }),
                ("dL_ns/da", centralDifference(at: a) { game.nonSaturatingLoss(w: w, c: c, a: $0, b: b) }),
            ], relative: { _ in 1e-7 }, "\(settings)")
    }

    /// The sentences follow the numbers: which loss pulls harder, whether G found the data,
    /// whether L_D ended at log 4.
    @Test(arguments: settings)
    func theSentencesAreTrueToTheNumbers(_ settings: [String]) throws {
        let result = try Self.shipped().run(settings: settings)
        let values = result.values
        let text = paragraphs(result)
        let saturating = abs(try #require(values.number("dL_sat/db")))
        let nonSaturating = abs(try #require(values.number("dL_ns/db")))
        #expect(text.contains(nonSaturating > saturating ? "pulls b harder" : "pulls b less hard"), "\(settings)")
        let game = Game(settings)
        let end = game.played()
        let centre = end.b + end.a * Game.mean(game.z)
        let target = Game.mean(game.x)
        #expect(
            text.contains(
                abs(centre - target) < 0.05 * (1 + abs(target))
                    ? "G has found where the data are" : "G has not reached the data"),
            "\(settings): fakes at \(centre), data at \(target)")
        let final = try #require(values.number("L_D_after_training"))
        #expect(
            text.contains(
                close(final, 2 * Foundation.log(2.0), within: 0.01)
                    ? "at the game's equilibrium D can no longer tell" : "it is not there"),
            "\(settings): L_D ends at \(final)")
        // The defaults reach the equilibrium; a rate of 0.5 swings between two states instead.
        if settings.isEmpty { #expect(close(final, 2 * Foundation.log(2.0), within: 1e-3)) }
        if settings == ["alpha=0.5"] {
            #expect(abs(final - 2 * Foundation.log(2.0)) > 1, "L_D \(final): far from log 4, as its regime says")
        }
    }
}
