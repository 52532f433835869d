import Engine

/// What a step's result is for marking a hand calculation: the label a student writes it under,
/// its value at full precision (a matrix's entries as `label[r,c]`), and how to recompute it
/// from the student's own earlier answers (follow-through, "error carried forward").
///
///     step.answer?.label                      // "out_h1"
///     step.answer?.carry?.value(given: ["net_h1": 0.38])   // σ(0.38) = 0.5938731…
public struct StepAnswer: Sendable, Equatable {
    public var label: String
    /// (label, value) per entry: one for a number, rows × columns for a matrix.
    public var entries: [(label: String, value: Double)]
    public var carry: Carry?

    public init(label: String, value: Double, carry: Carry? = nil) {
        self.label = label
        entries = [(label, value)]
        self.carry = carry
    }

    public init(label: String, rows: [[Double]]) {
        self.label = label
        entries = rows.enumerated().flatMap { r, row in row.enumerated().map { c, x in ("\(label)[\(r),\(c)]", x) } }
        carry = nil
    }

    public static func == (a: StepAnswer, b: StepAnswer) -> Bool {
        a.label == b.label && a.entries.map(\.label) == b.entries.map(\.label)
            && a.entries.map(\.value) == b.entries.map(\.value) && a.carry == b.carry
    }
}

/// A result as a function of the labeled values it is computed from: the nearest labeled
/// ancestors on the tape (out_o1 from net_o1, w5⁺ from w5 and ∂E/∂w5), or the factors of a
/// chain rule. Given the student's answers for some of those labels, it gives what the result
/// would be from them; labels they did not answer keep their true values.
public enum Carry: Sendable, Equatable {
    /// A copy of the tape between the leaves and the result, in recording order.
    case program(Program)
    /// The product of named factors (a chain rule's links), each with its true value.
    case product([(label: String, value: Double)])
    /// ∂(program's result)/∂(leaf `leaf`), the program read at the student's values.
    case derivative(Program, leaf: Int)

    public struct Program: Sendable, Equatable {
        /// The labeled ancestors and their true values.
        public var leaves: [(label: String, value: Double)]
        /// Each operation's primitive, its inputs as indices into leaves-then-operations (−1 for
        /// none) and, for a constant, its value. The last is the result.
        public var operations: [(primitive: Primitive, x: Int, z: Int, constant: Double)]

        public init(
            leaves: [(label: String, value: Double)],
            operations: [(primitive: Primitive, x: Int, z: Int, constant: Double)]
        ) {
            (self.leaves, self.operations) = (leaves, operations)
        }

        /// Every leaf's and operation's value, leaves at `given` where it has them.
        func values(given: [String: Double]) -> [Double] {
            var values = leaves.map { given[$0.label] ?? $0.value }
            for op in operations {
                let x = op.x >= 0 ? values[op.x] : 0
                let z = op.z >= 0 ? values[op.z] : 0
                values.append(
                    op.primitive == .constant || op.primitive == .input ? op.constant : op.primitive.rule(x, z).y)
            }
            return values
        }

        public static func == (a: Program, b: Program) -> Bool {
            a.leaves.map(\.label) == b.leaves.map(\.label) && a.operations.count == b.operations.count
        }
    }

    public static func == (a: Carry, b: Carry) -> Bool {
        switch (a, b) {
        case (.program(let p), .program(let q)): p == q
        case (.product(let p), .product(let q)): p.map(\.label) == q.map(\.label)
        case (.derivative(let p, let i), .derivative(let q, let j)): p == q && i == j
        default: false
        }
    }

    /// The labels the result is computed from.
    public var inputs: [String] {
        switch self {
        case .program(let program), .derivative(let program, _): program.leaves.map(\.label)
        case .product(let factors): factors.map(\.label)
        }
    }

    /// The result from `given` values where a label has one, the true values elsewhere.
    public func value(given: [String: Double]) -> Double {
        switch self {
        case .product(let factors):
            return factors.reduce(1) { $0 * (given[$1.label] ?? $1.value) }
        case .program(let program):
            return program.values(given: given).last ?? .nan
        case .derivative(let program, let leaf):
            // Reverse accumulation over the copied stretch, as Tape.derivative over the tape.
            let values = program.values(given: given)
            var gradient = [Double](repeating: 0, count: values.count)
            gradient[values.count - 1] = 1
            for (k, op) in program.operations.enumerated().reversed() {
                let i = program.leaves.count + k
                guard gradient[i] != 0, op.primitive.arity > 0 else { continue }
                let rule = op.primitive.rule(values[op.x], op.z >= 0 ? values[op.z] : 0)
                gradient[op.x] += rule.dx * gradient[i]
                if op.z >= 0 { gradient[op.z] += rule.dz * gradient[i] }
            }
            return gradient[leaf]
        }
    }
}

extension Step {
    /// A step typed by hand, answered under `label` by its exact value (the key may print it
    /// rounded: 6.87 × 10¹⁰ for 68,719,476,736).
    public func answered(_ label: String, _ value: Double) -> Step {
        var copy = self
        copy.answer = StepAnswer(label: label, value: value)
        return copy
    }

    /// The same for a matrix result, entry by entry (`label[r,c]`).
    public func answered(_ label: String, rows: [[Double]]) -> Step {
        var copy = self
        copy.answer = StepAnswer(label: label, rows: rows)
        return copy
    }
}
