import Foundation

/// OpenBLAS's dgemm (C = αAB + βC, either factor transposed), loaded by the first product that
/// needs it rather than linked. A linked OpenBLAS starts a worker thread for each further core
/// as the process starts, and each one spins on sched_yield for about 0.1 s waiting for work:
/// on a two-core machine that took a core from rendering in every run, with tensors or without.
/// Loaded after OPENBLAS_NUM_THREADS=1 it starts none, and one thread gives the same bits every run.
///
///     if let dgemm = BLAS.dgemm { dgemm(BLAS.rowMajor, BLAS.plain, BLAS.plain, m, n, k, 1, a, k, b, n, 0, c, n) }
///     else { /* OpenBLAS is not installed: MatrixProduct's own loops */ }
enum BLAS {
    typealias Dgemm =
        @convention(c) (
            _ order: Int32, _ transposeA: Int32, _ transposeB: Int32, _ m: Int32, _ n: Int32, _ k: Int32,
            _ alpha: Double, _ a: UnsafePointer<Double>?, _ lda: Int32, _ b: UnsafePointer<Double>?, _ ldb: Int32,
            _ beta: Double, _ c: UnsafeMutablePointer<Double>?, _ ldc: Int32
        ) -> Void

    /// cblas.h's CblasRowMajor, CblasNoTrans and CblasTrans.
    static let rowMajor: Int32 = 101, plain: Int32 = 111, transposed: Int32 = 112

    /// nil when libopenblas.so.0 cannot be loaded. (The process's one setenv: glibc copies the
    /// environment to a new array and leaves the old one to readers on other threads.)
    static let dgemm: Dgemm? = {
        setenv("OPENBLAS_NUM_THREADS", "1", 1)
        guard let library = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL),
            let symbol = dlsym(library, "cblas_dgemm")
        else { return nil }
        return unsafeBitCast(symbol, to: Dgemm.self)
    }()
}
