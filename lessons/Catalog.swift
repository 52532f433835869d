import LessonKit
import ReportModel
import Script

/// Every lesson the tool knows, in the order `lessons list` prints them.
/// Adding a lesson: one file in `lessons/` defining `Lesson.yourLesson`, one line here; or a
/// lesson script `lessons/NAME.lesson.md`, one line in Package.swift's resources and one here.
///
///     Catalog.lesson(named: "backprop-example")?.title
///     Catalog.lessons.map(\.name)   // ["backprop-example"]
public enum Catalog {
    public static let lessons: [Lesson] =
        [
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
        ] + scripts

    /// The lesson scripts shipped in `lessons/`, compiled into the tool as their text. A shipped
    /// script that does not read is the tool's bug, not the user's: it stops with its error. They
    /// are read, not run, at load: their defaults and regimes run in the tests (ShippedScriptTests),
    /// and every command would otherwise pay for running all of them first.
    static let scripts: [Lesson] = [
        ("attention.lesson.md", PackageResources.attention_lesson_md),
        ("gan.lesson.md", PackageResources.gan_lesson_md),
        ("bayesian.lesson.md", PackageResources.bayesian_lesson_md),
        ("autoencoder.lesson.md", PackageResources.autoencoder_lesson_md),
        ("transfer-learning.lesson.md", PackageResources.transfer_learning_lesson_md),
        ("multiclass.lesson.md", PackageResources.multiclass_lesson_md),
        ("model-selection.lesson.md", PackageResources.model_selection_lesson_md),
    ].map { file, bytes in
        do {
            return try Lesson(
                script: ScriptParser.parse(String(decoding: bytes, as: UTF8.self), file: "lessons/" + file),
                verifying: false)
        } catch {
            fatalError("the shipped lesson script \(file) does not read:\n\(error)")
        }
    }

    public static func lesson(named name: String) -> Lesson? {
        lessons.first { $0.name == name }
    }
}
