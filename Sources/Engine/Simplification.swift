/// The normal form the simplifier works in: a sum of terms, each a coefficient times factors
/// raised to whole powers. A factor is a name, a function call, or a sum kept whole, so
/// −(t1 − out_o1) stays one term until multiplying it out would cancel something.
///
///     Polynomial(0.5·2·(t1 − out)·(−1)).expression      // −(t1 − out)
///     Polynomial(−y(1 − a) + (1 − y)a).expanded          // a − y: the ya terms cancel
struct Polynomial: Equatable {
    struct Factor: Equatable {
        var base: Expression
        var power: Int
    }

    struct Term: Equatable {
        var coefficient: Double
        var factors: [Factor]
    }

    var terms: [Term]

    init(terms: [Term]) { self.terms = terms.filter { $0.coefficient != 0 } }

    static func constant(_ c: Double) -> Polynomial { Polynomial(terms: [Term(coefficient: c, factors: [])]) }

    /// One factor with coefficient 1.
    static func factor(_ base: Expression, _ power: Int = 1) -> Polynomial {
        Polynomial(terms: [Term(coefficient: 1, factors: [Factor(base: base, power: power)])])
    }

    /// Reads an expression: numbers fold into coefficients, products merge their factors
    /// (x·x⁻¹ cancels), sums inside products stay whole.
    init(_ e: Expression) {
        switch e {
        case .number(let c): self = .constant(c)
        case .node: self = .factor(e)
        case .apply(let op, let args):
            switch op {
            case .add: self = Polynomial(args[0]) + Polynomial(args[1])
            case .subtract: self = Polynomial(args[0]) + -Polynomial(args[1])
            case .negate: self = -Polynomial(args[0])
            case .multiply: self = Polynomial(args[0]) * Polynomial(args[1])
            case .divide:
                let denominator = Polynomial(args[1])
                self = denominator.isZero ? .factor(e) : Polynomial(args[0]) * denominator.inverse
            case .power:
                if case .number(let k) = args[1], k == k.rounded(), abs(k) <= 4, k != 0 {
                    self = Polynomial(args[0]).raised(to: Int(k))
                } else {
                    self = .factor(.apply(op, args.map { Polynomial($0).expression }))
                }
            default: self = .factor(.apply(op, args.map { Polynomial($0).expression }))
            }
        }
    }

    var isZero: Bool { terms.isEmpty }

    static func + (a: Polynomial, b: Polynomial) -> Polynomial {
        Polynomial(terms: a.terms + b.terms).collected.polynomial
    }

    static prefix func - (a: Polynomial) -> Polynomial {
        Polynomial(terms: a.terms.map { Term(coefficient: -$0.coefficient, factors: $0.factors) })
    }

    /// A product of single terms merges them; a sum stays one factor (multiplying out is `distributed`).
    static func * (a: Polynomial, b: Polynomial) -> Polynomial {
        if a.isZero || b.isZero { return Polynomial(terms: []) }
        let (x, y) = (a.asTerm, b.asTerm)
        return Polynomial(terms: [x.times(y).term])
    }

    /// The polynomial as one term: itself, or a sum as a single factor.
    private var asTerm: Term {
        terms.count == 1 ? terms[0] : Term(coefficient: 1, factors: [Factor(base: expression, power: 1)])
    }

    var inverse: Polynomial {
        let t = asTerm
        return Polynomial(terms: [
            Term(coefficient: 1 / t.coefficient, factors: t.factors.map { Factor(base: $0.base, power: -$0.power) })
        ])
    }

    func raised(to k: Int) -> Polynomial {
        let t = asTerm
        var c = 1.0
        for _ in 0..<abs(k) { c *= t.coefficient }
        return Polynomial(terms: [
            Term(coefficient: k < 0 ? 1 / c : c, factors: t.factors.map { Factor(base: $0.base, power: $0.power * k) })
        ])
    }

    /// Like terms added up; `cancelled` is true when any disappeared or merged.
    var collected: (polynomial: Polynomial, cancelled: Bool) {
        var result: [Term] = []
        for term in terms {
            if let i = result.firstIndex(where: { $0.hasSameFactors(as: term) }) {
                result[i].coefficient += term.coefficient
            } else {
                result.append(term)
            }
        }
        let polynomial = Polynomial(terms: result)
        return (polynomial, polynomial.terms.count < terms.count)
    }

    /// Every sum factor with a positive power multiplied out, once (`deep: false`: the sums
    /// inside the pieces stay whole) or until none is left; `cancelled` says whether a factor
    /// met its inverse or like terms merged on the way.
    func distributed(deep: Bool) -> (polynomial: Polynomial, cancelled: Bool) {
        var cancelled = false
        var current = self
        for _ in 0..<(deep ? 8 : 1) {
            var changed = false
            var next: [Term] = []
            for term in current.terms {
                guard let k = term.factors.firstIndex(where: { $0.power > 0 && Polynomial($0.base).terms.count > 1 })
                else {
                    next.append(term)
                    continue
                }
                changed = true
                var rest = term
                let factor = rest.factors.remove(at: k)
                var pieces = [rest]
                for _ in 0..<factor.power {
                    pieces = pieces.flatMap { piece in
                        Polynomial(factor.base).terms.map { inner in
                            let (product, met) = inner.times(piece)
                            cancelled = cancelled || met
                            return product
                        }
                    }
                }
                next += pieces
            }
            let collected = Polynomial(terms: next).collected
            cancelled = cancelled || collected.cancelled
            current = collected.polynomial
            if !changed { break }
        }
        return (current, cancelled)
    }

    /// A factor every term shares, pulled out of the sum: a·x − y·x becomes (a − y)·x.
    var factoredOut: Polynomial {
        guard terms.count > 1 else { return self }
        let common = terms[0].factors.compactMap { f -> Factor? in
            let powers = terms.map { t in t.factors.first { $0.base == f.base }?.power ?? 0 }
            guard powers.allSatisfy({ $0 > 0 }) else { return nil }
            return Factor(base: f.base, power: powers.min()!)
        }
        guard !common.isEmpty else { return self }
        let rest = Polynomial(
            terms: terms.map { t in
                t.times(Term(coefficient: 1, factors: common.map { Factor(base: $0.base, power: -$0.power) })).term
            })
        return Polynomial(terms: [Term(coefficient: 1, factors: [Factor(base: rest.expression, power: 1)] + common)])
    }

    /// As an expression the formula writer sets: terms with a positive coefficient first (a − y,
    /// not −y + a), factors in the order they came, negative powers below a fraction bar.
    var expression: Expression {
        guard !terms.isEmpty else { return .number(0) }
        var ordered = terms
        if ordered[0].coefficient < 0, let positive = ordered.firstIndex(where: { $0.coefficient > 0 }) {
            ordered.insert(ordered.remove(at: positive), at: 0)
        }
        var result: Expression? = nil
        for term in ordered {
            let magnitude = term.magnitudeExpression
            if let sum = result {
                result = .apply(term.coefficient < 0 ? .subtract : .add, [sum, magnitude])
            } else {
                result = term.coefficient < 0 ? .apply(.negate, [magnitude]) : magnitude
            }
        }
        return result!
    }
}

extension Polynomial.Term {
    /// The product of two terms, factors merged; `cancelled` when a power moved towards zero.
    func times(_ other: Polynomial.Term) -> (term: Polynomial.Term, cancelled: Bool) {
        var factors = self.factors
        var cancelled = false
        for f in other.factors {
            if let i = factors.firstIndex(where: { $0.base == f.base }) {
                if (factors[i].power > 0) != (f.power > 0) { cancelled = true }
                factors[i].power += f.power
            } else {
                factors.append(f)
            }
        }
        return (
            Polynomial.Term(coefficient: coefficient * other.coefficient, factors: factors.filter { $0.power != 0 }),
            cancelled
        )
    }

    func hasSameFactors(as other: Polynomial.Term) -> Bool {
        factors.count == other.factors.count && factors.allSatisfy { f in other.factors.contains(f) }
    }

    /// |coefficient| · numerator / denominator.
    var magnitudeExpression: Expression {
        func product(_ parts: [Expression]) -> Expression? {
            guard let first = parts.first else { return nil }
            return parts.dropFirst().reduce(first) { .apply(.multiply, [$0, $1]) }
        }
        func power(_ f: Polynomial.Factor, _ k: Int) -> Expression {
            k == 1 ? f.base : .apply(.power, [f.base, .number(Double(k))])
        }
        let magnitude = abs(coefficient)
        let numerator = factors.filter { $0.power > 0 }.map { power($0, $0.power) }
        let denominator = factors.filter { $0.power < 0 }.map { power($0, -$0.power) }
        let top = product((magnitude != 1 || numerator.isEmpty ? [.number(magnitude)] : []) + numerator)!
        guard let bottom = product(denominator) else { return top }
        return .apply(.divide, [top, bottom])
    }
}

extension Expression {
    /// The expression as a teacher would write it: constants folded (½·2 = 1), signs in front,
    /// factors of 1 gone, x·x⁻¹ cancelled, and a product multiplied out only when that makes
    /// terms cancel (so ∂L/∂z of the logistic loss reads a − y but −(t − o) stays as it is).
    var simplified: Expression { simplificationStages.last! }

    /// The distinct forms on the way: as written, multiplied out one level, fully; a later form
    /// is listed only when multiplying out cancelled something.
    var simplificationStages: [Expression] {
        let normal = Polynomial(self)
        var stages = [normal.expression]
        let shallow = normal.distributed(deep: false)
        var base = normal
        if shallow.cancelled {
            stages.append(shallow.polynomial.factoredOut.expression)
            base = shallow.polynomial
        }
        let deep = base.distributed(deep: true)
        let last = deep.polynomial.factoredOut.expression
        if deep.cancelled, last != stages.last { stages.append(last) }
        return stages
    }
}
