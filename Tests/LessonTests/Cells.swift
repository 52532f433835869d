import Report

/// Every cell of a result in reading order, sections and notes opened (each listed before its content).
func cells(_ result: LessonResult) -> [Block] {
    func walk(_ blocks: [Block]) -> [Block] {
        blocks.flatMap { block -> [Block] in
            switch block {
            case .section(let section): [block] + walk(section.content)
            case .note(let note): [block] + walk(note.content)
            default: [block]
            }
        }
    }
    return walk(result.report.blocks)
}

func steps(_ result: LessonResult) -> [Step] { cells(result).compactMap { if case .step(let s) = $0 { s } else { nil } } }

func notes(_ result: LessonResult) -> [Note] { cells(result).compactMap { if case .note(let n) = $0 { n } else { nil } } }

func paragraphs(_ result: LessonResult) -> [String] {
    cells(result).compactMap { if case .paragraph(let text) = $0 { text.plainText } else { nil } }
}
