import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// 000_0f8c2b341468a259.txt's particle swarm optimisation ("a set (swarm) of particles",
    /// moved by "their cognitive desire to search individually" and "the collective action of the
    /// group"), with the inertia-weight update of Shi and Eberhart (1998), on a surface of wells.
    public static let particleSwarm = Lesson(
        name: "particle-swarm",
        title:
            """
            Particle swarm optimisation: one particle's velocity update \
            worked, the swarm over the iterations, against gradient descent
            """,
        parameters: [
            .integer("particles", 20, in: 2...200, "size of the swarm"),
            .integer("iterations", 40, in: 1...1000, "swarm updates"),
            .real("w", 0.7, in: 0...1, "inertia weight: how much of its velocity a particle keeps"),
            .real("c1", 1.5, in: 0...4, "cognitive weight: the pull towards the particle's own best position"),
            .real("c2", 1.5, in: 0...4, "social weight: the pull towards the swarm's best position"),
            .integer(
                "seed", 1, in: 0...1_000_000_000,
                "seed of the starting positions, velocities and the random factors r1, r2"),
            .digits(6),
        ],
        build: ParticleSwarm.build
    ).regimes([
        Regime("c2=0", "no social weight: the particles share nothing, and the swarm is separate searches"),
        Regime(["particles=2", "iterations=3"], "a tiny swarm and few iterations: it need not find the deepest well"),
        Regime("w=0", "no inertia: each velocity is only the two pulls"),
    ])
}

enum ParticleSwarm {
    /// Three Gaussian wells in a shallow bowl: f = 0.05(x² + y²) − Σ_k a_k e^{−((x − x_k)² + (y − y_k)²)/s_k}.
    static let wells: [(x: Double, y: Double, depth: Double, width: Double)] = [
        (2, 1, 2, 1), (-1.5, -1.5, 3, 0.6), (-1, 2.5, 1.5, 0.8),
    ]
    static let box = -4.0...4.0
    /// Kennedy and Eberhart's V_max: no velocity component beyond the box's width, so a swarm whose
    /// weights make it unstable spreads out instead of overflowing.
    static let maxSpeed = box.upperBound - box.lowerBound
    static func clamped(_ v: Double) -> Double { min(max(v, -maxSpeed), maxSpeed) }

    static func f(_ x: Value, _ y: Value) -> Value {
        let bowl = 0.05 * (x.pow(2) + y.pow(2))
        return wells.reduce(bowl) { sum, well in
            sum - well.depth * (-((x - well.x).pow(2) + (y - well.y).pow(2)) / well.width).exp()
        }
    }

    static func f(_ x: Double, _ y: Double) -> Double {
        let tape = Tape()
        return f(tape.input(x), tape.input(y)).value
    }

    /// The swarm, iteration by iteration. Draws, in this order: every particle's start (x then y,
    /// uniform on the box), every velocity (x then y, uniform on [−1, 1]); then in each iteration,
    /// particle by particle, r1 then r2 for x, r1 then r2 for y (uniform on [0, 1)). Each velocity
    /// component is clamped to ±`maxSpeed` before the particle moves.
    struct Swarm {
        struct Particle { var x: [Double], v: [Double], best: [Double], bestF: Double }
        private(set) var history: [[Particle]] = []
        private(set) var best: [[Double]] = []
        private(set) var bestF: [Double] = []
        /// The random factors of every update: draws[t][k] = (r1x, r2x, r1y, r2y) for iteration t + 1.
        private(set) var draws: [[[Double]]] = []

        init(particles count: Int, iterations: Int, w: Double, c1: Double, c2: Double, seed: Int) {
            var random = SeededGenerator(seed: UInt64(seed) &+ 0x5A4D)
            let starts = (0..<count).map { _ in
                [random.uniform(in: ParticleSwarm.box), random.uniform(in: ParticleSwarm.box)]
            }
            let speeds = (0..<count).map { _ in [random.uniform(in: -1...1), random.uniform(in: -1...1)] }
            var swarm = zip(starts, speeds).map { x, v in
                Particle(x: x, v: v, best: x, bestF: ParticleSwarm.f(x[0], x[1]))
            }
            var leader = swarm.min { $0.bestF < $1.bestF }!
            history.append(swarm)
            best.append(leader.best)
            bestF.append(leader.bestF)
            let tape = Tape()
            for _ in 0..<iterations {
                var round: [[Double]] = []
                for k in swarm.indices {
                    let r = (0..<4).map { _ in random.unit() }
                    round.append(r)
                    for d in 0..<2 {
                        tape.clear()
                        // v ← w v + c1 r1 (p − x) + c2 r2 (g − x); x ← x + v
                        let (x, v) = (tape.input(swarm[k].x[d]), tape.input(swarm[k].v[d]))
                        let velocity =
                            w * v + c1 * tape.input(r[2 * d]) * (tape.input(swarm[k].best[d]) - x)
                            + c2 * tape.input(r[2 * d + 1]) * (tape.input(leader.best[d]) - x)
                        swarm[k].v[d] = ParticleSwarm.clamped(velocity.value)
                        swarm[k].x[d] = (x + tape.input(swarm[k].v[d])).value
                    }
                    let value = ParticleSwarm.f(swarm[k].x[0], swarm[k].x[1])
                    if value < swarm[k].bestF { (swarm[k].best, swarm[k].bestF) = (swarm[k].x, value) }
                }
                // The swarm's best is shared after every particle has moved (a synchronous update).
                leader = swarm.min { $0.bestF < $1.bestF }!
                draws.append(round)
                history.append(swarm)
                best.append(leader.best)
                bestF.append(leader.bestF)
            }
        }
    }

    /// Gradient descent on f from `start`, until the step is below 10⁻¹⁰ (or 5000 steps): where it settles.
    static func descend(from start: [Double], lr: Double = 0.1) -> [Double] {
        let tape = Tape()
        var w = start
        for _ in 0..<5000 {
            tape.clear()
            let (x, y) = (tape.input(w[0]), tape.input(w[1]))
            tape.backward(from: f(x, y))
            let step = [lr * x.gradient, lr * y.gradient]
            w = [w[0] - step[0], w[1] - step[1]]
            if hypot(step[0], step[1]) < 1e-10 { break }
        }
        return w
    }

    /// Gradient descent's landings beside what the swarm did: shared nothing (c₂ = 0), found the
    /// deepest well, or did not.
    static func comparison(count: Int, reachedGoal: Int, social: Double, found: Bool, followed: Bool) -> RichText {
        let descent: String =
            reachedGoal == count
            ? "all \(count) reach the deepest one."
            : reachedGoal == 0
                ? "none reaches the deepest one; all stop in the shallower wells."
                : "\(reachedGoal) of the \(count) reach\(reachedGoal == 1 ? "es" : "") the deepest one, "
                    + (count - reachedGoal == 1
                        ? "the other stops in a shallower well." : "the others stop in the shallower wells.")
        let price = "the price is \(count) evaluations of f per iteration, and no guarantee."
        let swarm: String
        if social == 0 {
            swarm =
                """
                With c_2 = 0 the particles share nothing: each is pulled only \
                towards its own best, so the swarm is \(count) separate searches.
                """
        } else if found {
            swarm =
                """
                The swarm’s particles pass their discoveries on, so one \
                particle in the right well is enough to draw the rest there
                """
                + (followed ? "" : " (here the rest have not followed yet)") + "; " + price
        } else {
            swarm =
                """
                Here the swarm has not found the deepest well: sharing draws the particles \
                to the best well any of them has seen, and none has seen the deepest. The 
                """
                + price.dropFirst(4)
        }
        return RichText(
            "Gradient descent from the same \(count) starting points ends in whichever well each start lies above: "
                + descent + " " + swarm)
    }

    static func build(_ p: Parameters) -> LessonResult {
        let format = NumberFormat(significantDigits: p.integer("digits"))
        let count = p.integer("particles")
        let iterations = p.integer("iterations")
        let (w, c1, c2) = (p["w"], p["c1"], p["c2"])
        let swarm = Swarm(particles: count, iterations: iterations, w: w, c1: c1, c2: c2, seed: p.integer("seed"))
        // The wells' bottoms, found by gradient descent from each well's centre; the deepest is the goal.
        let bottoms = wells.map { descend(from: [$0.x, $0.y]) }
        let deepest = bottoms.indices.min { f(bottoms[$0][0], bottoms[$0][1]) < f(bottoms[$1][0], bottoms[$1][1]) }!
        let goal = bottoms[deepest]
        let goalF = f(goal[0], goal[1])
        // Gradient descent from the swarm's own starts: which well each falls into.
        let landings = swarm.history[0].map { particle -> Int in
            let end = descend(from: particle.x)
            return bottoms.indices.min {
                hypot(bottoms[$0][0] - end[0], bottoms[$0][1] - end[1])
                    < hypot(bottoms[$1][0] - end[0], bottoms[$1][1] - end[1])
            }!
        }
        let reachedGoal = landings.filter { $0 == deepest }.count

        // One particle's update, worked: the first in iteration 2 whose own best is neither where
        // it stands nor the swarm's, so that every term shows (iteration 1 if there is only one).
        let t = min(2, iterations)
        let before = swarm.history[t - 1]
        let leader = swarm.best[t - 1]
        let k = before.indices.first { before[$0].best != before[$0].x && before[$0].best != leader } ?? 0
        let tape = Tape()
        let (wv, c1v, c2v) = (tape.input(w, "w"), tape.input(c1, "c1"), tape.input(c2, "c2"))
        var worked: [Value] = []
        for (d, axis) in ["x", "y"].enumerated() {
            let x = tape.input(before[k].x[d], "\(axis)_now")
            let v = tape.input(before[k].v[d], "v_\(axis)")
            let pBest = tape.input(before[k].best[d], "p_\(axis)")
            let gBest = tape.input(leader[d], "g_\(axis)")
            let r1 = tape.input(swarm.draws[t - 1][k][2 * d], "r1_\(axis)")
            let r2 = tape.input(swarm.draws[t - 1][k][2 * d + 1], "r2_\(axis)")
            let inertia = (wv * v).labeled("inertia_\(axis)")
            let cognitive = (c1v * r1 * (pBest - x)).labeled("cognitive_\(axis)")
            let social = (c2v * r2 * (gBest - x)).labeled("social_\(axis)")
            let velocity = (inertia + cognitive + social).labeled("v_\(axis)_new")
            // Past V_max the particle moves by ±V_max: the clamp enters as a number of its own.
            let move = abs(velocity.value) > maxSpeed ? tape.input(clamped(velocity.value), "v_\(axis)_max") : velocity
            worked += [inertia, cognitive, social, velocity, (x + move).labeled("\(axis)_new")]
        }
        let clamps = ["x", "y"].filter { tape.node(labeled: "v_\($0)_max") != nil }
        var symbols: [String: RichText] = ["c1": "c_1", "c2": "c_2"]
        for axis in ["x", "y"] {
            symbols["\(axis)_now"] = RichText(axis)
            symbols["v_\(axis)"] = "v_{\(axis)}"
            symbols["p_\(axis)"] = "p_{\(axis)}"
            symbols["g_\(axis)"] = "g_{\(axis)}"
            symbols["r1_\(axis)"] = "r_1"
            symbols["r2_\(axis)"] = "r_2"
            symbols["inertia_\(axis)"] = "inertia_{\(axis)}"
            symbols["cognitive_\(axis)"] = "cognitive_{\(axis)}"
            symbols["social_\(axis)"] = "social_{\(axis)}"
            symbols["v_\(axis)_new"] = "v_{\(axis)}^{+}"
            symbols["\(axis)_new"] = "*\(axis)*^{+}"
            symbols["v_\(axis)_max"] = "±V_{max}"
        }
        let n = Notation(tape: tape, format: format, symbols: symbols)
        let after = swarm.history[t][k].x

        var values = ExportedValues(tape)
        values["particle"] = .number(Double(k + 1))
        values["gbest"] = .rows(swarm.best)
        values["gbest.f"] = .array(swarm.bestF)
        values["minimum"] = .array(goal + [goalF])
        values["gd.reached_minimum"] = .number(Double(reachedGoal))

        let field = Plot.Field(x: box, y: box, samples: 81, levels: [-2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1]) { a, b in
            f(a, b)
        }
        let moments = [0, 1, 2, 5, 10, iterations].filter { $0 <= iterations }.reduce(into: [Int]()) {
            if !$0.contains($1) { $0.append($1) }
        }
        func panel(_ moment: Int) -> Plot {
            Plot(
                title: .plain("iteration \(moment)"), x: .init("x", range: box), y: .init("y", range: box),
                equalAspect: true, legend: false,
                layers: [
                    .contour(field),
                    .scatter(.init("particles", points: swarm.history[moment].map { ($0.x[0], $0.x[1]) }, color: 1)),
                    .marker(x: goal[0], y: goal[1], label: ""),
                ])
        }
        let finalBest = swarm.best.last!
        let finalF = swarm.bestF.last!
        let near = 0.1
        let within = swarm.history.last!.filter { hypot($0.x[0] - goal[0], $0.x[1] - goal[1]) < near }.count
        let found = hypot(finalBest[0] - goal[0], finalBest[1] - goal[1])

        let name = Lesson.particleSwarm.name
        let report = Report(
            title: "Particle swarm optimisation",
            subtitle:
                """
                A swarm of candidate solutions that share what they find: one particle’s update worked, then \
                the whole swarm on a surface with three wells. Every number below was computed by the engine.
                """,
            lesson: name,
            source:
                """
                Notes \(CourseNotes.cite("000")) (“Optimization algorithms - Particle Swarm Optimization”, \
                after Kennedy and Eberhart 1995); the inertia weight w after Shi and Eberhart (1998)
                """
        ) {
            Section("The swarm and the surface") {
                """
                Particle swarm optimisation is “an idea taken from another field”: it emulates “the social behaviour \
                of birds and fishes” (000). “It is not just a single particle searching for the minimum of the cost \
                J, but a set (swarm) of particles”, whose movements are affected by “their cognitive desire to search \
                individually” and “the collective action of the group”. No gradient is needed: only values of f.
                """
                """
                Each particle has a position x and a velocity v, and remembers p, the \
                best position it has seen; the swarm shares g, the best position any \
                particle has seen. Every iteration each coordinate of each particle moves by
                """
                Step(lhs: "v", rhs: ["w v + c_1 r_1 (p − x) + c_2 r_2 (g − x),  then x ← x + v"], hasResult: false)
                """
                with w the inertia, c_1 the cognitive and c_2 the social weight, and r_1, r_2 fresh \
                random numbers from [0, 1) that keep the search exploring. As in Kennedy and Eberhart’s \
                paper, no velocity component may pass V_max, here \(n.number(maxSpeed)), the width of \
                the search square. The surface is a shallow bowl with \(wells.count) Gaussian wells:
                """
                Step(
                    lhs: "f(x, y)", rhs: ["0.05(x^{2} + y^{2}) − Σ_{k} a_k exp(−((x − x_k)^{2} + (y − y_k)^{2})/s_k)"],
                    hasResult: false)
                Table(
                    """
                    The wells: centre, depth and width, and the bottom \
                    of each, found by gradient descent from its centre.
                    """,
                    columns: [
                        .init("k", alignment: .trailing), .init("(x_k, y_k)"), .init("a_k", alignment: .trailing),
                        .init("s_k", alignment: .trailing),
                        .init("bottom"), .init("f there", alignment: .trailing),
                    ],
                    rows: wells.indices.map { i in
                        [
                            .plain("\(i + 1)"), "(" + n.number(wells[i].x) + ", " + n.number(wells[i].y) + ")",
                            n.number(wells[i].depth), n.number(wells[i].width),
                            "(" + n.number(bottoms[i][0]) + ", " + n.number(bottoms[i][1]) + ")",
                            n.number(f(bottoms[i][0], bottoms[i][1])),
                        ]
                    })
                """
                The deepest point is at (\(n.number(goal[0])), \(n.number(goal[1]))), where f = \(n.number(goalF)). \
                \(count) particles start uniformly on the square [\(n.number(box.lowerBound)), \
                \(n.number(box.upperBound))]^{2} with velocities from [−1, 1]^{2} (seed \(p.integer("seed"))).
                """
                n.settingsTable(p, "Every setting of this run.")
            }
            Section("One particle, one step") {
                """
                Particle \(k + 1) in iteration \(t): it stands at (\(n.number(before[k].x[0])), \
                \(n.number(before[k].x[1]))) with velocity (\(n.number(before[k].v[0])), \
                \(n.number(before[k].v[1]))); its own best is p = (\(n.number(before[k].best[0])), \
                \(n.number(before[k].best[1]))) and the swarm’s g = (\(n.number(leader[0])), \(n.number(leader[1]))). \
                The x coordinate, with r_1 = \(n.number(swarm.draws[t - 1][k][0])) and r_2 = \
                \(n.number(swarm.draws[t - 1][k][1])):
                """
                for v in worked.prefix(5) { n.step(v) }
                """
                The y coordinate, with r_1 = \(n.number(swarm.draws[t - 1][k][2])) \
                and r_2 = \(n.number(swarm.draws[t - 1][k][3])):
                """
                for v in worked.suffix(5) { n.step(v) }
                if !clamps.isEmpty {
                    """
                    The new velocity’s \(clamps.joined(separator: " and ")) component passes V_max = \
                    \(n.number(maxSpeed)), so the particle moves by V_max in that direction instead.
                    """
                }
                """
                The particle moves to (\(n.number(after[0])), \(n.number(after[1]))), where f = \
                \(n.number(f(after[0], after[1]))). The inertia keeps it going where it was going, the \
                cognitive term pulls it back towards what it found itself, the social term towards what the swarm found.
                """
            }
            Section("The swarm over the iterations") {
                Figure(
                    "The particles at \(moments.count) moments over the contours of f; × marks the deepest point.",
                    panels: Panels(columns: 3, plots: moments.map(panel)))
                Figure(
                    """
                    f at the swarm’s best position g after each iteration; the dashed line is the deepest point’s value.
                    """,
                    plot: Plot(
                        x: "iteration", y: "f(g)",
                        layers: [
                            .line(
                                .init(
                                    "swarm best",
                                    points: swarm.bestF.enumerated().map { (Double($0.offset), $0.element) }, color: 1)),
                            .rule(vertical: false, at: goalF, label: "deepest"),
                        ]))
                """
                After \(iterations) iteration\(iterations == 1 ? "" : "s") the swarm’s best is \
                (\(n.number(finalBest[0])), \(n.number(finalBest[1]))) with f = \(n.number(finalF)), \
                \(n.number(found)) from the deepest point; \(within) of the \(count) particles stand within \
                \(n.number(near)) of it.
                """
                comparison(
                    count: count, reachedGoal: reachedGoal, social: p["c2"], found: found <= near, followed: within > 1)
            }
        }
        return LessonResult(
            lesson: name, parameters: p, report: report, values: values,
            recordings: [Recording(notation: n, output: worked[9])])
    }
}
