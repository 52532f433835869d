import Engine
import Foundation
import LessonKit
import ReportModel
import TestSupport
import Testing

@testable import Lessons

@Suite("rnn: unfolded forward, BPTT, forgetting and an LSTM step against hand-written loops (004)")
struct RNNTests {
    static let (U, W, b, V, c, y) = (
        [[0.5, -0.3], [0.8, 0.2]], [[0.1, 0.4], [-0.6, 0.3]], [0.0, 0.1], [1.0, -1.0], 0.0, 0.5
    )
    static let xs = [[1.0, 0], [0.5, -1], [0, 1]]

    /// a^(t) = b + W h^(t−1) + U x^(t), h^(t) = tanh(a^(t)), o = c + V h^(τ), L = ½(o − y)², by hand.
    static func forward(U: [[Double]] = U, W: [[Double]] = W, b: [Double] = b) -> (h: [[Double]], L: Double) {
        var h = [0.0, 0.0]
        var states: [[Double]] = []
        for x in xs {
            h = (0..<2).map { j in tanh(b[j] + W[j][0] * h[0] + W[j][1] * h[1] + U[j][0] * x[0] + U[j][1] * x[1]) }
            states.append(h)
        }
        let o = c + V[0] * h[0] + V[1] * h[1]
        return (states, 0.5 * (o - y) * (o - y))
    }

    @Test func everyHiddenStateAndTheLoss() throws {
        let values = try Lesson.rnn.run(settings: []).values
        let (h, loss) = Self.forward()
        for t in 0..<3 {
            for j in 0..<2 { #expect(close(try #require(values.number("h\(j + 1)_\(t + 1)")), h[t][j], within: 1e-15)) }
        }
        #expect(close(try #require(values.number("L")), loss, within: 1e-15))
    }

    @Test func theSharedWeightsGradientsAgainstCentralDifferences() throws {
        let values = try Lesson.rnn.run(settings: []).values
        let step = 1e-6
        for j in 0..<2 {
            for k in 0..<2 {
                var (up, down) = (Self.W, Self.W)
                up[j][k] += step
                down[j][k] -= step
                let numeric = (Self.forward(W: up).L - Self.forward(W: down).L) / (2 * step)
                #expect(
                    close(try #require(values.number("dL/dW\(j + 1)\(k + 1)")), numeric, within: 1e-9),
                    "∂L/∂W\(j + 1)\(k + 1)")
                (up, down) = (Self.U, Self.U)
                up[j][k] += step
                down[j][k] -= step
                #expect(
                    close(
                        try #require(values.number("dL/dU\(j + 1)\(k + 1)")),
                        (Self.forward(U: up).L - Self.forward(U: down).L) / (2 * step), within: 1e-9))
            }
            var (up, down) = (Self.b, Self.b)
            up[j] += step
            down[j] -= step
            #expect(
                close(
                    try #require(values.number("dL/db\(j + 1)")),
                    (Self.forward(b: up).L - Self.forward(b: down).L) / (2 * step), within: 1e-9))
        }
    }

    /// Clipping by norm, θ = 0.5: ‖g‖ over all 13 gradients, U, W and b by central differences,
    /// V and c by hand (∂L/∂V_j = (o − y)h_j^{(τ)}, ∂L/∂c = o − y); g scaled by θ/‖g‖ when longer.
    @Test func theClippedGradientHasLengthTheta() throws {
        let result = try Lesson.rnn.run(settings: [])
        let values = result.values
        let step = 1e-6
        var squares = 0.0
        for j in 0..<2 {
            for k in 0..<2 {
                var (up, down) = (Self.W, Self.W)
                up[j][k] += step
                down[j][k] -= step
                squares += pow((Self.forward(W: up).L - Self.forward(W: down).L) / (2 * step), 2)
                (up, down) = (Self.U, Self.U)
                up[j][k] += step
                down[j][k] -= step
                squares += pow((Self.forward(U: up).L - Self.forward(U: down).L) / (2 * step), 2)
            }
            var (up, down) = (Self.b, Self.b)
            up[j] += step
            down[j] -= step
            squares += pow((Self.forward(b: up).L - Self.forward(b: down).L) / (2 * step), 2)
        }
        let h = Self.forward().h[2]
        let error = Self.c + Self.V[0] * h[0] + Self.V[1] * h[1] - Self.y
        squares += pow(error * h[0], 2) + pow(error * h[1], 2) + error * error
        let norm = squares.squareRoot()
        #expect(close(try #require(values.number("clip.norm")), norm, relative: 1e-8, within: 0))
        let factor = try #require(values.number("clip.factor"))
        #expect(norm > 0.5 && close(factor, 0.5 / norm, within: 1e-8))
        #expect(close(try #require(values.number("clip.dL/dW11")), factor * values.number("dL/dW11")!, within: 1e-15))
        #expect(paragraphs(result).joined(separator: " ").contains("is above θ"))
        let unclipped = try Lesson.rnn.run(settings: ["clip=100"])
        #expect(
            unclipped.values.number("clip.factor") == 1
                && paragraphs(unclipped).joined(separator: " ").contains("is below θ"))
    }

    @Test func theGradientReachingEachStep() throws {
        let values = try Lesson.rnn.run(settings: []).values
        guard case .rows(let reaching)? = values["dL/dh"] else {
            Issue.record("no dL/dh")
            return
        }
        let h = Self.forward().h
        let o = Self.c + Self.V[0] * h[2][0] + Self.V[1] * h[2][1]
        // BPTT by hand: δ^(3) = (o − y) V; δ^(t−1) = Wᵀ (δ^(t) ⊙ (1 − h^(t)²)).
        var delta = Self.V.map { (o - Self.y) * $0 }
        for t in stride(from: 2, through: 0, by: -1) {
            #expect(
                close(reaching[t][0], delta[0], within: 1e-15) && close(reaching[t][1], delta[1], within: 1e-15),
                "step \(t + 1)")
            let local = (0..<2).map { delta[$0] * (1 - h[t][$0] * h[t][$0]) }
            delta = (0..<2).map { k in Self.W[0][k] * local[0] + Self.W[1][k] * local[1] }
        }
        guard case .array(let memory)? = values["memory"] else {
            Issue.record("no memory")
            return
        }
        #expect(
            memory.count == 40 && memory.last! < 1e-10 * memory[0],
            "forty steps back, the first input has all but no say")
    }

    @Test func oneLSTMStep() throws {
        let values = try Lesson.rnn.run(settings: ["lstm=0.7,-0.4,1.5"]).values
        func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
        // Gates [w_h, w_x, b]: f (0.5, 0.3, 1), i (0.4, −0.2, 0), C̃ (0.7, 0.6, 0) with tanh, o (−0.3, 0.8, 0.2).
        let (x, h, c) = (0.7, -0.4, 1.5)
        let f = sigmoid(0.5 * h + 0.3 * x + 1)
        let i = sigmoid(0.4 * h - 0.2 * x)
        let g = tanh(0.7 * h + 0.6 * x)
        let o = sigmoid(-0.3 * h + 0.8 * x + 0.2)
        #expect(
            try close(#require(values.number("lstm.f_t")), f, within: 1e-15)
                && close(#require(values.number("lstm.i_t")), i, within: 1e-15))
        #expect(
            try close(#require(values.number("lstm.C̃_t")), g, within: 1e-15)
                && close(#require(values.number("lstm.o_t")), o, within: 1e-15))
        // C_t = f_t C_{t−1} + i_t C̃_t
        #expect(close(try #require(values.number("lstm.C_t")), f * c + i * g, within: 1e-15))
        #expect(close(try #require(values.number("lstm.h_t")), o * tanh(f * c + i * g), within: 1e-15))
    }

    /// One GRU step, colah's form: z = σ(0.5h + 0.3x − 0.5), r = σ(0.4h − 0.2x), h̃ = tanh(0.7 r h + 0.6x),
    /// h_t = (1 − z)h + z h̃; ∂h_t/∂h_{t−1} against a central difference of that function.
    @Test(arguments: [["lstm=0.7,-0.4,1.5"], []])
    func oneGRUStep(_ settings: [String]) throws {
        let result = try Lesson.rnn.run(settings: settings)
        let values = result.values
        let (x, h) = settings.isEmpty ? (1.0, 0.2) : (0.7, -0.4)
        func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
        func step(_ h: Double) -> (z: Double, r: Double, candidate: Double, next: Double) {
            let z = sigmoid(0.5 * h + 0.3 * x - 0.5)
            let r = sigmoid(0.4 * h - 0.2 * x)
            let candidate = tanh(0.7 * (r * h) + 0.6 * x)
            return (z, r, candidate, (1 - z) * h + z * candidate)
        }
        let s = step(h)
        #expect(
            try close(#require(values.number("gru.z_t")), s.z, within: 1e-15)
                && close(#require(values.number("gru.r_t")), s.r, within: 1e-15))
        #expect(
            try close(#require(values.number("gru.h̃_t")), s.candidate, within: 1e-15)
                && close(#require(values.number("gru.h_t")), s.next, within: 1e-15))
        let slope = (step(h + 1e-6).next - step(h - 1e-6).next) / 2e-6
        #expect(close(try #require(values.number("gru.dh_t/dh_prev")), slope, within: 1e-8))
        // At the defaults z_t = σ(0.5 × 0.2 + 0.3 × 1 − 0.5) = σ(−0.1) = 1/(1 + e^{0.1}) = 0.4750208…
        if settings.isEmpty { #expect(close(s.z, 0.47502081, within: 1e-8)) }
        let text = paragraphs(result).joined(separator: "\n")
        #expect(
            text.contains(
                abs(slope) > 1 - s.z
                    ? "the routes through the gates add to it" : "the routes through the gates take some of it away"))
        #expect(text.contains(s.z < 0.5 ? "the unit mostly keeps its state" : "the unit mostly replaces its state"))
    }

    @Test func anOddSequenceIsRefused() {
        #expect {
            _ = try Lesson.rnn.run(settings: ["x=1,2,3"])
        } throws: { ($0 as? ParameterError)?.description.contains("give two per time step") == true }
        // A matrix of fixed size says how many numbers, not "4 to 4".
        #expect {
            _ = try Lesson.rnn.run(settings: ["U=1,2"])
        } throws: {
            ($0 as? ParameterError)?.description.hasSuffix(
                "has 2 entries; U (input weights U, row by row (2 × 2)) takes 4 numbers in [-5, 5], comma-separated")
                == true
        }
    }
}
