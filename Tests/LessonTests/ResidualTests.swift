import Engine
import Foundation
import LessonKit
import ReportModel
import TestSupport
import Testing

@testable import Lessons

@Suite("residual: the +1 of y = F(x) + x, and deep stacks with and without skips (003, 000)")
struct ResidualTests {
    @Test(arguments: [(0.5, 0.5, 0.1), (-1.3, 2.0, -0.7), (2.2, -0.4, 1.5)])
    func theBlocksDerivativeIsOnePlusTheWeightRoute(x: Double, w1: Double, w2: Double) throws {
        let values = try Lesson.residual.run(settings: ["x=\(x)", "w1=\(w1)", "w2=\(w2)", "layers=2", "width=4"]).values
        // y = w2 tanh(w1 x) + x: dy/dx = 1 + w2 (1 − tanh²(w1 x)) w1, and a central difference of y.
        let t = tanh(w1 * x)
        #expect(close(try #require(values.number("dF/dx")), w2 * (1 - t * t) * w1, within: 1e-15))
        #expect(close(try #require(values.number("dy/dx")), (1 + w2 * (1 - t * t) * w1), within: 1e-15))
        let h = 1e-6
        let y = { (x: Double) in w2 * tanh(w1 * x) + x }
        #expect(close(try #require(values.number("dy/dx")), (y(x + h) - y(x - h)) / (2 * h), within: 1e-8))
        #expect(
            close(
                try #require(values.number("plain_chain")), pow(try #require(values.number("dF/dx")), 2), within: 1e-15)
        )
        #expect(close(values.number("residual_chain")!, pow(1 + values.number("dF/dx")!, 2), within: 1e-14))
    }

    @Test func skipsCarryTheGradientDown() throws {
        let values = try Lesson.residual.run(settings: []).values
        func ratio(_ key: String) -> Double {
            guard case .array(let norms)? = values[key] else { return .nan }
            return norms.first! / norms.last!
        }
        #expect(ratio("sigmoid.plain.gradient") < 1e-10, "30 sigmoid layers: each slope at most ¼")
        for activation in ["sigmoid", "tanh", "relu"] {
            #expect(
                ratio("\(activation).residual.gradient") >= 0.1,
                "\(activation): the skip keeps at least the identity's share")
            #expect(ratio("\(activation).residual.gradient") > ratio("\(activation).plain.gradient"))
        }
    }
}
