import Foundation

/// How a lesson prints numbers: a fixed count of significant digits, rounded correctly,
/// trailing zeros dropped; powers of ten below 10⁻⁴ or beyond the digits shown.
///
///     NumberFormat(significantDigits: 4).plain(0.593269992)   // "0.5933"
///     NumberFormat(significantDigits: 6).plain(3.51018778e-5) // "3.51019e-5"
public struct NumberFormat: Sendable, Equatable {
    public var significantDigits: Int
    /// Commas between groups of three digits of the whole part (23,860), for counts.
    public var groupsThousands: Bool

    public init(significantDigits: Int, groupsThousands: Bool = false) {
        precondition((1...17).contains(significantDigits), "1 to 17 significant digits")
        self.significantDigits = significantDigits
        self.groupsThousands = groupsThousands
    }

    /// Mantissa and exponent, or the whole number when no power of ten is needed.
    private func parts(_ x: Double) -> (digits: String, exponent: Int?) {
        guard x.isFinite else { return (x.isNaN ? "NaN" : x < 0 ? "−∞" : "∞", nil) }
        guard x != 0 else { return ("0", nil) }
        // %e rounds the binary value exactly (glibc), so the printed digits are the correct ones.
        let scientific = String(format: "%.*e", significantDigits - 1, x)
        let exponent = Int(scientific[scientific.index(after: scientific.lastIndex(of: "e")!)...])!
        if exponent < -4 || exponent >= significantDigits {
            return (trimmed(String(scientific[..<scientific.lastIndex(of: "e")!])), exponent)
        }
        let digits = trimmed(String(format: "%.*f", max(0, significantDigits - 1 - exponent), x))
        return (groupsThousands ? grouped(digits) : digits, nil)
    }

    /// "-1234567.5" → "-1,234,567.5".
    private func grouped(_ number: String) -> String {
        let sign = number.hasPrefix("-") ? "-" : ""
        let unsigned = number.dropFirst(sign.count)
        let whole = unsigned.prefix { $0 != "." }
        var groups: [Substring] = []
        var end = whole.endIndex
        while end > whole.startIndex {
            let start = whole.index(end, offsetBy: -3, limitedBy: whole.startIndex) ?? whole.startIndex
            groups.insert(whole[start..<end], at: 0)
            end = start
        }
        return sign + groups.joined(separator: ",") + unsigned.dropFirst(whole.count)
    }

    private func trimmed(_ number: String) -> String {
        guard number.contains(".") else { return number }
        var text = Substring(number)
        while text.hasSuffix("0") { text = text.dropLast() }
        if text.hasSuffix(".") { text = text.dropLast() }
        return String(text)
    }

    /// ASCII text, `e` for the power of ten: for JSON-free places like the terminal and tests.
    public func plain(_ x: Double) -> String {
        let (digits, exponent) = parts(x)
        return exponent.map { "\(digits)e\($0)" } ?? digits
    }

    /// Typeset: a true minus sign and `× 10` with a raised exponent.
    public func rich(_ x: Double) -> RichText {
        let (digits, exponent) = parts(x)
        var text = RichText.plain(digits.replacingOccurrences(of: "-", with: "−"))
        if let exponent {
            text += .plain(" × 10") + .plain(String(exponent).replacingOccurrences(of: "-", with: "−"), .raised)
        }
        return text
    }
}
