import CPangoCairo
import Foundation
import Synchronization

/// Where Pango finds its fonts: a fontconfig configuration of the renderer's own that holds the
/// DejaVu families and nothing else, instead of the machine's. Two reasons:
/// - The same report gives the same pixels on every machine: no other installed font can stand
///   in for a glyph, and no rule in /etc/fonts or ~/.config/fontconfig can change a font.
/// - It is fast. For each new font size Pango runs the configuration's substitution rules (the
///   machine's are some thirty files) and matches and sorts every font it holds; with no rules and
///   DejaVu alone a new size costs half as much (1.0 against 1.9 ms).
///
///     try Fonts.check()                                  // throws when DejaVu is not installed
///     let layout = pango_layout_new(Fonts.context(for: cr))
public enum Fonts {
    /// The families the theme sets text in.
    static let families = [Theme.serif, Theme.sans, Theme.mono, MathFont.family]

    /// The fonts' usual folders and fontconfig's usual caches, and a selection that accepts the
    /// DejaVu families and rejects every other font (by pattern: a rejected file name could not be
    /// accepted back). nil when no DejaVu font was found. Shared by
    /// every thread's font map, as Pango's default maps share fontconfig's current configuration.
    nonisolated(unsafe) private static let configuration: OpaquePointer? = {
        let accepted = families.map { "<pattern><patelt name=\"family\"><string>\($0)</string></patelt></pattern>" }
            .joined()
        let text = """
            <?xml version="1.0"?>
            <!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
            <fontconfig>
              <dir>/usr/share/fonts</dir><dir>/usr/local/share/fonts</dir><dir>\(MathFont.folder)</dir><dir prefix="xdg">fonts</dir><dir>~/.fonts</dir>
              <cachedir>/var/cache/fontconfig</cachedir><cachedir prefix="xdg">fontconfig</cachedir>
              <selectfont><acceptfont>\(accepted)</acceptfont><rejectfont><pattern/></rejectfont></selectfont>
            </fontconfig>
            """
        guard let configuration = FcConfigCreate() else { return nil }
        guard FcConfigParseAndLoadFromMemory(configuration, text, FcTrue) == FcTrue,
            FcConfigBuildFonts(configuration) == FcTrue,
            let fonts = FcConfigGetFonts(configuration, FcSetSystem), fonts.pointee.nfont > 0
        else {
            FcConfigDestroy(configuration)
            return nil
        }
        return configuration
    }()

    /// Throws, saying how to mend it, when the DejaVu fonts are missing (text would then be set
    /// in whatever the machine offers, and measure differently).
    static func check() throws(RenderError) {
        guard configuration != nil else {
            throw RenderError(
                description: "the DejaVu fonts (\(families.dropLast().joined(separator: ", "))) are not installed; "
                    + "install them with scripts/install-deps (the Debian package fonts-dejavu-core)")
        }
        guard MathFont.shared.isLoaded else {
            throw RenderError(
                description: "the math font \(MathFont.family) (\(MathFont.path)) is not installed; "
                    + "install it with scripts/install-deps (the Debian package fonts-texgyre-math)")
        }
    }

    /// This thread's font map. Pango's font maps are not safe to share between threads, and each
    /// keeps the fonts it has loaded, so every thread has one for its lifetime (as Pango's own
    /// default map is per thread); the key's destructor releases it when the thread ends.
    private static let mapKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { map in map.map { g_object_unref($0) } }
        return key
    }()

    private static var fontMap: UnsafeMutablePointer<PangoFontMap> {
        if let map = pthread_getspecific(mapKey) { return map.assumingMemoryBound(to: PangoFontMap.self) }
        let map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT)!
        // Without DejaVu, the machine's configuration: text still appears, and check() says why it looks wrong.
        if let configuration { pango_fc_font_map_set_config(OpaquePointer(map), configuration) }
        pthread_setspecific(mapKey, UnsafeRawPointer(map))
        return map
    }

    /// A Pango context for drawing on (or measuring for) `cr`, from this thread's font map: what
    /// `pango_cairo_create_layout` makes from Pango's default map. The caller releases it.
    static func context(for cr: OpaquePointer) -> OpaquePointer {
        let context = pango_font_map_create_context(fontMap)!
        pango_cairo_update_context(cr, context)
        return context
    }

    // MARK: Characters no font has

    /// Every character the bundled fonts draw: the union of their character sets, made once.
    nonisolated(unsafe) private static let coverage: OpaquePointer? = {
        guard let configuration, let fonts = FcConfigGetFonts(configuration, FcSetSystem), let union = FcCharSetCreate()
        else { return nil }
        for k in 0..<Int(fonts.pointee.nfont) {
            var charset: OpaquePointer?
            if FcPatternGetCharSet(fonts.pointee.fonts[k], FC_CHARSET, 0, &charset) == FcResultMatch, let charset {
                FcCharSetMerge(union, charset, nil)
            }
        }
        return union
    }()

    private static let missing = Mutex<[Unicode.Scalar]>([])

    /// Notes the characters of `text` that no bundled font has (Pango draws each as a box with
    /// its code); called only for a text Pango found unknown glyphs in.
    static func noteMissing(in text: String) {
        guard let coverage else { return }
        let absent = text.unicodeScalars.filter {
            !$0.properties.isWhitespace && $0.properties.generalCategory != .control
                && FcCharSetHasChar(coverage, $0.value) == FcFalse
        }
        guard !absent.isEmpty else { return }
        missing.withLock { known in
            for scalar in absent where !known.contains(scalar) { known.append(scalar) }
        }
    }

    /// The characters met so far that no bundled font has, in the order they were met.
    public static var missingCharacters: [Unicode.Scalar] { missing.withLock { $0 } }
}
