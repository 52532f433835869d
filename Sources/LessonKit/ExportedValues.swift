import Engine
import Foundation
import ReportModel

/// The numbers a lesson exports to values.json, in the order it computed them, at full Double
/// precision. (Named apart from the engine's `Value`, a node's handle, and `ParameterValue`.)
///
///     var values = ExportedValues(tape)            // every labeled node
///     values["dE_total/dw5"] = .number(w5.gradient)
public struct ExportedValues: Sendable {
    public enum Entry: Sendable, Equatable {
        case number(Double)
        case array([Double])
        /// Rows of numbers: a path as [x, y, f] per iterate.
        case rows([[Double]])
        /// Records with named fields: a network's layers as {"name": …, "shape": […], "params": …}.
        case records([Record])
    }

    /// Named fields, in order.
    public struct Record: Sendable, Equatable {
        public var keys: [String]
        public var fields: [Field]
        public init(_ pairs: KeyValuePairs<String, Field>) {
            keys = pairs.map(\.key)
            fields = pairs.map(\.value)
        }
    }

    /// One field of a record.
    public enum Field: Sendable, Equatable {
        case number(Double)
        case text(String)
        case numbers([Double])
    }

    public private(set) var entries: [(label: String, entry: Entry)] = []

    public init() {}

    /// Every labeled node of the tape, in creation order.
    public init(_ tape: Tape) {
        for (label, id) in tape.labeledNodes { self[label] = .number(tape.value(of: id)) }
    }

    /// Reading gives the entry; writing a new label appends it, an existing one is replaced in place.
    public subscript(label: String) -> Entry? {
        get { entries.first { $0.label == label }?.entry }
        set {
            if let index = entries.firstIndex(where: { $0.label == label }) {
                if let newValue { entries[index].entry = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((label, newValue))
            }
        }
    }

    /// Appends every entry of `other`, its label behind `prefix` (`linear.` + `L`).
    public mutating func append(_ other: ExportedValues, prefix: String) {
        for (label, entry) in other.entries { self[prefix + label] = entry }
    }

    public func number(_ label: String) -> Double? {
        if case .number(let x) = self[label] { x } else { nil }
    }
}

extension LessonResult {
    /// `{"lesson": NAME, "parameters": {KEY: number or string}, "values": {LABEL: number or array}}`,
    /// keys in the lesson's order, each number the shortest text that reads back to the same Double.
    public func json() -> String {
        let string = JSON.quoted
        // JSON has no NaN or infinity; a diverged value is written as null rather than lost.
        func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }
        let parameterLines = parameters.all.map { name, value in
            switch value {
            case .real(let x): "    \(string(name)): \(number(x))"
            case .integer(let n): "    \(string(name)): \(n)"
            case .choice(let s): "    \(string(name)): \(string(s))"
            case .vector(let xs): "    \(string(name)): [\(xs.map(number).joined(separator: ", "))]"
            }
        }
        let valueLines = values.entries.map { label, entry in
            switch entry {
            case .number(let x): "    \(string(label)): \(number(x))"
            case .array(let xs): "    \(string(label)): [\(xs.map(number).joined(separator: ", "))]"
            case .rows(let rows):
                """
                    \(string(label)): \
                [\(rows.map { "[\($0.map(number).joined(separator: ", "))]" }.joined(separator: ", "))]
                """
            case .records(let records):
                "    \(string(label)): [\n"
                    + records.map { record in
                        "      {"
                            + zip(record.keys, record.fields).map { key, field in
                                let written =
                                    switch field {
                                    case .number(let x): number(x)
                                    case .text(let t): string(t)
                                    case .numbers(let xs): "[\(xs.map(number).joined(separator: ", "))]"
                                    }
                                return "\(string(key)): \(written)"
                            }.joined(separator: ", ") + "}"
                    }.joined(separator: ",\n") + "\n    ]"
            }
        }
        return """
            {
              "lesson": \(string(lesson)),
              "parameters": {
            \(parameterLines.joined(separator: ",\n"))
              },
              "values": {
            \(valueLines.joined(separator: ",\n"))
              }
            }

            """
    }
}

/// The name `ExportedValues` had before, kept so that a course's own lessons still build.
@available(*, deprecated, renamed: "ExportedValues")
public typealias Values = ExportedValues
