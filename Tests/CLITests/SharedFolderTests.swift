import Foundation
import TestSupport
import Testing

/// Writers of the same files in other processes, and other people's files in the folder.
@Suite struct SharedFolderTests {
    /// Every file under `folder` with its bytes.
    static func contents(_ folder: URL) throws -> [String: Data] {
        try Dictionary(
            uniqueKeysWithValues: Command.files(in: folder).map {
                ($0, try Data(contentsOf: folder.appendingPathComponent($0)))
            })
    }

    static func handout(title: String, into pdf: URL) -> Process {
        let process = Process()
        process.executableURL = Command.binary
        process.arguments = [
            "handout", "network-size", "conv-sizes", "--title", title, "--format", "pdf,png", "--dpi", "40", "--output",
            pdf.path,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        // 3 ms before each rename: unserialised runs would interleave their files every time.
        process.environment = ProcessInfo.processInfo.environment.merging(["LESSONS_TEST_RENAME_PAUSE": "3"]) { $1 }
        return process
    }

    /// Eight handouts with four titles into one file at once, six times: what is left is one
    /// run's files, every one of them (the PDF and all its pages), byte for byte.
    @Test func concurrentHandoutsIntoOneFileLeaveOneRunsFilesWhole() throws {
        let titles = ["Week A", "Week B", "Week C", "Week D"]
        // Each title alone first: the files it makes.
        var expected: [[String: Data]] = []
        for title in titles {
            let folder = try Command.scratch()
            defer { try? FileManager.default.removeItem(at: folder) }
            let process = Self.handout(title: title, into: folder.appendingPathComponent("h.pdf"))
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0)
            expected.append(try Self.contents(folder))
        }
        #expect(
            Set(expected.map { $0.keys.sorted() }).count == 1 && expected[0].count > 3,
            "every title writes the same file names")
        for trial in 1...6 {
            let folder = try Command.scratch()
            defer { try? FileManager.default.removeItem(at: folder) }
            let processes = (0..<8).map {
                Self.handout(title: titles[$0 % 4], into: folder.appendingPathComponent("h.pdf"))
            }
            for process in processes { try process.run() }
            for process in processes { process.waitUntilExit() }
            #expect(processes.allSatisfy { $0.terminationStatus == 0 })
            let left = try Self.contents(folder)
            #expect(expected.contains { $0 == left }, "trial \(trial): the files mix runs (\(left.count) files)")
        }
    }

    /// A user's hidden `.tmp` files are theirs: no command removes them, whatever their names.
    @Test func aUsersTemporaryFilesSurvive() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let theirs = [".draft.tmp", ".cache.lock.tmp", ".notes.tmp", ".x.12.tmp", ".backup.99999999.1.tmp.txt"]
        let lessonFolder = folder.appendingPathComponent("softmax")
        try FileManager.default.createDirectory(at: lessonFolder, withIntermediateDirectories: true)
        for name in theirs {
            try Data("mine".utf8).write(to: folder.appendingPathComponent(name))
            try Data("mine".utf8).write(to: lessonFolder.appendingPathComponent(name))
        }
        // Ours, from a process long gone: removed.
        let orphan = lessonFolder.appendingPathComponent(".softmax.pdf.999999.3.tmp")
        try Data().write(to: orphan)
        #expect(try Command.run(["run", "softmax", "--format", "pdf", "--output", folder.path]).status == 0)
        #expect(
            try Command.run(["handout", "softmax", "--output", folder.appendingPathComponent("week.pdf").path]).status
                == 0)
        for name in theirs {
            #expect(
                FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path),
                "\(name) removed from the handout's folder")
            #expect(
                FileManager.default.fileExists(atPath: lessonFolder.appendingPathComponent(name).path),
                "\(name) removed from the run's folder")
        }
        #expect(!FileManager.default.fileExists(atPath: orphan.path), "an orphaned temporary of ours stays")
    }

    /// A rename that fails halfway puts back what it replaced: no mix of old and new files.
    @Test func aFolderInTheWayLeavesTheOldFilesWhole() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(
            try Command.run(["run", "network-size", "--format", "pdf,png,json", "--dpi", "40", "--output", folder.path])
                .status == 0)
        let before = try Self.contents(folder)
        // A page name taken by a folder: the next run cannot put its page there.
        let page = folder.appendingPathComponent("network-size/page-02.png")
        try FileManager.default.removeItem(at: page)
        try FileManager.default.createDirectory(at: page, withIntermediateDirectories: false)
        let outcome = try Command.run([
            "run", "network-size", "--set", "layers=4,3,2", "--format", "pdf,png,json", "--dpi", "40", "--output",
            folder.path,
        ])
        #expect(outcome.status != 0 && outcome.error.contains("page-02.png"), "\(outcome.error)")
        var after = try Self.contents(folder)
        after["network-size/page-02.png"] = before["network-size/page-02.png"]
        #expect(after == before, "the old files, whole, and nothing of the new run")
    }
}
