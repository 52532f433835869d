import CDeflate

/// A zlib stream (RFC 1950/1951) made for PNG pages. An Up-filtered page is 95% zeros, and a
/// general compressor walks every one of them through its match finder: libdeflate took 10 ms
/// for a 150 dpi page of nothing but zeros. Here a run of one repeated byte is measured eight
/// bytes at a time and sent as matches at distance 1, 258 bytes each, never hashed; the other
/// bytes (the ink) go through a greedy LZ77 on a hash of four bytes. Each block of tokens gets
/// its own Huffman codes.
///
///     let stream = Deflate.zlib(bytes)   // libdeflate_zlib_decompress gives `bytes` back
public enum Deflate {
    public static func zlib(_ data: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var writer = BitWriter(capacity: data.count / 16 + 1024)
        writer.append(0x78)  // deflate, 32 KB window
        writer.append(0x01)  // no dictionary; the check bits make 0x7801 a multiple of 31
        var tokens = Tokens()
        if let bytes = data.baseAddress { tokenize(bytes, count: data.count, into: &tokens, writing: &writer) }
        tokens.flush(into: &writer, final: true)
        writer.alignToByte()
        let adler = libdeflate_adler32(1, data.baseAddress, data.count)
        for shift in [24, 16, 8, 0] { writer.append(UInt8(truncatingIfNeeded: adler >> shift)) }
        return writer.bytes
    }

    /// Literals and matches for `n` bytes, each block written out as it fills.
    private static func tokenize(
        _ bytes: UnsafePointer<UInt8>, count n: Int, into tokens: inout Tokens, writing writer: inout BitWriter
    ) {
        let table = UnsafeMutablePointer<Int32>.allocate(capacity: 1 << hashBits)
        table.initialize(repeating: -1, count: 1 << hashBits)
        defer { table.deallocate() }
        var i = 0
        while i < n {
            if tokens.count >= blockTokens { tokens.flush(into: &writer, final: false) }
            if i > 0 && bytes[i] == bytes[i - 1] {
                let run = runLength(bytes + i, of: bytes[i - 1], limit: n - i)
                if run >= 3 {
                    var left = run
                    while left >= 3 {
                        // A run can be megabytes long: a block ends as it fills.
                        if tokens.count >= blockTokens { tokens.flush(into: &writer, final: false) }
                        let length = min(left, 258)
                        tokens.match(length: length, distance: 1)
                        left -= length
                    }
                    for _ in 0..<left { tokens.literal(bytes[i + run - left]) }
                    i += run
                    continue
                }
            }
            if i + 4 <= n {
                let word = UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt32.self)
                let h = Int((word &* 0x9E37_79B1) >> (32 - UInt32(hashBits)))
                let candidate = Int(table[h])
                table[h] = Int32(i)
                if candidate >= 0 && i - candidate <= 32768
                    && UnsafeRawPointer(bytes + candidate).loadUnaligned(as: UInt32.self) == word
                {
                    let length = 4 + commonLength(bytes + candidate + 4, bytes + i + 4, limit: min(258, n - i) - 4)
                    tokens.match(length: length, distance: i - candidate)
                    i += length
                    continue
                }
            }
            tokens.literal(bytes[i])
            i += 1
        }
    }

    private static let hashBits = 15
    /// Tokens per block: enough for the codes to pay for their header, few enough to follow the page.
    static let blockTokens = 1 << 16

    /// How many bytes `a` and `b` have in common from the start (at most `limit`), eight at a time.
    @inline(__always)
    private static func commonLength(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, limit: Int) -> Int {
        var length = 0
        while length + 8 <= limit {
            let difference =
                UnsafeRawPointer(a + length).loadUnaligned(as: UInt64.self)
                ^ UnsafeRawPointer(b + length).loadUnaligned(as: UInt64.self)
            if difference != 0 { return length + difference.trailingZeroBitCount / 8 }
            length += 8
        }
        while length < limit && a[length] == b[length] { length += 1 }
        return length
    }

    /// How many bytes from `start` (at most `limit`) equal `byte`, compared eight at a time.
    @inline(__always)
    private static func runLength(_ start: UnsafePointer<UInt8>, of byte: UInt8, limit: Int) -> Int {
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        var length = 0
        while length + 8 <= limit {
            let difference = UnsafeRawPointer(start + length).loadUnaligned(as: UInt64.self) ^ pattern
            if difference != 0 { return length + difference.trailingZeroBitCount / 8 }
            length += 8
        }
        while length < limit && start[length] == byte { length += 1 }
        return length
    }
}

/// Literals and matches of one block, with the symbol counts its Huffman codes are built from.
/// Plain buffers, not arrays: a token is stored and counted for every byte of ink.
private struct Tokens: ~Copyable {
    /// A literal is its byte; a match is length << 16 | distance (length ≥ 3, so never a literal).
    /// Room for a full block and the few tokens one step of `tokenize` adds after its check.
    private static let capacity = Deflate.blockTokens + 4
    private let items = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
    private(set) var count = 0
    private let literalCounts = UnsafeMutablePointer<UInt32>.allocate(capacity: 286)
    private let distanceCounts = UnsafeMutablePointer<UInt32>.allocate(capacity: 30)
    private let lengthSymbol = Code.lengthSymbol

    init() {
        literalCounts.initialize(repeating: 0, count: 286)
        distanceCounts.initialize(repeating: 0, count: 30)
    }

    deinit {
        items.deallocate()
        literalCounts.deallocate()
        distanceCounts.deallocate()
    }

    @inline(__always) mutating func literal(_ byte: UInt8) {
        assert(count < Tokens.capacity, "a block overflows its tokens")
        items[count] = UInt32(byte)
        count += 1
        literalCounts[Int(byte)] += 1
    }

    @inline(__always) mutating func match(length: Int, distance: Int) {
        assert(count < Tokens.capacity, "a block overflows its tokens")
        items[count] = UInt32(length) << 16 | UInt32(distance)
        count += 1
        literalCounts[257 + Int(lengthSymbol[length])] += 1
        distanceCounts[Code.distanceSymbol(distance)] += 1
    }

    /// Writes the block (dynamic Huffman codes, RFC 1951 §3.2.7) and starts an empty one.
    mutating func flush(into writer: inout BitWriter, final: Bool) {
        literalCounts[256] = 1  // end of block
        let literalLengths = Huffman.lengths(Array(UnsafeBufferPointer(start: literalCounts, count: 286)), limit: 15)
        let distanceLengths = Huffman.lengths(
            Array(UnsafeBufferPointer(start: distanceCounts, count: 30)), limit: 15, atLeastOne: true)
        let literalCount = max(257, (literalLengths.lastIndex { $0 != 0 } ?? 0) + 1)
        let distanceCount = max(1, (distanceLengths.lastIndex { $0 != 0 } ?? 0) + 1)
        let lengths = Array(literalLengths[..<literalCount]) + distanceLengths[..<distanceCount]
        let runs = Huffman.runs(of: lengths)
        var runCounts = [UInt32](repeating: 0, count: 19)
        for run in runs { runCounts[Int(run.symbol)] += 1 }
        let runLengths = Huffman.lengths(runCounts, limit: 7)
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        let runLengthCount = max(4, (order.lastIndex { runLengths[$0] != 0 } ?? 0) + 1)

        writer.reserve(6 * count + 1024)  // at most 15 + 5 + 15 + 13 bits a token, and the header
        writer.write(final ? 1 : 0, bits: 1)
        writer.write(2, bits: 2)
        writer.write(UInt32(literalCount - 257), bits: 5)
        writer.write(UInt32(distanceCount - 1), bits: 5)
        writer.write(UInt32(runLengthCount - 4), bits: 4)
        for symbol in order.prefix(runLengthCount) { writer.write(UInt32(runLengths[symbol]), bits: 3) }
        let runCodes = Huffman.codes(runLengths)
        for run in runs {
            writer.write(runCodes[Int(run.symbol)], bits: Int(runLengths[Int(run.symbol)]))
            if run.extraBits > 0 { writer.write(UInt32(run.extra), bits: Int(run.extraBits)) }
        }
        let literalCodes = Huffman.codes(literalLengths)
        let distanceCodes = Huffman.codes(distanceLengths)
        // The tables once, not a lazy global's check for every token.
        let (lengthBase, lengthExtra, distanceBase, distanceExtra) = (
            Code.lengthBase, Code.lengthExtra, Code.distanceBase, Code.distanceExtra
        )
        for item in UnsafeBufferPointer(start: items, count: count) {
            let length = Int(item >> 16)
            if length == 0 {
                writer.write(literalCodes[Int(item)], bits: Int(literalLengths[Int(item)]))
                continue
            }
            let symbol = Int(lengthSymbol[length])
            writer.write(literalCodes[257 + symbol], bits: Int(literalLengths[257 + symbol]))
            writer.write(UInt32(length - Int(lengthBase[symbol])), bits: Int(lengthExtra[symbol]))
            let distance = Int(item & 0xFFFF)
            let distanceSymbol = Code.distanceSymbol(distance)
            writer.write(distanceCodes[distanceSymbol], bits: Int(distanceLengths[distanceSymbol]))
            writer.write(UInt32(distance - Int(distanceBase[distanceSymbol])), bits: Int(distanceExtra[distanceSymbol]))
        }
        writer.write(literalCodes[256], bits: Int(literalLengths[256]))

        count = 0
        literalCounts.update(repeating: 0, count: 286)
        distanceCounts.update(repeating: 0, count: 30)
    }
}

/// RFC 1951 §3.2.5: the 29 length codes and 30 distance codes, their bases and extra bits.
private enum Code {
    static let lengthBase: [UInt16] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    static let lengthExtra: [UInt8] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    static let distanceBase: [UInt16] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
        1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ]
    static let distanceExtra: [UInt8] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]

    /// The length code (0…28) of each match length 3…258.
    static let lengthSymbol: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 259)
        for length in 3...258 { table[length] = UInt8(lengthBase.lastIndex { Int($0) <= length }!) }
        return table
    }()

    /// The distance code (0…29) of each distance 1…32768.
    @inline(__always) static func distanceSymbol(_ distance: Int) -> Int {
        distance <= 4
            ? distance - 1
            : {
                let bits = Int.bitWidth - (distance - 1).leadingZeroBitCount  // 2^(bits−1) ≤ distance − 1 < 2^bits
                return 2 * bits - 2 + ((distance - 1) >> (bits - 2) & 1)
            }()
    }
}

/// Bits packed from the least significant end of each byte, as deflate sends them, eight bytes
/// at a time into a buffer that `reserve` keeps large enough.
private struct BitWriter: ~Copyable {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0
    private var buffer: UInt64 = 0
    private var filled = 0

    init(capacity: Int) {
        self.capacity = capacity + 16
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: storage, count: count)) }

    /// Room for `extra` more bytes (and the eight a flush may write past them).
    mutating func reserve(_ extra: Int) {
        guard count + extra + 16 > capacity else { return }
        let larger = max(2 * capacity, count + extra + 16)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: storage, count: count)
        storage.deallocate()
        (storage, capacity) = (moved, larger)
    }

    mutating func append(_ byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count += 1
    }

    @inline(__always) mutating func write(_ value: UInt32, bits: Int) {
        buffer |= UInt64(value) << filled
        filled += bits
        if filled >= 32 {
            UnsafeMutableRawPointer(storage + count).storeBytes(
                of: UInt32(truncatingIfNeeded: buffer).littleEndian, as: UInt32.self)
            count += 4
            buffer >>= 32
            filled -= 32
        }
    }

    /// Writes the bits still held, padded with zeros to a whole byte.
    mutating func alignToByte() {
        while filled > 0 {
            append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            filled = max(0, filled - 8)
        }
        buffer = 0
    }
}
