import Foundation
import LessonKit
import Lessons
import ReportModel
import Testing

@testable import Script

/// The scripts in lessons/ as a teacher's script is read: their defaults and every regime run at
/// load. The catalogue reads them without running them (each command would pay for all), so
/// this is where a shipped script that fails on its own settings is caught.
@Suite("Shipped lesson scripts: the defaults and every regime run")
struct ShippedScriptTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("lessons")
    static let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter {
        $0.hasSuffix(".lesson.md")
    }.sorted()

    @Test func everyShippedScriptIsInTheCatalogue() throws {
        #expect(Self.files.count >= 6)
        let listed = Set(Catalog.lessons.map(\.name))
        for file in Self.files {
            #expect(listed.contains(String(file.dropLast(".lesson.md".count))), "\(file) is listed")
        }
    }

    @Test(arguments: files)
    func theDefaultsAndEveryRegimeRun(file: String) throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
        // verifying, as --lessons does
        let lesson = try Lesson(script: ScriptParser.parse(text, file: "lessons/" + file))
        #expect(lesson.regimes.count >= 2, "\(file) declares its regimes")
    }
}
