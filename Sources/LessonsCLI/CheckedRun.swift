import LessonKit
import Lessons
import ReportModel

extension Lesson {
    /// Runs the lesson and refuses a run whose tapes hold a NaN or an infinity: the message
    /// names the first node that produced one, with its step, and nothing is written.
    ///
    ///     let result = try lesson.checkedRun(parameters)   // "… net_o1 overflows to ∞: net_o1 = …"
    func checkedRun(_ parameters: Parameters) throws(CommandError) -> LessonResult {
        let result = run(parameters)
        if let trouble = result.recordings.lazy.compactMap(\.nonFinite).first {
            let place = origin(parameters).map { " (from the line at \($0))" } ?? ""
            throw CommandError(
                "\(name): \(trouble)\(place). Nothing was written; choose other values (see: lessons params \(name))",
                status: ExitStatus.nonFinite)
        }
        return result
    }
}
