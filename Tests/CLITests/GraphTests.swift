import Foundation
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// True when `data` is well-formed XML.
func parsesAsXML(_ data: Data) -> Bool { XMLParser(data: data).parse() }

@Suite("lessons graph and figure files, end to end")
struct GraphTests {
    @Test func drawsTheMainOutputAsPDFPNGAndSVG() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run(["graph", "backprop-example", "--view", "backward", "--output", folder.path])
        #expect(outcome.status == 0, "\(outcome.error)")
        let lesson = folder.appendingPathComponent("backprop-example")
        let stem = "graph-E_total-backward"
        #expect(Command.files(in: lesson) == ["\(stem).pdf", "\(stem).png", "\(stem).svg"])
        #expect(outcome.output == ["pdf", "png", "svg"].map { "\(lesson.path)/\(stem).\($0)\n" }.joined())

        let pdf = lesson.appendingPathComponent("\(stem).pdf").path
        let info = try run("pdfinfo", [pdf]).output
        #expect(info.contains(try Regex("Pages: +1\n")), "one page")
        #expect(!info.contains("(A4)"), "sized to the graph, not to a sheet of paper")
        let text = try run("pdftotext", [pdf, "-"]).output
        // Every node: the names of the 2-2-2 network (pdftotext spaces a subscript off) and the
        // numbers of Mazur's example to 4 digits, values and gradients.
        for word in [
            "w5", "net o1", "out o1", "E total", "0.2984", "0.7514", "0.08217", "−0.7414", "×", "σ", "x²", "× 0.5 E o1",
        ] {
            #expect(text.contains(word), "\(word) in the graph")
        }
        #expect(try inkCoverage(Data(contentsOf: lesson.appendingPathComponent("\(stem).png"))) > 0.02)
        #expect(parsesAsXML(try Data(contentsOf: lesson.appendingPathComponent("\(stem).svg"))))
    }

    @Test func anyLabeledNodeOfAnyRecording() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run([
            "graph", "logistic-regression", "--node", "linear.L", "--format", "pdf",
            "--set", "w1=0.9", "--output", folder.path,
        ])
        #expect(outcome.status == 0, "\(outcome.error)")
        let text = try run(
            "pdftotext", [folder.appendingPathComponent("logistic-regression/graph-linear.L-forward.pdf").path, "-"]
        ).output
        // ŷ = 0.9 × 0.5 + (−0.2) × 1.5 + 0.3 × (−1) + 0.1 = −0.05, L = ½(−0.05 − 1)² = 0.55125
        #expect(text.contains("ŷ") && text.contains("−0.05") && text.contains("0.5513"))
    }

    /// micrograd's draw_dot for every lesson: each records a graph, scalar or tensor.
    @Test func everyLessonDrawsItsGraph() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = try Command.run(["list"]).output.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        #expect(names.count >= 8)
        for name in names {
            // A short run where the lesson trains, 4 digits where it prints decimals, else its defaults.
            let declared = try Command.run(["params", name]).output
            let settings =
                name.hasPrefix("backprop")
                ? ["--set", "iterations=1"] : declared.contains("\ndigits ") ? ["--set", "digits=4"] : []
            let outcome = try Command.run(["graph", name, "--format", "pdf"] + settings + ["--output", folder.path])
            #expect(outcome.status == 0, "\(name): \(outcome.error)")
            #expect(outcome.output.hasSuffix("-forward.pdf\n"), "\(name): \(outcome.output)")
        }
    }

    @Test func anUnknownLabelListsTheLabelsClosestFirst() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run(["graph", "backprop-example", "--node", "E_totl", "--output", folder.path])
        #expect(outcome.status != 0)
        #expect(outcome.error.hasPrefix("Error: backprop-example has no node labeled 'E_totl'; its "))
        #expect(outcome.error.contains("labels, closest first: E_total, "))
        #expect(outcome.error.contains("dE_total/dw5") && outcome.error.split(separator: "\n").count == 1)
        #expect(Command.files(in: folder).isEmpty, "nothing written")
        let format = try Command.run(["graph", "backprop-example", "--format", "json", "--output", folder.path])
        #expect(
            format.status != 0
                && format.error.contains(
                    "'json' is invalid for '--format <formats>': unknown format 'json'; choose from pdf, png, svg,")
        )
    }

    @Test func everyFigureOfARunIsAFileOfItsOwn() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run([
            "run", "logistic-regression", "--format", "png,svg", "--dpi", "72", "--output", folder.path,
        ])
        #expect(outcome.status == 0, "\(outcome.error)")
        let figures = folder.appendingPathComponent("logistic-regression/figures")
        let files = Command.files(in: figures)
        #expect(
            files
                == [
                    "01-logistic-regression-as-a-computation-graph", "02-the-backward-pass-each-box-holds",
                    "03-the-squared-error-z-y-and", "04-linear-regression-as-a-computation-graph",
                ].flatMap { ["\($0).png", "\($0).svg"] })
        for file in files {
            let data = try Data(contentsOf: figures.appendingPathComponent(file))
            if file.hasSuffix(".png") {
                #expect(try inkCoverage(data) > 0.02, "\(file) has ink")
            } else {
                #expect(parsesAsXML(data), "\(file) is XML")
            }
        }
        // A later run without svg keeps the figures it writes and drops none of them.
        try Command.run(["run", "logistic-regression", "--format", "png", "--dpi", "72", "--output", folder.path])
        #expect(Command.files(in: figures).filter { $0.hasSuffix(".png") }.count == 4)
    }
}

@Suite("logistic-regression, end to end")
struct LogisticRegressionRunTests {
    @Test func theHandoutHoldsTheStepsAndTheGraphs() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run([
            "run", "logistic-regression", "--format", "pdf,json", "--set", "y=0", "--output", folder.path,
        ])
        #expect(outcome.status == 0, "\(outcome.error)")
        let text = try run(
            "pdftotext", [folder.appendingPathComponent("logistic-regression/logistic-regression.pdf").path, "-"]
        ).output
        // z = 0.4 × 0.5 + (−0.2) × 1.5 + 0.3 × (−1) + 0.1 = −0.3; a = σ(−0.3); with y = 0, ∂L/∂z = a − 0.
        let a = 1 / (1 + exp(0.3))
        for expected in [
            "0.4 × 0.5 + (−0.2) × 1.5 + 0.3 × (−1) + 0.1", String(format: "%.6f", a), "a − y",
            String(format: "%.6f − 0", a), "Figure 3.",
        ] {
            #expect(text.contains(expected), "\(expected) in the PDF")
        }
        let values = try ValuesFile(Data(contentsOf: folder.appendingPathComponent("logistic-regression/values.json")))
        let required = [
            "z", "a", "L", "dL/da", "da/dz", "dL/dz", "dL/dw1", "dL/dw2", "dL/dw3", "dL/db", "w1+", "w2+", "w3+", "b+",
            "L_after", "linear.yhat", "linear.L", "linear.dL/dw1", "linear.dL/dw2", "linear.dL/dw3", "linear.dL/db",
        ]
        for label in required {
            guard case .number(let x)? = values.values[label] else {
                Issue.record("values.json lacks \(label)")
                continue
            }
            #expect(x.isFinite)
        }
        guard case .number(let dLdz)? = values.values["dL/dz"] else { return }
        #expect(dLdz == a, "full precision: a − 0")
    }

    @Test(arguments: ["y=0.5", "y=2", "y=-1"])
    func aLabelOtherThanZeroOrOneIsRefused(setting: String) throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run(["run", "logistic-regression", "--set", setting, "--output", folder.path])
        #expect(outcome.status != 0)
        #expect(outcome.error.contains("y (true label: 1 (in the class) or 0 (not))"), "\(outcome.error)")
        #expect(outcome.error.split(separator: "\n").count == 1)
        #expect(Command.files(in: folder).isEmpty)
    }
}
