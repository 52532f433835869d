import Foundation
import Testing

/// `lessons params NAME --json` says what the table says, for every lesson: the same names in
/// the same order, each default inside its bounds, and the same regimes.
@Suite("lessons params --json")
struct ParameterListingTests {
    struct Listing: Decodable {
        struct Entry: Decodable {
            var name, kind, meaning: String
            var min, max: Double?
            var length: [Int]?
            var options: [String]?
        }
        struct Setting: Decodable {
            var settings: [String]
            var meaning: String
        }
        var lesson: String
        var parameters: [Entry]
        var regimes: [Setting]
    }

    @Test func everyLessonsListingMatchesItsTable() throws {
        let names = try Command.run(["list"]).output.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        try #require(names.count >= 20)
        for name in names {
            let outcome = try Command.run(["params", name, "--json"])
            try #require(outcome.status == 0, "\(name): \(outcome.error)")
            let listing = try JSONDecoder().decode(Listing.self, from: Data(outcome.output.utf8))
            #expect(listing.lesson == name)
            let table = try Command.run(["params", name]).output.components(separatedBy: "\n\n")
            let rows = table[0].split(separator: "\n").dropFirst().map { String($0.split(separator: " ")[0]) }
            #expect(listing.parameters.map(\.name) == rows, "\(name)")
            for entry in listing.parameters {
                switch entry.kind {
                case "real", "integer":
                    let (low, high) = (try #require(entry.min), try #require(entry.max))
                    #expect(low <= high, "\(name) \(entry.name)")
                case "choice": #expect((entry.options?.count ?? 0) >= 2, "\(name) \(entry.name)")
                case "vector": #expect(entry.length?.count == 2 && entry.min != nil, "\(name) \(entry.name)")
                default: Issue.record("\(name) \(entry.name): kind \(entry.kind)")
                }
            }
            let regimeLines = table.count > 1 ? table[1].split(separator: "\n").dropFirst().count : 0
            #expect(listing.regimes.count == regimeLines, "\(name)")
        }
    }

    /// backprop-matrix trains twice: its iterations stop at 200,000, backprop-example's at a million.
    @Test func backpropMatrixNarrowsItsIterations() throws {
        for (name, most) in [("backprop-example", 1_000_000.0), ("backprop-matrix", 200_000)] {
            let listing = try JSONDecoder().decode(
                Listing.self, from: Data(try Command.run(["params", name, "--json"]).output.utf8))
            #expect(listing.parameters.first { $0.name == "iterations" }?.max == most)
        }
    }
}
