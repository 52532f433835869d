/// The handout's page, fonts and colours: a quiet textbook look, serif text and sans headings.
/// DejaVu has every glyph the lessons use (∂ σ Σ ŷ ⊙ …), so Pango never falls back.
enum Theme {
    static let serif = "DejaVu Serif"
    static let sans = "DejaVu Sans"
    static let mono = "DejaVu Sans Mono"

    static let body = Font(serif, 10)
    static let math = Font(serif, 10.5)
    static let title = Font(sans, 20, bold: true)
    static let subtitle = Font(serif, 11.5, italic: true)
    static let heading = Font(sans, 13, bold: true)
    static let subheading = Font(sans, 11, bold: true)
    static let caption = Font(sans, 8.5)
    static let small = Font(sans, 8)
    /// An exercise's answer label, in the corner of its step.
    static let tag = Font(mono, 7.5)
    static let tableHeader = Font(sans, 8.5, bold: true)
    static let tableCell = Font(serif, 9.5)
    static let noteTitle = Font(sans, 9.5, bold: true)
    static let noteBody = Font(serif, 9.5)
    static let diagram = Font(serif, 9.5)
    static let diagramSmall = Font(sans, 7.5)
    /// The side of a heatmap cell that prints its value: room for "−10" or "3.75" in `small`.
    static let numberedCell = 22.0

    static let ink = Color(0x1c1e21)
    static let muted = Color(0x646a73)
    static let accent = Color(0x2b5797)
    static let rule = Color(0xb9bec6)
    static let faint = Color(0xe4e7eb)
    static let stepFill = Color(0xf4f6f9)
    static let remarkFill = Color(0xedf3fb)
    static let errataFill = Color(0xfcf4e4)
    static let errataAccent = Color(0xb8731c)
    static let white = Color(0xffffff)

    /// Fill and outline of a neuron by kind.
    static let inputFill = Color(0xe3edf9), inputStroke = Color(0x5a7fb8)
    static let hiddenFill = Color(0xe5f3e6), hiddenStroke = Color(0x4f8f57)
    static let outputFill = Color(0xfbeadb), outputStroke = Color(0xc0763a)
    static let biasFill = Color(0xf0f0f0), biasStroke = Color(0x9a9ea5)
    /// Computation graphs: type sizes (scaled down at most to 7/8, so never under 7 pt) and
    /// colours from the Okabe–Ito palette, which colour-blind readers tell apart.
    static let graphName = Font(serif, 9)
    static let graphOperation = Font(serif, 9.5)
    static let graphValue = Font(sans, 8)
    static let legend = Font(sans, 7.5)
    static let operationFill = Color(0xf3f4f6), operationStroke = Color(0x9a9ea5)
    static let gradient = Color(0xd55e00)  // Okabe–Ito vermillion: ∂output/∂node
    static let gradientEdge = Color(0xe8a27c)
    static let highlight = Color(0x0072b2)  // Okabe–Ito blue: the chain being worked
    static let groupFill = Color(0xfafbfc)
    /// Series colours, in order.
    static let series = [Color(0x2b5797), Color(0xc0563a), Color(0x3d8b4f), Color(0x8a4fb0)]
}
