import Engine
import ReportModel

/// Least squares and data splits, the functions model selection is written with. Each records
/// the engine's own operations, so a fit's matrices, its coefficients and every error built on
/// them are on the tape like any other step:
///
///     X = powers(x, 2)                      # [1, x, x²]ᵀ: a row per point, a column per power
///     θ = solve(Xᵀ @ X, Xᵀ @ yᵀ)            # the normal equations, written (XᵀX)⁻¹Xᵀyᵀ
///     let θ3 = fit(fold(x, 1, 3), fold(y, 1, 3), 3)    # the same two steps, unnamed
///     E = mean((poly(θ3, others(x, 1, 3)) − others(y, 1, 3))²)
///
/// A data set is a vector (a row), as a vector parameter is. Folds are contiguous blocks, the
/// first n mod k one point longer (NumPy's array_split): shuffle the data in the parameter, as
/// one draws a sample, rather than here, so the page lists each fold's points as they are.
extension ScriptRun {
    func fitting(_ function: String, _ a: [Operand], at: SourceLocation, scope: TapeScope) throws(ScriptError)
        -> Operand
    {
        switch function {
        case "solve":
            let (m, b) = (try matrix(a[0], function, at: at), try matrix(a[1], function, at: at))
            guard m.shape.rank == 2, m.shape[0] == m.shape[1] else {
                throw ScriptError("solve(A, B) needs a square A; this one is \(m.shape)", at: at)
            }
            guard b.shape.rank == 2, b.shape[0] == m.shape[0] else {
                throw ScriptError(
                    "solve(A, B) needs B with as many rows as A (\(m.shape[0])); this one is \(b.shape)", at: at,
                    hint: "a vector is a row: write its transpose, yᵀ")
            }
            return .tensor(try solved(m, b, at: at))
        case "powers":
            return .tensor(try powers(a[0], degree: try degree(a[1], at: at), at: at, scope: scope))
        case "fit":
            let (x, y) = (try row(a[0], "fit's data x", at: at), try row(a[1], "fit's targets y", at: at))
            guard x.shape.count == y.shape.count else {
                throw ScriptError(
                    "fit(x, y, d) needs as many targets as points; these are \(y.shape.count) and \(x.shape.count)",
                    at: at)
            }
            let d = try degree(a[2], at: at)
            guard d < x.shape.count else {
                throw ScriptError(
                    "a polynomial of degree \(d) has \(d + 1) coefficients, more than the \(x.shape.count) points fix",
                    at: at,
                    hint: "fit at most degree \(x.shape.count - 1) to \(x.shape.count) points")
            }
            let distinct = Set(x.value.scalars).count
            guard distinct > d else {
                throw ScriptError(
                    """
                    a polynomial of degree \(d) needs \(d + 1) different x \
                    values to fix its coefficients; these points have \(distinct)
                    """,
                    at: at)
            }
            let design = try powers(.tensor(x), degree: d, at: at, scope: scope)
            let turned = design.transposed
            return .tensor(try solved(turned.matmul(design), turned.matmul(y.transposed), at: at))
        case "poly":
            var theta = try matrix(a[0], "poly's coefficients", at: at)
            if theta.shape.rank == 2, theta.shape[0] == 1, theta.shape[1] > 1 { theta = theta.transposed }
            guard theta.shape.rank == 2, theta.shape[1] == 1 else {
                throw ScriptError(
                    "poly(θ, x) takes the coefficients as one column (a fit's θ); this is \(theta.shape)", at: at)
            }
            let design = try powers(a[1], degree: theta.shape[0] - 1, at: at, scope: scope)
            // The values as a row, like the data they are compared with.
            return .tensor(design.matmul(theta).transposed)
        case "entries":
            let v = try row(a[0], "x[a...b]", at: at)
            let (first, last) = (try plainNumber(a[1], at: at), try plainNumber(a[2], at: at))
            guard first == first.rounded(), last == last.rounded(), 1 <= first, first <= last,
                Int(last) <= v.shape.count
            else {
                throw ScriptError(
                    """
                    x[a...b] takes entries a to b counted from 1, with 1 ≤ a ≤ b ≤ \
                    \(v.shape.count) (its length); here a = \(spoken(first)), b = \(spoken(last))
                    """,
                    at: at)
            }
            return .tensor(v.slice(axis: 1, (Int(first) - 1)..<Int(last)))
        default:
            let v = try row(a[0], "\(function)'s data", at: at)
            let (j, k) = (try plainNumber(a[1], at: at), try plainNumber(a[2], at: at))
            let n = v.shape.count
            guard k == k.rounded(), k >= 2, Int(k) <= n, j == j.rounded(), j >= 1, j <= k else {
                throw ScriptError(
                    """
                    \(function)(v, j, k) takes fold j from 1 to k of k folds, 2 ≤ \
                    k ≤ \(n) (the points); here j = \(spoken(j)), k = \(spoken(k))
                    """,
                    at: at)
            }
            let range = ScriptRun.fold(Int(j), of: Int(k), count: n)
            if function == "fold" { return .tensor(v.slice(axis: 1, range)) }
            let parts = [0..<range.lowerBound, range.upperBound..<n].filter { !$0.isEmpty }.map { v.slice(axis: 1, $0) }
            return .tensor(parts.count == 1 ? parts[0] : Tensor.concatenate(parts, axis: 1))
        }
    }

    /// A⁻¹B, refused when A is singular (elimination met a zero pivot: no unique solution).
    private func solved(_ a: Tensor, _ b: Tensor, at: SourceLocation) throws(ScriptError) -> Tensor {
        let x = a.solving(b)
        guard a.value.scalars.allSatisfy(\.isFinite), b.value.scalars.allSatisfy(\.isFinite) else { return x }
        guard x.value.scalars.allSatisfy(\.isFinite) else {
            throw ScriptError(
                "this matrix is singular: solve(A, B) has no unique solution", at: at,
                hint: "a fit's XᵀX is singular when fewer different x values than coefficients reach it")
        }
        return x
    }

    /// The points of fold j (from 1) of k over n: contiguous, the first n mod k one longer.
    static func fold(_ j: Int, of k: Int, count n: Int) -> Range<Int> {
        let (size, longer) = (n / k, n % k)
        let start = (j - 1) * size + min(j - 1, longer)
        return start..<(start + size + (j <= longer ? 1 : 0))
    }

    /// The design matrix [1, x, x², …, x^d]ᵀ, one row per point: its powers as rows stacked on the
    /// tape, then turned. A single number's powers are one row of constants (a plot's point).
    private func powers(_ x: Operand, degree d: Int, at: SourceLocation, scope: TapeScope) throws(ScriptError) -> Tensor
    {
        switch x {
        case .number, .scalar:
            let value = try plainNumber(x, at: at)
            var row: [Double] = [1]
            for _ in 0..<d { row.append(row.last! * value) }
            return scope.tensors.input(NDArray(shape: [1, d + 1], scalars: row))
        default:
            let v = try row(x, "powers' data", at: at)
            let ones = v.tape.input(NDArray(shape: v.shape, scalars: Array(repeating: 1, count: v.shape.count)))
            let rows = [ones] + (0..<d).map { k in k == 0 ? v : v.pow(Double(k + 1)) }
            return (d == 0 ? ones : Tensor.concatenate(rows, axis: 0)).transposed
        }
    }

    private func degree(_ o: Operand, at: SourceLocation) throws(ScriptError) -> Int {
        let d = try plainNumber(o, at: at)
        guard d == d.rounded(), d >= 0, d <= 20 else {
            throw ScriptError("a polynomial's degree is a whole number from 0 to 20, not \(spoken(d))", at: at)
        }
        return Int(d)
    }

    private func matrix(_ o: Operand, _ what: String, at: SourceLocation) throws(ScriptError) -> Tensor {
        guard case .tensor(let t) = o else {
            throw ScriptError("\(what) is a vector or matrix, not \(o.kindName)", at: at)
        }
        return t
    }

    private func row(_ o: Operand, _ what: String, at: SourceLocation) throws(ScriptError) -> Tensor {
        let t = try matrix(o, what, at: at)
        guard t.shape.rank == 2, t.shape[0] == 1 else {
            throw ScriptError("\(what) is a vector (one row); this is \(t.shape)", at: at)
        }
        return t
    }
}
