import Dispatch
import Foundation
import Synchronization

/// Ctrl-C and SIGTERM. While a run is checkpointing, the first signal asks the loop to stop after
/// the generation in flight is committed; a second one aborts at once (the file keeps the last
/// committed generation, as after kill -9). Outside a run, a signal ends the process at once.
final class Interrupt: Sendable {
    static let shared = Interrupt()

    /// The first signal received (0: none), and the same once its message is written: the run
    /// loop reads `received`, so its last words always come after the handler's.
    private let seen = Atomic<Int32>(0)
    private let received = Atomic<Int32>(0)
    /// 1 while a run checkpoints every generation.
    private let deferring = Atomic<Int32>(0)
    private let sources = Mutex<[DispatchSourceSignal]>([])

    var signal: Int32 { received.load(ordering: .acquiring) }
    var requested: Bool { signal != 0 }

    /// The exit status for the received signal: 128 + signal (130 for SIGINT, 143 for SIGTERM).
    var exitStatus: Int32 { 128 + signal }

    func install() {
        sources.withLock { list in
            guard list.isEmpty else { return }
            for sig in [SIGINT, SIGTERM] {
                Foundation.signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                // Dispatch coalesces the signals that arrive before the handler runs (`data`
                // counts them): each one is handled, so a second Ctrl-C is never lost behind the
                // first. (The kernel itself merges a SIGINT sent while another is still pending.)
                source.setEventHandler { [self, source] in
                    for _ in 0..<max(source.data, 1) { handle(sig) }
                }
                source.resume()
                list.append(source)
            }
        }
    }

    func beginDeferring() { deferring.store(1, ordering: .releasing) }
    func endDeferring() { deferring.store(0, ordering: .releasing) }

    private func handle(_ sig: Int32) {
        let first = seen.compareExchange(expected: 0, desired: sig, ordering: .acquiringAndReleasing).exchanged
        if deferring.load(ordering: .acquiring) == 0 || !first {
            let text = first ? "" : "\nfmevolve: aborted; the checkpoint keeps the last committed generation\n"
            FileHandle.standardError.write(Data(text.utf8))
            _exit(128 + sig)
        }
        FileHandle.standardError.write(Data("\nfmevolve: stopping after the generation or refinement step in flight (Ctrl-C again to abort)\n".utf8))
        received.store(sig, ordering: .releasing)
    }
}
