import Foundation
import Testing

@Suite("Bad input: a clear error, a non-zero exit, nothing written")
struct BadInputTests {
    /// Runs `lessons` in an empty folder and checks that it failed and wrote nothing there.
    func refused(_ arguments: [String]) throws -> String {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run(arguments + ["--output", folder.appendingPathComponent("out").path])
        #expect(outcome.status != 0)
        #expect(Command.files(in: folder).isEmpty, "nothing written for \(arguments)")
        #expect(outcome.output.isEmpty)
        return outcome.error
    }

    @Test func unknownLessonNamesTheClosest() throws {
        let error = try refused(["run", "backprop-exmaple"])
        #expect(
            error
                == "Error: no lesson named 'backprop-exmaple'; closest: backprop-example (all lessons: lessons list)\n")
    }

    @Test(arguments: [
        ("w9=1", "unknown parameter 'w9' for backprop-example"),
        ("w1=abc", "w1=abc is not a number; w1 (weight i1 → h1) takes a number in [-10, 10]"),
        ("w1=nan", "w1=nan is not a finite number"),
        ("lr=inf", "lr=inf is not a finite number"),
        ("lr=11", "lr=11 is outside the allowed range [0, 10] of lr (learning rate η)"),
        ("t1=-0.5", "t1=-0.5 is outside the allowed range [0, 1] of t1 (target of output o1)"),
        ("iterations=0", "iterations=0 is outside the allowed range 1 to 1000000"),
        ("iterations=2.5", "iterations=2.5 is not a whole number"),
        ("update=backwards", "update=backwards is not one of simultaneous | output-first"),
        ("w1", "--set expects KEY=VALUE, got 'w1'"),
    ])
    func badSettingSaysWhatAndHow(setting: String, message: String) throws {
        let error = try refused(["run", "backprop-example", "--set", setting])
        #expect(error.contains(message), "\(error)")
        #expect(error.split(separator: "\n").count == 1, "one line: \(error)")
    }

    @Test(arguments: [
        ("K=10", "K=10 does not fit: the kernel must be at most the padded input, W + 2P = 7 + 2·1 = 9"),
        ("S=0", "S=0 is outside the allowed range 1 to 4096 of S (stride)"),
        ("S=-2", "S=-2 is outside the allowed range 1 to 4096 of S (stride)"),
        ("P=-1", "P=-1 is outside the allowed range 0 to 2048 of P (padding on each side)"),
        (
            "W=7.5",
            "W=7.5 is not a whole number; W (input width (and height) in pixels) takes an integer from 1 to 4096"
        ),
        ("K=three", "K=three is not a number; K (kernel size) takes an integer from 1 to 4096"),
    ])
    func impossibleConvolutionsStateTheRule(setting: String, message: String) throws {
        let error = try refused(["run", "conv-sizes", "--set", setting])
        #expect(error == "Error: \(message)\n")
    }

    @Test func badFormatAndResolution() throws {
        #expect(
            try refused(["run", "backprop-example", "--format", "pdf,docx"]).contains(
                """
                'pdf,docx' is invalid for '--format <formats>': unknown format 'docx'; choose from pdf, png, svg, json,
                """
            ))
        #expect(try refused(["run", "backprop-example", "--dpi", "5"]).contains("--dpi 5.0 is outside 36 to 600"))
    }

    @Test func unwritableOutputFolder() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        let outcome = try Command.run(["run", "backprop-example", "--format", "json", "--output", file.path])
        #expect(outcome.status != 0)
        #expect(
            outcome.error.contains("cannot create the output folder \(file.path)/backprop-example"), "\(outcome.error)")
        #expect(outcome.error.contains("choose another with --output DIR"))
        #expect(Command.files(in: folder) == ["not-a-folder"])
    }

    @Test func aFailedWriteLeavesNoPartialFile() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        // values.json cannot be replaced: a non-empty folder stands in its place.
        let blocker = folder.appendingPathComponent("backprop-example/values.json/keep")
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: true)
        let outcome = try Command.run(["run", "backprop-example", "--format", "json", "--output", folder.path])
        #expect(outcome.status != 0)
        #expect(outcome.error.contains("cannot write \(folder.path)/backprop-example/values.json"), "\(outcome.error)")
        #expect(
            Command.files(in: folder.appendingPathComponent("backprop-example")).isEmpty,
            "no temporary file left behind beside the blocking folders")
        #expect(FileManager.default.fileExists(atPath: blocker.path))
    }
}

@Suite("Leftovers of an interrupted run")
struct LeftoverTests {
    @Test func aKilledRunsTemporaryFileIsCleanedUpByTheNext() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lesson = folder.appendingPathComponent("backprop-example")
        try FileManager.default.createDirectory(at: lesson, withIntermediateDirectories: true)
        // Our pattern, .NAME.PID.SERIAL.tmp, with a process id no process has.
        try Data("half a PDF".utf8).write(to: lesson.appendingPathComponent(".backprop-example.pdf.3999999.1.tmp"))
        let outcome = try Command.run(["run", "backprop-example", "--format", "json", "--output", folder.path])
        #expect(outcome.status == 0)
        #expect(Command.files(in: lesson) == ["values.json"])
    }
}

@Suite("lessons list, params and --help")
struct InformationTests {
    @Test func list() throws {
        let outcome = try Command.run(["list"])
        #expect(outcome.status == 0)
        let lines = outcome.output.split(separator: "\n")
        // Names in a column as wide as the longest, then the title.
        let width = lines.map { $0.prefix { $0 != " " }.count }.max()!
        #expect(
            lines.first?.hasPrefix(
                "backprop-example" + String(repeating: " ", count: width - 16 + 2) + "Backpropagation step by step")
                == true)
        #expect(
            lines.contains {
                $0.hasPrefix(
                    "logistic-regression" + String(repeating: " ", count: width - 19 + 2)
                        + "Logistic regression as a computation graph")
            })
    }

    @Test func params() throws {
        let lines = try Command.run(["params", "backprop-example"]).output.split(separator: "\n")
        #expect(
            lines.first?.split(separator: " ", omittingEmptySubsequences: true) == [
                "name", "default", "allowed", "meaning",
            ])
        #expect(
            lines.contains {
                $0.hasPrefix("w5 ") && $0.contains("0.4") && $0.contains("[-10, 10]") && $0.contains("weight h1 → o1")
            })
        #expect(lines.contains { $0.hasPrefix("update ") && $0.contains("simultaneous | output-first") })
        // 18 parameters under the header, then the regimes: a heading and one line each.
        let regimes = try #require(lines.firstIndex { $0.hasPrefix("Regimes:") })
        #expect(regimes == 19)
        #expect(lines[(regimes + 1)...].contains { $0.hasPrefix("--set lr=0 ") && $0.contains("no weight moves") })
        #expect(lines[(regimes + 1)...].allSatisfy { $0.hasPrefix("--set ") } && lines.count > regimes + 1)
        let unknown = try Command.run(["params", "backprop"])
        #expect(
            unknown.status != 0 && unknown.error.contains("closest: backprop-example, backprop-matrix (all lessons"),
            "\(unknown.error)")
    }

    @Test func helpExplainsEveryOption() throws {
        let root = try Command.run(["--help"]).output
        for word in ["list", "params", "run", "graph", "worked examples"] { #expect(root.contains(word)) }
        let graph = try Command.run(["graph", "--help"]).output
        for word in [
            "--node <label>", "--view <view>", "forward, backward", "--format <formats>", "(default: pdf,png,svg)",
        ] {
            #expect(graph.contains(word), "graph --help mentions \(word)")
        }
        let run = try Command.run(["run", "--help"]).output
        for word in [
            "--output <dir>", "--format <formats>", "--set <key=value>", "--dpi <dpi>", "values.json",
            "(default: output)",
        ] {
            #expect(run.contains(word), "run --help mentions \(word)")
        }
    }
}
