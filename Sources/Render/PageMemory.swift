import Foundation

/// The two large buffers of a PNG page, kept by each thread from one page to the next: the pixels
/// cairo draws into (8.7 MB at 150 dpi) and the filtered rows the compressor reads (6.5 MB).
/// Allocated afresh for every page they cost the kernel a page fault per 4 KB, a tenth of a run.
///
///     let pixels = PageMemory.current.pixels(byteCount: stride * height)   // valid until this thread's next page
final class PageMemory {
    private var pixelBuffer = UnsafeMutableRawPointer.allocate(byteCount: 0, alignment: 16)
    private var pixelCapacity = 0
    private var filteredBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 0)
    private var filteredCapacity = 0

    deinit {
        pixelBuffer.deallocate()
        filteredBuffer.deallocate()
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

    /// At least `count` bytes for filtered rows, contents undefined.
    func filtered(count: Int) -> UnsafeMutablePointer<UInt8> {
        if count > filteredCapacity {
            filteredBuffer.deallocate()
            filteredBuffer = .allocate(capacity: count)
            filteredCapacity = count
        }
        return filteredBuffer
    }

    /// This thread's buffers, released when the thread ends.
    static var current: PageMemory {
        if let memory = pthread_getspecific(key) { return Unmanaged<PageMemory>.fromOpaque(memory).takeUnretainedValue() }
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
