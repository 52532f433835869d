import Engine
import Foundation
import LessonKit
import ReportModel
import Synchronization

extension Lesson {
    /// A lesson from a script: the same `Lesson` the catalogue holds, so run, graph, handout,
    /// exercises, variants and check work on it unchanged.
    ///
    ///     let lesson = try Lesson(script: ScriptParser.parse(text, file: "unit.lesson.md"))
    ///     try lesson.run(settings: ["w1=0.3"]).values.number("z")
    ///
    /// A run's mistakes (a sum that runs backwards, a derivative of a constant) depend on the
    /// numbers, so the script is run when its parameters are checked: the mistake is refused
    /// there with its line, and the run itself is the one already made.
    ///
    /// `verifying: false` skips running the defaults and the regimes at load, for scripts whose
    /// tests run them (the shipped ones: every command would otherwise run all of them first);
    /// a run still checks its own settings.
    public init(script: Script, verifying: Bool = true) throws(ScriptError) {
        let runs = ScriptRuns(script)
        // The defaults must run: most mistakes show there, before anything is written.
        if verifying, case .failure(let error) = runs.run(Parameters.defaults(of: script.parameters.map(\.parameter))) {
            throw error
        }
        var marks: [String: Double] = [:]
        script.cells.forEachStatement { tape, statement in
            guard let m = statement.marks else { return }
            let prefix = tape.isEmpty ? "" : tape + "."
            switch statement.kind {
            case .assignment(let label, _, _): marks[prefix + label] = m
            case .derivative(let y, let x, _): marks[prefix + "d\(y)/d\(x)"] = m
            default: break
            }
        }
        let soundness = script.soundness
        var lesson = Lesson(
            name: script.name, title: script.title, parameters: script.parameters.map(\.parameter),
            check: { p in
                if case .failure(let error) = runs.run(p) { return error.summary }
                return nil
            },
            build: { p in runs.result(p) })
        if !script.variations.isEmpty {
            lesson = lesson.varying(
                script.variations,
                soundWhen: { p in
                    guard let soundness else { return true }
                    return runs.isSound(p, soundness)
                })
        }
        // Checking the settings runs the script with them: a regime that meets a mistake is refused too.
        for regime in script.regimes where verifying {
            do { _ = try lesson.parameters(settings: regime.settings) } catch {
                var refusal = ScriptError("this regime's settings are refused: \(error)", at: regime.location).in(
                    script.file)
                refusal.lineText =
                    script.lines.indices.contains(regime.location.line - 1)
                    ? script.lines[regime.location.line - 1] : ""
                throw refusal
            }
        }
        lesson = lesson.regimes(script.regimes.map { Regime($0.settings, $0.meaning) })
        lesson = lesson.weighting(marks)
        self = lesson.locating { p in runs.nonFinite(p).map { "\(script.file):\($0.line):\($0.column)" } }
    }

    /// Reads and parses a script file: errors carry its path, line and column.
    public static func script(at path: String) throws(ScriptError) -> Lesson {
        let url = URL(fileURLWithPath: path)
        guard let data = try? Data(contentsOf: url) else {
            throw ScriptError(
                FileManager.default.fileExists(atPath: path) ? "cannot read this file" : "no such file",
                at: SourceLocation(line: 1, column: 1)
            )
            .in(path)
        }
        guard data.count <= 1_000_000 else {
            throw ScriptError("a script is at most 1 MB; this is \(data.count) bytes", at: .init(line: 1, column: 1))
                .in(path)
        }
        guard let text = String(data: data, encoding: .utf8), !text.contains("\0") else {
            throw ScriptError("this is not UTF-8 text", at: SourceLocation(line: 1, column: 1)).in(path)
        }
        let script = try ScriptParser.parse(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, file: path)
        return try Lesson(script: script)
    }
}

extension ScriptError {
    func `in`(_ file: String) -> ScriptError {
        var copy = self
        copy.file = file
        return copy
    }
}

/// The runs of one script, remembered by their parameters: the check before a run and the
/// run itself are one run. Variants and handouts run many parameter sets; the memory holds
/// the last few.
final class ScriptRuns: Sendable {
    private typealias Outcome = Result<(LessonResult, SourceLocation?), ScriptError>
    private let script: Script
    private let kept = Mutex<[(key: String, outcome: Outcome)]>([])

    init(_ script: Script) { self.script = script }

    private func key(_ p: Parameters) -> String { p.all.map { "\($0.name)=\($0.value)" }.joined(separator: "\u{1}") }

    func outcome(_ p: Parameters) -> Result<(LessonResult, SourceLocation?), ScriptError> {
        let key = key(p)
        if let found = kept.withLock({ $0.first(where: { $0.key == key }) }) { return found.outcome }
        let outcome: Outcome
        do {
            let (result, place) = try ScriptRun(script, p).result()
            outcome = .success((result, place))
        } catch {
            var error = error
            error.file = script.file
            if error.lineText.isEmpty, error.location.line >= 1, error.location.line <= script.lines.count {
                error.lineText = script.lines[error.location.line - 1]
            }
            outcome = .failure(error)
        }
        kept.withLock { kept in
            kept.append((key, outcome))
            if kept.count > 4 { kept.removeFirst() }
        }
        return outcome
    }

    func run(_ p: Parameters) -> Result<Void, ScriptError> { outcome(p).map { _ in () } }

    func result(_ p: Parameters) -> LessonResult {
        switch outcome(p) {
        case .success(let (result, _)): return result
        case .failure(let error):
            // Only reached when a caller skipped the parameter check: the page says what is wrong.
            let report = Report(title: RichText(script.heading), lesson: script.name) {
                Section("This script did not run") { Paragraph(.plain(error.description)) }
            }
            return LessonResult(lesson: script.name, parameters: p, report: report, values: ExportedValues())
        }
    }

    func nonFinite(_ p: Parameters) -> SourceLocation? {
        if case .success(let (_, place)) = outcome(p) { return place }
        return nil
    }

    func isSound(_ p: Parameters, _ condition: Expr) -> Bool {
        do {
            let run = ScriptRun(script, p)
            _ = try run.result()
            return try run.condition(condition, in: run.main)
        } catch { return false }
    }
}
