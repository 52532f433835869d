import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// Convolution arithmetic from 003_d0f05d757d73cc3f.txt (output size, padding, receptive field,
    /// pooling, separable convolutions), 001 (why a dense layer on an image is hopeless), 002 (vertical
    /// edges) and 004 (LeNet-5), with the parameter counts of LeNet-5, AlexNet and VGG16.
    public static let convSizes = Lesson(
        name: "conv-sizes",
        title:
            """
            Convolution arithmetic: output sizes, padding, receptive \
            fields, LeNet-5, AlexNet and VGG16, worked convolutions
            """,
        parameters: [
            .integer("W", 7, in: 1...4096, "input width (and height) in pixels"),
            .integer("K", 3, in: 1...4096, "kernel size"),
            .integer("P", 1, in: 0...2048, "padding on each side"),
            .integer("S", 2, in: 1...4096, "stride"),
            .integer("channels_in", 32, in: 1...512, "input channels, for the separable and 1×1 convolutions"),
            .integer("channels_out", 64, in: 1...512, "output channels, for the separable and 1×1 convolutions"),
            .integer("image", 512, in: 1...4096, "side of the square image fed to a dense layer (001: 512)"),
            .digits(6),
        ],
        check: { p in
            let (w, k, pad) = (p.integer("W"), p.integer("K"), p.integer("P"))
            return k <= w + 2 * pad
                ? nil
                : "K=\(k) does not fit: the kernel must be at most the padded input, W + 2P = \(w) + 2·\(pad) = \(w + 2 * pad)"
        },
        build: ConvSizes.build
    ).regimes([
        Regime(
            ["W=8", "K=3", "P=0", "S=2"],
            "a stride that does not divide W + 2P − K: the floor leaves the far edge unread"),
        Regime(["K=2"], "an even kernel: same padding cannot pad both sides alike"),
        Regime(["S=1", "P=1"], "stride 1 and padding (K − 1)/2: the size stays"),
    ]).varying(
        [
            Variation("W", 5...32, step: 1), Variation("K", 1...7, step: 2), Variation("P", 0...3, step: 1),
            Variation("S", 1...3, step: 1),
        ],
        soundWhen: { p in
            // At least two windows along each axis, and a padding no wider than the kernel's reach.
            let out = Convolution.outputSize(
                input: p.integer("W"), kernel: p.integer("K"), padding: p.integer("P"), stride: p.integer("S"))
            return (out ?? 0) >= 2 && p.integer("P") < p.integer("K")
        })
}

enum ConvSizes {
    static func build(_ p: Parameters) -> LessonResult {
        let (w, k, pad, s) = (p.integer("W"), p.integer("K"), p.integer("P"), p.integer("S"))
        // `check` made sure the kernel fits
        let out = Convolution.outputSize(input: w, kernel: k, padding: pad, stride: s)!
        let span = w + 2 * pad - k
        let dropped = span % s
        let format = NumberFormat(significantDigits: p.integer("digits"))
        let worked = workedConvolutions(format)
        let int = { (x: Int) in RichText.plain(x.formatted()) }
        let networks = [Architecture.lenet5, .alexnet, .vgg16]
        let twoGPUs = Architecture.alexnetTwoGPUs
        // AlexNet's first layer as 003 quotes it, against the layer as counted.
        let quoted = (input: 224, kernel: 11, stride: 4)
        let conv1 = networks[1].rows[1]

        var values = ExportedValues()
        values["out"] = .number(Double(out))
        for (key, net) in zip(["lenet5", "alexnet", "vgg16"], networks) {
            values["\(key).layers"] = .records(
                net.rows.map { row in
                    ExportedValues.Record([
                        "name": .text(row.name), "shape": .numbers(row.shape.map(Double.init)),
                        "weights": .number(Double(row.weights)), "biases": .number(Double(row.biases)),
                        "params": .number(Double(row.parameters)),
                    ])
                })
            values["\(key).total_params"] = .number(Double(net.totalParameters))
        }
        values["alexnet_two_gpus.total_params"] = .number(Double(twoGPUs.totalParameters))
        let side = p.integer("image")
        values["dense_weights"] = .number(pow(Double(side * side), 2))
        let separated = separable(p.integer("channels_in"), p.integer("channels_out"), k: max(1, min(k, 7)))
        values["normal_weights"] = .number(Double(separated.normal))
        values["separable_weights"] = .number(Double(separated.split))

        let report = Report(
            title: "Convolution arithmetic",
            subtitle:
                """
                How big a convolution’s output is, what a kernel sees, how many parameters \
                three famous networks have, and convolutions worked number by number.
                """,
            lesson: Lesson.convSizes.name,
            source:
                """
                Notes \(CourseNotes.cite("003")) (output size, padding, receptive field, pooling, AlexNet, \
                VGG, separable convolutions), \(CourseNotes.cite("001")) (a 512×512 image in a dense layer), \
                \(CourseNotes.cite("002")) (vertical edge detection), \(CourseNotes.cite("004")) (LeNet-5)
                """
        ) {
            Section("The output size") {
                """
                A kernel of size K slides over an input of size W, padded with P zeros on each \
                side, S pixels at a time. It fits ⌊(W + 2P − K)/S⌋ + 1 times along each axis, \
                the floor because a window that would run past the padded input is not taken:
                """
                Step(
                    "W = \(w), K = \(k), P = \(pad) on each side, S = \(s)", lhs: "out",
                    rhs: [
                        "⌊(W + 2P − K)/S⌋ + 1",
                        "⌊(" + int(w) + " + 2 × " + int(pad) + " − " + int(k) + ")/" + int(s) + "⌋ + 1",
                        "⌊" + int(span) + "/" + int(s) + "⌋ + 1", int(out),
                    ])
                """
                003 writes (W + P − K)/S + 1 with integer division, P the padding in total: with \
                P_{total} = 2P = \(2 * pad) it is (\(w) + \(2 * pad) − \(k))/\(s) + 1 = \(out), the \
                same. Read with P per side it would undercount the input by the padding of one side, \
                \(pad == 0 ? "which here is nothing" : "here by \(pad) pixel\(pad == 1 ? "" : "s")"): \
                the two forms agree only when P means the total, or when there is no padding.
                """
                if dropped == 0 {
                    """
                    Here the stride divides W + 2P − K = \(span): the last \
                    window ends exactly on the padded input’s last pixel.
                    """
                } else {
                    """
                    Here the stride does not divide W + 2P − K = \(span): \(dropped) pixel\(dropped == 1 ? "" : "s") \
                    at the far edge \(dropped == 1 ? "is" : "are") never read by a whole window, and the \
                    floor drops the positions that would need \(dropped == 1 ? "it" : "them").
                    """
                }
                if w + 2 * pad <= 24 {
                    coverage(w: w, k: k, pad: pad, s: s)
                }
            }
            Section("Padding and depth") {
                """
                Valid padding adds nothing (P = 0), and every layer shrinks the image by K − 1; same \
                padding adds P = (K − 1)/2 for an odd K at stride 1, and the size stays (003: “you \
                add a minimal padding, enabling the kernel to be applied an integer number of times”).
                """
                paddingTable(w: w, k: k, s: s)
                """
                Stacked, convolutions see more and more of the input. A neuron’s receptive field, \
                the input region it depends on (003), grows by (K − 1) times the layers’ combined \
                stride below each new layer, r_{l} = r_{l−1} + (K − 1)·j_{l−1}, with j_{l} = j_{l−1}·S:
                """
                receptiveTable(k: k, s: s)
                """
                Two stacked 3×3 layers see 5×5 and three see 7×7, with fewer weights than \
                one 5×5 or 7×7 kernel: VGG’s reason for using only 3×3 kernels (003: “the \
                introduction of smaller filters makes the receptive field more effective”).
                """
            }
            Section("LeNet-5, AlexNet and VGG16") {
                for net in networks { architectureTable(net) }
                """
                The totals: LeNet-5 \(int(networks[0].totalParameters)), AlexNet \
                \(int(networks[1].totalParameters)), VGG16 \(int(networks[2].totalParameters)) \
                parameters. LeNet-5 is counted with every filter reading every channel of the layer \
                below and with parameter-free max pooling, as 004 describes it; the 1998 paper’s \
                C3 reads chosen subsets of S2’s maps and its subsampling layers have a trainable weight and bias each.
                """
                Note("The notes’ comparison, checked", kind: .errata) {
                    """
                    003: “138M in VGG16 vs 60M of AlexNet”. VGG16 has \(int(networks[2].totalParameters)): 138M, as \
                    stated. AlexNet in one stream, as counted above, has \(int(networks[1].totalParameters)), about \
                    62M; the original trained on two GPUs, and conv2, conv4 and conv5 read only their own GPU’s half \
                    of the channels: \(int(twoGPUs.totalParameters)), the 60M of the paper and the notes. Either way \
                    the dense layers hold most of it: fc6 alone has \
                    \(int(networks[1].rows.first { $0.name == "fc6" }!.parameters)) in AlexNet and \
                    \(int(networks[2].rows.first { $0.name == "fc6" }!.parameters)) in VGG16.
                    """
                    "003 also gives AlexNet’s input as \(quoted.input)×\(quoted.input)×3 with an \(quoted.kernel)×\(quoted.kernel) kernel at stride \(quoted.stride): that is ⌊(\(quoted.input) − \(quoted.kernel))/\(quoted.stride)⌋ + 1 = \(Convolution.outputSize(input: quoted.input, kernel: quoted.kernel, padding: 0, stride: quoted.stride)!) positions, not the \(conv1.shape[0]) the network’s next layers expect; \(networks[1].input[0]) gives \(conv1.shape[0]). The \(quoted.input) comes from the original paper, whose figure has the same inconsistency."
                }
            }
            Section("Why convolutions") {
                denseAgainstConvolution(side)
                separated.blocks
            }
            Section("Convolutions worked by hand") {
                worked.blocks
            }
            Section("Pooling") {
                workedPooling(format)
            }
        }
        return LessonResult(
            lesson: Lesson.convSizes.name, parameters: p, report: report, values: values, recordings: worked.recordings)
    }

    /// How many windows cover each cell of the padded input, as a heatmap with its numbers.
    static func coverage(w: Int, k: Int, pad: Int, s: Int) -> [Block] {
        let size = w + 2 * pad
        let out = Convolution.outputSize(input: w, kernel: k, padding: pad, stride: s)!
        // One axis at a time: cell i is covered by the windows starting at a multiple of S in [i − K + 1, i].
        let along = (0..<size).map { i in (0..<out).filter { (($0 * s)...($0 * s + k - 1)).contains(i) }.count }
        let values = (0..<size).flatMap { r in (0..<size).map { c in Double(along[r] * along[c]) } }
        var field = Plot.Field(
            xs: (0..<size).map(Double.init), ys: (0..<size).map(Double.init), values: values, colors: .sequential,
            showValues: size <= 12)
        field.colorBar = "windows"
        let unread = values.contains(0) ? "; 0 marks pixels no window reads" : ""
        let figure = Figure(
            """
            How many of the \(out)×\(out) windows cover each pixel of the padded \(size)×\(size) input \
            (the padding is \(pad == 0 ? "none" : "the outer \(pad) ring\(pad == 1 ? "" : "s")"))\(unread).
            """,
            plot: Plot(
                x: "column", y: .init("row", reversed: true), equalAspect: true, legend: false,
                layers: [.heatmap(field)]))
        return figure.blocks
    }

    static func paddingTable(w: Int, k: Int, s: Int) -> Table {
        let same = (k - 1) / 2
        // "—" where the kernel does not fit the input padded this way: no output at all.
        func size(_ padding: Int, _ stride: Int) -> RichText {
            .plain(
                Convolution.outputSize(input: w, kernel: k, padding: padding, stride: stride).map(String.init) ?? "—")
        }
        let rows: [[RichText]] = [
            ["valid", "0", size(0, 1), size(0, s)], ["same", .plain("\(same)"), size(same, 1), size(same, s)],
        ]
        let notes =
            (k % 2 == 0 ? " An even kernel cannot pad the same on both sides: same padding rounds down here." : "")
            + (k > w ? " — : the kernel is larger than the input padded this way, and there is no output." : "")
        return Table(
            "Output sizes of a \(k)×\(k) kernel on a \(w)×\(w) input.\(notes)",
            columns: [
                .init("padding"), .init("P", alignment: .trailing), .init("stride 1", alignment: .trailing),
                .init("stride \(s)", alignment: .trailing),
            ], rows: rows)
    }

    static func receptiveTable(k: Int, s: Int) -> Table {
        // Up to six layers, fewer where r or j would pass Int.max (a stride of 4096 does by the sixth).
        func growth(_ k: Int, _ s: Int) -> [(r: Int, j: Int)] {
            var (r, j) = (1, 1)
            var layers: [(r: Int, j: Int)] = []
            for _ in 1...6 {
                let step = (k - 1).multipliedReportingOverflow(by: j)
                let next = j.multipliedReportingOverflow(by: s)
                let field = r.addingReportingOverflow(step.partialValue)
                if step.overflow || next.overflow || field.overflow { break }
                (r, j) = (field.partialValue, next.partialValue)
                layers.append((r, j))
            }
            return layers
        }
        let (mine, vgg) = (growth(k, s), growth(3, 1))
        let cut =
            mine.count < vgg.count
            ? " The table stops at \(mine.count) layers: the next would pass the largest 64-bit integer." : ""
        return Table(
            """
            The receptive field after l stacked layers, for this lesson’s \
            kernel and stride and for VGG’s 3×3 at stride 1.\(cut)
            """,
            columns: [
                .init("layers", alignment: .trailing), .init("r, \(k)×\(k) stride \(s)", alignment: .trailing),
                .init("jump", alignment: .trailing), .init("r, 3×3 stride 1", alignment: .trailing),
            ],
            rows: mine.indices.map { l in
                [
                    .plain("\(l + 1)"), .plain("\(mine[l].r)×\(mine[l].r)"), .plain("\(mine[l].j)"),
                    .plain("\(vgg[l].r)×\(vgg[l].r)"),
                ]
            })
    }

    static func architectureTable(_ net: Architecture) -> Table {
        let rows = net.rows
        return Table(
            """
            \(net.name), layer by layer: \(rows.first!.shape.map(String.init).joined(separator: "×")) \
            in, \(net.totalParameters.formatted()) parameters in all.
            """,
            columns: [
                .init("layer"), .init("kind"), .init("output", alignment: .trailing),
                .init("weights", alignment: .trailing),
                .init("biases", alignment: .trailing), .init("parameters", alignment: .trailing),
            ],
            rows: rows.map { row in
                [
                    .plain(row.name), .plain(row.description),
                    .plain(row.shape.map(String.init).joined(separator: "×")),
                    .plain(row.weights.formatted()), .plain(row.biases.formatted()), .plain(row.parameters.formatted()),
                ]
            } + [["total", "", "", "", "", .plain(net.totalParameters.formatted(), .bold)]])
    }

    static func denseAgainstConvolution(_ side: Int) -> [Block] {
        let pixels = Double(side * side)
        let dense = pixels * pixels
        let n = NumberFormat(significantDigits: 3)
        let cells: [any ReportContent] = [
            Paragraph(
                """
                001: a \(side)×\(side) image into a dense layer producing an output \
                of the same size connects every input pixel to every output pixel:
                """
            ),
            Step(lhs: "weights", rhs: ["(\(side) × \(side))" + RichText.plain("2", .raised), n.rich(dense)]).answered(
                "dense_weights", dense),
            Paragraph(
                (side == 512 ? "001 rounds it to " + NumberFormat(significantDigits: 1).rich(dense) + ". " : "")
                    + "A 3×3 convolution producing the same map has 9 weights and a bias, shared by every position: \(n.rich(dense / 9)) times fewer weights, and a shift of the image shifts its output (003: “a shift of the input results in a shift of the output”)."
            ),
        ]
        return cells.flatMap(\.blocks)
    }

    static func separable(_ cin: Int, _ cout: Int, k: Int) -> (blocks: [Block], normal: Int, split: Int) {
        // Both layers on a small input through the engine: same output shape, the filters' sizes are the weights.
        let tape = TensorTape()
        let x = tape.input(
            NDArray(shape: [1, cin, k + 2, k + 2], scalars: .init(repeating: 1, count: cin * (k + 2) * (k + 2))))
        let normal = tape.input(
            NDArray(shape: [cout, cin, k, k], scalars: .init(repeating: 0.01, count: cout * cin * k * k)))
        let depthwise = tape.input(NDArray(shape: [cin, 1, k, k], scalars: .init(repeating: 0.01, count: cin * k * k)))
        let pointwise = tape.input(
            NDArray(shape: [cout, cin, 1, 1], scalars: .init(repeating: 0.01, count: cout * cin)))
        let (plain, split) = (x.conv2d(normal), x.conv2d(depthwise, groups: cin).conv2d(pointwise))
        let (a, b) = (normal.shape.count, depthwise.shape.count + pointwise.shape.count)
        let cells: [any ReportContent] = [
            Paragraph(
                """
                A normal convolution from C_{in} = \(cin) to C_{out} = \(cout) channels with \(k)×\(k) \
                kernels mixes space and channels at once; a depthwise-separable one (003) first filters \
                each channel alone (depthwise, one \(k)×\(k) kernel per channel) and then mixes channels \
                with \(cout) 1×1 filters (pointwise). Run on the same input, both give a \(plain.shape.description) \
                output (the separable one \(split.shape.description)); their weights:
                """
            ),
            Table(
                "Weights of a normal and a depthwise-separable convolution (biases aside).",
                columns: [.init("convolution"), .init("weights", alignment: .trailing), .init("as a formula")],
                rows: [
                    ["normal", .plain(a.formatted()), "K^{2}·C_{in}·C_{out}"],
                    ["depthwise + pointwise", .plain(b.formatted()), "K^{2}·C_{in} + C_{in}·C_{out}"],
                    ["ratio", NumberFormat(significantDigits: 3).rich(Double(b) / Double(a)), "1/C_{out} + 1/K^{2}"],
                ]),
            Paragraph(
                """
                The pointwise step is a 1×1 convolution: at each pixel it takes a weighted sum of the \(cin) \
                channels, \(cout) times over, so it changes the depth (here \(cin) → \(cout)) and leaves the \
                image size alone, with C_{in}·C_{out} = \(pointwise.shape.count.formatted()) weights (003: \
                a 1×1 convolution “operates on the depth”, like a learned principal-component projection).
                """
            ),
        ]
        return (cells.flatMap(\.blocks), a, b)
    }

    /// One N×C×H×W map (its first image and channel) as a heatmap with its numbers, row 0 on top.
    static func heatmap(
        _ array: NDArray, _ title: RichText, colors: Plot.Field.Colors, colorRange: ClosedRange<Double>? = nil
    ) -> Plot {
        let (h, w) = (array.shape[2], array.shape[3])
        var field = Plot.Field(
            xs: (0..<w).map(Double.init), ys: (0..<h).map(Double.init), values: Array(array.scalars.prefix(h * w)),
            colors: colors, showValues: true)
        field.colorRange = colorRange
        return Plot(
            title: title, x: "column", y: .init("row", reversed: true), equalAspect: true, legend: false,
            layers: [.heatmap(field)])
    }

    /// The 6×6 image of 002's vertical-edge example, its 3×3 kernel, and 003's derivative filter [−1 0 1].
    /// The worked convolutions' blocks, and their tapes for `lessons graph`: the output cell as a
    /// sum of products (the main graph) and the two feature maps (`map.y`, `map.slope`).
    static func workedConvolutions(_ format: NumberFormat) -> (blocks: [Block], recordings: [Recording]) {
        let tape = TensorTape()
        let pixels = (0..<36).map { $0 % 6 < 3 ? 10.0 : 0 }
        let image = tape.input(NDArray(shape: [1, 1, 6, 6], scalars: pixels)).labeled("x")
        let edge = tape.input(NDArray(shape: [1, 1, 3, 3], scalars: [1, 0, -1, 1, 0, -1, 1, 0, -1])).labeled("k")
        let derivative = tape.input(NDArray(shape: [1, 1, 1, 3], scalars: [-1, 0, 1])).labeled("d")
        let edges = image.conv2d(edge).labeled("y")
        // The prose's sizes, read from the tensors the engine convolves, not typed beside them.
        let (side, reach) = (image.shape[2], edge.shape[2])
        let slope = image.conv2d(derivative).labeled("slope")
        func heat(_ array: NDArray, _ title: RichText) -> Plot { heatmap(array, title, colors: .diverging) }
        // One output cell of the edge map, worked on the scalar tape from the window and the kernel.
        let (row, column) = (0, 1)
        let scalars = Tape()
        let window = (0..<3).flatMap { u in
            (0..<3).map { v in scalars.input(pixels[(row + u) * 6 + column + v], "x\(row + u)\(column + v)") }
        }
        let weights = (0..<3).flatMap { u in (0..<3).map { v in scalars.input([1.0, 0, -1][v], "k\(u)\(v)") } }
        let products = zip(window, weights).map { $0 * $1 }
        let cell = products.dropFirst().reduce(products[0], +).labeled("y\(row)\(column)")
        let n = Notation(tape: scalars, format: format)
        let engineCell = edges.value.scalars[row * 4 + column]
        let cells: [any ReportContent] = [
            Paragraph(
                """
                002’s vertical-edge detection: a \(side)×\(side) image, bright (10) on the left \
                half and dark (0) on the right, convolved with a \(reach)×\(reach) kernel whose \
                columns are 1, 0 and −1. Without padding the output is ⌊(\(side) − \(reach))/1⌋ + \
                1 = \(edges.shape[2]) wide; it is large exactly where the window straddles the edge:
                """
            ),
            Figure(
                "The image, the vertical-edge kernel and the feature map the engine’s conv2d computes.",
                panels: Panels(
                    columns: 3, sharedX: false, sharedY: false,
                    plots: [
                        heat(image.value, "input x"), heat(edge.value, "kernel k"),
                        heat(edges.value, "feature map y = x ∗ k"),
                    ])),
            Paragraph(
                """
                Each output cell is the sum of the products of the window under the kernel with the \
                kernel (cross-correlation, as every framework computes it; 003 notes the kernel would \
                be flipped for a convolution proper). The cell in row \(row), column \(column) reads \
                the window of rows \(row)–\(row + 2) and columns \(column)–\(column + 2), x_{ij} the \
                pixel in row i and column j, k_{uv} the kernel’s entry in row u and column v:
                """
            ),
            n.step(cell),
            Paragraph("The engine’s conv2d gives \(n.number(engineCell)) there too."),
            Paragraph(
                """
                003’s derivative filter [−1 0 1] is (f(x + 1) − f(x − 1)), twice the central \
                difference at h = 1 pixel: on the same image it marks the edge with a step \
                of −10 in each row, where the right neighbour is dark and the left bright:
                """
            ),
            Figure(
                "003’s derivative filter on the same image.",
                panels: Panels(
                    columns: 3, sharedX: false, sharedY: false,
                    plots: [
                        heat(image.value, "input x"), heat(derivative.value, "kernel [−1 0 1]"),
                        heat(slope.value, "x ∗ [−1 0 1]"),
                    ])),
        ]
        let maps = TensorNotation(tape: tape, format: format)
        return (
            cells.flatMap(\.blocks),
            [Recording(notation: n, output: cell), Recording(notation: maps, output: edges, prefix: "map.")]
        )
    }

    static func workedPooling(_ n: NumberFormat) -> [Block] {
        let tape = TensorTape()
        let grid: [Double] = [1, 3, 2, 4, 5, 6, 1, 2, 7, 2, 9, 0, 3, 4, 1, 8]
        let x = tape.input(NDArray(shape: [1, 1, 4, 4], scalars: grid))
        let (maxima, means) = (x.maxPool(kernel: 2), x.averagePool(kernel: 2))
        // One colour scale for the map and both poolings: equal numbers, equal colours.
        func heat(_ array: NDArray, _ title: RichText) -> Plot {
            heatmap(array, title, colors: .sequential, colorRange: grid.min()!...grid.max()!)
        }
        let window = [grid[0], grid[1], grid[4], grid[5]]
        let list = window.dropFirst().reduce(n.rich(window[0])) { $0 + ", " + n.rich($1) }
        let cells: [any ReportContent] = [
            Paragraph(
                """
                A pooling layer shrinks each feature map on its own (004: it “operates over \
                each activation map independently”): max pooling keeps the largest value of \
                each window, average pooling their mean. 2×2 windows at stride 2 halve a 4×4 map:
                """
            ),
            Figure(
                "A 4×4 map, max-pooled and average-pooled with 2×2 windows at stride 2.",
                panels: Panels(
                    columns: 3, sharedX: false, sharedY: false,
                    plots: [
                        heat(x.value, "input"), heat(maxima.value, "max pooling"), heat(means.value, "average pooling"),
                    ])),
            Step(
                "The top-left window, rows 0–1 and columns 0–1", lhs: "max",
                rhs: ["max(" + list + ")", n.rich(maxima.value.scalars[0])]),
            Step(
                lhs: "mean",
                rhs: [
                    "(" + window.dropFirst().reduce(n.rich(window[0])) { $0 + " + " + n.rich($1) } + ")/4",
                    n.rich(means.value.scalars[0]),
                ]),
            Paragraph(
                """
                Max pooling has no weights; its gradient goes only to each window’s largest entry, which is also why \
                a small shift of the input often leaves its output unchanged (some tolerance to translation, 003).
                """
            ),
        ]
        return cells.flatMap(\.blocks)
    }
}
