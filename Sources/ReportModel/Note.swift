/// A boxed aside: a remark, or an erratum that sets published figures against the engine's.
///
///     Note("Why ½?", kind: .remark) { "The ½ cancels the 2 of the square's derivative." }
public struct Note: Sendable, ReportContent {
    public enum Kind: Sendable { case remark, errata }
    public var title: RichText
    public var kind: Kind
    public var content: [Block]

    public init(_ title: RichText, kind: Kind = .remark, @ReportBuilder content: () -> [Block]) {
        self.title = title
        self.kind = kind
        self.content = content()
    }

    public var blocks: [Block] { [.note(self)] }
}
