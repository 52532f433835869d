import CDeflate
import Foundation

/// Writes cairo's RGB24 pixels as an RGB PNG: one IHDR, one IDAT, IEND. Each row is filtered with
/// "Up" (the difference from the row above), which turns a page's white margins and repeated
/// rows into zeros, and compressed by `Deflate`, which sends those zeros as long runs without
/// looking at each one (libdeflate, at its best level for these pages, takes three times as long).
/// cairo's own writer tries every filter on every row at the default level, which made PNG pages
/// 60% of a run. Reordering cairo's bytes and filtering are one pass, and a row equal to the one
/// above (most of a page: margins, the space between lines) is one comparison.
///
///     var white = [UInt32](repeating: 0x00FF_FFFF, count: 2)
///     let png = PNGEncoder.encode(width: 2, height: 1, stride: 8, pixels: &white)   // two white pixels
enum PNGEncoder {
    /// `pixels`: `height` rows `stride` bytes apart, each `width` native-endian 0x00RRGGBB words
    /// (cairo's RGB24; in memory B, G, R, unused on the little-endian machines we build for).
    /// The rows are filtered in place, over the pixels (a filtered row, 3 bytes a pixel and one
    /// filter byte, never reaches past the start of the next row's pixels): a 600 dpi page needs
    /// no second buffer of 100 MB. Only the row above is kept aside, as it was before filtering.
    static func encode(width: Int, height: Int, stride: Int, pixels: UnsafeMutableRawPointer) -> Data {
        let rowBytes = 3 * width
        let bytes = pixels.assumingMemoryBound(to: UInt8.self)
        var above = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, 4 * width))
        var current = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, 4 * width))
        defer {
            above.deallocate()
            current.deallocate()
        }
        for y in 0..<height {
            let out = bytes + y * (rowBytes + 1)
            let row = bytes + y * stride
            // Rows equal to the one above (most of a page: margins, the space between lines) are all zeros.
            if y > 0 && memcmp(row, above, 4 * width) == 0 {
                out[0] = 2  // Up
                memset(out + 1, 0, rowBytes)
                continue
            }
            current.update(from: row, count: 4 * width)
            out[0] = 2
            if y == 0 {
                for x in 0..<width {
                    out[1 + 3 * x] = current[4 * x + 2]
                    out[2 + 3 * x] = current[4 * x + 1]
                    out[3 + 3 * x] = current[4 * x]
                }
            } else {
                for x in 0..<width {
                    out[1 + 3 * x] = current[4 * x + 2] &- above[4 * x + 2]
                    out[2 + 3 * x] = current[4 * x + 1] &- above[4 * x + 1]
                    out[3 + 3 * x] = current[4 * x] &- above[4 * x]
                }
            }
            swap(&above, &current)
        }
        let out = bytes
        let compressed = Deflate.zlib(UnsafeBufferPointer(start: UnsafePointer(out), count: (rowBytes + 1) * height))

        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header.append(contentsOf: [8, 2, 0, 0, 0])  // 8 bits per channel, RGB, deflate, standard filters, no interlace
        png.appendChunk("IHDR", header)
        png.appendChunk("IDAT", Data(compressed))
        png.appendChunk("IEND", Data())
        return png
    }
}

extension Data {
    fileprivate mutating func appendBigEndian(_ value: UInt32) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    /// length, type, data, CRC-32 of type and data.
    fileprivate mutating func appendChunk(_ type: String, _ data: Data) {
        appendBigEndian(UInt32(data.count))
        let typed = Data(type.utf8) + data
        append(typed)
        let crc = typed.withUnsafeBytes { libdeflate_crc32(0, $0.baseAddress, $0.count) }
        appendBigEndian(UInt32(crc))
    }
}
