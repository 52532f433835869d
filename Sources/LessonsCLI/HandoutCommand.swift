import ArgumentParser
import Dispatch
import Foundation
import Grading
import LessonKit
import Lessons
import Render
import ReportModel
import Synchronization

/// `lessons handout NAME… | --all`: several lessons as one course handout.
struct HandoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handout",
        abstract: "Write several lessons as one handout: cover, contents, numbered chapters, outline.",
        discussion: """
            Each lesson is a chapter starting on a new page; sections, tables and figures are numbered \
            within it, the contents give each one's page, and the PDF's outline mirrors the contents. \
            With --exercise or --answers the chapters are exercise sheets or their keys; --variant N \
            draws every varying lesson's numbers with seed N; --variants 1-30 writes a sheet and a key \
            for each variant (FILE-v01-exercise.pdf, FILE-v01-answers.pdf, …) on all cores. \
            --layout slides makes a 16:9 deck (FILE-slides.pdf). Besides the PDF, --format png writes \
            the pages as FILE-pages/page-NN.png, md a Markdown page FILE.md with its figures in \
            FILE-figures/, ipynb a Jupyter notebook FILE.ipynb, and html an index FILE.html with the \
            contents and a page per chapter in FILE-chapters/ (01-NAME.html, …) with previous and next links.
            """)

    @Argument(help: "The lessons, in chapter order, as `lessons list` names them, or scripts' paths (unit.lesson.md).")
    var names: [String] = []

    @Flag(help: "Every lesson, in the order of `lessons list`.")
    var all = false

    @Option(name: .shortAndLong, help: ArgumentHelp("The PDF to write.", valueName: "file.pdf"))
    var output = "output/handout.pdf"

    @Option(help: ArgumentHelp("The title on the cover and in the running headers.", valueName: "title"))
    var title = "Deep learning: worked examples"

    @Option(help: ArgumentHelp("A date (or any line) for the cover, e.g. \"Week 3, 2026-11-23\".", valueName: "date"))
    var date: String?

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            """
            What to write, comma-separated: pdf, png (the pages), md (a \
            Markdown page with its figures), ipynb (a Jupyter notebook), 
            """
                + "html (an index page with the contents and a web page per chapter, MathML and inline SVG); "
                + "or moodle alone: the exercise sheets as one Moodle XML quiz (a Cloze question per lesson and variant; with --variants A-B). (default: pdf)",
            valueName: "formats"),
        transform: FormatList.among(HandoutCommand.formats))
    var format = FormatList(.pdf)

    @Option(help: ArgumentHelp("Resolution of PNG pages and figures, 36 to 600.", valueName: "dpi"))
    var dpi = 150.0

    @OptionGroup var sheet: SheetOptions

    @OptionGroup var layout: LayoutOptions

    static let formats: [OutputFormat] = [.pdf, .png, .md, .ipynb, .html, .moodle]

    @Option(
        help: ArgumentHelp(
            "A range of variants, e.g. 1-30: an exercise sheet and its key for each.", valueName: "first-last"))
    var variants: String?

    @OptionGroup var library: LessonLibrary

    func validate() throws {
        if all && !names.isEmpty { throw CommandError("give lesson names or --all, not both") }
        if layout.sections != nil {
            throw CommandError(
                """
                --sections chooses one lesson's slides (lessons run NAME \
                --layout slides --sections N-M); a handout takes whole lessons
                """
            )
        }
        if !all && names.isEmpty {
            throw CommandError("name the lessons to put in the handout, or give --all (see: lessons list)")
        }
        guard output.hasSuffix(".pdf") else {
            throw CommandError("--output \(output): the handout is a PDF; give a file name ending in .pdf")
        }
        if format.contains(.moodle) {
            guard format.formats.count == 1 else {
                throw CommandError("--format \(format): moodle is a quiz of its own; give --format moodle alone")
            }
            guard !sheet.answers else {
                throw CommandError("--format moodle writes the exercise sheets as a quiz; drop --answers")
            }
        }
        guard (36...600).contains(dpi) else { throw CommandError("--dpi \(dpi) is outside 36 to 600") }
        for (option, text) in [("--title", title), ("--date", date ?? "")] {
            guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw CommandError("\(option) holds a line break or a control character; give it on one line")
            }
            guard text.count <= 200 else {
                throw CommandError("\(option) is \(text.count) characters long; give at most 200")
            }
        }
        if let variants {
            _ = try range(variants)
            if sheet.variant != nil { throw CommandError("--variant and --variants: give one") }
        }
    }

    func range(_ text: String) throws(CommandError) -> ClosedRange<Int> {
        // Exactly FIRST-LAST in digits: "-1-3" is not 1-3.
        let parts = text.wholeMatch(of: /([0-9]{1,7})-([0-9]{1,7})/).map { [Int($0.output.1), Int($0.output.2)] } ?? []
        guard parts.count == 2, let first = parts[0], let last = parts[1], first <= last,
            last <= Variation.largestVariant, last - first < 1000
        else {
            throw CommandError(
                "--variants \(text): expected FIRST-LAST with 0 ≤ FIRST ≤ LAST, at most 1000 variants, e.g. 1-30")
        }
        return first...last
    }

    func run() throws {
        try library.use()
        let lessons = try all ? LessonName.all : names.map { name throws(CommandError) in try LessonName.find(name) }
        if format.contains(.moodle) { return try writeQuiz(lessons) }
        if let variants {
            let numbers = Array(try range(variants))
            let jobs = numbers.flatMap { n in [(n, ReportVersion.exercise), (n, .answers)] }
            // Lessons without variants are the same in every variant: built and laid out once per version.
            var fixed: [ReportVersion: [Int: Handout.Chapter]] = [:]
            for version in [ReportVersion.exercise, .answers] {
                fixed[version] = try chapters(
                    lessons, variant: nil, version: version, only: { lessons[$0].variations.isEmpty })
            }
            let cache = fixed
            // A sheet or key per job, as many at once as there are cores.
            let results = Mutex([Result<String, CommandError>?](repeating: nil, count: jobs.count))
            DispatchQueue.concurrentPerform(iterations: jobs.count) { k in
                let result = Result { () throws(CommandError) -> String in
                    try write(lessons, variant: jobs[k].0, version: jobs[k].1, known: cache[jobs[k].1]!)
                }
                results.withLock { $0[k] = result }
            }
            for result in results.withLock({ $0 }) { print(try result!.get()) }
        } else {
            print(try write(lessons, variant: sheet.variant, version: sheet.version))
        }
    }

    /// `--format moodle`: every lesson's sheet per variant as a Cloze question, one XML file
    /// beside the handout's name (output/handout-quiz.xml). Lessons without variants give one question.
    func writeQuiz(_ lessons: [Lesson]) throws {
        let numbers: [Int?] = try variants.map { Array(try range($0)).map { Optional($0) } } ?? [sheet.variant]
        var inputs: [(Lesson, Int?)] = []
        for lesson in lessons {
            for n in lesson.variations.isEmpty ? [nil] : numbers { inputs.append((lesson, n)) }
        }
        let digits = sheet.answerDigits
        let built = Mutex([Result<MoodleQuiz.Question, CommandError>?](repeating: nil, count: inputs.count))
        let work = inputs
        DispatchQueue.concurrentPerform(iterations: work.count) { k in
            let (lesson, n) = work[k]
            let result = Result { () throws(CommandError) -> MoodleQuiz.Question in
                var options = sheet
                options.variant = n
                let report = try lesson.checkedRun(try options.parameters(of: lesson, settings: [])).report
                return MoodleQuiz.Question(
                    lesson: lesson.name, variant: n, sheet: report.version(.exercise, digits: digits),
                    key: report.version(.answers, digits: digits), exercises: lesson.exercises(of: report),
                    digits: digits)
            }
            built.withLock { $0[k] = result }
        }
        let questions = try built.withLock { $0 }.map { try $0!.get() }.filter { !$0.exercises.isEmpty }
        guard !questions.isEmpty else { throw CommandError("none of these lessons has exercises to make a quiz of") }
        let xml: String
        do { xml = try MoodleQuiz.xml(questions) } catch { throw CommandError("could not render the quiz: \(error)") }
        let path = String(output.dropLast(4)) + "-quiz.xml"
        let folder = Publisher.folder(of: path)
        let written = try Publisher.write(
            [((path as NSString).lastPathComponent, Data(xml.utf8))], into: folder.isEmpty ? "." : folder, lesson: "")
        for path in written { print((path as NSString).standardizingPath) }
    }

    /// The chapters of the lessons `only` selects (by index), run and laid out on all cores.
    func chapters(_ lessons: [Lesson], variant: Int?, version: ReportVersion, only: (Int) -> Bool = { _ in true })
        throws(CommandError) -> [Int: Handout.Chapter]
    {
        var parameters: [(Int, Parameters)] = []
        for (k, lesson) in lessons.enumerated() where only(k) {
            var options = sheet
            options.variant = lesson.variations.isEmpty ? nil : variant
            parameters.append((k, try options.parameters(of: lesson, settings: [])))
        }
        // Each lesson builds its own tapes, so they run side by side.
        let built = Mutex([Int: Result<Handout.Chapter, CommandError>]())
        let (inputs, layout, digits) = (parameters, self.layout.value, sheet.answerDigits)
        DispatchQueue.concurrentPerform(iterations: inputs.count) { j in
            let (k, p) = inputs[j]
            let chapter = Result { () throws(CommandError) -> Handout.Chapter in
                let report = try lessons[k].checkedRun(p).report
                var chapter = Handout.Chapter(report.version(version, digits: digits), number: k + 1, layout: layout)
                if version == .exercise { chapter.exercises = report.exercises }
                return chapter
            }
            built.withLock { $0[k] = chapter }
        }
        var chapters: [Int: Handout.Chapter] = [:]
        for (k, chapter) in built.withLock({ $0 }).sorted(by: { $0.key < $1.key }) { chapters[k] = try chapter.get() }
        return chapters
    }

    /// One handout's files, their paths a line each; lessons without variants keep their
    /// defaults in a variant's handout. Everything is rendered before the first file is written.
    func write(_ lessons: [Lesson], variant: Int?, version: ReportVersion, known: [Int: Handout.Chapter] = [:])
        throws(CommandError) -> String
    {
        let missing = try chapters(lessons, variant: variant, version: version, only: { known[$0] == nil })
        let chapters = lessons.indices.map { known[$0] ?? missing[$0]! }
        let suffix =
            (variant.map(Variation.fileSuffix) ?? "") + (version == .full ? "" : "-\(version.rawValue)") + layout.suffix
        let stem = String(output.dropLast(4)) + suffix
        let name = (stem as NSString).lastPathComponent
        let heading =
            title + (variant.map { " · variant \($0)" } ?? "")
            + (version == .exercise ? " · exercises" : version == .answers ? " · answer key" : "")
        let handout = Handout(chapters: chapters, title: heading, date: date, layout: layout.value)
        let (document, dpi) = (handout.document, self.dpi)
        var jobs: [Publisher.Job] = []
        if format.contains(.pdf) { jobs.append(("\(name).pdf", { () throws(RenderError) in try document.pdf() })) }
        if format.contains(.png) {
            try Publisher.checkPages(document, dpi: dpi, of: "the handout")
            for page in 0..<document.pageCount {
                jobs.append(
                    (
                        "\(name)-pages/" + Publisher.pageName(page + 1, of: document.pageCount),
                        { () throws(RenderError) in try document.png(page: page, dpi: dpi) }
                    ))
            }
        }
        if format.contains(.md) {
            let markdown = handout.markdown(figures: "\(name)-figures")
            jobs.append(("\(name).md", { Data(markdown.utf8) }))
            for figure in document.figures {
                jobs.append(
                    ("\(name)-figures/\(figure.fileStem).png", { () throws(RenderError) in try figure.png(dpi: dpi) }))
            }
        }
        // A sheet comes with an answers file per lesson to fill in for lessons check.
        if version == .exercise {
            for (lesson, chapter) in zip(lessons, chapters) where !chapter.exercises.isEmpty {
                let template = Data(
                    AnswerTemplate.text(
                        lesson: lesson.name, variant: lesson.variations.isEmpty ? nil : variant,
                        digits: sheet.answerDigits, exercises: chapter.exercises
                    ).utf8)
                jobs.append(("\(name)-templates/\(lesson.name).txt", { template }))
            }
        }
        if format.contains(.html) {
            for page in handout.webPages(name: name) {
                jobs.append((page.path, { () throws(RenderError) in Data(try page.render().utf8) }))
            }
        }
        if format.contains(.ipynb) {
            jobs.append(("\(name).ipynb", { () throws(RenderError) in try Data(handout.notebook(dpi: dpi).utf8) }))
        }
        let folder = Publisher.folder(of: stem)
        let paths: [String]
        do {
            paths = try Publisher.write(jobs, into: folder.isEmpty ? "." : folder, lesson: "", rendering: "the handout")
        } catch {
            throw CommandError(reason(error))
        }
        if format.contains(.png) {
            let pages = Set(
                jobs.map(\.name).filter { $0.hasPrefix("\(name)-pages/") }.map { String($0.dropFirst(name.count + 7)) })
            Publisher.removeStalePages(in: URL(fileURLWithPath: stem + "-pages"), keeping: pages)
        }
        if format.contains(.html) {
            // An earlier handout's chapters that this one no longer has (01-name.html, …).
            let chapters = Set(
                jobs.map(\.name).filter { $0.hasPrefix("\(name)-chapters/") }.map {
                    "figures/" + $0.dropFirst(name.count + 10)
                })
            Publisher.removeStaleFigures(
                in: URL(fileURLWithPath: stem + "-chapters"), keeping: chapters, extensions: ["html"])
        }
        return paths.map { ($0 as NSString).standardizingPath }.joined(separator: "\n")
    }
}
