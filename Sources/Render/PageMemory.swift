import Foundation

/// The large buffer of a PNG page, kept by each thread from one page to the next: the pixels
/// cairo draws into and the encoder filters in place (8.7 MB at 150 dpi). Allocated afresh for
/// every page it costs the kernel a page fault per 4 KB, a tenth of a run. Pages above 300 dpi
/// share one buffer instead (`withLarge`), so a 600 dpi run does not keep 139 MB on every thread.
///
///     let pixels = PageMemory.current.pixels(byteCount: stride * height)   // valid until this thread's next page
///     try PageMemory.withLarge { memory in draw(into: memory.pixels(byteCount: 139 << 20)) }
final class PageMemory {
    private var pixelBuffer = UnsafeMutableRawPointer.allocate(byteCount: 0, alignment: 16)
    private var pixelCapacity = 0

    deinit {
        pixelBuffer.deallocate()
    }

    /// At least `byteCount` bytes for cairo's pixels, contents undefined (a page paints them all).
    func pixels(byteCount: Int) -> UnsafeMutableRawPointer {
        if byteCount > pixelCapacity {
            pixelBuffer.deallocate()
            pixelBuffer = .allocate(byteCount: byteCount, alignment: 16)
            pixelCapacity = byteCount
        }
        return pixelBuffer
    }

    /// The most a thread keeps for itself: a 300 dpi A4 page (34.8 MB) and a little more.
    static let largest = 40 << 20

    /// The one buffer for pages above `largest` (600 dpi: 139 MB), drawn one at a time while
    /// `withLarge` holds its lock: two at once would hold 280 MB, and a buffer given back after
    /// every page costs 35,000 page faults to fill again.
    static func withLarge<T, E: Error>(_ body: (PageMemory) throws(E) -> T) throws(E) -> T {
        largeLock.lock()
        defer { largeLock.unlock() }
        return try body(large)
    }

    nonisolated(unsafe) private static let large = PageMemory()
    private static let largeLock = NSLock()

    /// This thread's buffers, released when the thread ends.
    static var current: PageMemory {
        if let memory = pthread_getspecific(key) {
            return Unmanaged<PageMemory>.fromOpaque(memory).takeUnretainedValue()
        }
        let memory = PageMemory()
        pthread_setspecific(key, Unmanaged.passRetained(memory).toOpaque())
        return memory
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { memory in memory.map { Unmanaged<PageMemory>.fromOpaque($0).release() } }
        return key
    }()
}
