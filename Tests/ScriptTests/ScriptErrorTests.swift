import Foundation
import LessonKit
import ReportModel
import Testing

@testable import Script

/// Broken scripts, each refused at the place of its mistake with what a teacher can act on.
/// Scripts built by `script(…)` with two parameters start their compute lines at line 11.
@Suite struct ScriptErrorTests {
    /// (script, the refusal's first line), one row per kind of mistake.
    static let corpus: [(String, String)] = [
        (script(compute: ["z = w * * x"]), "test.lesson.md:11:9: error: expected a number, a name or '(', found '*'"),
        (script(compute: ["z = w4 * x"]), "test.lesson.md:11:5: error: unknown name 'w4'"),
        (
            script(compute: ["a = σ(z)", "z = w * x"]),
            "test.lesson.md:11:7: error: 'z' is used before it is set (on line 12)"
        ),
        (script(compute: ["z = z + w"]), "test.lesson.md:11:5: error: z is used in its own formula"),
        (script(compute: ["z = w * x", "z = w + x"]), "test.lesson.md:12:1: error: z is already set on line 11"),
        (script(compute: ["z = w * x", "∂z/∂q"]), "test.lesson.md:12:1: error: unknown name 'q'"),
        (
            script(
                parameters: ["x = 0.5 in -10...10 \"x\"", "w = 2 in -10...10 \"w\"", "q = 1 in 0...2 \"q\""],
                compute: ["z = w * x", "∂z/∂q"]),
            "test.lesson.md:13:1: error: z does not depend on q: ∂z/∂q is 0 along every route"
        ),
        (
            script(parameters: ["x = 20 in -10...10 \"x\""], compute: ["z = x"]),
            "test.lesson.md:4:1: error: the default 20 of x is outside -10...10"
        ),
        (script(compute: ["z = sigmoidd(x)"]), "test.lesson.md:11:5: error: unknown function 'sigmoidd'"),
        // A game's groups: each parameter belongs to one loss, and the losses differ.
        (
            script(compute: ["L = (w·x − 1)²", "M = (w·x + 1)²", "train w on L then w on M for 10 steps rate 0.1"]),
            "test.lesson.md:13:1: error: train steps w twice; each parameter belongs to one loss"
        ),
        (
            script(compute: ["L = (w·x − 1)² + x²", "train w on L then x on L for 10 steps rate 0.1"]),
            "test.lesson.md:12:1: error: a game's losses are different names"
        ),
        (
            script(compute: ["plot σ(t), log(t) for t in -2...-1"]),
            "test.lesson.md:11:1: error: the curve log(t) has no finite point on -2.0...-1.0"
        ),
        (script(compute: ["z = exp(x, w)"]), "test.lesson.md:11:5: error: exp takes 1 argument, not 2"),
        (
            script(compute: ["z = (w * x"]),
            "test.lesson.md:11:11: error: expected ')' to close the '(' at column 5, found the end of the line"
        ),
        (script(compute: ["z = w * x \"unclosed"]), "test.lesson.md:11:11: error: this caption has no closing quote"),
        (
            script(compute: ["a = σ(w * x)", "L = a * a + a", "∂L/∂x = ∂L/∂a · ∂a/∂w"]),
            "test.lesson.md:13:9: error: a chain for ∂L/∂x starts with ∂L/∂… and ends with ∂…/∂x"
        ),
        (
            script(compute: ["z = w * x", "∂z/∂w", "u = w · ∂z/∂x"]),
            "test.lesson.md:13:9: error: ∂z/∂x is used before it is worked out"
        ),
        (script(compute: ["grph z"]), "test.lesson.md:11:6: error: expected '=' after grph, found 'z'"),
        (script(compute: ["z = w @ x"]), "test.lesson.md:11:7: error: @ is the matrix product, for matrices"),
        (
            script(compute: ["v = [1, 2] + [1, 2, 3]"]),
            "test.lesson.md:11:12: error: shapes 1×2 and 1×3 do not fit for +"
        ),
        (
            script(compute: ["s = sum(k = 3...1, x)"]),
            "test.lesson.md:11:5: error: this sum runs from 3 down to 1: it has no terms"
        ),
        ("# T\n\n```compute\nz = 1\n", "test.lesson.md:3:1: error: this ``` block is never closed"),
        ("# T\n\n```python\nz = 1\n```\n", "test.lesson.md:3:4: error: unknown block 'python'"),
        ("## Only a section\n", "test.lesson.md:1:1: error: the script has no title"),
        ("---\ntitel: x\n---\n# T\n", "test.lesson.md:2:1: error: unknown front matter key 'titel'"),
        ("# T\n\n## S\n\nThe value is {q}.\n", "test.lesson.md:5:15: error: unknown name 'q'"),
        ("# T\n\n## S\n\nThe value is {q.\n", "test.lesson.md:5:14: error: this { has no closing }"),
        (
            script(compute: ["z = w * x"]) + "\n\n```variants\nwx in -1...1 step 0.5\n```\n",
            "test.lesson.md:15:1: error: 'wx' is not a parameter"
        ),
        (
            script(parameters: ["x = 0.5 in -10...10 \"x\"", "x = 1 in 0...1 \"again\""], compute: ["z = x"]),
            "test.lesson.md:5:1: error: parameter 'x' is declared twice"
        ),
        (
            script(
                parameters: ["k = 3 integer 1...5 \"k\"", "require k < 3 \"k must be below 3\""], compute: ["z = k"]),
            "test.lesson.md:5:1: error: k must be below 3"
        ),
        (
            script(parameters: ["digits = 6 integer 0...30 \"digits\""], compute: ["z = 1"]),
            """
            test.lesson.md:4:1: error: digits sets the significant digits printed: \
            an integer within 1...17, as in digits = 6 integer 3...15 \"…\"
            """
        ),
        (
            script(compute: ["v = transpose(sum([1, 2]))"]),
            "test.lesson.md:11:5: error: transpose takes a vector or matrix, and this is one number"
        ),
        (
            script(compute: ["v = softmax(sum([1, 2]))"]),
            "test.lesson.md:11:5: error: softmax takes a vector or matrix, and this is one number"
        ),
    ]

    @Test(arguments: 0..<corpus.count)
    func eachMistakeIsPlacedAndSaid(_ row: Int) {
        let (text, expected) = Self.corpus[row]
        #expect(refusal(text) == expected)
    }

    @Test func theRefusalShowsTheLineACaretAndAHint() throws {
        let error = try #require(throws: ScriptError.self) { try lesson(script(compute: ["z = w4 * x"])) }
        #expect(
            error.description == """
                test.lesson.md:11:5: error: unknown name 'w4'
                    z = w4 * x
                        ^
                    hint: did you mean w?
                """)
    }

    @Test func aSetValueOutsideItsRangeIsRefusedBeforeTheScriptRuns() throws {
        let unit = try lesson(script(compute: ["z = w * x"]))
        #expect(throws: ParameterError.outOfRange(unit.parameters[0], "20")) { try unit.run(settings: ["x=20"]) }
    }

    @Test func aMistakeThatDependsOnTheNumbersIsRefusedForThoseNumbers() throws {
        // k = 0 makes the sum run backwards: fine at the default, refused when set.
        let text = script(parameters: ["k = 2 integer 0...5 \"terms\""], compute: ["s = sum(i = 1...k, i)"])
        let counted = try lesson(text)
        #expect(try counted.run(settings: ["k=3"]).values.number("s") == 6)
        // One line, as every refused setting is (the terminal and serve's page show it whole).
        #expect(throws: ParameterError.rule("test.lesson.md:10:5: this sum runs from 1 down to 0: it has no terms")) {
            try counted.run(settings: ["k=0"])
        }
    }

    @Test func aRequirementASettingBreaksIsSaidOnOneLine() throws {
        let bounded = try lesson(
            script(
                parameters: ["k = 2 integer 1...5 \"k\"", "require k < 3 \"k must be below 3\""], compute: ["z = 2 * k"]
            ))
        let error = try #require(throws: ParameterError.self) { try bounded.run(settings: ["k=4"]) }
        #expect(error.description == "test.lesson.md:5:1: k must be below 3")
    }

    @Test func aChainThatMissesARouteIsRefusedNotCrashed() {
        // x reaches L through a and directly: the product of the chain's factors is not ∂L/∂x.
        #expect(
            refusal(script(compute: ["a = w * x", "L = a * x", "∂L/∂x = ∂L/∂a · ∂a/∂x"]))?
                .hasPrefix(
                    """
                    test.lesson.md:13:1: error: this chain misses a route \
                    from L to x: its factors give 1, the derivative is 2
                    """
                ) == true)
    }

    @Test func didYouMeanNamesTheClosest() {
        #expect(nearestNames(to: "alpah", among: ["alpha", "b", "y"]) == ["alpha"])
        #expect(nearestNames(to: "w4", among: ["w1", "w2", "w3", "x"]) == ["w1", "w2", "w3"])
        #expect(nearestNames(to: "zzzzzz", among: ["w1"]).isEmpty)
    }
}
