import Foundation

/// The three versions of a report a course hands out, from the same cells.
///
///     result.report.version(.exercise)   // results as blank boxes, give-aways held back
///     result.report.version(.answers)    // the key: every result, exercises numbered alike
public enum ReportVersion: String, Sendable, CaseIterable {
    case full, exercise, answers
}

extension Report {
    /// The report as a student's exercise sheet or its answer key.
    ///
    /// The exercise sections are those marked `Section(…, exercise: true)`; when no section is
    /// marked, every top-level section after the first (the setup). In them, each step with a
    /// result is an exercise, numbered in order in both versions. The sheet shows the step's
    /// formula and the lines with numbers, and a blank box for the result. Whatever would give a
    /// hidden result away is held back: a later line, step or paragraph that prints a hidden
    /// result (the same quantity, in any format, even 0) or its digits under another name, and
    /// the tables, figures and notes of exercise sections; after them, in a section that asks
    /// nothing, what prints a hidden result and any backward graph. A quantity the sheet has
    /// already shown (η in the setup) stays, whatever its digits.
    /// `digits`: the significant digits an answer needs, which the sheet's instructions state.
    public func version(_ version: ReportVersion, digits: Int = 3) -> Report {
        guard version != .full else { return self }
        var sheet = Sheet(hiding: version == .exercise)
        return self.version(version, sheet: &sheet, digits: digits)
    }

    fileprivate func version(_ version: ReportVersion, sheet: inout Sheet, digits: Int = 3) -> Report {
        var copy = self
        let marked = blocks.contains { if case .section(let s) = $0 { s.exercise != nil } else { false } }
        var first = true
        copy.blocks = blocks.compactMap { block in
            guard case .section(let section) = block else { return block }
            defer { first = false }
            let asks = section.exercise ?? (!marked && !first)
            return asks ? .section(sheet.exercise(section)) : .section(sheet.withholding(section))
        }
        copy.title = title + (version == .exercise ? " — exercises" : " — answer key")
        let count = sheet.count
        copy.subtitle =
            version == .exercise
            ? "\(count) exercise\(count == 1 ? "" : "s"): work out each boxed result from the formula and the numbers above it. "
                + "Give each to at least \(digits) significant digits, rounded or cut, under the label in the exercise's corner."
            : "The \(count) exercise\(count == 1 ? "" : "s") of the sheet with their results."
        return copy
    }
}

/// One numbered exercise of a sheet: what its key prints, and the label and value it is marked by.
public struct Exercise: Sendable {
    public let number: Int
    /// nil when the result is not a number (a sentence, a table).
    public let answer: StepAnswer?
    /// The step as the full report has it: formula, numbers, result.
    public let step: Step
    /// What the exercise is worth (1 unless the lesson weights it; a matrix's entries share it).
    public var marks: Double = 1
}

extension Report {
    /// The exercises `version(.exercise)` numbers, in order, each with its unique label.
    public var exercises: [Exercise] {
        var sheet = Sheet(hiding: false)
        _ = version(.answers, sheet: &sheet)
        return sheet.exercises
    }
}

/// Walks exercise sections in reading order, numbering exercises and remembering what is hidden.
private struct Sheet {
    let hiding: Bool
    var count = 0
    /// The hidden results, by label: the quantities their lines print and their answers are.
    /// The same quantity printed again gives one away, wherever and in whatever format.
    var hidden: [String: [Quantity]] = [:]
    /// The digits of every hidden result, as written ("0.3775", "0.05"): another quantity that
    /// prints them (∂net_o2/∂w7, which is out_h1), or a number a lesson typed, gives it away too.
    var hiddenNumbers: Set<String> = []
    /// The quantities the sheet shows, by label: one the student has already seen (η in the
    /// setup) gives nothing away when it prints a hidden result's digits again.
    var shown: [String: [Quantity]] = [:]

    /// Every exercise in order, with the label it is answered under.
    var exercises: [Exercise] = []
    private var labels: Set<String> = []

    init(hiding: Bool) { self.hiding = hiding }

    /// The step's answer under a label no earlier exercise has: a label met again (out_o1 after
    /// the update, the linear twin's ∂L/∂w₁) gets the exercise's number, `out_o1_ex31`. A step
    /// typed by hand is answered under `exN` by the number its key prints.
    mutating func answer(for step: Step) -> StepAnswer? {
        var answer =
            step.answer
            ?? step.rhs.last.flatMap { Sheet.printedNumber($0.plainText) }.map {
                StepAnswer(label: "ex\(count)", value: $0)
            }
        guard let found = answer else { return nil }
        if labels.contains(found.label) {
            let renamed = "\(found.label)_ex\(count)"
            answer!.entries = found.entries.map { (renamed + $0.label.dropFirst(found.label.count), $0.value) }
            answer!.label = renamed
        }
        labels.insert(answer!.label)
        return answer
    }

    /// The number a result line prints (−0.05, 1.2 × 10⁻³, 4,096), or nil for text or a matrix.
    static func printedNumber(_ text: String) -> Double? {
        var t = text.replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: ",", with: "")
            .replacingOccurrences(of: "\u{2009}", with: "").replacingOccurrences(of: " ", with: "")
        let superscripts: [Character: Character] = [
            "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9",
            "⁻": "-",
        ]
        if let times = t.range(of: "×10") {
            let power = String(t[times.upperBound...].map { superscripts[$0] ?? "?" })
            t = String(t[..<times.lowerBound]) + "e" + power
        }
        guard WrittenDecimal(t) != nil, let x = Double(t), x.isFinite else { return nil }
        return x
    }

    mutating func exercise(_ section: Section) -> Section {
        var copy = section
        var kept: [Block] = []
        for block in section.content {
            switch block {
            case .section(let inner): kept.append(.section(exercise(inner)))
            case .step(let step):
                if let shown = exercise(step) {
                    kept.append(.step(shown))
                } else if case .paragraph(let text)? = kept.last, text.plainText.hasSuffix(":") {
                    kept.removeLast()
                }
            case .paragraph(let text): if !hiding || keeps(Printed(text)) { kept.append(block) }
            case .table, .figure, .note:
                guard hiding else {
                    kept.append(block)
                    continue
                }
                // A lead-in ("…as the engine recorded it:") goes with what it introduces.
                if case .paragraph(let text)? = kept.last, text.plainText.hasSuffix(":") { kept.removeLast() }
            }
        }
        copy.content = kept
        return copy
    }

    /// A section that asks nothing, after exercises: what prints a hidden result goes (a step
    /// that uses a gradient the sheet asks for, a table of it), and so does a backward graph,
    /// whose boxes hold the gradients. Before any exercise, nothing is hidden yet, but what the
    /// section shows is remembered.
    mutating func withholding(_ section: Section) -> Section {
        guard hiding else { return section }
        var copy = section
        var kept: [Block] = []
        for block in section.content {
            let givesAway: Bool
            switch block {
            case .section(let inner):
                kept.append(.section(withholding(inner)))
                continue
            case .step(let step): givesAway = !keeps(step.rhs.map(Printed.init))
            case .paragraph(let text): givesAway = !keeps([Printed(text)])
            case .table(let table): givesAway = !keeps(table.rows.joined().map(Printed.init))
            case .figure(let figure):
                if case .graph(let graph) = figure.content {
                    givesAway = !hidden.isEmpty && graph.view == .backward
                } else {
                    givesAway = false
                }
            case .note: givesAway = false
            }
            if givesAway {
                if case .paragraph(let text)? = kept.last, text.plainText.hasSuffix(":") { kept.removeLast() }
            } else {
                kept.append(block)
            }
        }
        copy.content = kept
        return copy
    }

    /// The step as an exercise; nil for a step without a formula that prints a hidden result.
    mutating func exercise(_ step: Step) -> Step? {
        guard step.hasResult, step.rhs.count > 1, let result = step.rhs.last else {
            return hiding && !keeps(step.rhs.map(Printed.init)) ? nil : step
        }
        count += 1
        var copy = step
        copy.caption = "Exercise \(count)" + (step.caption.map { ". " + $0 } ?? "")
        copy.answer = answer(for: step)
        copy.showsLabel = copy.answer != nil
        exercises.append(Exercise(number: count, answer: copy.answer, step: step))
        guard hiding else { return copy }
        // Lines of numbers that print an earlier hidden result go (formulas stay); the last line
        // becomes the box, or a matrix of the result's shape with every entry left blank.
        var lines = step.rhs.dropLast().filter { Sheet.isFormula($0) || keeps(Printed($0)) }
        lines.append(Sheet.blank(result))
        copy.rhs = lines
        copy.answerBox = true
        hide(result, answer: step.answer)
        return copy
    }

    /// Remembers a result as hidden: the quantities its line prints and its answer is (one
    /// per entry; a step built by hand may print none), each once, and the digits it prints.
    mutating func hide(_ result: MathLine, answer: StepAnswer?) {
        let printed = Printed(result)
        let entries = answer?.entries.map { Quantity(label: $0.label, value: $0.value) } ?? []
        for quantity in printed.quantities.map(\.quantity) + entries where !isIn(hidden, quantity) {
            hidden[quantity.label, default: []].append(quantity)
        }
        hiddenNumbers.formUnion(Sheet.numbers(in: printed.whole))
    }

    /// A result line with each matrix entry as wide space to write in (figure spaces: digit width).
    static func blank(_ line: MathLine) -> MathLine {
        guard line.hasMatrix else { return line }
        let space = RichText.plain(String(repeating: "\u{2007}", count: 9))
        return MathLine(
            segments: line.segments.map { segment in
                guard case .matrix(let m) = segment else { return segment }
                return .matrix(MatrixView(rows: m.rows.map { $0.map { _ in space } }))
            })
    }

    /// A line written in names (set in italics) rather than numbers: its constants (the 2 of 2x, the
    /// 400 of −400x) are part of the question, not an earlier answer, so it always stays.
    static func isFormula(_ line: MathLine) -> Bool {
        line.segments.contains {
            if case .text(let t) = $0 { t.runs.contains { $0.style.contains(.italic) } } else { false }
        }
    }

    /// Whether these may stay on the sheet (a line, a paragraph, a table's cells), all or none;
    /// what stays is remembered as shown.
    mutating func keeps(_ parts: [Printed]) -> Bool {
        guard !parts.contains(where: givesAway) else { return false }
        for quantity in parts.flatMap({ $0.quantities.map(\.quantity) }) {
            shown[quantity.label, default: []].append(quantity)
        }
        return true
    }

    mutating func keeps(_ printed: Printed) -> Bool { keeps([printed]) }

    /// Whether `table` (hidden or shown) holds the same quantity.
    func isIn(_ table: [String: [Quantity]], _ quantity: Quantity) -> Bool {
        table[quantity.label]?.contains { $0.isSame(as: quantity) } == true
    }

    /// Whether printing this shows a hidden result: it prints a hidden quantity; or a number a
    /// lesson typed, or a quantity the sheet has not shown, prints a hidden result's digits.
    func givesAway(_ printed: Printed) -> Bool {
        guard !hidden.isEmpty || !hiddenNumbers.isEmpty else { return false }
        return !hiddenNumbers.isDisjoint(with: Sheet.numbers(in: printed.untagged))
            || printed.quantities.contains { tagged in
                isIn(hidden, tagged.quantity)
                    || (!isIn(shown, tagged.quantity)
                        && !hiddenNumbers.isDisjoint(with: Sheet.numbers(in: tagged.text)))
            }
    }

    /// The numbers a text prints, without their signs (x − 0.05 prints the −0.05 of an answer):
    /// "0.3775", "0.05", "30"; zeros alone say nothing, and neither do a name's digits (w5, x_1).
    static func numbers(in text: String) -> Set<String> {
        let pattern = /[\p{L}_]?\d+(?:[.,]\d+)*/
        return Set(
            text.matches(of: pattern).map { String($0.output) }
                .filter { !$0.first!.isLetter && $0.first != "_" && $0.contains { $0 != "0" && $0.isNumber } })
    }
}

/// What a line, paragraph or table row prints: the quantities the notation tagged, the text
/// outside them (numbers a lesson typed), and the whole text.
private struct Printed {
    /// Each quantity with the text it is printed as.
    var quantities: [(quantity: Quantity, text: String)] = []
    var untagged = ""
    var whole = ""

    init(_ text: RichText) { add(text) }

    init(_ line: MathLine) {
        for segment in line.segments {
            switch segment {
            case .text(let text): add(text)
            case .matrix(let matrix): for cell in matrix.rows.joined() { add(cell) }
            case .math(let math): add(math.richText)
            }
        }
    }

    /// Each part apart from the last by a space, so that two numbers never read as one.
    private mutating func add(_ text: RichText) {
        quantities += text.quantities.map { ($0.quantity, text.text(of: $0)) }
        untagged += " " + text.plainTextOutsideQuantities
        whole += " " + text.plainText
    }
}
