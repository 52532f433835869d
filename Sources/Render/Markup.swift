import Foundation
import ReportModel

/// RichText as Pango markup. Every run is escaped, so no lesson text can break the markup
/// (an unescaped `<` or `&` makes Pango drop the whole layout).
enum Markup {
    static func from(_ text: RichText) -> String {
        var markup = ""
        for run in keptTogether(text).runs {
            var open = ""
            var close = ""
            func wrap(_ tag: String, _ end: String) {
                open += tag
                close = end + close
            }
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

    /// The text with the line breaks a formula in prose must not take removed, as TeX's inline
    /// math allows none there: no break inside a short bracket (its spaces become no-break
    /// spaces: "(target − output)²", "(x₁, x₂)"), and none after a slash or a bar that touches what
    /// follows (a word joiner: "∂E/∂w₅", "g/|g|"), and none inside a number written 1 × 10⁻⁵. A long
    /// parenthetical in prose still breaks.
    static func keptTogether(_ text: RichText) -> RichText {
        // Most texts have neither: answered without copying them (this runs for every text laid out).
        guard text.runs.contains(where: { $0.text.unicodeScalars.contains { "()[]/|×".unicodeScalars.contains($0) } })
        else { return text }
        let characters = text.runs.flatMap { Array($0.text) }
        var noBreak = Set<Int>()
        var joinAfter = Set<Int>()
        var open: [Int] = []
        for (k, c) in characters.enumerated() {
            switch c {
            case "(", "[": open.append(k)
            case ")", "]":
                // Short: what a reader takes in at a glance, as a formula's bracket is.
                if let start = open.popLast(), k - start <= 24 {
                    for i in start...k where characters[i] == " " { noBreak.insert(i) }
                }
            case "/", "|":
                if k + 1 < characters.count, !characters[k + 1].isWhitespace { joinAfter.insert(k) }
            case "×":
                // A number in scientific notation is one word: 1 × 10⁻⁵.
                if k >= 2, k + 3 < characters.count, characters[k - 1] == " ", characters[k - 2].isNumber,
                    characters[k + 1] == " ", characters[k + 2] == "1", characters[k + 3] == "0"
                {
                    noBreak.formUnion([k - 1, k + 1])
                }
            default: break
            }
        }
        guard !noBreak.isEmpty || !joinAfter.isEmpty else { return text }
        var kept = RichText()
        var k = 0
        for run in text.runs {
            var written = ""
            for c in run.text {
                written.append(noBreak.contains(k) ? "\u{00A0}" : c)
                if joinAfter.contains(k) { written.append("\u{2060}") }
                k += 1
            }
            kept.append(RichText.Run(written, run.style))
        }
        return kept
    }

    /// Markup drawn in another colour than the text around it.
    static func colored(_ markup: String, _ color: Color) -> String {
        let hex = [color.red, color.green, color.blue].map { String(format: "%02x", Int(($0 * 255).rounded())) }
            .joined()
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
