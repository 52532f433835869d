/// The course's five sets of notes, cited on the pages by number and title. This is the one place
/// their titles are given; the file each comes from (`001_1d037609c44b217d.txt`) is named only
/// in the README, so student material never carries a file name.
///
///     CourseNotes.cite("001")   // "001 “A focus on ‘shallow’ neural networks”"
///     CourseNotes.title["003"]  // "Lesson notes, 21 February to 28 March"
enum CourseNotes {
    /// Each set's title, as its first page gives it.
    static let title: [String: String] = [
        "000": "Deep Learning",
        "001": "A focus on ‘shallow’ neural networks",
        "002": "Introduction to deep learning",
        "003": "Lesson notes, 21 February to 28 March",
        "004": "Introduction to deep learning and TensorFlow, day 2",
    ]

    /// "001 “A focus on ‘shallow’ neural networks”": the number the prose cites as (001), and the title.
    static func cite(_ number: String) -> String {
        guard let title = title[number] else { preconditionFailure("no course notes numbered \(number)") }
        return "\(number) “\(title)”"
    }
}
