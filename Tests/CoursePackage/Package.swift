// swift-tools-version:6.0
import PackageDescription

// A course's own package: it depends on lessons by path and adds a lesson of its own to the
// command, without a fork. scripts/test builds it and runs `course list` and `course run`.
let package = Package(
    name: "course",
    // A link to the repository, so its identity is "lessons" wherever it is cloned.
    dependencies: [.package(path: "lessons")],
    targets: [
        .executableTarget(
            name: "course",
            dependencies: [
                .product(name: "LessonsCLI", package: "lessons"),
                .product(name: "ReportModel", package: "lessons"),
                .product(name: "LessonKit", package: "lessons"),
                .product(name: "Engine", package: "lessons"),
            ])
    ]
)
