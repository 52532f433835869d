/// JSON text helpers shared by every writer of JSON (values.json, check's results, notebooks).
public enum JSON {
    /// A JSON string literal: quotes, backslashes and control characters escaped, the rest as is.
    ///
    ///     JSON.quoted("σ(\"z\")")   // "\"σ(\\\"z\\\")\""
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
