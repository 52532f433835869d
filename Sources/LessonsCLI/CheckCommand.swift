import ArgumentParser
import Foundation
import Lessons
import Report

/// `lessons check NAME ANSWERS`: which of a student's numbers are right, and where a wrong one
/// went wrong.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check hand-calculated answers against a lesson's values.",
        discussion: """
        ANSWERS has one `label = value` per line, labels as in values.json (an array's entry as \
        p[0]); `#` starts a comment; blank lines are fine. An answer is right when it is the true \
        value rounded or cut to the answer's own last digit, with at least one significant digit \
        of it: for 0.75136507, 0.751, 0.7514, 0.7513 and 0.8 are right, 0.752, 1 and 0 are not. A wrong answer is shown with the true value and the \
        step's formula with numbers. Exit status: 0 when every answer is right, 1 when one is \
        wrong, 64 when the file cannot be read or judged.
        """)

    @Argument(help: "The lesson, as `lessons list` names it.")
    var name: String

    @Argument(help: ArgumentHelp("The answers file.", valueName: "answers"))
    var answers: String

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "The parameters the answers were worked with; repeat for several.", valueName: "key=value"))
    var settings: [String] = []

    @Option(help: ArgumentHelp("The exercise variant the answers were worked for.", valueName: "n"))
    var variant: Int?

    @Option(name: .shortAndLong, help: ArgumentHelp("text, or json for course software.", valueName: "format"))
    var format = "text"

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw CommandError("--format \(format): choose text or json") }
    }

    func run() throws {
        let lesson = try LessonName.find(name)
        var sheet = SheetOptions()
        sheet.variant = variant
        let result = try lesson.checkedRun(try sheet.parameters(of: lesson, settings: settings))
        let text: String
        // An answers file is a page of lines; a megabyte is a wrong file, refused before reading it.
        if let size = (try? FileManager.default.attributesOfItem(atPath: answers))?[.size] as? Int, size > Check.largestFile {
            throw CommandError("\(answers) is \(size / 1_000_000) MB; an answers file is one `label = value` per line, at most 1 MB")
        }
        do { text = try String(contentsOfFile: answers, encoding: .utf8) } catch {
            throw CommandError("cannot read \(answers): \(reason(error))")
        }
        let parsed: Answers
        do { parsed = try Answers(parsing: text, known: result.values) } catch {
            let listed = error.errors.prefix(AnswersError.listed).map { "Error: \(answers): \($0)\n" }.joined()
            let more = error.errors.count > AnswersError.listed ? "Error: \(answers): … and \(error.errors.count - AnswersError.listed) more lines that cannot be judged\n" : ""
            FileHandle.standardError.write(Data((listed + more).utf8))
            throw ExitCode(64)
        }
        let judged = parsed.answers.map { answer in
            let truth = result.values.number(answering: answer.label)!
            let step = result.recordings.lazy.compactMap { $0.step(of: answer.label) }.first
            return (answer: answer, truth: truth, right: Answers.isRight(answer.written, truth: truth), step: step)
        }
        let right = judged.count(where: \.right)
        if format == "json" {
            print(json(judged.map { ($0.answer, $0.truth, $0.right, $0.step.map(Check.line)) }, right: right))
        } else {
            for item in judged {
                if item.right {
                    print("right  \(item.answer.label) = \(item.answer.written)")
                } else {
                    print("wrong  \(item.answer.label) = \(item.answer.written): it is \(Check.shown(item.truth, like: item.answer.written)) (\(Check.full(item.truth)))")
                    if let step = item.step { print("       \(Check.line(step))") }
                }
            }
            let wrong = judged.filter { !$0.right }.map(\.answer.label)
            print("\(right) of \(judged.count) right" + (wrong.isEmpty ? "." : "; wrong: \(wrong.joined(separator: ", ")).")
                  + (variant.map { " (variant \($0))" } ?? ""))
        }
        if right < judged.count { throw ExitCode(1) }
    }

    static let largestFile = 1_000_000

    /// The step on one line: lhs = formula = numbers = result.
    static func line(_ step: Step) -> String {
        ([step.lhs.linearText] + step.rhs.map(\.linearText)).joined(separator: " = ")
    }

    /// The true value with as many decimals as the answer gave (in its notation).
    static func shown(_ truth: Double, like written: String) -> String {
        let lower = written.lowercased()
        let mantissa = lower.split(separator: "e").first ?? ""
        let decimals = mantissa.split(separator: ".", maxSplits: 1).dropFirst().first?.count ?? 0
        return String(format: lower.contains("e") ? "%.*e" : "%.*f", decimals, truth)
    }

    static func full(_ x: Double) -> String { String(format: "%.10g", x) }

    func json(_ items: [(Answers.Answer, Double, Bool, String?)], right: Int) -> String {
        let quoted = JSON.quoted
        let rows = items.map { answer, truth, isRight, formula in
            "    {\"line\": \(answer.line), \"label\": \(quoted(answer.label)), \"given\": \(quoted(answer.written)), \"right\": \(isRight), "
                + "\"value\": \(truth), \"expected\": \(quoted(Check.shown(truth, like: answer.written)))"
                + (formula.map { ", \"step\": \(quoted($0))" } ?? "") + "}"
        }
        return """
        {
          "lesson": \(quoted(name)),
          "variant": \(variant.map(String.init) ?? "null"),
          "right": \(right),
          "total": \(items.count),
          "answers": [
        \(rows.joined(separator: ",\n"))
          ]
        }
        """
    }
}
