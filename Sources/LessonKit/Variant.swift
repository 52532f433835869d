import Engine
import Foundation
import ReportModel

/// A parameter an exercise sheet varies: drawn from a range on a grid coarse enough for a
/// pocket calculator (0.05 for weights, 1 for sizes).
///
///     Variation("w1", 0.05...0.95, step: 0.05)
///     Variation("K", 1...7, step: 2)   // 1, 3, 5, 7
public struct Variation: Sendable {
    public let name: String
    public let range: ClosedRange<Double>
    public let step: Double

    public init(_ name: String, _ range: ClosedRange<Double>, step: Double) {
        precondition(step > 0 && range.upperBound >= range.lowerBound, "a variation needs a step > 0 and a range")
        self.name = name
        self.range = range
        self.step = step
    }

    /// The grid point k as `--set` writes it, with the step's decimals and no more.
    func setting(_ k: Int) -> String {
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        let value = range.lowerBound + Double(k) * step
        return "\(name)=" + String(format: "%.*f", decimals, value)
    }

    /// The largest variant number: a class of a million students is enough, and every number
    /// names its files uniquely (`-v999999`).
    public static let largestVariant = 999_999

    /// `-v07`, `-v123`: two digits at least, as many as the number has.
    public static func fileSuffix(_ n: Int) -> String { "-v" + (n < 10 ? "0" : "") + String(n) }

    var points: Int { Int(((range.upperBound - range.lowerBound) / step + 1e-9).rounded(.down)) + 1 }
}

extension Lesson {
    /// The lesson with parameters that exercise variants draw, and the rule a draw must pass to
    /// make a sound exercise (no saturated unit, no division by zero, nothing trivial).
    public func varying(
        _ variations: [Variation], soundWhen sound: @escaping @Sendable (Parameters) -> Bool = { _ in true }
    ) -> Lesson {
        let names = Set(parameters.map(\.name))
        precondition(variations.allSatisfy { names.contains($0.name) }, "a variation names an undeclared parameter")
        var copy = self
        copy.variations = variations
        copy.isSound = sound
        return copy
    }

    /// Variant `n`'s settings: every variation drawn by a generator seeded with n and the
    /// lesson's name, again until the draw is valid and sound. The same n gives the same numbers
    /// on every machine.
    public func variant(_ n: Int) throws(ParameterError) -> [String] {
        guard !variations.isEmpty else {
            throw .noVariants(lesson: name)
        }
        guard (0...Variation.largestVariant).contains(n) else {
            throw .variantOutOfRange(n)
        }
        // FNV-1a of the name: a stable seed (Swift's hashValue changes from run to run).
        let salt = name.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        var random = SeededGenerator(seed: salt ^ UInt64(n) &* 0x9E37_79B9_7F4A_7C15)
        for _ in 0..<10_000 {
            let settings = variations.map { $0.setting(min($0.points - 1, Int(random.unit() * Double($0.points)))) }
            if let parameters = try? self.parameters(settings: settings), isSound(parameters) { return settings }
        }
        throw .noSoundVariant(lesson: name, n)
    }
}
