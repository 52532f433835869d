import Engine
import ReportModel

/// Lines repeated over indices: `theta{d} = fit(x, y, d)   for d in 0...6` sets theta0 … theta6,
/// and `table E_train{d}, E_dev{d} for d in 0...6` tabulates them, a row per degree. The bounds
/// are read when the line runs, so an integer parameter may give them.
extension ScriptRun {
    /// Every assignment of the statement's indices, the last index running fastest.
    func repetitions(of statement: Statement, in scope: TapeScope) throws(ScriptError) -> [[String: Int]] {
        try assignments(of: statement.repeats, at: statement.location, in: scope)
    }

    /// Every assignment of `repeats`' indices (a line's, a plot's point groups'), the last running fastest.
    func assignments(
        of repeats: [(index: String, from: Expr, to: Expr)], at location: SourceLocation, in scope: TapeScope
    ) throws(ScriptError) -> [[String: Int]] {
        var all: [[String: Int]] = [[:]]
        for (index, from, to) in repeats {
            var extended: [[String: Int]] = []
            for indices in all {
                let (low, high) = (
                    try integer(from, in: scope, indices: indices), try integer(to, in: scope, indices: indices)
                )
                guard low <= high else {
                    throw ScriptError(
                        "\(index) runs from \(low) down to \(high): the line would not run at all", at: from.location)
                }
                for k in low...high {
                    var next = indices
                    next[index] = k
                    extended.append(next)
                }
            }
            guard extended.count <= 10_000 else {
                throw ScriptError("this line repeats \(extended.count) times; at most 10000", at: location)
            }
            all = extended
        }
        return all
    }

    /// Whether numbers are all positive and span more than 30×: then their axis is logarithmic
    /// (a loss curve, errors across degrees), as in print.
    static func spansDecades(_ values: [Double]) -> Bool {
        guard let low = values.min(), let high = values.max(), low > 0 else { return false }
        return high > 30 * low
    }

    /// A table with a column per index and per name, and a row per value of the indices.
    func indexedTable(_ names: [String], _ statement: Statement, in scope: TapeScope) throws(ScriptError) -> Block {
        let at = statement.location
        let indices = statement.repeats.map(\.index)
        var rows: [[RichText]] = []
        for assignment in try repetitions(of: statement, in: scope) {
            var row = indices.map { RichText(String(assignment[$0]!)) }
            for pattern in names {
                let name = try resolved(pattern, indices: assignment, at: at)
                switch try lookUp(name, in: scope, at: at) {
                case .scalar(let v): row.append(scope.notation.value(v))
                case .tensor(let t) where t.shape.count == 1: row.append(scope.notation.number(t.value.scalars[0]))
                case .tensor(let t):
                    row.append(
                        t.value.scalars.enumerated().reduce(into: RichText()) { r, item in
                            r += (item.offset > 0 ? ", " : "") + scope.notation.number(item.element)
                        })
                default: throw ScriptError("\(name) has no value to tabulate", at: at)
                }
            }
            rows.append(row)
        }
        // A column is headed by its name without the index: E_train{d} under E_train.
        let headers = names.map { pattern in
            scope.notation.name(
                indices.reduce(pattern) {
                    $0.replacingOccurrences(of: "_{\($1)}", with: "").replacingOccurrences(of: "{\($1)}", with: "")
                })
        }
        let columns =
            indices.map { Table.Column(RichText($0), alignment: .trailing) }
            + headers.map { Table.Column($0, alignment: .trailing) }
        return .table(Table(caption(statement), columns: columns, rows: rows))
    }
}
