import Foundation
import ReportModel

/// A knob of a lesson: its name, default, allowed values and what it means.
///
///     Parameter.real("lr", 0.5, in: 0...10, "learning rate η")
///     Parameter.choice("update", "simultaneous", among: ["simultaneous", "output-first"], "update order")
///     Parameter.vector("z", [2, 1, 0.1], length: 2...64, in: -1000...1000, "the logits")
public struct Parameter: Sendable {
    public enum Kind: Sendable {
        case real(default: Double, range: ClosedRange<Double>)
        case integer(default: Int, range: ClosedRange<Int>)
        case choice(default: String, options: [String])
        /// A list of numbers, written with commas: `--set z=2,1,0.1`.
        case vector(default: [Double], length: ClosedRange<Int>, range: ClosedRange<Double>)
    }

    public let name: String
    public let kind: Kind
    public let meaning: String

    public static func real(_ name: String, _ value: Double, in range: ClosedRange<Double>, _ meaning: String)
        -> Parameter
    {
        precondition(range.contains(value), "default of \(name) outside its range")
        return Parameter(name: name, kind: .real(default: value, range: range), meaning: meaning)
    }

    public static func integer(_ name: String, _ value: Int, in range: ClosedRange<Int>, _ meaning: String) -> Parameter
    {
        precondition(range.contains(value), "default of \(name) outside its range")
        return Parameter(name: name, kind: .integer(default: value, range: range), meaning: meaning)
    }

    public static func choice(_ name: String, _ value: String, among options: [String], _ meaning: String) -> Parameter
    {
        precondition(options.contains(value), "default of \(name) not among its options")
        return Parameter(name: name, kind: .choice(default: value, options: options), meaning: meaning)
    }

    public static func vector(
        _ name: String, _ value: [Double], length: ClosedRange<Int>, in range: ClosedRange<Double>,
        _ meaning: String
    ) -> Parameter {
        precondition(
            length.contains(value.count) && value.allSatisfy(range.contains), "default of \(name) outside its rules")
        return Parameter(name: name, kind: .vector(default: value, length: length, range: range), meaning: meaning)
    }

    public var defaultValue: ParameterValue {
        switch kind {
        case .real(let value, _): .real(value)
        case .integer(let value, _): .integer(value)
        case .choice(let value, _): .choice(value)
        case .vector(let value, _, _): .vector(value)
        }
    }

    /// The allowed values as a reader would write them: `[0, 10]`, `1 to 1000000`, `a | b`.
    public var allowed: String {
        switch kind {
        case .real(_, let range): "[\(ParameterValue.real(range.lowerBound)), \(ParameterValue.real(range.upperBound))]"
        case .integer(_, let range): "integer \(range.lowerBound) to \(range.upperBound)"
        case .choice(_, let options): options.joined(separator: " | ")
        case .vector(_, let length, let range):
            (length.count == 1 ? "\(length.lowerBound)" : "\(length.lowerBound) to \(length.upperBound)")
                + " numbers in [\(ParameterValue.real(range.lowerBound)), \(ParameterValue.real(range.upperBound))], comma-separated"
        }
    }

    /// The range alone, for "outside the allowed range 1 to 5".
    var bounds: String {
        if case .integer(_, let range) = kind { return "\(range.lowerBound) to \(range.upperBound)" }
        return allowed
    }

    /// What the parameter takes, as the end of a sentence: "a number in [0, 10]", "an integer from 1 to 5".
    var takes: String {
        switch kind {
        case .real: "a number in \(allowed)"
        case .integer: "an integer from \(bounds)"
        case .choice: "one of \(allowed)"
        case .vector: allowed
        }
    }

    /// A number written in decimal (0.25, -3, 1e-5), or nan/inf to be refused as not finite;
    /// nil for anything else, such as hexadecimal 0x1p-2, which Double would read as 0.25.
    static func decimal(_ text: String) -> Double? {
        if ["nan", "inf", "infinity", "+inf", "-inf", "-infinity", "+infinity"].contains(text.lowercased()) {
            return Double(text.lowercased())
        }
        return WrittenDecimal(text) == nil ? nil : Double(text)
    }

    /// Reads a value given on the command line, or says exactly what is wrong with it.
    public func parse(_ text: String) throws(ParameterError) -> ParameterValue {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .real(_, let range):
            guard let value = Parameter.decimal(trimmed) else { throw .notANumber(self, text) }
            guard value.isFinite else { throw .notFinite(self, text) }
            guard range.contains(value) else { throw .outOfRange(self, text) }
            return .real(value)
        case .integer(_, let range):
            // 80 or 80.0, even 8e1: a whole number however it is written.
            guard
                let value = Int(trimmed)
                    ?? Parameter.decimal(trimmed).flatMap({ $0 == $0.rounded() && abs($0) < 1e15 ? Int($0) : nil })
            else {
                if let real = Parameter.decimal(trimmed) {
                    throw real.isFinite ? .notAnInteger(self, text) : .notFinite(self, text)
                }
                throw .notANumber(self, text)
            }
            guard range.contains(value) else { throw .outOfRange(self, text) }
            return .integer(value)
        case .choice(_, let options):
            guard options.contains(trimmed) else { throw .notAnOption(self, text) }
            return .choice(trimmed)
        case .vector(_, let length, let range):
            let items = trimmed.isEmpty ? [] : trimmed.split(separator: ",", omittingEmptySubsequences: false)
            guard length.contains(items.count) else { throw .wrongLength(self, text, items.count) }
            var numbers: [Double] = []
            for (k, item) in items.enumerated() {
                let word = item.trimmingCharacters(in: .whitespaces)
                guard let x = Parameter.decimal(word) else { throw .notANumberAt(self, text, position: k + 1, word) }
                guard x.isFinite else { throw .notFinite(self, text) }
                guard range.contains(x) else { throw .entryOutOfRange(self, text, position: k + 1, word) }
                numbers.append(x)
            }
            return .vector(numbers)
        }
    }
}

/// A parameter's value: a number, a whole number or a named choice.
///
///     ParameterValue.real(0.05).description      // "0.05"
///     ParameterValue.integer(10000).description  // "10000"
public enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
    case real(Double)
    case integer(Int)
    case choice(String)
    case vector([Double])

    /// Shortest text that reads back to the same value: 0.05, 10000, output-first.
    public var description: String {
        switch self {
        case .real(let x): x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)"
        case .integer(let n): String(n)
        case .choice(let s): s
        case .vector(let xs): xs.map { ParameterValue.real($0).description }.joined(separator: ",")
        }
    }
}

/// Why a setting (`KEY=VALUE`) or a variant was refused; each message names the key, the value
/// and the rule. The messages say nothing of the command line: the CLI adds its own flags.
///
///     try lesson.parameters(settings: ["lr=11"])
///     // lr=11 is outside the allowed range [0, 10] of lr (learning rate η)
public enum ParameterError: Error, Equatable, CustomStringConvertible {
    case unknown(key: String, lesson: String, known: [String])
    case malformed(String)
    case notANumber(Parameter, String)
    case notAnInteger(Parameter, String)
    case notFinite(Parameter, String)
    case outOfRange(Parameter, String)
    case notAnOption(Parameter, String)
    case wrongLength(Parameter, String, Int)
    case notANumberAt(Parameter, String, position: Int, String)
    case entryOutOfRange(Parameter, String, position: Int, String)
    /// A rule joining several parameters, broken (class = 3 with only three logits).
    case rule(String)
    /// A variant asked of a lesson that declares no variations.
    case noVariants(lesson: String)
    /// A variant number outside 0 through `Variation.largestVariant`.
    case variantOutOfRange(Int)
    /// Ten thousand draws for variant `n`, none of them sound.
    case noSoundVariant(lesson: String, Int)

    /// One line, whatever the value held: a newline or tab in it is shown escaped.
    public var description: String {
        message.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
            .replacingOccurrences(of: "\t", with: "\\t")
    }

    private var message: String {
        switch self {
        case .unknown(let key, let lesson, let known):
            "unknown parameter '\(key)' for \(lesson); its parameters are \(known.joined(separator: ", "))"
        case .malformed(let text):
            "a setting is KEY=VALUE, got '\(text)'"
        case .notANumber(let p, let text):
            "\(p.name)=\(text) is not a number; \(p.name) (\(p.meaning)) takes \(p.takes)"
        case .notAnInteger(let p, let text):
            "\(p.name)=\(text) is not a whole number; \(p.name) (\(p.meaning)) takes \(p.takes)"
        case .notFinite(let p, let text):
            "\(p.name)=\(text) is not a finite number; \(p.name) (\(p.meaning)) takes \(p.takes)"
        case .outOfRange(let p, let text):
            "\(p.name)=\(text) is outside the allowed range \(p.bounds) of \(p.name) (\(p.meaning))"
        case .notAnOption(let p, let text):
            "\(p.name)=\(text) is not one of \(p.allowed) (\(p.meaning))"
        case .wrongLength(let p, let text, let count):
            """
            \(p.name)=\(text) has \(count) \(count == 1 ? "entry" : "entries"); \
            \(p.name) (\(p.meaning)) takes \(p.allowed)
            """
        case .notANumberAt(let p, let text, let position, let word):
            """
            \(p.name)=\(text): entry \(position), '\(word)', is not \
            a number; \(p.name) (\(p.meaning)) takes \(p.allowed)
            """
        case .entryOutOfRange(let p, let text, let position, let word):
            """
            \(p.name)=\(text): entry \(position), \(word), is outside the \
            allowed range; \(p.name) (\(p.meaning)) takes \(p.allowed)
            """
        case .rule(let message): message
        case .noVariants(let lesson): "\(lesson) has no exercise variants"
        case .variantOutOfRange(let n):
            "variant \(n): a variant is a whole number from 0 to \(Variation.largestVariant)"
        case .noSoundVariant(let lesson, let n): "\(lesson): no sound variant found for variant \(n)"
        }
    }

    public static func == (a: ParameterError, b: ParameterError) -> Bool { a.description == b.description }
}

extension Parameter: Equatable {
    public static func == (a: Parameter, b: Parameter) -> Bool { a.name == b.name }
}
