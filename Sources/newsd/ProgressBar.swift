import Dispatch
import Spool

#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress bar on standard error, redrawn a few times a second.
final class ProgressBar: Sendable {
    private let total: Int
    private let spool: Spool
    /// Held as the `DispatchSource` class: the protocol types are not Sendable.
    private let timer: DispatchSource

    init(total: Int, spool: Spool) {
        self.total = total
        self.spool = spool
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "newsd.progress"))
        timer.schedule(deadline: .now(), repeating: 0.2)
        self.timer = timer as! DispatchSource
    }

    func start() {
        timer.setEventHandler { @Sendable in self.draw() }
        timer.resume()
    }

    func stop() {
        timer.cancel()
        draw()
        printError("")
    }

    private func draw() {
        let statistics = spool.statistics()
        let done = statistics.processed + statistics.failed
        let width = 30
        let filled = total > 0 ? min(width, done * width / total) : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        var line = "\r[\(bar)] \(done)/\(total)  processed \(statistics.processed)  failed \(statistics.failed)"
        if statistics.paused { line += "  (paused: storage fault)" }
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress!, $0.count) }
    }
}
