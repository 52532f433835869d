import Engine
import Foundation
import LessonKit
import MathNotation
import ReportModel

extension Lesson {
    /// 001_1d037609c44b217d.txt's histogram of oriented gradients: "1. divide image into small spatial
    /// regions called cells, 2. compute intensity gradients over N directions [typically 9 for image],
    /// 3. compute weighted 1-D histogram of all directions. A cell is reduced to N numbers", with
    /// 003's [−1 0 1] derivative filter and Dalal and Triggs's (2005) vote between neighbouring bins.
    public static let hog = Lesson(
        name: "hog",
        title:
            """
            Histogram of oriented gradients: [−1 0 1] gradients, magnitude and direction \
            per pixel, one cell's 9-bin histogram worked, the cells drawn over the image
            """,
        parameters: [
            .choice(
                "image", "disc", among: HoG.Picture.allCases.map(\.rawValue),
                "the image: a bright disc, a diagonal edge, or stripes"),
            .integer("size", 16, in: 8...48, "image width and height in pixels (a whole number of cells)"),
            .integer("cell", 8, in: 4...16, "cell width and height in pixels"),
            .integer("bins", 9, in: 2...18, "orientation bins over 0° to 180° (001: typically 9)"),
            .real("noise", 0.02, in: 0...0.5, "standard deviation of the noise added to each pixel"),
            .integer("seed", 1, in: 0...1_000_000_000, "seed of the noise"),
            .digits(4),
        ],
        check: { p in
            p.integer("size") % p.integer("cell") == 0
                ? nil
                : "size=\(p.integer("size")) is not a whole number of cells of \(p.integer("cell")): choose a size that \(p.integer("cell")) divides, such as \(max(p.integer("cell"), p.integer("size") / p.integer("cell") * p.integer("cell")))"
        },
        build: HoG.build
    ).regimes([
        Regime(
            "image=stripes",
            "stripes: one gradient direction everywhere, so every cell votes into the two bins around it"),
        Regime("noise=0", "no noise: flat regions give no gradient at all, and vote nothing"),
        Regime("bins=2", "two bins: each vote splits between 0° and 90°, and the histogram tells little"),
    ])
}

enum HoG {
    enum Picture: String, CaseIterable { case disc, edge, stripes }

    /// Intensities in [0, 1] from a formula, two decimals, row 0 at the top.
    static func pixels(_ picture: Picture, size: Int, noise: Double, seed: Int) -> [[Double]] {
        var random = SeededGenerator(seed: UInt64(seed) &+ 0x4067)
        let centre = Double(size - 1) / 2
        return (0..<size).map { r in
            (0..<size).map { c in
                let (x, y) = (Double(c) - centre, centre - Double(r))
                let clean =
                    switch picture {
                    case .disc: 1 / (1 + exp((hypot(x, y) - Double(size) / 4) * 1.5))  // a soft-edged disc
                    case .edge: 1 / (1 + exp(-(x + 0.6 * y) * 1.2))  // bright to the right
                    case .stripes: 0.5 + 0.5 * sin(Double(c + r) * .pi / 4)  // diagonal stripes
                    }
                return ((min(max(clean + noise * random.gaussian(), 0), 1)) * 100).rounded() / 100
            }
        }
    }

    /// The bin centres, in degrees: 180/bins wide, the first centred at half a bin.
    static func centres(_ bins: Int) -> [Double] { (0..<bins).map { (Double($0) + 0.5) * 180 / Double(bins) } }

    /// A gradient's vote: its magnitude split between the two bins whose centres enclose its
    /// direction, in proportion to closeness (the last bin wraps to the first: 0° and 180° are one).
    static func votes(angle: Double, magnitude: Double, bins: Int) -> [(bin: Int, share: Double)] {
        let width = 180 / Double(bins)
        let position = angle / width - 0.5
        let low = Int(floor(position))
        let fraction = position - floor(position)
        return [((low + bins) % bins, magnitude * (1 - fraction)), ((low + 1) % bins, magnitude * fraction)]
    }

    /// The unsigned direction of (g_x, g_y) in degrees, in [0, 180).
    static func angle(_ gx: Double, _ gy: Double) -> Double {
        let a = atan2(gy, gx) * 180 / .pi
        let folded = a < 0 ? a + 180 : a
        return folded >= 180 ? folded - 180 : folded
    }

    static func build(_ p: Parameters) -> LessonResult {
        let format = NumberFormat(significantDigits: p.integer("digits"))
        let size = p.integer("size")
        let cellSize = p.integer("cell")
        let bins = p.integer("bins")
        let picture = Picture(rawValue: p.choice("image"))!
        let image = pixels(picture, size: size, noise: p["noise"], seed: p.integer("seed"))

        // The gradients by the engine's conv2d: [−1 0 1] across, and up the rows (y grows upwards).
        let tape = TensorTape()
        let input = tape.input(NDArray(shape: [1, 1, size, size], scalars: image.flatMap { $0 })).labeled("I")
        let across = tape.input(NDArray(shape: [1, 1, 3, 3], scalars: [0, 0, 0, -1, 0, 1, 0, 0, 0])).labeled("k_x")
        let up = tape.input(NDArray(shape: [1, 1, 3, 3], scalars: [0, 1, 0, 0, 0, 0, 0, -1, 0])).labeled("k_y")
        let gxInner = input.conv2d(across).labeled("g_x")
        let gyInner = input.conv2d(up).labeled("g_y")
        let magnitudeInner = (gxInner.pow(2) + gyInner.pow(2)).pow(0.5).labeled("magnitude")
        // The filter has no neighbour on one side at the border: the gradient there is taken as 0.
        func padded(_ t: Tensor) -> [[Double]] {
            let inner = t.value.scalars
            let n = size - 2
            return (0..<size).map { r in
                (0..<size).map { c in
                    (1..<(size - 1)).contains(r) && (1..<(size - 1)).contains(c) ? inner[(r - 1) * n + (c - 1)] : 0
                }
            }
        }
        let (gx, gy, magnitude) = (padded(gxInner), padded(gyInner), padded(magnitudeInner))
        let angles = (0..<size).map { r in (0..<size).map { c in angle(gx[r][c], gy[r][c]) } }
        let cells = size / cellSize
        let histograms = (0..<cells).map { i in
            (0..<cells).map { j -> [Double] in
                var h = [Double](repeating: 0, count: bins)
                for r in (i * cellSize)..<((i + 1) * cellSize) {
                    for c in (j * cellSize)..<((j + 1) * cellSize) {
                        for vote in votes(angle: angles[r][c], magnitude: magnitude[r][c], bins: bins) {
                            h[vote.bin] += vote.share
                        }
                    }
                }
                return h
            }
        }
        let centre = centres(bins)

        // One pixel worked: the strongest gradient of the first cell.
        let cellPixels = (0..<cellSize).flatMap { r in (0..<cellSize).map { (r, $0) } }
        let (wr, wc) = cellPixels.max { magnitude[$0.0][$0.1] < magnitude[$1.0][$1.1] }!
        let scalar = Tape()
        let right = scalar.input(image[wr][wc + 1 < size ? wc + 1 : wc], "I_right")
        let left = scalar.input(image[wr][max(wc - 1, 0)], "I_left")
        let above = scalar.input(image[max(wr - 1, 0)][wc], "I_up")
        let below = scalar.input(image[wr + 1 < size ? wr + 1 : wr][wc], "I_down")
        let onBorder = wr == 0 || wc == 0 || wr == size - 1 || wc == size - 1
        let sx = (right - left).labeled("g_x")
        let sy = (above - below).labeled("g_y")
        let sm = (sx.pow(2) + sy.pow(2)).squareRoot().labeled("m")
        let theta = angles[wr][wc]
        let shares = votes(angle: theta, magnitude: sm.value, bins: bins)
        let th = scalar.input(theta, "theta")
        let width = scalar.input(180 / Double(bins), "w")
        let (lowCentre, highCentre) = (
            scalar.input(centre[shares[0].bin] - (shares[0].bin > shares[1].bin ? 180 : 0), "c_low"),
            scalar.input(centre[shares[1].bin], "c_high")
        )
        let voteLow = (sm * (highCentre - th) / width).labeled("vote_low")
        let voteHigh = (sm * (th - lowCentre) / width).labeled("vote_high")
        let n = Notation(
            tape: scalar, format: format,
            symbols: [
                "I_right": "I(x + 1, y)", "I_left": "I(x − 1, y)", "I_up": "I(x, y + 1)", "I_down": "I(x, y − 1)",
                "theta": "θ", "w": "w",
                "c_low": "c_{low}", "c_high": "c_{high}", "vote_low": "vote_{low}", "vote_high": "vote_{high}",
            ])
        func degrees(_ x: Double) -> RichText { n.number(x) + "°" }

        var values = ExportedValues(scalar)
        values["image"] = .rows(image)
        values["gx"] = .rows(gx)
        values["gy"] = .rows(gy)
        values["magnitude"] = .rows(magnitude)
        values["angle"] = .rows(angles)
        values["histograms"] = .rows(histograms.flatMap { $0 })
        values["pixel"] = .array([Double(wr), Double(wc)])

        func map(_ title: String, _ rows: [[Double]], _ colors: Plot.Field.Colors) -> Plot {
            var field = Plot.Field(
                xs: (0..<size).map(Double.init), ys: (0..<size).map(Double.init), values: rows.flatMap { $0 },
                colors: colors, showValues: size <= 8)
            if colors == .diverging {
                let reach = max(rows.flatMap { $0 }.map(abs).max() ?? 1, 1e-9)
                field.colorRange = -reach...reach
            }
            return Plot(
                title: .plain(title), x: "column", y: .init("row", reversed: true), equalAspect: true, legend: false,
                layers: [.heatmap(field)])
        }
        // Each cell's histogram as lines through its centre along the edge direction (perpendicular
        // to the gradient), as long as the bin's share of the cell's largest bin.
        let largest = max(histograms.flatMap { $0.flatMap { $0 } }.max() ?? 1, 1e-12)
        let glyphs: [Plot.Layer] = (0..<cells).flatMap { i in
            (0..<cells).flatMap { j in
                centre.indices.compactMap { k -> Plot.Layer? in
                    let length = histograms[i][j][k] / largest * Double(cellSize) * 0.48
                    guard length > 1e-9 else { return nil }
                    let (cx, cy) = (
                        Double(j * cellSize) + Double(cellSize - 1) / 2, Double(i * cellSize) + Double(cellSize - 1) / 2
                    )
                    let edge = (centre[k] + 90) * .pi / 180
                    // Rows grow downwards on the page: an upward direction is a smaller row.
                    let (dx, dy) = (cos(edge) * length, -sin(edge) * length)
                    return .line(.init(nil, points: [(cx - dx, cy - dy), (cx + dx, cy + dy)], color: 1))
                }
            }
        }
        var background = Plot.Field(
            xs: (0..<size).map(Double.init), ys: (0..<size).map(Double.init), values: image.flatMap { $0 },
            colors: .surface)
        background.colorRange = 0...1.5
        let cellLines: [Plot.Layer] = (1..<max(cells, 1)).flatMap { k -> [Plot.Layer] in
            let at = Double(k * cellSize) - 0.5
            return [
                .rule(vertical: true, at: at, label: RichText()), .rule(vertical: false, at: at, label: RichText()),
            ]
        }
        let worked = histograms[0][0]
        let name = Lesson.hog.name
        let report = Report(
            title: "Histogram of oriented gradients",
            subtitle:
                """
                The best hand-made image feature before 2012: where the intensity changes, how fast and in which \
                direction, summed into a few numbers per cell. Every number below was computed by the engine.
                """,
            lesson: name,
            source:
                """
                Notes \(CourseNotes.cite("001")) (“Histogram of Oriented Gradients (HoG)”: cells, N \
                directions “typically 9”, a weighted histogram per cell), \(CourseNotes.cite("003")) \
                (the [−1 0 1] derivative filter); the vote between bins after Dalal and Triggs (2005)
                """
        ) {
            Section("The recipe and the image") {
                """
                “The best classical solution [before 2012] were based on local features” (001), \
                and HoG is the classic: 1. divide the image into small regions called cells; 2. \
                compute intensity gradients over N directions, “typically 9”; 3. compute a weighted \
                1-D histogram of all directions, so that “a cell is reduced to N numbers”.
                """
                """
                The image here is \(size) × \(size) pixels (\(picture.rawValue), intensities \
                from 0 to 1 with noise of standard deviation \(n.number(p["noise"])), seed \
                \(p.integer("seed"))), in \(cells * cells) cells of \(cellSize) × \(cellSize).
                """
                n.settingsTable(p, "Every setting of this run.")
            }
            Section("Gradients by [−1 0 1]") {
                """
                The derivative filter [−1 0 1] (003) gives the change across, g_x = I(x + 1, y) − I(x − 1, y), and \
                the same filter turned upright the change upwards, g_y = I(x, y + 1) − I(x, y − 1); the engine \
                runs both as convolutions. At the border one neighbour is missing, and the gradient is taken as \
                0. From them, each pixel’s magnitude m = √(g_x^{2} + g_y^{2}) and direction θ = atan2(g_y, g_x), \
                folded into 0° to 180° (a dark-to-light edge and a light-to-dark one at the same angle count alike):
                """
                Figure(
                    """
                    The image, g_x, g_y and the magnitude m (row 0 at the \
                    top; g in blue where negative, vermillion where positive).
                    """,
                    panels: Panels(
                        columns: 2, sharedX: false, sharedY: false,
                        plots: [
                            map("image", image, .sequential), map("g_x", gx, .diverging), map("g_y", gy, .diverging),
                            map("magnitude", magnitude, .sequential),
                        ]))
                """
                The strongest gradient of the first cell is at row \(wr), column \
                \(wc)\(onBorder ? " (on the border, where the gradient is 0)" : ""):
                """
                n.step(sx)
                n.step(sy)
                n.step(sm)
                "Its direction is θ = atan2(\(n.value(sy)), \(n.value(sx))) = \(degrees(theta)) after folding."
            }
            Section("One cell’s histogram") {
                ("\(bins) bins of w = \(format.plain(180 / Double(bins)))° cover 0° to 180°, centred at " as RichText)
                    + centre.prefix(3).map(degrees).reduce(RichText()) { $0 + $1 + ", " }
                    + "…. A pixel votes with its magnitude, split between the two bins whose centres enclose its direction, more to the nearer one (the last bin and the first are neighbours: 0° and 180° are the same line). The pixel above, θ = \(degrees(theta)), between \(degrees(lowCentre.value)) and \(degrees(highCentre.value)):"
                n.step(voteLow)
                n.step(voteHigh)
                "The two votes add up to the magnitude. Every pixel of the cell votes the same way:"
                Table(
                    """
                    The histogram of the first cell (rows 0 to \(cellSize - 1), columns \
                    0 to \(cellSize - 1)); its total is the sum of the cell’s magnitudes.
                    """,
                    columns: [
                        .init("bin", alignment: .trailing), .init("centre", alignment: .trailing),
                        .init("weighted votes", alignment: .trailing),
                    ],
                    rows: worked.indices.map { k in [.plain("\(k + 1)"), degrees(centre[k]), n.number(worked[k])] }
                        + [["", "total", n.number(worked.reduce(0, +))]])
                Figure(
                    "The first cell reduced to \(bins) numbers.",
                    plot: Plot(
                        x: "direction", y: "weighted votes",
                        layers: [
                            .bars(
                                .init(
                                    categories: centre.map { .plain("\(format.plain($0))°") },
                                    series: [(RichText("votes"), worked)]))
                        ]))
            }
            Section("Every cell") {
                """
                The same for every cell. Drawn as lines through the cell’s centre along the edge each \
                bin stands for (perpendicular to its gradient direction), each as long as its votes:
                """
                Figure(
                    """
                    The cells’ histograms over the image: every cell’s \(bins) \
                    bins as lines along the edge direction, longer for more votes.
                    """,
                    plot: Plot(
                        x: .init("column", range: -0.5...(Double(size) - 0.5)),
                        y: .init("row", range: -0.5...(Double(size) - 0.5), reversed: true),
                        equalAspect: true, legend: false, layers: [.heatmap(background)] + cellLines + glyphs))
                """
                The image becomes \(cells * cells) × \(bins) = \(cells * cells * bins) numbers. \
                Dalal and Triggs also normalise the histograms of overlapping blocks of cells \
                against changes of contrast, and a classifier such as a linear SVM learns from \
                these numbers; a convolutional network learns its own filters instead of [−1 0 1].
                """
            }
        }
        return LessonResult(
            lesson: name, parameters: p, report: report, values: values,
            recordings: [Recording(notation: n, output: voteLow)])
    }
}
