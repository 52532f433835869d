import ArgumentParser
import Foundation
import Grading
import LessonKit
import Lessons
import ReportModel
import Script

/// `--lessons DIR` (or LESSONS_DIR): a folder of lesson scripts that join the built-in lessons
/// in `list`, `params`, `run`, `graph`, `handout` and `check`, by their names.
///
///     lessons list --lessons course/
///     lessons run unit --lessons course/     # course/unit.lesson.md
struct LessonLibrary: ParsableArguments {
    @Option(
        name: .customLong("lessons"),
        help: ArgumentHelp(
            """
            A folder of lesson scripts (*.lesson.md) to use by name \
            beside the built-in lessons; LESSONS_DIR sets it too.
            """,
            valueName: "dir"))
    var folder: String?

    /// Makes the folder the one names are looked up in.
    func use() throws(CommandError) {
        let chosen = folder ?? ProcessInfo.processInfo.environment["LESSONS_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        guard let chosen else {
            LessonName.folder = nil
            return
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: chosen, isDirectory: &isFolder), isFolder.boolValue else {
            throw CommandError(
                """
                \(folder == nil ? "LESSONS_DIR=" : "--lessons ")\(chosen): no \
                such folder; give the folder that holds your *.lesson.md scripts
                """
            )
        }
        LessonName.folder = chosen
    }
}

/// Looks a lesson up: a script's path, a built-in name, or a script in the lessons folder;
/// else fails with the closest names.
enum LessonName {
    // Set once, from the command line, before any lookup.
    nonisolated(unsafe) static var folder: String?
    /// Lessons a course's package added (`LessonsCommand.start(adding:)`), after the built-in ones.
    nonisolated(unsafe) static var added: [Lesson] = []
    nonisolated(unsafe) private static var loaded: [String: Result<Lesson, ScriptError>] = [:]

    static func isPath(_ name: String) -> Bool { name.hasSuffix(".md") || name.contains("/") }

    /// A message's "lessons params NAME" for a script run by its path names the path, which is
    /// what the user can type again (the name alone is known only in its lessons folder).
    static func spelledAsGiven(_ message: String) -> String {
        var message = message
        for case (let path, .success(let lesson)) in loaded
        where Catalog.lesson(named: lesson.name) == nil
            && !folderScripts().contains(where: { $0.name == lesson.name })
        {
            message = message.replacingOccurrences(
                of: "lessons params \(lesson.name))", with: "lessons params \(path))")
        }
        return message
    }

    static func find(_ name: String) throws(CommandError) -> Lesson {
        if isPath(name) { return try script(at: name) }
        if let lesson = Catalog.lesson(named: name) ?? added.first(where: { $0.name == name }) { return lesson }
        let scripts = folderScripts()
        if let path = scripts.first(where: { $0.name == name })?.path { return try script(at: path) }
        // Names that begin with what was typed, else the nearest names and any nearly as near: up to three.
        let names = Catalog.lessons.map(\.name) + added.map(\.name) + scripts.map(\.name)
        let started = names.filter { $0.hasPrefix(name.lowercased()) && !name.isEmpty }
        let ranked = names.map { (name: $0, distance: editDistance(name, $0)) }.sorted { $0.distance < $1.distance }
        let closest =
            started.isEmpty
            ? ranked.prefix(3).filter { $0.distance <= ranked[0].distance + 2 }.map(\.name) : Array(started.prefix(3))
        throw CommandError(
            "no lesson named '\(name)'; closest: \(closest.joined(separator: ", ")) (all lessons: lessons list)")
    }

    /// Every lesson: the built-ins, a course package's, then the folder's scripts that read (in
    /// file-name order) under names not taken.
    static var all: [Lesson] {
        let compiled = Catalog.lessons + added.filter { lesson in !Catalog.lessons.contains { $0.name == lesson.name } }
        return compiled
            + folderScripts().compactMap { try? script(at: $0.path) }.filter { script in
                !compiled.contains { $0.name == script.name }
            }
    }

    /// One line each on stderr for the folder's scripts that do not read or clash with a built-in name.
    static func warnOfBrokenScripts() {
        for (path, _) in folderScripts() {
            do {
                let lesson = try script(at: path)
                if Catalog.lesson(named: lesson.name) != nil || added.contains(where: { $0.name == lesson.name }) {
                    FileHandle.standardError.write(
                        Data(
                            "warning: \(path) is named \(lesson.name), like a built-in lesson; give it another name (front matter name:)\n"
                                .utf8))
                }
            } catch {
                FileHandle.standardError.write(Data("warning: \(path) is left out:\n\(error.description)\n".utf8))
            }
        }
    }

    /// Reads a script once per process; its errors are file:line:column messages.
    static func script(at path: String) throws(CommandError) -> Lesson {
        let outcome: Result<Lesson, ScriptError>
        if let known = loaded[path] {
            outcome = known
        } else {
            do { outcome = .success(try Lesson.script(at: path)) } catch { outcome = .failure(error) }
            loaded[path] = outcome
        }
        switch outcome {
        case .success(let lesson): return lesson
        case .failure(let error): throw CommandError(error.description + "\nNothing was written.")
        }
    }

    /// The folder's `*.lesson.md` files and the names they are run by (the file name, unless
    /// its front matter says otherwise: read cheaply from the first lines).
    static func folderScripts() -> [(path: String, name: String)] {
        guard let folder, let files = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return files.filter { $0.hasSuffix(".lesson.md") }.sorted().map { file in
            let path = (folder as NSString).appendingPathComponent(file)
            return (path, declaredName(path) ?? ScriptParser.defaultName(ofFile: file))
        }
    }

    private static func declaredName(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), text.hasPrefix("---") else { return nil }
        for line in text.split(separator: "\n").prefix(20).dropFirst() {
            if line.trimmingCharacters(in: .whitespaces) == "---" { break }
            if line.hasPrefix("name:") { return line.dropFirst(5).trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }

    static func editDistance(_ a: String, _ b: String) -> Int { Spelling.distance(a, b) }
}
