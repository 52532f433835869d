import Foundation
import TestSupport
import Testing

/// Reads every `$$…$$` equation of a notebook's Markdown cells with latex2mathml, which raises
/// where MathJax and KaTeX refuse (a double superscript, an unclosed brace, \sqrt with no argument).
private let parser = #"""
    import json, re, sys
    from latex2mathml.converter import convert
    count, bad = 0, []
    for cell in json.load(open(sys.argv[1]))["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for equation in re.findall(r"\$\$(.*?)\$\$", "".join(cell["source"]), re.S):
            count += 1
            try:
                convert(equation)
            except Exception as error:
                bad.append(type(error).__name__ + ": " + " ".join(equation.split())[:200])
    print(count)
    for line in bad:
        print(line)
    """#

@Suite("The notebook's LaTeX: written from the formula trees, every equation parses")
struct NotebookMathTests {
    @Test func everyEquationOfEveryLessonsNotebookParses() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run([
            "handout", "--all", "--format", "ipynb", "--output", folder.appendingPathComponent("week.pdf").path,
        ])
        #expect(outcome.status == 0, "\(outcome.error)")
        let python = try Command.python()
        let checked = try run(python, ["-c", parser, folder.appendingPathComponent("week.ipynb").path])
        #expect(checked.status == 0, "\(checked.error)")
        let lines = checked.output.split(separator: "\n").map(String.init)
        let count = try #require(lines.first.flatMap { Int($0) })
        #expect(count > 250, "only \(count) equations in a notebook of every lesson")
        #expect(lines.count == 1, "equations latex2mathml refuses:\n\(lines.dropFirst().joined(separator: "\n"))")
        // Stacked, not slashed: the chain rule's factors are \frac{\partial …}{\partial …}.
        let notebook = try String(contentsOf: folder.appendingPathComponent("week.ipynb"), encoding: .utf8)
        #expect(notebook.contains(#"\\frac{\\partial {E}_{\\mathrm{total}}}{\\partial {w}_{5}}"#))
    }
}
