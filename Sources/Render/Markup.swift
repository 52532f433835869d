import Foundation
import Report

/// RichText as Pango markup. Every run is escaped, so no lesson text can break the markup
/// (an unescaped `<` or `&` makes Pango drop the whole layout).
enum Markup {
    static func from(_ text: RichText) -> String {
        var markup = ""
        for run in text.runs {
            var open = "", close = ""
            func wrap(_ tag: String, _ end: String) { open += tag; close = end + close }
            if run.style.contains(.bold) { wrap("<b>", "</b>") }
            if run.style.contains(.italic) { wrap("<i>", "</i>") }
            if run.style.contains(.mono) { wrap("<span font_family=\"\(Theme.mono)\">", "</span>") }
            // Pango's <sub>/<sup> shrink and shift together; one level per run is enough here.
            if run.style.contains(.lowered) { wrap("<sub>", "</sub>") }
            if run.style.contains(.raised) { wrap("<sup>", "</sup>") }
            markup += open + escape(run.text) + close
        }
        return markup
    }

    /// Markup drawn in another colour than the text around it.
    static func colored(_ markup: String, _ color: Color) -> String {
        let hex = [color.red, color.green, color.blue].map { String(format: "%02x", Int(($0 * 255).rounded())) }.joined()
        return "<span foreground=\"#\(hex)\">\(markup)</span>"
    }

    /// Markup set in another font than the text around it (an absolute size, as everywhere here).
    static func font(_ markup: String, _ font: Font) -> String {
        "<span font_desc=\"\(font.family), \(font.size)px\">\(markup)</span>"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }
}
