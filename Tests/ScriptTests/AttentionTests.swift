import Foundation
import LessonKit
import Lessons
import ReportModel
import TestSupport
import Testing

@testable import Script

/// The shipped script `attention` (004, "the next step") against scaled dot-product attention
/// written out here with plain arrays, and its gradients against central differences.
@Suite("attention: the script against attention written by hand (004)")
struct AttentionTests {
    typealias Matrix = [[Double]]

    // The script's fixed weights, typed again here: the reference must not read the script.
    static let wQ: Matrix = [[1, 0], [1, 0], [0, 1], [0, 1]]
    static let wK: Matrix = [[0, 1], [1, 0], [1, 0], [0, 1]]
    static let wV: Matrix = [[1, 0], [0, 1], [1, 0], [0, 1]]

    static func product(_ a: Matrix, _ b: Matrix) -> Matrix {
        a.map { row in (0..<b[0].count).map { j in zip(row, b).map { $0 * $1[j] }.reduce(0, +) } }
    }
    static func transposed(_ a: Matrix) -> Matrix { (0..<a[0].count).map { j in a.map { $0[j] } } }
    static func softmax(_ row: [Double]) -> [Double] {
        let top = row.max()!
        let e = row.map { Foundation.exp($0 - top) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }

    /// Token 1's loss as a function of its query alone, keys and values held: what ∂L/∂q₁ differentiates.
    static func loss(query: [Double], keys: Matrix, values: Matrix, y: [Double]) -> Double {
        loss(
            weights: softmax(product([query], transposed(keys))[0].map { $0 / 2.0.squareRoot() }), values: values, y: y)
    }
    static func loss(weights: [Double], values: Matrix, y: [Double]) -> Double {
        0.5 * zip(product([weights], values)[0], y).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
    }

    static let settings: [[String]] = [
        [],
        ["x1=3,-1,2,0.5", "y=0,0", "digits=6"],
        ["x2=10,10,10,10", "x3=-10,0,10,0"],  // scores in the hundreds: the weights saturate
        ["x2=1,0,1,0", "x3=1,0,1,0"],  // three equal tokens: equal keys, a gradient of zero
    ]

    static func tokens(_ settings: [String]) -> (x: Matrix, y: [Double]) {
        var x: Matrix = [[1, 0, 1, 0], [0, 2, 0, 1], [1, 0, 0, 2]]
        var y = [2.0, 0]  // the script's defaults
        for setting in settings {
            let parts = setting.split(separator: "=")
            let numbers = parts[1].split(separator: ",").compactMap { Double($0) }
            switch parts[0] {
            case "x1": x[0] = numbers
            case "x2": x[1] = numbers
            case "x3": x[2] = numbers
            case "y": y = numbers
            default: break
            }
        }
        return (x, y)
    }

    /// A label's numbers from values.json, a matrix read row after row.
    static func numbers(_ values: ExportedValues, _ label: String) -> [Double]? {
        switch values[label] {
        case .number(let x)?: [x]
        case .array(let xs)?: xs
        case .rows(let rows)?: rows.flatMap { $0 }
        default: nil
        }
    }

    static func shipped() throws -> Lesson {
        try #require(Catalog.lesson(named: "attention"), "attention is listed with the built-in lessons")
    }

    @Test(arguments: settings)
    func everyValueIsTheHandWrittenOnes(_ settings: [String]) throws {
        let values = try Self.shipped().run(settings: settings).values
        let (x, y) = Self.tokens(settings)
        let q = Self.product(x, Self.wQ)
        let k = Self.product(x, Self.wK)
        let v = Self.product(x, Self.wV)
        let s = Self.product(q, Self.transposed(k)).map { $0.map { $0 / 2.0.squareRoot() } }
        let a = s.map(Self.softmax)
        let o = Self.product(a, v)
        let expected: [(String, [Double])] = [
            ("X", x.flatMap { $0 }), ("Q", q.flatMap { $0 }), ("K", k.flatMap { $0 }), ("V", v.flatMap { $0 }),
            ("S", s.flatMap { $0 }), ("A", a.flatMap { $0 }), ("total", [3]), ("O", o.flatMap { $0 }),
            ("q1", q[0]), ("s1", s[0]), ("a1", a[0]), ("o1", o[0]),
            ("L", [0.5 * zip(o[0], y).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)]),
        ]
        for (label, numbers) in expected {
            let got = try #require(Self.numbers(values, label), "\(label) in values.json")
            #expect(
                got.count == numbers.count && zip(got, numbers).allSatisfy { close($0, $1, relative: 1e-12) },
                "\(settings) \(label): \(got) against \(numbers)")
        }
    }

    /// ∂L/∂q₁ and ∂L/∂a₁ against central differences of the hand-written loss.
    @Test(arguments: settings)
    func theGradientsAreTheCentralDifferences(_ settings: [String]) throws {
        let values = try Self.shipped().run(settings: settings).values
        let (x, y) = Self.tokens(settings)
        let q1 = Self.product([x[0]], Self.wQ)[0]
        let k = Self.product(x, Self.wK)
        let v = Self.product(x, Self.wV)
        let a1 = Self.softmax(Self.product([q1], Self.transposed(k))[0].map { $0 / 2.0.squareRoot() })
        let h = 1e-6
        func central(_ point: [Double], _ f: ([Double]) -> Double) -> [Double] {
            point.indices.map { i in
                var (up, down) = (point, point)
                up[i] += h
                down[i] -= h
                return (f(up) - f(down)) / (2 * h)
            }
        }
        let dq = central(q1) { Self.loss(query: $0, keys: k, values: v, y: y) }
        let da = central(a1) { Self.loss(weights: $0, values: v, y: y) }
        for (label, differences) in [("dL/dq1", dq), ("dL/da1", da)] {
            let got = try #require(Self.numbers(values, label), "\(label) in values.json")
            let scale = max(1, differences.map(abs).max()!)
            #expect(
                got.count == differences.count
                    && zip(got, differences).allSatisfy { close($0, $1, within: 1e-6 * scale) },
                "\(settings) \(label): \(got) against \(differences)")
        }
    }

    /// The closing sentence follows the gradient: three equal tokens have equal keys, and then
    /// the query cannot change the weights.
    @Test(arguments: settings)
    func theSentenceAboutTheStepIsTrue(_ settings: [String]) throws {
        let result = try Self.shipped().run(settings: settings)
        let gradient = try #require(Self.numbers(result.values, "dL/dq1"))
        let tiny = gradient.map { $0 * $0 }.reduce(0, +) < 1e-24
        let text = paragraphs(result)
        #expect(
            text.contains(tiny ? "all but leaves the loss as it is" : "A small enough step against"),
            "\(settings): gradient \(gradient)")
        #expect(tiny == (settings.last == "x3=1,0,1,0"), "only equal tokens give a vanishing gradient: \(gradient)")
        #expect(text.contains("add up to 3"))
    }
}
