import Foundation
import LessonKit
import Lessons
import ReportModel
import TestSupport
import Testing

@testable import Script

/// The shipped script `model-selection` (000's bias/variance, train/Dev/test and nested k-fold
/// cross-validation) against least squares done another way: Householder QR on the design matrix
/// itself, never the normal equations the script solves, with the folds and choices written out.
@Suite("model-selection: the script against least squares by QR, with folds chosen by hand (000)")
struct ModelSelectionTests {
    /// The coefficients θ₀ … θ_d minimising Σ(θ·(1, x, …, x^d) − y)², by Householder QR of X.
    static func fit(_ x: [Double], _ y: [Double], degree d: Int) -> [Double] {
        let (m, n) = (x.count, d + 1)
        var a = x.map { xi in (0..<n).map { Foundation.pow(xi, Double($0)) } }
        var b = y
        for k in 0..<n {
            let norm = (k..<m).map { a[$0][k] * a[$0][k] }.reduce(0, +).squareRoot()
            let alpha = a[k][k] > 0 ? -norm : norm
            var v = (0..<m).map { $0 < k ? 0 : a[$0][k] }
            v[k] -= alpha
            let vv = v.map { $0 * $0 }.reduce(0, +)
            guard vv > 0 else { continue }
            for j in k..<n {
                let s = (k..<m).map { v[$0] * a[$0][j] }.reduce(0, +) * 2 / vv
                for i in k..<m { a[i][j] -= s * v[i] }
            }
            let s = (k..<m).map { v[$0] * b[$0] }.reduce(0, +) * 2 / vv
            for i in k..<m { b[i] -= s * v[i] }
        }
        var theta = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            theta[i] = (b[i] - ((i + 1)..<n).map { a[i][$0] * theta[$0] }.reduce(0, +)) / a[i][i]
        }
        return theta
    }

    static func error(_ theta: [Double], _ x: [Double], _ y: [Double]) -> Double {
        zip(x, y).map { xi, yi in
            let p = theta.enumerated().map { $0.element * Foundation.pow(xi, Double($0.offset)) }.reduce(0, +)
            return (p - yi) * (p - yi)
        }.reduce(0, +) / Double(x.count)
    }

    /// Fold j (from 1) of k: contiguous, the first n mod k one point longer, as NumPy's array_split.
    static func fold(_ j: Int, _ k: Int, _ n: Int) -> Range<Int> {
        let starts = (0...k).map { i in i * (n / k) + min(i, n % k) }
        return starts[j - 1]..<starts[j]
    }

    static func split<T>(_ v: [T], _ j: Int, _ k: Int) -> (fold: [T], others: [T]) {
        let r = fold(j, k, v.count)
        return (Array(v[r]), Array(v[..<r.lowerBound] + v[r.upperBound...]))
    }

    /// CV(d) for d in 0...top over k folds of (x, y).
    static func crossValidation(_ x: [Double], _ y: [Double], k: Int, top: Int) -> [Double] {
        (0...top).map { d in
            (1...k).map { j in
                let (xs, ys) = (split(x, j, k), split(y, j, k))
                return error(fit(xs.others, ys.others, degree: d), xs.fold, ys.fold)
            }.reduce(0, +) / Double(k)
        }
    }

    static func argmin(_ errors: [Double]) -> Int { errors.firstIndex(of: errors.min()!)! }

    static let settings: [[String]] = [
        [], ["D=4"], ["n_train=9", "n_dev=7"], ["k=3"], ["k=2", "D_cv=2"], ["k=5", "D_cv=6"],
        ["degree=3", "n_train=13"],
    ]

    static func shipped() throws -> Lesson {
        try #require(Catalog.lesson(named: "model-selection"), "model-selection is listed with the built-in lessons")
    }

    static func setting(_ settings: [String], _ name: String, _ default: Int) -> Int {
        pairs(settings).first { $0.name == name }.map { Int($0.value) } ?? `default`
    }

    @Test(arguments: settings)
    func everyErrorAndChoiceIsTheHandWrittenOnes(_ settings: [String]) throws {
        let values = try Self.shipped().run(settings: settings).values
        guard case .array(let x)? = values["x"], case .array(let y)? = values["y"] else {
            throw Failure("x and y in values.json")
        }
        let (nTrain, nDev, D) = (
            Self.setting(settings, "n_train", 12), Self.setting(settings, "n_dev", 4), Self.setting(settings, "D", 8)
        )
        let (k, top) = (Self.setting(settings, "k", 4), Self.setting(settings, "D_cv", 5))
        let parts = [0..<nTrain, nTrain..<(nTrain + nDev), (nTrain + nDev)..<x.count].map {
            (Array(x[$0]), Array(y[$0]))
        }
        var expected: [(String, Double)] = []
        var dev: [Double] = []
        var test: [Double] = []
        for d in 0...D {
            let theta = Self.fit(parts[0].0, parts[0].1, degree: d)
            let errors = parts.map { Self.error(theta, $0.0, $0.1) }
            (dev, test) = (dev + [errors[1]], test + [errors[2]])
            expected += [("E_train\(d)", errors[0]), ("E_dev\(d)", errors[1]), ("E_test\(d)", errors[2])]
        }
        let worked = Self.fit(parts[0].0, parts[0].1, degree: Self.setting(settings, "degree", 2))
        expected += [
            ("E_fit", Self.error(worked, parts[0].0, parts[0].1)), ("d_dev", Double(Self.argmin(dev))),
            ("d_test", Double(Self.argmin(test))),
        ]
        let (xcv, ycv) = (Array(x[..<(nTrain + nDev)]), Array(y[..<(nTrain + nDev)]))
        let cv = Self.crossValidation(xcv, ycv, k: k, top: top)
        expected += cv.enumerated().map { ("CV\($0.offset)", $0.element) } + [("d_cv", Double(Self.argmin(cv)))]
        // Nested: each outer fold's inner cross-validation chooses a degree, scored on the fold.
        var outer: [Double] = []
        for i in 1...k {
            let (xs, ys) = (Self.split(xcv, i, k), Self.split(ycv, i, k))
            let chosen = Self.argmin(Self.crossValidation(xs.others, ys.others, k: k, top: top))
            outer.append(Self.error(Self.fit(xs.others, ys.others, degree: chosen), xs.fold, ys.fold))
            expected += [("d_in\(i)", Double(chosen)), ("E_out\(i)", outer.last!)]
        }
        expected.append(("E_nested", outer.reduce(0, +) / Double(k)))
        // The normal equations square X's condition number (about 10⁸ for XᵀX at degree 8 here),
        // and QR does not: the two agree to what that leaves of a double's 16 digits. A training
        // error of 10⁻¹⁷ (an interpolation) is rounding on both sides, so the floor is absolute.
        for (label, value) in expected {
            let got = try #require(values.number(label), "\(label) in values.json")
            #expect(close(got, value, relative: 1e-7, within: 1e-10), "\(settings) \(label): \(got) against \(value)")
        }
        // The worked fit, to the full precision a well-conditioned small system keeps.
        guard case .rows(let theta)? = values["θ"] else { throw Failure("θ in values.json") }
        #expect(theta.count == worked.count)
        for (got, value) in zip(theta.map { $0[0] }, worked) {
            #expect(close(got, value, relative: 1e-11), "\(settings) θ: \(got) against \(value)")
        }
    }

    /// A fold is the block array_split gives, and the page's first section lists the parts.
    @Test func theFoldsAreArraySplitsBlocks() {
        #expect((1...3).map { ScriptRun.fold($0, of: 3, count: 16) } == [0..<6, 6..<11, 11..<16])
        #expect((1...4).map { ScriptRun.fold($0, of: 4, count: 16) } == [0..<4, 4..<8, 8..<12, 12..<16])
        #expect((1...3).map { Self.fold($0, 3, 16) } == [0..<6, 6..<11, 11..<16])
    }

    /// The defaults' story, in numbers: Dev picks degree 3, the test set would pick 5, and degree
    /// 8 has Dev error above 1 (the noise learnt), as numpy.linalg.solve on the same data gave when
    /// the data were chosen; the page prints the QR fit's errors to its 4 digits.
    @Test func theDefaultsTellTheStoryTheProseTells() throws {
        let result = try Self.shipped().run(settings: [])
        let values = result.values
        let text = paragraphs(result)
        #expect(values.number("d_dev") == 3 && values.number("d_test") == 5 && values.number("d_cv") == 3)
        #expect(try #require(values.number("E_dev8")) > 1)
        guard case .array(let x)? = values["x"], case .array(let y)? = values["y"] else {
            throw Failure("x and y in values.json")
        }
        let theta3 = Self.fit(Array(x[..<12]), Array(y[..<12]), degree: 3)
        let theta5 = Self.fit(Array(x[..<12]), Array(y[..<12]), degree: 5)
        let (dev3, test5) = (
            Self.error(theta3, Array(x[12..<16]), Array(y[12..<16])),
            Self.error(theta5, Array(x[16...]), Array(y[16...]))
        )
        #expect(
            text.contains("The Dev set chooses degree 3, with Dev error \(String(format: "%.4g", dev3))."), "\(dev3)")
        #expect(
            text.contains(
                "it would be 5, with test error \(String(format: "%.4g", test5)), lower than the honest figure"),
            "\(test5)")
    }

    struct Failure: Error {
        let message: String
        init(_ m: String) { message = m }
    }
}
