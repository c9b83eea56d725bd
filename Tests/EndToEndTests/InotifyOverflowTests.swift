import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    /// Lost inotify events never lose files: an overflowed queue leads to a full rescan.
    @Suite struct InotifyOverflow {
        static let queueLimitPath = "/proc/sys/fs/inotify/max_queued_events"

        @Test func everyFileRenamedInWhileTheDaemonIsStoppedGetsAResultAfterTheQueueOverflows() async throws {
            let scratch = try ScratchDirectory("overflow")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            let staging = scratch.path + "/staging"
            try makeDirectory(staging)
            let count = EndToEnd.scaled(20_000)
            let names = (0..<count).map { "story-\($0).txt" }
            try await offload {
                for (number, name) in names.enumerated() { try writeFile(staging, name, EndToEnd.smallArticle(number)) }
            }

            // The kernel fixes a queue's limit at inotify_init: lower it only while the daemon starts.
            let originalLimit = (readFile(Self.queueLimitPath).map { String(decoding: $0, as: UTF8.self) } ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let lowered = !originalLimit.isEmpty && Self.setQueueLimit("1024")
            defer { if lowered { _ = Self.setQueueLimit(originalLimit) } }
            let daemonLimit = lowered ? 1_024 : Int(originalLimit) ?? Int.max
            // A long rescan interval: only the overflow (not a periodic rescan) can find the files in time.
            let daemon = try await startDaemon(
                spool, in: scratch.path, environment: ["NEWSD_RESCAN_INTERVAL": "3600"], logName: "daemon")
            defer { daemon.forceKill() }
            if lowered { #expect(Self.setQueueLimit(originalLimit)) }

            daemon.send(SIGSTOP)
            try await offload {
                for name in names { try renameEntry(staging, Array(name.utf8), spool.inbox, Array(name.utf8)) }
            }
            let resumed = ContinuousClock.now
            daemon.send(SIGCONT)

            let finished = try await eventually(timeout: .seconds(180), interval: .milliseconds(500)) {
                entryNames(spool.outbox).filter({ $0.first != UInt8(ascii: ".") }).count >= count
                    && entryNames(spool.work).isEmpty && entryNames(spool.inbox).isEmpty
            }
            let elapsed = seconds(since: resumed)
            #expect(finished, "\(entryNames(spool.inbox).count) files still in the inbox after 180 s")
            await stopDaemon(daemon)

            let outbox = readOutbox(spool.outbox)
            let counts = outbox.countsBySource
            #expect(outbox.documents.count == count)
            #expect(Set(counts.keys) == Set(names), "missing: \(Set(names).subtracting(counts.keys).sorted().prefix(10))")
            #expect(counts.filter { $0.value != 1 }.isEmpty, "doubled: \(counts.filter { $0.value != 1 }.prefix(10))")
            #expect(outbox.hiddenNames.isEmpty && outbox.malformed.isEmpty)
            #expect(entryNames(spool.failed).isEmpty)
            if count > daemonLimit {
                #expect(daemon.standardError.contains("inotify queue overflowed"),
                    "\(count) renames into a queue of \(daemonLimit) events must overflow and be logged")
            }
            print("inotify overflow: \(count) files drained in \(String(format: "%.1f", elapsed)) s (queue limit \(daemonLimit))")
        }

        /// Writes the machine-wide inotify queue limit; false when /proc/sys is read-only here.
        static func setQueueLimit(_ value: String) -> Bool {
            let descriptor = open(queueLimitPath, O_WRONLY | O_TRUNC | O_CLOEXEC)
            guard descriptor >= 0 else { return false }
            defer { close(descriptor) }
            let bytes = Array((value + "\n").utf8)
            return bytes.withUnsafeBytes { write(descriptor, $0.baseAddress!, $0.count) } == bytes.count
        }
    }
}
