import MathNotation
import ReportModel

/// A run's parameters as a table, in a lesson's notation: what a lesson's first section shows.
///
///     notation.parameterTable(p, "The network's starting weights")
///     notation.settingsTable(p, "This run's settings")
extension Notation {
    /// The parameters that are leaves of the tape, as the lesson set them: symbol, `--set` key,
    /// value and meaning, one row each.
    public func parameterTable(_ p: Parameters, _ caption: RichText) -> Table {
        Table(
            caption, columns: [.init("symbol"), .init("key"), .init("value", alignment: .trailing), .init("meaning")],
            rows: p.declared.compactMap { parameter in
                tape.node(labeled: parameter.name).map { node in
                    [name(node), .plain(parameter.name, .mono), value(node), .plain(parameter.meaning)]
                }
            })
    }

    /// Every parameter of the run: its `--set` key, its value in this notation, its meaning.
    public func settingsTable(_ p: Parameters, _ caption: RichText) -> Table {
        Table(
            caption, columns: [.init("key"), .init("value", alignment: .trailing), .init("meaning")],
            rows: p.declared.map { parameter in
                let value: RichText =
                    switch parameter.kind {
                    case .real: number(p[parameter.name])
                    case .integer, .choice: .plain(p.all.first { $0.name == parameter.name }!.value.description)
                    case .vector:
                        p.vector(parameter.name).enumerated().reduce(into: RichText()) { text, item in
                            text += (item.offset > 0 ? .plain(", ") : RichText()) + number(item.element)
                        }
                    }
                return [.plain(parameter.name, .mono), value, .plain(parameter.meaning)]
            })
    }
}
