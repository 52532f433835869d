import ReportModel

/// The web page's parts for pages made outside Render (`lessons serve`'s lesson list and
/// forms): the page with the report's stylesheet, and text escaped as the report's pages are.
///
///     let page = WebPage.document(title: "Lessons", body: "<main>…</main>", head: "<style>…</style>")
///     let cell = WebPage.escape("a < b")   // "a &lt; b"
public enum WebPage {
    /// A whole page: the report's stylesheet, then `head` (more style, a script), then `body`.
    public static func document(title: String, body: String, head: String = "", bodyClass: String? = nil) -> String {
        let page = HTMLPage.document(title: title, body: body, head: head)
        guard let bodyClass else { return page }
        return page.replacingOccurrences(
            of: "</head>\n<body>", with: "</head>\n<body class=\"\(HTMLPage.escape(bodyClass))\">")
    }

    /// Text as HTML character data or a quoted attribute value.
    public static func escape(_ text: String) -> String { HTMLPage.escape(text) }

    /// Rich text as HTML: italic, bold, code, indices as sub- and superscripts.
    public static func inline(_ text: RichText) -> String { HTMLPage.inline(text) }
}
