import Foundation
import ReportModel

/// Exercise sheets as one Moodle XML file: a question category per lesson, and in it one Cloze
/// (multianswer) question per variant. The question is the sheet (Markdown, its figures embedded
/// as base64 PNG files), then an answer field per exercise entry, a NUMERICAL sub-question whose
/// tolerance is one unit of the required significant digit and whose feedback is the step with
/// its numbers; the general feedback is the answer key. A quiz's "random question from category"
/// then gives each student a variant.
///
///     let xml = try MoodleQuiz.xml([.init(lesson: "softmax", variant: 3, sheet: s, key: k, exercises: e, digits: 3)])
public enum MoodleQuiz {
    public struct Question: Sendable {
        public let lesson: String
        public let variant: Int?
        public let sheet: Report
        public let key: Report
        public let exercises: [Exercise]
        public let digits: Int

        public init(lesson: String, variant: Int?, sheet: Report, key: Report, exercises: [Exercise], digits: Int) {
            (self.lesson, self.variant, self.sheet, self.key, self.exercises, self.digits) = (
                lesson, variant, sheet, key, exercises, digits
            )
        }
    }

    /// The whole file; questions are drawn on all cores.
    public static func xml(_ questions: [Question], dpi: Double = 100) throws(RenderError) -> String {
        let drawn = try Output.parallel(questions.count) { k throws(RenderError) in
            Data(try question(questions[k], dpi: dpi).utf8)
        }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n"
        var category: String?
        for (question, xml) in zip(questions, drawn) {
            if question.lesson != category {
                category = question.lesson
                out +=
                    "  <question type=\"category\">\n    <category><text>$course$/top/lessons/\(escape(question.lesson))</text></category>\n"
                    + "    <info format=\"html\"><text>\(escape(question.sheet.title.plainText))</text></info>\n  </question>\n"
            }
            out += String(decoding: xml, as: UTF8.self)
        }
        return out + "</quiz>\n"
    }

    /// One variant's Cloze question.
    static func question(_ q: Question, dpi: Double) throws(RenderError) -> String {
        let document = Document(q.sheet)
        let names = document.figures.map { "\($0.fileStem).png" }
        let sheet = Markdown(q.sheet, figures: names.map { "@@PLUGINFILE@@/\($0)" }).text
        var fields = "\n\n## Your answers\n\nGive each to at least \(q.digits) significant digits, rounded or cut.\n\n"
        for exercise in q.exercises {
            guard let answer = exercise.answer else { continue }
            let step = exercise.step.terminalLine
            // A Cloze field's weight is a whole number: an exercise the lesson weights counts that much.
            let weight = max(1, Int(exercise.marks.rounded()))
            for entry in answer.entries {
                fields +=
                    "Exercise \(exercise.number), `\(entry.label)`: {\(weight):NUMERICAL:=\(entry.value):\(tolerance(entry.value, digits: q.digits))#\(clozeEscaped(step))}\n\n"
            }
        }
        let files = try document.figures.enumerated().map { k, figure throws(RenderError) in
            "      <file name=\"\(escape(names[k]))\" path=\"/\" encoding=\"base64\">\(try figure.png(dpi: dpi).base64EncodedString())</file>\n"
        }.joined()
        let key = Markdown(q.key, figures: []).text.replacingOccurrences(of: "![", with: "[")
        let name = q.lesson + (q.variant.map { ", variant \($0)" } ?? "")
        return """
              <question type="cloze">
                <name><text>\(escape(name))</text></name>
                <questiontext format="markdown">
                  <text>\(cdata(sheet + fields))</text>
            \(files)    </questiontext>
                <generalfeedback format="markdown"><text>\(cdata(key))</text></generalfeedback>
                <penalty>0.3333333</penalty>
                <hidden>0</hidden>
                <idnumber>\(escape(q.lesson + (q.variant.map { "-v\($0)" } ?? "")))</idnumber>
              </question>

            """
    }

    /// One unit in the last required significant digit: 0.0001 for 0.2984 at 4 digits. Moodle
    /// accepts |answer − value| ≤ tolerance, so a rounded and a cut answer both pass.
    static func tolerance(_ value: Double, digits: Int) -> Double {
        guard value != 0 else { return pow(10, Double(-digits)) }
        return pow(10, (log10(abs(value))).rounded(.down) - Double(digits) + 1)
    }

    /// The characters a Cloze field's feedback must escape with a backslash.
    static func clozeEscaped(_ text: String) -> String { Markdown.backslashed(text, before: "}#~/\"\\{") }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func cdata(_ text: String) -> String {
        "<![CDATA[" + text.replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>") + "]]>"
    }
}
