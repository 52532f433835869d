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
    /// Whether the constants came from the font (false: the values above, measured from it, stand in).
    private(set) var isLoaded = false

    /// The font's constants; the measured values above when the file is missing (Fonts.check says so).
    static let shared: MathFont = MathFont(path: path) ?? MathFont()

    private init() {}

    private init?(path: String) {
        guard FileManager.default.isReadableFile(atPath: path), let blob = hb_blob_create_from_file(path) else { return nil }
        defer { hb_blob_destroy(blob) }
        guard let face = hb_face_create(blob, 0) else { return nil }
        defer { hb_face_destroy(face) }
        guard hb_ot_math_has_data(face) != 0, let font = hb_font_create(face) else { return nil }
        defer { hb_font_destroy(font) }
        let em = Double(hb_face_get_upem(face))
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
        // Percentages, not design units.
        scriptScale = Double(hb_ot_math_get_constant(font, HB_OT_MATH_CONSTANT_SCRIPT_PERCENT_SCALE_DOWN)) / 100
        scriptScriptScale = Double(hb_ot_math_get_constant(font, HB_OT_MATH_CONSTANT_SCRIPT_SCRIPT_PERCENT_SCALE_DOWN)) / 100
        isLoaded = true
    }
}
