import Foundation
import HTTPTypes

/// Why `lessons serve` could not give a page: the HTTP status, and one line a reader can act
/// on (the same line `lessons run` prints for the same mistake).
///
///     throw SiteError(.badRequest, "lr=11 is outside the allowed range [0, 10] of lr (learning rate η)")
struct SiteError: Error, CustomStringConvertible {
    let status: HTTPResponse.Status
    let description: String
    /// A broken script's stamp, so that its error page too reloads when the file is saved.
    var stamp: String?

    init(_ status: HTTPResponse.Status, _ description: String, stamp: String? = nil) {
        self.status = status
        self.description = description
        self.stamp = stamp
    }
}

/// The settings a query gives, as `--set` takes them: `lr=0.1&update=output-first` is
/// `["lr=0.1", "update=output-first"]`. Percent-escapes and `+` are decoded once, so a
/// double-encoded value stays encoded (and is refused by its parameter like any other text).
///
///     try SiteQuery.settings("lr=0.25&z=2%2C1%2C0.1")   // ["lr=0.25", "z=2,1,0.1"]
enum SiteQuery {
    /// A query longer than this is refused (no lesson has settings near it).
    static let longest = 8192

    static func settings(_ query: String?) throws(SiteError) -> [String] {
        guard let query, !query.isEmpty else { return [] }
        guard query.utf8.count <= longest else {
            throw SiteError(
                .uriTooLong, "the query is \(query.utf8.count) bytes long; a lesson's settings take at most \(longest)")
        }
        var seen = Set<String>()
        var settings: [String] = []
        for item in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).replacingOccurrences(of: "+", with: " ")
            }
            guard let key = parts[0].removingPercentEncoding,
                let value = (parts.count > 1 ? parts[1] : "").removingPercentEncoding
            else {
                throw SiteError(
                    .badRequest,
                    "the query '\(item.prefix(60))' is not valid URL encoding; write settings as key=value&key=value")
            }
            guard !key.isEmpty else {
                throw SiteError(
                    .badRequest, "the query '\(item.prefix(60))' has no name before '='; write settings as key=value")
            }
            guard seen.insert(key).inserted else {
                throw SiteError(.badRequest, "\(key.prefix(60)) is set twice in the query; give each setting once")
            }
            settings.append("\(key)=\(value)")
        }
        return settings
    }
}
