import ArgumentParser
import LessonKit
import Lessons
import MathNotation
import ReportModel

/// `lessons run NAME`: builds the handout and writes PDF, PNG pages and values.json.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a lesson and write its handout.",
        discussion: """
            Writes DIR/NAME/NAME.pdf, DIR/NAME/page-NN.png, each figure as DIR/NAME/figures/NN-slug.png \
            (and .svg with --format svg) and DIR/NAME/values.json, and prints their paths. Each file is \
            written whole (to a temporary name, then renamed) or not at all. With --layout slides the \
            same cells make a 16:9 deck in DIR/NAME-slides/; --exercise, --answers and --variant N add \
            -exercise, -answers and -vNN to the folder and file names; a sheet comes with \
            NAME-exercise-template.txt, the answers file to fill in for lessons check.
            """)

    @Argument(help: "The lesson, as `lessons list` names it, or a script's path (unit.lesson.md).")
    var name: String

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Folder for the results; each lesson gets a subfolder.", valueName: "dir"))
    var output = "output"

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            """
            What to write, comma-separated: pdf, png (pages and figures), svg (figures), json, \
            md (a Markdown page with its figures), ipynb (a Jupyter notebook), html (a web \
            page: MathML, figures as inline SVG, no script). (default: \(Run.defaultFormat))
            """,
            valueName: "formats"),
        transform: FormatList.among([.pdf, .png, .svg, .json, .md, .ipynb, .html]))
    var format = Run.defaultFormat
    // A transformed option's default is not shown by --help, so its help text says it.
    static let defaultFormat = FormatList(.pdf, .png, .json)

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Change a parameter; repeat for several. `lessons params NAME` lists them.", valueName: "key=value"))
    var settings: [String] = []

    @Option(help: ArgumentHelp("Resolution of the PNG pages, 36 to 600.", valueName: "dpi"))
    var dpi = 150.0

    @OptionGroup var sheet: SheetOptions

    @OptionGroup var layout: LayoutOptions

    @OptionGroup var library: LessonLibrary

    func validate() throws {
        guard (36...600).contains(dpi) else { throw CommandError("--dpi \(dpi) is outside 36 to 600") }
    }

    func run() throws {
        try library.use()
        let lesson = try LessonName.find(name)
        let result = try lesson.checkedRun(try sheet.parameters(of: lesson, settings: settings))
        var publisher = Publisher(
            folder: output, formats: format.formats, dpi: dpi,
            version: sheet.version, variant: sheet.variant, layout: layout)
        publisher.answerDigits = sheet.answerDigits
        for path in try publisher.publish(result) { print(path) }
    }
}

/// `--exercise`, `--answers` and `--variant N`, shared by `run`, `handout` and `check`.
struct SheetOptions: ParsableArguments {
    @Flag(
        help:
            """
            Write the student's exercise sheet: each exercise's result \
            is a blank box, and what would give it away is held back.
            """
    )
    var exercise = false

    @Flag(help: "Write the answer key of the exercise sheet.")
    var answers = false

    @Option(
        help: ArgumentHelp(
            """
            Draw the lesson's varied parameters with seed N (0 or more): \
            the same N always gives the same numbers. --set still overrides.
            """,
            valueName: "n"))
    var variant: Int?

    @Option(
        name: .customLong("answer-digits"),
        help: ArgumentHelp(
            """
            Significant digits each answer needs, which the sheet states \
            and its answer template records for lessons check (1 to 17).
            """,
            valueName: "n"))
    var answerDigits = 3

    var version: ReportVersion { exercise ? .exercise : answers ? .answers : .full }

    func validate() throws {
        if exercise && answers {
            throw CommandError("--exercise and --answers are two versions of the sheet; choose one")
        }
        guard (1...17).contains(answerDigits) else {
            throw CommandError("--answer-digits \(answerDigits): give 1 to 17 significant digits")
        }
    }

    /// The variant's drawn settings (if any), then the explicit ones, checked.
    func parameters(of lesson: Lesson, settings: [String]) throws(CommandError) -> Parameters {
        do {
            let drawn = try variant.map { n throws(ParameterError) in try lesson.variant(n) } ?? []
            return try lesson.parameters(settings: drawn + settings)
        } catch {
            throw CommandError(error.onTheCommandLine)
        }
    }
}
