import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    /// Found by scripts/reliability/faults.sh (fsync-dir-eio): when the fsync of the outbox directory failed
    /// after the document was linked, the retry found its own document already there and disposed of the
    /// input without syncing the directory again, so a power cut could lose the document's name after the
    /// input was gone.
    @Suite struct OutboxDirectorySync {
        static let strace: String? = ["/usr/bin/strace", "/bin/strace"].first { FileManager.default.isExecutableFile(atPath: $0) }

        @Test(.enabled(if: strace != nil, "needs strace (apt-get install strace)"))
        func aRetryAfterAFailedDirectoryFsyncSyncsTheOutboxBeforeDisposingOfTheInput() async throws {
            let scratch = try ScratchDirectory("dirsync")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            try makeDirectory(spool.inbox)
            try writeFile(spool.inbox, "story.txt", EndToEnd.smallArticle(1))
            let trace = scratch.path + "/strace.log"
            // The first fsync of the outbox directory on each thread fails with EIO (-P: only calls on that
            // directory and archive/ are traced, so only it is hit).
            let daemon = try Child(
                executable: Self.strace!,
                ["-f", "-y", "-qq", "-o", trace, "-e", "trace=fsync,linkat,renameat,renameat2",
                 "-e", "inject=fsync:error=EIO:when=1", "-P", spool.outbox, "-P", spool.archive, "--",
                 EndToEnd.binary, "run", "--spool-root", spool.root, "--log-target", "stderr", "--workers", "1"],
                environment: ["NEWSD_SETTLE_TIME": "0"], directory: scratch.path, logName: "daemon")
            defer { killTraced(daemon) }
            let drained = try await eventually(timeout: .seconds(60), interval: .milliseconds(100)) {
                entryNames(spool.archive).count == 1 && entryNames(spool.work).isEmpty && entryNames(spool.inbox).isEmpty
            }
            #expect(drained, "not drained; stderr:\n\(daemon.standardError.suffix(2_000))")
            // SIGTERM the daemon itself (strace's child); strace ends with it.
            for newsd in childProcesses(of: daemon) { kill(newsd, SIGTERM) }
            let termination = await daemon.waitForExit(timeout: .seconds(30))
            #expect(termination == .exited(0), "\(termination.map(\.description) ?? "still running")")

            let lines = String(decoding: readFile(trace) ?? [], as: UTF8.self).split(separator: "\n").map(String.init)
            let outbox = "<\(spool.outbox)>"
            #expect(lines.contains { $0.contains("fsync(") && $0.contains(outbox) && $0.contains("EIO") && $0.contains("INJECTED") },
                "the fault was not injected:\n\(lines.joined(separator: "\n"))")
            let linked = lines.firstIndex { $0.contains("linkat(") && $0.contains("\"story.json\"") && $0.hasSuffix(" = 0") }
            let disposed = lines.firstIndex { $0.contains("renameat") && $0.contains("\"story.txt\"") && $0.hasSuffix(" = 0") }
            let (link, disposal) = try #require(linked.flatMap { l in disposed.map { (l, $0) } }, "\(lines.joined(separator: "\n"))")
            #expect(link < disposal)
            // A successful fsync of the outbox directory between the link and the disposal (a call may be split
            // across an "unfinished" and a "resumed" line).
            let synced = lines[link..<disposal].contains { line in
                line.hasSuffix(" = 0") && (line.contains("fsync(") && line.contains(outbox) || line.contains("<... fsync resumed>"))
            }
            let between = lines[link...disposal].joined(separator: "\n")
            #expect(synced, "the input left work/ without a successful fsync of the outbox after its document's link:\n\(between)")
            let documents = entryNames(spool.outbox).filter { $0.first != UInt8(ascii: ".") }
            #expect(documents.map(display) == ["story.json"])
        }
    }
}

/// The pids of `child`'s own children (for a daemon started under strace: the daemon).
func childProcesses(of child: Child) -> [pid_t] {
    String(decoding: readFile("/proc/\(child.pid)/task/\(child.pid)/children") ?? [], as: UTF8.self)
        .split(separator: " ").compactMap { pid_t($0) }
}

/// SIGKILL a daemon started under strace, then strace: killing strace alone would leave the daemon running.
func killTraced(_ child: Child) {
    for pid in childProcesses(of: child) { kill(pid, SIGKILL) }
    child.forceKill()
}
