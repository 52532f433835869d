import Engine
import Foundation
import MathNotation
import ReportModel

/// What a formula evaluates to while a script runs: a number not yet on a tape (a literal),
/// a node of the scalar tape, a node of the tensor tape, a caption, or a truth value.
enum Operand {
    case number(Double)
    case scalar(Value)
    case tensor(Tensor)
    case text(String)
    case truth(Bool)

    var kindName: String {
        switch self {
        case .number: "a number"
        case .scalar: "a number"
        case .tensor: "a vector or matrix"
        case .text: "a caption"
        case .truth: "a condition"
        }
    }
}

/// A name's place on a tape: scalar or tensor.
enum Node {
    case scalar(Value)
    case tensor(Tensor)
}

/// One tape of a running script, its names and how it prints them. The main tape is ""; a
/// ```compute linear block writes on "linear", whose labels values.json puts behind `linear.`.
final class TapeScope {
    let name: String
    let tape = Tape()
    private(set) lazy var tensorTape = TensorTape()
    private(set) var usesTensors = false
    var nodes: [String: Node] = [:]
    /// Where each name was set, for messages about it.
    var places: [String: SourceLocation] = [:]
    var notation: Notation
    var tensorNotation: TensorNotation
    /// What `lessons graph` draws: the node of the last `graph` line, else the last step shown.
    var output: Node?
    /// The last node set, shown or not: drawn when the tape shows no step.
    var lastSet: Node?
    /// Leaves holding what a statement worked out off the tape (a training's w₁*): a later line may
    /// start from one as a leaf of its own (`W1 = w1_after_training`, a frozen layer).
    var results: Set<Int> = []
    /// What names a `normal(seed)` draw: the training round (0 outside training), the line's
    /// label and how many draws that line has made so far.
    var round = 0
    var drawLabel = ""
    var drawCount = 0

    init(name: String, format: NumberFormat, symbols: [String: RichText]) {
        self.name = name
        notation = Notation(tape: tape, format: format, symbols: symbols)
        notation.labelPrefix = name.isEmpty ? "" : name + "."
        tensorNotation = TensorNotation(tape: TensorTape(), format: format, symbols: symbols)
    }

    var prefix: String { name.isEmpty ? "" : name + "." }

    /// The tensor tape, made when the first vector or matrix is.
    var tensors: TensorTape {
        if !usesTensors {
            usesTensors = true
            tensorNotation = TensorNotation(tape: tensorTape, format: notation.format, symbols: notation.symbols)
        }
        return tensorTape
    }
}
