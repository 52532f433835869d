import Engine

/// The logistic-regression loss of 000_0f8c2b341468a259.txt on a tape: z = wᵀx + b, a = σ(z),
/// L = −(y log a + (1 − y) log(1 − a)), for the engine's simplifier and the report's writing alike.
///
///     let t = LogisticTape(y: 0)
///     t.tape.derivativeFormula(of: t.L, withRespectTo: t.z)   // a − y
public struct LogisticTape {
    public let tape = Tape()
    public let w: Value, x: Value, b: Value, y: Value, z: Value, a: Value, L: Value

    public init(y target: Double = 1) {
        w = tape.input(0.4, "w")
        x = tape.input(1.5, "x")
        b = tape.input(-0.2, "b")
        y = tape.input(target, "y")
        z = (w * x + b).labeled("z")
        a = z.sigmoid().labeled("a")
        L = (-(y * a.log() + (1.0 - y) * (1.0 - a).log())).labeled("L")
    }
}
