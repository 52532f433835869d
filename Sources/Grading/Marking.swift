import Foundation
import LessonKit
import ReportModel

/// A student's answers marked against a lesson's run, as an examiner marks a hand calculation:
/// right to the required significant digits; right by follow-through when it is what the
/// student's own earlier answers give (error carried forward, for every step the tape
/// records); and, when wrong, the common slip that explains it, if one does.
///
///     let marking = Marking(answers, exercises: result.report.exercises, values: result.values, digits: 3)
///     marking.score   // 41 of 42; marking.judgments[5].feedback
public struct Marking: Sendable {
    public enum Verdict: String, Sendable { case right, carried, wrong }

    public struct Judgment: Sendable {
        public let answer: Answers.Answer
        /// How the label prints (outₒ₁), and its exercise number when it is one.
        public let name: String
        public let exercise: Int?
        public let truth: Double
        public let verdict: Verdict
        /// What a tutor would say: the value carried forward from, the slip, the step.
        public let feedback: [String]
        public let marks: Double
        public let slip: String?
    }

    /// Another run a slip reproduces (backprop-example's other update order): a label's value there.
    public struct AlternativeRun: Sendable {
        public let slip: String
        public let values: [String: Double]
        public init(slip: String, values: [String: Double]) { (self.slip, self.values) = (slip, values) }
    }

    public let judgments: [Judgment]
    public let digits: Int
    /// Marks for exercises a file answers; every exercise is worth one.
    public var score: Double { judgments.map(\.marks).reduce(0, +) }

    /// The labels a file may answer: every exercise's (matrix entries one by one), then values.json's.
    public static func labels(exercises: [Exercise], values: ExportedValues) -> [String] {
        var seen = Set<String>()
        var labels: [String] = []
        for label in exercises.flatMap({ $0.answer?.entries.map(\.label) ?? [] }) + values.answerableLabels
        where seen.insert(label).inserted {
            labels.append(label)
        }
        return labels
    }

    public init(
        _ answers: [Answers.Answer], exercises: [Exercise], values: ExportedValues, digits: Int,
        alternatives: [AlternativeRun] = []
    ) {
        self.digits = digits
        // Each label's exercise and true value; values.json answers the labels no exercise has.
        var entries: [String: (exercise: Exercise?, value: Double)] = [:]
        for exercise in exercises {
            for entry in exercise.answer?.entries ?? [] where entries[entry.label] == nil {
                entries[entry.label] = (exercise, entry.value)
            }
        }
        for label in values.answerableLabels where entries[label] == nil {
            if let value = values.number(answering: label) { entries[label] = (nil, value) }
        }
        let given = Dictionary(answers.map { ($0.label, $0.value) }, uniquingKeysWith: { first, _ in first })
        let written = Dictionary(answers.map { ($0.label, $0.written) }, uniquingKeysWith: { first, _ in first })
        func right(_ label: String) -> Bool {
            guard let text = written[label], let truth = entries[label]?.value else { return false }
            return WrittenDecimal(text)?.matches(truth, digits: digits) ?? false
        }
        // The numbers a slip might have copied: every other label's true value, in recording order.
        let neighbours = exercises.flatMap { $0.answer?.entries ?? [] }

        judgments = answers.map { answer in
            let (exercise, truth) = entries[answer.label] ?? (nil, .nan)
            let decimal = WrittenDecimal(answer.written)
            let matches = { (x: Double) in x.isFinite && (decimal?.matches(x, digits: digits) ?? false) }
            let name = exercise?.step.lhs.terminalText ?? answer.label
            let step = exercise.map { $0.step.terminalLine }
            if matches(truth) {
                return Judgment(
                    answer: answer, name: name, exercise: exercise?.number, truth: truth, verdict: .right, feedback: [],
                    marks: 1, slip: nil)
            }
            var feedback: [String] = []
            // Follow-through: the result from the student's own answers to the values it is made of.
            let carry = exercise?.answer?.carry
            let used = (carry?.inputs ?? []).filter { given[$0] != nil && $0 != answer.label }
            var carried: Double?
            if let carry, !used.isEmpty {
                let value = carry.value(given: given.filter { used.contains($0.key) })
                if value.isFinite { carried = value }
            }
            // Said only when an earlier answer was wrong: from right ones it is the truth, rounded.
            let carriedFromWrong = used.contains { !right($0) } ? carried : nil
            if let carried, matches(carried) {
                let from = used.map { "\(entries[$0]?.exercise?.step.lhs.terminalText ?? $0) = \(written[$0]!)" }
                    .joined(separator: ", ")
                let how =
                    used.allSatisfy(right)
                    ? "your rounded \(from) \(used.count == 1 ? "gives" : "give") it; keep more digits in the steps before"
                    : "it follows from your \(from)"
                return Judgment(
                    answer: answer, name: name, exercise: exercise?.number, truth: truth, verdict: .carried,
                    feedback: [
                        "right, carried forward: \(how) (the true value is \(Marking.shown(truth, digits: digits)))"
                    ], marks: 1, slip: nil)
            }
            // The common slips, each recomputed: the first that gives the student's number is named.
            let targets = [truth] + (carriedFromWrong.map { [$0] } ?? [])
            var slip: String?
            if targets.contains(where: { matches(-$0) }) {
                slip = "the wrong sign"
                feedback.append("the wrong sign: \(step ?? "check which way round the difference goes")")
            } else if let doubled = targets.first(where: { matches(2 * $0) || matches($0 / 2) }) {
                slip = matches(2 * doubled) ? "twice the value" : "half the value"
                feedback.append(
                    slip == "twice the value"
                        ? "twice the value: a factor of 2 too many, or a ½ left out"
                        : "half the value: a factor of 2 left out, or a ½ too many")
            } else if case .product(let factors)? = carry,
                let missing = factors.indices.first(where: { k in
                    let factor = given[factors[k].label] ?? factors[k].value
                    return factor != 0 && targets.contains { matches($0 / factor) }
                })
            {
                let factor = factors[missing]
                let factorName =
                    exercises.first { $0.answer?.label == factor.label }?.step.lhs.terminalText ?? factor.label
                slip = "a missing factor"
                feedback.append(
                    """
                    a factor is missing: \(factorName) = \(Marking.shown(factor.value, digits: digits)) \
                    (the chain rule multiplies every link)
                    """
                )
            } else if let neighbour = neighbours.first(where: {
                $0.label != answer.label && entries[$0.label]?.value != truth && matches($0.value)
            }) {
                let other = entries[neighbour.label]?.exercise?.step.lhs.terminalText ?? neighbour.label
                slip = "another value"
                feedback.append("that is the value of \(other), not of \(name)")
            } else if let alternative = alternatives.first(where: { $0.values[answer.label].map(matches) ?? false }) {
                slip = alternative.slip
                feedback.append(alternative.slip)
            }
            let expected =
                carriedFromWrong.map {
                    """
                    from your earlier answers it would be \(Marking.shown($0, digits: digits)); \
                    the true value is \(Marking.shown(truth, digits: digits))
                    """
                }
                ?? "it is \(Marking.shown(truth, digits: digits))"
            if let decimal, decimal.significantDigits(of: truth) < digits, !decimal.digits.isEmpty || truth != 0,
                WrittenDecimal(answer.written)?.matches(truth, digits: 1) == true
            {
                feedback.insert(
                    """
                    give at least \(digits) significant digits: \(answer.written) \
                    has \(decimal.significantDigits(of: truth)); \(expected)
                    """,
                    at: 0)
            } else {
                feedback.insert(expected, at: 0)
            }
            if let step, slip == nil || slip == "another value" { feedback.append(step) }
            return Judgment(
                answer: answer, name: name, exercise: exercise?.number, truth: truth, verdict: .wrong,
                feedback: feedback, marks: 0, slip: slip)
        }
    }

    /// A value to `digits` significant digits, and at least 4 (0.2984).
    public static func shown(_ x: Double, digits: Int) -> String {
        let text = String(format: "%.*g", max(digits, 4), x)
        return text.replacingOccurrences(of: "-", with: "−")
    }
}
