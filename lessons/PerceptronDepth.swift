import Engine
import LessonKit
import MathNotation
import ReportModel

/// 003's "shallow networks are already complete … why are we interested in deep networks,
/// then?", worked on parity: two layers compute any boolean function, one hidden perceptron per
/// input the function maps to 1 (its disjunctive normal form), and parity has 2^(n−1) of them;
/// a chain of the XOR network (four NANDs each) needs 4(n − 1) perceptrons.
///
///     let depth = Perceptron.Depth(bits: 4)
///     depth.shallowCorrect   // 16: every input right
extension Perceptron {
    struct Depth {
        let bits: Int
        /// How many of the 2^bits inputs each network gets right, run unit by unit on a tape.
        let shallowCorrect: Int, deepCorrect: Int
        /// The worked input x = (1, 0, …, 0): its own minterm unit's sum and the two outputs.
        let tape: Tape
        let minterm: Value, fired: Value, shallow: Value
        /// Nielsen's NAND, with which every XOR of the chain is built (003: NAND is complete).
        static let nand = (w1: -2.0, w2: -2.0, b: 3.0)

        init(bits n: Int) {
            bits = n
            // The worked input, every node named for its step.
            let tape = Tape()
            self.tape = tape
            let x = (0..<n).map { tape.input($0 == 0 ? 1 : 0, "x\($0 + 1)") }
            let own = (0..<n).map { $0 == 0 }
            minterm = Self.sum(x, pattern: own, tape: tape).labeled("m")
            fired = minterm.step().labeled("a")
            shallow = Self.shallow(x, tape: tape, labeled: true)
            // Every input through both networks, on a scratch tape cleared per input.
            let scratch = Tape()
            var (rightShallow, rightDeep) = (0, 0)
            for row in 0..<(1 << n) {
                scratch.clear()
                let bits = (0..<n).map { (row >> (n - 1 - $0)) & 1 }
                let inputs = bits.map { scratch.input(Double($0)) }
                let parity = Double(bits.reduce(0, +) % 2)
                if Self.shallow(inputs, tape: scratch, labeled: false).value == parity { rightShallow += 1 }
                if Self.deep(inputs, tape: scratch).value == parity { rightDeep += 1 }
            }
            (shallowCorrect, deepCorrect) = (rightShallow, rightDeep)
        }

        /// Σ ±x_i + ½ − k: +1 where the pattern has a 1, −1 where a 0, k its ones. At the
        /// pattern the sum is ½; one bit off takes 1 away, so only the pattern reaches ≥ 0.
        static func sum(_ x: [Value], pattern: [Bool], tape: Tape) -> Value {
            var z = pattern[0] ? x[0] : -x[0]
            for (xi, one) in zip(x, pattern).dropFirst() { z = one ? z + xi : z - xi }
            let bias = 0.5 - Double(pattern.filter { $0 }.count)
            return bias < 0 ? z - tape.constant(-bias) : z + tape.constant(bias)
        }

        /// Two layers: a minterm unit for each odd input, then their OR, step(Σ a_j − ½).
        static func shallow(_ x: [Value], tape: Tape, labeled: Bool) -> Value {
            let n = x.count
            var total: Value?
            for row in 0..<(1 << n) where row.nonzeroBitCount % 2 == 1 {
                let unit = sum(x, pattern: (0..<n).map { (row >> (n - 1 - $0)) & 1 == 1 }, tape: tape).step()
                total = total.map { $0 + unit } ?? unit
            }
            if labeled { total!.labeled("hidden_sum") }
            let out = (total! - tape.constant(0.5)).step()
            return labeled ? out.labeled("parity_shallow") : out
        }

        /// A chain of XORs, each the four-NAND network: x₁ ⊕ x₂, then ⊕ x₃, and so on.
        static func deep(_ x: [Value], tape: Tape) -> Value {
            let (w1, w2, b) = (tape.input(nand.w1), tape.input(nand.w2), tape.input(nand.b))
            return x.dropFirst().reduce(x[0]) { Perceptron.xor($0, $1, w1, w2, b, labeled: false)[3] }
        }

        /// Units and parameters (weights and biases) of each network for parity of n bits.
        static func size(_ n: Int) -> (
            shallowUnits: Int, shallowParameters: Int, deepUnits: Int, deepParameters: Int, deepLayers: Int
        ) {
            let hidden = 1 << (n - 1)
            return (hidden + 1, hidden * (n + 1) + hidden + 1, 4 * (n - 1), 12 * (n - 1), 3 * (n - 1))
        }

        /// The least n from which the deep chain has fewer perceptrons (the sizes' own formulas).
        static var deepSmallerFrom: Int { (2...64).first { size($0).deepUnits < size($0).shallowUnits }! }

        var values: ExportedValues {
            var v = ExportedValues(tape)
            v["shallow_correct"] = .number(Double(shallowCorrect))
            v["deep_correct"] = .number(Double(deepCorrect))
            let sizes = (2...max(bits, 8)).map { Self.size($0) }
            v["shallow_units"] = .array(sizes.map { Double($0.shallowUnits) })
            v["deep_units"] = .array(sizes.map { Double($0.deepUnits) })
            return v
        }

        func cells(_ format: NumberFormat) -> [Block] {
            let n = Notation(
                tape: tape, format: format, symbols: ["m": "z_{1}", "a": "a_{1}", "parity_shallow": "out"])
            let size = Self.size(bits)
            let inputs = 1 << bits
            let from = Self.deepSmallerFrom
            let worked =
                "(" + (["1"] + Array(repeating: "0", count: min(bits, 4) - 1)).joined(separator: ", ")
                + (bits > 4 ? ", …, 0)" : ")")
            let table = Table(
                """
                Perceptrons (units) and weights with biases (parameters) that \
                compute the parity of n bits, two layers against the chain of XORs.
                """,
                columns: [
                    .init("n", alignment: .trailing), .init("two layers: units", alignment: .trailing),
                    .init("two layers: parameters", alignment: .trailing), .init("deep: units", alignment: .trailing),
                    .init("deep: parameters", alignment: .trailing), .init("deep: layers", alignment: .trailing),
                ],
                rows: (2...max(bits, 8)).map { k in
                    let s = Self.size(k)
                    return [
                        .plain("\(k)"), .plain("\(s.shallowUnits)"), .plain("\(s.shallowParameters)"),
                        .plain("\(s.deepUnits)"),
                        .plain("\(s.deepParameters)"), .plain("\(s.deepLayers)"),
                    ]
                })
            let correct: RichText =
                shallowCorrect == inputs && deepCorrect == inputs
                ? "Run on all \(inputs) inputs, both networks give the parity every time."
                : "Run on all \(inputs) inputs, the two-layer network is right \(shallowCorrect) times and the deep one \(deepCorrect)."
            let comparison: RichText =
                size.deepUnits < size.shallowUnits
                ? "At n = \(bits) the chain needs \(size.deepUnits) perceptrons where two layers need \(size.shallowUnits), and with every further bit two layers need twice as many while the chain needs four more."
                : "At n = \(bits) two layers still need fewer perceptrons (\(size.shallowUnits) against the chain’s \(size.deepUnits)); from n = \(from) on the chain needs fewer, and with every further bit two layers need twice as many while the chain needs four more."
            let cells: [any ReportContent] = [
                Paragraph(
                    """
                    “Shallow networks are already complete (in boolean cases, I need just two layers to \
                    compute any functions)” (003). The first layer has one perceptron for each input the \
                    function maps to 1, firing for that input alone: weight +1 on the bits that are 1, −1 \
                    on the bits that are 0, and bias ½ minus its number of 1s. The second layer is an OR \
                    of them. For the parity of n = \(bits) bits, 1 when an odd number of them are 1, that \
                    is \(1 << (bits - 1)) hidden perceptrons. For x = \(worked), the unit of its own pattern:
                    """
                ),
                n.step(minterm, "Its own unit’s sum: ½ at its pattern, at most −½ anywhere else"),
                n.step(fired),
                // The OR written as its rule: the tape's own formula lists every hidden unit (512 at n = 10).
                Step(
                    "The OR of all \(1 << (bits - 1)) hidden units: 1 when any fires", lhs: "out",
                    rhs: [
                        "step(Σ_{j=1}^{\(1 << (bits - 1))} a_j − ½)",
                        "step(" + n.value(tape.node(labeled: "hidden_sum")!) + " − 0.5)", n.value(shallow),
                    ]),
                Paragraph(
                    """
                    “Why are we interested in deep networks, then? You may hope to build networks that compute \
                    the same functions using less neurons.” Parity is the classic case: XOR the bits one \
                    after another, each XOR the four-NAND network of the last section, \(bits - 1) of them.
                    """
                ),
                Paragraph(correct),
                table,
                Paragraph(
                    comparison
                        + " Two layers pay for flatness with a unit for every input that gives 1, as a formula brought to normal form can explode; depth reuses what it computed."
                ),
            ]
            return cells.flatMap(\.blocks)
        }
    }
}
