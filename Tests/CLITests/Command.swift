import Foundation
import TestSupport
import Testing

/// The `lessons` binary SwiftPM built beside this test bundle, run as a user would run it.
struct Command {
    static let binary = Bundle.main.bundleURL.appendingPathComponent("lessons")

    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws
        -> Outcome
    {
        try TestSupport.run(binary.path, arguments, in: directory, environment: environment)
    }

    /// The test venv's Python (nbformat, latex2mathml, html5lib, selenium), which scripts/test
    /// makes and names in LESSONS_NBFORMAT.
    static func python() throws -> String {
        try #require(
            ProcessInfo.processInfo.environment["LESSONS_NBFORMAT"],
            "run through scripts/test, which sets LESSONS_NBFORMAT")
    }

    /// Validates a notebook against the nbformat 4 schema: nil when valid, else what nbformat said.
    static func notebookProblem(_ path: String) throws -> String? {
        let check = try TestSupport.run(
            try python(),
            [
                "-c",
                "import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print('valid')",
                path,
            ])
        return check.status == 0 && check.output == "valid\n" ? nil : check.error
    }

    /// A fresh empty folder, removed by the caller.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Every file under `folder` (folders themselves left out), relative paths, sorted.
    static func files(in folder: URL) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        return (enumerator?.allObjects as? [String] ?? []).filter { path in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(
                atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder) && !isFolder.boolValue
        }.sorted()
    }
}
