import Engine
import LessonKit
import LessonsCLI
import ReportModel

extension Lesson {
    /// One step of gradient descent on f(x) = (x − 3)², written with LessonContext.
    static let parabola = Lesson(
        name: "parabola",
        title: "One gradient step on (x − 3)²",
        parameters: [
            .real("x", 0, in: -10...10, "where the step starts"), .real("lr", 0.25, in: 0...1, "learning rate η"),
            .digits(6),
        ]
    ) { p in
        let context = LessonContext(p, symbols: ["lr": "η"])
        let (tape, n) = context.tape()
        let x = tape.input(p["x"], "x")
        let lr = tape.input(p["lr"], "lr")
        let f = (x - 3).pow(2).labeled("f")
        let slope = context.name(tape.derivative(of: f, withRespectTo: x), "df/dx", on: tape)
        let next = (x - lr * slope).labeled("x+")
        let report = Report(title: "One gradient step", lesson: "parabola") {
            Section("The step") {
                n.step(f)
                n.derivative(of: f, withRespectTo: x)
                n.step(next)
            }
        }
        return context.result(lesson: "parabola", report: report, outputs: [f])
    }
}

LessonsCommand.start(adding: [.parabola])
