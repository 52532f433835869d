import Foundation
import LessonKit
import Lessons
import ReportModel
import Testing

@testable import Render

/// A slide that says what its figure shows must show it: computation graphs whole (never cut to
/// the nodes nearest the output), network diagrams with no label over a neuron or another label.
@Suite struct SlideFigureTests {
    /// Every figure of every lesson at its defaults.
    static let figures: [(lesson: String, figure: Figure)] = Catalog.lessons.flatMap { lesson in
        cells(lesson.run(Self.defaults(lesson)).report.blocks).compactMap {
            if case .figure(let f) = $0 { (lesson.name, f) } else { nil }
        }
    }

    /// Every cell in reading order, sections and notes opened.
    static func cells(_ blocks: [Block]) -> [Block] {
        blocks.flatMap { block -> [Block] in
            switch block {
            case .section(let section): cells(section.content)
            case .note(let note): cells(note.content)
            default: [block]
            }
        }
    }

    static func defaults(_ lesson: Lesson) -> Parameters { try! lesson.parameters(settings: []) }

    static let slide = Page.slide

    @Test func everyNodeOfEveryGraphIsOnItsSlide() throws {
        var graphs = 0
        for (lesson, figure) in Self.figures {
            guard case .graph(let graph) = figure.content else { continue }
            graphs += 1
            let drawn = GraphDrawing(
                graph: graph, typesetter: Typesetter(page: Self.slide),
                bounds: Size(Self.slide.contentWidth, Self.slide.contentHeight), mayCut: false
            ).draw()
            // Folding may merge unnamed operations into the nodes they feed; every leaf and named node stays.
            let kept = Set(drawn.nodes.map(\.id))
            let named = graph.nodes.filter { $0.kind != .operation }.map(\.id)
            #expect(
                named.allSatisfy(kept.contains),
                """
                \(lesson): \(figure.caption.plainText.prefix(60)) loses \
                \(named.filter { !kept.contains($0) }.count) nodes
                """
            )
        }
        #expect(graphs >= 5)
        // The pipeline itself: the slide's typesetter asks for the whole graph.
        let backward = try #require(
            Self.figures.first {
                $0.lesson == "backprop-example" && $0.figure.caption.plainText.hasPrefix("The backward pass")
            })
        let scale = SlideDeck.figureScale
        let box = Typesetter(page: Self.slide).box(
            for: backward.figure, width: Self.slide.contentWidth / scale, height: Self.slide.contentHeight / scale)
        let shown = text(of: box.marks)  // SlideTests' reading of a page
        for k in 1...8 { #expect(shown.contains("w\(k)"), "w\(k) on the backward graph's slide") }
    }

    /// At the width a slide sets its figures in (70% of the slide's type), and on A4.
    @Test(arguments: [Page.slide.contentWidth / SlideDeck.figureScale, Page.a4.contentWidth])
    func noLabelCoversANeuronOrAnotherLabel(width: Double) {
        var diagrams = 0
        for (lesson, figure) in Self.figures {
            guard case .network(let network) = figure.content else { continue }
            diagrams += 1
            let drawn = NetworkDrawing(network: network, width: width, typesetter: Typesetter(page: Self.slide)).draw()
            for (k, label) in drawn.labels.enumerated() {
                for neuron in drawn.neurons {
                    #expect(
                        !NetworkDrawing.overlaps(label, neuron.center, neuron.radius),
                        "\(lesson): label \(k) over a neuron at width \(width)")
                }
                for other in drawn.labels[(k + 1)...] {
                    #expect(
                        !NetworkDrawing.overlaps(label, other, gap: 0), "\(lesson): labels overlap at width \(width)")
                }
            }
        }
        #expect(diagrams >= 3)
    }

    /// Every table of every lesson, on a slide and on an A4 page: no cell is narrower than its
    /// longest word, so a cell wraps at spaces only and never breaks a word.
    @Test(arguments: [Page.slide, Page.a4])
    func tableCellsNeverBreakAWord(page: Page) {
        var tables = 0
        for lesson in Catalog.lessons {
            let typesetter = Typesetter(page: page)
            let lessonTables = Self.cells(lesson.run(Self.defaults(lesson)).report.blocks).compactMap {
                if case .table(let t) = $0 { t } else { nil }
            }
            for table in lessonTables {
                tables += 1
                // A slide sets its tables at 70% of its type, in the width that makes.
                let width = page.isLandscape ? page.contentWidth / SlideDeck.figureScale : page.contentWidth
                let placed = typesetter.boxes(for: table, width: width).flatMap(\.marks).compactMap {
                    mark -> (spec: TextSpec, at: Point)? in
                    // A cell in the table's fonts, or in both set smaller where the table is too wide.
                    guard case .text(let spec, let at) = mark, spec.width != nil,
                        [Theme.tableCell, Theme.tableHeader].contains(where: {
                            spec.font.family == $0.family && spec.font.bold == $0.bold && spec.font.size <= $0.size
                        })
                    else { return nil }
                    return (spec, at)
                }
                let cells = placed.map(\.spec)
                // On a printed page every table keeps within the text width (a slide may scale one down).
                if !page.isLandscape {
                    let right = placed.map { $0.at.x + $0.spec.width! }.max() ?? 0
                    #expect(
                        right <= page.contentWidth + 0.5,
                        "\(lesson.name): a table runs \(right - page.contentWidth) pt past the text width")
                }
                // The cells' marks come header first, then row by row.
                let texts = [table.columns.map(\.header)] + table.rows
                #expect(cells.count == texts.joined().count, "\(lesson.name): one mark per cell")
                for (cell, text) in zip(cells, texts.joined()) {
                    for word in Self.words(of: text) {
                        let wide = typesetter.measure(typesetter.spec(word, cell.font)).width
                        #expect(
                            wide <= cell.width! + 0.5,
                            "\(lesson.name): ‘\(word.plainText)’ (\(wide) pt) in a cell \(cell.width!) pt wide")
                    }
                }
            }
        }
        #expect(tables >= 20)
    }

    @Test func overlapTestsSeeOverlaps() {
        let box = Rect(0, 0, 10, 10)
        #expect(NetworkDrawing.overlaps(box, Point(15, 5), 6) && !NetworkDrawing.overlaps(box, Point(17, 5), 6))
        #expect(
            NetworkDrawing.overlaps(box, Rect(9, 9, 5, 5), gap: 0)
                && !NetworkDrawing.overlaps(box, Rect(12, 0, 5, 5), gap: 1))
    }

    /// A cell's words, each with its styles (a subscript stays a subscript).
    static func words(of text: RichText) -> [RichText] {
        var words: [RichText] = []
        var current = RichText()
        for run in text.runs {
            for (k, piece) in run.text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
                if k > 0 {
                    if !current.runs.isEmpty { words.append(current) }
                    current = RichText()
                }
                if !piece.isEmpty { current += .plain(String(piece), run.style) }
            }
        }
        if !current.runs.isEmpty { words.append(current) }
        return words
    }
}
