/// A lesson's document: a title block and a sequence of cells, like a notebook.
///
///     let report = Report(title: "Backpropagation", lesson: "backprop-example") {
///         Section("The forward pass") { "We feed the inputs forward."; notation.step(net_h1) }
///     }
public struct Report: Sendable {
    public var title: RichText
    public var subtitle: RichText?
    /// The lesson's name, printed in the running footer.
    public var lesson: String
    /// Where the example comes from, printed under the title as is.
    public var source: String?
    /// A line for the teacher who ran the lesson (how to change its settings), set by the tool
    /// that ran it; exercise sheets, keys, handouts and slides are for students and have none.
    public var hint: RichText?
    /// Its cells; changing them forgets the numbers they had.
    public var blocks: [Block] { didSet { numbering = (false, nil) } }
    /// The chapter `numbered(chapter:)` numbered it for, and whether it has: a writer handed a
    /// numbered report (a Document's, to write its Markdown) does not count it again.
    var numbering: (done: Bool, chapter: Int?) = (false, nil)

    public init(
        title: RichText, subtitle: RichText? = nil, lesson: String, source: String? = nil,
        @ReportBuilder content: () -> [Block]
    ) {
        self.title = title
        self.subtitle = subtitle
        self.lesson = lesson
        self.source = source
        self.blocks = content()
    }

    /// Every cell in reading order, sections and notes opened, each listed before its content.
    public var cells: [Block] {
        func walk(_ blocks: [Block]) -> [Block] {
            blocks.flatMap { block -> [Block] in
                switch block {
                case .section(let section): [block] + walk(section.content)
                case .note(let note): [block] + walk(note.content)
                default: [block]
                }
            }
        }
        return walk(blocks)
    }

    /// Every worked step, in reading order.
    public var steps: [Step] { cells.compactMap { if case .step(let step) = $0 { step } else { nil } } }
}

/// One cell of a report. Lessons write the cell types (`Section`, `Step`, …); the renderer
/// switches over this enum.
///
///     let blocks: [Block] = [.paragraph("The forward pass."), .step(notation.step(net_h1))]
public enum Block: Sendable {
    case section(Section)
    case paragraph(RichText)
    case step(Step)
    case table(Table)
    case figure(Figure)
    case note(Note)
}

/// Anything a report builder accepts: a cell, or several.
///
///     extension Step: ReportContent { public var blocks: [Block] { [.step(self)] } }
public protocol ReportContent {
    var blocks: [Block] { get }
}

/// A numbered section with a heading; sections nest one level (2.1, 2.2).
///
///     Section("Forward pass") { "Each neuron sums its weighted inputs."; notation.step(net_h1) }
public struct Section: Sendable, ReportContent {
    public var title: RichText
    public var content: [Block]
    /// Whether an exercise sheet asks for this section's results; nil: the default, every
    /// top-level section after the first (the setup) when no section of the report says.
    public var exercise: Bool?
    /// "2", "2.1", "3.2.1" in chapter 3 of a handout: set by `Report.numbered(chapter:)`.
    public internal(set) var number = ""
    /// How deep it is nested: 1 at the top, set with its number.
    public internal(set) var depth = 0

    public init(_ title: RichText, exercise: Bool? = nil, @ReportBuilder content: () -> [Block]) {
        self.title = title
        self.exercise = exercise
        self.content = content()
    }

    public var blocks: [Block] { [.section(self)] }
}

/// Narrative text.
///
///     Paragraph("The error falls to \(notation.number(E.value)).")
public struct Paragraph: Sendable, ReportContent {
    public var text: RichText
    public init(_ text: RichText) { self.text = text }
    public var blocks: [Block] { [.paragraph(text)] }
}

/// Builds report cells from statements: cells, arrays of cells, and bare strings (paragraphs),
/// with `if` and `for` as in ordinary code.
///
///     Section("Updates") { "Each weight steps down its gradient."; for k in 1...8 { notation.step(plus[k]) } }
@resultBuilder
public enum ReportBuilder {
    public static func buildExpression(_ content: some ReportContent) -> [Block] { content.blocks }
    public static func buildExpression(_ content: [some ReportContent]) -> [Block] { content.flatMap(\.blocks) }
    public static func buildExpression(_ text: RichText) -> [Block] { [.paragraph(text)] }
    public static func buildExpression(_ blocks: [Block]) -> [Block] { blocks }
    public static func buildBlock(_ parts: [Block]...) -> [Block] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Block]?) -> [Block] { part ?? [] }
    public static func buildEither(first part: [Block]) -> [Block] { part }
    public static func buildEither(second part: [Block]) -> [Block] { part }
    public static func buildArray(_ parts: [[Block]]) -> [Block] { parts.flatMap { $0 } }
}
