/// What the report is laid out on: printed pages of a paper size, or a 16:9 slide deck.
/// The same cells feed every layout; a lesson does not change to get slides.
///
///     let handout = Document(report, layout: .pages(.letter))
///     let deck = Document(report, layout: .slides(reveal: true))
public enum Layout: Sendable, Hashable {
    case pages(Paper)
    /// One step, table or figure per slide; with `reveal`, a step's lines on successive slides.
    case slides(reveal: Bool)

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

/// A page's size in points and the margins its text keeps inside.
struct Page: Sendable {
    struct Margins: Sendable { var top, bottom, left, right: Double }
    var size: Size
    var margin: Margins

    var contentWidth: Double { size.width - margin.left - margin.right }
    var contentBottom: Double { size.height - margin.bottom }
    var contentHeight: Double { contentBottom - margin.top }
    /// A slide (wider than tall), where a figure is never cut, only scaled.
    var isLandscape: Bool { size.width > size.height }

    static let a4 = Page(size: Size(595.276, 841.890), margin: Margins(top: 64, bottom: 60, left: 66, right: 66))
    /// US Letter (8.5 × 11 in): the same text block height, a line or two wider.
    static let letter = Page(size: Size(612, 792), margin: Margins(top: 60, bottom: 56, left: 69, right: 69))
    /// A 16:9 slide of 160 × 90 mm, as LaTeX Beamer makes it: the handout's type sizes on a page
    /// about three quarters as wide, so the text is large when the slide fills a screen.
    static let slide = Page(size: Size(453.543, 255.118), margin: Margins(top: 40, bottom: 22, left: 24, right: 24))
}
