import Foundation
import TestSupport
import Testing

/// Every command on lesson scripts, as a teacher runs them: by path, from a lessons folder,
/// mixed with built-ins in a handout, as variants, marked by check; and the refusals.
@Suite("Lesson scripts from the command line")
struct ScriptCLITests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")

    @Test func newWritesAStarterThatRunsAsWritten() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let written = try Command.run(["new", "my-neuron"], in: folder)
        #expect(written.status == 0 && written.output == "my-neuron.lesson.md\n", "\(written.error)")
        let again = try Command.run(["new", "my-neuron"], in: folder)
        #expect(again.status == 64 && again.error.contains("my-neuron.lesson.md exists already"))
        let run = try Command.run(["run", "my-neuron.lesson.md", "-o", "out"], in: folder)
        #expect(run.status == 0, "\(run.error)")
        let text = try TestSupport.run(
            "pdftotext", [folder.appendingPathComponent("out/my-neuron/my-neuron.pdf").path, "-"]
        ).output
        #expect(text.contains("One neuron, worked by hand") && text.contains("0.574443"), "σ(0.3) on the page")
        #expect(try Command.run(["new", "bad name"], in: folder).status == 64)
    }

    @Test func aLessonsFolderAddsItsScriptsToListParamsAndRun() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let list = try Command.run(["list", "--lessons", Self.examples.path])
        #expect(list.status == 0)
        #expect(
            list.output.contains("backprop-example") && list.output.contains("tanh-321  ")
                && list.output.contains("logistic-unit"))
        let params = try Command.run(["params", "tanh-321"], environment: ["LESSONS_DIR": Self.examples.path])
        #expect(params.output.contains("alpha  0.1      [0, 5]          learning rate"), "\(params.output)")
        let json = try Command.run(["params", "tanh-321", "--json", "--lessons", Self.examples.path])
        #expect(
            json.status == 0 && json.output.contains("\"name\" : \"x1\"") || json.output.contains("\"name\": \"x1\""))
        let run = try Command.run([
            "run", "softmax-vector", "--lessons", Self.examples.path, "-o", folder.path, "--format", "json,md", "--set",
            "z=1,2,3",
        ])
        #expect(run.status == 0, "\(run.error)")
        let values = try String(
            contentsOf: folder.appendingPathComponent("softmax-vector/values.json"), encoding: .utf8)
        #expect(values.contains("\"z\": [1.0, 2.0, 3.0]"))
        #expect(
            try Command.run(["run", "softmax-vectr", "--lessons", Self.examples.path]).error.contains(
                "closest: softmax-vector"))
        #expect(
            try Command.run(["list", "--lessons", "/no/such/folder"]).error.contains(
                "--lessons /no/such/folder: no such folder"))
    }

    @Test func graphSlidesNotebookAndSVGRunOnAScript() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = Self.examples.appendingPathComponent("tanh-321.lesson.md").path
        let graph = try Command.run(["graph", script, "--view", "backward", "-o", folder.path])
        #expect(graph.status == 0, "\(graph.error)")
        #expect(Command.files(in: folder).contains { $0.hasSuffix("backward.png") })
        let slides = try Command.run([
            "run", script, "--layout", "slides", "--format", "pdf,svg,ipynb", "-o", folder.path,
        ])
        #expect(slides.status == 0, "\(slides.error)")
        #expect(Command.files(in: folder).contains { $0.hasSuffix(".ipynb") })
    }

    @Test func aHandoutMixesScriptsAndBuiltIns() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run([
            "handout", "backprop-example", Self.examples.appendingPathComponent("tanh-321.lesson.md").path,
            "logistic-unit",
            "--lessons", Self.examples.path, "-o", folder.appendingPathComponent("week.pdf").path,
        ])
        #expect(outcome.status == 0, "\(outcome.error)")
        let text = try TestSupport.run("pdftotext", [folder.appendingPathComponent("week.pdf").path, "-"]).output
        #expect(
            text.contains("Backpropagation, step by step") && text.contains("A 3-2-1 network")
                && text.contains("Logistic regression as a computation graph"))
    }

    @Test func variantsAndCheckMarkAScriptsExercises() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = Self.examples.appendingPathComponent("logistic-unit.lesson.md").path
        let sheet = try Command.run([
            "run", script, "--exercise", "--variant", "4", "--format", "pdf,json", "-o", folder.path,
        ])
        #expect(sheet.status == 0, "\(sheet.error)")
        let stem = folder.appendingPathComponent("logistic-unit-v04-exercise")
        let template = try String(
            contentsOf: stem.appendingPathComponent("logistic-unit-v04-exercise-template.txt"), encoding: .utf8)
        #expect(template.contains("# variant: 4") && template.contains("dL/dz "))
        // The key's numbers, copied as values.json writes them (Foundation's JSON reader on
        // Linux does not read doubles back exactly): all right; then one sign slip.
        var numbers: [String: String] = [:]
        for line in try String(contentsOf: stem.appendingPathComponent("values.json"), encoding: .utf8).split(
            separator: "\n")
        {
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            numbers[parts[0].trimmingCharacters(in: CharacterSet(charactersIn: "\" "))] = parts[1].trimmingCharacters(
                in: CharacterSet(charactersIn: " ,"))
        }
        var answers = template.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let label = line.split(separator: " ").first.map(String.init) ?? ""
            guard !line.hasPrefix("#"), let value = numbers[label], Double(value) != nil else { return String(line) }
            return "\(label) = \(value)"
        }.joined(separator: "\n")
        let file = folder.appendingPathComponent("answers.txt")
        try answers.write(to: file, atomically: true, encoding: .utf8)
        let right = try Command.run(["check", script, file.path])
        #expect(right.status == 0, "\(right.output)\(right.error)")
        // As many exercises as the template asks for, all right; then one wrong.
        let asked = template.split(separator: "\n").filter { $0.contains("# exercise") }.count
        #expect(asked > 20)
        #expect(right.output.contains("\(asked) of \(asked) right"))
        let dLdz = try #require(numbers["dL/dz"])
        answers = answers.replacingOccurrences(
            of: "dL/dz = \(dLdz)", with: "dL/dz = " + (dLdz.hasPrefix("-") ? String(dLdz.dropFirst()) : "-" + dLdz))
        try answers.write(to: file, atomically: true, encoding: .utf8)
        let slip = try Command.run(["check", script, file.path])
        #expect(
            slip.status == 1 && slip.output.contains("the wrong sign")
                && slip.output.contains("\(asked - 1) of \(asked) right"), "\(slip.output)")
    }

    @Test func aBrokenScriptIsRefusedAtItsLineAndNothingIsWritten() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("broken.lesson.md")
        try "# Broken\n\n## Work\n\n```compute\nz = 2 * q\n```\n".write(to: script, atomically: true, encoding: .utf8)
        let outcome = try Command.run(["run", script.path, "-o", folder.appendingPathComponent("out").path])
        #expect(outcome.status == 64)
        #expect(
            outcome.error.contains("broken.lesson.md:6:9: error: unknown name 'q'\n    z = 2 * q\n            ^"),
            "\(outcome.error)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
        // A hint to list the parameters names the script as it was given: by its path.
        let tanh = Self.examples.appendingPathComponent("tanh-321.lesson.md").path
        let unknown = try Command.run(["run", tanh, "--set", "w9=1", "-o", folder.appendingPathComponent("out").path])
        #expect(unknown.status == 64 && unknown.error.contains("(see: lessons params \(tanh))"), "\(unknown.error)")
        let missing = try Command.run(["run", folder.appendingPathComponent("none.lesson.md").path])
        #expect(missing.status == 64 && missing.error.contains("none.lesson.md:1:1: error: no such file"))
    }

    @Test func aNaNNamesTheScriptsLine() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("nan.lesson.md")
        try "# NaN\n\n```parameters\nx = 1 in 0...10 \"x\"\n```\n\n## Work\n\n```compute\na = 2·x\nL = log(x)\n```\n"
            .write(to: script, atomically: true, encoding: .utf8)
        let outcome = try Command.run([
            "run", script.path, "--set", "x=0", "-o", folder.appendingPathComponent("out").path,
        ])
        #expect(outcome.status == 65)
        #expect(
            outcome.error.contains(
                "L overflows to −∞: L = log(x) = log(0) = −∞ (from the line at \(script.path):11:1)"),
            "\(outcome.error)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }
}
