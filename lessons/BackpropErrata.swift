import Foundation
import LessonKit
import ReportModel

/// Mazur's published figures beside the engine's, under both update orders and one update
/// short of the stated count. Which run each figure matches is computed, never asserted.
enum Errata {
    /// A figure as printed in the post, and which run it should describe.
    struct PublishedFigure: Sendable {
        let what: RichText
        let published: String
        /// The figure in a run after some number of updates (nil where the run did not keep it).
        let read: @Sendable (Training, Int) -> Double?
        /// Whether the figure describes the network after one update or after 10000.
        let rounds: Int
    }

    static let rounds = 10000

    static let figures = [
        PublishedFigure(
            what: "E_{total} after 1 update", published: "0.291027924", read: { $0.error(after: $1) }, rounds: 1),
        PublishedFigure(
            what: "E_{total} after \(rounds) updates", published: "0.0000351085", read: { $0.error(after: $1) },
            rounds: rounds),
        PublishedFigure(
            what: "out_{o1} after \(rounds) updates", published: "0.015912196", read: { $0.outputs(after: $1)?.o1 },
            rounds: rounds),
        PublishedFigure(
            what: "out_{o2} after \(rounds) updates", published: "0.984065734", read: { $0.outputs(after: $1)?.o2 },
            rounds: rounds),
        PublishedFigure(
            what: "w_1 after 1 update", published: "0.149780716", read: { run, k in k == 1 ? run.firstUpdate[1] : nil },
            rounds: 1),
        PublishedFigure(
            what: "w_4 after 1 update", published: "0.29950229", read: { run, k in k == 1 ? run.firstUpdate[4] : nil },
            rounds: 1),
    ]

    /// The published figures are for the notes' network; with other numbers they say nothing.
    static func applies(_ p: Parameters) -> Bool {
        ["i1", "i2", "t1", "t2", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "b1", "b2", "lr"].allSatisfy(
            p.isDefault)
    }

    /// The candidates for a figure: each order, after the stated number of updates and one fewer.
    static func candidates(_ figure: PublishedFigure, _ runs: [(UpdateOrder, Training)]) -> [(
        order: UpdateOrder, updates: Int, value: Double
    )] {
        runs.flatMap { order, run in
            [figure.rounds, figure.rounds - 1].compactMap { k in figure.read(run, k).map { (order, k, $0) } }
        }
    }

    /// True when `value` rounds to the published digits.
    static func matches(_ value: Double, _ published: String) -> Bool {
        String(format: "%.*f", decimals(published), value) == published
    }

    /// The value with one decimal more than the published figure, so the match is visible.
    static func written(_ value: Double, like published: String) -> RichText {
        .plain(String(format: "%.*f", decimals(published) + 1, value))
    }

    static func decimals(_ published: String) -> Int { published.split(separator: ".").last?.count ?? 0 }

    /// The note, training 10000 rounds in each order (reusing `run` for its order when given).
    static func note(_ p: Parameters, reusing run: (UpdateOrder, Training)? = nil) -> Note {
        let runs = [UpdateOrder.simultaneous, .outputFirst].map { order in
            (order, run?.0 == order ? run!.1 : Training(p, iterations: rounds, order: order))
        }
        let verdicts = figures.map { figure in
            (figure, candidates(figure, runs).filter { matches($0.value, figure.published) })
        }
        /// The figures some matching run satisfies, as a list for the prose.
        func matching(_ test: (UpdateOrder, Int, PublishedFigure) -> Bool) -> RichText {
            let names = verdicts.filter { figure, found in found.contains { test($0.order, $0.updates, figure) } }.map {
                $0.0.what
            }
            return names.isEmpty ? "none" : names.dropFirst().reduce(names[0]) { $0 + "; " + $1 }
        }
        return Note("Errata: the published figures and the update order", kind: .errata) {
            """
            The update order decides some of Mazur’s figures. Simultaneous (every gradient from \
            the old weights, this lesson’s default) matches: \(matching { $0 == .simultaneous && $1 == $2.rounds }). \
            Output-first matches: \(matching { $0 == .outputFirst && $1 == $2.rounds }). One \
            update fewer than stated matches: \(matching { $1 < $2.rounds }).
            """
            """
            Each figure is set beside the engine’s values with one more decimal than was \
            printed; the last column names every run that rounds to the printed digits.
            """
            Table(
                columns: [
                    .init("figure"), .init("published", alignment: .trailing),
                    .init("simultaneous", alignment: .trailing),
                    .init("output-first", alignment: .trailing), .init("rounds to it"),
                ],
                rows: verdicts.map { figure, found in
                    let named = found.map { order, updates, value in
                        updates == figure.rounds
                            ? "\(order.rawValue)"
                            : "\(order.rawValue) after \(updates): " + written(value, like: figure.published)
                    }
                    return [figure.what, .plain(figure.published)]
                        + runs.map { written(figure.read($0.1, figure.rounds)!, like: figure.published) }
                        + [named.isEmpty ? "none" : named.dropFirst().reduce(named[0]) { $0 + "; " + $1 }]
                })
        }
    }
}
