import CCairo
import CPangoCairo
import Synchronization

/// Keeps alive, for the life of the process, every font that text is measured or drawn with.
///
///     FontLifetimes.keep(fontsOf: layout, drawnOn: cr)   // before pango_cairo_show_layout
///     FontLifetimes.keep(font, drawnOn: cr)              // before pango_cairo_show_glyph_item
///
/// Why: cairo 1.16 (Debian 12's) lets go of a scaled font's last reference before it takes the
/// font map's lock. If another thread looks the same font up in that moment, it revives the font
/// and starts drawing with it (freezing its glyph cache), and the first thread's next check
/// aborts the process: `cairo_scaled_font_destroy: Assertion '! scaled_font->cache_frozen'`.
/// Pages are drawn on several threads at once with the same fonts, and a PNG page's fonts are
/// cairo's own (its device scale makes them differ from Pango's), made and let go at every
/// change of font: the sweep met the abort once in 1,046 runs. A font whose count never falls
/// to zero cannot meet it. There are a few dozen such fonts in a run (families, sizes, scales
/// and the rotation of an axis label), so keeping them costs nothing worth measuring.
enum FontLifetimes {
    /// A font and the transformation it is drawn with (the context's matrix times the surface's
    /// device scale), which together pick cairo's scaled font.
    private struct Use: Hashable {
        let font: UInt
        let xx, yx, xy, yy, scaleX, scaleY: Double
    }

    private struct Kept {
        var fonts: Set<UInt> = []
        var uses: Set<Use> = []
    }

    private static let kept = Mutex(Kept())

    /// Keeps the fonts of every run of `layout`, and the scaled fonts cairo makes from them on `cr`.
    static func keep(fontsOf layout: OpaquePointer, drawnOn cr: OpaquePointer?) {
        guard let iterator = pango_layout_get_iter(layout) else { return }
        defer { pango_layout_iter_free(iterator) }
        repeat {
            if let run = pango_layout_iter_get_run_readonly(iterator), let font = run.pointee.item.pointee.analysis.font
            {
                keep(font, drawnOn: cr)
            }
        } while pango_layout_iter_next_run(iterator) != 0
    }

    /// Keeps `font` (a Pango font, which holds the scaled font it measures with) and, when it is
    /// drawn on `cr`, the scaled font cairo draws it with there.
    static func keep(_ font: UnsafeMutablePointer<PangoFont>, drawnOn cr: OpaquePointer?) {
        let address = UInt(bitPattern: font)
        var use: Use?
        if let cr {
            var matrix = cairo_matrix_t()
            var scaleX = 1.0
            var scaleY = 1.0
            cairo_get_matrix(cr, &matrix)
            cairo_surface_get_device_scale(cairo_get_target(cr), &scaleX, &scaleY)
            use = Use(
                font: address, xx: matrix.xx, yx: matrix.yx, xy: matrix.xy, yy: matrix.yy, scaleX: scaleX,
                scaleY: scaleY)
        }
        kept.withLock { kept in
            // A kept Pango font is never freed, so its address cannot come back as another font's.
            if kept.fonts.insert(address).inserted { g_object_ref(UnsafeMutableRawPointer(font)) }
            guard let cr, let use, kept.uses.insert(use).inserted,
                let scaled = pango_cairo_font_get_scaled_font(OpaquePointer(font))
            else { return }
            // cairo makes the scaled font it draws with when asked for it; one more reference keeps it.
            cairo_save(cr)
            cairo_set_scaled_font(cr, scaled)
            cairo_scaled_font_reference(cairo_get_scaled_font(cr))
            cairo_restore(cr)
        }
    }
}
