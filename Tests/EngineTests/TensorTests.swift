import Foundation
import TestSupport
import Testing

@testable import Engine

/// A case for the gradient check: input arrays and a function from their tensors to an output tensor.
struct TensorCase: CustomTestStringConvertible, Sendable {
    let name: String
    let inputs: [NDArray]
    let f: @Sendable ([Tensor]) -> Tensor
    var testDescription: String { name }
}

func array(_ shape: Shape, seed: UInt64, scale: Double = 1, offset: Double = 0) -> NDArray {
    var random = SeededGenerator(seed: seed)
    return NDArray(shape: shape, scalars: (0..<shape.count).map { _ in offset + scale * random.uniform(in: -1...1) })
}

/// Σ out ⊙ R with a fixed R of out's shape: every output entry weighs in differently.
func weightedLoss(_ out: Tensor) -> Tensor {
    out.shape.count == 1 ? out.sum() : (out * out.tape.input(array(out.shape, seed: 99))).sum()
}

let tensorCases: [TensorCase] = [
    TensorCase(name: "add, same shape", inputs: [array([2, 3], seed: 1), array([2, 3], seed: 2)]) { $0[0] + $0[1] },
    TensorCase(name: "add, a row broadcast", inputs: [array([3, 4], seed: 3), array([4], seed: 4)]) { $0[0] + $0[1] },
    TensorCase(name: "subtract, a column broadcast", inputs: [array([3, 4], seed: 5), array([3, 1], seed: 6)]) {
        $0[0] - $0[1]
    },
    TensorCase(name: "multiply, both broadcast", inputs: [array([3, 1], seed: 7), array([1, 4], seed: 8)]) {
        $0[0] * $0[1]
    },
    TensorCase(
        name: "divide by a scalar tensor", inputs: [array([2, 2], seed: 9), array(.scalar, seed: 10, offset: 2)]
    ) { $0[0] / $0[1] },
    TensorCase(name: "negate", inputs: [array([5], seed: 11)]) { -$0[0] },
    TensorCase(name: "exp", inputs: [array([2, 3], seed: 12)]) { $0[0].exp() },
    TensorCase(name: "log", inputs: [array([2, 3], seed: 13, scale: 0.5, offset: 1.5)]) { $0[0].log() },
    TensorCase(name: "sigmoid", inputs: [array([2, 3], seed: 14, scale: 3)]) { $0[0].sigmoid() },
    TensorCase(name: "tanh", inputs: [array([2, 3], seed: 15, scale: 2)]) { $0[0].tanh() },
    TensorCase(name: "relu", inputs: [array([3, 3], seed: 16)]) { $0[0].relu() },
    TensorCase(name: "power 3", inputs: [array([4], seed: 17)]) { $0[0].pow(3) },
    TensorCase(name: "matmul", inputs: [array([3, 4], seed: 18), array([4, 2], seed: 19)]) { $0[0].matmul($0[1]) },
    TensorCase(name: "matmul through BLAS", inputs: [array([20, 30], seed: 42), array([30, 12], seed: 43)]) {
        $0[0].matmul($0[1])
    },
    TensorCase(name: "transpose", inputs: [array([2, 3], seed: 20)]) { $0[0].transposed },
    TensorCase(name: "reshape", inputs: [array([2, 6], seed: 21)]) { $0[0].reshaped([3, 4]) },
    TensorCase(name: "slice", inputs: [array([4, 3], seed: 22)]) { $0[0].slice(axis: 0, 1..<3) },
    TensorCase(name: "slice columns", inputs: [array([2, 5], seed: 23)]) { $0[0].slice(axis: 1, 2..<5) },
    TensorCase(name: "concat", inputs: [array([2, 3], seed: 24), array([2, 2], seed: 25)]) {
        Tensor.concatenate([$0[0], $0[1]], axis: 1)
    },
    TensorCase(name: "sum over rows", inputs: [array([3, 4], seed: 26)]) { $0[0].sum(axes: [0]) },
    TensorCase(name: "sum over columns, kept", inputs: [array([3, 4], seed: 27)]) {
        $0[0].sum(axes: [1], keepingAxes: true)
    },
    TensorCase(name: "mean of everything", inputs: [array([2, 2, 3], seed: 28)]) { $0[0].mean() },
    TensorCase(name: "mean over a middle axis", inputs: [array([2, 3, 2], seed: 29)]) { $0[0].mean(axes: [1]) },
    TensorCase(name: "softmax", inputs: [array([3, 4], seed: 30, scale: 2)]) { $0[0].softmax() },
    TensorCase(name: "log-softmax", inputs: [array([3, 4], seed: 31, scale: 2)]) { $0[0].logSoftmax() },
    TensorCase(name: "cross-entropy", inputs: [array([4, 3], seed: 32, scale: 2)]) {
        $0[0].crossEntropy(targets: [0, 2, 1, 2])
    },
    TensorCase(name: "mean squared error", inputs: [array([3, 2], seed: 33), array([3, 2], seed: 34)]) {
        $0[0].meanSquaredError($0[1])
    },
    TensorCase(name: "dropout, a fixed mask", inputs: [array([2, 3], seed: 35)]) {
        $0[0].dropout(keep: 0.5, mask: [1, 0, 1, 1, 0, 1])
    },
    TensorCase(
        name: "batch norm",
        inputs: [array([4, 3], seed: 36, scale: 2), array([3], seed: 37, offset: 1), array([3], seed: 38)]
    ) {
        $0[0].batchNormalized(gamma: $0[1], beta: $0[2])
    },
    TensorCase(
        name: "conv2d, stride 1, no padding", inputs: [array([1, 1, 5, 5], seed: 50), array([2, 1, 3, 3], seed: 51)]
    ) {
        $0[0].conv2d($0[1])
    },
    TensorCase(
        name: "conv2d, stride 2, padding 1, 3 channels, bias",
        inputs: [array([2, 3, 6, 5], seed: 52), array([4, 3, 3, 3], seed: 53), array([4], seed: 54)]
    ) {
        $0[0].conv2d($0[1], bias: $0[2], stride: 2, padding: 1)
    },
    TensorCase(
        name: "conv2d, a 1×3 derivative filter",
        inputs: [array([1, 1, 4, 6], seed: 55), array([1, 1, 1, 3], seed: 56)]
    ) {
        $0[0].conv2d($0[1], padding: 1)
    },
    TensorCase(
        name: "conv2d, a 5×5 kernel wider than the 3×2 input, padding 2, stride 2",
        inputs: [array([1, 2, 3, 2], seed: 61), array([3, 2, 5, 5], seed: 62)]
    ) {
        $0[0].conv2d($0[1], stride: 2, padding: 2)
    },
    TensorCase(name: "depthwise conv2d", inputs: [array([2, 3, 5, 5], seed: 57), array([3, 1, 3, 3], seed: 58)]) {
        $0[0].conv2d($0[1], padding: 1, groups: 3)
    },
    TensorCase(name: "max pooling", inputs: [array([2, 2, 4, 6], seed: 59)]) { $0[0].maxPool(kernel: 2) },
    TensorCase(name: "average pooling, stride 1", inputs: [array([1, 2, 5, 5], seed: 60)]) {
        $0[0].averagePool(kernel: 3, stride: 1)
    },
    // A⁻¹B with A kept well away from singular (its random part plus 4I), so h = 1e-6 stays linear.
    TensorCase(
        name: "solve, a 3×3 system with two right-hand sides",
        inputs: [array([3, 3], seed: 63), array([3, 2], seed: 64)]
    ) {
        ($0[0] + $0[0].tape.input([[4, 0, 0], [0, 4, 0], [0, 0, 4]])).solving($0[1])
    },
    TensorCase(
        name: "solve, the normal equations of a fit", inputs: [array([6, 3], seed: 65), array([6, 1], seed: 66)]
    ) {
        $0[0].transposed.matmul($0[0]).solving($0[0].transposed.matmul($0[1]))
    },
    TensorCase(
        name: "a dense layer", inputs: [array([5, 3], seed: 39), array([3, 4], seed: 40), array([4], seed: 41)]
    ) {
        ($0[0].matmul($0[1]) + $0[2]).relu().softmax()
    },
]

@Suite("Tensor engine: every operation's gradient against central differences")
struct TensorGradientTests {
    /// Central difference with h = 1e-6: error O(h²) ≈ 1e-12 plus rounding ε·|f|/h ≈ 1e-10, so
    /// 1e-6 relative (and 1e-7 absolute near zero) is a safe bound with room to catch a wrong rule.
    @Test(arguments: tensorCases)
    func backwardMatchesFiniteDifferences(_ c: TensorCase) {
        let tape = TensorTape()
        let leaves = c.inputs.map { tape.input($0) }
        let loss = weightedLoss(c.f(leaves))
        tape.backward(from: loss)
        func evaluate(_ inputs: [NDArray]) -> Double {
            let t = TensorTape()
            return weightedLoss(c.f(inputs.map { t.input($0) })).value.scalars[0]
        }
        for (k, input) in c.inputs.enumerated() {
            let gradient = leaves[k].gradient.scalars
            for i in 0..<input.shape.count {
                let h = 1e-6
                var plus = input.scalars
                var minus = input.scalars
                plus[i] += h
                minus[i] -= h
                var shifted = c.inputs
                shifted[k] = NDArray(shape: input.shape, scalars: plus)
                let up = evaluate(shifted)
                shifted[k] = NDArray(shape: input.shape, scalars: minus)
                let estimate = (up - evaluate(shifted)) / (2 * h)
                #expect(
                    close(gradient[i], estimate, relative: 1e-6, within: 1e-7),
                    "\(c.name): input \(k)[\(i)] tape \(gradient[i]) vs \(estimate)")
            }
        }
    }

    @Test func everyOperationHasACase() {
        let covered = Set(
            tensorCases.flatMap { c -> [String] in
                let tape = TensorTape()
                _ = c.f(c.inputs.map { tape.input($0) })
                return (0..<tape.count).map { tape.operation(of: $0).name }
            })
        let all: Set<String> = [
            "leaf", "add", "subtract", "multiply", "divide", "negate", "exp", "log", "sigmoid", "tanh", "relu", "power",
            "matmul", "transpose", "reshape", "slice", "concat", "sum", "softmax", "logSoftmax", "crossEntropy",
            "dropout", "batchNorm", "conv2d", "maxPool", "averagePool", "solve",
        ]
        #expect(all.subtracting(covered).isEmpty, "operations without a case: \(all.subtracting(covered))")
    }
}

@Suite("Tensor engine: values, shapes and their errors")
struct TensorShapeTests {
    @Test func broadcastingFollowsNumPy() throws {
        #expect(try Shape.broadcast([2, 3], [3], in: "add") == [2, 3])
        #expect(try Shape.broadcast([4, 1], [1, 5], in: "multiply") == [4, 5])
        #expect(try Shape.broadcast(.scalar, [2, 2], in: "add") == [2, 2])
        #expect(
            throws: ShapeError(
                "add: shapes 2×3 and 2 do not broadcast: axis 1 has 3 against 2 (each pair must agree, or one be 1)")
        ) {
            try Shape.broadcast([2, 3], [2], in: "add")
        }
    }

    @Test func aMismatchedProductStopsNamingBothShapesAndTheOperation() async {
        await #expect(processExitsWith: .failure) {
            let tape = TensorTape()
            _ = tape.input([[1, 2, 3], [4, 5, 6]]).matmul(tape.input([[1, 2], [3, 4]]))
        }
    }

    /// The classic vertical-edge example (002): a 6×6 image, bright left half, with the kernel
    /// [1 0 −1] in each row: 30 where the edge is, 0 elsewhere.
    @Test func aVerticalEdgeLightsUpTheMiddle() {
        let tape = TensorTape()
        let image = tape.input(NDArray(shape: [1, 1, 6, 6], scalars: (0..<36).map { $0 % 6 < 3 ? 10 : 0 }))
        let kernel = tape.input(NDArray(shape: [1, 1, 3, 3], scalars: [1, 0, -1, 1, 0, -1, 1, 0, -1]))
        let out = image.conv2d(kernel)
        #expect(out.shape == [1, 1, 4, 4])
        #expect(out.value.rows == Array(repeating: [0, 30, 30, 0], count: 4))
        let pooled = tape.input(NDArray(shape: [1, 1, 2, 4], scalars: [1, 5, 2, 0, 3, 4, 8, 6])).maxPool(kernel: 2)
        #expect(pooled.value.scalars == [5, 8])
    }

    /// conv2d against the definition, y[n, f, i, j] = Σ_{c,u,v} x[n, g·C/G + c, iS + u − P, jS + v − P]·w[f, c, u, v]
    /// (zero outside the image), summed here in plain loops: finite differences cannot see a forward
    /// pass that reads the wrong pixel, since its backward pass adds to the same wrong pixel.
    @Test(arguments: [
        ([1, 1, 5, 5], [2, 1, 3, 3], 1, 0, 1), ([2, 3, 6, 5], [4, 3, 3, 3], 2, 1, 1),
        ([1, 2, 3, 2], [3, 2, 5, 5], 2, 2, 1),
        ([1, 2, 2, 3], [3, 2, 5, 4], 1, 2, 1), ([2, 4, 7, 6], [4, 1, 3, 3], 3, 1, 4),
        ([1, 4, 5, 5], [6, 2, 2, 3], 1, 1, 2),
    ])
    func conv2dIsTheSumOfProducts(input: [Int], filters: [Int], stride: Int, padding: Int, groups: Int) {
        let tape = TensorTape()
        let (x, w) = (array(Shape(input), seed: 70), array(Shape(filters), seed: 71))
        let y = tape.input(x).conv2d(tape.input(w), stride: stride, padding: padding, groups: groups)
        let (n, c, h, width, f, kh, kw) = (input[0], input[1], input[2], input[3], filters[0], filters[2], filters[3])
        let (oh, ow) = ((h + 2 * padding - kh) / stride + 1, (width + 2 * padding - kw) / stride + 1)
        #expect(y.shape == Shape([n, f, oh, ow]))
        var worst = 0.0
        for image in 0..<n {
            for filter in 0..<f {
                for i in 0..<oh {
                    for j in 0..<ow {
                        var total = 0.0
                        let group = filter / (f / groups)
                        for channel in 0..<(c / groups) {
                            for u in 0..<kh {
                                for v in 0..<kw {
                                    let (row, column) = (i * stride + u - padding, j * stride + v - padding)
                                    guard (0..<h).contains(row), (0..<width).contains(column) else { continue }
                                    total +=
                                        x.scalars[
                                            ((image * c + group * (c / groups) + channel) * h + row) * width + column]
                                        * w.scalars[((filter * (c / groups) + channel) * kh + u) * kw + v]
                                }
                            }
                        }
                        worst = max(worst, abs(total - y.value.scalars[((image * f + filter) * oh + i) * ow + j]))
                    }
                }
            }
        }
        #expect(worst < 1e-13, "largest difference \(worst)")
    }

    @Test func convolutionGeometryIsCheckedWithItsRule() {
        #expect(
            throws: ShapeError("conv2d: a 7×7 kernel is larger than the padded 5×5 input (input 1×1×5×5, padding 0)")
        ) {
            try Convolution.geometry([1, 1, 5, 5], [1, 1, 7, 7], stride: 1, padding: 0, groups: 1)
        }
        #expect(throws: ShapeError.self) {
            try Convolution.geometry([1, 3, 5, 5], [2, 2, 3, 3], stride: 1, padding: 0, groups: 1)
        }
        #expect(throws: ShapeError.self) {
            try Convolution.geometry([1, 1, 5, 5], [1, 1, 3, 3], stride: 0, padding: 0, groups: 1)
        }
    }

    @Test func valuesAreTheFunctions() {
        let tape = TensorTape()
        let W = tape.input([[1, 2], [3, 4]])
        let x = tape.input([[5], [6]])
        #expect(W.matmul(x).value == NDArray([[17], [39]]))
        #expect(W.transposed.value == NDArray([[1, 3], [2, 4]]))
        #expect((W + tape.input(vector: [10, 20])).value == NDArray([[11, 22], [13, 24]]))
        #expect(W.sum(axes: [0]).value.scalars == [4, 6] && W.mean().value.scalars == [2.5])
        let p = tape.input([[2.0, 1.0, 0.1]]).softmax().value.scalars
        let e = [exp(2.0), exp(1.0), exp(0.1)]
        let total = e.reduce(0, +)
        #expect(zip(p, e).allSatisfy { close($0, $1 / total, within: 1e-15) })
    }

    /// 003's translation invariance, and the stable form where the naive one overflows.
    /// 2x + y = 3 and x + 3y = 5: x = 0.8, y = 1.4; and a zero in the corner, which only a row
    /// exchange gets past: [[0, 1], [1, 0]]X = B swaps B's rows.
    @Test func solveIsTheSolutionWithRowsExchangedWhenTheyMustBe() {
        let tape = TensorTape()
        let x = tape.input([[2, 1], [1, 3]]).solving(tape.input([[3], [5]]))
        #expect(close(x.value.scalars[0], 0.8, within: 1e-15) && close(x.value.scalars[1], 1.4, within: 1e-15))
        let swapped = tape.input([[0, 1], [1, 0]]).solving(tape.input([[1, 2], [3, 4]]))
        #expect(swapped.value.rows == [[3, 4], [1, 2]])
        // A singular A is trouble the tape reports, not a crash.
        _ = tape.input([[1, 2], [2, 4]]).solving(tape.input([[1], [1]]))
        #expect(tape.firstNonFinite != nil)
        #expect(
            tape.formula(of: x)
                == .apply(.matrixProduct, [.apply(.power, [.name(x.id - 2), .number(-1)]), .name(x.id - 1)]))
    }

    @Test func softmaxIsStableAtLargeLogits() {
        let tape = TensorTape()
        let large = tape.input([[1000, 1001, 1002]]).softmax().value.scalars
        let small = tape.input([[0, 1, 2]]).softmax().value.scalars
        #expect(zip(large, small).allSatisfy { close($0, $1, within: 1e-15) } && large.allSatisfy(\.isFinite))
        #expect(exp(1000.0).isInfinite, "the naive form has nothing to divide")
    }

    @Test func theSameMaskDropsTheSameEntries() {
        var a = SeededGenerator(seed: 3)
        var b = SeededGenerator(seed: 3)
        let tape = TensorTape()
        let x = tape.input(array([4, 5], seed: 1))
        #expect(x.dropout(keep: 0.5, using: &a).value == x.dropout(keep: 0.5, using: &b).value)
    }

    @Test func batchNormNormalisesEachColumn() {
        let tape = TensorTape()
        var seen: (mean: [Double], variance: [Double]) = ([], [])
        let y = tape.input(array([6, 2], seed: 4, scale: 3, offset: 1))
            .batchNormalized(gamma: tape.input(vector: [1, 1]), beta: tape.input(vector: [0, 0]), epsilon: 0) {
                seen = $0
            }
        let columns = (0..<2).map { c in y.value.rows.map { $0[c] } }
        for column in columns {
            let mean = column.reduce(0, +) / 6
            #expect(
                abs(mean) < 1e-15 && close(column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 6, 1, within: 1e-12))
        }
        var running = RunningStatistics(features: 2, momentum: 0.9)
        running.update(with: seen)
        #expect(
            close(running.mean[0], 0.1 * seen.mean[0], within: 1e-15)
                && close(running.variance[1], 0.9 + 0.1 * seen.variance[1], within: 1e-15))
    }

    @Test func aClearedTapeKeepsItsStorage() {
        let tape = TensorTape()
        for round in 0..<3 {
            tape.clear()
            let x = tape.input([[Double(round), 1]])
            let loss = (x * x).sum()
            tape.backward(from: loss)
            #expect(tape.count == 3 && x.gradient.scalars == [2 * Double(round), 2])
        }
    }

    /// OpenBLAS is loaded at first use, not linked: it must be found, and its products must be
    /// the loops' (up to rounding: it sums in another order) with each factor plain or transposed.
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func openBLASIsLoadedAndAgreesWithTheLoops(transposeA: Bool, transposeB: Bool) throws {
        try #require(BLAS.dgemm != nil, "libopenblas.so.0 loads (scripts/install-deps installs it)")
        let (m, k, n) = (17, 23, 19)
        let a = array([m, k], seed: 41).scalars
        let b = array([k, n], seed: 42).scalars
        var fromBLAS = array([m, n], seed: 43).scalars
        var fromLoops = fromBLAS
        MatrixProduct.gemm(
            a, transposeA: transposeA, b, transposeB: transposeB, into: &fromBLAS, m: m, k: k, n: n, accumulate: true)
        MatrixProduct.loops(
            a, transposeA: transposeA, b, transposeB: transposeB, into: &fromLoops, m: m, k: k, n: n, accumulate: true)
        for (x, y) in zip(fromBLAS, fromLoops) { #expect(close(x, y, relative: 1e-13)) }
        #expect(fromBLAS != array([m, n], seed: 43).scalars, "the product was added")
    }
}
