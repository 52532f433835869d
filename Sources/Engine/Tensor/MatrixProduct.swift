/// The matrix product C = AB of an m×k and a k×n matrix, and the transpose, with their backward
/// rules: ∂/∂A = G·Bᵀ and ∂/∂B = Aᵀ·G for the gradient G of C.
///
/// Products of a few thousand multiply-adds and more go to OpenBLAS's dgemm, on one thread:
/// measured at 64×64 it takes 12 µs where these loops take about 200 (and PyTorch uses a BLAS
/// too). Smaller ones, like the 2×2 example's, stay in the loops, whose last bits then agree
/// with the scalar engine's arithmetic.
enum MatrixProduct {
    static let blasThreshold = 4096

    /// C = AB (or C += when `accumulate`), with A or B read transposed when asked: OpenBLAS's
    /// dgemm, or `loops` where OpenBLAS is not installed.
    static func gemm(
        _ a: UnsafePointer<Double>, transposeA: Bool, _ b: UnsafePointer<Double>, transposeB: Bool,
        into c: UnsafeMutablePointer<Double>, m: Int, k: Int, n: Int, accumulate: Bool
    ) {
        guard let dgemm = BLAS.dgemm else {
            return loops(
                a, transposeA: transposeA, b, transposeB: transposeB, into: c, m: m, k: k, n: n, accumulate: accumulate)
        }
        dgemm(
            BLAS.rowMajor, transposeA ? BLAS.transposed : BLAS.plain, transposeB ? BLAS.transposed : BLAS.plain,
            Int32(m), Int32(n), Int32(k), 1, a, Int32(transposeA ? m : k), b, Int32(transposeB ? k : n),
            accumulate ? 1 : 0, c, Int32(n))
    }

    /// What `gemm` computes, one dot product at a time.
    static func loops(
        _ a: UnsafePointer<Double>, transposeA: Bool, _ b: UnsafePointer<Double>, transposeB: Bool,
        into c: UnsafeMutablePointer<Double>, m: Int, k: Int, n: Int, accumulate: Bool
    ) {
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    sum += (transposeA ? a[p * m + i] : a[i * k + p]) * (transposeB ? b[j * k + p] : b[p * n + j])
                }
                c[i * n + j] = accumulate ? c[i * n + j] + sum : sum
            }
        }
    }

    /// C[i, j] = Σₚ A[i, p] B[p, j].
    @inline(__always)
    static func multiply(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>, m: Int, k: Int,
        n: Int
    ) {
        if m * k * n >= blasThreshold {
            gemm(a, transposeA: false, b, transposeB: false, into: c, m: m, k: k, n: n, accumulate: false)
            return
        }
        for i in 0..<m {
            let row = c + i * n
            for j in 0..<n { row[j] = 0 }
            for p in 0..<k {
                let scale = a[i * k + p]
                let other = b + p * n
                for j in 0..<n { row[j] += scale * other[j] }
            }
        }
    }

    static func backward(
        _ node: TensorTape.Node, _ a: TensorTape.Node, _ b: TensorTape.Node,
        _ value: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>
    ) {
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        let g = gradient.baseAddress! + node.offset
        let av = value.baseAddress! + a.offset
        let bv = value.baseAddress! + b.offset
        let ag = gradient.baseAddress! + a.offset
        let bg = gradient.baseAddress! + b.offset
        if m * k * n >= blasThreshold {
            // ∂A += G Bᵀ
            gemm(g, transposeA: false, bv, transposeB: true, into: ag, m: m, k: n, n: k, accumulate: true)
            // ∂B += Aᵀ G
            gemm(av, transposeA: true, g, transposeB: false, into: bg, m: k, k: m, n: n, accumulate: true)
            return
        }
        for i in 0..<m {
            let gRow = g + i * n
            for p in 0..<k {
                // ∂/∂A[i, p] = Σⱼ G[i, j] B[p, j];  ∂/∂B[p, j] += A[i, p] G[i, j].
                let bRow = bv + p * n
                let bGradRow = bg + p * n
                let scale = av[i * k + p]
                var dot = 0.0
                for j in 0..<n {
                    dot += gRow[j] * bRow[j]
                    bGradRow[j] += scale * gRow[j]
                }
                ag[i * k + p] += dot
            }
        }
    }

    static func backwardTranspose(
        _ node: TensorTape.Node, _ input: TensorTape.Node, _ gradient: UnsafeMutableBufferPointer<Double>
    ) {
        let (rows, columns) = (input.shape[0], input.shape[1])
        for i in 0..<rows {
            for j in 0..<columns { gradient[input.offset + i * columns + j] += gradient[node.offset + j * rows + i] }
        }
    }
}

extension Tensor {
    /// The matrix product with `other` (written W·a, or Wa, in the notes).
    public func matmul(_ other: Tensor) -> Tensor {
        let (a, b) = (shape, other.shape)
        let result = checked { () throws(ShapeError) -> Shape in
            guard a.rank == 2, b.rank == 2 else {
                throw ShapeError("matmul: shapes \(a) and \(b): both must be matrices (reshape a vector to k×1)")
            }
            guard a[1] == b[0] else {
                throw ShapeError(
                    "matmul: shapes \(a) and \(b): the first's columns (\(a[1])) must equal the second's rows (\(b[0]))"
                )
            }
            return [a[0], b[1]]
        }
        let (ao, bo) = (tape.nodes[id].offset, tape.nodes[other.id].offset)
        return tape.record(.matmul, self, other, shape: result) { out, arena, _ in
            MatrixProduct.multiply(
                arena.baseAddress! + ao, arena.baseAddress! + bo, into: out.baseAddress!, m: a[0], k: a[1], n: b[1])
        }
    }

    /// The transpose of a matrix (Wᵀ).
    public var transposed: Tensor {
        let s = shape
        precondition(s.rank == 2, "transpose: shape \(s): only a matrix can be transposed")
        let source = tape.nodes[id].offset
        return tape.record(.transpose, self, shape: [s[1], s[0]]) { out, arena, _ in
            for i in 0..<s[0] { for j in 0..<s[1] { out[j * s[0] + i] = arena[source + i * s[1] + j] } }
        }
    }
}
