import ArgumentParser
import Foundation
import LessonKit
import Lessons
import Render
import ReportModel

/// `lessons`: turns the course's worked examples into step-by-step handouts.
///
///     lessons list
///     lessons run backprop-example --set lr=0.1
public struct LessonsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "lessons",
        abstract: "Turn the worked examples of the deep-learning course into step-by-step handouts.",
        discussion: """
            Every number in a handout is computed by a recording autodiff engine: change a parameter \
            with --set and every formula, table and figure follows.

            Exit status: 0 done; 1 check found a wrong answer; 64 bad usage or input (an unknown \
            lesson or option, a bad --set, an unreadable file); 65 a run stopped by a NaN or an \
            overflow; 74 a file that could not be written; 130 and 143 interrupted.
            """,
        subcommands: [
            List.self, Params.self, Run.self, Graph.self, HandoutCommand.self, Check.self, New.self, Serve.self,
        ])

    public init() {}

    /// Parses the command line and runs it, removing its temporaries on SIGINT or SIGTERM.
    /// One meaning per exit status: 0 done, 1 `check` found a wrong answer, 64 bad usage or
    /// input (an unknown lesson, a bad --set, an unreadable file), 65 a run stopped by a NaN or
    /// an overflow, 74 a file that could not be written, 130 and 143 interrupted.
    ///
    /// A course's own package adds its lessons beside the built-in ones, by name in every
    /// command, without a fork: `LessonsCommand.start(adding: [.myLesson])` in its main.swift.
    public static func start(adding lessons: [Lesson] = []) {
        LessonName.added = lessons
        Interrupts.install()
        var command: ParsableCommand
        do { command = try parseAsRoot() } catch {
            // Help and version are exit 0; every other parse or validation failure is usage: 64.
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            FileHandle.standardError.write(Data((LessonName.spelledAsGiven(fullMessage(for: error)) + "\n").utf8))
            Foundation.exit(ExitStatus.usage)
        }
        do {
            try command.run()
            warnOfMissingCharacters()
        } catch let error as ExitCode {
            exit(withError: error)
        } catch let error as CommandError {
            FileHandle.standardError.write(Data("Error: \(LessonName.spelledAsGiven(error.description))\n".utf8))
            Foundation.exit(error.status)
        } catch {
            // A command with subcommands asks for its help by throwing: that is a success.
            if exitCode(for: error) == .success { exit(withError: error) }
            FileHandle.standardError.write(Data("Error: \(reason(error))\n".utf8))
            Foundation.exit(ExitStatus.cannotWrite)
        }
    }
}

/// One line for the characters a run's text held that no bundled font has: on the page each is
/// a box with its code, which the user would otherwise find only by reading every page.
private func warnOfMissingCharacters() {
    let missing = Fonts.missingCharacters
    guard !missing.isEmpty else { return }
    let named = missing.prefix(10).map {
        "\(Character($0)) (U+\(String($0.value, radix: 16, uppercase: true).leftPadded(to: 4)))"
    }
    let more = missing.count > 10 ? " and \(missing.count - 10) more" : ""
    FileHandle.standardError.write(
        Data(
            ("warning: no bundled font has \(named.joined(separator: ", "))\(more); "
                + "\(missing.count == 1 ? "it is" : "each is") drawn as a box with its code\n").utf8))
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}

/// `lessons list`: each lesson's name and title.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the lessons, one per line: name and title.")

    @OptionGroup var library: LessonLibrary

    func run() throws {
        try library.use()
        let lessons = LessonName.all
        let width = lessons.map(\.name.count).max() ?? 0
        for lesson in lessons {
            print(lesson.name.padded(to: width + 2) + lesson.title)
        }
        LessonName.warnOfBrokenScripts()
    }
}

/// `lessons params NAME`: what can be set with `--set`.
struct Params: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a lesson's parameters (name, default, allowed values, meaning) and its regimes.")

    @Argument(help: "The lesson, as `lessons list` names it, or a script's path (unit.lesson.md).")
    var name: String

    @Flag(
        help:
            """
            Print the parameters and regimes as JSON (for scripts and course \
            software): each parameter's kind, default, bounds and meaning.
            """
    )
    var json = false

    @OptionGroup var library: LessonLibrary

    func run() throws {
        try library.use()
        let lesson = try LessonName.find(name)
        if json {
            print(ParameterListing(lesson).json)
            return
        }
        let rows =
            [("name", "default", "allowed", "meaning")]
            + lesson.parameters.map {
                ($0.name, $0.defaultValue.description, $0.allowed, $0.meaning)
            }
        let widths = (rows.map(\.0.count).max()!, rows.map(\.1.count).max()!, rows.map(\.2.count).max()!)
        for row in rows {
            print(
                [
                    row.0.padded(to: widths.0),
                    row.1.padded(to: widths.1),
                    row.2.padded(to: widths.2), row.3,
                ].joined(separator: "  "))
        }
        guard !lesson.regimes.isEmpty else { return }
        print("\nRegimes: settings that change what happens, not only the numbers (the handout says which applies)")
        let width = lesson.regimes.map(\.commandLine.count).max()!
        for regime in lesson.regimes {
            print(regime.commandLine.padded(to: width) + "  " + regime.meaning)
        }
    }
}

/// A failure the user can fix, said in one line, and the exit status it ends the command with.
struct CommandError: Error, CustomStringConvertible {
    let description: String
    let status: Int32
    init(_ description: String, status: Int32 = ExitStatus.usage) {
        self.description = description
        self.status = status
    }
}

/// The exit statuses, one meaning each (sysexits.h's where it has one).
enum ExitStatus {
    /// `check`: an answer is wrong.
    static let wrongAnswer: Int32 = 1
    /// Bad usage or input: an unknown lesson, a bad --set, an unreadable or unjudgeable file.
    static let usage: Int32 = 64
    /// A run stopped by a NaN or an overflow at a named node (EX_DATAERR).
    static let nonFinite: Int32 = 65
    /// A file could not be written (EX_IOERR).
    static let cannotWrite: Int32 = 74
}
