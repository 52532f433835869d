import Foundation
import Grading
import LessonKit
import ReportModel
import Testing

@testable import Lessons

/// `check` marking as an examiner would, in process: precision, labels for every exercise,
/// follow-through and slips, on backprop-example's defaults (the notes' 2-2-2 network).
@Suite("Marking hand calculations")
struct MarkingTests {
    static let run = try! Lesson.backpropExample.run(settings: ["iterations=1"])
    static let exercises = run.report.exercises

    /// The file's answers, marked at `digits`.
    static func mark(_ text: String, digits: Int = 3, alternatives: [Marking.AlternativeRun] = []) -> Marking {
        let answers = Answers(parsing: text, labels: Marking.labels(exercises: exercises, values: run.values))
        #expect(answers.errors.isEmpty, "\(answers.errors)")
        return Marking(
            answers.answers, exercises: exercises, values: run.values, digits: digits, alternatives: alternatives)
    }

    static func value(_ label: String) throws -> Double {
        let found = exercises.compactMap { exercise in exercise.answer?.entries.first { $0.label == label }?.value }
        return try #require(found.first)
    }

    /// The issue's rule on E_total = 0.298371109: 0, 0.3 and 1 are never right; 0.298, 0.2984 and
    /// 0.2983 are at 3 digits, and at 4 only 0.2984 and 0.2983.
    @Test(arguments: [
        ("0", false, false), ("0.3", false, false), ("1", false, false), ("0.298", true, false),
        ("0.2984", true, true), ("0.2983", true, true), ("0.2985", false, false), ("0.29837", true, true),
    ])
    func significantDigitsTheTeacherSets(written: String, atThree: Bool, atFour: Bool) throws {
        let truth = 0.298371109
        #expect(try #require(WrittenDecimal(written)).matches(truth, digits: 3) == atThree)
        #expect(try #require(WrittenDecimal(written)).matches(truth, digits: 4) == atFour)
        #expect(
            try #require(WrittenDecimal("30")).matches(30, digits: 3),
            "an exact whole number is right with fewer digits")
        #expect(!WrittenDecimal("31")!.matches(30.5, digits: 3))
    }

    /// Every exercise of every lesson's sheet (defaults and variants 1 and 2) has a label, the
    /// labels are unique, and `check` accepts each.
    @Test(arguments: Catalog.lessons.map(\.name))
    func everyExerciseHasALabelCheckAccepts(name: String) throws {
        let lesson = try #require(Catalog.lesson(named: name))
        for variant in [nil] + (lesson.variations.isEmpty ? [] : [1, 2]) {
            let settings = try variant.map { try lesson.variant($0) } ?? []
            let result = lesson.run(try lesson.parameters(settings: settings))
            let exercises = result.report.exercises
            let unlabeled = exercises.filter { $0.answer == nil }.map(\.number)
            #expect(
                unlabeled.isEmpty,
                "\(name) variant \(variant.map(String.init) ?? "none"): exercises \(unlabeled) have no label")
            let labels = exercises.compactMap { $0.answer?.label }
            #expect(Set(labels).count == labels.count, "\(name): a label twice")
            let accepted = Set(Marking.labels(exercises: exercises, values: result.values))
            #expect(exercises.allSatisfy { $0.answer?.entries.allSatisfy { accepted.contains($0.label) } ?? true })
        }
    }

    /// The template `--exercise` writes, filled in with the key's values to 17 digits, and with
    /// them rounded to 4 significant digits, scores full marks.
    @Test(arguments: Catalog.lessons.map(\.name))
    func theFilledTemplateScoresFullMarks(name: String) throws {
        let lesson = try #require(Catalog.lesson(named: name))
        let result = lesson.run(try lesson.parameters(settings: []))
        let exercises = result.report.exercises
        guard !exercises.isEmpty else { return }
        let template = AnswerTemplate.text(lesson: name, variant: nil, digits: 3, exercises: exercises)
        let values = Dictionary(
            exercises.flatMap { $0.answer?.entries ?? [] }.map { ($0.label, $0.value) }, uniquingKeysWith: { a, _ in a }
        )
        for format in ["%.17g", "%#.4g"] {
            let filled = try template.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                guard let equals = line.range(of: " = "), !line.hasPrefix("#") else { return String(line) }
                let label = line[..<equals.lowerBound].trimmingCharacters(in: .whitespaces)
                return "\(label) = " + String(format: format, try #require(values[label]))
            }.joined(separator: "\n")
            let answers = Answers(parsing: filled, labels: Marking.labels(exercises: exercises, values: result.values))
            #expect(answers.errors.isEmpty, "\(name): \(answers.errors.prefix(3))")
            #expect(answers.header.lesson == name && answers.header.variant == .some(nil) && answers.header.digits == 3)
            let marking = Marking(answers.answers, exercises: exercises, values: result.values, digits: 3)
            let wrong = marking.judgments.filter { $0.verdict != .right }.map {
                "\($0.answer.label) = \($0.answer.written)"
            }
            #expect(wrong.isEmpty, "\(name) \(format): \(wrong.prefix(5))")
            #expect(marking.judgments.count == exercises.reduce(0) { $0 + ($1.answer?.entries.count ?? 0) })
        }
    }

    /// Follow-through: out_h1 written as 0.61 (it is 0.5933); net_o1, out_o1 and E_o1 worked on
    /// from it are right, carried forward, and say which answer they were carried from.
    @Test func laterAnswersFromAWrongOneAreRightCarriedForward() throws {
        let w5 = 0.40
        let w6 = 0.45
        let b2 = 0.60
        let outH2 = try Self.value("out_h2")
        let t1 = 0.01
        let netO1 = w5 * 0.61 + w6 * outH2 + b2
        let outO1 = 1 / (1 + exp(-netO1))
        // E_o1 worked from the out_o1 as written, to 5 decimals, as the student would.
        let writtenO1 = try #require(Double(String(format: "%.5f", outO1)))
        let errorO1 = 0.5 * (t1 - writtenO1) * (t1 - writtenO1)
        let marking = Self.mark(
            String(
                format: "net_h1 = 0.3775\nout_h1 = 0.61\nout_h2 = %.6f\nnet_o1 = %.5f\nout_o1 = %.5f\nE_o1 = %.5f\n",
                outH2, netO1, outO1, errorO1))
        #expect(marking.judgments.map(\.verdict) == [.right, .wrong, .right, .carried, .carried, .carried])
        let netJudgment = marking.judgments[3]
        #expect(netJudgment.marks == 1)
        #expect(
            netJudgment.feedback[0].contains("carried forward") && netJudgment.feedback[0].contains("outₕ₁ = 0.61"),
            "\(netJudgment.feedback)")
        #expect(marking.judgments[4].feedback[0].contains(String(format: "netₒ₁ = %.5f", netO1)))
        #expect(marking.score == 5)
        // The same numbers without the wrong out_h1 on the file are simply wrong: nothing to carry from.
        let alone = Self.mark(String(format: "net_o1 = %.5f\n", netO1))
        #expect(alone.judgments[0].verdict == .wrong)
    }

    /// Rounding early: out_h1 = 0.59 and out_h2 = 0.59 are each right when 2 digits are asked
    /// for (cut from 0.5933 and 0.5969); net_o1 worked from them to 5 digits is 1.1015, not the
    /// true 1.1059: carried forward, and the feedback says to keep more digits.
    @Test func anAnswerFromRoundedEarlierOnesSaysKeepMoreDigits() throws {
        let marking = Self.mark("out_h1 = 0.59\nout_h2 = 0.59\nnet_o1 = 1.1015\n", digits: 2)
        #expect(marking.judgments.map(\.verdict) == [.right, .right, .carried])
        let judgment = try #require(marking.judgments.last)
        #expect(judgment.feedback[0].contains("keep more digits"), "\(judgment.feedback)")
    }

    /// Each common slip, provoked, is named.
    @Test func slipsAreNamed() throws {
        let dEdout = try Self.value("dE_total/dout_o1")
        let dEdw5 = try Self.value("dE_total/dw5")
        let doutdnet = try Self.value("dout_o1/dnet_o1")
        let netO1 = try Self.value("net_o1")
        let marking = Self.mark(
            String(
                format: "dE_total/dout_o1 = %.6f\nE_o1 = %.6f\ndE_total/dw5 = %.6f\nout_o1 = %.6f\n",
                -dEdout, 2 * (try Self.value("E_o1")), dEdw5 / doutdnet, netO1))
        #expect(
            marking.judgments.map(\.slip) == ["the wrong sign", "twice the value", "a missing factor", "another value"])
        #expect(
            marking.judgments[0].feedback.contains { $0.hasPrefix("the wrong sign: ∂Eₜₒₜₐₗ/∂outₒ₁ = −(t₁ − outₒ₁)") },
            "\(marking.judgments[0].feedback)")
        #expect(
            marking.judgments[2].feedback.contains { $0.contains("∂outₒ₁/∂netₒ₁") }, "\(marking.judgments[2].feedback)")
        #expect(marking.judgments[3].feedback.contains { $0.contains("the value of netₒ₁, not of outₒ₁") })
        #expect(marking.score == 0)
    }

    /// backprop-example declares the other update order as a slip: ∂E/∂w1 worked through the
    /// already-updated output weights is named so.
    @Test func theOtherUpdateOrderIsNamed() throws {
        let other = try Lesson.backpropExample.run(settings: ["iterations=1", "update=output-first"])
        let values = Dictionary(
            other.report.exercises.flatMap { $0.answer?.entries ?? [] }.map { ($0.label, $0.value) },
            uniquingKeysWith: { a, _ in a })
        let slip = try #require(Lesson.backpropExample.slips.first)
        let dEdw1 = try #require(values["dE_total/dw1"])
        try #require(abs(dEdw1 - (try Self.value("dE_total/dw1"))) > 1e-6)
        let marking = Self.mark(
            String(format: "dE_total/dw1 = %.8f\n", dEdw1), alternatives: [.init(slip: slip.meaning, values: values)])
        #expect(marking.judgments[0].slip == slip.meaning)
    }

    /// Follow-through into a derivative: logistic-regression's z written with the wrong sign
    /// (0.3 for −0.3); a, L and ∂L/∂z = a − y worked on from it are carried forward, and the
    /// wrong z is named a sign slip.
    @Test func aDerivativeIsCarriedForwardFromAWrongValue() throws {
        let result = try Lesson.logisticRegression.run(settings: [])
        let exercises = result.report.exercises
        let a = 1 / (1 + exp(-0.3))
        let y = 1.0
        let text = String(format: "z = 0.3000\na = %.4f\nL = %.4f\ndL/dz = %.4f\n", a, -log(a), a - y)
        let answers = Answers(parsing: text, labels: Marking.labels(exercises: exercises, values: result.values))
        let marking = Marking(answers.answers, exercises: exercises, values: result.values, digits: 3)
        #expect(marking.judgments.map(\.verdict) == [.wrong, .carried, .carried, .carried])
        #expect(marking.judgments[0].slip == "the wrong sign")
        #expect(marking.judgments[3].feedback[0].contains("from your z = 0.3000"), "\(marking.judgments[3].feedback)")
    }

    /// A twin tape's exercises are answered under values.json's own labels (logistic-regression's
    /// linear twin: `linear.dL/dw1`, not a renamed `dL/dw1_ex21`), and the template pads a label
    /// with a combining mark (RNN's `lstm.C̃_t`) without cutting it.
    @Test func twinTapesAnswerUnderTheirValuesLabels() throws {
        let logistic = try Lesson.logisticRegression.run(settings: [])
        let labels = logistic.report.exercises.compactMap { $0.answer?.label }
        #expect(labels.contains("linear.dL/dw1") && !labels.contains { $0.contains("_ex") })
        let linear = try #require(logistic.report.exercises.first { $0.answer?.label == "linear.dL/dw1" })
        #expect(logistic.values.number("linear.dL/dw1") == linear.answer?.entries[0].value)
        let rnn = try Lesson.rnn.run(settings: [])
        let template = AnswerTemplate.text(lesson: "rnn", variant: nil, digits: 3, exercises: rnn.report.exercises)
        #expect(template.range(of: "\nlstm\\.C̃_t +=", options: .regularExpression) != nil, "\(template)")
    }
}
