import Engine
import Foundation
import LessonKit
import ReportModel
import TestSupport
import Testing

@testable import Lessons

@Suite("particle-swarm: the velocity update and the swarm against a hand-written one (000)")
struct ParticleSwarmTests {
    static let wells: [(x: Double, y: Double, a: Double, s: Double)] = [
        (2, 1, 2, 1), (-1.5, -1.5, 3, 0.6), (-1, 2.5, 1.5, 0.8),
    ]
    /// f = 0.05(x² + y²) − Σ a_k e^{−((x − x_k)² + (y − y_k)²)/s_k}, by hand.
    static func f(_ x: Double, _ y: Double) -> Double {
        wells.reduce(0.05 * (x * x + y * y)) {
            $0 - $1.a * exp(-((x - $1.x) * (x - $1.x) + (y - $1.y) * (y - $1.y)) / $1.s)
        }
    }

    /// The swarm with no tape: the same draws in the same order as the lesson documents.
    static func swarm(count: Int, iterations: Int, w: Double, c1: Double, c2: Double, seed: Int) -> (
        best: [[Double]], bestF: [Double]
    ) {
        var random = SeededGenerator(seed: UInt64(seed) &+ 0x5A4D)
        var x = (0..<count).map { _ in [random.uniform(in: -4...4), random.uniform(in: -4...4)] }
        var v = (0..<count).map { _ in [random.uniform(in: -1...1), random.uniform(in: -1...1)] }
        var p = x
        var pf = x.map { f($0[0], $0[1]) }
        var g = p[pf.indices.min { pf[$0] < pf[$1] }!]
        var best = [g]
        var bestF = [pf.min()!]
        for _ in 0..<iterations {
            for k in 0..<count {
                let r = (0..<4).map { _ in random.unit() }
                for d in 0..<2 {
                    v[k][d] = w * v[k][d] + c1 * r[2 * d] * (p[k][d] - x[k][d]) + c2 * r[2 * d + 1] * (g[d] - x[k][d])
                    v[k][d] = min(max(v[k][d], -8), 8)  // V_max: the box's width
                    x[k][d] += v[k][d]
                }
                let value = f(x[k][0], x[k][1])
                if value < pf[k] { (p[k], pf[k]) = (x[k], value) }
            }
            g = p[pf.indices.min { pf[$0] < pf[$1] }!]
            best.append(g)
            bestF.append(pf.min()!)
        }
        return (best, bestF)
    }

    @Test(arguments: [
        [], ["particles=7", "iterations=15", "w=0.4", "c1=2", "c2=1", "seed=42"],
        ["w=1", "c1=4", "c2=4", "iterations=300"],
    ])
    func theSwarmAgainstAHandWrittenOne(settings: [String]) throws {
        let p = try Lesson.particleSwarm.parameters(settings: settings)
        let values = Lesson.particleSwarm.run(p).values
        let expected = Self.swarm(
            count: p.integer("particles"), iterations: p.integer("iterations"), w: p["w"], c1: p["c1"], c2: p["c2"],
            seed: p.integer("seed"))
        guard case .rows(let best)? = values["gbest"], case .array(let bestF)? = values["gbest.f"] else {
            Issue.record("no best")
            return
        }
        #expect(best.count == expected.best.count)
        for (a, b) in zip(best, expected.best) {
            #expect(close(a[0], b[0], within: 1e-12) && close(a[1], b[1], within: 1e-12))
        }
        for (a, b) in zip(bestF, expected.bestF) { #expect(close(a, b, within: 1e-12)) }
        #expect(zip(bestF, bestF.dropFirst()).allSatisfy { $1 <= $0 }, "the swarm's best never gets worse")
    }

    @Test func theWorkedUpdateIsTheRule() throws {
        let values = try Lesson.particleSwarm.run(settings: []).values
        for axis in ["x", "y"] {
            func v(_ key: String) -> Double { values.number(key)! }
            let velocity =
                v("w") * v("v_\(axis)") + v("c1") * v("r1_\(axis)") * (v("p_\(axis)") - v("\(axis)_now"))
                // v ← w v + c1 r1 (p − x) + c2 r2 (g − x)
                + v("c2") * v("r2_\(axis)") * (v("g_\(axis)") - v("\(axis)_now"))
            #expect(close(v("v_\(axis)_new"), velocity, within: 1e-14))
            #expect(close(v("\(axis)_new"), (v("\(axis)_now") + velocity), within: 1e-14))
            #expect(
                v("p_\(axis)") != v("\(axis)_now"),
                "the worked particle's own best is not where it stands: every term shows")
        }
    }

    @Test func theDeepestPointAgainstAFineGrid() throws {
        let values = try Lesson.particleSwarm.run(settings: ["iterations=1"]).values
        guard case .array(let minimum)? = values["minimum"] else {
            Issue.record("no minimum")
            return
        }
        var best = (x: 0.0, y: 0.0, f: Double.infinity)
        for i in 0...800 {
            for j in 0...800 {
                let (x, y) = (-4 + 8 * Double(i) / 800, -4 + 8 * Double(j) / 800)
                if Self.f(x, y) < best.f { best = (x, y, Self.f(x, y)) }
            }
        }
        #expect(close(minimum[0], best.x, within: 0.011) && close(minimum[1], best.y, within: 0.011))
        #expect(minimum[2] <= best.f && best.f - minimum[2] < 1e-3, "descent refines the grid's best")
        #expect(close(minimum[2], Self.f(minimum[0], minimum[1]), within: 1e-14))
    }
}
