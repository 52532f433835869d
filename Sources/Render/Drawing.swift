import Foundation
import ReportModel

/// One figure on its own page, sized to the drawing with a small margin: what a run writes to
/// `figures/` and what `lessons graph` writes, for slides and course pages.
///
///     let drawing = Drawing(Figure("E_total", graph: graph))   // laid out at its natural size
///     try drawing.pdf(); try drawing.png(dpi: 150); try drawing.svg()
public struct Drawing: Sendable {
    /// The figure's number in its report (nil for a figure drawn on its own).
    public let number: Int?
    /// Its chapter in a handout, if any.
    public let chapter: Int?
    public let caption: String
    let marks: [Mark]
    let size: Size

    static let margin = 8.0

    init(_ figure: FigureDrawing) { self.init(figure, number: figure.number) }

    private init(_ figure: FigureDrawing, number: Int?) {
        self.number = number
        chapter = figure.chapter
        caption = figure.caption
        marks = figure.marks.map { $0.offset(by: Point(Drawing.margin, Drawing.margin)) }
        size = Size(figure.size.width + 2 * Drawing.margin, figure.size.height + 2 * Drawing.margin)
    }

    /// A figure laid out alone: graphs at their natural size, other drawings at the page's text width.
    public init(_ figure: Figure) {
        let drawn = Typesetter().drawing(figure.content, width: Page.a4.contentWidth, height: nil)
        self.init(
            FigureDrawing(number: 0, caption: figure.caption.plainText, marks: drawn.marks, size: drawn.size),
            number: nil)
    }

    /// Width and height in points.
    public var points: (width: Double, height: Double) { (size.width, size.height) }

    public func pdf() throws(RenderError) -> Data { try Output.pdf(pages: [marks], size: size, title: caption) }
    public func png(dpi: Double) throws(RenderError) -> Data { try Output.png(marks, size: size, dpi: dpi) }
    public func svg() throws(RenderError) -> Data { try Output.svg(marks, size: size) }

    /// A file name from the number and the caption's first words: `03-the-forward-graph`
    /// (`02-03-the-forward-graph` in chapter 2 of a handout).
    public var fileStem: String {
        let sentence = caption.split(separator: ".", maxSplits: 1).first.map(String.init) ?? caption
        let words = sentence.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.prefix(6)
        let slug = words.joined(separator: "-")
        let prefix =
            (chapter.map { String(format: "%02d-", $0) } ?? "")
            + (number.map { String(format: "%02d", $0) } ?? "figure")
        return slug.isEmpty ? prefix : "\(prefix)-\(slug)"
    }
}
