import ReportModel

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
}

extension Lesson {
    /// The lesson with the regimes it declares; each must be a valid setting of its parameters.
    public func regimes(_ regimes: [Regime]) -> Lesson {
        var copy = self
        copy.regimes = regimes
        return copy
    }
}

/// A mistake a student makes by working the lesson another way (the other update order): `check`
/// runs the lesson with `settings` too, and names the slip when an answer is that run's value.
///
///     Slip(["update=output-first"], "the other update order: the hidden gradients through the new output weights")
public struct Slip: Sendable {
    public let settings: [String]
    public let meaning: String
    public init(_ settings: [String], _ meaning: String) { (self.settings, self.meaning) = (settings, meaning) }
}

extension Lesson {
    /// The lesson with some exercises worth more than 1 mark, by their label (`dE_total/dw5`: 2).
    public func weighting(_ weights: [String: Double]) -> Lesson {
        var copy = self
        copy.weights = weights
        return copy
    }

    /// The sheet's exercises with their marks as this lesson weights them.
    public func exercises(of report: Report) -> [Exercise] {
        report.exercises.map { exercise in
            var weighted = exercise
            if let label = exercise.answer?.label, let marks = weights[label] { weighted.marks = marks }
            return weighted
        }
    }

    /// The lesson with the slips `check` recognises by running it another way.
    public func slips(_ slips: [Slip]) -> Lesson {
        var copy = self
        copy.slips = slips
        return copy
    }
}
