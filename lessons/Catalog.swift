import Report

/// Every lesson the tool knows, in the order `lessons list` prints them.
/// Adding a lesson: one file in `lessons/` defining `Lesson.yourLesson`, one line here.
///
///     Catalog.lesson(named: "backprop-example")?.title
///     Catalog.lessons.map(\.name)   // ["backprop-example"]
public enum Catalog {
    public static let lessons: [Lesson] = [
        .backpropExample,
        .logisticRegression,
        .optimizers,
        .activations,
        .gradientDescent,
        .softmax,
        .backpropMatrix,
        .decisionBoundary,
        .convSizes,
        .networkSize,
        .perceptron,
        .newton,
        .batchNorm,
        .particleSwarm,
        .hyperparameterSearch,
        .initialisation,
        .residual,
        .rnn,
        .regularisation,
        .hog,
    ]

    public static func lesson(named name: String) -> Lesson? {
        lessons.first { $0.name == name }
    }
}
