import ReportModel

/// How one of the run's numbers moved from `before` to `after`, as a sentence must say it: a
/// lesson chooses its words with a `switch` on this, so the condition and the words sit together
/// and no sentence assumes the defaults' outcome.
///
///     switch Change(from: E.value, to: Eplus.value, printedAs: n.format) {
///     case .fell: "One step lowers the total error …"   case .unchanged: "… leaves it at …"   … }
///
/// A change too small to show at the printed digits is its own case: "lowers from 0.298371109 to
/// 0.298371109" would read as a contradiction, so such a sentence gives the difference instead.
public enum Change: Sendable, Equatable {
    /// `after` is lower, and prints differently.
    case fell
    /// `after` is higher, and prints differently.
    case rose
    /// `after` differs but prints the same at this precision; `by` is after − before.
    case invisible(by: Double)
    /// Exactly the same number.
    case unchanged

    public init(from before: Double, to after: Double, printedAs format: NumberFormat) {
        if before == after {
            self = .unchanged
        } else if format.plain(before) == format.plain(after) {
            self = .invisible(by: after - before)
        } else {
            self = after < before ? .fell : .rose
        }
    }

    /// The verb for a quantity that went this way: "lowers", "raises", "leaves", as the lesson's
    /// subject acts on it ("one step lowers the error").
    public var verb: String {
        switch self {
        case .fell: "lowers"
        case .rose: "raises"
        case .invisible(let by): by < 0 ? "lowers" : "raises"
        case .unchanged: "leaves"
        }
    }
}

extension Notation {
    /// "lowers E_total from 0.298 to 0.291", "raises … from … to …", "leaves E_total unchanged at
    /// 0.298", or "lowers E_total by only 3.1·10⁻¹², too little to show at 9 digits (both
    /// print as 0.298)": the clause a sentence about a before-and-after pair needs.
    public func change(of subject: RichText, from before: Double, to after: Double) -> RichText {
        let change = Change(from: before, to: after, printedAs: format)
        switch change {
        case .fell, .rose:
            return .plain(change.verb + " ") + subject + " from " + number(before) + " to " + number(after)
        case .unchanged:
            return "leaves " + subject + " unchanged at " + number(before)
        case .invisible(let by):
            return .plain(change.verb + " ") + subject + " by only " + number(abs(by))
                + .plain(", too little to show at \(format.significantDigits) digits (both print as ") + number(before)
                + ")"
        }
    }
}
