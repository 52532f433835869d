import Foundation
import TestSupport
import Testing

/// One meaning per exit status across every command (README, "When things go wrong"): 0 done,
/// 1 a wrong answer, 64 bad usage or input, 65 a NaN or overflow stop; every error one line.
@Suite struct ExitStatusTests {
    static let cases: [(arguments: [String], status: Int32, says: String)] = [
        (["--help"], 0, ""),
        (["run", "no-such-lesson"], 64, "no lesson named 'no-such-lesson'"),
        (["params", "no-such-lesson"], 64, "no lesson named"),
        (["run", "backprop-example", "--set", "lr=99"], 64, "outside the allowed range"),
        (["run", "backprop-example", "--set", "w9=1"], 64, "unknown parameter 'w9'"),
        (
            ["run", "backprop-example", "--format", "xyz"], 64,
            "The value 'xyz' is invalid for '--format <formats>': unknown format 'xyz'; choose from pdf,"
        ),
        (["run", "backprop-example", "--dpi", "100000"], 64, "--dpi"),
        (["run", "backprop-example", "--bogus"], 64, "Unknown option '--bogus'"),
        (["graph", "backprop-example", "--node", "nope"], 64, "nope"),
        (["handout", "no-such-lesson"], 64, "no lesson named"),
        (
            ["graph", "gradient-descent", "--view", "backward", "--set", "m=200"], 64,
            "nodes, more than a page can show (300); draw a node nearer the inputs with --node"
        ),
        (["check", "backprop-example", "/no/such/answers.txt"], 64, "cannot read /no/such/answers.txt: no such file"),
        (["run", "backprop-example", "--set", "lr=0x1p-2"], 64, "lr=0x1p-2 is not a number"),
        (["run", "backprop-example", "--set", "lr=0.3\nx"], 64, "lr=0.3\\nx is not a number"),
        (
            ["run", "backprop-example", "--exercise", "--variant", "4294967296"], 64,
            "--variant 4294967296: a variant is a whole number from 0 to 999999"
        ),
        (
            ["run", "softmax", "--exercise", "--variant", "1"], 64,
            "softmax has no exercise variants (lessons with variants: see README, Exercise sheets)"
        ),
        (["handout", "backprop-example", "--variants=-1-3"], 64, "--variants -1-3: expected FIRST-LAST"),
        (
            ["handout", "backprop-example", "--format", "pdf,moodle", "-o", "/nonexistent/h.pdf"], 64,
            "--format pdf,moodle: moodle is a quiz of its own; give --format moodle alone"
        ),
        (
            ["check", "backprop-example", "-", "--format", "xml"], 64,
            "The value 'xml' is invalid for '--format <format>'. Please provide one of 'text', 'json' or 'csv'"
        ),
        // σ(z) at z = 310 with label 0 is a lesson; 0/0 at ε = 0 over an all-equal batch is not.
        (["run", "batch-norm", "--set", "z=5,5,5,5", "--set", "eps=0"], 65, "Nothing was written"),
    ]

    @Test(arguments: cases.indices)
    func everyErrorClassHasItsStatus(index: Int) throws {
        let (arguments, status, says) = Self.cases[index]
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try Command.run(
            arguments
                + (arguments.first.map { ["run", "graph"].contains($0) } == true
                    ? ["--output", folder.appendingPathComponent("out").path]
                    : arguments.first == "handout"
                        ? ["--output", folder.appendingPathComponent("out/week.pdf").path] : []))
        #expect(outcome.status == status, "\(arguments): \(outcome.status) \(outcome.error)")
        if status != 0 {
            #expect(outcome.error.contains(says), "\(arguments): \(outcome.error)")
            // The help and usage lines ArgumentParser adds are for its own parse errors, which a
            // case declares by its words (an unknown option, a value a typed option refuses); ours
            // are one line.
            if !says.hasPrefix("Unknown option") && !says.hasPrefix("The value '") {
                #expect(outcome.error.split(separator: "\n").count == 1, "\(arguments): \(outcome.error)")
            }
            #expect(!outcome.error.contains("NSCocoaErrorDomain") && !outcome.error.contains("could not be completed"))
            #expect(Command.files(in: folder).isEmpty, "\(arguments) wrote files")
        }
    }
}
