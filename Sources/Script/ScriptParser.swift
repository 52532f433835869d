import Foundation
import LessonKit
import ReportModel

/// Reads a lesson script: Markdown with front matter, `# title`, `## sections`, paragraphs,
/// `> **Note: …**` boxes and fenced `parameters`, `variants` and `compute` blocks.
/// Every error carries the file, line and column it is about.
///
///     let script = try ScriptParser.parse(text, file: "unit.lesson.md")
public enum ScriptParser {
    public static func parse(_ text: String, file: String) throws(ScriptError) -> Script {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.hasSuffix("\r") ? $0.dropLast() : $0)
        }
        do {
            var reader = Reader(lines: lines, file: file)
            return try reader.read()
        } catch var error {
            error.file = file
            if error.lineText.isEmpty, (1...max(1, lines.count)).contains(error.location.line),
                error.location.line <= lines.count
            {
                error.lineText = lines[error.location.line - 1]
            }
            throw error
        }
    }

    /// The name a script file is run by: `unit.lesson.md` → `unit`.
    public static func defaultName(ofFile path: String) -> String {
        var base = String(path.split(separator: "/").last ?? Substring(path))
        for suffix in [".lesson.md", ".md"] where base.hasSuffix(suffix) {
            base.removeLast(suffix.count)
            break
        }
        return base
    }
}

/// Reads a script's lines in order into a `Script`: front matter, parameters, then cells; each
/// error names its line and column.
struct Reader {
    let lines: [String]
    let file: String
    var index = 0
    var script: Script

    init(lines: [String], file: String) {
        self.lines = lines
        self.file = file
        script = Script(file: file, name: ScriptParser.defaultName(ofFile: file), title: "", heading: "")
    }

    func at(_ line: Int, _ column: Int = 1) -> SourceLocation { SourceLocation(line: line + 1, column: column) }

    mutating func read() throws(ScriptError) -> Script {
        try frontMatter()
        var top: [Cell] = []
        var section: (title: Prose, exercise: Bool?, cells: [Cell], location: SourceLocation)?
        var paragraph: [(String, SourceLocation)] = []
        func flushParagraph(into cells: inout [Cell]) throws(ScriptError) {
            guard !paragraph.isEmpty else { return }
            cells.append(.paragraph(try Reader.prose(paragraph)))
            paragraph = []
        }
        func append(_ cell: Cell) {
            if section != nil { section!.cells.append(cell) } else { top.append(cell) }
        }
        func flush() throws(ScriptError) {
            if section != nil { try flushParagraph(into: &section!.cells) } else { try flushParagraph(into: &top) }
        }
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                try flush()
                index += 1
                continue
            }
            if trimmed.hasPrefix("```") {
                try flush()
                let info = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces).split(separator: " ").map(
                    String.init)
                let opened = index
                index += 1
                var body: [(String, Int)] = []
                while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                    body.append((lines[index], index))
                    index += 1
                }
                guard index < lines.count else {
                    throw ScriptError(
                        "this ``` block is never closed", at: at(opened), hint: "end it with a line holding ``` alone")
                }
                index += 1
                let kind = info.first ?? ""
                switch kind {
                case "parameters": try parameters(body)
                case "variants": try variants(body)
                case "regimes": try regimes(body)
                case "compute":
                    guard info.count <= 2 else {
                        throw ScriptError("a compute block names at most one tape: ```compute linear", at: at(opened))
                    }
                    let tape = info.count == 2 ? info[1] : ""
                    var statements: [Statement] = []
                    for (line, number) in body {
                        if let statement = try StatementParser.parse(line, line: number + 1) {
                            statements.append(statement)
                        }
                    }
                    append(.statements(tape: tape, statements))
                default:
                    throw ScriptError(
                        "unknown block '\(kind)'", at: at(opened, 4),
                        hint: (didYouMean(kind, among: ["parameters", "variants", "regimes", "compute"]).map {
                            $0 + " "
                        } ?? "") + "blocks are ```parameters, ```variants, ```regimes and ```compute")
                }
                continue
            }
            if trimmed.hasPrefix("# ") {
                try flush()
                guard script.heading.isEmpty else {
                    throw ScriptError("a second # title; sections start with ##", at: at(index))
                }
                script.heading = String(trimmed.dropFirst(2)).trimmingCharacters(in: .whitespaces)
                index += 1
                // The paragraph right after the title is the subtitle.
                var subtitle: [String] = []
                while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).isEmpty { index += 1 }
                while index < lines.count, let next = Optional(lines[index].trimmingCharacters(in: .whitespaces)),
                    !next.isEmpty,
                    !next.hasPrefix("#"), !next.hasPrefix("```"), !next.hasPrefix(">")
                {
                    subtitle.append(next)
                    index += 1
                }
                if !subtitle.isEmpty { script.subtitle = subtitle.joined(separator: " ") }
                continue
            }
            if trimmed.hasPrefix("## ") {
                try flush()
                if let s = section {
                    top.append(.section(title: s.title, exercise: s.exercise, cells: s.cells, s.location))
                }
                var title = String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                var exercise: Bool?
                if title.hasSuffix("{exercise}") {
                    exercise = true
                    title = String(title.dropLast(10)).trimmingCharacters(in: .whitespaces)
                } else if title.hasSuffix("{no exercise}") {
                    exercise = false
                    title = String(title.dropLast(13)).trimmingCharacters(in: .whitespaces)
                } else if let brace = title.lastIndex(of: "{"), title.hasSuffix("}"),
                    title[title.index(before: brace)] == " "
                {
                    throw ScriptError(
                        "a section heading may end with {exercise} or {no exercise}, not \(title[brace...])",
                        at: at(index, line.distance(from: line.startIndex, to: line.lastIndex(of: "{")!) + 1))
                }
                let column =
                    line.distance(from: line.startIndex, to: line.range(of: title)?.lowerBound ?? line.startIndex) + 1
                section = (try Reader.prose([(title, at(index, column))]), exercise, [], at(index))
                index += 1
                continue
            }
            if trimmed.hasPrefix("#") {
                throw ScriptError(
                    "headings are # (the title) and ## (a section)", at: at(index),
                    hint: "write '## \(trimmed.drop { $0 == "#" || $0 == " " })'")
            }
            if trimmed.hasPrefix(">") {
                try flush()
                append(try note())
                continue
            }
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            paragraph.append((trimmed, at(index, indent + 1)))
            index += 1
        }
        try flush()
        if let s = section { top.append(.section(title: s.title, exercise: s.exercise, cells: s.cells, s.location)) }
        guard !script.heading.isEmpty else {
            throw ScriptError(
                "the script has no title", at: at(0), hint: "its first heading, '# A title', is the report's title")
        }
        if script.title.isEmpty { script.title = script.heading }
        script.cells = top
        script.lines = lines
        return script
    }
}
