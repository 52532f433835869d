import Foundation
import Synchronization

/// Where `lessons serve` runs lessons: as many at once as there are cores, a bounded queue
/// behind them, and a time limit on each request's wait and run. A lesson cannot be stopped
/// half-way (the engine has no cancellation), so a run past the limit finishes in its slot
/// and its result is dropped; the client has its answer at the limit.
///
///     let slots = RenderSlots(limit: .seconds(10))
///     let html = try await slots.run { try render(lesson, settings) }
final class RenderSlots: Sendable {
    /// The longest a request waits for its page, queue and run together.
    let limit: Duration
    /// Requests waiting beyond this many are told the server is busy, at once.
    let queueLimit: Int
    private let queue: OperationQueue

    init(limit: Duration, workers: Int = ProcessInfo.processInfo.activeProcessorCount, queueLimit: Int = 64) {
        self.limit = limit
        self.queueLimit = queueLimit
        queue = OperationQueue()
        queue.maxConcurrentOperationCount = max(1, workers)
        queue.qualityOfService = .userInitiated
    }

    func run<T: Sendable>(_ work: @escaping @Sendable () throws(SiteError) -> T) async throws(SiteError) -> T {
        guard queue.operationCount < queueLimit + queue.maxConcurrentOperationCount else {
            throw SiteError(
                .serviceUnavailable, "the server is busy with \(queue.operationCount) pages; try again in a moment")
        }
        let limit = self.limit
        let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) * 1e-18
        let outcome: Result<T, SiteError> = await withCheckedContinuation { continuation in
            // Whichever comes first, the page or the limit, answers; the other finds nothing to resume.
            let pending = Mutex<CheckedContinuation<Result<T, SiteError>, Never>?>(continuation)
            let answer: @Sendable (Result<T, SiteError>) -> Void = { result in
                pending.withLock { $0.take() }?.resume(returning: result)
            }
            queue.addOperation { answer(Result { () throws(SiteError) in try work() }) }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                answer(
                    .failure(
                        SiteError(
                            .serviceUnavailable,
                            """
                            the lesson took longer than \(Int(seconds.rounded())) s with \
                            these settings; choose smaller ones (fewer iterations or epochs)
                            """
                        )))
            }
        }
        return try outcome.get()
    }
}
