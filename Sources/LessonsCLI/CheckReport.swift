import Foundation
import Grading
import LessonKit
import Lessons
import ReportModel

/// One answers file as `check` marked it, or the reason it could not.
struct MarkedFile {
    let file: String
    let variant: Int?
    let digits: Int
    let student: String?
    let marking: Marking?
    let errors: [Answers.LineError]
    let exercises: [Exercise]

    /// Marks per exercise number: each exercise is worth 1, a matrix's entries a share each.
    var marksByExercise: [Int: Double] {
        var marks: [Int: Double] = [:]
        for judgment in marking?.judgments ?? [] {
            guard let number = judgment.exercise else { continue }
            let exercise = exercises.first { $0.number == number }
            let entries = Double(exercise?.answer?.entries.count ?? 1)
            marks[number, default: 0] += judgment.marks * (exercise?.marks ?? 1) / entries
        }
        return marks
    }

    var score: Double { marksByExercise.values.reduce(0, +) }
    var total: Double { exercises.filter { $0.answer != nil }.map(\.marks).reduce(0, +) }
    func count(_ verdict: Marking.Verdict) -> Int { marking?.judgments.count { $0.verdict == verdict } ?? 0 }
}

/// `check`'s output: text for a person, JSON and CSV for course software, a gradebook for a class.
struct CheckReport {
    let lesson: Lesson
    let files: [MarkedFile]

    static func number(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(format: "%.2f", x)
    }

    private func heading(_ file: MarkedFile) -> String {
        "\(file.file): \(lesson.name)" + (file.variant.map { ", variant \($0)" } ?? "")
            + ", \(file.digits) significant digits"
            + (file.student.map { ", \($0)" } ?? "")
    }

    private func summary(_ file: MarkedFile) -> String {
        guard let marking = file.marking else { return "not marked" }
        let judged = marking.judgments.count
        let carried = file.count(.carried)
        let wrong = file.count(.wrong)
        var parts = ["\(judged - wrong) of \(judged) right" + (carried > 0 ? " (\(carried) carried forward)" : "")]
        if wrong > 0 {
            parts.append(
                "\(wrong) wrong: "
                    + marking.judgments.filter { $0.verdict == .wrong }.map(\.answer.label).joined(separator: ", "))
        }
        if !file.errors.isEmpty {
            parts.append("\(file.errors.count) line\(file.errors.count == 1 ? "" : "s") not judged")
        }
        return parts.joined(separator: "; ")
            + "; marks \(CheckReport.number(file.score)) of \(CheckReport.number(file.total))"
    }

    var text: String {
        var out = ""
        let one = files.count == 1
        for file in files {
            out += heading(file) + "\n"
            for error in file.errors.prefix(AnswersError.listed) { out += "  \(error)\n" }
            if file.errors.count > AnswersError.listed {
                out += "  … and \(file.errors.count - AnswersError.listed) more lines that cannot be judged\n"
            }
            if one, let marking = file.marking {
                for judgment in marking.judgments {
                    let exercise = judgment.exercise.map { "ex \($0)" } ?? ""
                    let lead = "  " + judgment.verdict.rawValue.padded(to: 8) + exercise.padded(to: 7)
                    out +=
                        lead + "\(judgment.answer.label) = \(judgment.answer.written)"
                        + (judgment.feedback.first.map { ": \($0)" } ?? "") + "\n"
                    for line in judgment.feedback.dropFirst() {
                        out += String(repeating: " ", count: lead.count) + line + "\n"
                    }
                }
            }
            if file.marking != nil { out += "  " + summary(file) + "\n" }
        }
        if !one { out += "\n" + classTable }
        return out
    }

    /// Per exercise across the class: right, carried forward, wrong, unanswered, and the commonest slip.
    var classTable: String {
        let exercises = files.lazy.compactMap { $0.exercises.isEmpty ? nil : $0.exercises }.first ?? []
        var rows = [["exercise", "label", "right", "carried", "wrong", "unanswered", "commonest slip"]]
        for exercise in exercises {
            guard let answer = exercise.answer else { continue }
            var right = 0
            var carried = 0
            var wrong = 0
            var unanswered = 0
            var slips: [String: Int] = [:]
            for file in files where file.marking != nil {
                let judged = file.marking!.judgments.filter { $0.exercise == exercise.number }
                if judged.isEmpty {
                    unanswered += 1
                    continue
                }
                if judged.contains(where: { $0.verdict == .wrong }) {
                    wrong += 1
                } else if judged.contains(where: { $0.verdict == .carried }) {
                    carried += 1
                } else {
                    right += 1
                }
                for slip in judged.compactMap(\.slip) { slips[slip, default: 0] += 1 }
            }
            let commonest =
                slips.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.first.map { "\($0.key) (\($0.value))" } ?? ""
            rows.append([
                "\(exercise.number)", answer.label, "\(right)", "\(carried)", "\(wrong)", "\(unanswered)", commonest,
            ])
        }
        let widths = rows[0].indices.map { j in rows.map { $0[j].count }.max()! }
        let scores = files.map {
            "\($0.student ?? $0.file): "
                + ($0.marking == nil
                    ? "not marked" : "\(CheckReport.number($0.score)) of \(CheckReport.number($0.total))")
        }
        return "Scores\n" + scores.map { "  \($0)\n" }.joined() + "\nBy exercise\n"
            + rows.map { row in
                let line = "  " + zip(row, widths).map { $0.padded(to: $1) }.joined(separator: "  ")
                return String(line.reversed().drop { $0 == " " }.reversed()) + "\n"
            }.joined()
    }

    var json: String {
        let q = JSON.quoted
        let entries = files.map { file -> String in
            let answers = (file.marking?.judgments ?? []).map { j in
                """
                      {\"line\": \(j.answer.line), \"label\": \(q(j.answer.label)), \
                \"exercise\": \(j.exercise.map(String.init) ?? "null"), 
                """
                    + "\"given\": \(q(j.answer.written)), \"verdict\": \(q(j.verdict.rawValue)), \"right\": \(j.verdict != .wrong), \"value\": \(j.truth), "
                    + "\"marks\": \(j.marks), \"slip\": \(j.slip.map(q) ?? "null"), \"feedback\": [\(j.feedback.map(q).joined(separator: ", "))]}"
            }
            let errors = file.errors.map { "      {\"line\": \($0.line), \"message\": \(q($0.message))}" }
            return """
                    {"file": \(q(file.file)), "student": \(file.student.map(q) ?? "null"), \
                "variant": \(file.variant.map(String.init) ?? "null"), \
                "digits": \(file.digits), "score": \(file.score), "total": \
                \(file.total), "right": \(file.count(.right) + file.count(.carried)), \
                "carried": \(file.count(.carried)), "wrong": \(file.count(.wrong)),
                     "answers": [
                \(answers.joined(separator: ",\n"))
                     ],
                     "errors": [
                \(errors.joined(separator: ",\n"))
                     ]}
                """
        }
        return "{\n  \"lesson\": \(q(lesson.name)),\n  \"files\": [\n\(entries.joined(separator: ",\n"))\n  ]\n}"
    }

    /// A row per answer: file, line, label, exercise, given, verdict, marks, true value, slip.
    var answersCSV: String {
        var rows = [["file", "line", "label", "exercise", "given", "verdict", "marks", "value", "slip"]]
        for file in files {
            for j in file.marking?.judgments ?? [] {
                rows.append([
                    file.file, "\(j.answer.line)", j.answer.label, j.exercise.map(String.init) ?? "", j.answer.written,
                    j.verdict.rawValue,
                    CheckReport.number(j.marks), "\(j.truth)", j.slip ?? "",
                ])
            }
        }
        return CheckReport.csv(rows)
    }

    /// A row per student: who, which variant, the score and each exercise's marks (blank: not answered).
    var gradebookCSV: String {
        let exercises = (files.lazy.compactMap { $0.exercises.isEmpty ? nil : $0.exercises }.first ?? []).filter {
            $0.answer != nil
        }
        var rows = [
            ["student", "file", "variant", "score", "out of"]
                + exercises.map {
                    "Exercise \($0.number) (\($0.answer!.label))"
                        + ($0.marks == 1 ? "" : ", \(CheckReport.number($0.marks)) marks")
                }
        ]
        for file in files {
            let marks = file.marksByExercise
            let student = file.student ?? ((file.file as NSString).lastPathComponent as NSString).deletingPathExtension
            rows.append(
                [
                    student, file.file, file.variant.map(String.init) ?? "",
                    file.marking == nil ? "" : CheckReport.number(file.score),
                    CheckReport.number(exercises.map(\.marks).reduce(0, +)),
                ]
                    + exercises.map { marks[$0.number].map(CheckReport.number) ?? "" })
        }
        return CheckReport.csv(rows)
    }

    /// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
    static func csv(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map { field in
                field.contains(where: { ",\"\n\r".contains($0) })
                    ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }.joined(separator: ",")
        }.joined(separator: "\r\n") + "\r\n"
    }
}
