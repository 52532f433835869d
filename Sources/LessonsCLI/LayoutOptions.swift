import ArgumentParser
import Render

/// `--layout`, `--reveal` and `--paper`, shared by `run` and `handout`.
struct LayoutOptions: ParsableArguments {
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case pages, slides
    }

    @Option(
        help: ArgumentHelp(
            """
            pages: a printed handout; slides: a 16:9 deck with one step, \
            table or figure per slide and the section title on each.
            """,
            valueName: "pages|slides"))
    var layout = Kind.pages

    @Flag(help: "With --layout slides: reveal a step's lines (formula, numbers, result) on successive slides.")
    var reveal = false

    @Option(help: ArgumentHelp("The paper of --layout pages.", valueName: "a4|letter"))
    var paper: Paper?

    @Option(
        help: ArgumentHelp(
            """
            With --layout slides: only these sections of the lesson, N or \
            N-M, numbered as in the whole deck (the title slide stays).
            """,
            valueName: "N-M"))
    var sections: SectionRange?

    func validate() throws {
        if reveal && layout != .slides {
            throw CommandError("--reveal works with --layout slides; add it, or drop --reveal")
        }
        if sections != nil && layout != .slides {
            throw CommandError("--sections chooses slides; add --layout slides, or drop --sections")
        }
        if paper != nil && layout == .slides {
            throw CommandError(
                "--paper sets the size of printed pages; slides are 16:9 (drop --paper, or use --layout pages)")
        }
    }

    var value: Layout {
        layout == .slides ? .slides(reveal: reveal, sections: sections?.range) : .pages(paper ?? .a4)
    }

    /// Added to file names, so a deck never replaces the printed handout, nor a part the whole deck.
    var suffix: String { layout == .slides ? "-slides" + (sections.map { "-\($0.text)" } ?? "") : "" }
}

/// `--sections 2-4`: top-level sections by number, first to last.
struct SectionRange: ExpressibleByArgument {
    let range: ClosedRange<Int>

    init?(argument: String) {
        let parts = argument.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let first = Int(parts[0]), let last = Int(parts.last!), first >= 1, first <= last
        else { return nil }
        range = first...last
    }

    var text: String { range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)" }

    static var defaultCompletionKind: CompletionKind { .default }
}

extension Paper: ExpressibleByArgument {}
