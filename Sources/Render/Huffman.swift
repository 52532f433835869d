/// Code lengths from symbol counts, canonical codes from lengths, and the run-length form in which
/// a dynamic block sends its code lengths.
enum Huffman {
    /// Huffman code lengths no longer than `limit`, 0 for unused symbols. A lone symbol gets length 1
    /// (the incomplete code the format allows); `atLeastOne` gives symbol 0 a code when none is used.
    static func lengths(_ counts: [UInt32], limit: Int, atLeastOne: Bool = false) -> [UInt8] {
        var lengths = [UInt8](repeating: 0, count: counts.count)
        var used = counts.indices.filter { counts[$0] > 0 }
        if used.isEmpty && atLeastOne { used = [0] }
        if used.count <= 1 {
            for symbol in used { lengths[symbol] = 1 }
            return lengths
        }
        // Two queues, leaves by count and internal nodes in the order made (their weights never
        // decrease): each step joins the two lightest. Internal node k is leaves.count + k.
        used.sort { (counts[$0], $0) < (counts[$1], $1) }
        let leaves = used.count
        var weight = used.map { UInt64(counts[$0]) }
        var parent = [Int](repeating: 0, count: 2 * leaves - 1)
        var (nextLeaf, nextNode) = (0, leaves)
        for node in leaves..<(2 * leaves - 1) {
            var sum: UInt64 = 0
            for _ in 0..<2 {
                let takeLeaf = nextLeaf < leaves && (nextNode >= node || weight[nextLeaf] <= weight[nextNode])
                let child = takeLeaf ? nextLeaf : nextNode
                if takeLeaf { nextLeaf += 1 } else { nextNode += 1 }
                sum += weight[child]
                parent[child] = node
            }
            weight.append(sum)
        }
        var depth = [Int](repeating: 0, count: 2 * leaves - 1)
        for node in stride(from: 2 * leaves - 3, through: 0, by: -1) { depth[node] = depth[parent[node]] + 1 }
        // Over the limit: clamp, then lengthen shorter codes until the Kraft sum is 1 again.
        var perLength = [Int](repeating: 0, count: max(limit, depth.max()!) + 1)
        for leaf in 0..<leaves { perLength[min(depth[leaf], limit)] += 1 }
        var kraft = 0
        for length in 1...limit { kraft += perLength[length] << (limit - length) }
        while kraft > 1 << limit {
            perLength[limit] -= 1
            for length in stride(from: limit - 1, through: 1, by: -1) where perLength[length] > 0 {
                perLength[length] -= 1
                perLength[length + 1] += 2
                break
            }
            kraft -= 1
        }
        // The rarest symbols take the longest codes.
        var leaf = 0
        for length in stride(from: limit, through: 1, by: -1) {
            for _ in 0..<perLength[length] {
                lengths[used[leaf]] = UInt8(length)
                leaf += 1
            }
        }
        return lengths
    }

    /// Canonical codes (RFC 1951 §3.2.2), bit-reversed: deflate sends a code's first bit first.
    static func codes(_ lengths: [UInt8]) -> [UInt32] {
        var perLength = [UInt32](repeating: 0, count: 16)
        for length in lengths where length > 0 { perLength[Int(length)] += 1 }
        var next = [UInt32](repeating: 0, count: 16)
        var code: UInt32 = 0
        for length in 1..<16 {
            code = (code + perLength[length - 1]) << 1
            next[length] = code
        }
        return lengths.map { length in
            guard length > 0 else { return 0 }
            let value = next[Int(length)]
            next[Int(length)] += 1
            return value.bitReversed(length: Int(length))
        }
    }

    /// Code lengths as symbols 0–15, 16 (repeat the previous 3–6 times), 17 (3–10 zeros) and
    /// 18 (11–138 zeros), with their extra bits.
    static func runs(of lengths: [UInt8]) -> [(symbol: UInt8, extra: UInt8, extraBits: UInt8)] {
        var runs: [(symbol: UInt8, extra: UInt8, extraBits: UInt8)] = []
        var i = 0
        while i < lengths.count {
            let length = lengths[i]
            var same = 1
            while i + same < lengths.count && lengths[i + same] == length { same += 1 }
            i += same
            if length == 0 {
                while same >= 11 {
                    let n = min(same, 138)
                    runs.append((18, UInt8(n - 11), 7))
                    same -= n
                }
                if same >= 3 {
                    runs.append((17, UInt8(same - 3), 3))
                    same = 0
                }
                for _ in 0..<same { runs.append((0, 0, 0)) }
            } else {
                runs.append((length, 0, 0))
                same -= 1
                while same >= 3 {
                    let n = min(same, 6)
                    runs.append((16, UInt8(n - 3), 2))
                    same -= n
                }
                for _ in 0..<same { runs.append((length, 0, 0)) }
            }
        }
        return runs
    }
}

extension UInt32 {
    fileprivate func bitReversed(length: Int) -> UInt32 {
        var (value, reversed) = (self, UInt32(0))
        for _ in 0..<length {
            reversed = reversed << 1 | value & 1
            value >>= 1
        }
        return reversed
    }
}
