import Foundation
import LessonKit
import Lessons
import ReportModel
import TestSupport
import Testing

@testable import Script

/// The shipped script `multiclass` (000's one-vs-all, one-vs-one and softmax) against the three
/// models trained here by hand from zero weights: their values at P, the vote, the sums, and
/// their decision regions cell by cell.
@Suite("multiclass: the script against one-vs-all, one-vs-one and softmax written by hand (000)")
struct MulticlassTests {
    /// A linear score (weight on x, weight on y, bias) per unit.
    typealias Unit = [Double]

    struct Model {
        var x = [-2.0, -1.5, 2, 1.5, 0, 0.5], y = [-1.0, -2, -1, -2, 2, 1.5]
        var px = 0.2, py = -0.4, alpha = 0.5, steps = 200
        let label = [1, 1, 2, 2, 3, 3]

        init(_ settings: [String]) {
            for (name, value) in pairs(settings) {
                if let (axis, k) = coordinate(name) { if axis == "x" { x[k] = value } else { y[k] = value } }
                switch name {
                case "px": px = value
                case "py": py = value
                case "alpha": alpha = value
                case "steps": steps = Int(value)
                default: break
                }
            }
        }

        static func score(_ u: Unit, _ x: Double, _ y: Double) -> Double { u[0] * x + u[1] * y + u[2] }
        static func σ(_ z: Double) -> Double { 1 / (1 + Foundation.exp(-z)) }

        /// Logistic units, each on the points `on[u]` with target 1 for `positive[u]`, the
        /// cross-entropy summed and divided by `scale`, trained together by gradient descent.
        func logistic(on: [[Int]], positive: [Int], scale: Double) -> [Unit] {
            var units = [Unit](repeating: [0, 0, 0], count: on.count)
            for _ in 0..<steps {
                let gradients = units.indices.map { u -> Unit in
                    on[u].reduce(into: [0.0, 0, 0]) { g, k in
                        let d = Self.σ(Self.score(units[u], x[k], y[k])) - (label[k] == positive[u] ? 1 : 0)
                        g[0] += d * x[k] / scale
                        g[1] += d * y[k] / scale
                        g[2] += d / scale
                    }
                }
                for u in units.indices { units[u] = zip(units[u], gradients[u]).map { $0 - alpha * $1 } }
            }
            return units
        }

        var oneVsAll: [Unit] {
            logistic(on: [Array(0..<6), Array(0..<6), Array(0..<6)], positive: [1, 2, 3], scale: 18)
        }
        var oneVsOne: [Unit] {
            logistic(on: [[0, 1, 2, 3], [0, 1, 4, 5], [2, 3, 4, 5]], positive: [1, 1, 2], scale: 12)
        }

        /// Softmax over three scores, −mean log p of each point's class, trained by gradient descent.
        var softmax: [Unit] {
            var units = [Unit](repeating: [0, 0, 0], count: 3)
            for _ in 0..<steps {
                var gradients = [Unit](repeating: [0, 0, 0], count: 3)
                for k in 0..<6 {
                    let p = Self.probabilities(units, x[k], y[k])
                    for c in 0..<3 {
                        let d = (p[c] - (label[k] == c + 1 ? 1 : 0)) / 6
                        gradients[c][0] += d * x[k]
                        gradients[c][1] += d * y[k]
                        gradients[c][2] += d
                    }
                }
                for c in 0..<3 { units[c] = zip(units[c], gradients[c]).map { $0 - alpha * $1 } }
            }
            return units
        }

        static func probabilities(_ units: [Unit], _ x: Double, _ y: Double) -> [Double] {
            let e = units.map { Foundation.exp(score($0, x, y)) }
            let total = e.reduce(0, +)
            return e.map { $0 / total }
        }

        /// One-vs-one's vote: the class with two votes of three, or 0 when they go round in a circle.
        static func vote(_ r: [Double]) -> Int {
            let votes = [
                (r[0] > 0.5 ? 1 : 0) + (r[1] > 0.5 ? 1 : 0), (r[0] < 0.5 ? 1 : 0) + (r[2] > 0.5 ? 1 : 0),
                (r[1] < 0.5 ? 1 : 0) + (r[2] < 0.5 ? 1 : 0),
            ]
            return (votes.firstIndex(of: 2) ?? -1) + 1
        }

        /// The first class with the largest value, as the script's `a >= b and a >= c ? 1 : …` picks it.
        static func largest(_ v: [Double]) -> Int { v[0] >= v[1] && v[0] >= v[2] ? 1 : (v[1] >= v[2] ? 2 : 3) }
    }

    static let settings: [[String]] = [[], ["px=-0.05", "py=-3"], ["px=3", "py=3"], ["steps=3", "alpha=1"]]

    static func shipped() throws -> Lesson {
        try #require(Catalog.lesson(named: "multiclass"), "multiclass is listed with the built-in lessons")
    }

    @Test(arguments: settings)
    func everyValueAtPIsTheHandWrittenOnes(_ settings: [String]) throws {
        let values = try Self.shipped().run(settings: settings).values
        let model = Model(settings)
        let (ova, ovo, soft) = (model.oneVsAll, model.oneVsOne, model.softmax)
        let q = ova.map { Model.σ(Model.score($0, model.px, model.py)) }
        let r = ovo.map { Model.σ(Model.score($0, model.px, model.py)) }
        let p = Model.probabilities(soft, model.px, model.py)
        var expected: [(String, Double)] = [
            ("L_ova", log(2.0)), ("L_ovo", log(2.0)), ("L_soft", log(3.0)), ("sum_ova", q.reduce(0, +)),
        ]
        for c in 0..<3 {
            expected += [
                ("q\(c + 1)", q[c]), ("p\(c + 1)", p[c]), ("z\(c + 1)", Model.score(soft[c], model.px, model.py)),
            ]
            expected += [("a\(c + 1)_after_training", ova[c][0]), ("w\(c + 1)_after_training", soft[c][2])]
        }
        for (k, pair) in ["12", "13", "23"].enumerated() {
            expected += [("r\(pair)", r[k]), ("f\(pair)_after_training", ovo[k][0])]
        }
        try expectAgreement(values, expected, relative: { _ in 1e-9 }, "\(settings)")
        #expect(values.number("class_ova") == Double(Model.largest(q)))
        #expect(values.number("class_ovo") == Double(Model.vote(r)))
        #expect(values.number("class_soft") == Double(Model.largest(p)))
        #expect(
            close(try #require(values.number("sum_soft")), 1, relative: 1e-15), "softmax's three probabilities sum to 1"
        )
    }

    /// Each decision-region heatmap against the hand-trained model at every one of its cells.
    @Test func theDecisionRegionsAreTheModelsCellByCell() throws {
        let report = try Self.shipped().run(settings: []).report
        let fields = report.cells.compactMap { block -> Plot.Field? in
            guard case .figure(let figure) = block, case .plot(let plot) = figure.content,
                case .heatmap(let field)? = plot.layers.first
            else { return nil }
            return field
        }
        try #require(fields.count == 4, "three region maps and one-vs-all's sum")
        let model = Model([])
        let (ova, ovo, soft) = (model.oneVsAll, model.oneVsOne, model.softmax)
        #expect(fields[0].xs.count == 41 && fields[0].xs.first == -4 && fields[0].ys.last == 4)
        var undecided = 0
        for (j, y) in fields[0].ys.enumerated() {
            for (i, x) in fields[0].xs.enumerated() {
                let index = j * fields[0].xs.count + i
                let q = ova.map { Model.σ(Model.score($0, x, y)) }
                let vote = Model.vote(ovo.map { Model.σ(Model.score($0, x, y)) })
                #expect(fields[0].values[index] == Double(Model.largest(q)), "one-vs-all at (\(x), \(y))")
                #expect(fields[1].values[index] == Double(vote), "one-vs-one at (\(x), \(y))")
                #expect(
                    fields[2].values[index] == Double(Model.largest(Model.probabilities(soft, x, y))),
                    "softmax at (\(x), \(y))")
                #expect(
                    close(fields[3].values[index], q.reduce(0, +), relative: 1e-9), "one-vs-all's sum at (\(x), \(y))")
                if vote == 0 { undecided += 1 }
            }
        }
        // The vote goes round in a circle somewhere between the classes: one-vs-one's undecided cells.
        #expect(undecided > 0)
    }

    @Test(arguments: settings)
    func theSentencesAreTrueToTheNumbers(_ settings: [String]) throws {
        let result = try Self.shipped().run(settings: settings)
        let text = paragraphs(result)
        let model = Model(settings)
        let q = model.oneVsAll.map { Model.σ(Model.score($0, model.px, model.py)) }
        let sum = q.reduce(0, +)
        #expect(
            text.contains(
                close(sum, 1, within: 0.01) ? "close to 1 here, but by chance" : sum < 1 ? "less than 1" : "more than 1"
            ), "\(settings): Σq \(sum)")
        let claims = q.filter { $0 > 0.5 }.count
        #expect(
            text.contains(
                ["No unit claims P", "Exactly one unit claims P", "More than one unit claims P"][min(claims, 2)]),
            "\(settings)")
        if settings == ["px=-0.05", "py=-3"] {
            #expect(
                text.contains("At P the models disagree: one-vs-all says class 2, one-vs-one class 1, softmax class 2.")
            )
        }
    }
}
