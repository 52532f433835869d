import Foundation
import Grading
import LessonKit
import MathNotation
import Render
import ReportModel
import Synchronization

/// Writing files whole or not at all: rendered on every core into temporaries beside their targets,
/// renamed into place together; on any failure the temporaries go, and so do the folders made.
extension Publisher {
    /// A file to write, a path relative to the lesson's folder, and how to render its bytes.
    typealias Job = (name: String, render: @Sendable () throws(RenderError) -> Data)

    /// Renders every job on all cores, each written to its temporary as soon as it is drawn (a
    /// 600 dpi handout holds no page in memory but the ones being drawn), then renames them all
    /// into `folder/lesson/` at once. Returns the paths in the jobs' order. On any failure the
    /// temporaries go, and so do the folders this call created: the disk is as it was.
    static func write(_ jobs: [Job], into folder: String, lesson: String, rendering what: String) throws -> [String] {
        let directory = URL(fileURLWithPath: folder).appendingPathComponent(lesson)
        let subfolders = Set(jobs.map { directory.appendingPathComponent($0.name).deletingLastPathComponent().path })
        var created: [String] = []
        do {
            for subfolder in ([directory.path] + subfolders.sorted().filter { $0 != directory.path }) {
                created += try createFolder(subfolder)
                removeTemporaries(in: URL(fileURLWithPath: subfolder))
            }
            let targets = jobs.map { directory.appendingPathComponent($0.name) }
            let written = Mutex([Result<URL, any Error>?](repeating: nil, count: jobs.count))
            DispatchQueue.concurrentPerform(iterations: jobs.count) { k in
                let result = Result { () throws -> URL in
                    let data: Data
                    do { data = try jobs[k].render() } catch {
                        throw CommandError("could not render \(what): \(error)")
                    }
                    return try temporary(data, for: targets[k])
                }
                written.withLock { $0[k] = result }
            }
            let results = written.withLock { $0 }.map { $0! }
            if let failure = results.lazy.compactMap({ result -> (any Error)? in
                if case .failure(let error) = result { error } else { nil }
            }).first {
                discard(results.compactMap { try? $0.get() })
                throw failure
            }
            try commit(Array(zip(results.map { try! $0.get() }, targets)))
        } catch {
            for path in created.reversed() { rmdir(path) }
            throw error
        }
        return jobs.map { (folder as NSString).appendingPathComponent("\(lesson)/\($0.name)") }
    }

    /// Writes each file (a path relative to `folder/lesson/`) and returns the paths as given.
    static func write(_ files: [(name: String, data: Data)], into folder: String, lesson: String) throws -> [String] {
        try write(files.map { file in (file.name, { file.data }) }, into: folder, lesson: lesson, rendering: lesson)
    }

    /// The folder part of a path ("" for a bare name, "/" for a file at the root). Foundation's
    /// deletingLastPathComponent traps on a one-character name such as "h" (Swift 6.3, Linux).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }

    /// Creates `path` and the folders above it that are missing; returns those it created, outermost
    /// first. When one cannot be made (a name too long, no permission), the ones made go again.
    static func createFolder(_ path: String) throws -> [String] {
        var missing: [String] = []
        var probe = (path as NSString).standardizingPath
        var status = stat()
        while !probe.isEmpty && probe != "/" && stat(probe, &status) != 0 {
            missing.insert(probe, at: 0)
            probe = Publisher.folder(of: probe)
        }
        var created: [String] = []
        for folder in missing {
            if mkdir(folder, 0o777) != 0 && errno != EEXIST {
                let error = String(cString: strerror(errno))
                for made in created.reversed() { rmdir(made) }
                throw CommandError(
                    "cannot create the output folder \(path): \(error); choose another with --output DIR")
            }
            created.append(folder)
        }
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else {
            for made in created.reversed() { rmdir(made) }
            throw CommandError(
                """
                cannot create the output folder \(path): a file of that \
                name is in the way; choose another with --output DIR
                """
            )
        }
        return created
    }

    /// Writes one file whole: to a temporary beside it, then renamed over it.
    static func write(_ data: Data, to url: URL) throws {
        try commit([(try temporary(data, for: url), url)])
    }

    /// The data in a hidden temporary file beside `url`, registered for removal on an interrupt.
    /// Its name holds this process's id and a serial number, so runs and threads writing into
    /// one folder at once never touch each other's.
    static func temporary(_ data: Data, for url: URL) throws -> URL {
        let serial = temporarySerial.add(1, ordering: .relaxed).newValue
        let temporary = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(getpid()).\(serial).tmp")
        Interrupts.pending.withLock { _ = $0.insert(temporary.path) }
        do {
            try data.write(to: temporary)
        } catch {
            discard([temporary])
            throw CommandError("cannot write \(url.path): \(reason(error)); choose a writable folder with --output DIR")
        }
        return temporary
    }

    /// Renames every temporary over its target, holding the interrupt lock (an interrupt waits
    /// until all are renamed) and an flock on every folder written into (another process's run
    /// into the same files waits too): a folder holds all of one run's files, old or new. Each
    /// old file is first kept as a hard link, so a rename that fails halfway puts them all back.
    static func commit(_ renames: [(temporary: URL, target: URL)]) throws {
        // Folders locked in one order, so two runs never wait on each other in a circle.
        let folders = Set(renames.map { $0.target.deletingLastPathComponent().path }).sorted()
        let locks = folders.map { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer {
            for fd in locks where fd >= 0 {
                flock(fd, LOCK_UN)
                close(fd)
            }
        }
        for fd in locks where fd >= 0 { while flock(fd, LOCK_EX) != 0 && errno == EINTR {} }
        try Interrupts.pending.withLock { pending throws in
            // The old files, kept under our temporaries' pattern until the new ones are all in place.
            var kept: [(backup: String, target: String)] = []
            for (temporary, target) in renames {
                let backup = temporary.path + ".old.tmp"
                var status = stat()
                if lstat(target.path, &status) == 0 {
                    if (status.st_mode & S_IFMT) == S_IFDIR {
                        for (left, _) in renames {
                            unlink(left.path)
                            pending.remove(left.path)
                        }
                        for (backup, _) in kept { unlink(backup) }
                        throw CommandError(
                            """
                            cannot write \(target.path): a folder of that name \
                            is in the way; move it, or choose another --output
                            """
                        )
                    }
                    if link(target.path, backup) == 0 { kept.append((backup, target.path)) }
                }
            }
            for (index, (temporary, target)) in renames.enumerated()
            where Publisher.pause() && rename(temporary.path, target.path) != 0 {
                let error = String(cString: strerror(errno))
                for (left, _) in renames[index...] {
                    unlink(left.path)
                    pending.remove(left.path)
                }
                // Put back what this run had already replaced; what it added goes.
                for (done, _) in renames[..<index] { pending.remove(done.path) }
                for (_, placed) in renames[..<index] where !kept.contains(where: { $0.target == placed.path }) {
                    unlink(placed.path)
                }
                for (backup, original) in kept { rename(backup, original) }
                throw CommandError("cannot write \(target.path): \(error); choose a writable folder with --output DIR")
            }
            for (backup, _) in kept { unlink(backup) }
            for (temporary, _) in renames { pending.remove(temporary.path) }
        }
    }

    /// For the concurrency tests: LESSONS_TEST_RENAME_PAUSE=MS waits that long before each
    /// rename, so runs that were not serialised would interleave every time, not one in ten.
    static let renamePause =
        ProcessInfo.processInfo.environment["LESSONS_TEST_RENAME_PAUSE"].flatMap(UInt32.init) ?? 0
    static func pause() -> Bool {
        if renamePause > 0 { usleep(renamePause * 1000) }
        return true
    }

    static func discard(_ temporaries: [URL]) {
        Interrupts.pending.withLock { pending in
            for url in temporaries {
                unlink(url.path)
                pending.remove(url.path)
            }
        }
    }

    static let temporarySerial = Atomic<Int>(0)

    /// Our own temporaries truly orphaned: named `.NAME.PID.SERIAL.tmp` (or `….old.tmp`), and
    /// their process is gone (a run killed between writing and renaming) or they are a day old.
    /// Another live run's temporaries, and any other hidden `.tmp` (a user's `.draft.tmp`), stay.
    static func removeTemporaries(in directory: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names {
            guard let match = name.wholeMatch(of: /\.(.+)\.([0-9]{1,10})\.([0-9]{1,20})\.tmp(\.old\.tmp)?/),
                let pid = pid_t(match.output.2)
            else { continue }
            let url = directory.appendingPathComponent(name)
            let alive = kill(pid, 0) == 0 || errno == EPERM
            let age =
                (try? url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate).map {
                    -$0.timeIntervalSinceNow
                } ?? 0
            if !alive || age > 86_400 { try? FileManager.default.removeItem(at: url) }
        }
    }

    /// Pages left over from an earlier, longer handout would be mistaken for this one's.
    static func removeStalePages(in directory: URL, keeping written: Set<String>) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names
        where name.hasPrefix("page-") && name.hasSuffix(".png") && !written.contains(name)
            && name.dropFirst(5).dropLast(4).allSatisfy(\.isNumber)
        {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }

    /// Figures of an earlier run (other parameters, other captions) that this run did not write again.
    static func removeStaleFigures(in directory: URL, keeping written: Set<String>, extensions: [String]) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names
        where extensions.contains((name as NSString).pathExtension) && !written.contains("figures/\(name)")
            && name.first?.isNumber == true
        {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }
}
