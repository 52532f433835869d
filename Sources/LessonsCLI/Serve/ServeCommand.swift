import ArgumentParser
import Dispatch
import Foundation
import Hummingbird
import Logging
import Synchronization

/// `lessons serve`: the lessons as a local web app, each with its settings as a form; a change
/// re-runs the lesson and swaps the page.
///
///     lessons serve                       # http://127.0.0.1:8080/
///     lessons serve --port 0 --lessons course/
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the lessons as a local web app: change a setting and the page follows.",
        discussion: """
            Opens a web server on 127.0.0.1 (this machine only) and prints its address. The first page \
            lists the lessons; each lesson's page has its settings as sliders, number fields and \
            lists, and a change re-runs the lesson and swaps in the new page, with a link to the same \
            settings' PDF. Settings are checked as --set checks them, and a refused one is shown as \
            lessons run would print it. With --lessons (or LESSONS_DIR), the folder's scripts are \
            served too, and a script's page reloads when the file is saved. Nothing is written to \
            disk. Stop it with Ctrl-C.
            """)

    @Option(
        help: ArgumentHelp(
            "The port to listen on, 1 to 65535; 0 lets the system choose one (the address printed says which).",
            valueName: "n"))
    var port = 8080

    @Option(
        help: ArgumentHelp(
            """
            The address to listen on. The default answers this machine only; \
            0.0.0.0 serves the whole network (every visitor can run lessons).
            """,
            valueName: "address"))
    var host = "127.0.0.1"

    @Option(
        name: .customLong("time-limit"),
        help: ArgumentHelp(
            "The longest a page may take, in seconds (0.5 to 600); a slower run's page says so.", valueName: "seconds"))
    var timeLimit = 20.0

    @OptionGroup var library: LessonLibrary

    func validate() throws {
        guard (0...65535).contains(port) else { throw CommandError("--port \(port) is outside 0 to 65535") }
        guard (0.5...600).contains(timeLimit) else {
            throw CommandError("--time-limit \(timeLimit) is outside 0.5 to 600 seconds")
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || ".:-".contains($0) }) else {
            throw CommandError("--host \(host): give an address such as 127.0.0.1, ::1 or 0.0.0.0")
        }
    }

    func run() throws {
        try library.use()
        LessonName.warnOfBrokenScripts()
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(host)
        let site = LessonSite(timeLimit: .milliseconds(Int(timeLimit * 1000)), loopbackOnly: loopback)
        var logger = Logger(label: "lessons serve")
        logger.logLevel = .error
        let (host, port) = (self.host, self.port)
        let app = Application(
            responder: SiteResponder(inner: site.router().buildResponder(), loopbackOnly: loopback),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                let shown = host.contains(":") ? "[\(host)]" : host
                // A line, written at once: a script or a test waits for it to learn the port.
                FileHandle.standardOutput.write(
                    Data("Serving the lessons at http://\(shown):\(bound)/ (Ctrl-C stops)\n".utf8))
            },
            logger: logger)
        let stopped = DispatchSemaphore(value: 0)
        let failure = Mutex<Error?>(nil)
        Task {
            do { try await app.runService() } catch { failure.withLock { $0 = error } }
            stopped.signal()
        }
        stopped.wait()
        if let error = failure.withLock({ $0 }) {
            throw CommandError("could not serve on \(host):\(port): \(error)", status: ExitStatus.cannotWrite)
        }
    }
}
