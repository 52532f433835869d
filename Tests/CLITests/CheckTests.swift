import Foundation
import TestSupport
import Testing

@Suite("lessons check, and exercise sheets end to end")
struct CheckTests {
    func check(_ answers: String, _ extra: [String] = []) throws -> Outcome {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("answers.txt")
        try Data(answers.utf8).write(to: file)
        return try Command.run(["check", "backprop-example", file.path, "--set", "iterations=1"] + extra)
    }

    @Test func rightAnswersExitZero() throws {
        let outcome = try check(
            "# the forward pass\nnet_h1 = 0.3775\nout_h1 = 0.5932\n\nout_o1 = 0.75136507\nE_total = 0.298371\n")
        #expect(outcome.status == 0)
        #expect(outcome.output.hasSuffix("4 of 4 right; marks 4 of 48\n"), "\(outcome.output)")
    }

    /// The step is shown as a terminal can: outₒ₁, not out_{o1}.
    @Test func aWrongAnswerShowsTheValueAndTheStep() throws {
        let outcome = try check("net_h1 = 0.3775\nout_o1 = 0.752\n")
        #expect(outcome.status == 1)
        #expect(outcome.output.contains("wrong   ex 6   out_o1 = 0.752: it is 0.7514"), "\(outcome.output)")
        #expect(outcome.output.contains("outₒ₁ = σ(netₒ₁) = σ(1.10590597) = 0.75136507"))
        #expect(!outcome.output.contains("_{"))
        #expect(outcome.output.contains("1 of 2 right; 1 wrong: out_o1"))
    }

    /// Numbers judged as decimals, files as a teacher's machine writes them.
    @Test func exactDigitsWindowsFilesAndBounds() throws {
        // The exact value values.json holds (E_total, 17 significant digits) is right.
        let exact = try check("E_total = 0.2983711087600027\n")
        #expect(exact.status == 0, "\(exact.output)")
        // Zero and a bare 1 carry no significant digit of 0.2984 or 0.5933: wrong, whatever the exponent.
        let none = try check("E_total = 0\nout_h1 = 1\nE_total_after_update = 0e300\n")
        #expect(none.status == 1 && none.output.contains("0 of 3 right"), "\(none.output)")
        // A byte-order mark and CRLF line ends, as Windows editors save.
        let windows = try check("\u{FEFF}net_h1 = 0.3775\r\nout_h1 = 0.5932\r\n")
        #expect(windows.status == 0 && windows.output.contains("2 of 2 right"), "\(windows.output)\(windows.error)")
        // Absurd numbers are reported with their line; the good line beside them is still judged.
        let absurd = try check(
            "E_total = 0." + String(repeating: "2", count: 400) + "\nout_h1 = 1e-400\nnet_h1 = 0.3775\n")
        #expect(
            absurd.status == 64 && absurd.output.contains("line 1: '0.222")
                && absurd.output.contains("line 2: '1e-400' is beyond"), "\(absurd.output)")
        #expect(
            absurd.output.contains("right   ex 1   net_h1 = 0.3775") && absurd.output.contains("2 lines not judged"))
        // A file of bad lines lists twenty, then a count.
        let many = try check(String(repeating: "not a line\n", count: 500))
        #expect(
            many.status == 64
                && many.output.split(separator: "\n").filter { $0.contains("expected `label = value`") }.count == 20
                && many.output.contains("… and 480 more lines"), "\(many.output.suffix(200))")
        // Over a megabyte is refused before reading, in one line.
        let big = try check(String(repeating: "E_total = 0.2984\n", count: 70_000))
        #expect(
            big.status == 64 && big.error.contains("at most 1 MB") && big.error.split(separator: "\n").count == 1,
            "\(big.error)")
    }

    @Test func badlyRoundedIsWrong() throws {
        // 0.593269992 rounds to 0.5933 and cuts to 0.5932; 0.5934 is neither.
        #expect(try check("out_h1 = 0.5934\n").status == 1)
    }

    @Test(arguments: [
        ("", "no answers"), ("# only a comment\n", "no answers"), ("out_o1 0.75\n", "line 1: expected `label = value`"),
        ("out_o = 0.75\n", "line 1: no value labeled 'out_o'; closest: out_o1, out_o2"),
        ("\nE_total = 0,29\n", "line 2: '0,29' is not a number"),
    ])
    func unjudgeableLinesExit64NamingTheLine(answers: String, message: String) throws {
        let outcome = try check(answers)
        #expect(outcome.status == 64)
        // A file with nothing to judge is one error line; bad lines among good ones are listed in the report.
        #expect((outcome.output + outcome.error).contains(message), "\(outcome.output)\(outcome.error)")
    }

    @Test func jsonForCourseSoftware() throws {
        let outcome = try check("out_o1 = 0.752\nnet_h1 = 0.3775\n", ["--format", "json"])
        #expect(outcome.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any])
        let file = try #require((object["files"] as? [[String: Any]])?.first)
        #expect(
            file["right"] as? Int == 1 && file["wrong"] as? Int == 1 && file["total"] as? Double == 48
                && file["score"] as? Double == 1)
        let first = try #require((file["answers"] as? [[String: Any]])?.first)
        #expect(first["verdict"] as? String == "wrong" && first["exercise"] as? Int == 6 && first["line"] as? Int == 1)
        #expect((first["value"] as? Double).map { close($0, 0.75136507, within: 1e-8) } == true)
    }

    @Test func aVariantsAnswersAreJudgedAgainstThatVariant() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(
            try Command.run([
                "run", "backprop-example", "--variant", "7", "--set", "iterations=1", "--format", "json", "--output",
                folder.path,
            ]).status == 0)
        let json =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: folder.appendingPathComponent("backprop-example-v07/values.json")))
            as! [String: Any]
        let netH1 = (json["values"] as! [String: Any])["net_h1"] as! Double
        let answers = folder.appendingPathComponent("a.txt")
        try Data("net_h1 = \(String(format: "%.4f", netH1))\n".utf8).write(to: answers)
        #expect(
            try Command.run(["check", "backprop-example", answers.path, "--variant", "7", "--set", "iterations=1"])
                .status == 0)
        #expect(
            try Command.run(["check", "backprop-example", answers.path, "--variant", "8", "--set", "iterations=1"])
                .status == 1)
    }

    @Test func theSheetPrintsNoHiddenResultAndTheKeyDoes() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        for flag in ["--exercise", "--answers"] {
            #expect(
                try Command.run([
                    "run", "backprop-example", flag, "--set", "iterations=1", "--format", "pdf", "--output",
                    folder.path,
                ]).status == 0)
        }
        let sheet = try run(
            "pdftotext",
            [folder.appendingPathComponent("backprop-example-exercise/backprop-example-exercise.pdf").path, "-"]
        ).output
        let key = try run(
            "pdftotext",
            [folder.appendingPathComponent("backprop-example-answers/backprop-example-answers.pdf").path, "-"]
        ).output
        // net_h1, out_h1, out_o1, E_total and ∂E_total/∂w5 as the lesson prints them.
        for hidden in ["0.3775", "0.593269992", "0.75136507", "0.298371109", "0.0821670406"] {
            #expect(!sheet.contains(hidden), "the sheet gives away \(hidden)")
            #expect(key.contains(hidden), "the key has \(hidden)")
        }
        #expect(sheet.contains("Exercise 1") && key.contains("Exercise 1"))
        #expect(try Command.run(["run", "backprop-example", "--exercise", "--answers"]).error.contains("choose one"))
    }
}

@Suite("Markdown and notebook output")
struct ExportTests {
    @Test func markdownShowsTheStepsTablesAndFigureFiles() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Command.run(["run", "logistic-regression", "--format", "md", "--output", folder.path]).status == 0)
        let out = folder.appendingPathComponent("logistic-regression")
        let page = try String(contentsOf: out.appendingPathComponent("logistic-regression.md"), encoding: .utf8)
        #expect(page.hasPrefix("# Logistic regression as a computation graph\n"))
        #expect(page.contains("## 2 The forward pass"))
        #expect(page.contains("&emsp; = 0.4 × 0.5 + (−0.2) × 1.5 + 0.3 × (−1) + 0.1<br>\n> &emsp; = **−0.3**"))
        #expect(page.contains("| *x*<sub>1</sub> | `x1` | 0.5 | first feature |"))
        // Every figure the page shows is a PNG written beside it.
        let images = page.matches(of: /!\[Figure \d+\]\((figures\/[^)]+\.png)\)/).map { String($0.output.1) }
        #expect(images.count == 4)
        for image in images {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(image).path), "\(image)")
        }
    }

    @Test(arguments: ["logistic-regression", "softmax", "conv-sizes"])
    func notebooksValidateAgainstNbformat4(lesson: String) throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(
            try Command.run(["run", lesson, "--format", "ipynb", "--dpi", "60", "--output", folder.path]).status == 0)
        let notebook = folder.appendingPathComponent("\(lesson)/\(lesson).ipynb")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: notebook)) as? [String: Any])
        #expect(object["nbformat"] as? Int == 4)
        let cells = try #require(object["cells"] as? [[String: Any]])
        #expect(cells.contains { ($0["source"] as? [String])?.joined().contains("\\begin{aligned}") == true })
        #expect(
            cells.contains {
                (($0["outputs"] as? [[String: Any]])?.first?["data"] as? [String: Any])?["image/png"] != nil
            })
        // The schema itself, through the nbformat package scripts/test installs.
        let problem = try Command.notebookProblem(notebook.path)
        #expect(problem == nil, "\(problem ?? "")")
    }

    @Test func sourceDateEpochIsThePDFsCreationDate() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try run(
            "env",
            [
                "SOURCE_DATE_EPOCH=1700000000", Command.binary.path, "run", "softmax", "--format", "pdf", "--output",
                folder.path,
            ])
        #expect(outcome.status == 0)
        let info = try run("pdfinfo", ["-isodates", folder.appendingPathComponent("softmax/softmax.pdf").path]).output
        #expect(info.contains("2023-11-14T22:13:20"), "\(info)")
    }

    @Test func everyFormatIsByteIdenticalTwice() throws {
        let (a, b) = (try Command.scratch(), try Command.scratch())
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        for folder in [a, b] {
            #expect(
                try Command.run([
                    "run", "softmax", "--format", "pdf,png,svg,json,md,ipynb", "--dpi", "60", "--output", folder.path,
                ]).status == 0)
        }
        let files = Command.files(in: a)
        #expect(files == Command.files(in: b) && files.count > 6)
        for file in files {
            #expect(
                try Data(contentsOf: a.appendingPathComponent(file))
                    == Data(contentsOf: b.appendingPathComponent(file)), "\(file)")
        }
    }
}
