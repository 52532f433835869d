import CCairo
import CPangoCairo
import Foundation

/// Why rendering failed, in cairo's words.
///
///     do { _ = try Document(report).pdf() } catch { print(error) }  // "cairo failed while …: out of memory"
public struct RenderError: Error, CustomStringConvertible {
    public let description: String
}

func check(_ status: cairo_status_t, _ doing: String) throws(RenderError) {
    guard status == CAIRO_STATUS_SUCCESS else {
        throw RenderError(
            description: "cairo failed while \(doing): \(String(cString: cairo_status_to_string(status)))")
    }
}

/// A cairo context with Pango text: draws marks, measures text. It owns its cairo_t and
/// never leaves the render call that made it (cairo objects are not Sendable).
final class Canvas {
    let cr: OpaquePointer

    init(surface: OpaquePointer) {
        cr = cairo_create(surface)
        // Hinting off and grey antialiasing, before any layout is made: then text measures
        // the same on every surface and machine, and PNG and PDF lines break at the same words.
        let options = cairo_font_options_create()
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_set_font_options(cr, options)
        cairo_font_options_destroy(options)
    }

    deinit { cairo_destroy(cr) }

    var status: cairo_status_t { cairo_status(cr) }

    // MARK: Text

    /// A Pango layout for `spec`; the caller releases it with `g_object_unref`.
    private func layout(_ spec: TextSpec) -> OpaquePointer {
        let context = Fonts.context(for: cr)
        let layout = pango_layout_new(context)!
        g_object_unref(UnsafeMutableRawPointer(context))
        let font = pango_font_description_new()!
        pango_font_description_set_family(font, spec.font.family)
        pango_font_description_set_absolute_size(font, spec.font.size * Double(PANGO_SCALE))
        if spec.font.bold { pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD) }
        if spec.font.italic { pango_font_description_set_style(font, PANGO_STYLE_ITALIC) }
        pango_layout_set_font_description(layout, font)
        pango_font_description_free(font)
        if let width = spec.width {
            pango_layout_set_width(layout, Int32(width * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
            if spec.ellipsized { pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END) }
        }
        switch spec.alignment {
        case .left: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        case .center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        case .right: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
        }
        if spec.lineSpacing != 1 { pango_layout_set_line_spacing(layout, Float(spec.lineSpacing)) }
        pango_layout_set_markup(layout, spec.markup, -1)
        return layout
    }

    /// The text's logical size (its width, or the wrapping width, and the height of its lines),
    /// the distance from its top to its first baseline, and the rectangle its glyphs' ink covers
    /// from its top-left corner (an italic f's ink runs past its advance): one layout for all three.
    func metrics(_ spec: TextSpec) -> TextMetrics {
        let layout = layout(spec)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        var ink = PangoRectangle()
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, &ink, &logical)
        FontLifetimes.keep(fontsOf: layout, drawnOn: nil)
        if pango_layout_get_unknown_glyphs_count(layout) > 0 {
            Fonts.noteMissing(in: String(cString: pango_layout_get_text(layout)))
        }
        var width: Int32 = 0
        var height: Int32 = 0
        pango_layout_get_size(layout, &width, &height)
        let scale = Double(PANGO_SCALE)
        return TextMetrics(
            size: Size(Double(width) / scale, Double(height) / scale),
            baseline: Double(pango_layout_get_baseline(layout)) / scale,
            ink: Rect(
                Double(ink.x) / scale, Double(ink.y) / scale, Double(ink.width) / scale, Double(ink.height) / scale))
    }

    /// A glyph of the math font by id, through Pango (which loads the font as text would).
    private func glyph(_ glyph: Glyph, at point: Point) {
        let context = Fonts.context(for: cr)
        defer { g_object_unref(UnsafeMutableRawPointer(context)) }
        let description = pango_font_description_new()!
        defer { pango_font_description_free(description) }
        pango_font_description_set_family(description, MathFont.family)
        pango_font_description_set_absolute_size(description, glyph.size * Double(PANGO_SCALE))
        guard let font = pango_context_load_font(context, description) else { return }
        defer { g_object_unref(UnsafeMutableRawPointer(font)) }
        FontLifetimes.keep(font, drawnOn: cr)
        let string = pango_glyph_string_new()!
        defer { pango_glyph_string_free(string) }
        pango_glyph_string_set_size(string, 1)
        string.pointee.glyphs[0].glyph = glyph.id
        string.pointee.glyphs[0].geometry = PangoGlyphGeometry(
            width: Int32(glyph.advance * Double(PANGO_SCALE)), x_offset: 0, y_offset: 0)
        string.pointee.glyphs[0].attr.is_cluster_start = 1
        string.pointee.log_clusters[0] = 0
        set(glyph.color)
        cairo_move_to(cr, point.x, point.y)
        // Drawn as an item of its character's text, so a PDF's text layer reads "(" for a tall bracket.
        let item = pango_item_new()!
        let text = glyph.text
        item.pointee.offset = 0
        item.pointee.length = Int32(text.utf8.count)
        item.pointee.num_chars = Int32(text.count)
        item.pointee.analysis.font = UnsafeMutablePointer(OpaquePointer(g_object_ref(UnsafeMutableRawPointer(font))))
        var glyphItem = PangoGlyphItem()
        glyphItem.item = item
        glyphItem.glyphs = string
        pango_cairo_show_glyph_item(cr, text, &glyphItem)
        pango_item_free(item)
    }

    private func text(_ spec: TextSpec, at point: Point) {
        let layout = layout(spec)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        FontLifetimes.keep(fontsOf: layout, drawnOn: cr)
        set(spec.color)
        cairo_move_to(cr, point.x, point.y)
        pango_cairo_show_layout(cr, layout)
    }

    // MARK: Shapes

    private func set(_ color: Color) { cairo_set_source_rgb(cr, color.red, color.green, color.blue) }

    /// Fills the whole surface.
    func paint(_ color: Color) {
        set(color)
        cairo_paint(cr)
    }

    private func path(_ points: [Point]) {
        guard let first = points.first else { return }
        cairo_move_to(cr, first.x, first.y)
        for p in points.dropFirst() { cairo_line_to(cr, p.x, p.y) }
    }

    private func roundedRect(_ r: Rect, radius: Double) {
        let (x, y, w, h) = (r.origin.x, r.origin.y, r.size.width, r.size.height)
        guard radius > 0 else {
            cairo_rectangle(cr, x, y, w, h)
            return
        }
        cairo_new_sub_path(cr)
        cairo_arc(cr, x + w - radius, y + radius, radius, -.pi / 2, 0)
        cairo_arc(cr, x + w - radius, y + h - radius, radius, 0, .pi / 2)
        cairo_arc(cr, x + radius, y + h - radius, radius, .pi / 2, .pi)
        cairo_arc(cr, x + radius, y + radius, radius, .pi, 3 * .pi / 2)
        cairo_close_path(cr)
    }

    private func fillAndStroke(fill: Color?, stroke: Color?, lineWidth: Double, dash: Double = 0) {
        if let fill {
            set(fill)
            stroke == nil ? cairo_fill(cr) : cairo_fill_preserve(cr)
        }
        if let stroke {
            set(stroke)
            cairo_set_line_width(cr, lineWidth)
            if dash > 0 {
                var dashes = [dash, dash]
                cairo_set_dash(cr, &dashes, 2, 0)
            }
            cairo_stroke(cr)
            if dash > 0 { cairo_set_dash(cr, nil, 0, 0) }
        }
        cairo_new_path(cr)
    }

    /// Draws one mark. Anchors are the document's business, not the canvas's.
    func draw(_ mark: Mark) {
        switch mark {
        case .text(let spec, let point):
            text(spec, at: point)
        case .line(let a, let b, let width, let color, let dash):
            path([a, b])
            fillAndStroke(fill: nil, stroke: color, lineWidth: width, dash: dash)
        case .rect(let r, let fill, let stroke, let lineWidth, let radius, let dash):
            roundedRect(r, radius: radius)
            fillAndStroke(fill: fill, stroke: stroke, lineWidth: lineWidth, dash: dash)
        case .ellipse(let r, let fill, let stroke, let lineWidth, let dash):
            cairo_save(cr)
            cairo_translate(cr, r.origin.x + r.size.width / 2, r.origin.y + r.size.height / 2)
            cairo_scale(cr, r.size.width / 2, r.size.height / 2)
            cairo_new_sub_path(cr)
            cairo_arc(cr, 0, 0, 1, 0, 2 * .pi)
            cairo_restore(cr)  // the path keeps its shape; the pen is round again
            fillAndStroke(fill: fill, stroke: stroke, lineWidth: lineWidth, dash: dash)
        case .curve(let points, let width, let color):
            guard points.count >= 4 else { break }
            cairo_move_to(cr, points[0].x, points[0].y)
            var i = 1
            while i + 2 < points.count {
                cairo_curve_to(
                    cr, points[i].x, points[i].y, points[i + 1].x, points[i + 1].y, points[i + 2].x, points[i + 2].y)
                i += 3
            }
            fillAndStroke(fill: nil, stroke: color, lineWidth: width)
        case .circle(let center, let radius, let fill, let stroke, let lineWidth):
            cairo_new_sub_path(cr)
            cairo_arc(cr, center.x, center.y, radius, 0, 2 * .pi)
            fillAndStroke(fill: fill, stroke: stroke, lineWidth: lineWidth)
        case .polyline(let points, let width, let color):
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
            path(points)
            fillAndStroke(fill: nil, stroke: color, lineWidth: width)
        case .glyph(let glyph, let at):
            self.glyph(glyph, at: at)
        case .polygon(let points, let fill):
            path(points)
            cairo_close_path(cr)
            fillAndStroke(fill: fill, stroke: nil, lineWidth: 0)
        case .path(let lines, let closed, let fill, let stroke, let lineWidth, let dash):
            for line in lines where !line.isEmpty {
                path(line)
                if closed { cairo_close_path(cr) }
            }
            cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD)
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
            fillAndStroke(fill: fill, stroke: stroke, lineWidth: lineWidth, dash: dash)
            cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING)
        case .clipped(let rect, let marks):
            cairo_save(cr)
            cairo_rectangle(cr, rect.origin.x, rect.origin.y, rect.size.width, rect.size.height)
            cairo_clip(cr)
            for mark in marks { draw(mark) }
            cairo_restore(cr)
        case .scaled(let factor, let at, let marks):
            // Drawn unscaled on a recording surface, then painted scaled: text laid out under a
            // cairo_scale gets its <sub>/<sup> the wrong size (Pango 1.50), and a replayed
            // recording stays vector in a PDF and sharp in a PNG.
            let recording = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, nil)!
            defer { cairo_surface_destroy(recording) }
            do {
                let inner = Canvas(surface: recording)
                for mark in marks { inner.draw(mark) }
            }
            cairo_save(cr)
            cairo_translate(cr, at.x, at.y)
            cairo_scale(cr, factor, factor)
            cairo_set_source_surface(cr, recording, 0, 0)
            cairo_paint(cr)
            cairo_restore(cr)
        case .anchor:
            break
        }
    }
}

/// A canvas on a 1×1 image, for measuring text while laying out (same font options as drawing).
/// Each text is measured once: layout asks again and again (a graph tries several arrangements,
/// a step aligns baselines), and a Pango layout costs tens of microseconds to make.
final class Measurer {
    private let surface: OpaquePointer
    private let canvas: Canvas
    private var known: [TextSpec: TextMetrics] = [:]

    init() {
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)
        canvas = Canvas(surface: surface)
    }

    deinit { cairo_surface_destroy(surface) }

    func metrics(_ spec: TextSpec) -> TextMetrics {
        if let metrics = known[spec] { return metrics }
        let metrics = canvas.metrics(spec)
        known[spec] = metrics
        return metrics
    }

    func size(_ spec: TextSpec) -> Size { metrics(spec).size }
    func baseline(_ spec: TextSpec) -> Double { metrics(spec).baseline }
    func ink(_ spec: TextSpec) -> Rect { metrics(spec).ink }
}

/// What measuring a text gives: its logical size, its first baseline from the top, its ink.
struct TextMetrics {
    var size: Size
    var baseline: Double
    var ink: Rect
}
