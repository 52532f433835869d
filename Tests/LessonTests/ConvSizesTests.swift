import Engine
import Foundation
import LessonKit
import ReportModel
import Testing

@testable import Lessons

@Suite("conv-sizes: output sizes, the three networks' counts, and the notes' numbers (001, 003, 004)")
struct ConvSizesTests {
    /// The output size by sliding a window and counting where it fits, independent of the formula.
    func windowsThatFit(_ w: Int, _ k: Int, _ p: Int, _ s: Int) -> Int? {
        guard s >= 1, p >= 0, w >= 1, k >= 1 else { return nil }
        let count = Array(stride(from: 0, through: w + 2 * p, by: s)).filter { $0 + k <= w + 2 * p }.count
        return count == 0 ? nil : count
    }

    @Test func outputSizesAgainstCountedWindowsOverAGrid() {
        var impossible = 0
        for w in 1...12 {
            for k in 1...15 {
                for p in -1...3 {
                    for s in -1...4 {
                        let size = Convolution.outputSize(input: w, kernel: k, padding: p, stride: s)
                        #expect(size == windowsThatFit(w, k, p, s), "W=\(w) K=\(k) P=\(p) S=\(s)")
                        if size == nil { impossible += 1 } else { #expect(size! >= 1) }
                    }
                }
            }
        }
        #expect(impossible > 1000, "the grid reaches impossible configurations: \(impossible)")
    }

    @Test(arguments: [
        (7, 3, 1, 2, 4), (32, 5, 0, 1, 28), (227, 11, 0, 4, 55), (224, 11, 0, 4, 54), (10, 3, 0, 3, 3), (5, 5, 0, 1, 1),
        (2, 4, 1, 1, 1),
    ])
    func theLessonsOutIsTheFormula(w: Int, k: Int, p: Int, s: Int, out: Int) throws {
        // ⌊(W + 2P − K)/S⌋ + 1, worked by hand in the arguments: (7 + 2 − 3)/2 + 1 = 4, (227 − 11)/4 + 1 = 55, …
        let values = try Lesson.convSizes.run(settings: ["W=\(w)", "K=\(k)", "P=\(p)", "S=\(s)"]).values
        #expect(values.number("out") == Double(out))
    }

    @Test func theNotesTotalPaddingFormAgreesWhenPIsTheTotal() {
        // 003: (W + P − K)/S + 1 with P the total padding.
        for w in 3...20 {
            for k in 1...3 {
                for p in 0...2 {
                    for s in 1...3 {
                        #expect(
                            Convolution.outputSize(input: w, kernel: k, padding: p, stride: s) == (w + 2 * p - k) / s
                                + 1)
                    }
                }
            }
        }
    }

    // MARK: The three networks, counted by hand from the layer list: (K·K·C_in + 1)·F for a convolution, (n_in + 1)·n_out for a dense layer.

    @Test func leNet5() {
        let hand = (5 * 5 * 1 + 1) * 6 + (5 * 5 * 6 + 1) * 16 + (5 * 5 * 16 + 1) * 120 + (120 + 1) * 84 + (84 + 1) * 10
        #expect(hand == 61_706)
        #expect(Architecture.lenet5.totalParameters == hand)
        #expect(
            Architecture.lenet5.rows.map(\.shape) == [
                [32, 32, 1], [28, 28, 6], [14, 14, 6], [10, 10, 16], [5, 5, 16], [400], [120], [84], [10],
            ])
    }

    @Test func alexNetInOneStreamAndOnTwoGPUs() {
        let convolutions =
            (11 * 11 * 3 + 1) * 96 + (5 * 5 * 96 + 1) * 256 + (3 * 3 * 256 + 1) * 384 + (3 * 3 * 384 + 1) * 384
            + (3 * 3 * 384 + 1) * 256
        let dense = (6 * 6 * 256 + 1) * 4096 + (4096 + 1) * 4096 + (4096 + 1) * 1000
        #expect(Architecture.alexnet.totalParameters == convolutions + dense)
        #expect(Architecture.alexnet.totalParameters == 62_378_344)
        // conv2, conv4 and conv5 read half the channels on each GPU.
        let split =
            (11 * 11 * 3 + 1) * 96 + (5 * 5 * 48 + 1) * 256 + (3 * 3 * 256 + 1) * 384 + (3 * 3 * 192 + 1) * 384
            + (3 * 3 * 192 + 1) * 256
        #expect(Architecture.alexnetTwoGPUs.totalParameters == split + dense)
        #expect(Architecture.alexnetTwoGPUs.totalParameters / 1_000_000 == 60, "the paper's and 003's “60M”")
        #expect(Architecture.alexnet.rows.first { $0.name == "pool5" }?.shape == [6, 6, 256])
    }

    @Test func vgg16() {
        var hand = 0
        var channels = 3
        for (filters, count) in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)] {
            for _ in 0..<count {
                hand += (3 * 3 * channels + 1) * filters
                channels = filters
            }
        }
        hand += (7 * 7 * 512 + 1) * 4096 + (4096 + 1) * 4096 + (4096 + 1) * 1000
        #expect(Architecture.vgg16.totalParameters == hand)
        #expect(Double(hand / 1_000_000) == 138, "003: “138M in VGG16”")
        #expect(Architecture.vgg16.rows.filter { $0.name.hasPrefix("conv") }.count == 13)
    }

    @Test func valuesJSONHasEveryNetwork() throws {
        let result = try Lesson.convSizes.run(settings: [])
        for (key, net) in [("lenet5", Architecture.lenet5), ("alexnet", .alexnet), ("vgg16", .vgg16)] {
            #expect(result.values.number("\(key).total_params") == Double(net.totalParameters))
            guard case .records(let layers)? = result.values["\(key).layers"] else {
                Issue.record("\(key).layers")
                continue
            }
            #expect(layers.count == net.rows.count)
            #expect(layers.allSatisfy { $0.keys == ["name", "shape", "weights", "biases", "params"] })
        }
        let json = result.json()
        #expect(json.contains(#""vgg16.total_params": 138357544.0"#))
        #expect(
            json.contains(
                #"{"name": "conv1_1", "shape": [224.0, 224.0, 64.0], "weights": 1728.0, "biases": 64.0, "params": 1792.0}"#
            ))
    }

    // MARK: The notes' hand numbers

    @Test func aDenseLayerOnA512Image() throws {
        // 001: (512 × 512)² = 7e10.
        let weights = try #require(try Lesson.convSizes.run(settings: []).values.number("dense_weights"))
        #expect(weights == 68_719_476_736)
        #expect(String(format: "%.0e", weights) == "7e+10")
    }

    @Test func separableAgainstNormalWeights() throws {
        // 003: K²·C_in·C_out against K²·C_in + C_in·C_out.
        let values = try Lesson.convSizes.run(settings: ["K=3", "channels_in=32", "channels_out=64"]).values
        #expect(values.number("normal_weights") == Double(3 * 3 * 32 * 64))
        #expect(values.number("separable_weights") == Double(3 * 3 * 32 + 32 * 64))
    }

    @Test(arguments: [["K=20"], ["W=4", "K=7", "P=1"]])
    func aKernelLargerThanThePaddedInputIsRefused(settings: [String]) {
        #expect {
            _ = try Lesson.convSizes.run(settings: settings)
        } throws: {
            ($0 as? ParameterError)?.description.contains("the kernel must be at most the padded input") == true
        }
    }

    @Test func theReceptiveFieldTableStopsBeforeIntegersOverflow() throws {
        // r_l = r_{l−1} + (K − 1)·j_{l−1}, j_l = j_{l−1}·S: at S = K = 4096, j_5 = 2^60 fits and j_6 = 2^72 does not.
        let result = try Lesson.convSizes.run(settings: ["W=4096", "K=4096", "S=4096"])
        let table = cells(result).compactMap { if case .table(let t) = $0 { t } else { nil } }
            .first { $0.caption?.plainText.hasPrefix("The receptive field") == true }
        #expect(table?.rows.count == 5)
        #expect(table?.rows.last?[2].plainText == "\(1 << 60)")
        #expect(table?.caption?.plainText.contains("stops at 5 layers") == true)
        let defaults = try Lesson.convSizes.run(settings: [])
        #expect(
            cells(defaults).contains {
                if case .table(let t) = $0 {
                    t.caption?.plainText.hasPrefix("The receptive field") == true && t.rows.count == 6
                } else {
                    false
                }
            })
    }
}
