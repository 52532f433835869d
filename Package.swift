// swift-tools-version:6.0
import PackageDescription

// One data flow: Lessons (parameters → Engine tape → Report cells) → Render (PDF/PNG) → files.
let package = Package(
    name: "lessons",
    products: [
        .executable(name: "lessons", targets: ["LessonsTool"]),
        .executable(name: "lessons-bench", targets: ["Benchmark"]),
        // For a course's own package: the engine, the report model, the renderer, scripts, the
        // built-in lessons and the command (`LessonsCommand.start(adding: [.myLesson])`).
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "ReportModel", targets: ["ReportModel"]),
        .library(name: "MathNotation", targets: ["MathNotation"]),
        .library(name: "LessonKit", targets: ["LessonKit"]),
        .library(name: "Grading", targets: ["Grading"]),
        .library(name: "Render", targets: ["Render"]),
        .library(name: "Script", targets: ["Script"]),
        .library(name: "Lessons", targets: ["Lessons"]),
        .library(name: "LessonsCLI", targets: ["LessonsCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `lessons serve`: a maintained HTTP server on SwiftNIO.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        // The tests' one approximate equality (`isApproximatelyEqual`).
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.0"),
    ],
    targets: [
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev"])]),
        .systemLibrary(name: "CGraphviz", pkgConfig: "libgvc", providers: [.apt(["libgraphviz-dev"])]),
        // The math layout reads the math font's OpenType MATH table through HarfBuzz (under Pango already).
        .systemLibrary(name: "CHarfBuzz", pkgConfig: "harfbuzz", providers: [.apt(["libharfbuzz-dev"])]),
        .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),

        // The tape's arrays live in a class, so Swift would check exclusive access to them at run
        // time on every recorded operation: 40% of the engine's time in a release profile. The
        // engine never hands out overlapping accesses (each method touches the arrays once), so
        // those stored properties are marked @exclusivity(unchecked) (an unsafe flag instead would
        // make SwiftPM refuse the package as another package's dependency).
        .target(name: "Engine"),
        // The report, by job: the document model (cells and their math), notation (tapes and
        // formula trees to math), the lesson API (lessons, parameters, variants, values.json) and
        // grading (a student's answers marked against a run). Render reads the model alone.
        .target(name: "ReportModel", dependencies: ["Engine"]),
        .target(name: "MathNotation", dependencies: ["Engine", "ReportModel"]),
        .target(name: "LessonKit", dependencies: ["Engine", "ReportModel", "MathNotation"]),
        .target(name: "Grading", dependencies: ["ReportModel", "LessonKit"]),
        .target(
            name: "Render",
            dependencies: ["ReportModel", "CCairo", "CPangoCairo", "CHarfBuzz", "CGraphviz", "CDeflate"]),
        // The built-in lessons: Swift files, and lesson scripts (*.lesson.md) compiled into the
        // tool as text, so a fresh install lists them without a lessons folder.
        .target(
            name: "Lessons", dependencies: ["Engine", "ReportModel", "MathNotation", "LessonKit", "Script"],
            path: "lessons",
            resources: [
                .embedInCode("attention.lesson.md"), .embedInCode("gan.lesson.md"), .embedInCode("bayesian.lesson.md"),
                .embedInCode("autoencoder.lesson.md"),
                .embedInCode("transfer-learning.lesson.md"),
                .embedInCode("model-selection.lesson.md"),
                .embedInCode("multiclass.lesson.md"),
            ]),
        // Lesson scripts: a worked example as a Markdown file, read and run without a rebuild.
        .target(name: "Script", dependencies: ["Engine", "ReportModel", "MathNotation", "LessonKit"]),
        .target(
            name: "LessonsCLI",
            dependencies: [
                "Lessons", "ReportModel", "MathNotation", "LessonKit", "Grading", "Render", "Script",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(name: "LessonsTool", dependencies: ["LessonsCLI"]),
        .executableTarget(
            name: "Benchmark",
            dependencies: [
                "Engine", "Lessons", "ReportModel", "MathNotation", "LessonKit", "Grading", "Render", "Script",
                "CDeflate",
            ]),

        .target(
            name: "TestSupport",
            dependencies: [
                "CCairo", "Engine", .product(name: "RealModule", package: "swift-numerics"),
            ], path: "Tests/Support"),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "TestSupport"]),
        .testTarget(
            name: "ReportTests",
            dependencies: ["ReportModel", "MathNotation", "LessonKit", "Grading", "Render", "Engine", "TestSupport"]),
        .testTarget(
            name: "LessonTests",
            dependencies: ["Lessons", "Engine", "ReportModel", "MathNotation", "LessonKit", "Grading", "TestSupport"]),
        .testTarget(
            name: "FigureTests",
            dependencies: ["Lessons", "Render", "ReportModel", "MathNotation", "LessonKit", "Engine", "TestSupport"]),
        .testTarget(
            name: "ScriptTests",
            dependencies: [
                "Script", "Lessons", "ReportModel", "MathNotation", "LessonKit", "Render", "Engine", "TestSupport",
            ]),
        .testTarget(name: "CLITests", dependencies: ["LessonsTool", "TestSupport"]),
    ]
)
