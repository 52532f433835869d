/// How far apart two words are as a person types them: what every "did you mean" in the tool
/// ranks by (a label in an answers file, a lesson's name, a script's command).
///
///     Spelling.distance("w5+", "w5")     // 1
///     "C̃_t".padded(to: 6)               // "C̃_t   ", the tilde not counted
public enum Spelling {
    /// Levenshtein distance, case-insensitive: how many letters to insert, delete or change.
    public static func distance(_ a: String, _ b: String) -> Int {
        let (a, b) = (Array(a.lowercased()), Array(b.lowercased()))
        var row = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var diagonal = row[0]
            row[0] = i + 1
            for (j, cb) in b.enumerated() {
                let above = row[j + 1]
                row[j + 1] = min(above + 1, row[j] + 1, diagonal + (ca == cb ? 0 : 1))
                diagonal = above
            }
        }
        return row[b.count]
    }
}

extension String {
    /// The string with spaces after it to `width` characters, never cut. (Foundation's
    /// `padding(toLength:)` counts UTF-16 units and truncates: `C̃_t` lost its `t`.)
    public func padded(to width: Int) -> String {
        self + String(repeating: " ", count: Swift.max(0, width - count))
    }
}
