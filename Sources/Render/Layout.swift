/// What the report is laid out on: printed pages of a paper size, or a 16:9 slide deck.
/// The same cells feed every layout; a lesson does not change to get slides.
///
///     let handout = Document(report, layout: .pages(.letter))
///     let deck = Document(report, layout: .slides(reveal: true))
public enum Layout: Sendable, Hashable {
    case pages(Paper)
    /// One step, table or figure per slide; with `reveal`, a step's lines on successive slides;
    /// with `sections`, only those top-level sections (1-based), numbered as in the whole deck.
    case slides(reveal: Bool, sections: ClosedRange<Int>? = nil)

    public static let a4 = Layout.pages(.a4)

    var page: Page {
        switch self {
        case .pages(.a4): .a4
        case .pages(.letter): .letter
        case .slides: .slide
        }
    }
}

/// The paper a handout is printed on.
public enum Paper: String, Sendable, CaseIterable {
    case a4, letter
}

/// A page's size in points and the margins its text keeps inside, as the layout sees it; the
/// output magnifies it by `scale` (a slide is laid out at half its size, so the handout's 10 pt
/// body is 20 pt on the screen).
struct Page: Sendable {
    struct Margins: Sendable { var top, bottom, left, right: Double }
    var size: Size
    var margin: Margins
    var scale = 1.0

    /// The size of the PDF page or PNG drawn.
    var mediaSize: Size { Size(size.width * scale, size.height * scale) }

    var contentWidth: Double { size.width - margin.left - margin.right }
    var contentBottom: Double { size.height - margin.bottom }
    var contentHeight: Double { contentBottom - margin.top }
    /// A slide (wider than tall), where a figure is never cut, only scaled.
    var isLandscape: Bool { size.width > size.height }

    static let a4 = Page(size: Size(595.276, 841.890), margin: Margins(top: 64, bottom: 60, left: 66, right: 66))
    /// US Letter (8.5 × 11 in): the same text block height, a line or two wider.
    static let letter = Page(size: Size(612, 792), margin: Margins(top: 60, bottom: 56, left: 69, right: 69))
    /// A 16:9 slide of 160 × 90 mm, as LaTeX Beamer makes it, set for projection: laid out at
    /// 80 × 45 mm in the handout's type sizes and drawn twice as large, so the body is 20 pt and
    /// a formula 21 pt on the 160 mm slide (Beamer's 11 pt reads small across a lecture hall).
    static let slide = Page(
        size: Size(453.543 / 2, 255.118 / 2), margin: Margins(top: 23, bottom: 12, left: 11, right: 11), scale: 2)
}
