/// A table with a header row; numeric columns align to the right.
///
///     Table("Weights after one step", columns: [.init("weight"), .init("new", alignment: .trailing)],
///           rows: [["w_5", "0.35891648"]])
public struct Table: Sendable, ReportContent {
    public struct Column: Sendable {
        public enum Alignment: Sendable { case leading, center, trailing }
        public var header: RichText
        public var alignment: Alignment
        public init(_ header: RichText, alignment: Alignment = .leading) {
            self.header = header
            self.alignment = alignment
        }
    }

    public var caption: RichText?
    public var columns: [Column]
    public var rows: [[RichText]]
    /// "2", or "3.2" in chapter 3 of a handout: set by `Report.numbered(chapter:)`.
    public internal(set) var number = ""

    public init(_ caption: RichText? = nil, columns: [Column], rows: [[RichText]]) {
        precondition(rows.allSatisfy { $0.count == columns.count }, "every row needs one cell per column")
        self.caption = caption
        self.columns = columns
        self.rows = rows
    }

    public var blocks: [Block] { [.table(self)] }
}
