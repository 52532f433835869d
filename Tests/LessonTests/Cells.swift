import LessonKit
import ReportModel

/// Every cell of a result in reading order, sections and notes opened (each listed before its content).
func cells(_ result: LessonResult) -> [Block] { result.report.cells }

func steps(_ result: LessonResult) -> [Step] { result.report.steps }

func notes(_ result: LessonResult) -> [Note] {
    cells(result).compactMap { if case .note(let n) = $0 { n } else { nil } }
}

func paragraphs(_ result: LessonResult) -> [String] {
    cells(result).compactMap { if case .paragraph(let text) = $0 { text.plainText } else { nil } }
}
