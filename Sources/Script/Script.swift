import LessonKit
import MathNotation
import ReportModel

/// A lesson script, read but not yet run: its declarations and its cells, each with where it
/// was written, so that running it can point at the line a number came from.
///
///     let script = try ScriptParser.parse(text, file: "unit.lesson.md")
///     script.parameters.map(\.parameter.name)   // ["x1", "w1", "b", "y", "alpha"]
public struct Script: Sendable {
    public var file: String
    /// The name `lessons run` takes: front matter `name:`, else the file's name before `.lesson.md`.
    public var name: String
    /// One line for `lessons list`: front matter `title:`, else the `#` heading.
    public var title: String
    var heading: String
    var subtitle: String?
    var source: String?
    /// Front matter `digits:` (a `digits` parameter, when declared, wins).
    var digits = 6
    var parameters: [DeclaredParameter] = []
    var rules: [Rule] = []
    var variations: [Variation] = []
    var soundness: Expr?
    /// Settings that change what happens, each with its line: `lessons params` lists them.
    var regimes: [(settings: [String], meaning: String, location: SourceLocation)] = []
    var cells: [Cell] = []
    /// The file's lines, for the line an error at run time quotes.
    var lines: [String] = []

    struct DeclaredParameter: Sendable {
        var parameter: Parameter
        var symbol: Symbol?
        var location: SourceLocation
    }

    /// `require class < length(z) "class must be one of z's classes"`.
    struct Rule: Sendable {
        var condition: Expr
        var message: String
        var location: SourceLocation
    }
}

/// A cell of the report, as written.
enum Cell: Sendable {
    case section(title: Prose, exercise: Bool?, cells: [Cell], SourceLocation)
    case paragraph(Prose)
    /// A fenced `compute` block; `tape` names a second tape (`compute linear`), whose labels
    /// values.json puts behind `linear.`.
    case statements(tape: String, [Statement])
    case note(title: String, errata: Bool, [Prose], SourceLocation)
}

/// Text with values in braces: `the loss is {L}`, `{L⁺ < L ? "lowers" : "raises"}`.
struct Prose: Sendable {
    enum Piece: Sendable {
        case text(String)
        case value(Expr)
    }
    var pieces: [Piece]
    var location: SourceLocation
}

/// One line of a compute block.
struct Statement: Sendable {
    enum Kind: Sendable {
        /// `z = w1·x1 + b`: recorded, labeled and (unless `let`) shown as a step.
        case assignment(label: String, Expr, shown: Bool)
        /// `∂L/∂w1`, or `∂L/∂z = ∂L/∂a · ∂a/∂z [simplified]` (a chain through named nodes),
        /// or `∂E/∂w = ∂E1/∂w + ∂E2/∂w` (a sum of parts).
        case derivative(of: String, withRespectTo: String, form: DerivativeForm)
        case graph(of: String, backward: Bool, highlighting: [String])
        /// `network E_total`: the dense network the tape computes, read off it.
        case network(of: String)
        /// Curves of one variable drawn in one figure, each with its legend name (nil: its formula).
        case plot([(curve: Expr, name: String?)], variable: String, from: Expr, to: Expr)
        /// A formula of two variables over a grid, one coloured cell per point (a decision region,
        /// a loss surface), with a colour bar named by its legend name (nil: its formula).
        case heatmap(Expr, name: String?, x: String, xRange: (Expr, Expr), y: String, yRange: (Expr, Expr))
        case table([String])
        case parameterTable
        /// One group (w1, w2 on L), or a game: `w on L_D then a on L_G`, each group stepped in turn
        /// on its own loss at the values the groups before it left.
        case train(groups: [Training], steps: Expr, rate: Expr)
    }

    enum DerivativeForm: Sendable, Equatable {
        case direct
        case chain([String], simplified: Bool)
        case sum([String])
    }

    var kind: Kind
    var caption: String?
    var symbol: Symbol?
    var marks: Double?
    /// `for d in 0...6, j in 1...3`: the line once for each value of its indices, the last
    /// running fastest (an assignment sets theta{d}, a table has a row per value).
    var repeats: [(index: String, from: Expr, to: Expr)] = []
    /// A plot's data drawn as points: `points x_dev, y_dev "Dev"`, or one group per value of an
    /// index, `points fold(x, j, k), fold(y, j, k) "fold {j}" for j in 1...k`.
    var points: [(x: Expr, y: Expr, name: String?, repeats: (index: String, from: Expr, to: Expr)?)] = []
    var location: SourceLocation
    /// Where each name the line mentions was written, for errors about it.
    var places: [String: SourceLocation] = [:]
}

/// What the page prints for a name: `as θ_0` is typeset like a label (θ₀, `MSE⁺` as MSE⁺),
/// `as "E_{total}^{+}"` is text with the inline markup.
struct Symbol: Sendable, Equatable {
    var written: String
    var isName: Bool

    var text: RichText { isName ? MathName.text(for: written) : RichText(written) }
}

/// The parameters one loss steps in a `train` line.
struct Training: Equatable {
    var parameters: [String]
    var loss: String
}
