import LessonKit
import ReportModel

/// Where something is in a lesson script: 1-based line and column (columns count characters).
///
///     SourceLocation(line: 12, column: 5)   // printed as file:12:5
public struct SourceLocation: Sendable, Equatable, Comparable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// A mistake in a lesson script, said the way a compiler says it: `file:line:column: message`,
/// the line itself, a caret under the place, and a hint on how to fix it.
///
///     throw ScriptError("unknown name 'w4'", at: location, hint: "did you mean w1, w2 or w3?")
///     // softmax.lesson.md:14:9: error: unknown name 'w4'
public struct ScriptError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation
    public var hint: String?
    /// Filled in by `ScriptSource` once the file and its text are known.
    public var file = ""
    public var lineText = ""

    public init(_ message: String, at location: SourceLocation, hint: String? = nil) {
        self.message = message
        self.location = location
        self.hint = hint
    }

    /// The error, its line with a caret under the column, and the hint: three or four lines.
    public var description: String {
        var lines = ["\(file):\(location.line):\(location.column): error: \(message)"]
        if !lineText.isEmpty {
            // Tabs stay tabs, so the caret lines up under them whatever the terminal's tab width.
            let visible = lineText
            let lead = String(lineText.prefix(max(0, location.column - 1)).map { $0 == "\t" ? "\t" : " " })
            lines += ["    " + visible, "    " + lead + "^"]
        }
        if let hint { lines.append("    hint: " + hint) }
        return lines.joined(separator: "\n")
    }

    /// The error on one line, for a refused setting (`--set`, a form in `serve`): where, what,
    /// and the hint, without the source line a teacher reading the script would want.
    public var summary: String {
        "\(file):\(location.line):\(location.column): \(message)" + (hint.map { "; \($0)" } ?? "")
    }
}

/// The names nearest to a misspelt one, for "did you mean": up to three, each at most a third
/// of its length away (w4 → w1, w2, w3; sigma → σ is the grammar's job, not this).
///
///     nearestNames(to: "alpah", among: ["alpha", "b", "y"])   // ["alpha"]
func nearestNames(to name: String, among names: [String]) -> [String] {
    let limit = max(1, name.count / 3 + 1)
    let scored = Set(names).map { ($0, Spelling.distance(name.lowercased(), $0.lowercased())) }.filter {
        $0.1 <= limit
    }
    return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
}

/// "did you mean a, b or c?" for the nearest names; nil when none is near.
func didYouMean(_ name: String, among names: [String]) -> String? {
    let near = nearestNames(to: name, among: names)
    guard !near.isEmpty else { return nil }
    return "did you mean " + spokenList(near, joiner: "or") + "?"
}

/// A number as a message writes it: 1, 0.25, 1e-300 (not 1.0).
func spoken(_ x: Double) -> String { ParameterValue.real(x).description }

/// "a", "a or b", "a, b or c".
func spokenList(_ items: [String], joiner: String = "and") -> String {
    switch items.count {
    case 0: ""
    case 1: items[0]
    default: items.dropLast().joined(separator: ", ") + " \(joiner) " + items.last!
    }
}
