import Foundation
import LessonKit
import ReportModel
import TestSupport
import Testing

@testable import Lessons

/// The unit of 000_0f8c2b341468a259.txt worked by hand, with no tape: z = wᵀx + b, a = σ(z),
/// L = −(y log a + (1 − y) log(1 − a)), and its gradients as the textbooks derive them.
struct LogisticByHand {
    var x = [0.5, 1.5, -1.0], w = [0.4, -0.2, 0.3], b = 0.1, y = 1.0, alpha = 0.5

    init(_ settings: [String: Double] = [:]) {
        for k in 0..<3 {
            x[k] = settings["x\(k + 1)"] ?? x[k]
            w[k] = settings["w\(k + 1)"] ?? w[k]
        }
        b = settings["b"] ?? b
        y = settings["y"] ?? y
        alpha = settings["alpha"] ?? alpha
    }

    var settings: [String] {
        (0..<3).flatMap { ["x\($0 + 1)=\(x[$0])", "w\($0 + 1)=\(w[$0])"] } + [
            "b=\(b)", "y=\(Int(y))", "alpha=\(alpha)",
        ]
    }

    func z(_ w: [Double], _ b: Double) -> Double { w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + b }
    static func σ(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
    func loss(_ a: Double) -> Double { -(y * log(a) + (1 - y) * log(1 - a)) }

    var a: Double { Self.σ(z(w, b)) }
    var L: Double { loss(a) }
    var dLda: Double { -y / a + (1 - y) / (1 - a) }
    var dadz: Double { a * (1 - a) }
    var dLdz: Double { a - y }
    var dLdw: [Double] { x.map { $0 * (a - y) } }
    var wPlus: [Double] { (0..<3).map { w[$0] - alpha * dLdw[$0] } }
    var bPlus: Double { b - alpha * dLdz }
    var lossAfter: Double { loss(Self.σ(z(wPlus, bPlus))) }

    /// The linear twin: ŷ = z, L = ½(ŷ − y)².
    var yhat: Double { z(w, b) }
    var linearLoss: Double { 0.5 * pow(yhat - y, 2) }
    var linearGradient: [Double] { x.map { $0 * (yhat - y) } }
}

@Suite("logistic-regression against a hand calculation, for both labels")
struct LogisticRegressionTests {
    static let cases: [[String: Double]] = [
        [:], ["y": 0], ["x1": -2, "w2": 1.7, "b": -0.4, "alpha": 0.1], ["x3": 3, "w3": -2, "y": 0],
    ]

    @Test(arguments: cases)
    func everyValueMatchesTheHandCalculation(_ settings: [String: Double]) throws {
        let hand = LogisticByHand(settings)
        let values = try Lesson.logisticRegression.run(settings: hand.settings).values
        func v(_ label: String) -> Double { values.number(label) ?? .nan }
        #expect(close(v("z"), hand.z(hand.w, hand.b)))
        #expect(close(v("a"), hand.a))
        #expect(close(v("L"), hand.L))
        #expect(close(v("dL/da"), hand.dLda))
        #expect(close(v("da/dz"), hand.dadz))
        #expect(close(v("dL/dz"), hand.dLdz))
        #expect(close(v("dL/db"), hand.dLdz))
        for k in 0..<3 {
            #expect(close(v("dL/dw\(k + 1)"), hand.dLdw[k]))
            #expect(close(v("w\(k + 1)+"), hand.wPlus[k]))
        }
        #expect(close(v("b+"), hand.bPlus))
        #expect(close(v("L_after"), hand.lossAfter))
        #expect(v("L_after") < v("L"), "one step downhill lowers the loss")
        #expect(close(v("linear.yhat"), hand.yhat))
        #expect(close(v("linear.L"), hand.linearLoss))
        #expect(close(v("linear.dL/db"), hand.yhat - hand.y))
        for k in 0..<3 { #expect(close(v("linear.dL/dw\(k + 1)"), hand.linearGradient[k])) }
    }

    /// Central differences of the whole lesson's loss in every parameter it differentiates.
    @Test(arguments: [0.0, 1.0])
    func everyGradientAgainstFiniteDifferences(label: Double) throws {
        let base = LogisticByHand(["y": label])
        let values = try Lesson.logisticRegression.run(settings: base.settings).values
        for key in ["x1", "x2", "x3", "w1", "w2", "w3", "b"] {
            func loss(_ shift: Double, _ which: String) throws -> Double {
                var hand = base
                switch key {
                case "b": hand.b += shift
                case let k where k.hasPrefix("w"): hand.w[try #require(Int(k.dropFirst())) - 1] += shift
                default: hand.x[try #require(Int(key.dropFirst())) - 1] += shift
                }
                return try Lesson.logisticRegression.run(settings: hand.settings).values.number(which)!
            }
            let h = 1e-6
            for (which, gradient) in [("L", "dL/d\(key)"), ("linear.L", "linear.dL/d\(key)")]
            where values.number(gradient) != nil {
                let difference = (try loss(h, which) - loss(-h, which)) / (2 * h)
                #expect(
                    close(values.number(gradient)!, difference, relative: 1e-7),
                    "\(gradient): \(values.number(gradient)!) vs \(difference)")
            }
        }
        // ∂L/∂a and ∂a/∂z, which no parameter reaches alone, on the hand-written functions.
        let (a, z, h) = (base.a, base.z(base.w, base.b), 1e-6)
        #expect(
            close(try #require(values.number("dL/da")), (base.loss(a + h) - base.loss(a - h)) / (2 * h), relative: 1e-7)
        )
        #expect(
            close(
                try #require(values.number("da/dz")), (LogisticByHand.σ(z + h) - LogisticByHand.σ(z - h)) / (2 * h),
                relative: 1e-7))
    }

    @Test func theGradientOfTheLossSimplifiesToAMinusY() throws {
        let result = try Lesson.logisticRegression.run(settings: [])
        let step = try #require(steps(result).first { $0.lhs.plainText == "∂L/∂z" })
        let lines = step.rhs.map(\.plainText)
        #expect(lines.first == "∂L/∂a × ∂a/∂z")
        #expect(lines.contains("a − y"))
        let hand = LogisticByHand()
        #expect(
            lines.last
                == NumberFormat(significantDigits: 6).plain(hand.a - hand.y).replacingOccurrences(of: "-", with: "−"))
    }

    /// z = 10·10 + … = 99.5: σ(z) is 1 in doubles, and log(1 − a) = log 0 for y = 0.
    @Test(arguments: [0.0, 1.0])
    func aSaturatedUnitIsExplainedNotPrintedAsInfinity(label: Double) throws {
        let hand = LogisticByHand(["x1": 10, "w1": 10, "y": label])
        let result = try Lesson.logisticRegression.run(settings: hand.settings)
        let z = hand.z(hand.w, hand.b)
        #expect(hand.a == 1 && !hand.L.isFinite || hand.L.isNaN, "the textbook form fails here")
        let stable = max(0, z) - z * label + log1p(exp(-abs(z)))
        #expect(close(try #require(result.values.number("L")), stable))
        #expect(close(try #require(result.values.number("dL/dz")), 1 - label))
        let text =
            steps(result).flatMap { [$0.lhs.plainText] + $0.rhs.map(\.plainText) }.joined(separator: "\n")
            + paragraphs(result).joined(separator: "\n")
        #expect(!text.contains(/\b(nan|NaN|inf|Infinity)\b|∞/), "a non-finite number printed")
        #expect(paragraphs(result).contains { $0.contains("σ(z) rounds to exactly 1") })
    }

    @Test func yMustBeZeroOrOne() {
        for bad in ["y=0.5", "y=2", "y=-1"] {
            #expect(throws: ParameterError.self) { try Lesson.logisticRegression.run(settings: [bad]) }
        }
    }

    /// (σ(z) − 1)² has second derivative −2σ′(1 − σ)(1 − 3σ) in z: concave exactly where σ(z) < 1/3,
    /// z < −ln 2 (for y = 0, mirrored: z > ln 2). Along w₁ with x₁ = 0.5 and the rest of z
    /// −0.5, that is w₁ < (−ln 2 + 0.5)/0.5 = −0.386; the page's grid (step 0.08) ends within a step of it.
    @Test func theSquaredErrorIsConcaveWhereSigmaIsBelowAThird() throws {
        let result = try Lesson.logisticRegression.run(settings: [])
        let values = result.values
        let boundary = (-log(2.0) + 0.5) / 0.5
        let last = try #require(values.number("convexity.squared_concave_to"))
        #expect(
            last < boundary && last > boundary - 0.08,
            "the last concave grid point \(last) is the one before \(boundary)")
        #expect(
            try #require(values.number("convexity.squared_concave_from")) < -15,
            "concave from the left end of the range drawn")
        #expect(try #require(values.number("convexity.log_least_second_difference")) > 0, "the log loss is convex")
        let text = paragraphs(result).joined(separator: " ")
        #expect(text.contains("The squared error bends downward") && text.contains("it is convex"))
        // For y = 0 the region is mirrored: z > ln 2, w₁ > (ln 2 + 0.5)/0.5 = 2.386.
        let mirrored = try Lesson.logisticRegression.run(settings: ["y=0"]).values
        let first = try #require(mirrored.number("convexity.squared_concave_from"))
        #expect(first > (log(2.0) + 0.5) / 0.5 && first < (log(2.0) + 0.5) / 0.5 + 0.08)
    }
}
