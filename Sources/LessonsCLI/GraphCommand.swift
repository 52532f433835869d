import ArgumentParser
import Foundation
import LessonKit
import Lessons
import MathNotation
import Render
import ReportModel

/// `lessons graph NAME`: the computation graph a lesson recorded, as a file of its own.
struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw the computation graph a lesson recorded, node by node.",
        discussion: """
            Runs the lesson and draws the part of its tape that leads to one labeled node (default: the \
            lesson's main output, such as E_total): each node with its value and, in the backward view, \
            its gradient. Writes DIR/NAME/graph-LABEL-VIEW.pdf (one page sized to the graph), .png and \
            .svg, and prints their paths.
            """)

    @Argument(help: "The lesson, as `lessons list` names it, or a script's path (unit.lesson.md).")
    var name: String

    @Option(
        help: ArgumentHelp(
            "The node to draw the graph of, by its label in values.json (default: the main output).",
            valueName: "label"))
    var node: String?

    @Option(
        help:
            """
            forward: values, arrows from inputs to outputs; backward: \
            values and gradients, arrows the way gradients flow.
            """
    )
    var view: ComputationGraph.View = .forward

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Change a parameter; repeat for several. `lessons params NAME` lists them.", valueName: "key=value"))
    var settings: [String] = []

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Folder for the results; each lesson gets a subfolder.", valueName: "dir"))
    var output = "output"

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "What to write, comma-separated: pdf, png, svg. (default: pdf,png,svg)", valueName: "formats"),
        transform: FormatList.among([.pdf, .png, .svg]))
    var format = FormatList(.pdf, .png, .svg)

    @Option(help: ArgumentHelp("Resolution of the PNG, 36 to 600.", valueName: "dpi"))
    var dpi = 150.0

    @OptionGroup var library: LessonLibrary

    func validate() throws {
        guard (36...600).contains(dpi) else { throw CommandError("--dpi \(dpi) is outside 36 to 600") }
    }

    func run() throws {
        try library.use()
        let lesson = try LessonName.find(name)
        let parameters: Parameters
        do { parameters = try lesson.parameters(settings: settings) } catch {
            throw CommandError(error.onTheCommandLine)
        }
        let result = try lesson.checkedRun(parameters)
        guard let main = result.recordings.first, let mainOutput = main.outputLabel else {
            throw CommandError("\(lesson.name) records no computation graph")
        }
        let label = node ?? mainOutput
        guard let graph = result.recordings.lazy.compactMap({ $0.graph(of: label, view: view) }).first else {
            let labels = result.recordings.flatMap(\.labels)
            let closest = labels.sorted { LessonName.editDistance(label, $0) < LessonName.editDistance(label, $1) }
            throw CommandError(
                """
                \(lesson.name) has no node labeled '\(label)'; its \(labels.count) \
                labels, closest first: \(closest.joined(separator: ", "))
                """
            )
        }
        // Graphviz's layout grows much faster than the node count: past this a graph takes minutes
        // and no page can show it; refused before any layout, with what to draw instead.
        guard graph.nodes.count <= Graph.mostNodes else {
            let labels = result.recordings.flatMap(\.labels).filter { $0 != label }.prefix(6)
            throw CommandError(
                """
                the \(view.rawValue) graph of \(label) has \(graph.nodes.count.formatted()) nodes, \
                more than a page can show (\(Graph.mostNodes)); draw a node nearer the inputs with \
                --node (\(labels.joined(separator: ", ")), …), or make the lesson smaller with --set
                """
            )
        }
        let caption = "\(lesson.name): the \(view.rawValue) graph of \(label)"
        let drawing = Drawing(Figure(.plain(caption), graph: graph))
        let stem =
            "graph-" + String(label.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "-" })
            + "-\(view.rawValue)"
        // A PNG is held whole while it is drawn, 4 bytes a pixel: past 30 million pixels (120 MB,
        // and seconds to compress) the graph goes to PDF and SVG, which any size costs little.
        let pixels = drawing.points.width * drawing.points.height * pow(dpi / 72, 2)
        if format.contains(.png) && pixels > Graph.mostPixels {
            let fitting = Int(
                (72 * (Graph.mostPixels / (drawing.points.width * drawing.points.height)).squareRoot()).rounded(.down))
            throw CommandError(
                """
                the graph of \(label) at --dpi \(Int(dpi)) is a PNG of \(Int(pixels / 1e6)) million pixels, more than \
                \(Int(Graph.mostPixels / 1e6)) million; use --dpi \(max(36, fitting)) or less, or --format pdf,svg
                """
            )
        }
        var files: [(name: String, data: Data)] = []
        do {
            if format.contains(.pdf) { files.append(("\(stem).pdf", try drawing.pdf())) }
            if format.contains(.png) { files.append(("\(stem).png", try drawing.png(dpi: dpi))) }
            if format.contains(.svg) { files.append(("\(stem).svg", try drawing.svg())) }
        } catch {
            throw CommandError("could not render the graph of \(label): \(error)")
        }
        for path in try Publisher.write(files, into: output, lesson: lesson.name) { print(path) }
    }
}

extension Graph {
    /// The most nodes `lessons graph` lays out: under a second of Graphviz and drawing
    /// (gradient-descent's backward graph reaches it near m = 38; at m = 200 it took over 200 s).
    static let mostNodes = 300
    /// The most pixels a graph's PNG may have (4 bytes each while it is drawn).
    static let mostPixels = 30e6
}

extension ComputationGraph.View: ExpressibleByArgument {}
