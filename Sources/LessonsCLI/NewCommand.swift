import ArgumentParser
import Foundation
import Script

/// `lessons new NAME`: a commented starter script that runs as written.
struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a starter lesson script, NAME.lesson.md, to edit into a worked example of your own.",
        discussion: """
            The starter is one neuron worked forward, backward and one step of gradient descent, with \
            a training run: every construct of the script format once, each with a comment. Run it with \
            `lessons run NAME.lesson.md`; the README's "Writing a lesson" explains each line.
            """)

    @Argument(help: "The lesson's name: letters, digits and -, as `lessons run` will take it.")
    var name: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The folder to write NAME.lesson.md into.", valueName: "dir"))
    var output = "."

    func validate() throws {
        guard !name.isEmpty, name.count <= 100, name.first != "-",
            name.allSatisfy({ ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") && $0.isASCII })
        else {
            throw CommandError(
                "'\(name)' cannot name a lesson: use letters, digits and - (it names its files), e.g. my-neuron")
        }
    }

    func run() throws {
        let path =
            output == "." ? name + ".lesson.md" : (output as NSString).appendingPathComponent(name + ".lesson.md")
        guard !FileManager.default.fileExists(atPath: path) else {
            throw CommandError("\(path) exists already; choose another name or remove it first")
        }
        do {
            try Publisher.write(Data(Starter.script(named: name).utf8), to: URL(fileURLWithPath: path))
        } catch {
            throw CommandError(
                "cannot write \(path): \(reason(error)); choose a writable folder with --output",
                status: ExitStatus.cannotWrite)
        }
        print(path)
    }
}
