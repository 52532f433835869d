import CCairo
import Foundation

/// What a finished process said and how it ended.
public struct Outcome: Sendable {
    public var status: Int32
    public var output: String
    public var error: String
}

/// Runs a program (a path, or a name looked up on the PATH), optionally feeding it `input`,
/// with `environment` added to this process's.
@discardableResult
public func run(
    _ program: String, _ arguments: [String], input: Data? = nil, in directory: URL? = nil,
    environment: [String: String] = [:]
) throws -> Outcome {
    let process = Process()
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : "/usr/bin/env")
    process.arguments = program.hasPrefix("/") ? arguments : [program] + arguments
    if let directory { process.currentDirectoryURL = directory }
    let output = Pipe()
    let error = Pipe()
    let stdin = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(input) }
    try stdin.fileHandleForWriting.close()
    // Read both pipes to the end before waiting, so a full pipe cannot stall the child.
    let (out, err) = (
        output.fileHandleForReading.readDataToEndOfFile(), error.fileHandleForReading.readDataToEndOfFile()
    )
    process.waitUntilExit()
    return Outcome(
        status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
        error: String(decoding: err, as: UTF8.self))
}

/// Share of a PNG's pixels that are not near white (some channel below `darkerThan`): 0 for a
/// blank page. Pale tints (a plot's shaded regions) count only with a threshold near 255.
public func inkCoverage(_ png: Data, darkerThan limit: UInt8 = 200) throws -> Double {
    try inkCoverage(png, darkerThan: limit, rows: nil)
}

/// The same, counted only in `rows` (pixel rows, top first) of the image.
public func inkCoverage(_ png: Data, darkerThan limit: UInt8 = 200, rows: Range<Int>?) throws -> Double {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ink-\(UUID().uuidString).png")
    try png.write(to: path)
    defer { try? FileManager.default.removeItem(at: path) }
    let surface = cairo_image_surface_create_from_png(path.path)!
    defer { cairo_surface_destroy(surface) }
    guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else { return 0 }
    let (width, height, stride) = (
        Int(cairo_image_surface_get_width(surface)), Int(cairo_image_surface_get_height(surface)),
        Int(cairo_image_surface_get_stride(surface))
    )
    let pixels = cairo_image_surface_get_data(surface)!
    var ink = 0
    let rows = rows.map { $0.clamped(to: 0..<height) } ?? 0..<height
    for y in rows {
        for x in 0..<width {
            let p = pixels.advanced(by: y * stride + 4 * x)
            if p[0] < limit || p[1] < limit || p[2] < limit { ink += 1 }
        }
    }
    return Double(ink) / Double(width * max(1, rows.count))
}

/// `values.json` as read back with JSONDecoder. (Not JSONSerialization: on Linux it misreads
/// 0.010000000000000002 as 0.010000000000000005, hiding the precision the file promises.)
public struct ValuesFile: Decodable, Sendable {
    public enum Entry: Decodable, Equatable, Sendable {
        /// `other`: records (conv-sizes' layer tables), read as present but not decoded.
        case number(Double), text(String), array([Double]), rows([[Double]]), absent, other
        public init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .absent
            } else if let x = try? container.decode(Double.self) {
                self = .number(x)
            } else if let s = try? container.decode(String.self) {
                self = .text(s)
            } else if let xs = try? container.decode([Double].self) {
                self = .array(xs)
            } else if let rows = try? container.decode([[Double]].self) {
                self = .rows(rows)
            } else {
                self = .other
            }
        }
    }
    public let lesson: String
    public let parameters: [String: Entry]
    public let values: [String: Entry]

    public init(_ data: Data) throws { self = try JSONDecoder().decode(ValuesFile.self, from: data) }
}

/// Whether cairo reads the file as a whole PNG (a truncated one fails its checksum or ends early).
public func decodesAsPNG(_ path: String) -> Bool {
    let surface = cairo_image_surface_create_from_png(path)!
    defer { cairo_surface_destroy(surface) }
    return cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS && cairo_image_surface_get_width(surface) > 0
}
