import Foundation
import Grading
import LessonKit
import MathNotation
import Render
import ReportModel
import Synchronization

/// Renders a lesson's result and writes its files. Everything is rendered in memory first,
/// so a failure leaves the folder as it was; each file then replaces its old version whole.
///
///     let paths = try Publisher(folder: "output", formats: [.pdf, .json], dpi: 150).publish(result)
struct Publisher {
    let folder: String
    let formats: Set<OutputFormat>
    let dpi: Double
    /// The handout, the exercise sheet or its key.
    var version = ReportVersion.full
    /// The exercise variant the parameters were drawn for, if any.
    var variant: Int?
    /// Printed pages or slides.
    var layout = LayoutOptions()
    /// Significant digits an answer needs, stated on the sheet and in its answer template.
    var answerDigits = 3

    init(
        folder: String, formats: Set<OutputFormat>, dpi: Double, version: ReportVersion = .full, variant: Int? = nil,
        layout: LayoutOptions = LayoutOptions()
    ) {
        self.folder = folder
        self.formats = formats
        self.dpi = dpi
        self.version = version
        self.variant = variant
        self.layout = layout
    }

    /// The folder and file name: `backprop-example`, `backprop-example-v03-exercise`, `backprop-example-slides`, …
    func stem(_ lesson: String) -> String {
        lesson + (variant.map(Variation.fileSuffix) ?? "") + (version == .full ? "" : "-\(version.rawValue)")
            + layout.suffix
    }

    /// Writes the requested files into `folder/STEM/` and returns their paths in order:
    /// the PDF, the PNG pages, each figure as `figures/NN-slug.png` (and `.svg`), values.json.
    func publish(_ result: LessonResult) throws -> [String] {
        let stem = stem(result.lesson)
        var report = result.report.version(version, digits: answerDigits)
        if let sections = layout.sections?.range {
            let count = report.blocks.filter { if case .section = $0 { true } else { false } }.count
            guard sections.upperBound <= count else {
                throw CommandError(
                    "--sections \(layout.sections!.text): \(result.lesson) has \(count) sections; choose from 1-\(count)"
                )
            }
        }
        // The teacher's own printed run says how to change it; sheets, keys and slides go to students.
        if version == .full && layout.layout == .pages {
            report.hint =
                "Change any setting with " + .plain("lessons run \(result.lesson) --set key=value", .mono) + "; "
                + .plain("lessons params \(result.lesson)", .mono)
                + " lists each, and the settings that change what happens."
        }
        // Every file is its own job, spread over all cores; the PDF, the longest, goes first.
        var jobs: [Job] = []
        if !formats.isDisjoint(with: [.pdf, .png, .svg, .md, .ipynb, .html]) {
            let document = Document(report, layout: layout.value)
            if formats.contains(.pdf) { jobs.append(("\(stem).pdf", { () throws(RenderError) in try document.pdf() })) }
            let dpi = self.dpi
            if formats.contains(.png) {
                try Publisher.checkPages(document, dpi: dpi, of: result.lesson)
                for page in 0..<document.pageCount {
                    jobs.append(
                        (
                            Publisher.pageName(page + 1, of: document.pageCount),
                            { () throws(RenderError) in try document.png(page: page, dpi: dpi) }
                        ))
                }
            }
            if formats.contains(.md) { jobs.append(("\(stem).md", { Data(document.markdown().utf8) })) }
            if formats.contains(.html) {
                jobs.append(("\(stem).html", { () throws(RenderError) in try Data(document.html().utf8) }))
            }
            if formats.contains(.ipynb) {
                jobs.append(("\(stem).ipynb", { () throws(RenderError) in try Data(document.notebook(dpi: dpi).utf8) }))
            }
            for figure in document.figures {
                // A Markdown page shows its figures from the PNG files beside it.
                if !formats.isDisjoint(with: [.png, .md]) {
                    jobs.append(
                        ("figures/\(figure.fileStem).png", { () throws(RenderError) in try figure.png(dpi: dpi) }))
                }
                if formats.contains(.svg) {
                    jobs.append(("figures/\(figure.fileStem).svg", { () throws(RenderError) in try figure.svg() }))
                }
            }
        }
        if formats.contains(.json) {
            let json = Data(result.json().utf8)
            jobs.append(("values.json", { json }))
        }
        // A sheet comes with the file a student fills in for lessons check.
        if version == .exercise {
            let template = Data(
                AnswerTemplate.text(
                    lesson: result.lesson, variant: variant, digits: answerDigits, exercises: result.report.exercises
                ).utf8)
            jobs.append(("\(stem)-template.txt", { template }))
        }
        let paths = try Publisher.write(jobs, into: folder, lesson: stem, rendering: result.lesson)
        let names = Set(jobs.map(\.name))
        let directory = URL(fileURLWithPath: folder).appendingPathComponent(stem)
        if formats.contains(.png) { Publisher.removeStalePages(in: directory, keeping: names) }
        Publisher.removeStaleFigures(
            in: directory.appendingPathComponent("figures"), keeping: names,
            extensions: Array(
                Set(formats.compactMap { [.png, .svg].contains($0) ? $0.rawValue : $0 == .md ? "png" : nil })
            ).sorted())
        return paths
    }

    /// The most PNG page pixels one run draws: under 3 s on this machine (28 A4 pages at 600 dpi,
    /// where pages are drawn one at a time to stay under 300 MB; 102 pages at 310 dpi).
    static let mostPagePixels = 1.0e9

    /// Refuses, before any work, PNG pages beyond `mostPagePixels`, naming the --dpi that fits.
    static func checkPages(_ document: Document, dpi: Double, of what: String) throws(CommandError) {
        let pixels = Double(document.pageCount) * document.pixelsPerPage(dpi: dpi)
        guard pixels > mostPagePixels else { return }
        let fitting = Int((dpi * (mostPagePixels / pixels).squareRoot() / 10).rounded(.down)) * 10
        throw CommandError(
            "\(document.pageCount) PNG pages of \(what) at --dpi \(Int(dpi)) are \(String(format: "%.1f", pixels / 1e9)) billion pixels, "
                + "more than the \(String(format: "%.1f", mostPagePixels / 1e9)) billion one run draws; use --dpi \(max(36, fitting)) or less, "
                + "or --format pdf (sharp at any zoom)")
    }

    /// `page-07.png`, with as many digits as the last page needs (at least two), so names sort in page order.
    static func pageName(_ number: Int, of count: Int) -> String {
        let digits = max(2, String(count).count)
        return "page-" + String(repeating: "0", count: max(0, digits - String(number).count)) + "\(number).png"
    }

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
    private static func createFolder(_ path: String) throws -> [String] {
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
                "cannot create the output folder \(path): a file of that name is in the way; choose another with --output DIR"
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
    private static func temporary(_ data: Data, for url: URL) throws -> URL {
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
    private static func commit(_ renames: [(temporary: URL, target: URL)]) throws {
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
                            "cannot write \(target.path): a folder of that name is in the way; move it, or choose another --output"
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
    private static let renamePause =
        ProcessInfo.processInfo.environment["LESSONS_TEST_RENAME_PAUSE"].flatMap(UInt32.init) ?? 0
    private static func pause() -> Bool {
        if renamePause > 0 { usleep(renamePause * 1000) }
        return true
    }

    private static func discard(_ temporaries: [URL]) {
        Interrupts.pending.withLock { pending in
            for url in temporaries {
                unlink(url.path)
                pending.remove(url.path)
            }
        }
    }

    private static let temporarySerial = Atomic<Int>(0)

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

/// The operating system's reason, without Foundation's wrapping.
func reason(_ error: Error) -> String {
    if let error = error as? CommandError { return error.description }
    // Foundation's own sentences ("The operation could not be completed…") say less than these.
    if let error = error as? CocoaError {
        switch error.code {
        case .fileReadNoSuchFile, .fileNoSuchFile: return "no such file"
        case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
        case .fileReadInapplicableStringEncoding, .fileReadCorruptFile:
            return "it is not UTF-8 text (save it as UTF-8, or check it is the right file)"
        case .fileWriteOutOfSpace: return "the disk is full"
        default: break
        }
    }
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        return String(cString: strerror(Int32(underlying.code)))
    }
    if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
    return nsError.localizedDescription
}
