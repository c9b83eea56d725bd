import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    /// Found with strace fault injection at start-up: one EIO on a read of a sound ledger made the daemon move
    /// it aside as "broken" and rebuild it from the outbox, so the rows of documents consumers had already
    /// taken away were gone from the ledger it went on with. A transient fault is not damage.
    @Suite struct LedgerOpenFault {
        static let tools: Bool = ["/usr/bin/strace", "/usr/bin/sqlite3"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

        static func rows(_ spool: SpoolPaths) throws -> String {
            try runTool("/usr/bin/sqlite3", ["-readonly", spool.root + "/state/ledger.sqlite", "SELECT count(*) FROM article"])
                .output.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        @Test(.enabled(if: tools, "needs strace and sqlite3 (apt-get install strace sqlite3)"))
        func anIOErrorOpeningTheLedgerKeepsItAndItsRows() async throws {
            let scratch = try ScratchDirectory("ledger-open")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            try makeDirectory(spool.inbox)
            for number in 0..<5 { try writeFile(spool.inbox, "story-\(number).txt", EndToEnd.smallArticle(number)) }
            let first = try await startDaemon(spool, in: scratch.path, environment: ["NEWSD_SETTLE_TIME": "0"], logName: "first")
            defer { first.forceKill() }
            let drained = try await eventually(timeout: .seconds(60)) { entryNames(spool.archive).count == 5 }
            #expect(drained)
            await stopDaemon(first)
            #expect(try Self.rows(spool) == "5")
            // Consumers take two documents away.
            for name in ["story-0.json", "story-1.json"] { unlink(spool.outbox + "/" + name) }

            // The first read of the ledger file fails with EIO.
            let faulty = try Child(
                executable: "/usr/bin/strace",
                ["-f", "-qq", "-o", scratch.path + "/strace.log", "-e", "trace=pread64", "-e", "inject=pread64:error=EIO:when=1",
                 "-P", spool.root + "/state/ledger.sqlite", "--",
                 EndToEnd.binary, "run", "--spool-root", spool.root, "--log-target", "stderr"],
                directory: scratch.path, logName: "faulty")
            defer { killTraced(faulty) }
            let ended = await faulty.waitForExit(timeout: .seconds(30))
            if ended == nil {
                Issue.record("the daemon went on after failing to open its ledger; stderr:\n\(faulty.standardError.suffix(2_000))")
                killTraced(faulty)
            }
            #expect(ended.map { $0 != .exited(0) } ?? true, "it must not start without its ledger")
            #expect(String(decoding: readFile(scratch.path + "/strace.log") ?? [], as: UTF8.self).contains("INJECTED"))
            #expect(!entryNames(spool.root + "/state").map(display).contains { $0.hasPrefix("ledger.sqlite.broken-") },
                "a sound ledger was moved aside: \(entryNames(spool.root + "/state").map(display))")

            // Started again (as systemd would), it has every row, the consumed documents' too.
            let again = try await startDaemon(spool, in: scratch.path, logName: "again")
            defer { again.forceKill() }
            await stopDaemon(again)
            #expect(try Self.rows(spool) == "5")
        }
    }
}
