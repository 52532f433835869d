import Dispatch
import Engine
import Foundation
import Lessons
import Render
import Report

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
let backward = best(of: 5) { tape.backward(from: last); keep(tape.gradients[0]) }
print(String(format: "record           %6.1f ns per scalar operation (%d operations on a reused tape)", recording / Double(operations) * 1e9, operations))
print(String(format: "backward         %6.1f ns per node", backward / Double(tape.count) * 1e9))

// 2. The lesson's training run.
let parameters = try! Lesson.backpropExample.parameters(settings: [])
var trained = 0.0
let training = best(of: 5) { trained = Training(parameters, iterations: 10000, order: .simultaneous).errors[10000] }
print(String(format: "training         %6.2f ms for 10000 iterations = %.4f s (E_total after: %.10g)", training * 1e3, training, trained))

// 3. The stages of `lessons run backprop-example`.
var result: LessonResult!
let lesson = best(of: 5) { result = Lesson.backpropExample.run(parameters) }
var document: Document!
let layout = best(of: 5) { document = Document(result.report) }
let pdf = try! best(of: 5) { _ = try document.pdf() }
let png = try! best(of: 3) { _ = try document.pngs(dpi: 150) }
let json = best(of: 5) { _ = result.json() }
print(String(format: "lesson           %6.1f ms (engine, the 10000-iteration run and the errata's other order, report cells)", lesson * 1e3))
print(String(format: "layout           %6.1f ms (%d pages)", layout * 1e3, document.pageCount))
print(String(format: "pdf              %6.1f ms", pdf * 1e3))
print(String(format: "png              %6.1f ms (%d pages at 150 dpi, on %d cores)", png * 1e3, document.pageCount, ProcessInfo.processInfo.activeProcessorCount))
print(String(format: "json             %6.1f ms", json * 1e3))

// 4. The 2-2-2 graph of E_total: laid out by dot in the page's width (trying arrangements until
//    one fits), then drawn; and the whole graph alone at its natural size, as `lessons graph` does.
let backpropTape = result.recordings[0]
for view in ComputationGraph.View.allCases {
    let graph = backpropTape.notation.graph(of: backpropTape.output, view: view)
    let page = Report(title: "graph", lesson: "graph") { Figure("E_total", graph: graph) }
    var laid: Document!
    let layoutTime = best(of: 9) { laid = Document(page) }
    let drawTime = try! best(of: 9) { _ = try laid.pdf() }
    let alone = try! best(of: 9) { _ = try Drawing(Figure("E_total", graph: graph)).pdf() }
    print(String(format: "graph %-9@ %5.1f ms laid out in the page + %4.1f ms drawn (PDF) = %4.1f ms; alone, whole: %4.1f ms (target ≤ 20 ms)",
                 view.rawValue as NSString, layoutTime * 1e3, drawTime * 1e3, (layoutTime + drawTime) * 1e3, alone * 1e3))
}
