import ReportModel

typealias PlotColors = Plot.Field.Colors

/// The colours of plots. Series take the Okabe–Ito palette in order (told apart by readers with
/// any common colour-vision deficiency); surfaces and heatmaps take ramps that change in
/// lightness, so they read in grey too.
///
///     Palette.series(0)                          // Okabe–Ito blue
///     Palette.color(0.5, in: .sequential)        // viridis at its middle
enum Palette {
    /// Okabe & Ito (2008): blue, vermillion, bluish green, reddish purple, orange, sky blue,
    /// black, yellow (last: weak on white).
    static let okabeIto = [0x0072b2, 0xd55e00, 0x009e73, 0xcc79a7, 0xe69f00, 0x56b4e9, 0x000000, 0xf0e442].map {
        Color(UInt32($0))
    }

    static func series(_ index: Int) -> Color { okabeIto[index % okabeIto.count] }

    /// Viridis, sampled at nine evenly spaced stops.
    private static let viridis = [
        0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaddc30, 0xfde725,
    ].map { Color(UInt32($0)) }
    /// From near white to a light blue: a quiet ground for paths drawn over it.
    private static let surface = [0xfbfdff, 0xeef5fb, 0xdeebf7, 0xcadff0, 0xb3d1e9].map { Color(UInt32($0)) }
    /// Blue, white, red (ColorBrewer RdBu, its lighter stops): points and numbers stay readable on it.
    private static let diverging = [0x4393c3, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xd6604d].map { Color(UInt32($0)) }

    /// The colour at t ∈ [0, 1] along a ramp (clamped).
    static func color(_ t: Double, in ramp: [Color]) -> Color {
        let s = min(max(t.isNaN ? 0 : t, 0), 1) * Double(ramp.count - 1)
        let k = min(Int(s), ramp.count - 2)
        let f = s - Double(k)
        let (a, b) = (ramp[k], ramp[k + 1])
        return Color(
            red: a.red + (b.red - a.red) * f, green: a.green + (b.green - a.green) * f,
            blue: a.blue + (b.blue - a.blue) * f)
    }

    static func ramp(_ colors: PlotColors) -> [Color] {
        switch colors {
        case .surface: surface
        case .sequential: viridis
        case .diverging: diverging
        }
    }

    /// Text over a fill: white on dark colours, ink on light ones (by relative luminance).
    static func ink(on fill: Color) -> Color {
        0.2126 * fill.red + 0.7152 * fill.green + 0.0722 * fill.blue < 0.5 ? Theme.white : Theme.ink
    }
}
