import ArgumentParser
import Lessons
import Report

/// `lessons run NAME`: builds the handout and writes PDF, PNG pages and values.json.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a lesson and write its handout.",
        discussion: """
        Writes DIR/NAME/NAME.pdf, DIR/NAME/page-NN.png, each figure as DIR/NAME/figures/NN-slug.png \
        (and .svg with --format svg) and DIR/NAME/values.json, and prints their paths. Each file is \
        written whole (to a temporary name, then renamed) or not at all.
        """)

    @Argument(help: "The lesson, as `lessons list` names it.")
    var name: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Folder for the results; each lesson gets a subfolder.", valueName: "dir"))
    var output = "output"

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "What to write, comma-separated: pdf, png (pages and figures), svg (figures), json.", valueName: "formats"))
    var format = "pdf,png,json"

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Change a parameter; repeat for several. `lessons params NAME` lists them.", valueName: "key=value"))
    var settings: [String] = []

    @Option(help: ArgumentHelp("Resolution of the PNG pages, 36 to 600.", valueName: "dpi"))
    var dpi = 150.0

    func validate() throws {
        let lesson = try LessonName.find(name)
        do { _ = try lesson.parameters(settings: settings) } catch { throw CommandError(error.description) }
        _ = try OutputFormat.parse(format, among: OutputFormat.allCases)
        guard (36...600).contains(dpi) else { throw CommandError("--dpi \(dpi) is outside 36 to 600") }
    }

    func run() throws {
        let lesson = try LessonName.find(name)
        let parameters: Parameters
        do { parameters = try lesson.parameters(settings: settings) } catch { throw CommandError(error.description) }
        let result = lesson.run(parameters)
        let paths = try Publisher(folder: output, formats: OutputFormat.parse(format, among: OutputFormat.allCases), dpi: dpi).publish(result)
        for path in paths { print(path) }
    }
}

/// A kind of file `lessons run` and `lessons graph` write.
enum OutputFormat: String, CaseIterable {
    case pdf, png, svg, json

    /// Reads `pdf,png,json` (any subset of `allowed`, any order, case-insensitive).
    static func parse(_ list: String, among allowed: [OutputFormat]) throws(CommandError) -> Set<OutputFormat> {
        var formats = Set<OutputFormat>()
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            let word = item.trimmingCharacters(in: .whitespaces).lowercased()
            guard let format = OutputFormat(rawValue: word), allowed.contains(format) else {
                throw CommandError("unknown format '\(word)' in --format \(list); choose from \(allowed.map(\.rawValue).joined(separator: ", ")), comma-separated")
            }
            formats.insert(format)
        }
        return formats
    }
}
