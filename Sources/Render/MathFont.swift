import CHarfBuzz
import Foundation

/// The math font and the OpenType MATH constants the layout places everything by, read once
/// through HarfBuzz (`hb_ot_math_get_constant`), in ems.
///
/// TeX Gyre DejaVu Math, not Latin Modern Math: it was drawn to match DejaVu, the text's face,
/// so a formula's operators, ∂ and rules sit with the text's letters in weight and height (Latin
/// Modern's hairlines beside DejaVu look faint). Letters and digits are set in DejaVu Serif itself,
/// whose italic the math font's alphabet copies: then text copied from a PDF reads w5, not the
/// mathematical alphanumerics 𝑤5, and a search for net_h1 finds it.
///
///     let font = MathFont.shared
///     font.axisHeight * 10.5     // where a fraction's bar sits above the baseline, in points
struct MathFont: Sendable {
    static let family = "TeX Gyre DejaVu Math"
    static let folder = "/usr/share/texmf/fonts/opentype/public/tex-gyre-math"
    static let path = folder + "/texgyredejavu-math.otf"

    var axisHeight = 0.275
    var fractionRuleThickness = 0.064
    var fractionNumeratorDisplayShiftUp = 0.635, fractionDenominatorDisplayShiftDown = 0.637
    var fractionNumeratorShiftUp = 0.403, fractionDenominatorShiftDown = 0.268
    var fractionNumeratorDisplayGapMin = 0.12, fractionDenominatorDisplayGapMin = 0.12
    var fractionNumeratorGapMin = 0.096, fractionDenominatorGapMin = 0.096
    var superscriptShiftUp = 0.381, superscriptBottomMin = 0.22, superscriptBaselineDropMax = 0.277
    var subscriptShiftDown = 0.277, subscriptTopMax = 0.33, subscriptBaselineDropMin = 0.138
    var subSuperscriptGapMin = 0.12, superscriptBottomMaxWithSubscript = 0.335
    var spaceAfterScript = 0.04
    var scriptScale = 0.8, scriptScriptScale = 0.65
    var displayOperatorMinHeight = 1.3, upperLimitGapMin = 0.2, upperLimitBaselineRiseMin = 0.3
    var lowerLimitGapMin = 0.17, lowerLimitBaselineDropMin = 0.6
    var radicalVerticalGap = 0.08, radicalDisplayStyleVerticalGap = 0.17, radicalRuleThickness = 0.064,
        radicalExtraAscender = 0.064
    /// Whether the constants came from the font (false: the values above, measured from it, stand in).
    private(set) var isLoaded = false
    /// The font, kept for its brackets' size variants; immutable, so every thread may read it.
    nonisolated(unsafe) private var font: OpaquePointer?
    private var unitsPerEm = 1000.0

    /// The font's constants; the measured values above when the file is missing (Fonts.check says so).
    static let shared: MathFont = MathFont(path: path) ?? MathFont()

    private init() {}

    private init?(path: String) {
        guard FileManager.default.isReadableFile(atPath: path), let blob = hb_blob_create_from_file(path) else {
            return nil
        }
        defer { hb_blob_destroy(blob) }
        guard let face = hb_face_create(blob, 0) else { return nil }
        defer { hb_face_destroy(face) }
        guard hb_ot_math_has_data(face) != 0, let font = hb_font_create(face) else { return nil }
        hb_font_make_immutable(font)
        self.font = font  // lives as long as the process: `shared` is made once
        let em = Double(hb_face_get_upem(face))
        unitsPerEm = em
        func value(_ constant: hb_ot_math_constant_t) -> Double { Double(hb_ot_math_get_constant(font, constant)) / em }
        axisHeight = value(HB_OT_MATH_CONSTANT_AXIS_HEIGHT)
        fractionRuleThickness = value(HB_OT_MATH_CONSTANT_FRACTION_RULE_THICKNESS)
        fractionNumeratorDisplayShiftUp = value(HB_OT_MATH_CONSTANT_FRACTION_NUMERATOR_DISPLAY_STYLE_SHIFT_UP)
        fractionDenominatorDisplayShiftDown = value(HB_OT_MATH_CONSTANT_FRACTION_DENOMINATOR_DISPLAY_STYLE_SHIFT_DOWN)
        fractionNumeratorShiftUp = value(HB_OT_MATH_CONSTANT_FRACTION_NUMERATOR_SHIFT_UP)
        fractionDenominatorShiftDown = value(HB_OT_MATH_CONSTANT_FRACTION_DENOMINATOR_SHIFT_DOWN)
        fractionNumeratorDisplayGapMin = value(HB_OT_MATH_CONSTANT_FRACTION_NUM_DISPLAY_STYLE_GAP_MIN)
        fractionDenominatorDisplayGapMin = value(HB_OT_MATH_CONSTANT_FRACTION_DENOM_DISPLAY_STYLE_GAP_MIN)
        fractionNumeratorGapMin = value(HB_OT_MATH_CONSTANT_FRACTION_NUMERATOR_GAP_MIN)
        fractionDenominatorGapMin = value(HB_OT_MATH_CONSTANT_FRACTION_DENOMINATOR_GAP_MIN)
        superscriptShiftUp = value(HB_OT_MATH_CONSTANT_SUPERSCRIPT_SHIFT_UP)
        superscriptBottomMin = value(HB_OT_MATH_CONSTANT_SUPERSCRIPT_BOTTOM_MIN)
        superscriptBaselineDropMax = value(HB_OT_MATH_CONSTANT_SUPERSCRIPT_BASELINE_DROP_MAX)
        subscriptShiftDown = value(HB_OT_MATH_CONSTANT_SUBSCRIPT_SHIFT_DOWN)
        subscriptTopMax = value(HB_OT_MATH_CONSTANT_SUBSCRIPT_TOP_MAX)
        subscriptBaselineDropMin = value(HB_OT_MATH_CONSTANT_SUBSCRIPT_BASELINE_DROP_MIN)
        subSuperscriptGapMin = value(HB_OT_MATH_CONSTANT_SUB_SUPERSCRIPT_GAP_MIN)
        superscriptBottomMaxWithSubscript = value(HB_OT_MATH_CONSTANT_SUPERSCRIPT_BOTTOM_MAX_WITH_SUBSCRIPT)
        spaceAfterScript = value(HB_OT_MATH_CONSTANT_SPACE_AFTER_SCRIPT)
        displayOperatorMinHeight = value(HB_OT_MATH_CONSTANT_DISPLAY_OPERATOR_MIN_HEIGHT)
        upperLimitGapMin = value(HB_OT_MATH_CONSTANT_UPPER_LIMIT_GAP_MIN)
        upperLimitBaselineRiseMin = value(HB_OT_MATH_CONSTANT_UPPER_LIMIT_BASELINE_RISE_MIN)
        lowerLimitGapMin = value(HB_OT_MATH_CONSTANT_LOWER_LIMIT_GAP_MIN)
        lowerLimitBaselineDropMin = value(HB_OT_MATH_CONSTANT_LOWER_LIMIT_BASELINE_DROP_MIN)
        radicalVerticalGap = value(HB_OT_MATH_CONSTANT_RADICAL_VERTICAL_GAP)
        radicalDisplayStyleVerticalGap = value(HB_OT_MATH_CONSTANT_RADICAL_DISPLAY_STYLE_VERTICAL_GAP)
        radicalRuleThickness = value(HB_OT_MATH_CONSTANT_RADICAL_RULE_THICKNESS)
        radicalExtraAscender = value(HB_OT_MATH_CONSTANT_RADICAL_EXTRA_ASCENDER)
        // Percentages, not design units.
        scriptScale = Double(hb_ot_math_get_constant(font, HB_OT_MATH_CONSTANT_SCRIPT_PERCENT_SCALE_DOWN)) / 100
        scriptScriptScale =
            Double(hb_ot_math_get_constant(font, HB_OT_MATH_CONSTANT_SCRIPT_SCRIPT_PERCENT_SCALE_DOWN)) / 100
        isLoaded = true
    }

    /// The smallest size variant of `character` (a bracket) whose ink is at least `height` points
    /// tall at `size`, or the largest there is; nil when the font has none (the text glyph stays).
    func variant(of character: Character, covering height: Double, size: Double) -> (
        id: UInt32, advance: Double, ink: Rect
    )? {
        guard let font, let scalar = character.unicodeScalars.first else { return nil }
        var base: hb_codepoint_t = 0
        guard hb_font_get_nominal_glyph(font, scalar.value, &base) != 0 else { return nil }
        var variants = [hb_ot_math_glyph_variant_t](repeating: hb_ot_math_glyph_variant_t(), count: 16)
        var count = UInt32(variants.count)
        _ = hb_ot_math_get_glyph_variants(font, base, HB_DIRECTION_BTT, 0, &count, &variants)
        let scale = size / unitsPerEm
        func measured(_ glyph: hb_codepoint_t) -> (id: UInt32, advance: Double, ink: Rect) {
            var extents = hb_glyph_extents_t()
            _ = hb_font_get_glyph_extents(font, glyph, &extents)
            let advance = Double(hb_font_get_glyph_h_advance(font, glyph)) * scale
            // HarfBuzz measures y upwards from the baseline; the layout downwards.
            return (
                glyph, advance,
                Rect(
                    Double(extents.x_bearing) * scale, -Double(extents.y_bearing) * scale,
                    Double(extents.width) * scale, -Double(extents.height) * scale)
            )
        }
        let sizes = variants.prefix(Int(count)).map { measured($0.glyph) }
        return sizes.first { $0.ink.size.height >= height } ?? sizes.last
    }
}
