/// A setting that changes what happens in a lesson, not only its numbers: a zero learning rate,
/// the other update order, another data set. Lessons declare theirs so that `lessons params`
/// and the README can show them, and the tests run each one and check every sentence whose words
/// depend on the numbers against facts they compute themselves.
///
///     Regime("lr=0", "a zero learning rate: nothing moves, and the page says so")
///     Regime(["update=output-first"], "the other update order: the hidden gradients change")
public struct Regime: Sendable {
    /// `KEY=VALUE` settings, as `--set` takes them.
    public let settings: [String]
    /// What happens there, in a line.
    public let meaning: String

    public init(_ settings: [String], _ meaning: String) {
        self.settings = settings
        self.meaning = meaning
    }

    public init(_ setting: String, _ meaning: String) { self.init([setting], meaning) }

    /// The settings as a command line writes them: `--set lr=0 --set update=output-first`.
    public var commandLine: String { settings.map { "--set \($0)" }.joined(separator: " ") }
}

extension Lesson {
    /// The lesson with the regimes it declares; each must be a valid setting of its parameters.
    public func regimes(_ regimes: [Regime]) -> Lesson {
        var copy = self
        copy.regimes = regimes
        return copy
    }
}
