/// A number as a student writes it, kept as decimal digits: judging compares digits, never a
/// Double times 10^decimals (that overflows past 308 decimals, and a relative nudge is larger
/// than the last place of a 17-digit answer).
///
///     WrittenDecimal("-7.514e-1")   // digits "7514", lastPlace −4, negative
///     WrittenDecimal("0.2983711087600027")!.matches(0.2983711087600027)   // true
public struct WrittenDecimal: Sendable, Equatable {
    /// The digits without sign, point or leading zeros ("" for zero).
    public let digits: String
    /// The power of ten of the last digit written: −4 for 0.7514, 2 for 3.5e2.
    public let lastPlace: Int
    public let negative: Bool
    /// As written.
    let text: String

    /// The most digits an answer may have: a Double holds 17 significant digits, and an answer
    /// of 40 is a paste, not a calculation.
    public static let mostDigits = 40
    /// Exponents beyond this are no calculation either (and no Double holds them).
    public static let largestExponent = 400

    /// Why a text is not such a number, in the student's words; nil when it is one.
    public static func problem(with text: String) -> String? {
        guard !text.isEmpty else { return "no number after `=`" }
        guard let decimal = WrittenDecimal(text) else {
            return "'\(text)' is not a number (write it as 0.7514, -0.05 or 3.5e-05)"
        }
        if decimal.digits.count > mostDigits {
            return "'\(text.prefix(24))…' has \(decimal.digits.count) digits; write at most \(mostDigits)"
        }
        let leading = decimal.lastPlace + decimal.digits.count - 1
        if abs(decimal.lastPlace) > largestExponent || (!decimal.digits.isEmpty && (leading < -324 || leading > 308)) {
            return
                """
                '\(text)' is beyond what a calculation gives (a power of \
                ten past ±\(decimal.digits.isEmpty ? largestExponent : 308))
                """
        }
        return nil
    }

    /// Reads `[+-]digits[.digits][e[+-]digits]`; nil for anything else (`1,5`, `1/2`, `0x1p-2`).
    public init?(_ text: String) {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        let whole = rest.prefix { $0.isASCII && $0.isNumber }
        rest = rest.dropFirst(whole.count)
        var fraction = Substring("")
        if rest.first == "." {
            rest = rest.dropFirst()
            fraction = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(fraction.count)
        }
        guard !(whole.isEmpty && fraction.isEmpty) else { return nil }
        var exponent = 0
        if let e = rest.first, e == "e" || e == "E" {
            rest = rest.dropFirst()
            var exponentNegative = false
            if let sign = rest.first, sign == "-" || sign == "+" {
                exponentNegative = sign == "-"
                rest = rest.dropFirst()
            }
            let power = rest.prefix { $0.isASCII && $0.isNumber }
            guard !power.isEmpty, power.count <= 6, let value = Int(power) else { return nil }
            rest = rest.dropFirst(power.count)
            exponent = exponentNegative ? -value : value
        }
        guard rest.isEmpty else { return nil }
        self.text = text
        let all = String(whole + fraction)
        digits = String(all.drop { $0 == "0" })
        lastPlace = exponent - fraction.count
        self.negative = negative && !digits.isEmpty
    }

    /// The power of ten of the first significant digit (nil for zero).
    var leadingPlace: Int? { digits.isEmpty ? nil : lastPlace + digits.count - 1 }

    /// Whether this is `truth` rounded or cut to this answer's last place, with at least one
    /// significant digit of it: for 0.75136507, 0.751, 0.7514, 0.7513 and 0.8 are, 0.752 and 1
    /// are not. The truth is read as its shortest decimal (0.15, not the binary 0.1499…944), so a
    /// 17-digit copy of it is right and 0.14 is not.
    public func matches(_ truth: Double) -> Bool { matches(truth, digits: 1) }

    /// The same with at least `digits` significant digits of the truth (counted from its first
    /// significant digit down to the answer's last): with 3, for 0.298371 the answers 0.298,
    /// 0.2984 and 0.2983 are right, 0.3, 0 and 1 are not. The truth written exactly (30 for 30,
    /// 0.5 for 0.5) is right whatever its number of digits.
    public func matches(_ truth: Double, digits required: Int) -> Bool {
        guard truth.isFinite, let exact = WrittenDecimal("\(truth)") else { return false }
        // The same Double written to 16 or more digits (0.59326999210718723 for 0.5932699921071872;
        // a short answer is judged by its digits: 9.9e-324 is not 1e-323), or the truth without its
        // binary fuzz (−0.3 for −0.30000000000000004, at 15 digits): the value itself, exactly.
        if digits.count >= 16 && Double(text) == truth { return true }
        if normalized == exact.normalized
            || WrittenDecimal(String(format: "%.15g", truth)).map({ normalized == $0.normalized }) == true
        {
            return true
        }
        if let leading = exact.leadingPlace, leading - lastPlace + 1 < required { return false }
        return roundsTo(exact)
    }

    /// Digits without trailing zeros, and the place of the last one left: 30 and 30.0 are one number.
    var normalized: (digits: String, lastPlace: Int, negative: Bool) {
        let trailing = digits.reversed().prefix { $0 == "0" }.count
        return digits.isEmpty ? ("", 0, false) : (String(digits.dropLast(trailing)), lastPlace + trailing, negative)
    }

    /// Significant digits of `truth` this answer gives: from the truth's first to the answer's last place.
    public func significantDigits(of truth: Double) -> Int {
        guard let exact = WrittenDecimal("\(truth)"), let leading = exact.leadingPlace else { return digits.count }
        return max(0, leading - lastPlace + 1)
    }

    private func roundsTo(_ exact: WrittenDecimal) -> Bool {
        guard let truthLeading = exact.leadingPlace else { return digits.isEmpty }  // truth 0: only 0
        // An answer must carry at least one significant digit: 0, 1 or 0e300 for 0.298 is no answer.
        guard lastPlace <= truthLeading, exact.negative == negative || digits.isEmpty else { return false }
        // The truth's digits above this answer's last place, and whether what is cut off rounds up.
        let kept: String
        let roundsUp: Bool
        if exact.lastPlace >= lastPlace {
            kept = exact.digits + String(repeating: "0", count: exact.lastPlace - lastPlace)
            roundsUp = false
        } else {
            let drop = lastPlace - exact.lastPlace
            kept = drop >= exact.digits.count ? "" : String(exact.digits.dropLast(drop))
            let dropped = drop > exact.digits.count ? "0" : String(exact.digits.suffix(drop))
            roundsUp = dropped.first.map { $0 >= "5" } ?? false
        }
        let cut = WrittenDecimal.stripped(kept)
        let rounded = roundsUp ? WrittenDecimal.incremented(cut) : cut
        return digits == cut || digits == rounded
    }

    private static func stripped(_ digits: String) -> String { String(digits.drop { $0 == "0" }) }

    /// A digit string plus one: "0999" → "1000", "" → "1".
    private static func incremented(_ digits: String) -> String {
        var chars = Array(digits)
        var k = chars.count - 1
        while k >= 0 {
            if chars[k] == "9" {
                chars[k] = "0"
                k -= 1
            } else {
                chars[k] = Character(String(chars[k].wholeNumberValue! + 1))
                return String(chars)
            }
        }
        return "1" + String(chars)
    }
}
