import LessonKit

/// A refused setting or variant as the command line reports it: the lesson API's message, with
/// the flag the user typed (`--set`, `--variant`) and where to look next.
///
///     ParameterError.malformed("w1").onTheCommandLine   // "--set expects KEY=VALUE, got 'w1'"
///     ParameterError.variantOutOfRange(-1).onTheCommandLine  // "--variant -1: a variant is …"
extension ParameterError {
    var onTheCommandLine: String {
        switch self {
        case .unknown(_, let lesson, _): description + " (see: lessons params \(lesson))"
        case .malformed(let text): "--set expects KEY=VALUE, got '\(text)'"
        case .noVariants: description + " (lessons with variants: see README, Exercise sheets)"
        case .variantOutOfRange(let n):
            "--variant \(n): a variant is a whole number from 0 to \(Variation.largestVariant)"
        case .noSoundVariant(let lesson, let n): "\(lesson): no sound variant found for --variant \(n)"
        default: description
        }
    }
}

extension Regime {
    /// The settings as a command line writes them: `--set lr=0 --set update=output-first`.
    var commandLine: String { settings.map { "--set \($0)" }.joined(separator: " ") }
}
