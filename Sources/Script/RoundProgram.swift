import Engine

/// The lines a training round records again, compiled once into register operations, so a
/// round costs the engine's recording and little else (looking names up in dictionaries
/// each round cost more than the arithmetic). It records exactly the operations the
/// interpreter would, in the same order, so the numbers are the same to the last bit.
///
///     let program = RoundProgram(lines, loss: "E_total", scalarParameters: names, run: run, scope: scope)   // nil: interpret
///     let loss = program.record(on: tape, values: current, round: r, into: &registers)
struct RoundProgram {
    enum Unary { case negate, sigmoid, tanh, relu, exp, log, sqrt, abs, softplus }
    enum Binary { case add, subtract, multiply, divide, maximum, minimum }
    enum Operation {
        /// The declared scalar parameter at this index, as a leaf with its current value.
        case leaf(Int)
        case constant(Double)
        case unary(Unary, Int)
        case binary(Binary, Int, Int)
        case power(Int, Double)
        /// x raised to a leaf's current value (a parameter in an exponent).
        case powerBy(Int, Int)
        /// normal(seed): a fresh draw each round (its key names it apart from the round).
        case draw(UInt64)
    }

    private enum Operand {
        case number(Double)
        case register(Int)
    }

    private(set) var operations: [Operation] = []
    /// Parameter name → its leaf's register.
    private(set) var leafRegisters: [String: Int] = [:]
    private(set) var loss = 0
    private var names: [String: Int] = [:]
    /// The line being compiled and its draws so far, as the interpreter counts them.
    private var label = ""
    private var draws = 0

    /// nil when a line uses something only the interpreter handles (a choice, a vector).
    init?(
        _ lines: [(String, Expr)], loss lossLabel: String, scalarParameters: [String], run: ScriptRun, scope: TapeScope
    ) {
        for (k, name) in scalarParameters.enumerated() {
            leafRegisters[name] = operations.count
            names[name] = operations.count
            operations.append(.leaf(k))
        }
        for (label, formula) in lines {
            (self.label, draws) = (label, 0)
            guard let operand = compile(formula, indices: [:], run: run, scope: scope) else { return nil }
            switch operand {
            case .register(let r): names[label] = r
            case .number: return nil  // a line that is a bare number is a leaf in the interpreter
            }
        }
        guard let loss = names[lossLabel] else { return nil }
        self.loss = loss
    }

    /// Records one round on `tape` with the parameters' current values (in `scalarParameters`
    /// order); returns the loss node and fills `registers` with every node it made.
    func record(on tape: Tape, values: [Double], round: Int, into registers: inout [Value]) -> Value {
        registers.removeAll(keepingCapacity: true)
        for operation in operations {
            let v: Value
            switch operation {
            case .leaf(let k): v = tape.input(values[k])
            case .constant(let c): v = tape.constant(c)
            case .unary(let f, let a):
                let x = registers[a]
                switch f {
                case .negate: v = -x
                case .sigmoid: v = x.sigmoid()
                case .tanh: v = x.tanh()
                case .relu: v = x.relu()
                case .exp: v = x.exp()
                case .log: v = x.log()
                case .sqrt: v = x.squareRoot()
                case .abs: v = x.magnitude()
                case .softplus: v = x.softplus()
                }
            case .binary(let f, let a, let b):
                let (x, z) = (registers[a], registers[b])
                switch f {
                case .add: v = x + z
                case .subtract: v = x - z
                case .multiply: v = x * z
                case .divide: v = x / z
                case .maximum: v = Value.maximum(x, z)
                case .minimum: v = Value.minimum(x, z)
                }
            case .power(let a, let c): v = registers[a].pow(c)
            case .powerBy(let a, let b): v = registers[a].pow(registers[b].value)
            case .draw(let key): v = tape.input(NormalDraw.value(key, round: round))
            }
            registers.append(v)
        }
        return registers[loss]
    }

    private mutating func emit(_ operation: Operation) -> Int {
        operations.append(operation)
        return operations.count - 1
    }

    private mutating func register(_ operand: Operand) -> Int {
        switch operand {
        case .register(let r): r
        case .number(let x): emit(.constant(x))
        }
    }

    private mutating func compile(_ e: Expr, indices: [String: Int], run: ScriptRun, scope: TapeScope) -> Operand? {
        switch e {
        case .number(let x, _): return .number(x)
        case .name(let written, let at):
            guard let name = try? run.resolved(written, indices: indices, at: at) else { return nil }
            if let k = indices[name] { return .number(Double(k)) }
            if let r = names[name] ?? run.symbolNames[name].flatMap({ names[$0] }) { return .register(r) }
            if let constant = ScriptRun.constants[name] { return .number(constant) }
            return nil
        case .negate(let inner, _):
            switch compile(inner, indices: indices, run: run, scope: scope) {
            case .number(let x)?: return .number(-x)
            case .register(let r)?: return .register(emit(.unary(.negate, r)))
            case nil: return nil
            }
        case .binary(let op, let a, let b, _):
            guard let x = compile(a, indices: indices, run: run, scope: scope),
                let z = compile(b, indices: indices, run: run, scope: scope)
            else { return nil }
            if op == "^" {
                switch (x, z) {
                case (.number(let p), .number(let q)): return .number(Primitive.power.rule(p, q).y)
                case (.register(let r), .number(let q)): return .register(emit(.power(r, q)))
                case (.register(let r), .register(let s)) where isLeaf(s): return .register(emit(.powerBy(r, s)))
                default: return nil
                }
            }
            let binary: Binary
            switch op {
            case "+": binary = .add
            case "-": binary = .subtract
            case "*": binary = .multiply
            case "/": binary = .divide
            default: return nil
            }
            // The interpreter's order: a literal on the left is recorded before the operation
            // reads it, one on the right after the left operand (Value + Double does the same).
            let left = register(x)
            let right = register(z)
            return .register(emit(.binary(binary, left, right)))
        case .call("normal", let arguments, _):
            guard let seed = try? run.integer(arguments[0], in: scope, indices: indices) else { return nil }
            defer { draws += 1 }
            return .register(emit(.draw(NormalDraw.key(seed: seed, label: label, occurrence: draws))))
        case .call(let function, let arguments, _):
            let unary: [String: Unary] = [
                "σ": .sigmoid, "tanh": .tanh, "relu": .relu, "exp": .exp, "log": .log,
                "sqrt": .sqrt, "abs": .abs, "softplus": .softplus,
            ]
            if let f = unary[function], arguments.count == 1,
                let x = compile(arguments[0], indices: indices, run: run, scope: scope)
            {
                return .register(emit(.unary(f, register(x))))
            }
            if function == "max" || function == "min", arguments.count == 2,
                let x = compile(arguments[0], indices: indices, run: run, scope: scope),
                let z = compile(arguments[1], indices: indices, run: run, scope: scope)
            {
                let left = register(x)
                let right = register(z)
                return .register(emit(.binary(function == "max" ? .maximum : .minimum, left, right)))
            }
            return nil
        case .sum(let index, let from, let to, let body, _):
            guard let low = try? run.integer(from, in: scope, indices: indices),
                let high = try? run.integer(to, in: scope, indices: indices),
                low <= high, high - low < 10_000
            else { return nil }
            var total: Operand?
            for k in low...high {
                var inner = indices
                inner[index] = k
                guard let term = compile(body, indices: inner, run: run, scope: scope) else { return nil }
                if let sum = total {
                    let left = register(sum)
                    let right = register(term)
                    total = .register(emit(.binary(.add, left, right)))
                } else {
                    total = term
                }
            }
            return total
        case .derivative, .not, .array, .choose, .text, .chosen:
            return nil
        }
    }

    private func isLeaf(_ r: Int) -> Bool { if case .leaf = operations[r] { true } else { false } }
}
