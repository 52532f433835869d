import Dispatch
import Foundation
import Synchronization

/// SIGINT and SIGTERM while files are written: the temporaries in flight are removed and the
/// process exits with 128 + the signal's number, as a shell expects. The files already renamed
/// into place are complete; the ones not yet written keep their previous version.
///
///     Interrupts.install()    // once, before the first file is written
enum Interrupts {
    /// Temporary files being written now.
    static let pending = Mutex(Set<String>())
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    static func install() {
        for signal in [SIGINT, SIGTERM] {
            Foundation.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler {
                // Taking the lock waits for a rename in progress; nothing new starts after it.
                // `_exit`, not `exit`: exit runs the C libraries' atexit handlers and static
                // destructors while other threads still render with them (fontconfig, Pango),
                // which once ended an interrupted handout in CI with SIGSEGV instead of 130.
                pending.withLock { paths in
                    for path in paths { unlink(path) }
                    _exit(128 + signal)
                }
            }
            source.resume()
            sources.append(source)
        }
    }
}
