import Foundation
import LessonKit
import ReportModel
import Testing

@testable import Script

/// The grammar, construct by construct: tokens, precedence, statements, blocks.
@Suite struct ScriptParserTests {
    func tokens(_ line: String) throws -> [Token.Kind] { try Lexer.tokens(line, line: 1).map(\.kind) }

    @Test func namesDerivativesNumbersAndCaptionsAreTokens() throws {
        #expect(
            try tokens("w5+ = w5 − η·∂E_total/∂w5  \"The update\"") == [
                .name("w5+"), .symbol("="), .name("w5"), .symbol("-"), .name("η"), .symbol("*"),
                .derivative(of: "E_total", withRespectTo: "w5"), .text("The update"), .end,
            ])
        #expect(
            try tokens("dL/dw1 + w1⁺ + net_{h1}") == [
                .derivative(of: "L", withRespectTo: "w1"), .symbol("+"), .name("w1+"), .symbol("+"), .name("net_{h1}"),
                .end,
            ])
        #expect(
            try tokens("½·x² ≤ 1.5e-3 ≠ 1...3") == [
                .number(0.5), .symbol("*"), .name("x"), .symbol("²"), .symbol("<="), .number(1.5e-3), .symbol("!="),
                .number(1), .symbol("..."), .number(3), .end,
            ])
        // A + touching a name and followed by an operand is addition: a+b is a + b.
        #expect(try tokens("a+b") == [.name("a"), .symbol("+"), .name("b"), .end])
        // A minus with a space after it is a subtraction: a+ − y is a⁺ minus y; a+ -y is a + (−y).
        #expect(
            try tokens("abs(a+ − y)") == [
                .name("abs"), .symbol("("), .name("a+"), .symbol("-"), .name("y"), .symbol(")"), .end,
            ])
        #expect(try tokens("a+ -y") == [.name("a"), .symbol("+"), .symbol("-"), .name("y"), .end])
        #expect(try tokens("x  # a comment") == [.name("x"), .end])
    }

    func parsed(_ text: String) throws -> Expr { try ExpressionParser.parse(Lexer.tokens(text, line: 1)) }

    @Test func precedenceIsTheTextbooks() throws {
        #expect(try parsed("−x^2").written == "−x^{2}", "−x² is −(x²)")
        #expect(try parsed("a − b − c").written == "a − b − c")
        guard case .binary("-", .binary("-", _, _, _), _, _) = try parsed("a − b − c") else {
            Issue.record("left-associative")
            return
        }
        guard case .binary("^", _, .binary("^", _, _, _), _) = try parsed("a^b^c") else {
            Issue.record("right-associative")
            return
        }
        guard case .binary("+", _, .binary("*", _, _, _), _) = try parsed("a + b·c") else {
            Issue.record("· before +")
            return
        }
        // a ≤ b ≤ c is two comparisons joined by and.
        guard
            case .binary("and", .binary("<=", _, _, _), .binary("<=", _, _, _), _) = try parsed("0.2 <= abs(z) <= 2.9")
        else {
            Issue.record("chained comparison")
            return
        }
        guard case .call("abs", _, _) = try parsed("|z|") else {
            Issue.record("|z| is abs(z)")
            return
        }
        guard case .call("sqrt", _, _) = try parsed("√x") else {
            Issue.record("√x is sqrt(x)")
            return
        }
        guard case .call("σ", _, _) = try parsed("sigmoid(x)") else {
            Issue.record("sigmoid is σ")
            return
        }
        guard case .sum("k", _, _, _, _) = try parsed("Σ(k = 1...3, w{k}·x{k})") else {
            Issue.record("Σ over an index")
            return
        }
        guard case .sum = try parsed("sum(k in 1...3: x{k})") else {
            Issue.record("sum over an index")
            return
        }
        guard case .call("sum", _, _) = try parsed("sum(v)") else {
            Issue.record("sum of a vector")
            return
        }
        guard case .array(let rows, true, _) = try parsed("[[0.15, 0.20], [0.25, 0.30]]"), rows.count == 2 else {
            Issue.record("a matrix")
            return
        }
        guard case .choose = try parsed("L⁺ < L ? \"lowers\" : \"raises\"") else {
            Issue.record("a choice of words")
            return
        }
    }

    @Test func everyStatementKindParses() throws {
        func kind(_ line: String) throws -> Statement.Kind? { try StatementParser.parse(line, line: 1)?.kind }
        guard case .assignment("z", _, true)? = try kind("z = w·x + b  \"The sum\"") else {
            Issue.record("a step")
            return
        }
        guard case .assignment("h", _, false)? = try kind("let h = 2·x") else {
            Issue.record("a hidden line")
            return
        }
        guard case .derivative("L", "w1", .direct)? = try kind("∂L/∂w1") else {
            Issue.record("a derivative")
            return
        }
        guard
            case .derivative("L", "z", .chain(["L", "a", "z"], simplified: true))? = try kind(
                "∂L/∂z = ∂L/∂a · ∂a/∂z simplified")
        else {
            Issue.record("a simplified chain")
            return
        }
        guard case .derivative("E", "w", .sum(["E1", "E2"]))? = try kind("∂E/∂w = ∂E1/∂w + ∂E2/∂w") else {
            Issue.record("a sum of parts")
            return
        }
        guard case .graph("L", true, ["L", "a"])? = try kind("graph L backward highlight L, a") else {
            Issue.record("a graph")
            return
        }
        guard case .plot(_, "x", _, _)? = try kind("plot σ(x) for x in -6...6") else {
            Issue.record("a plot")
            return
        }
        guard case .table(["a", "b"])? = try kind("table a, b") else {
            Issue.record("a table")
            return
        }
        guard case .parameterTable? = try kind("parameters \"The numbers\"") else {
            Issue.record("the parameter table")
            return
        }
        guard
            case .train([Training(parameters: ["w1", "w2"], loss: "L")], _, _)? = try kind(
                "train w1, w2 on L for 100 steps rate alpha")
        else {
            Issue.record("training")
            return
        }
        guard
            case .train(
                [Training(parameters: ["w", "c"], loss: "L_D"), Training(parameters: ["a"], loss: "L_G")], _, _)? =
                try kind("train w, c on L_D then a on L_G for 10 steps rate 0.1")
        else {
            Issue.record("a game")
            return
        }
        guard
            case .plot(let curves, "d", _, _)? = try kind(
                "plot log(1 − d) \"saturating\", −log(d) for d in 0.01...0.99 \"Two losses\"")
        else {
            Issue.record("two curves")
            return
        }
        #expect(curves.map(\.name) == ["saturating", nil])
        let marked = try #require(try StatementParser.parse("∂L/∂w1 \"Worth two\" marks 2", line: 1))
        #expect(marked.marks == 2 && marked.caption == "Worth two")
        #expect(try StatementParser.parse("yhat = z as ŷ", line: 1)?.symbol == Symbol(written: "ŷ", isName: true))
        #expect(
            try StatementParser.parse("E2 = z as \"E_{2}^{+}\"", line: 1)?.symbol
                == Symbol(written: "E_{2}^{+}", isName: false))
        #expect(try StatementParser.parse("   # only a comment", line: 1) == nil)
    }

    @Test func blocksSectionsNotesAndFrontMatter() throws {
        let text = """
            ---
            name: unit
            title: One line for the list
            digits: 4
            ---
            # The title

            The subtitle.

            ```parameters
            x = 0.5 in -1...1 "x" as ξ
            n = 3 integer 1...9 "n"
            mode = fast one of fast, slow-and-steady "mode"
            v = [1, 2] length 2...4 in -5...5 "v"
            ```

            ```variants
            x in -1...1 step 0.5
            sound when x != 0
            ```

            ## Work {exercise}

            A value: {x}.

            ```compute
            y = 2·ξ
            ```

            > **Erratum: A slip in the notes**
            > The notes write 3.
            """
        let script = try ScriptParser.parse(text, file: "unit.lesson.md")
        #expect(script.name == "unit" && script.title == "One line for the list" && script.heading == "The title")
        #expect(script.subtitle == "The subtitle." && script.digits == 4)
        #expect(script.parameters.map(\.parameter.name) == ["x", "n", "mode", "v"])
        #expect(script.parameters[0].symbol?.written == "ξ")
        #expect(script.parameters[2].parameter.allowed == "fast | slow-and-steady")
        #expect(script.variations.map(\.name) == ["x"] && script.soundness != nil)
        guard case .section(_, true, let cells, _) = script.cells.first, cells.count == 3 else {
            Issue.record("one exercise section of three cells")
            return
        }
        guard case .note("A slip in the notes", true, _, _) = cells[2] else {
            Issue.record("an erratum")
            return
        }
        let result = try Lesson(script: script).run(settings: ["x=0.25"])
        #expect(result.values.number("y") == 0.5)
        #expect(paragraphs(result).contains("A value: 0.25."))
    }

    @Test func scriptNamesComeFromTheFile() {
        #expect(ScriptParser.defaultName(ofFile: "course/week-3/unit.lesson.md") == "unit")
        #expect(ScriptParser.defaultName(ofFile: "notes.md") == "notes")
    }
}
