import ArgumentParser
import Foundation
import Grading
import LessonKit
import Lessons
import ReportModel

/// `lessons check NAME ANSWERS…`: a student's numbers marked as an examiner would, or a whole
/// class's files at once with a gradebook.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mark hand-calculated answers against a lesson: one student's file, or a whole class's.",
        discussion: """
            ANSWERS has one `label = value` per line, with the labels the exercise sheet prints beside \
            each exercise (`lessons run NAME --exercise` writes the file to fill in, NAME-exercise-template.txt); \
            `#` starts a comment. Its header lines `# variant: N` (or `none`), `# digits: N` and \
            `# lesson: NAME` say what it answers. An answer is right when it has at least the required \
            significant digits (--digits, default 3) and is the true value rounded or cut to its last \
            digit: for 0.298371, 0.298, 0.2984 and 0.2983 are right; 0.3, 1 and 0 are not. A wrong \
            answer that follows from the student's own earlier answers is right by follow-through \
            (error carried forward); otherwise the common slip that explains it is named (a sign, a \
            factor of 2, a missing factor, another step's value, the other update order). Several \
            files are a class: each is marked against the variant its header names, and the summary \
            gives each exercise's right, carried and wrong counts. Exit status: 0 when every answer \
            is right, 1 when one is wrong, 64 when a file or a line cannot be judged.
            """)

    @Argument(help: "The lesson, as `lessons list` names it, or a script's path (unit.lesson.md).")
    var name: String

    @Argument(help: ArgumentHelp("Answers files (several for a class; - reads standard input).", valueName: "answers"))
    var files: [String]

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "The parameters the answers were worked with; repeat for several.", valueName: "key=value"))
    var settings: [String] = []

    @Option(
        help: ArgumentHelp(
            "The exercise variant the answers were worked for; must agree with a file's `# variant:` line.",
            valueName: "n"))
    var variant: Int?

    @Option(
        help: ArgumentHelp(
            "Significant digits an answer needs, 1 to 17 (default: the file's `# digits:` line, else 3).",
            valueName: "n"))
    var digits: Int?

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("text; json for course software; csv, a row per answer.", valueName: "format"))
    var format = Verdicts.text

    /// How `check` prints its verdicts.
    enum Verdicts: String, CaseIterable, ExpressibleByArgument {
        case text, json, csv
    }

    @Option(
        help: ArgumentHelp(
            """
            Write a gradebook CSV: a row per file (student, variant, \
            score, marks per exercise) for Moodle's or Canvas's import.
            """,
            valueName: "file.csv"))
    var gradebook: String?

    @OptionGroup var library: LessonLibrary

    func validate() throws {
        if let digits, !(1...17).contains(digits) {
            throw CommandError("--digits \(digits): give 1 to 17 significant digits")
        }
        if let variant, !(0...Variation.largestVariant).contains(variant) {
            throw CommandError("--variant \(variant) is outside 0 to \(Variation.largestVariant)")
        }
    }

    func run() throws {
        try library.use()
        let lesson = try LessonName.find(name)
        var runs = RunCache(lesson: lesson, settings: settings)
        var marked: [MarkedFile] = []
        for file in files {
            // A file naming a variant the lesson cannot make is that file's error, not the class's.
            do { marked.append(try mark(file, lesson: lesson, runs: &runs)) } catch {
                marked.append(
                    MarkedFile(
                        file: file, variant: nil, digits: digits ?? 3, student: nil, marking: nil,
                        errors: [.init(line: 0, message: reason(error))], exercises: []))
            }
        }
        // One file that cannot be marked at all is an error like any other; in a class it is a row.
        let nothingJudged =
            marked.first.map {
                $0.marking == nil || ($0.marking!.judgments.isEmpty && $0.errors.allSatisfy { $0.line == 0 })
            } ?? false
        if marked.count == 1, nothingJudged, let error = marked[0].errors.first {
            throw CommandError(
                error.line == 0 && marked[0].file != "-" && !error.message.hasPrefix("cannot read")
                    && !error.message.contains(marked[0].file)
                    ? "\(marked[0].file): \(error.message)" : error.message)
        }
        let report = CheckReport(lesson: lesson, files: marked)
        switch format {
        case .json: print(report.json)
        case .csv: print(report.answersCSV, terminator: "")
        case .text: print(report.text, terminator: "")
        }
        if let gradebook {
            do { try Publisher.write(Data(report.gradebookCSV.utf8), to: URL(fileURLWithPath: gradebook)) } catch {
                throw CommandError("cannot write \(gradebook): \(reason(error)); choose a writable path")
            }
        }
        if marked.contains(where: { !$0.errors.isEmpty }) { throw ExitCode(ExitStatus.usage) }
        if marked.contains(where: { file in file.marking?.judgments.contains { $0.verdict == .wrong } ?? false }) {
            throw ExitCode(ExitStatus.wrongAnswer)
        }
    }

    /// One file read, its header checked and its answers marked; problems become its errors.
    func mark(_ file: String, lesson: Lesson, runs: inout RunCache) throws -> MarkedFile {
        // A file refused whole: one message, nothing in it marked.
        func refused(_ message: String, student: String? = nil) -> MarkedFile {
            MarkedFile(
                file: file, variant: nil, digits: self.digits ?? 3, student: student, marking: nil,
                errors: [.init(line: 0, message: message)], exercises: [])
        }
        let text: String
        do { text = try Check.read(file) } catch { return refused(reason(error)) }
        let labels = try runs.labels(variant: variant)
        var parsed = Answers(parsing: text, labels: labels)
        var fileErrors = parsed.errors
        let header = parsed.header
        if let named = header.lesson, named != lesson.name {
            return refused(
                "it answers \(named), not \(lesson.name): check it with lessons check \(named) \(file)",
                student: header.student)
        }
        // Which variant: the header's, which --variant must agree with; a variant lesson must say.
        var chosen = variant
        if let said = header.variant {
            if let variant, said != variant {
                return refused(
                    """
                    its header says variant \(said.map(String.init) ?? "none"), \
                    but --variant \(variant) was given; drop one
                    """,
                    student: header.student)
            }
            chosen = said
        } else if variant == nil && !lesson.variations.isEmpty && settings.isEmpty {
            return refused(
                """
                it does not say which variant it answers; add `# variant: N` (or `# \
                variant: none` for the sheet without one) at its top, or give --variant N
                """,
                student: header.student)
        }
        if chosen != variant {
            parsed = Answers(parsing: text, labels: try runs.labels(variant: chosen))
            fileErrors = parsed.errors
        }
        let digits = self.digits ?? header.digits ?? 3
        let run = try runs.run(variant: chosen)
        let marking = Marking(
            parsed.answers, exercises: run.exercises, values: run.result.values, digits: digits,
            alternatives: try runs.alternatives(variant: chosen))
        return MarkedFile(
            file: file, variant: chosen, digits: digits, student: header.student.flatMap { $0.isEmpty ? nil : $0 },
            marking: marking,
            errors: fileErrors, exercises: run.exercises)
    }

    static let largestFile = 1_000_000

    /// The file's text (`-`: standard input), refused when it is over a megabyte or not text.
    static func read(_ file: String) throws -> String {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readData(ofLength: largestFile + 1)
        } else {
            if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int, size > largestFile
            {
                throw CommandError(
                    "\(file) is \(size / 1_000_000) MB; an answers file is one `label = value` per line, at most 1 MB")
            }
            // A FileHandle, not Data(contentsOf:): that refuses /dev/null and pipes, which are readable.
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) else {
                throw CommandError("cannot read \(file): no such file")
            }
            guard !isFolder.boolValue else {
                throw CommandError("cannot read \(file): it is a folder; give the answers file in it")
            }
            guard let handle = FileHandle(forReadingAtPath: file) else {
                throw CommandError("cannot read \(file): permission denied")
            }
            defer { try? handle.close() }
            data = handle.readData(ofLength: largestFile + 1)
        }
        guard data.count <= largestFile else {
            throw CommandError("\(file) is over 1 MB; an answers file is one `label = value` per line")
        }
        guard !data.contains(0), let text = String(data: data, encoding: .utf8) else {
            throw CommandError("\(file) is not UTF-8 text (save it as UTF-8, or check it is the right file)")
        }
        return text
    }
}

/// The lesson's run per variant, made once for a class of files.
struct RunCache {
    let lesson: Lesson
    let settings: [String]
    private var runs: [Int?: (result: LessonResult, exercises: [Exercise])] = [:]
    private var alternativeRuns: [Int?: [Marking.AlternativeRun]] = [:]

    init(lesson: Lesson, settings: [String]) { (self.lesson, self.settings) = (lesson, settings) }

    mutating func run(variant: Int?) throws -> (result: LessonResult, exercises: [Exercise]) {
        if let known = runs[variant] { return known }
        var sheet = SheetOptions()
        sheet.variant = variant
        let result = try lesson.checkedRun(try sheet.parameters(of: lesson, settings: settings))
        let made = (result, lesson.exercises(of: result.report))
        runs[variant] = made
        return made
    }

    mutating func labels(variant: Int?) throws -> [String] {
        let run = try run(variant: variant)
        return Marking.labels(exercises: run.exercises, values: run.result.values)
    }

    /// The lesson's declared slips, each a run with its settings: every label's value there.
    mutating func alternatives(variant: Int?) throws -> [Marking.AlternativeRun] {
        if let known = alternativeRuns[variant] { return known }
        var sheet = SheetOptions()
        sheet.variant = variant
        let made: [Marking.AlternativeRun] = lesson.slips.compactMap { slip in
            guard let parameters = try? sheet.parameters(of: lesson, settings: settings + slip.settings) else {
                return nil
            }
            let result = lesson.run(parameters)
            var values: [String: Double] = [:]
            for exercise in result.report.exercises {
                for entry in exercise.answer?.entries ?? [] where values[entry.label] == nil {
                    values[entry.label] = entry.value
                }
            }
            return Marking.AlternativeRun(slip: slip.meaning, values: values)
        }
        alternativeRuns[variant] = made
        return made
    }
}
