import CCairo
import CDeflate
import Foundation
import ReportModel
import TestSupport
import Testing

@testable import Render

/// `Deflate.zlib` read back by libdeflate's decompressor (and every PNG page by zlib, in the
/// rendering and CLI tests): the bytes come back whole, whatever their mix of runs and ink.
@Suite("Deflate: the PNG pages' compressor")
struct DeflateTests {
    /// Bytes from a fixed linear congruential generator: runs of one byte, copies of earlier
    /// stretches at every distance up to the window's 32768, and noise.
    static func mixture(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        var bytes: [UInt8] = []
        while bytes.count < count {
            switch next(3) {
            case 0: bytes += [UInt8](repeating: UInt8(next(3) == 0 ? next(256) : 0), count: 1 + next(2000))
            case 1 where bytes.count > 4:
                let distance = 1 + next(min(bytes.count, 32768))
                let length = 3 + next(300)
                for _ in 0..<length { bytes.append(bytes[bytes.count - distance]) }
            default: for _ in 0..<(1 + next(500)) { bytes.append(UInt8(next(256))) }
            }
        }
        return Array(bytes.prefix(count))
    }

    static func roundTrip(_ bytes: [UInt8]) throws -> [UInt8] {
        let stream = bytes.withUnsafeBufferPointer { Deflate.zlib($0) }
        let decompressor = try #require(libdeflate_alloc_decompressor())
        defer { libdeflate_free_decompressor(decompressor) }
        var out = [UInt8](repeating: 0, count: bytes.count + 1)
        var size = 0
        let result = out.withUnsafeMutableBytes { out in
            stream.withUnsafeBytes {
                libdeflate_zlib_decompress(decompressor, $0.baseAddress, $0.count, out.baseAddress, out.count, &size)
            }
        }
        #expect(result == LIBDEFLATE_SUCCESS, "a valid zlib stream with the right Adler-32")
        return Array(out.prefix(size))
    }

    @Test(arguments: [0, 1, 2, 3, 258, 259, 262, 4096])
    func aRunOfZerosOfAnyLengthComesBack(count: Int) throws {
        let bytes = [UInt8](repeating: 0, count: count)
        #expect(try Self.roundTrip(bytes) == bytes)
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func mixturesComeBackAcrossManyBlocks(seed: UInt64) throws {
        let bytes = Self.mixture(count: 400_000, seed: seed)
        #expect(try Self.roundTrip(bytes) == bytes)
    }

    @Test func noiseComesBackAndBarelyGrows() throws {
        let bytes = Self.mixture(count: 300_000, seed: 9).map { $0 &* 167 &+ 13 }.enumerated().map {
            UInt8(truncatingIfNeeded: $0.offset * 7919 >> 3) ^ $0.element
        }
        let stream = bytes.withUnsafeBufferPointer { Deflate.zlib($0) }
        #expect(try Self.roundTrip(bytes) == bytes)
        #expect(stream.count < bytes.count + bytes.count / 50)
    }

    /// A run of megabytes arriving when a block is nearly full: the block ends inside the run.
    @Test func aLongRunAfterANearlyFullBlockComesBack() throws {
        var state: UInt64 = 11
        let noise = (0..<65_000).map { _ -> UInt8 in  // about 65,000 literals: the block is nearly full
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        let bytes = noise + [UInt8](repeating: 0, count: 3_000_000) + noise.prefix(1000)
        #expect(try Self.roundTrip(bytes) == bytes)
    }

    /// A page is mostly zeros once filtered: 95% of one 150 dpi page's 6.5 MB.
    @Test func zerosCostAlmostNothing() throws {
        var bytes = [UInt8](repeating: 0, count: 6_500_000)
        for k in stride(from: 0, to: bytes.count, by: 3721) { bytes[k] = 2 }  // each row's filter byte
        let stream = bytes.withUnsafeBufferPointer { Deflate.zlib($0) }
        #expect(stream.count < 20_000)
        #expect(try Self.roundTrip(bytes) == bytes)
    }

    /// Counts in a Fibonacci sequence make a Huffman tree 29 deep: the codes must still fit in 15
    /// bits (7 for the code-length code) and stay complete (Kraft sum exactly 1).
    @Test(arguments: [15, 7])
    func codeLengthsAreLimitedAndComplete(limit: Int) {
        var counts: [UInt32] = [1, 1]
        while counts.count < 30 { counts.append(counts[counts.count - 1] + counts[counts.count - 2]) }
        let lengths = Huffman.lengths(counts, limit: limit)
        #expect(lengths.allSatisfy { $0 >= 1 && Int($0) <= limit })
        #expect(lengths.reduce(0.0) { $0 + pow(2, -Double($1)) } == 1)
        #expect(lengths.last! <= lengths.first!, "the commonest symbol has the shortest code")
    }

    @Test func aLoneSymbolGetsOneBitAndAnUnusedAlphabetStillHasACode() {
        #expect(Huffman.lengths([0, 0, 5, 0], limit: 15) == [0, 0, 1, 0])
        #expect(Huffman.lengths([0, 0, 0], limit: 15, atLeastOne: true) == [1, 0, 0])
    }
}

@Suite("PNG pages from reused memory")
struct PageMemoryTests {
    /// A thread's buffers keep the last page's bytes: a page drawn after a busier one, and after
    /// filling the buffers with noise, is the page drawn in fresh memory.
    @Test func aPageDoesNotDependOnWhatTheBuffersHeld() throws {
        let busy = Document(sample)
        let quiet = Document(Report(title: "Quiet", lesson: "quiet") { "One line." })
        let fresh = try quiet.png(page: 0, dpi: 72)
        _ = try busy.png(page: 1, dpi: 96)
        let memory = PageMemory.current
        memory.pixels(byteCount: 1 << 22).initializeMemory(as: UInt8.self, repeating: 0xA5, count: 1 << 22)
        #expect(try quiet.png(page: 0, dpi: 72) == fresh)
        #expect(try inkCoverage(fresh) > 0)
    }

    /// The encoder filters over the pixels it reads. An image of noise, runs and repeated rows
    /// (at widths 1, 2 and 301, where a filtered row comes closest to the next row's pixels)
    /// decodes, by cairo's reader, to the pixels as they were before encoding.
    @Test(arguments: [1, 2, 301])
    func filteringInPlaceKeepsEveryPixel(width: Int) throws {
        let height = 40
        let stride = 4 * width
        let original = DeflateTests.mixture(count: stride * height, seed: UInt64(width)).enumerated().map {
            $0 % 4 == 3 ? 0 : $1
        }
        var pixels = original
        for y in [5, 6, 7, 30] {
            pixels.replaceSubrange(y * stride..<(y + 1) * stride, with: original[(y - 1) * stride..<y * stride])
        }
        let expected = pixels
        let png = pixels.withUnsafeMutableBytes {
            PNGEncoder.encode(width: width, height: height, stride: stride, pixels: $0.baseAddress!)
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inplace-\(width)-\(getpid()).png")
        try png.write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let surface = try #require(cairo_image_surface_create_from_png(path.path))
        defer { cairo_surface_destroy(surface) }
        try #require(cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS)
        let read = try #require(cairo_image_surface_get_data(surface))
        let readStride = Int(cairo_image_surface_get_stride(surface))
        var mismatches = 0
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<3
                where read[y * readStride + 4 * x + channel] != expected[y * stride + 4 * x + channel] {
                    mismatches += 1
                }
            }
        }
        #expect(mismatches == 0)
    }
}
