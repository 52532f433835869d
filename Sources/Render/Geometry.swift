/// A point in PDF points (1/72 inch), y growing downwards as in cairo.
struct Point: Sendable, Equatable {
    var x: Double, y: Double
    init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
    static func + (a: Point, b: Point) -> Point { Point(a.x + b.x, a.y + b.y) }
}

struct Size: Sendable, Equatable {
    var width: Double, height: Double
    init(_ width: Double, _ height: Double) {
        self.width = width
        self.height = height
    }
}

struct Rect: Sendable, Equatable {
    var origin: Point, size: Size
    init(_ x: Double, _ y: Double, _ width: Double, _ height: Double) {
        origin = Point(x, y)
        size = Size(width, height)
    }
    func offset(by p: Point) -> Rect { Rect(origin.x + p.x, origin.y + p.y, size.width, size.height) }
}

/// An sRGB colour, written as in CSS: `Color(0x2b5797)`.
struct Color: Sendable, Hashable {
    var red: Double, green: Double, blue: Double
    init(_ hex: UInt32) {
        red = Double((hex >> 16) & 0xff) / 255
        green = Double((hex >> 8) & 0xff) / 255
        blue = Double(hex & 0xff) / 255
    }
    init(red: Double, green: Double, blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }
}

/// A font as a family, a size in points and a weight or slant.
struct Font: Sendable, Hashable {
    var family: String
    var size: Double
    var bold = false
    var italic = false
    init(_ family: String, _ size: Double, bold: Bool = false, italic: Bool = false) {
        self.family = family
        self.size = size
        self.bold = bold
        self.italic = italic
    }
}

/// A block of text to set with Pango: markup, font, optional wrapping width.
struct TextSpec: Sendable, Hashable {
    enum Alignment: Sendable, Hashable { case left, center, right }
    var markup: String
    var font: Font
    var color: Color
    var width: Double?
    var alignment: Alignment = .left
    var lineSpacing: Double = 1
    /// One line, cut with "…" at `width` (a running header), instead of wrapped.
    var ellipsized = false
}

/// One drawing instruction, relative to the box that holds it. Pages are lists of these,
/// so one layout serves the PDF and every PNG.
enum Mark: Sendable {
    case text(TextSpec, at: Point)
    case line(from: Point, to: Point, width: Double, color: Color, dash: Double = 0)
    case rect(Rect, fill: Color?, stroke: Color? = nil, lineWidth: Double = 0, radius: Double = 0, dash: Double = 0)
    case circle(center: Point, radius: Double, fill: Color?, stroke: Color?, lineWidth: Double)
    /// The ellipse inscribed in a rectangle.
    case ellipse(Rect, fill: Color?, stroke: Color?, lineWidth: Double, dash: Double = 0)
    case polyline([Point], width: Double, color: Color)
    /// A piecewise cubic Bézier: a start point, then three points per piece.
    case curve([Point], width: Double, color: Color)
    /// Several polylines as one path: filled (even-odd, so inner loops are holes) and/or stroked.
    case path([[Point]], closed: Bool, fill: Color?, stroke: Color?, lineWidth: Double, dash: Double = 0)
    /// Marks drawn only inside a rectangle.
    indirect case clipped(Rect, [Mark])
    /// Marks drawn `factor` times their size, their origin at `at`: what does not fit a slide otherwise.
    indirect case scaled(Double, at: Point, [Mark])
    case polygon([Point], fill: Color)
    /// One glyph of the math font by its id, its baseline's left end at `at`: a bracket's larger
    /// size variant, which no character names.
    case glyph(Glyph, at: Point)
    /// A PDF outline entry (a bookmark) pointing at `at`.
    case anchor(title: String, level: Int, at: Point)

    func offset(by p: Point) -> Mark {
        switch self {
        case .text(let spec, let at): .text(spec, at: at + p)
        case .line(let a, let b, let w, let c, let d): .line(from: a + p, to: b + p, width: w, color: c, dash: d)
        case .rect(let r, let f, let s, let w, let radius, let d):
            .rect(r.offset(by: p), fill: f, stroke: s, lineWidth: w, radius: radius, dash: d)
        case .circle(let c, let r, let f, let s, let w):
            .circle(center: c + p, radius: r, fill: f, stroke: s, lineWidth: w)
        case .ellipse(let r, let f, let s, let w, let d):
            .ellipse(r.offset(by: p), fill: f, stroke: s, lineWidth: w, dash: d)
        case .polyline(let ps, let w, let c): .polyline(ps.map { $0 + p }, width: w, color: c)
        case .curve(let ps, let w, let c): .curve(ps.map { $0 + p }, width: w, color: c)
        case .path(let lines, let closed, let f, let s, let w, let d):
            .path(lines.map { $0.map { $0 + p } }, closed: closed, fill: f, stroke: s, lineWidth: w, dash: d)
        case .clipped(let r, let marks): .clipped(r.offset(by: p), marks.map { $0.offset(by: p) })
        case .polygon(let ps, let f): .polygon(ps.map { $0 + p }, fill: f)
        case .glyph(let glyph, let at): .glyph(glyph, at: at + p)
        case .scaled(let factor, let at, let marks): .scaled(factor, at: at + p, marks)
        case .anchor(let title, let level, let at): .anchor(title: title, level: level, at: at + p)
        }
    }

    var isAnchor: Bool { if case .anchor = self { true } else { false } }
}

/// A glyph of the math font: its id, size and colour, its advance and the rectangle its ink
/// covers from its baseline's left end.
struct Glyph: Sendable, Hashable {
    var id: UInt32
    /// The character it stands for, which a PDF's text layer gives for it.
    var text: String
    var size: Double
    var color: Color
    var advance: Double
    var ink: Rect
}

extension Rect: Hashable {}
extension Point: Hashable {}
extension Size: Hashable {}

/// A figure drawn on its own: its number and caption in the report, its marks and size.
struct FigureDrawing: Sendable {
    var number: Int
    /// The handout chapter it is in, if any.
    var chapter: Int? = nil
    var caption: String
    var marks: [Mark]
    var size: Size
}
