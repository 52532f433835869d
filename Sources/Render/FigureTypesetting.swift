import ReportModel

/// Notes (a bar and its cells, split between cells on a slide) and figures (a drawing and its
/// caption, fitted to the room and filed by ordinal for writing each on its own).
extension Typesetter {
    /// A note as one box, for a slide, which holds it whole.
    func box(for note: Note, width: Double) -> Box { boxes(for: note, width: width, splittable: false)[0] }

    /// A tinted box with a coloured bar, a title and its own cells laid out inside; as one box,
    /// or (`splittable`) as one box per cell, so a long note breaks between its cells across a
    /// page and the tint runs on, the title staying with its first cell.
    func boxes(for note: Note, width: Double, splittable: Bool = true) -> [Box] {
        let (bar, pad) = (3.0, 10.0)
        let inner = width - bar - 2 * pad
        let accent = note.kind == .errata ? Theme.errataAccent : Theme.accent
        let titleSpec = spec(note.title, Theme.noteTitle, color: accent, width: inner)
        // Each cell's marks from the top of its own slice, and the slice's height.
        var slices: [(marks: [Mark], height: Double)] = [
            ([.text(titleSpec, at: Point(bar + pad, pad))], pad + measure(titleSpec).height)
        ]
        for block in note.content {
            let parts: [Box]
            if case .paragraph(let text) = block {
                parts = [paragraph(text, width: inner, font: Theme.noteBody, spaceBefore: 4)]
            } else {
                parts = boxes(for: block, width: inner)
            }
            for part in parts {
                let marks = part.marks.map { $0.offset(by: Point(bar + pad, part.spaceBefore)) }
                slices.append((marks, part.spaceBefore + part.height))
            }
        }
        slices[slices.count - 1].height += pad
        // The title and the first cell are one slice: a title never ends a page.
        if slices.count > 1 {
            let first = slices.removeFirst()
            slices[0] = (
                first.marks + slices[0].marks.map { $0.offset(by: Point(0, first.height)) },
                first.height + slices[0].height
            )
        }
        if !splittable {
            var y = 0.0
            var marks: [Mark] = []
            for slice in slices {
                marks += slice.marks.map { $0.offset(by: Point(0, y)) }
                y += slice.height
            }
            slices = [(marks, y)]
        }
        let fill = note.kind == .errata ? Theme.errataFill : Theme.remarkFill
        return slices.enumerated().map { index, slice in
            let background: [Mark] = [
                .rect(Rect(0, 0, width, slice.height), fill: fill, radius: 2),
                .rect(Rect(0, 0, bar, slice.height), fill: accent),
            ]
            var box = Box(height: slice.height, marks: background + slice.marks, spaceBefore: index == 0 ? 10 : 0)
            // A slice holding one line of text stays with its neighbours: no cell of one line alone across a break.
            box.keepWithNext = index == slices.count - 2 && slices[slices.count - 1].height < 30
            return box
        }
    }

    /// Lays out only the figures of `blocks`, at the widths the page layout gives them (a note's
    /// inside its bar and padding), registering each: a web page needs its figures, not its pages.
    func layOutFigures(of blocks: [Block], width: Double) {
        for block in blocks {
            switch block {
            case .section(let section): layOutFigures(of: section.content, width: width)
            case .note(let note): layOutFigures(of: note.content, width: width - 3 - 2 * 10)
            case .figure(let figure): _ = box(for: figure, width: width, height: page.contentHeight - 60)
            case .paragraph, .step, .table: break
            }
        }
    }

    /// A figure and its caption within `width` × `height`: a drawing too tall is laid out narrower,
    /// which keeps its type at full size, before it is scaled down as a last resort.
    func box(for figure: Figure, width: Double, height: Double) -> Box {
        let captionSpec = spec(
            .plain("Figure \(figure.number). ", .bold) + figure.caption, Theme.caption,
            color: Theme.muted, width: width)
        let room = height - 5 - measure(captionSpec).height
        var drawing = self.drawing(figure.content, width: width, height: room)
        for _ in 0..<2 where drawing.size.height > room {
            drawing = self.drawing(
                figure.content, width: max(width / 2, drawing.size.width * room / drawing.size.height * 0.98),
                height: room)
        }
        // A graph drawn whole at its best arrangement may still be too tall or, on a slide, too
        // wide (attention's left-to-right graph): scaled down until it fits both ways.
        if drawing.size.height > room || drawing.size.width > width {
            let (byHeight, byWidth) = (room / drawing.size.height, width / drawing.size.width)
            let factor = min(byHeight, byWidth)
            // Held by its height, it takes the room exactly (as before the width was looked at).
            drawing = (
                [.scaled(factor, at: Point(0, 0), drawing.marks)],
                Size(drawing.size.width * factor, byHeight <= byWidth ? room : drawing.size.height * factor)
            )
        }
        drawings[figure.ordinal] = FigureDrawing(
            number: figure.ordinal, chapter: chapter, caption: figure.caption.plainText, marks: drawing.marks,
            size: drawing.size)
        let centred = drawing.marks.map { $0.offset(by: Point((width - drawing.size.width) / 2, 0)) }
        let marks = centred + [.text(captionSpec, at: Point(0, drawing.size.height + 5))]
        var box = Box(height: drawing.size.height + 5 + measure(captionSpec).height, marks: marks, spaceBefore: 12)
        box.floats = true
        return box
    }

    /// A figure's marks within `width` (and, for graphs, `height`; nil: its natural size).
    func drawing(_ content: Figure.Content, width: Double, height: Double?) -> (marks: [Mark], size: Size) {
        switch content {
        case .network(let network):
            let drawn = NetworkDrawing(network: network, width: width, typesetter: self).marks()
            return (drawn.marks, Size(width, drawn.height))
        case .plot(let plot):
            let drawn = PlotDrawing(plot: plot, typesetter: self, width: width).marks()
            return (drawn.marks, Size(width, drawn.height))
        case .panels(let panels):
            let drawn = PanelsDrawing(panels: panels, typesetter: self, width: width).marks()
            return (drawn.marks, Size(width, drawn.height))
        case .graph(let graph):
            let drawn = GraphDrawing(
                graph: graph, typesetter: self, bounds: height.map { Size(width, $0) }, mayCut: !page.isLandscape
            ).draw()
            return (drawn.marks, drawn.size)
        }
    }
}
