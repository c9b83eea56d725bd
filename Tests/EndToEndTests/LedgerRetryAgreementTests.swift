import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    /// Found by scripts/reliability/faults.sh (fsync-dir-eio, check_spool.py's ledger check): an article whose
    /// document was linked but whose attempt then failed (here: the outbox directory's fsync → EIO) is retried;
    /// the retry keeps the document already there, but recorded the `duplicate_of` of its own, new lookup —
    /// which sees articles committed in between — so the ledger said "duplicate of X" where the document
    /// said null (or the reverse).
    @Suite struct LedgerRetryAgreement {
        static let tools: Bool = ["/usr/bin/strace", "/usr/bin/sqlite3"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

        @Test(.enabled(if: tools, "needs strace and sqlite3 (apt-get install strace sqlite3)"))
        func aRetriedArticleRecordsTheDuplicateOfItsDocument() async throws {
            let scratch = try ScratchDirectory("retry-dup")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            let staging = scratch.path + "/staging"
            try makeDirectory(spool.inbox)
            try makeDirectory(staging)
            // Two near-copies: the same corpus article, one line apart.
            let article = try #require(EndToEnd.corpusArticles().first)
            try writeFile(staging, "first.txt", article + Array("\nCopy 1.\n".utf8))
            try writeFile(staging, "second.txt", article + Array("\nCopy 2.\n".utf8))
            let trace = scratch.path + "/strace.log"
            // One lane; the first fsync of the outbox directory on each thread fails with EIO.
            let daemon = try Child(
                executable: "/usr/bin/strace",
                ["-f", "-y", "-qq", "-o", trace, "-e", "trace=fsync", "-e", "inject=fsync:error=EIO:when=1",
                 "-P", spool.outbox, "--",
                 EndToEnd.binary, "run", "--spool-root", spool.root, "--log-target", "stderr", "--log-level", "info",
                 "--workers", "1"],
                environment: ["NEWSD_SETTLE_TIME": "0"], directory: scratch.path, logName: "daemon")
            defer { killTraced(daemon) }
            let ready = try await eventually(timeout: .seconds(30)) { daemon.standardError.contains("ready: recovery and first scan done") }
            try #require(ready, "\(daemon.standardError)")
            // Both arrive together, so both are claimed before the first one's fault pauses claiming.
            try renameEntry(staging, Array("first.txt".utf8), spool.inbox, Array("first.txt".utf8))
            try renameEntry(staging, Array("second.txt".utf8), spool.inbox, Array("second.txt".utf8))
            let drained = try await eventually(timeout: .seconds(60), interval: .milliseconds(100)) {
                entryNames(spool.archive).count == 2 && entryNames(spool.work).isEmpty && entryNames(spool.inbox).isEmpty
            }
            #expect(drained, "not drained; stderr:\n\(daemon.standardError.suffix(2_000))")
            for newsd in childProcesses(of: daemon) { kill(newsd, SIGTERM) }
            #expect(await daemon.waitForExit(timeout: .seconds(30)) == .exited(0))

            let injected = String(decoding: readFile(trace) ?? [], as: UTF8.self).components(separatedBy: "INJECTED").count - 1
            #expect(injected > 0, "the fault was not injected")
            #expect(daemon.standardError.contains("storage fault: claiming paused"))

            // The ledger's duplicate_of for each document is the document's own.
            var documents: [String: String] = [:]
            for name in entryNames(spool.outbox).map(display) where !name.hasPrefix(".") {
                let object = try #require(readFile(spool.outbox, Array(name.utf8)).flatMap(jsonObject), "\(name)")
                documents[name] = (object["duplicate_of"] as? [String: Any])?["id"] as? String ?? ""
            }
            #expect(documents.count == 2)
            let query = try runTool("/usr/bin/sqlite3", [
                "-readonly", spool.root + "/state/ledger.sqlite",
                "SELECT result_name || '|' || coalesce(duplicate_of_id, '') FROM article WHERE outcome = 'processed'",
            ])
            var rows: [String: String] = [:]
            for line in query.output.split(separator: "\n") {
                let parts = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                if parts.count == 2 { rows[parts[0]] = parts[1] }
            }
            #expect(rows == documents, "ledger rows \(rows) disagree with the documents \(documents)")
            // And the two never name each other (each row names at most an earlier-committed article).
            #expect(documents.values.filter(\.isEmpty).count >= 1, "\(documents)")
        }
    }
}
