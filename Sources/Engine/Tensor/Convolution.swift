/// Convolution and pooling over a batch of images, N×C×H×W, with their backward rules.
///
/// conv2d is cross-correlation, as in every deep-learning framework (003: "the actual operation
/// performed is correlation"): out[n, f, i, j] = b[f] + Σ_{c,u,v} w[f, c, u, v]·x[n, c, iS + u − P, jS + v − P].
/// It is computed as a matrix product (im2col): each window of the input becomes a column, so all
/// outputs of one image and group are W·cols in one BLAS call, and the backward pass is two more:
/// ∂/∂W = G·colsᵀ and ∂/∂cols = Wᵀ·G, the latter folded back onto the input. The columns are kept
/// for the backward pass. With groups, each group of channels has its own filters (groups = C is
/// the depthwise convolution of separable convolutions).
public enum Convolution {
    /// The geometry of one convolution.
    struct Geometry {
        let n, c, h, w, f, kh, kw, stride, padding, groups, oh, ow: Int
        var cg: Int { c / groups }
        var fg: Int { f / groups }
        /// Rows of one group's column matrix: its channels times the kernel's cells.
        var rows: Int { cg * kh * kw }
        var columns: Int { oh * ow }
    }

    /// The output size along one axis, ⌊(W + 2P − K)/S⌋ + 1; nil where no window fits: a kernel
    /// larger than the padded input, a stride below 1, a negative padding, an empty input or kernel.
    ///
    ///     Convolution.outputSize(input: 7, kernel: 3, padding: 1, stride: 2)   // 4
    ///     Convolution.outputSize(input: 2, kernel: 5, padding: 1, stride: 1)   // nil
    public static func outputSize(input: Int, kernel: Int, padding: Int, stride: Int) -> Int? {
        guard input >= 1, kernel >= 1, stride >= 1, padding >= 0, kernel <= input + 2 * padding else { return nil }
        return (input + 2 * padding - kernel) / stride + 1
    }

    static func geometry(_ x: Shape, _ w: Shape, stride: Int, padding: Int, groups: Int) throws(ShapeError) -> Geometry
    {
        guard x.rank == 4 else { throw ShapeError("conv2d: input of shape \(x): expected images N×C×H×W") }
        guard w.rank == 4 else { throw ShapeError("conv2d: filters of shape \(w): expected F×(C/groups)×KH×KW") }
        guard stride >= 1 else { throw ShapeError("conv2d: stride \(stride): it must be at least 1") }
        guard padding >= 0 else { throw ShapeError("conv2d: padding \(padding): it cannot be negative") }
        guard groups >= 1, x[1] % groups == 0, w[0] % groups == 0 else {
            throw ShapeError(
                "conv2d: \(groups) groups must divide the input's \(x[1]) channels and the \(w[0]) filters")
        }
        guard w[1] == x[1] / groups else {
            throw ShapeError(
                """
                conv2d: filters of shape \(w) read \(w[1]) channels, but input \
                \(x) has \(x[1]) in \(groups) group(s) of \(x[1] / groups)
                """
            )
        }
        guard w[2] <= x[2] + 2 * padding, w[3] <= x[3] + 2 * padding else {
            throw ShapeError(
                """
                conv2d: a \(w[2])×\(w[3]) kernel is larger than the padded \
                \(x[2] + 2 * padding)×\(x[3] + 2 * padding) input (input \(x), padding \(padding))
                """
            )
        }
        return Geometry(
            n: x[0], c: x[1], h: x[2], w: x[3], f: w[0], kh: w[2], kw: w[3], stride: stride, padding: padding,
            groups: groups,
            oh: outputSize(input: x[2], kernel: w[2], padding: padding, stride: stride)!,
            ow: outputSize(input: x[3], kernel: w[3], padding: padding, stride: stride)!)
    }

    /// The output columns j whose input column jS + v − P falls inside the image: the rest read padding.
    @inline(__always)
    static func inside(_ v: Int, _ g: Geometry) -> Range<Int> {
        // j·S + v − P ≥ 0 and ≤ W − 1; Swift's division truncates, so a negative bound is taken apart.
        let low = max(0, (g.padding - v + g.stride - 1) / g.stride)
        let last = g.w - 1 + g.padding - v
        let high = last < 0 ? 0 : min(g.ow, last / g.stride + 1)
        return low < high ? low..<high : 0..<0
    }

    /// The columns of image `n`, group `g`: row (c, u, v), column (i, j) holds x[n, c, iS + u − P, jS + v − P] (0 outside).
    static func im2col(
        _ x: UnsafePointer<Double>, _ g: Geometry, image n: Int, group: Int, into cols: UnsafeMutablePointer<Double>
    ) {
        for c in 0..<g.cg {
            let channel = x + ((n * g.c) + group * g.cg + c) * g.h * g.w
            for u in 0..<g.kh {
                for v in 0..<g.kw {
                    let row = cols + ((c * g.kh + u) * g.kw + v) * g.columns
                    let js = inside(v, g)
                    for i in 0..<g.oh {
                        let y = i * g.stride + u - g.padding
                        let line = row + i * g.ow
                        guard y >= 0 && y < g.h, !js.isEmpty else {
                            line.update(repeating: 0, count: g.ow)
                            continue
                        }
                        line.update(repeating: 0, count: js.lowerBound)
                        let source = channel + y * g.w + js.lowerBound * g.stride + v - g.padding
                        if g.stride == 1 {
                            (line + js.lowerBound).update(from: source, count: js.count)
                        } else {
                            for j in 0..<js.count { line[js.lowerBound + j] = source[j * g.stride] }
                        }
                        (line + js.upperBound).update(repeating: 0, count: g.ow - js.upperBound)
                    }
                }
            }
        }
    }

    /// The reverse of im2col: each column entry's gradient added back to the input cell it came from.
    static func col2im(
        _ cols: UnsafePointer<Double>, _ g: Geometry, image n: Int, group: Int, into x: UnsafeMutablePointer<Double>
    ) {
        for c in 0..<g.cg {
            let channel = x + ((n * g.c) + group * g.cg + c) * g.h * g.w
            for u in 0..<g.kh {
                for v in 0..<g.kw {
                    let row = cols + ((c * g.kh + u) * g.kw + v) * g.columns
                    let js = inside(v, g)
                    for i in 0..<g.oh {
                        let y = i * g.stride + u - g.padding
                        guard y >= 0 && y < g.h else { continue }
                        let line = row + i * g.ow + js.lowerBound
                        let target = channel + y * g.w + js.lowerBound * g.stride + v - g.padding
                        for j in 0..<js.count { target[j * g.stride] += line[j] }
                    }
                }
            }
        }
    }

    static func backward(
        _ op: TensorOp, _ node: TensorTape.Node, _ inputs: [TensorTape.Node], _ value: UnsafeBufferPointer<Double>,
        _ gradient: UnsafeMutableBufferPointer<Double>, _ saved: UnsafeBufferPointer<Double>
    ) {
        switch op {
        case .conv2d(let stride, let padding, let groups):
            let (x, w) = (inputs[0], inputs[1])
            let g = try! geometry(x.shape, w.shape, stride: stride, padding: padding, groups: groups)
            let base = gradient.baseAddress!
            let values = value.baseAddress!
            var dcols = [Double](repeating: 0, count: g.rows * g.columns)
            for n in 0..<g.n {
                for group in 0..<g.groups {
                    let out = base + node.offset + ((n * g.f) + group * g.fg) * g.columns  // G: fg × columns
                    let cols = saved.baseAddress! + node.auxiliary + ((n * g.groups) + group) * g.rows * g.columns
                    let filters = values + w.offset + group * g.fg * g.rows  // W: fg × rows
                    // ∂/∂W += G colsᵀ;  ∂/∂cols = Wᵀ G, folded back onto the input.
                    MatrixProduct.gemm(
                        out, transposeA: false, cols, transposeB: true, into: base + w.offset + group * g.fg * g.rows,
                        m: g.fg, k: g.columns, n: g.rows, accumulate: true)
                    dcols.withUnsafeMutableBufferPointer { d in
                        MatrixProduct.gemm(
                            filters, transposeA: true, out, transposeB: false, into: d.baseAddress!,
                            m: g.rows, k: g.fg, n: g.columns, accumulate: false)
                        col2im(d.baseAddress!, g, image: n, group: group, into: base + x.offset)
                    }
                }
                if inputs.count > 2 {
                    for f in 0..<g.f {
                        var total = 0.0
                        for k in 0..<g.columns { total += gradient[node.offset + (n * g.f + f) * g.columns + k] }
                        gradient[inputs[2].offset + f] += total
                    }
                }
            }
        case .pool(let kernel, let stride, let maximum):
            let x = inputs[0]
            let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
            let (oh, ow) = (node.shape[2], node.shape[3])
            for plane in 0..<(n * c) {
                for i in 0..<oh {
                    for j in 0..<ow {
                        let k = node.offset + (plane * oh + i) * ow + j
                        let g = gradient[k]
                        if maximum {
                            // The gradient goes to the window's largest entry, whose place was saved.
                            gradient[x.offset + Int(saved[node.auxiliary + k - node.offset])] += g
                        } else {
                            for u in 0..<kernel {
                                for v in 0..<kernel {
                                    gradient[x.offset + (plane * h + i * stride + u) * w + j * stride + v] +=
                                        g / Double(kernel * kernel)
                                }
                            }
                        }
                    }
                }
            }
        default: preconditionFailure("\(op.name) is not a convolution")
        }
    }
}

extension Tensor {
    /// 2-D convolution (cross-correlation) of images N×C×H×W with filters F×(C/groups)×KH×KW and an
    /// optional bias of F: output N×F×OH×OW with OH = ⌊(H + 2P − KH)/S⌋ + 1.
    public func conv2d(_ filters: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0, groups: Int = 1)
        -> Tensor
    {
        let g = checked { () throws(ShapeError) in
            try Convolution.geometry(shape, filters.shape, stride: stride, padding: padding, groups: groups)
        }
        if let bias {
            precondition(
                bias.shape == [g.f],
                "conv2d: a bias of shape \(bias.shape) for \(g.f) filters (expected \(Shape([g.f])))")
        }
        let (xo, wo) = (tape.nodes[id].offset, tape.nodes[filters.id].offset)
        let bo = bias.map { tape.nodes[$0.id].offset }
        let parts = bias.map { [self, filters, $0] } ?? [self, filters]
        return tape.record(
            .conv2d(stride: stride, padding: padding, groups: groups), joining: parts, shape: [g.n, g.f, g.oh, g.ow],
            auxiliaryCount: g.n * g.groups * g.rows * g.columns
        ) { out, arena, saved in
            for n in 0..<g.n {
                for group in 0..<g.groups {
                    let cols = saved.baseAddress! + ((n * g.groups) + group) * g.rows * g.columns
                    Convolution.im2col(arena.baseAddress! + xo, g, image: n, group: group, into: cols)
                    MatrixProduct.gemm(
                        arena.baseAddress! + wo + group * g.fg * g.rows, transposeA: false, cols, transposeB: false,
                        into: out.baseAddress! + ((n * g.f) + group * g.fg) * g.columns, m: g.fg, k: g.rows,
                        n: g.columns,
                        accumulate: false)
                }
                if let bo {
                    for f in 0..<g.f { for k in 0..<g.columns { out[(n * g.f + f) * g.columns + k] += arena[bo + f] } }
                }
            }
        }
    }

    /// Max pooling (the largest entry of each K×K window, stepping by `stride`) over N×C×H×W.
    public func maxPool(kernel: Int, stride: Int? = nil) -> Tensor {
        pool(kernel: kernel, stride: stride ?? kernel, maximum: true)
    }

    /// Average pooling (the mean of each K×K window).
    public func averagePool(kernel: Int, stride: Int? = nil) -> Tensor {
        pool(kernel: kernel, stride: stride ?? kernel, maximum: false)
    }

    private func pool(kernel: Int, stride: Int, maximum: Bool) -> Tensor {
        let s = shape
        let name = maximum ? "maxPool" : "averagePool"
        precondition(s.rank == 4, "\(name): input of shape \(s): expected N×C×H×W")
        precondition(kernel >= 1 && stride >= 1, "\(name): kernel \(kernel) and stride \(stride) must be at least 1")
        precondition(
            kernel <= s[2] && kernel <= s[3],
            "\(name): a \(kernel)×\(kernel) window is larger than the \(s[2])×\(s[3]) input")
        let (h, w) = (s[2], s[3])
        let oh = Convolution.outputSize(input: h, kernel: kernel, padding: 0, stride: stride)!
        let ow = Convolution.outputSize(input: w, kernel: kernel, padding: 0, stride: stride)!
        let source = tape.nodes[id].offset
        let result = Shape([s[0], s[1], oh, ow])
        return tape.record(
            .pool(kernel: kernel, stride: stride, maximum: maximum), self, shape: result,
            auxiliaryCount: maximum ? result.count : 0
        ) { out, arena, saved in
            for plane in 0..<(s[0] * s[1]) {
                for i in 0..<oh {
                    for j in 0..<ow {
                        var (best, place, total) = (-Double.infinity, 0, 0.0)
                        for u in 0..<kernel {
                            for v in 0..<kernel {
                                let at = (plane * h + i * stride + u) * w + j * stride + v
                                let x = arena[source + at]
                                total += x
                                if x > best { (best, place) = (x, at) }
                            }
                        }
                        let k = (plane * oh + i) * ow + j
                        out[k] = maximum ? best : total / Double(kernel * kernel)
                        if maximum { saved[k] = Double(place) }
                    }
                }
            }
        }
    }
}
