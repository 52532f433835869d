import Foundation
import TestSupport

/// `lessons serve --port 0` as a test starts it: the process, the port it printed, and raw
/// HTTP requests written byte for byte (so a path like `/../x` reaches the server as typed,
/// which an HTTP client library would normalise away).
///
///     let server = try Server()
///     let page = try server.get("/lessons/backprop-example?lr=2")   // page.status == 200
final class Server: Sendable {
    let process = Process()
    let port: Int
    private let output = Pipe()

    init(_ arguments: [String] = [], environment: [String: String] = [:]) throws {
        process.executableURL = Command.binary
        process.arguments = ["serve", "--port", "0"] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // "Serving the lessons at http://127.0.0.1:PORT/ (Ctrl-C stops)"
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let match = text.firstMatch(of: /127\.0\.0\.1:([0-9]+)\//), let port = Int(match.output.1) else {
            process.terminate()
            throw ServerFailure(description: "lessons serve printed \(text.debugDescription), not its address")
        }
        self.port = port
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }

    struct ServerFailure: Error, CustomStringConvertible { let description: String }

    /// A response: status, headers (names in lower case) and body.
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func get(_ target: String, host: String = "127.0.0.1", extra: String = "") throws -> Response {
        try send("GET \(target) HTTP/1.1\r\nHost: \(host):\(port)\r\n\(extra)Connection: close\r\n\r\n")
    }

    /// Writes the request and reads the response to the end (the server closes after it).
    func send(_ request: String, body: Data = Data(), closeEarly: Bool = false) throws -> Response {
        let socket = try connect()
        defer { close(socket) }
        try write(socket, Data(request.utf8) + body)
        if closeEarly { return Response(status: 0, headers: [:], body: Data()) }
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(socket, &buffer, buffer.count, 0)
            if n <= 0 { break }
            received.append(contentsOf: buffer[0..<n])
        }
        return try Server.parse(received)
    }

    func connect() throws -> Int32 {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else {
            close(socket)
            throw ServerFailure(description: "could not connect to port \(port)")
        }
        return socket
    }

    func write(_ socket: Int32, _ data: Data) throws {
        var sent = 0
        try data.withUnsafeBytes { bytes in
            while sent < bytes.count {
                let n = Foundation.send(socket, bytes.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
                // The server may answer and close before a huge body is all sent: that is its answer.
                if n <= 0 {
                    if sent > 0 { return }
                    throw ServerFailure(description: "the server closed the connection")
                }
                sent += n
            }
        }
    }

    static func parse(_ data: Data) throws -> Response {
        guard let end = data.firstRange(of: Data("\r\n\r\n".utf8)) else {
            throw ServerFailure(description: "no response head in \(data.count) bytes")
        }
        let head = String(decoding: data[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        guard let status = head.first?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw ServerFailure(description: "bad status line \(head.first ?? "")")
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        var body = Data(data[end.upperBound...])
        if headers["transfer-encoding"] == "chunked" { body = dechunk(body) }
        return Response(status: status, headers: headers, body: body)
    }

    private static func dechunk(_ data: Data) -> Data {
        var out = Data()
        var rest = data[...]
        while let line = rest.firstRange(of: Data("\r\n".utf8)),
            let size = Int(String(decoding: rest[..<line.lowerBound], as: UTF8.self), radix: 16), size > 0
        {
            let start = line.upperBound
            out += rest[start..<start + size]
            rest = rest[(start + size + 2)...]
        }
        return out
    }
}

/// The text of the result of the step labeled `label` on a report page (its MathML, tags
/// dropped, U+2212 read as a minus): "0.35891648" for backprop-example's w5+.
func result(labeled label: String, in page: String) -> String? {
    guard let step = page.range(of: "data-label=\"\(label)\"") else { return nil }
    let after = page[step.upperBound...]
    guard let start = after.range(of: "<mrow class=\"result\">"),
        let end = after[start.upperBound...].range(of: "</math>")
    else { return nil }
    return String(after[start.upperBound..<end.lowerBound]).replacing(/<[^>]+>/, with: "").replacingOccurrences(
        of: "\u{2212}", with: "-")
}
