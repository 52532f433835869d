import Foundation
import LessonKit
import Lessons
import ReportModel
import Script
import Synchronization

/// The lessons `lessons serve` offers, by name only: the built-ins, a course package's, and the
/// scripts in the lessons folder, each script read again when its file changes. A name is
/// never a path, so no request can make the server read a file of its choosing.
///
///     let shelf = LessonShelf()
///     let (lesson, stamp) = try shelf.lesson(named: "backprop-example")
final class LessonShelf: Sendable {
    /// A script as last read: its file's modification time and size, and what it read as.
    private struct Reading {
        var stamp: String
        var outcome: Result<Lesson, ScriptError>
    }

    /// Scripts by path, read at most once per change of their file.
    private let readings = Mutex([String: Reading]())

    /// A lesson the site can show, with its stamp: "built-in", or the script's modification
    /// time and size, which a page polls to reload when the teacher saves the file.
    struct Entry {
        var lesson: Lesson
        var stamp: String
    }

    /// Every lesson in `lessons list`'s order; a script that does not read is left out here
    /// (its page says why).
    func entries() -> [Entry] {
        let compiled =
            Catalog.lessons + LessonName.added.filter { lesson in !Catalog.lessons.contains { $0.name == lesson.name } }
        let scripts = LessonName.folderScripts().compactMap { file -> Entry? in
            guard !compiled.contains(where: { $0.name == file.name }),
                case .success(let lesson) = read(file.path).outcome
            else { return nil }
            return Entry(lesson: lesson, stamp: read(file.path).stamp)
        }
        return compiled.map { Entry(lesson: $0, stamp: "built-in") } + scripts
    }

    /// The lesson of that name; a script's read errors (file:line:column) or the closest names otherwise.
    func lesson(named name: String) throws(SiteError) -> Entry {
        if let lesson = Catalog.lesson(named: name) ?? LessonName.added.first(where: { $0.name == name }) {
            return Entry(lesson: lesson, stamp: "built-in")
        }
        if let file = LessonName.folderScripts().first(where: { $0.name == name }) {
            let reading = read(file.path)
            switch reading.outcome {
            case .success(let lesson): return Entry(lesson: lesson, stamp: reading.stamp)
            case .failure(let error):
                throw SiteError(
                    .unprocessableContent,
                    "\((file.path as NSString).lastPathComponent) does not read:\n\(error.description)",
                    stamp: reading.stamp)
            }
        }
        let names = entries().map(\.lesson.name)
        let ranked = names.map { ($0, LessonName.editDistance(name, $0)) }.sorted { $0.1 < $1.1 }.prefix(3).map(\.0)
        throw SiteError(.notFound, "no lesson named '\(name.prefix(80))'; closest: \(ranked.joined(separator: ", "))")
    }

    /// A lesson's stamp now, without reading its script again: what a page polls (nil: no such lesson).
    func stamp(named name: String) -> String? {
        if Catalog.lesson(named: name) ?? LessonName.added.first(where: { $0.name == name }) != nil {
            return "built-in"
        }
        return LessonName.folderScripts().first(where: { $0.name == name }).map { LessonShelf.stamp(of: $0.path) }
    }

    private func read(_ path: String) -> Reading {
        let stamp = LessonShelf.stamp(of: path)
        if let known = readings.withLock({ $0[path] }), known.stamp == stamp { return known }
        // Read outside the lock: a long script does not hold up other pages.
        let outcome = Result { () throws(ScriptError) in try Lesson.script(at: path) }
        let reading = Reading(stamp: stamp, outcome: outcome)
        readings.withLock { $0[path] = reading }
        return reading
    }

    private static func stamp(of path: String) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let time = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
        return "\(Int(time * 1000))-\(size)"
    }
}
