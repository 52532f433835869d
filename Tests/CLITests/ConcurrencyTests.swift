import Foundation
import TestSupport
import Testing

@Suite("Runs side by side and interrupted runs")
struct ConcurrencyTests {
    /// A teacher's `make -j`: eight runs into one folder at once, all succeed, every file whole.
    @Test func eightRunsIntoOneFolderAllSucceed() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let processes = (0..<8).map { k -> Process in
            let process = Process()
            process.executableURL = Command.binary
            // Two different commands share the folder; half the runs write the same lesson.
            process.arguments =
                k % 4 == 3
                ? ["graph", "backprop-example", "--output", folder.path]
                : ["run", "backprop-example", "--dpi", "60", "--output", folder.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == Array(repeating: 0, count: 8))
        let files = Command.files(in: folder)
        #expect(!files.contains { ($0 as NSString).lastPathComponent.hasPrefix(".") }, "temporaries left: \(files)")
        for file in files {
            let path = folder.appendingPathComponent(file).path
            switch (file as NSString).pathExtension {
            case "pdf": #expect(try run("pdfinfo", [path]).status == 0, "\(file)")
            case "png": #expect(decodesAsPNG(path), "\(file)")
            case "json":
                #expect(
                    (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))) != nil,
                    "\(file)")
            default: break
            }
        }
        #expect(
            files.contains("backprop-example/backprop-example.pdf") && files.contains("backprop-example/values.json"))
    }

    /// SIGINT while a handout renders: the previous handout is untouched and nothing is left behind.
    @Test(arguments: [SIGINT, SIGTERM])
    func anInterruptLeavesThePreviousOutput(signal: Int32) throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pdf = folder.appendingPathComponent("week.pdf")
        #expect(try Command.run(["handout", "softmax", "--output", pdf.path]).status == 0)
        let before = try Data(contentsOf: pdf)
        for delay in [0.15, 0.4, 0.8] {
            let process = Process()
            process.executableURL = Command.binary
            process.arguments = ["handout", "--all", "--format", "pdf,png", "--dpi", "60", "--output", pdf.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            // The handler's exit status, as a shell reports a process a signal stopped.
            #expect(
                process.terminationReason == .exit && process.terminationStatus == 128 + signal,
                "\(process.terminationReason) \(process.terminationStatus)")
            #expect(try Data(contentsOf: pdf) == before, "the old handout, whole, after an interrupt at \(delay) s")
            let files = Command.files(in: folder)
            #expect(files == ["week.pdf"], "nothing new and no temporaries after \(delay) s: \(files)")
        }
    }

    /// A temporary whose process is gone is swept; one whose process still runs is not.
    @Test func onlyOrphanedTemporariesAreRemoved() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lesson = folder.appendingPathComponent("softmax")
        try FileManager.default.createDirectory(at: lesson, withIntermediateDirectories: true)
        // A process id above Linux's largest (2^22) was never a process's.
        let orphan = lesson.appendingPathComponent(".softmax.pdf.4194999.1.tmp")
        let live = lesson.appendingPathComponent(".softmax.pdf.\(getpid()).1.tmp")
        for url in [orphan, live] { try Data("half".utf8).write(to: url) }
        #expect(try Command.run(["run", "softmax", "--format", "pdf", "--output", folder.path]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: orphan.path))
        #expect(FileManager.default.fileExists(atPath: live.path))
    }
}
