import Engine

/// `normal(seed)`: a draw from N(0, 1), named by what it is, not by where it sits in the file.
/// The same seed, line label, place among that line's draws and training round give the same
/// number on every machine and run; change any one and the draw is independent of the last. A
/// training round r draws afresh (stochastic gradient descent), and round 0 is the worked step's
/// draw, so the table's first row is the page's number.
///
///     eps = normal(seed)   "ε drawn from N(0, 1)" as ε
///     let key = NormalDraw.key(seed: 1, label: "eps", occurrence: 0); NormalDraw.value(key, round: 0)
enum NormalDraw {
    /// The draw's name without its round, folded into 64 bits.
    static func key(seed: Int, label: String, occurrence: Int) -> UInt64 {
        // FNV-1a over the label's bytes: stable across processes, unlike String.hashValue.
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in label.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return mixed(mixed(UInt64(bitPattern: Int64(seed)) ^ hash) ^ UInt64(occurrence))
    }

    static func value(_ key: UInt64, round: Int) -> Double {
        var random = SeededGenerator(seed: mixed(key ^ UInt64(round)))
        return random.gaussian()
    }

    /// One SplitMix64 step: nearby inputs give unrelated outputs.
    private static func mixed(_ x: UInt64) -> UInt64 {
        var random = SeededGenerator(seed: x)
        return random.next()
    }
}
