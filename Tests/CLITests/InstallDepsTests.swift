import Foundation
import TestSupport
import Testing

/// scripts/install-deps on a machine with many fonts and libraries: its checks must read the
/// tools' whole output, so that they pass every time (a `producer | grep -q` under pipefail
/// failed one run in seven, when grep's early exit killed the producer with SIGPIPE).
@Suite struct InstallDepsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let script = root.appendingPathComponent("scripts/install-deps").path

    /// A folder with: a fontconfig configuration listing the system's fonts and several hundred
    /// more (links to the DejaVu files under other names); an `ldconfig` and an `fc-list` whose
    /// listings run to megabytes after the real one; and an `apt-get` and a `sudo` that only record that
    /// they were called (`apt-called`) and fail.
    static func crowdedMachine(aptSucceeds: Bool = false, systemFonts: Bool = true) throws -> (
        folder: URL, environment: [String: String]
    ) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("install-deps-\(UUID().uuidString)")
        let (fonts, bin) = (folder.appendingPathComponent("fonts"), folder.appendingPathComponent("bin"))
        for sub in [fonts, bin, folder.appendingPathComponent("cache")] {
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        }
        let dejavu = try FileManager.default.contentsOfDirectory(atPath: "/usr/share/fonts/truetype/dejavu").filter {
            $0.hasSuffix(".ttf")
        }
        #expect(!dejavu.isEmpty)
        if systemFonts {
            for copy in 0..<(400 / max(dejavu.count, 1) + 1) {
                for file in dejavu {
                    try FileManager.default.createSymbolicLink(
                        atPath: fonts.appendingPathComponent("extra-\(copy)-\(file)").path,
                        withDestinationPath: "/usr/share/fonts/truetype/dejavu/\(file)")
                }
            }
        }
        let configuration = """
            <?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
            <fontconfig>\(systemFonts ? "<dir>/usr/share/fonts</dir>" : "")<dir>\(fonts.path)</dir><cachedir>\(folder.path)/cache</cachedir></fontconfig>
            """
        try configuration.write(to: folder.appendingPathComponent("fonts.conf"), atomically: true, encoding: .utf8)
        let recorder = "#!/bin/sh\necho \"$0 $*\" >> \(folder.path)/apt-called\nexit \(aptSucceeds ? 0 : 1)\n"
        let tools: [String: String] = [
            "apt-get": recorder,
            "sudo": recorder,
            // The real listing first, then 2 MB more: a reader that stops at its first match leaves
            // this writer to die of SIGPIPE (the old check failed this way on every run).
            "ldconfig":
                "#!/bin/sh\n/sbin/ldconfig -p\nexec seq -f '\tlibfiller%g.so.1 (libc6,x86-64) => /usr/lib/libfiller.so' 40000\n",
            // The same for a whole font listing (fc-list with no pattern); a query for a family is
            // answered by the real fc-list alone.
            "fc-list":
                "#!/bin/sh\n/usr/bin/fc-list \"$@\"\n[ $# -eq 0 ] && exec seq -f '/usr/share/fonts/filler/Filler%g.ttf: Filler:style=Regular' 40000\n",
        ]
        for (name, text) in tools {
            let path = bin.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return (folder, ["FONTCONFIG_FILE": folder.appendingPathComponent("fonts.conf").path, "PATH": path])
    }

    @Test func passesFiftyTimesInARowOnACrowdedMachine() throws {
        let (folder, environment) = try Self.crowdedMachine()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The machine really is crowded: several hundred fonts.
        let listing = try run("/usr/bin/fc-list", [], environment: environment)
        #expect(listing.output.split(separator: "\n").count >= 400)
        for attempt in 1...50 {
            let outcome = try run("/bin/bash", [Self.script], environment: environment)
            #expect(outcome.status == 0, "run \(attempt): \(outcome.error)")
            if outcome.status != 0 { break }
        }
        #expect(
            !FileManager.default.fileExists(atPath: folder.appendingPathComponent("apt-called").path),
            "apt-get was called")
    }

    /// When something is still missing after installing, the message names it.
    @Test func namesWhatIsStillMissing() throws {
        let (folder, environment) = try Self.crowdedMachine(aptSucceeds: true, systemFonts: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try run("/bin/bash", [Self.script], environment: environment)
        #expect(outcome.status == 1)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("apt-called").path))
        let last = try #require(outcome.error.split(separator: "\n").last)
        #expect(
            last.contains("still missing: font DejaVu Serif Italic, font DejaVu Sans, font DejaVu Sans Mono"), "\(last)"
        )
        #expect(!last.contains("pkg-config") && !last.contains("library"), "\(last)")
    }
}
