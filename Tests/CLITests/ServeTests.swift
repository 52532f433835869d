import Foundation
import Synchronization
import TestSupport
import Testing

/// `lessons serve` over HTTP, as a browser or an attacker would talk to it.
@Suite("lessons serve: the lessons as a local web app", .serialized)
struct ServeTests {
    /// The notes' ∂E_total/∂w5 = 0.0821670406 at the defaults (w5 = 0.4): w5⁺ = 0.4 − lr·0.0821670406.
    static func w5Updated(lr: Double) -> Double { 0.4 - lr * 0.0821670406 }

    @Test func theFirstPageListsEveryLesson() throws {
        let server = try Server()
        let page = try server.get("/")
        #expect(page.status == 200 && page.headers["content-type"] == "text/html; charset=utf-8")
        let lessons = try Command.run(["list"]).output.split(separator: "\n").map {
            String($0.split(separator: " ")[0])
        }
        for lesson in lessons {
            #expect(page.text.contains("<a href=\"/lessons/\(lesson)\">"), "\(lesson) is not listed")
        }
    }

    /// The settings as a form (a slider and a number field with the range, a list for a choice),
    /// the report run with the query's settings, and a PDF link with the same settings.
    @Test func aLessonsPageIsItsSettingsAndItsReport() throws {
        let server = try Server()
        let page = try server.get("/lessons/backprop-example?lr=2")
        #expect(page.status == 200)
        #expect(
            page.text.contains(
                "<input type=\"range\" data-for=\"p-lr\" min=\"0.0\" max=\"10.0\" step=\"0.01\" value=\"2\""))
        #expect(
            page.text.contains(
                """
                <input type=\"number\" id=\"p-lr\" data-default=\"0.5\" name=\"lr\" \
                min=\"0.0\" max=\"10.0\" step=\"any\" value=\"2\" required>
                """
            ))
        #expect(
            page.text.contains(
                """
                <select id=\"p-update\" data-default=\"simultaneous\" name=\"update\"><option \
                selected>simultaneous</option><option>output-first</option></select>
                """
            ))
        #expect(page.text.contains("href=\"/lessons/backprop-example/pdf?lr=2\" download"))
        let w5 = try #require(result(labeled: "w5+", in: page.text).flatMap(Double.init))
        #expect(close(w5, Self.w5Updated(lr: 2), within: 5e-10), "w5+ = \(w5)")
        // The PDF link gives the PDF of those settings: its text holds the same w5+.
        let pdf = try server.get("/lessons/backprop-example/pdf?lr=2")
        #expect(
            pdf.status == 200 && pdf.headers["content-type"] == "application/pdf"
                && pdf.body.starts(with: Data("%PDF-".utf8)))
        #expect(pdf.headers["content-disposition"] == "attachment; filename=\"backprop-example.pdf\"")
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try pdf.body.write(to: folder.appendingPathComponent("w.pdf"))
        let text = try run("pdftotext", [folder.appendingPathComponent("w.pdf").path, "-"]).output
        #expect(text.contains("0.235665919"), "w5+ at lr = 2 in the downloaded PDF")
    }

    /// The report the form's script swaps in is the one `lessons run --set` writes, to the digit.
    @Test func aChangedSettingGivesWhatRunGives() throws {
        let server = try Server()
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (lr, order) in [(2.0, "simultaneous"), (0.1, "output-first")] {
            let served = try server.get("/lessons/backprop-example/report?lr=\(lr)&update=\(order)")
            #expect(served.status == 200 && !served.text.contains("<html"), "the report alone")
            let ran = try Command.run([
                "run", "backprop-example", "--set", "lr=\(lr)", "--set", "update=\(order)", "--format", "html", "-o",
                folder.path,
            ])
            #expect(ran.status == 0)
            let page = try String(
                contentsOf: folder.appendingPathComponent("backprop-example/backprop-example.html"), encoding: .utf8)
            for label in ["w5+", "w1+", "E_total", "dE_total/dw1"] {
                #expect(
                    result(labeled: label, in: served.text) != nil
                        && result(labeled: label, in: served.text) == result(labeled: label, in: page),
                    "\(label) at lr=\(lr), \(order)")
            }
        }
    }

    /// A refused setting is the line `lessons run --set` prints, in the page, beside the form (less
    /// the CLI's pointer to `lessons params`).
    @Test func aBadSettingGetsTheSameOneLineErrorAsSet() throws {
        let server = try Server()
        for setting in ["lr=11", "lr=abc", "iterations=2.5", "update=backwards", "bogus=1", "lr=nan"] {
            let cli = try Command.run([
                "run", "backprop-example", "--set", setting, "--format", "json", "-o", "/nonexistent",
            ])
            let printed = try #require(cli.error.split(separator: "\n").first.map(String.init))
            #expect(printed.hasPrefix("Error: "))
            // The same words, less the pointer to a command: the form beside it lists the parameters.
            let line = printed.replacingOccurrences(of: " (see: lessons params backprop-example)", with: "")
            #expect((line != printed) == setting.hasPrefix("bogus"), "\(printed)")
            let query = setting
            let page = try server.get("/lessons/backprop-example?\(query)")
            #expect(page.status == 400, "\(setting): \(page.status)")
            #expect(page.text.contains("<p class=\"error\">\(htmlEscaped(line))</p>"), "\(setting): \(line)")
            #expect(page.text.contains("<form id=\"parameters\""), "the form stays, to correct the setting")
            let report = try server.get("/lessons/backprop-example/report?\(query)")
            #expect(report.status == 400 && report.text == "<p class=\"error\">\(htmlEscaped(line))</p>\n")
        }
        // What only a URL can get wrong.
        let cases: [(String, Int, String)] = [
            ("/lessons/backprop-example?lr=%ZZ", 400, "not valid URL encoding"),
            ("/lessons/backprop-example?lr=1&lr=2", 400, "lr is set twice"),
            ("/lessons/backprop-example?=1", 400, "no name before"),
            ("/lessons/backprop-example?lr=" + String(repeating: "9", count: 9000), 414, "at most 8192"),
            ("/lessons/backprop-exampel", 404, "no lesson named 'backprop-exampel'; closest: backprop-example"),
            ("/nowhere", 404, "no page at /nowhere"),
        ]
        for (target, status, message) in cases {
            let page = try server.get(target)
            #expect(
                page.status == status && page.text.contains(htmlEscaped(message)),
                "\(target.prefix(60)): \(page.status) \(page.text.prefix(300))")
        }
        #expect(try server.get("/").status == 200, "still serving")
    }

    /// No path a request gives, however encoded, reaches a file: lessons are found by name among
    /// those listed, and nothing else is read.
    @Test func noRequestReadsAFileOutsideTheSite() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Command.run(["new", "my-neuron"], in: folder).status == 0)
        let server = try Server(["--lessons", folder.path])
        #expect(try server.get("/lessons/my-neuron").status == 200, "the folder's script is served by name")
        let readme = FileManager.default.currentDirectoryPath + "/README.md"
        for target in [
            "/../../../../etc/passwd", "/lessons/../../../../etc/passwd", "/lessons/..%2f..%2f..%2f..%2fetc%2fpasswd",
            "/lessons/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/lessons/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
            "/lessons/%2Fetc%2Fpasswd", "/lessons/my-neuron.lesson.md",
            "/lessons/" + readme.replacingOccurrences(of: "/", with: "%2F"),
            "/lessons/..%5c..%5cetc%5cpasswd", "/lessons/my-neuron/..%2f..%2fpdf",
            "/lessons/my-neuron/stamp/../../../etc/passwd",
        ] {
            let page = try server.get(target)
            #expect((400..<500).contains(page.status), "\(target): \(page.status)")
            #expect(
                !page.text.contains("root:") && !page.text.contains("Turns the worked examples")
                    && !page.text.contains("alpha = 0.5"), "\(target) gave a file")
        }
        #expect(Command.files(in: folder) == ["my-neuron.lesson.md"], "nothing written beside the script")
    }

    /// Only GET (and HEAD); a body is bounded whether it says its length or not.
    @Test func bodiesAreBoundedAndOnlyReadsAreServed() throws {
        let server = try Server()
        let huge = try server.send(
            "POST /lessons/backprop-example HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000000\r\nConnection: close\r\n\r\n"
        )
        #expect(huge.status == 413 && huge.text.contains("at most 16384"))
        let chunk = Data(("4000\r\n" + String(repeating: "x", count: 0x4000) + "\r\n").utf8)
        let streamed = try server.send(
            "POST /lessons/backprop-example HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
            body: Data(repeating: 0, count: 0) + (0..<8).reduce(Data()) { data, _ in data + chunk }
                + Data("0\r\n\r\n".utf8))
        #expect(streamed.status == 413)
        let small = try server.send(
            "POST /lessons/backprop-example HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nlr=2&"
        )
        #expect(small.status == 405 && small.text.contains("read with GET"))
        #expect(try server.get("/").status == 200, "still serving")
    }

    /// A render past --time-limit answers at the limit; the server goes on serving.
    @Test func aSlowRenderMeetsTheTimeLimit() throws {
        let server = try Server(["--time-limit", "0.5"])
        let started = Date()
        let slow = try server.get("/lessons/backprop-example/report?iterations=1000000")
        #expect(slow.status == 503 && slow.text.contains("took longer than"), "\(slow.status) \(slow.text.prefix(200))")
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(try server.get("/lessons/softmax").status == 200)
    }

    /// Sixteen clients at once, each its own learning rate: each page has its own w5⁺.
    @Test func concurrentClientsKeepTheirOwnSettings() throws {
        let server = try Server()
        let rates = (1...16).map { Double($0) / 8 }
        let pages = Mutex(Array(repeating: "", count: rates.count))
        DispatchQueue.concurrentPerform(iterations: rates.count) { k in
            let text = (try? server.get("/lessons/backprop-example/report?lr=\(rates[k])").text) ?? ""
            pages.withLock { $0[k] = text }
        }
        let collected = pages.withLock { $0 }
        for (k, lr) in rates.enumerated() {
            let w5 = result(labeled: "w5+", in: collected[k]).flatMap(Double.init)
            #expect(w5.map { close($0, Self.w5Updated(lr: lr), within: 5e-9) } == true, "lr=\(lr): w5+ = \(w5 ?? .nan)")
        }
    }

    /// Clients that leave before their page is made, and a Host that is not this machine's name.
    @Test func aClientThatLeavesOrAForeignHostDoesNotHarmTheServer() throws {
        let server = try Server()
        for lr in [0.3, 0.4, 0.6] {
            _ = try server.send(
                "GET /lessons/backprop-example?lr=\(lr) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", closeEarly: true)
        }
        _ = try server.send("GET /lessons/back", closeEarly: true)
        #expect(try server.get("/lessons/backprop-example?lr=0.7").status == 200)
        // DNS rebinding: a page from elsewhere naming this server by another name is refused.
        let foreign = try server.get("/", host: "attacker.example")
        #expect(foreign.status == 421 && foreign.text.contains("127.0.0.1 and localhost only"))
        #expect(try server.get("/", host: "localhost").status == 200)
    }

    /// A script's stamp changes when the file is saved, and the page shows the new text;
    /// a script saved broken shows its error with file:line:column.
    @Test func aScriptLessonIsReadAgainWhenItsFileChanges() throws {
        let folder = try Command.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Command.run(["new", "my-neuron"], in: folder).status == 0)
        let file = folder.appendingPathComponent("my-neuron.lesson.md")
        let server = try Server(["--lessons", folder.path])
        let stamp = try server.get("/lessons/my-neuron/stamp").text
        #expect(try server.get("/lessons/my-neuron").text.contains("One neuron, worked by hand"))
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "# One neuron, worked by hand", with: "# One neuron, edited")
        try text.write(to: file, atomically: true, encoding: .utf8)
        #expect(try server.get("/lessons/my-neuron/stamp").text != stamp)
        let page = try server.get("/lessons/my-neuron")
        let newStamp = try server.get("/lessons/my-neuron/stamp").text
        #expect(
            page.status == 200 && page.text.contains("One neuron, edited")
                && page.text.contains("data-stamp=\"\(newStamp)\""))
        try (text + "\n```compute\ny = nosuch(x1)\n```\n").write(to: file, atomically: true, encoding: .utf8)
        let broken = try server.get("/lessons/my-neuron")
        #expect(
            broken.status == 422 && broken.text.contains("my-neuron.lesson.md does not read")
                && broken.text.contains("setInterval"), "\(broken.text.prefix(600))")
    }

    private func htmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&apos;")
    }
}
