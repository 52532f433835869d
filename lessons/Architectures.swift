import Engine

/// A convolutional network as a list of layers, walked from its input to count each layer's
/// output shape, weights and biases, with the engine's own output-size rule (the one conv2d uses).
///
///     Architecture.lenet5.rows.last!.shape      // [10]
///     Architecture.vgg16.totalParameters        // 138357544
struct Architecture: Sendable {
    enum Layer: Sendable {
        case conv(String, filters: Int, kernel: Int, stride: Int = 1, padding: Int = 0, groups: Int = 1)
        case pool(String, kernel: Int, stride: Int)
        case flatten
        case dense(String, units: Int)
    }

    struct Row: Sendable {
        let name: String
        let description: String
        /// Height, width, channels; or units once flattened.
        let shape: [Int]
        let weights: Int
        let biases: Int
        var parameters: Int { weights + biases }
    }

    let name: String
    /// Height, width, channels.
    let input: [Int]
    let layers: [Layer]

    var rows: [Row] {
        var shape = input
        var rows = [Row(name: "input", description: "", shape: input, weights: 0, biases: 0)]
        for layer in layers {
            switch layer {
            case .conv(let name, let filters, let k, let s, let p, let groups):
                let (h, w, c) = (shape[0], shape[1], shape[2])
                shape = [
                    Convolution.outputSize(input: h, kernel: k, padding: p, stride: s)!,
                    Convolution.outputSize(input: w, kernel: k, padding: p, stride: s)!, filters,
                ]
                // Each filter reads its group's c/groups channels through a k×k window.
                // A word and its number are one unit of the cell (no-break spaces): a narrow column
                // wraps between "3×3," and "stride 2", never leaving a lone "2" on a line.
                rows.append(
                    Row(
                        name: name,
                        description: "\(filters)\u{00A0}filters \(k)×\(k)" + (s > 1 ? ", stride\u{00A0}\(s)" : "")
                            + (p > 0 ? ", padding\u{00A0}\(p)" : "") + (groups > 1 ? ", \(groups)\u{00A0}groups" : ""),
                        shape: shape, weights: filters * (c / groups) * k * k, biases: filters))
            case .pool(let name, let k, let s):
                shape = [
                    Convolution.outputSize(input: shape[0], kernel: k, padding: 0, stride: s)!,
                    Convolution.outputSize(input: shape[1], kernel: k, padding: 0, stride: s)!, shape[2],
                ]
                rows.append(
                    Row(
                        name: name, description: "max pool \(k)×\(k), stride\u{00A0}\(s)", shape: shape, weights: 0,
                        biases: 0))
            case .flatten:
                shape = [shape.reduce(1, *)]
                rows.append(Row(name: "flatten", description: "", shape: shape, weights: 0, biases: 0))
            case .dense(let name, let units):
                rows.append(
                    Row(
                        name: name, description: "dense \(units)", shape: [units], weights: shape[0] * units,
                        biases: units))
                shape = [units]
            }
        }
        return rows
    }

    var totalParameters: Int { rows.map(\.parameters).reduce(0, +) }

    /// LeNet-5 as 004 describes it: 32×32×1, 6 filters 5×5, 2×2 pooling, 16 filters 5×5, 2×2
    /// pooling, dense 120–84–10. Counted with every filter reading every channel and parameter-free
    /// max pooling (the 1998 paper's C3 reads chosen subsets of S2's maps, and its subsampling
    /// layers have a weight and a bias each).
    static let lenet5 = Architecture(
        name: "LeNet-5", input: [32, 32, 1],
        layers: [
            .conv("C1", filters: 6, kernel: 5), .pool("S2", kernel: 2, stride: 2),
            .conv("C3", filters: 16, kernel: 5), .pool("S4", kernel: 2, stride: 2),
            .flatten, .dense("C5/F5", units: 120), .dense("F6", units: 84), .dense("output", units: 10),
        ])

    /// AlexNet in one stream: 227×227×3, 96–256–384–384–256 filters, dense 4096–4096–1000 (the
    /// response normalisations have no parameters and are left out).
    static let alexnet = alexnet(groups: 1)

    /// The original's layout on two GPUs: conv2, conv4 and conv5 each read only their own GPU's half of the channels.
    static let alexnetTwoGPUs = alexnet(groups: 2)

    private static func alexnet(groups: Int) -> Architecture {
        Architecture(
            name: groups == 1 ? "AlexNet" : "AlexNet (two GPUs)", input: [227, 227, 3],
            layers: [
                .conv("conv1", filters: 96, kernel: 11, stride: 4), .pool("pool1", kernel: 3, stride: 2),
                .conv("conv2", filters: 256, kernel: 5, padding: 2, groups: groups),
                .pool("pool2", kernel: 3, stride: 2),
                .conv("conv3", filters: 384, kernel: 3, padding: 1),
                .conv("conv4", filters: 384, kernel: 3, padding: 1, groups: groups),
                .conv("conv5", filters: 256, kernel: 3, padding: 1, groups: groups),
                .pool("pool5", kernel: 3, stride: 2),
                .flatten, .dense("fc6", units: 4096), .dense("fc7", units: 4096), .dense("fc8", units: 1000),
            ])
    }

    /// VGG16: 224×224×3, thirteen 3×3 convolutions with same padding in five blocks, each block
    /// ending in 2×2 max pooling, dense 4096–4096–1000.
    static let vgg16: Architecture = {
        var layers: [Layer] = []
        for (block, (filters, count)) in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)].enumerated() {
            for k in 1...count {
                layers.append(.conv("conv\(block + 1)_\(k)", filters: filters, kernel: 3, padding: 1))
            }
            layers.append(.pool("pool\(block + 1)", kernel: 2, stride: 2))
        }
        return Architecture(
            name: "VGG16", input: [224, 224, 3],
            layers: layers + [
                .flatten, .dense("fc6", units: 4096), .dense("fc7", units: 4096), .dense("fc8", units: 1000),
            ])
    }()
}
