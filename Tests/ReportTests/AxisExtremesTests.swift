import Foundation
import Testing

@testable import Render

/// Log axes at the ends of what a Double holds: Adagrad's f falls to 1e-323, a subnormal, whose
/// decade rounded down is 10⁻³²⁴ = 0 (log10(0) = −∞ trapped as an Int: `optimizers --set steps=1119`).
@Suite struct AxisExtremesTests {
    @Test(arguments: [
        [1e-323, 1], [Double.leastNonzeroMagnitude, 10], [1e-300, 1e300], [5e-324, Double.greatestFiniteMagnitude],
        [0, 1e-320], [1e308, 1.7e308],
    ])
    func aLogAxisOverAnyPositiveRangeHasTicks(data: [Double]) {
        let axis = AxisScale(.logarithmic, data: data)
        #expect(axis.low > 0 && axis.high > axis.low && axis.high.isFinite)
        #expect(!axis.ticks.isEmpty && axis.ticks.count <= 12, "\(axis.ticks.count) ticks")
        #expect(axis.ticks.allSatisfy { $0.value >= axis.low * (1 - 1e-9) && $0.value <= axis.high * (1 + 1e-9) })
        // Every positive value maps into the axis, or to its ends.
        for x in data where x > 0 { #expect(axis.position(max(x, axis.low)).isFinite) }
    }

    @Test func sixHundredDecadesAreThinnedToAFewLabels() {
        let axis = AxisScale(.logarithmic, data: [1e-300, 1e300])
        #expect(axis.ticks.count <= 8)
        #expect(axis.ticks.first!.value <= 1e-299 && axis.ticks.last!.value >= 1e299)
    }
}
