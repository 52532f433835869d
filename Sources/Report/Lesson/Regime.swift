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

/// The file a student fills in: a header saying what it answers, then one `label = ` line per
/// exercise in sheet order, the exercise number as a comment. `check` reads the header.
///
///     AnswerTemplate.text(lesson: "backprop-example", variant: 7, digits: 3, exercises: report.exercises)
public enum AnswerTemplate {
    public static func text(lesson: String, variant: Int?, digits: Int, exercises: [Exercise]) -> String {
        var lines = [
            "# Answers for lessons check \(lesson): one `label = value` per line; leave a line blank to skip it.",
            "# Give at least \(digits) significant digits, rounded or cut (0.298 or 0.2983 for 0.298371).",
            "# lesson: \(lesson)",
            "# variant: \(variant.map(String.init) ?? "none")",
            "# digits: \(digits)",
            "# student: ",
            "",
        ]
        let width = exercises.compactMap { $0.answer?.label.count }.max() ?? 0
        for exercise in exercises {
            guard let answer = exercise.answer else { continue }
            if answer.entries.count == 1 {
                // Room after `=` for a number of 12 characters, then the exercise's number.
                lines.append(answer.label.padded(to: width) + " =              # exercise \(exercise.number)")
            } else {
                lines.append("# exercise \(exercise.number): \(answer.label), entry by entry ([row,column], from 0)")
                lines += answer.entries.map { "\($0.label) = " }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
