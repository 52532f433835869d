import ArgumentParser
import Render

/// `--layout`, `--reveal` and `--paper`, shared by `run` and `handout`.
struct LayoutOptions: ParsableArguments {
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case pages, slides
    }

    @Option(help: ArgumentHelp(
        "pages: a printed handout; slides: a 16:9 deck with one step, table or figure per slide and the section title on each.",
        valueName: "pages|slides"))
    var layout = Kind.pages

    @Flag(help: "With --layout slides: reveal a step's lines (formula, numbers, result) on successive slides.")
    var reveal = false

    @Option(help: ArgumentHelp("The paper of --layout pages.", valueName: "a4|letter"))
    var paper: Paper?

    func validate() throws {
        if reveal && layout != .slides { throw CommandError("--reveal works with --layout slides; add it, or drop --reveal") }
        if paper != nil && layout == .slides { throw CommandError("--paper sets the size of printed pages; slides are 16:9 (drop --paper, or use --layout pages)") }
    }

    var value: Layout {
        layout == .slides ? .slides(reveal: reveal) : .pages(paper ?? .a4)
    }

    /// Added to file names, so a deck never replaces the printed handout.
    var suffix: String { layout == .slides ? "-slides" : "" }
}

extension Paper: ExpressibleByArgument {}
