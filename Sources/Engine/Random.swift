import Foundation

/// A seeded generator that gives the same numbers on every machine and every run: SplitMix64
/// (Steele, Lea & Flood 2014), with uniform and Gaussian draws. Every random choice a lesson
/// makes (data, shuffles, dropout masks) goes through one of these.
///
///     var random = SeededGenerator(seed: 1)
///     random.uniform(in: 0...2); random.gaussian()   // the same two numbers every time
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 53 bits (every Double in it equally likely to be hit).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    public mutating func uniform(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * unit()
    }

    /// Standard normal, by Box–Muller (one of the pair; the other is dropped for simplicity).
    public mutating func gaussian() -> Double {
        let u = 1 - unit()  // (0, 1]: the logarithm stays finite
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * unit())
    }

    /// A permutation of 0..<n, by Fisher–Yates on this generator.
    public mutating func permutation(_ n: Int) -> [Int] {
        var order = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, Int(next() % UInt64(i + 1))) }
        return order
    }
}
