/// Linear least squares: the coefficients c minimising Σᵢ (yᵢ − Σⱼ cⱼ φⱼ(xᵢ))², from the normal
/// equations (ΦᵀΦ) c = Φᵀy, solved by Gaussian elimination with partial pivoting. Lessons use it
/// for the closed-form answer their gradient descents approach, and to fit sums of ReLUs.
///
///     LeastSquares.fit(rows: xs.map { [1, $0] }, targets: ys)   // [θ₀, θ₁] of the best line
enum LeastSquares {
    /// nil when the columns are linearly dependent (the normal equations are singular).
    static func fit(rows: [[Double]], targets: [Double]) -> [Double]? {
        guard let width = rows.first?.count else { return nil }
        var a = [[Double]](repeating: [Double](repeating: 0, count: width + 1), count: width)
        for (row, y) in zip(rows, targets) {
            for j in 0..<width {
                for k in 0..<width { a[j][k] += row[j] * row[k] }
                a[j][width] += row[j] * y
            }
        }
        return solve(&a)
    }

    /// Solves the augmented system [A | b] in place.
    static func solve(_ a: inout [[Double]]) -> [Double]? {
        let n = a.count
        let scale = a.flatMap { $0.dropLast() }.map(abs).max() ?? 0
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0][column]) < abs(a[$1][column]) }!
            guard abs(a[pivot][column]) > scale * 1e-13 else { return nil }
            a.swapAt(column, pivot)
            for row in (column + 1)..<n {
                let factor = a[row][column] / a[column][column]
                for k in column...n { a[row][k] -= factor * a[column][k] }
            }
        }
        var c = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            let known = ((row + 1)..<n).reduce(0) { $0 + a[row][$1] * c[$1] }
            c[row] = (a[row][n] - known) / a[row][row]
        }
        return c
    }
}
