import CDeflate
import Dispatch
import Engine
import Foundation
import LessonKit
import Lessons
import Render
import ReportModel
import Script

// Release-build benchmark: `swift run -c release lessons-bench` (or scripts/bench, which also
// times the whole command and the Python baselines side by side). Each figure is the best of
// several repetitions, so a passing hiccup of the machine does not count.

func best(of repetitions: Int, _ body: () throws -> Void) rethrows -> Double {
    var fastest = Double.infinity
    for _ in 0..<repetitions {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return fastest
}

/// Keeps a result alive so the optimiser cannot drop the work that made it.
@inline(never) func keep(_ x: Double) { if x == 42.4242 { print("") } }

// 1. Recording: a long chain of mixed operations on one reused tape.
let tape = Tape()
let operations = 1_000_000
var last = tape.constant(0)
let recording = best(of: 5) {
    tape.clear()
    var x = tape.input(0.5, "x")
    let c = tape.constant(0.999)
    for _ in 0..<(operations / 4) { x = ((x * c + c) - c).sigmoid() }
    last = x
}
keep(last.value)
let backward = best(of: 5) {
    tape.backward(from: last)
    keep(tape.gradients[0])
}
print(
    String(
        format: "record           %6.1f ns per scalar operation (%d operations on a reused tape)",
        recording / Double(operations) * 1e9, operations))
print(String(format: "backward         %6.1f ns per node", backward / Double(tape.count) * 1e9))
// `lessons-bench record` stops here: the engine alone, for a profiler.
if CommandLine.arguments.dropFirst().first == "record" { exit(0) }

// 2. The lesson's training run.
let parameters = try! Lesson.backpropExample.parameters(settings: [])
var trained = 0.0
let training = best(of: 5) {
    trained = Training(parameters, iterations: 10000, order: .simultaneous).error(after: 10000)!
}
if CommandLine.arguments.dropFirst().first == "training" {
    for _ in 0..<50 { keep(Training(parameters, iterations: 10000, order: .simultaneous).error(after: 10000)!) }
    exit(0)
}
print(
    String(
        format: "training         %6.2f ms for 10000 iterations = %.4f s (E_total after: %.10g)", training * 1e3,
        training, trained))

// 2b. Reading a lesson script: the text to the parsed script, for each example (the slowest is the row).
let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("examples")
var slowestParse = 0.0
for name in ["logistic-unit", "backprop-222", "softmax-vector", "tanh-321"] {
    let text = try! String(contentsOf: examples.appendingPathComponent(name + ".lesson.md"), encoding: .utf8)
    let parsing = best(of: 20) { keep(Double(try! ScriptParser.parse(text, file: name).name.count)) }
    slowestParse = max(slowestParse, parsing)
}
print(String(format: "script parse     %6.3f ms, the slowest of the four examples/ scripts", slowestParse * 1e3))

// The floor: the same 10000 rounds as a hand-written loop over plain Doubles, no tape, the
// forward pass, the backward pass of the notes and the simultaneous update written out.
func handWritten(_ p: Parameters, iterations: Int) -> Double {
    var w = [0] + (1...8).map { p["w\($0)"] }
    let (lr, i1, i2, t1, t2, b1, b2) = (p["lr"], p["i1"], p["i2"], p["t1"], p["t2"], p["b1"], p["b2"])
    func σ(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
    var error = 0.0
    for round in 0...iterations {
        let h1 = σ(w[1] * i1 + w[2] * i2 + b1)
        let h2 = σ(w[3] * i1 + w[4] * i2 + b1)
        let o1 = σ(w[5] * h1 + w[6] * h2 + b2)
        let o2 = σ(w[7] * h1 + w[8] * h2 + b2)
        error = 0.5 * (t1 - o1) * (t1 - o1) + 0.5 * (t2 - o2) * (t2 - o2)
        if round == iterations { break }
        let δo1 = (o1 - t1) * o1 * (1 - o1)
        let δo2 = (o2 - t2) * o2 * (1 - o2)
        let δh1 = (δo1 * w[5] + δo2 * w[7]) * h1 * (1 - h1)
        let δh2 = (δo1 * w[6] + δo2 * w[8]) * h2 * (1 - h2)
        // Every δ is from the old weights, so the updates may go in place.
        w[1] -= lr * δh1 * i1
        w[2] -= lr * δh1 * i2
        w[3] -= lr * δh2 * i1
        w[4] -= lr * δh2 * i2
        w[5] -= lr * δo1 * h1
        w[6] -= lr * δo1 * h2
        w[7] -= lr * δo2 * h1
        w[8] -= lr * δo2 * h2
    }
    return error
}
var floorError = 0.0
let floor = best(of: 9) { floorError = handWritten(parameters, iterations: 10000) }
print(
    String(
        format:
            """
            hand-written     %6.3f ms for 10000 iterations, no tape (E_total \
            after: %.10g): the tape is %.1f× the floor (target ≤ 10×)
            """,
        floor * 1e3, floorError, training / floor))

// 3. The stages of `lessons run backprop-example`.
var result: LessonResult!
let lesson = best(of: 5) { result = Lesson.backpropExample.run(parameters) }
var document: Document!
let layout = best(of: 5) { document = Document(result.report) }
let pdf = try! best(of: 5) { _ = try document.pdf() }
let png = try! best(of: 3) { _ = try document.pngs(dpi: 150) }
let json = best(of: 5) { _ = result.json() }
print(
    String(
        format:
            "lesson           %6.1f ms (engine, the 10000-iteration run and the errata's other order, report cells)",
        lesson * 1e3))
print(String(format: "layout           %6.1f ms (%d pages)", layout * 1e3, document.pageCount))
print(String(format: "pdf              %6.1f ms", pdf * 1e3))
print(
    String(
        format: "png              %6.1f ms (%d pages at 150 dpi, on %d cores)", png * 1e3, document.pageCount,
        ProcessInfo.processInfo.activeProcessorCount))
print(String(format: "json             %6.1f ms", json * 1e3))

// Every formula of every lesson (what handout --all sets), laid out alone with a fresh typesetter.
let everyReport = Catalog.lessons.map { $0.run(try! $0.parameters(settings: [])).report }
var formulas = 0
let mathLayout = best(of: 3) { formulas = MathBenchmark.layOutEveryFormula(of: everyReport) }
print(
    String(
        format: "math layout      %6.1f ms for %d formulas: every step of every lesson (handout --all's math)",
        mathLayout * 1e3, formulas))

// The PNG compressor on one page's filtered rows (page 5: steps and a graph), against libdeflate
// at its best level for these pages, on the same bytes.
let filteredRows: [UInt8] = {
    let png = try! document.png(page: 4, dpi: 150)
    var idat = [UInt8]()
    var offset = 8
    while offset + 8 <= png.count {
        let length = png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        if String(decoding: png[offset + 4..<offset + 8], as: UTF8.self) == "IDAT" {
            idat += png[offset + 8..<offset + 8 + length]
        }
        offset += 12 + length
    }
    let decompressor = libdeflate_alloc_decompressor()!
    defer { libdeflate_free_decompressor(decompressor) }
    var rows = [UInt8](repeating: 0, count: 64 << 20)
    var size = 0
    _ = libdeflate_zlib_decompress(decompressor, idat, idat.count, &rows, rows.count, &size)
    return Array(rows.prefix(size))
}()
var ourSize = 0
var theirSize = 0
let ours = best(of: 9) { ourSize = filteredRows.withUnsafeBufferPointer { Deflate.zlib($0) }.count }
let compressor = libdeflate_alloc_compressor(2)!
var compressed = [UInt8](repeating: 0, count: libdeflate_zlib_compress_bound(compressor, filteredRows.count))
let theirs = best(of: 9) {
    theirSize = libdeflate_zlib_compress(compressor, filteredRows, filteredRows.count, &compressed, compressed.count)
}
libdeflate_free_compressor(compressor)
print(
    String(
        format:
            """
            png deflate      %6.2f ms, %d bytes (a 150 dpi page, \
            %.1f MB filtered); libdeflate level 2: %.2f ms, %d bytes
            """,
        ours * 1e3, ourSize, Double(filteredRows.count) / 1e6, theirs * 1e3, theirSize))

// 4. The 2-2-2 graph of E_total: laid out by dot in the page's width (trying arrangements until
//    one fits), then drawn; and the whole graph alone at its natural size, as `lessons graph` does.
let backpropTape = result.recordings[0]
for view in ComputationGraph.View.allCases {
    let graph = backpropTape.graph(view: view)
    let page = Report(title: "graph", lesson: "graph") { Figure("E_total", graph: graph) }
    var laid: Document!
    let layoutTime = best(of: 9) { laid = Document(page) }
    let drawTime = try! best(of: 9) { _ = try laid.pdf() }
    let alone = try! best(of: 9) { _ = try Drawing(Figure("E_total", graph: graph)).pdf() }
    print(
        String(
            format:
                """
                graph %-9@ %5.1f ms laid out in the page + %4.1f ms drawn \
                (PDF) = %4.1f ms; alone, whole: %4.1f ms (target ≤ 20 ms)
                """,
            view.rawValue as NSString, layoutTime * 1e3, drawTime * 1e3, (layoutTime + drawTime) * 1e3, alone * 1e3))
}

// 5. The tensor engine at course sizes, each the median of many repetitions, beside PyTorch
//    doing the same work in float64 (bench/pytorch_tensors.py, run by scripts/bench).
func median(of repetitions: Int, _ body: () -> Void) -> Double {
    var times: [Double] = []
    for _ in 0..<repetitions {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return times.sorted()[times.count / 2]
}
func randomArray(_ shape: Shape, seed: UInt64) -> NDArray {
    var random = SeededGenerator(seed: seed)
    return NDArray(shape: shape, scalars: (0..<shape.count).map { _ in random.uniform(in: -1...1) })
}
let tensorTape = TensorTape()
let (x64, w64, b64) = (randomArray([64, 64], seed: 1), randomArray([64, 64], seed: 2), randomArray([64], seed: 3))
let dense = median(of: 2000) {
    tensorTape.clear()
    let (x, w, b) = (tensorTape.input(x64), tensorTape.input(w64), tensorTape.input(b64))
    tensorTape.backward(from: (x.matmul(w) + b).relu().sum())
    keep(w.gradient.scalars[0])
}
let (logits64, targets64) = (randomArray([64, 10], seed: 4), (0..<64).map { $0 % 10 })
let crossEntropy = median(of: 5000) {
    tensorTape.clear()
    let z = tensorTape.input(logits64)
    tensorTape.backward(from: z.crossEntropy(targets: targets64))
    keep(z.gradient.scalars[0])
}
// One epoch of decision-boundary's training: 200 points through 2–3–2 with tanh, cross-entropy,
// backward, and an Adam step on the four parameter arrays (Adam written out as the lesson has it).
let points = randomArray([200, 2], seed: 5)
let labels = (0..<200).map { $0 % 2 }
var weights = [
    randomArray([2, 3], seed: 6), randomArray([3], seed: 7), randomArray([3, 2], seed: 8), randomArray([2], seed: 9),
]
var moments = weights.map { [Double](repeating: 0, count: $0.shape.count) }
var squares = moments
var step = 0
let epoch = median(of: 3000) {
    tensorTape.clear()
    let leaves = weights.map { tensorTape.input($0) }
    let hidden = (tensorTape.input(points).matmul(leaves[0]) + leaves[1]).tanh()
    tensorTape.backward(from: (hidden.matmul(leaves[2]) + leaves[3]).crossEntropy(targets: labels))
    step += 1
    for k in weights.indices {
        var w = weights[k].scalars
        let g = leaves[k].gradient.scalars
        for i in w.indices {
            moments[k][i] = 0.9 * moments[k][i] + 0.1 * g[i]
            squares[k][i] = 0.999 * squares[k][i] + 0.001 * g[i] * g[i]
            w[i] -=
                0.05 * (moments[k][i] / (1 - pow(0.9, Double(step))))
                / ((squares[k][i] / (1 - pow(0.999, Double(step)))).squareRoot() + 1e-8)
        }
        weights[k] = NDArray(shape: weights[k].shape, scalars: w)
    }
}
// conv-sizes' benchmark (issue 8): LeNet's first layer on one digit, and a small CIFAR-sized batch.
let (digit, lenetFilters) = (randomArray([1, 1, 28, 28], seed: 10), randomArray([6, 1, 5, 5], seed: 11))
let convolution = median(of: 2000) {
    tensorTape.clear()
    let (x, w) = (tensorTape.input(digit), tensorTape.input(lenetFilters))
    tensorTape.backward(from: x.conv2d(w).sum())
    keep(w.gradient.scalars[0])
}
let (batch, batchFilters) = (randomArray([8, 3, 32, 32], seed: 12), randomArray([16, 3, 3, 3], seed: 13))
let batchConvolution = median(of: 300) {
    tensorTape.clear()
    let (x, w) = (tensorTape.input(batch), tensorTape.input(batchFilters))
    tensorTape.backward(from: x.conv2d(w, padding: 1).sum())
    keep(w.gradient.scalars[0])
}
print(String(format: "tensor dense      %6.1f µs  64×64 matmul + bias + ReLU, forward and backward", dense * 1e6))
print(
    String(
        format: "tensor softmax CE %6.1f µs  cross-entropy of 64×10 logits, forward and backward", crossEntropy * 1e6))
print(
    String(
        format: "tensor epoch      %6.1f µs  one full-batch Adam epoch of decision-boundary (200 points, 2–3–2, tanh)",
        epoch * 1e6))
print(
    String(
        format: "tensor conv digit %6.1f µs  conv2d 1×1×28×28 with 6 filters 5×5, forward and backward",
        convolution * 1e6))
print(
    String(
        format: "tensor conv batch %6.1f µs  conv2d 8×3×32×32 with 16 filters 3×3, padding 1, forward and backward",
        batchConvolution * 1e6))
