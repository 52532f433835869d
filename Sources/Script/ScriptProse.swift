import Foundation
import LessonKit
import ReportModel

/// A script's front matter, its notes (`:::` blocks) and its prose, with `{expr}` interpolations
/// and `$…$` math read into pieces.
extension Reader {
    mutating func frontMatter() throws(ScriptError) {
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else { return }
        index = 1
        while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces) != "---" {
            let line = lines[index]
            defer { index += 1 }
            if line.trimmingCharacters(in: .whitespaces).isEmpty
                || line.trimmingCharacters(in: .whitespaces).hasPrefix("#")
            {
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                throw ScriptError(
                    "front matter lines are 'key: value'", at: at(index),
                    hint: "keys are name, title, source and digits")
            }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "name":
                guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }),
                    value.first != "-"
                else {
                    throw ScriptError(
                        "a lesson's name is letters, digits and - (it names files): '\(value)'", at: at(index, 7))
                }
                script.name = value
            case "title": script.title = value
            case "source": script.source = value
            case "digits":
                guard let digits = Int(value), (1...17).contains(digits) else {
                    throw ScriptError("digits is a whole number from 1 to 17, not '\(value)'", at: at(index, 9))
                }
                script.digits = digits
            default:
                throw ScriptError(
                    "unknown front matter key '\(key)'", at: at(index),
                    hint: (didYouMean(key, among: ["name", "title", "source", "digits"]).map { $0 + " " } ?? "")
                        + "keys are name, title, source and digits")
            }
        }
        guard index < lines.count else {
            throw ScriptError("the front matter opened by --- is never closed", at: at(0))
        }
        index += 1
    }

    // MARK: Notes

    /// `> **Note: title**` or `> **Erratum: title**` and the quoted lines after it.
    mutating func note() throws(ScriptError) -> Cell {
        let start = index
        var quoted: [(String, SourceLocation)] = []
        while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).hasPrefix(">") {
            let raw = lines[index]
            let line = raw.trimmingCharacters(in: .whitespaces).dropFirst().trimmingCharacters(in: .whitespaces)
            // The column where the text after "> " starts.
            let lead = raw.distance(from: raw.startIndex, to: raw.firstIndex(of: ">")!) + 1
            let gap = raw.dropFirst(lead).prefix { $0 == " " || $0 == "\t" }.count
            quoted.append((line, at(index, lead + gap + 1)))
            index += 1
        }
        var title = "Note"
        var errata = false
        if let first = quoted.first?.0, first.hasPrefix("**"), let close = first.dropFirst(2).range(of: "**") {
            var heading = String(first[first.index(first.startIndex, offsetBy: 2)..<close.lowerBound])
            for (word, isErrata) in [("Note:", false), ("Erratum:", true), ("Errata:", true)]
            where heading.hasPrefix(word) {
                heading = heading.dropFirst(word.count).trimmingCharacters(in: .whitespaces)
                errata = isErrata
            }
            title = heading.isEmpty ? (errata ? "Erratum" : "Note") : heading
            let rest = String(first[close.upperBound...])
            let shift = first.distance(from: first.startIndex, to: close.upperBound) + rest.prefix { $0 == " " }.count
            quoted[0] = (
                rest.trimmingCharacters(in: .whitespaces),
                SourceLocation(line: quoted[0].1.line, column: quoted[0].1.column + shift)
            )
        }
        var paragraphs: [Prose] = []
        var current: [(String, SourceLocation)] = []
        for (line, location) in quoted {
            if line.isEmpty {
                if !current.isEmpty {
                    paragraphs.append(try Reader.prose(current))
                    current = []
                }
            } else {
                current.append((line, location))
            }
        }
        if !current.isEmpty { paragraphs.append(try Reader.prose(current)) }
        return .note(title: title, errata: errata, paragraphs, at(start))
    }

    // MARK: Prose

    /// Splits text at `{…}` (a `{` after _ or ^ is typesetting: net_{h1}, w^{T}).
    static func prose(_ lines: [(String, SourceLocation)]) throws(ScriptError) -> Prose {
        var pieces: [Prose.Piece] = []
        var literal = ""
        // The lines joined by spaces, each character remembering where it was written.
        var characters: [Character] = []
        var places: [SourceLocation] = []
        for (k, (text, start)) in lines.enumerated() {
            if k > 0 {
                characters.append(" ")
                places.append(places.last!)
            }
            for (offset, c) in text.enumerated() {
                characters.append(c)
                places.append(SourceLocation(line: start.line, column: start.column + offset))
            }
        }
        let location = lines[0].1
        var i = 0
        while i < characters.count {
            let c = characters[i]
            let markup = i > 0 && (characters[i - 1] == "_" || characters[i - 1] == "^")
            guard c == "{", !markup else {
                literal.append(c)
                i += 1
                continue
            }
            var depth = 0
            var j = i
            while j < characters.count {
                if characters[j] == "{" { depth += 1 }
                if characters[j] == "}" {
                    depth -= 1
                    if depth == 0 { break }
                }
                j += 1
            }
            guard j < characters.count else {
                throw ScriptError(
                    "this { has no closing }", at: places[i],
                    hint: "braces in text hold a value, as in {L}; to typeset a subscript write net_{h1}")
            }
            if !literal.isEmpty {
                pieces.append(.text(literal))
                literal = ""
            }
            let inner = String(characters[(i + 1)..<j])
            // A value is written on one line: its columns are that line's.
            let open = places[i]
            guard places[j].line == open.line else {
                throw ScriptError("a value in braces is written on one line", at: open)
            }
            let tokens = try Lexer.tokens(inner, line: open.line, startColumn: open.column + 1)
            pieces.append(.value(try ExpressionParser.parse(tokens)))
            i = j + 1
        }
        if !literal.isEmpty { pieces.append(.text(literal)) }
        return Prose(pieces: pieces, location: location)
    }
}
