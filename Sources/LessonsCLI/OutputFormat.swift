import ArgumentParser
import Foundation

/// A kind of file `lessons run`, `graph` and `handout` write.
enum OutputFormat: String, CaseIterable, Sendable {
    case pdf, png, svg, json, md, ipynb, html
    /// The handout's exercise sheets as one Moodle XML quiz; only `handout` writes it, and alone.
    case moodle
}

/// `--format pdf,png,json` as the option's own type: the formats a command may write, read once
/// when the command line is parsed, so `validate()` and `run()` receive a set and never split a
/// string again.
///
///     @Option(transform: FormatList.among([.pdf, .png, .svg])) var format = FormatList(.pdf, .png)
///     format.contains(.png)   // true
struct FormatList: Sendable, CustomStringConvertible {
    let formats: Set<OutputFormat>

    init(_ formats: OutputFormat...) { self.formats = Set(formats) }

    init(_ formats: Set<OutputFormat>) { self.formats = formats }

    func contains(_ format: OutputFormat) -> Bool { formats.contains(format) }

    /// As the option writes it, in the order of `OutputFormat`: what `--help` shows as the default.
    var description: String { OutputFormat.allCases.filter(formats.contains).map(\.rawValue).joined(separator: ",") }

    /// The parser of a command that writes `allowed`: any subset, in any order, any case.
    static func among(_ allowed: [OutputFormat]) -> @Sendable (String) throws -> FormatList {
        { list in
            var formats = Set<OutputFormat>()
            for item in list.split(separator: ",", omittingEmptySubsequences: false) {
                let word = item.trimmingCharacters(in: .whitespaces).lowercased()
                guard let format = OutputFormat(rawValue: word), allowed.contains(format) else {
                    let choices = allowed.map(\.rawValue).joined(separator: ", ")
                    throw ValidationError("unknown format '\(word)'; choose from \(choices), comma-separated")
                }
                formats.insert(format)
            }
            return FormatList(formats)
        }
    }
}
