import Foundation
import ReportModel

/// One axis of a plot: the data range it shows, where each value lands on the page, and round
/// tick values with their labels. Linear axes tick at 1, 2 or 5 times a power of ten; log axes
/// at powers of ten (or 1, 2, 5 per decade when the range spans two decades or less).
///
///     let axis = AxisScale(.linear, data: [0.3, 9.2], from: 50, to: 450)   // shows 0…10, ticks 0, 2, …, 10
///     axis.position(0) == 50 && axis.position(10) == 450                     // exact at both ends
struct AxisScale {
    struct Tick {
        var value: Double
        var label: RichText
    }

    let scale: Plot.Axis.Scale
    /// The values at the two ends of the axis.
    let low: Double, high: Double
    /// Page coordinates of `low` and `high`.
    var from: Double, to: Double
    let ticks: [Tick]

    /// `data`: the values to show (non-finite ones, and non-positive ones on a log axis, are
    /// ignored); `range`: fixed ends instead; `minimumStep`: no ticks closer than this (1 on an
    /// axis of cell indices, where a tick at 0.5 would name no cell).
    init(
        _ scale: Plot.Axis.Scale, data: [Double], range: ClosedRange<Double>? = nil, minimumStep: Double = 0,
        from: Double = 0, to: Double = 1
    ) {
        self.scale = scale
        self.from = from
        self.to = to
        let usable = data.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        var (low, high) =
            range.map { ($0.lowerBound, $0.upperBound) } ?? (
                usable.min() ?? (scale == .linear ? 0 : 1), usable.max() ?? 1
            )
        switch scale {
        case .linear:
            if low == high { (low, high) = (low - max(1, abs(low)) / 2, high + max(1, abs(high)) / 2) }
            let step = max(AxisScale.niceStep((high - low) / 5), minimumStep)
            if range == nil {
                low = (low / step).rounded(.down) * step
                high = (high / step).rounded(.up) * step
            }
            let first = (low / step - 1e-9).rounded(.up)
            let last = (high / step + 1e-9).rounded(.down)
            ticks = stride(from: first, through: last, by: 1).map { k in
                let value = k * step
                return Tick(value: value, label: .plain(AxisScale.label(value, step: step)))
            }
        case .logarithmic:
            // Decades between 10⁻³⁰⁷ and 10³⁰⁸: a subnormal (Adagrad's f reaches 1e-323) would
            // round its decade down to 10⁻³²⁴ = 0, and log10(0) has no exponent.
            let (floorExponent, ceilingExponent) = (-307.0, 308.0)
            low = min(max(low, pow(10, floorExponent)), pow(10, ceilingExponent - 1))
            high = min(max(high, low), pow(10, ceilingExponent))
            if range == nil {
                low = pow(10, max(floor(log10(low)), floorExponent))
                high = pow(10, min(ceil(log10(high)), ceilingExponent))
            }
            if low >= high { high = min(low * 10, .greatestFiniteMagnitude) }
            let (lowExponent, highExponent) = (Int(ceil(log10(low) - 1e-9)), Int(floor(log10(high) + 1e-9)))
            let decades = highExponent - lowExponent
            if decades > 2 {
                // At most about seven labels, at exponents that are multiples of the stride (10⁰, 10⁻⁶, …).
                let stride = [1, 2, 3, 5, 10, 20, 50, 100].first { decades / $0 <= 6 } ?? (decades + 5) / 6
                ticks = (lowExponent...highExponent).filter { $0 % stride == 0 }.map { k in
                    Tick(value: pow(10, Double(k)), label: AxisScale.power(k))
                }
            } else {
                // Two decades or less: 1, 2 and 5 in each, labelled in full.
                var values: [Double] = []
                for k in (lowExponent - 1)...highExponent {
                    for m in [1.0, 2, 5] {
                        let value = m * pow(10, Double(k))
                        if value >= low * (1 - 1e-9) && value <= high * (1 + 1e-9) { values.append(value) }
                    }
                }
                let format = NumberFormat(significantDigits: 1)
                ticks = values.map {
                    Tick(value: $0, label: .plain(format.plain($0).replacingOccurrences(of: "-", with: "−")))
                }
            }
        }
        self.low = low
        self.high = high
    }

    /// Where `value` lands; written as an interpolation, so `low` maps to `from` and `high` to
    /// `to` exactly.
    func position(_ value: Double) -> Double {
        // Logarithms apart, not of the ratio: high/low overflows across 600 decades.
        let t = scale == .logarithmic ? (log(value) - log(low)) / (log(high) - log(low)) : (value - low) / (high - low)
        return from * (1 - t) + to * t
    }

    func contains(_ value: Double) -> Bool {
        value.isFinite && value >= min(low, high) && value <= max(low, high) && (scale == .linear || value > 0)
    }

    /// 1, 2 or 5 times a power of ten, at least `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let power = pow(10, floor(log10(rough)))
        let fraction = rough / power
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power
    }

    /// A tick value with as many decimals as the step needs, a true minus, no "−0".
    static func label(_ value: Double, step: Double) -> String {
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        let text = String(format: "%.*f", decimals, abs(value) < step * 1e-9 ? 0 : value)
        return text.replacingOccurrences(of: "-", with: "−")
    }

    static func power(_ exponent: Int) -> RichText {
        .plain("10") + .plain(String(exponent).replacingOccurrences(of: "-", with: "−"), .raised)
    }
}
