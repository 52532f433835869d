import ReportModel

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
