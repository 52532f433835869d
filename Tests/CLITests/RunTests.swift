import Foundation
import TestSupport
import Testing

@Suite("lessons run, end to end")
struct RunTests {
    @Test func writesPDFPagesAndValues() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run(["run", "backprop-example", "--output", folder.path])
        #expect(outcome.status == 0, "\(outcome.error)")
        let lesson = folder.appendingPathComponent("backprop-example")
        let files = Command.files(in: lesson)
        let pages = files.filter { $0.hasPrefix("page-") }
        #expect(files.contains("backprop-example.pdf") && files.contains("values.json"))
        #expect(pages.first == "page-01.png" && pages.count >= 5)
        #expect(outcome.output.split(separator: "\n").count == files.count, "one printed path per file")
        #expect(outcome.output.contains("\(folder.path)/backprop-example/backprop-example.pdf"))

        let pdf = lesson.appendingPathComponent("backprop-example.pdf").path
        let info = try run("pdfinfo", [pdf]).output
        #expect(info.contains(try Regex("Pages: +\(pages.count)\n")), "one PNG per PDF page")
        #expect(info.contains(try Regex("Page size: +595.276 x 841.89 pts \\(A4\\)")))

        let text = try run("pdftotext", [pdf, "-"]).output
        // Key numbers from the hand-written reference network, printed as the default 9
        // significant digits do (%.9g drops trailing zeros the same way).
        let reference = Reference()
        let pass = reference.forward(reference.w)
        let g = reference.gradients(reference.w)
        let next = reference.step(reference.w, outputFirst: false)
        let trained = reference.forward(reference.train(10000, outputFirst: false))
        let expected = [
            pass.h1, pass.o1, pass.o2, pass.E, pass.o1 - reference.t.0, pass.o1 * (1 - pass.o1), g[5],
            next[1], next[4], next[5], next[6], next[7], next[8], reference.forward(next).E, trained.o1,
        ]
        for number in expected.map({ String(format: "%.9g", $0) }) + ["0.3775"] {
            #expect(text.contains(number), "\(number) in the PDF text")
        }
        // The chain rule for w5 as set on the page, each ∂ over ∂ stacked: read in layout mode, the
        // numerators are one line, the = and × signs the next (on the bars' axis), the denominators
        // the third (pdftotext drops sub- and superscript markers).
        let laidOut = try run("pdftotext", ["-layout", pdf, "-"]).output.split(separator: "\n").map(String.init)
        let numerators = try #require(laidOut.firstIndex { $0.contains(/∂E total +∂E total +∂outo1 +∂neto1/) })
        #expect(laidOut[numerators + 1].contains(/= +× +×/))
        #expect(laidOut[numerators + 2].contains(/∂w5 +∂outo1 +∂neto1 +∂w5/))
        let factors = [pass.o1 - reference.t.0, pass.o1 * (1 - pass.o1), pass.h1].map { String(format: "%.9g", $0) }
        #expect(text.contains("= " + factors.joined(separator: " × ")))

        for page in pages {
            let png = try Data(contentsOf: lesson.appendingPathComponent(page))
            #expect(try inkCoverage(png) > 0.01, "\(page) is not blank")
        }
        let width = try run("file", [lesson.appendingPathComponent("page-01.png").path]).output
        #expect(width.contains("1240 x 1754"), "A4 at 150 dpi")
    }

    @Test func aChangedParameterChangesThePage() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        // w1 = 0.25: net_h1 = 0.25 × 0.05 + 0.2 × 0.1 + 0.35 = 0.3825 (computed here by hand, not read off a run).
        let outcome = try Command.run([
            "run", "backprop-example", "--output", folder.path, "--format", "pdf",
            "--set", "w1=0.25", "--set", "iterations=50",
        ])
        #expect(outcome.status == 0, "\(outcome.error)")
        let text = try run(
            "pdftotext", [folder.appendingPathComponent("backprop-example/backprop-example.pdf").path, "-"]
        ).output
        #expect(text.contains("0.25 × 0.05 + 0.2 × 0.1 + 0.35"))
        #expect(text.contains("0.3825"))
        #expect(!text.contains("0.3775"))
        #expect(text.contains("Training: 50 updates"))
        #expect(!text.contains("Errata"), "the published figures belong to the default network")
        #expect(Command.files(in: folder.appendingPathComponent("backprop-example")) == ["backprop-example.pdf"])
    }

    @Test func sameCommandSameBytes() throws {
        let (a, b) = (try Command.scratch(), try Command.scratch())
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        for folder in [a, b] {
            try Command.run([
                "run", "backprop-example", "--output", folder.path, "--dpi", "40", "--set", "iterations=20",
            ])
        }
        let files = Command.files(in: a.appendingPathComponent("backprop-example"))
        #expect(files == Command.files(in: b.appendingPathComponent("backprop-example")))
        for file in files {
            let first = try Data(contentsOf: a.appendingPathComponent("backprop-example/\(file)"))
            let second = try Data(contentsOf: b.appendingPathComponent("backprop-example/\(file)"))
            #expect(first == second, "\(file) is byte-identical")
        }
    }

    /// The renderer's own fontconfig configuration, not the machine's: a configuration that sets
    /// every family in DejaVu Sans Mono, unhinted and without antialiasing, changes nothing.
    @Test func theMachinesFontSettingsDoNotChangeAPage() throws {
        let (a, b) = (try Command.scratch(), try Command.scratch())
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        let hostile = b.appendingPathComponent("fonts.conf")
        try """
        <?xml version="1.0"?>
        <fontconfig>
          <dir>/usr/share/fonts</dir>
          <match target="pattern"><edit name="family" mode="prepend" binding="strong"><string>DejaVu Sans Mono</string></edit></match>
          <match target="font"><edit name="antialias" mode="assign"><bool>false</bool></edit></match>
        </fontconfig>
        """.write(to: hostile, atomically: true, encoding: .utf8)
        let arguments = ["run", "backprop-example", "--format", "pdf,png", "--dpi", "40", "--set", "iterations=20"]
        try Command.run(arguments + ["--output", a.path])
        let outcome = try Command.run(arguments + ["--output", b.path], environment: ["FONTCONFIG_FILE": hostile.path])
        #expect(outcome.status == 0, "\(outcome.error)")
        for file in ["backprop-example.pdf", "page-01.png", "page-03.png"] {
            let mine = try Data(contentsOf: a.appendingPathComponent("backprop-example/\(file)"))
            let theirs = try Data(contentsOf: b.appendingPathComponent("backprop-example/\(file)"))
            #expect(mine == theirs, "\(file) is the same under another fontconfig configuration")
        }
    }

    @Test func valuesJSONHasEveryRequiredValue() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Command.run([
            "run", "backprop-example", "--output", folder.path, "--format", "json", "--set", "update=output-first",
        ])
        let data = try Data(contentsOf: folder.appendingPathComponent("backprop-example/values.json"))
        let file = try ValuesFile(data)
        #expect(file.lesson == "backprop-example")
        let required =
            [
                "net_h1", "out_h1", "net_h2", "out_h2", "net_o1", "out_o1", "net_o2", "out_o2", "E_o1", "E_o2",
                "E_total",
                "E_total_after_update", "E_total_after_training",
            ]
            + (1...8).flatMap { ["dE_total/dw\($0)", "w\($0)+"] }
        for label in required {
            guard case .number(let x)? = file.values[label] else {
                Issue.record("values.json lacks \(label)")
                continue
            }
            #expect(x.isFinite)
        }
        #expect(
            Set(file.parameters.keys) == [
                "i1", "i2", "t1", "t2", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8",
                "b1", "b2", "lr", "iterations", "update", "digits",
            ])
        guard case .text("output-first")? = file.parameters["update"] else {
            Issue.record("update not recorded")
            return
        }
        // Full precision: the output-first error after one update (the notes' 0.291027924), to the
        // last bits of a Double, as the network written by hand gives it.
        guard case .number(let E)? = file.values["E_total_after_update"] else { return }
        let reference = Reference()
        #expect(close(E, reference.forward(reference.train(1, outputFirst: true)).E, relative: 1e-15))
        #expect(String(format: "%.9f", E) == "0.291027924")
    }

    @Test func pdfOutlineListsTheSections() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Command.run([
            "run", "backprop-example", "--output", folder.path, "--format", "pdf", "--set", "iterations=10",
        ])
        let json = try run(
            "qpdf",
            [
                "--json", "--json-key=outlines",
                folder.appendingPathComponent("backprop-example/backprop-example.pdf").path,
            ]
        ).output
        for title in [
            "1 The network and its numbers", "2 The forward pass", "3 The error", "4.1 The gradient for w5",
            "7 Training: 10 updates",
        ] {
            #expect(json.contains("\"title\": \"\(title)\""), "outline entry \(title)")
        }
    }
}
