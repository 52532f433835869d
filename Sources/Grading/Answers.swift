import Foundation
import LessonKit
import ReportModel

/// A student's answers, `label = value` per line, after a header that says what they answer
/// (`# lesson: backprop-example`, `# variant: 7`, `# digits: 3`, all optional). Every line is
/// read: the good ones are judged and each bad one is reported with its number.
///
///     let sheet = Answers(parsing: "# variant: 7\nout_o1 = 0.7514  # after the forward pass", labels: ["out_o1"])
///     sheet.answers[0].value   // 0.7514; sheet.header.variant == .some(7)
public struct Answers: Sendable {
    public struct Answer: Sendable {
        public let line: Int
        public let label: String
        /// As written, for judging by its digits.
        public let written: String
        public let value: Double
    }

    /// A line that cannot be judged, and why.
    public struct LineError: Error, Sendable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { line == 0 ? message : "line \(line): \(message)" }
        public init(line: Int, message: String) { (self.line, self.message) = (line, message) }
    }

    /// What the file says about itself, from `# key: value` comment lines before the first answer.
    public struct Header: Sendable, Equatable {
        public var lesson: String?
        /// nil: not said; .some(nil): `# variant: none`, the defaults.
        public var variant: Int??
        public var digits: Int?
        public var student: String?
    }

    public let answers: [Answer]
    public let errors: [LineError]
    public let header: Header

    /// Reads the file's text. `labels` are those a value can be given for; a label not among
    /// them is reported with the closest ones.
    public init(parsing text: String, labels: [String]) {
        var answers: [Answer] = []
        var errors: [LineError] = []
        var header = Header()
        let known = Set(labels)
        // A byte-order mark and Windows line ends (CRLF) are read as nothing.
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        // "\r\n" is one Character in Swift, and a newline: split on newlines, not on "\n".
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = index + 1
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#"), answers.isEmpty,
                let match = trimmed.wholeMatch(of: /#\s*(lesson|variant|digits|student)\s*:\s*(.*?)\s*/)
            {
                let value = String(match.output.2)
                switch match.output.1 {
                case "lesson": header.lesson = value
                case "student": header.student = value
                case "variant":
                    if value == "none" {
                        header.variant = .some(nil)
                    } else if let n = Int(value), n >= 0 {
                        header.variant = .some(n)
                    } else {
                        errors.append(
                            LineError(
                                line: number,
                                message: "`# variant: \(value)`: write a variant number, or none for the defaults"))
                    }
                default:
                    if let n = Int(value), (1...17).contains(n) {
                        header.digits = n
                    } else {
                        errors.append(
                            LineError(
                                line: number,
                                message: "`# digits: \(value)`: write a number of significant digits, 1 to 17"))
                    }
                }
                continue
            }
            let line =
                raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !line.isEmpty else { continue }
            guard let equals = line.firstIndex(of: "="), equals != line.startIndex else {
                errors.append(LineError(line: number, message: "expected `label = value`, got '\(line.prefix(60))'"))
                continue
            }
            let label = line[..<equals].trimmingCharacters(in: .whitespaces)
            let written = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces).replacingOccurrences(
                of: "−", with: "-")
            // A template's unfilled line: nothing to judge, nothing wrong.
            if written.isEmpty && known.contains(label) { continue }
            guard known.contains(label) else {
                let closest = Answers.closest(to: label, among: labels)
                errors.append(
                    LineError(
                        line: number,
                        message: "no value labeled '\(label.prefix(60))'; closest: \(closest.joined(separator: ", "))"))
                continue
            }
            if let problem = WrittenDecimal.problem(with: written) {
                errors.append(LineError(line: number, message: problem))
                continue
            }
            guard let value = Double(written), value.isFinite else {
                errors.append(
                    LineError(
                        line: number, message: "'\(written)' is not a number (write it as 0.7514, -0.05 or 3.5e-05)"))
                continue
            }
            if answers.contains(where: { $0.label == label }) {
                errors.append(LineError(line: number, message: "'\(label)' is answered twice; keep one line"))
                continue
            }
            answers.append(Answer(line: number, label: label, written: written, value: value))
        }
        if answers.isEmpty && errors.isEmpty {
            errors.append(
                LineError(
                    line: 0,
                    message:
                        """
                        no answers: write one `label = value` per line, with \
                        the labels the sheet prints (e.g. out_o1 = 0.7514)
                        """
                ))
        }
        (self.answers, self.errors, self.header) = (answers, errors, header)
    }

    /// Right when the answer is the true value rounded or cut to the answer's own last digit
    /// (the notes cut: 0.5932 for 0.593269992) and has at least one significant digit of it:
    /// for 0.75136507, 0.751, 0.7514, 0.7513 and 0.8 are right, 0.752, 1 and 0 are not. Digits
    /// are compared as decimals (`WrittenDecimal`), so the value itself, to 17 digits, is right.
    public static func isRight(_ written: String, truth: Double) -> Bool {
        WrittenDecimal(written)?.matches(truth) ?? false
    }

    /// Up to three labels nearest by edit distance, ties kept in recording order.
    static func closest(to label: String, among labels: [String]) -> [String] {
        labels.enumerated().map { ($0.element, Spelling.distance(label, $0.element), $0.offset) }
            .sorted { ($0.1, $0.2) < ($1.1, $1.2) }.prefix(3).map(\.0)
    }
}

/// Every line of an answers file that cannot be judged.
public struct AnswersError: Error, Sendable, CustomStringConvertible {
    public let errors: [Answers.LineError]
    /// The first 20 lines, then how many more: a file of bad lines is not printed whole.
    public var description: String {
        let shown = errors.prefix(AnswersError.listed).map(\.description)
        return
            (shown
            + (errors.count > AnswersError.listed
                ? ["… and \(errors.count - AnswersError.listed) more lines that cannot be judged"] : []))
            .joined(separator: "\n")
    }
    public static let listed = 20
}

extension ExportedValues {
    /// A number a student can give: a number entry, or one entry of an array as `label[i]`.
    public func number(answering label: String) -> Double? {
        if let x = number(label) { return x }
        guard label.hasSuffix("]"), let open = label.lastIndex(of: "["),
            let index = Int(label[label.index(after: open)..<label.index(before: label.endIndex)]),
            case .array(let xs)? = self[String(label[..<open])], xs.indices.contains(index)
        else { return nil }
        return xs[index]
    }

    /// Every label `number(answering:)` knows, arrays' entries written out.
    public var answerableLabels: [String] {
        entries.flatMap { label, entry -> [String] in
            switch entry {
            case .number: [label]
            case .array(let xs): xs.indices.map { "\(label)[\($0)]" }
            default: []
            }
        }
    }
}
