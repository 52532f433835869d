/// X = A⁻¹B, the solution of AX = B for a square A (the normal equations XᵀX θ = Xᵀy of a least
/// squares fit), with its backward rule: for the gradient G of X, ∂/∂B = A⁻ᵀG and ∂/∂A = −(A⁻ᵀG)Xᵀ.
///
/// Gaussian elimination with partial pivoting, the textbook's method: the systems here are a
/// polynomial fit's, at most a dozen unknowns, where a factorisation saved for the backward pass
/// would cost more to keep than to redo. A singular A gives ±∞ or NaN, which the tape reports
/// as the step where numerical trouble started.
enum LinearSolve {
    /// Solves A X = B in place of `b` (n×m, row-major), reading A (n×n) transposed when asked.
    static func solve(_ a: UnsafePointer<Double>, transposed: Bool, n: Int, _ b: UnsafeMutablePointer<Double>, m: Int) {
        var lu = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { lu[i * n + j] = transposed ? a[j * n + i] : a[i * n + j] } }
        for column in 0..<n {
            // The row with the largest entry in this column leads, so no small pivot is divided by.
            var pivot = column
            for row in (column + 1)..<max(column + 1, n)
            where Swift.abs(lu[row * n + column]) > Swift.abs(lu[pivot * n + column]) { pivot = row }
            if pivot != column {
                for j in 0..<n { lu.swapAt(column * n + j, pivot * n + j) }
                for j in 0..<m { (b[column * m + j], b[pivot * m + j]) = (b[pivot * m + j], b[column * m + j]) }
            }
            let diagonal = lu[column * n + column]
            for row in (column + 1)..<max(column + 1, n) {
                let factor = lu[row * n + column] / diagonal
                guard factor != 0 else { continue }
                for j in column..<n { lu[row * n + j] -= factor * lu[column * n + j] }
                for j in 0..<m { b[row * m + j] -= factor * b[column * m + j] }
            }
        }
        for row in stride(from: n - 1, through: 0, by: -1) {
            for j in 0..<m {
                var sum = b[row * m + j]
                for k in (row + 1)..<max(row + 1, n) { sum -= lu[row * n + k] * b[k * m + j] }
                b[row * m + j] = sum / lu[row * n + row]
            }
        }
    }

    static func backward(
        _ node: TensorTape.Node, _ a: TensorTape.Node, _ b: TensorTape.Node,
        _ value: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>
    ) {
        let (n, m) = (a.shape[0], b.shape[1])
        // Gᴮ = A⁻ᵀG: the gradient of X solved through Aᵀ.
        var gb = Array(gradient[node.range])
        gb.withUnsafeMutableBufferPointer { gb in
            solve(value.baseAddress! + a.offset, transposed: true, n: n, gb.baseAddress!, m: m)
        }
        let x = value.baseAddress! + node.offset
        for i in 0..<n {
            for j in 0..<m { gradient[b.offset + i * m + j] += gb[i * m + j] }
            for k in 0..<n {
                var dot = 0.0
                for j in 0..<m { dot += gb[i * m + j] * x[k * m + j] }
                gradient[a.offset + i * n + k] -= dot
            }
        }
    }
}

extension Tensor {
    /// X = A⁻¹B for a square matrix A and a matrix B with as many rows: `a.solving(b)`.
    public func solving(_ b: Tensor) -> Tensor {
        let (s, t) = (shape, b.shape)
        let result = checked { () throws(ShapeError) -> Shape in
            guard s.rank == 2, t.rank == 2, s[0] == s[1] else {
                throw ShapeError("solve: shapes \(s) and \(t): the first must be a square matrix")
            }
            guard t[0] == s[0] else {
                throw ShapeError("solve: shapes \(s) and \(t): the second needs \(s[0]) rows, as the first has")
            }
            return t
        }
        let (ao, bo, n, m) = (tape.nodes[id].offset, tape.nodes[b.id].offset, s[0], t[1])
        return tape.record(.solve, self, b, shape: result) { out, arena, _ in
            for k in 0..<out.count { out[k] = arena[bo + k] }
            LinearSolve.solve(arena.baseAddress! + ao, transposed: false, n: n, out.baseAddress!, m: m)
        }
    }
}
