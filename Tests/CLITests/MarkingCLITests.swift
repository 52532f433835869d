import Foundation
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A teacher's round trip through the real binary: a variant's sheet comes with its answers
/// template; a filled template is marked against the variant its header names; a class of 30
/// files gets its scores and a gradebook; the sheets become a Moodle quiz.
@Suite("check as a teacher marks with it")
struct MarkingCLITests {
    struct Values: Decodable { let values: [String: Entry] }
    enum Entry: Decodable {
        case number(Double), other
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            self = (try? container.decode(Double.self)).map(Entry.number) ?? .other
        }
    }

    /// Variant 7's sheet, template and the full values (its key's numbers).
    static func sheet(in folder: URL, variant: Int = 7) throws -> (template: String, values: [String: Double]) {
        let run = try Command.run([
            "run", "backprop-example", "--exercise", "--variant", "\(variant)", "--format", "pdf,json", "--output",
            folder.path,
        ])
        try #require(run.status == 0, "\(run.error)")
        let stem = "backprop-example-v0\(variant)-exercise"
        #expect(run.output.contains("\(stem)/\(stem)-template.txt"))
        let template = try String(
            contentsOf: folder.appendingPathComponent("\(stem)/\(stem)-template.txt"), encoding: .utf8)
        let decoded = try JSONDecoder().decode(
            Values.self, from: Data(contentsOf: folder.appendingPathComponent("\(stem)/values.json")))
        var values: [String: Double] = [:]
        for (label, entry) in decoded.values { if case .number(let x) = entry { values[label] = x } }
        return (template, values)
    }

    /// The template's lines with values filled in where `fill` gives one.
    static func filled(_ template: String, _ fill: (String) -> String?) -> String {
        template.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard !line.hasPrefix("#"), let equals = line.range(of: " =") else { return String(line) }
            let label = line[..<equals.lowerBound].trimmingCharacters(in: .whitespaces)
            return fill(label).map { "\(label) = \($0)" } ?? String(line)
        }.joined(separator: "\n")
    }

    /// The template names the lesson, the variant and the rule, and lists all 46 exercises;
    /// filled with the key's values every answer is right, judged against variant 7 from its header alone.
    @Test func theFilledTemplateScoresFullMarksAgainstItsOwnVariant() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (template, values) = try Self.sheet(in: folder)
        #expect(template.contains("# lesson: backprop-example\n# variant: 7\n# digits: 3\n"))
        #expect(template.split(separator: "\n").filter { $0.contains("# exercise ") }.count == 46)
        // The sheet itself prints each label beside its exercise.
        let pdf = folder.appendingPathComponent("backprop-example-v07-exercise/backprop-example-v07-exercise.pdf")
        let text = try run("pdftotext", [pdf.path, "-"]).output
        #expect(
            text.contains("dE_total/dout_o1") && text.contains("E_total_after_update")
                && text.contains("at least 3 significant digits"))
        let answers = folder.appendingPathComponent("s07.txt")
        // Filled from values.json, which has most labels (the chain's factors stay blank: skipped, not wrong).
        let full = Self.filled(template) { values[$0].map { String(format: "%.6g", $0) } }
        try Data(full.utf8).write(to: answers)
        let outcome = try Command.run(["check", "backprop-example", answers.path])
        #expect(outcome.status == 0 || outcome.status == 1, "\(outcome.output)\(outcome.error)")
        let judged = outcome.output.split(separator: "\n").filter {
            $0.hasPrefix("  right") || $0.hasPrefix("  wrong") || $0.hasPrefix("  carried")
        }
        #expect(
            !judged.isEmpty && judged.allSatisfy { $0.hasPrefix("  right") },
            "\(judged.filter { !$0.hasPrefix("  right") }.prefix(3))")
        #expect(outcome.output.contains("backprop-example, variant 7"))
        // Against variant 8 the same file is wrong almost everywhere, and the header and --variant disagree.
        let disagree = try Command.run(["check", "backprop-example", answers.path, "--variant", "8"])
        #expect(
            disagree.status == 64 && disagree.error.contains("its header says variant 7, but --variant 8 was given"),
            "\(disagree.error)")
    }

    /// A file that does not say its variant is refused for a lesson with variants, saying how to mend it.
    @Test func aFileWithoutItsVariantIsRefused() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let answers = folder.appendingPathComponent("a.txt")
        try Data("net_h1 = 0.3775\n".utf8).write(to: answers)
        let outcome = try Command.run(["check", "backprop-example", answers.path])
        #expect(outcome.status == 64 && outcome.error.contains("add `# variant: N`"), "\(outcome.error)")
        try Data("# variant: none\nnet_h1 = 0.3775\n".utf8).write(to: answers)
        #expect(try Command.run(["check", "backprop-example", answers.path]).status == 0)
        try Data("# lesson: softmax\np[0] = 0.659\n".utf8).write(to: answers)
        let other = try Command.run(["check", "backprop-example", answers.path])
        #expect(other.status == 64 && other.error.contains("it answers softmax, not backprop-example"))
    }

    /// Thirty students, each with a known number of the first ten exercises right (student k gets
    /// k mod 11), marked at once: the scores, the per-exercise table and the gradebook agree.
    @Test func aClassOfThirtyGetsItsScoresAndAGradebook() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (template, values) = try Self.sheet(in: folder)
        let firstTen = ["net_h1", "out_h1", "net_h2", "out_h2", "net_o1", "out_o1", "net_o2", "out_o2", "E_o1", "E_o2"]
        var paths: [String] = []
        for k in 1...30 {
            let right = k % 11
            let file = Self.filled(template.replacingOccurrences(of: "# student: ", with: "# student: Student \(k)")) {
                label in
                guard let index = firstTen.firstIndex(of: label), let value = values[label] else { return nil }
                // 0.5 off: wrong, and no slip by chance
                return String(format: "%.5f", index < right ? value : value + 0.5)
            }
            let path = folder.appendingPathComponent(String(format: "s%02d.txt", k)).path
            try Data(file.utf8).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let gradebook = folder.appendingPathComponent("grades.csv")
        let outcome = try Command.run(["check", "backprop-example"] + paths + ["--gradebook", gradebook.path])
        #expect(outcome.status == 1, "\(outcome.error)")
        for k in 1...30 { #expect(outcome.output.contains("  Student \(k): \(k % 11) of 48\n"), "student \(k)") }
        // Exercise 1 is right for every student with at least one right: 30 − (students 11 and 22).
        #expect(outcome.output.contains("  1         net_h1"), "\(outcome.output.suffix(400))")
        let row = try #require(outcome.output.split(separator: "\n").first { $0.hasPrefix("  1         net_h1") })
        #expect(row.split(separator: " ").map(String.init).prefix(5) == ["1", "net_h1", "28", "0", "2"])
        let csv = try String(contentsOf: gradebook, encoding: .utf8).split(separator: "\r\n")
        #expect(csv.count == 31)
        #expect(csv[0].hasPrefix("student,file,variant,score,out of,Exercise 1 (net_h1)"))
        // backprop-example weights the two gradients the notes work to the end: 2 marks each, 48 in all.
        #expect(
            csv[0].contains("Exercise 15 (dE_total/dw5), 2 marks")
                && csv[0].contains("Exercise 35 (dE_total/dw1), 2 marks"))
        #expect(csv[3].hasPrefix("Student 3,\(paths[2]),7,3,48,1,1,1,0,0,0,0,0,0,0,"), "\(csv[3])")
    }

    /// The quiz parses as XML: a category per lesson, a Cloze question per variant, and every
    /// NUMERICAL field's answer is the value values.json holds for that variant.
    @Test func theMoodleQuizHasAQuestionPerVariantWithTheTrueValues() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run([
            "handout", "backprop-example", "softmax", "--exercise", "--variants", "1-3", "--format", "moodle",
            "--output", folder.appendingPathComponent("week.pdf").path,
        ])
        try #require(outcome.status == 0, "\(outcome.error)")
        let url = folder.appendingPathComponent("week-quiz.xml")
        let document = try XMLDocument(contentsOf: url)
        let questions = try document.nodes(forXPath: "/quiz/question")
        let types = questions.compactMap { ($0 as? XMLElement)?.attribute(forName: "type")?.stringValue }
        #expect(
            types == ["category", "cloze", "cloze", "cloze", "category", "cloze"],
            "softmax has no variants: one question")
        for question in try document.nodes(forXPath: "/quiz/question[@type='cloze']") {
            #expect(
                try !question.nodes(forXPath: "name/text").isEmpty
                    && !question.nodes(forXPath: "questiontext/text").isEmpty)
            #expect(
                try !question.nodes(forXPath: "questiontext/file[@encoding='base64']").isEmpty, "the network figure")
        }
        // Variant 2's backprop-example question against that variant's values.json.
        _ = try Command.run(["run", "backprop-example", "--variant", "2", "--format", "json", "--output", folder.path])
        let values = try JSONDecoder().decode(
            Values.self, from: Data(contentsOf: folder.appendingPathComponent("backprop-example-v02/values.json")))
        let text = try #require(
            try document.nodes(forXPath: "/quiz/question[@type='cloze'][2]/questiontext/text").first?.stringValue)
        let fields = text.matches(of: /`([^`]+)`: \{[12]:NUMERICAL:=([^:]+):([^#]+)#/).map {
            (String($0.output.1), Double($0.output.2)!, Double($0.output.3)!)
        }
        #expect(fields.count == 46)
        // Moodle's Cloze parser reads a NUMERICAL field's value and tolerance with this pattern (NUMERICAL_ALTERNATIVE_REGEX).
        let moodleNumber = #/-?(([0-9]+[.,]?[0-9]*|[.,][0-9]+)([eE][-+]?[0-9]+)?)/#
        // backprop-example weights its two worked gradients: their fields count 2.
        #expect(text.contains("`dE_total/dw5`: {2:NUMERICAL:") && text.contains("`net_h1`: {1:NUMERICAL:"))
        for field in text.matches(of: /\{[12]:NUMERICAL:=([^#]+)#/) {
            let parts = field.output.1.split(separator: ":")
            #expect(
                parts.count == 2 && parts.allSatisfy { (try? moodleNumber.wholeMatch(in: String($0))) != nil },
                "\(field.output.1)")
        }
        var compared = 0
        for (label, value, tolerance) in fields {
            #expect(tolerance > 0 && tolerance <= abs(value) * 0.01 + 1e-12, "\(label): tolerance \(tolerance)")
            if case .number(let truth)? = values.values[label] {
                #expect(value == truth, "\(label)")
                compared += 1
            }
        }
        #expect(compared >= 25)
    }
}
