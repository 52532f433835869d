import Engine
import ReportModel

/// How a tape label is typeset: `net_h1` → *net*₍h1₎, `w5` → *w*₅, `w5+` → *w*₅⁺,
/// `dE_total/dw5` → ∂*E*_total/∂*w*₅, `Vhat_x1` → *V̂*ₓ₁. A lesson can override any label with its own symbol.
///
///     MathName.text(for: "out_o1").plainText          // "outo1" (out, lowered o1)
///     MathName.text(for: "lr", symbols: ["lr": "η"])  // η
public enum MathName {
    public static func text(for label: String, symbols: [String: RichText] = [:]) -> RichText {
        if let symbol = symbols[label] { return symbol }
        if label.hasPrefix("d"), let slash = label.firstIndex(of: "/"),
            label[label.index(after: slash)...].hasPrefix("d")
        {
            let numerator = String(label[label.index(after: label.startIndex)..<slash])
            let denominator = String(label[label.index(slash, offsetBy: 2)...])
            return .plain("∂") + text(for: numerator, symbols: symbols) + .plain("/∂")
                + text(for: denominator, symbols: symbols)
        }
        if label.hasSuffix("+") {
            return text(for: String(label.dropLast()), symbols: symbols) + .plain("+", .raised)
        }
        if let underscore = label.firstIndex(of: "_"), underscore != label.startIndex {
            return text(for: String(label[..<underscore]), symbols: symbols)
                + .plain(String(label[label.index(after: underscore)...]), .lowered)
        }
        // A base ending in "hat" wears one: yhat → ŷ, Vhat → V̂.
        if label.hasSuffix("hat"), label.count > 3, label.dropLast(3).allSatisfy(\.isLetter) {
            return .plain(String(label.dropLast(3)) + "\u{0302}", .italic)
        }
        // Trailing digits are an index: w5 → w₅.
        let base = label.prefix { !$0.isNumber }
        let index = label.dropFirst(base.count)
        if !base.isEmpty, !index.isEmpty, index.allSatisfy(\.isNumber) {
            return .plain(String(base), .italic) + .plain(String(index), .lowered)
        }
        return .plain(label, .italic)
    }
}
