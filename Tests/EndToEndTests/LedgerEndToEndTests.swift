import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    /// The ledger through the real binary: duplicates across restarts, `query` beside a running daemon,
    /// a deleted ledger rebuilt at start-up, `reindex` refused while the daemon runs and identical after.
    @Suite struct Ledger {
        /// Drops `name` with `bytes` into the inbox and waits for its outbox document.
        private func drop(_ spool: SpoolPaths, _ name: String, _ bytes: [UInt8], stem: String) async throws -> [String: Any] {
            try writeFile(spool.root, "." + name, bytes)
            try renameEntry(spool.root, Array(("." + name).utf8), spool.inbox, Array(name.utf8))
            let path = spool.outbox + "/" + stem + ".json"
            let arrived = try await eventually(timeout: .seconds(30)) { FileManager.default.fileExists(atPath: path) }
            try #require(arrived, "no outbox document for \(name)")
            return try #require(readFile(path).flatMap(jsonObject))
        }

        private func query(_ arguments: [String], _ spool: SpoolPaths, in directory: String, logName: String) async throws -> [[String: Any]] {
            let result = try await runNewsd(
                ["query"] + arguments + ["--spool-root", spool.root, "--json", "--top", "0"], in: directory, logName: logName)
            #expect(result.termination == .exited(0), "stderr: \(result.standardError)")
            let parsed = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]]
            return try #require(parsed, "stdout: \(result.standardOutput)")
        }

        @Test func duplicatesSurviveRestartsAndALostLedgerIsRebuiltFromTheOutbox() async throws {
            let scratch = try ScratchDirectory("ledger")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            try makeDirectory(spool.root)
            let corpus = try EndToEnd.corpusArticles()

            var daemon = try await startDaemon(spool, in: scratch.path, logName: "ledger-1")
            let first = try await drop(spool, "first.txt", corpus[0], stem: "first")
            _ = try await drop(spool, "other.txt", corpus[1], stem: "other")
            #expect(first["duplicate_of"] is NSNull)
            // A query runs beside the daemon that writes the ledger.
            let rows = try await query(["article"], spool, in: scratch.path, logName: "query-1")
            #expect(Set(rows.compactMap { $0["name"] as? String }) == ["first.txt", "other.txt"])
            // Reindex refuses to replace the ledger under a running daemon.
            let refused = try await runNewsd(["reindex", "--spool-root", spool.root], in: scratch.path, logName: "reindex-refused")
            #expect(refused.termination == .exited(1))
            #expect(refused.standardError.contains("another newsd process"), "stderr: \(refused.standardError)")
            await stopDaemon(daemon)

            daemon = try await startDaemon(spool, in: scratch.path, logName: "ledger-2")
            let copy = try await drop(spool, "copy.txt", corpus[0], stem: "copy")
            let duplicate = try #require(copy["duplicate_of"] as? [String: Any])
            #expect(duplicate["id"] as? String == first["id"] as? String)
            #expect(duplicate["name"] as? String == "first.txt")
            #expect(duplicate["similarity"] as? Double == 1.0)
            await stopDaemon(daemon)
            let before = try await query(["duplicates"], spool, in: scratch.path, logName: "query-2")
            #expect(before.count == 1)

            // Lost while stopped: the next start rebuilds it from the outbox, and nothing is missing.
            for name in try FileManager.default.contentsOfDirectory(atPath: spool.root + "/state") where name.hasPrefix("ledger.sqlite") {
                try FileManager.default.removeItem(atPath: spool.root + "/state/" + name)
            }
            daemon = try await startDaemon(spool, in: scratch.path, logName: "ledger-3")
            #expect(daemon.standardError.contains("rebuilt the ledger from the outbox"), "stderr: \(daemon.standardError)")
            let third = try await drop(spool, "third.txt", corpus[0], stem: "third")
            #expect((third["duplicate_of"] as? [String: Any])?["name"] as? String == "first.txt")
            await stopDaemon(daemon)
            let articles = try await query(["article"], spool, in: scratch.path, logName: "query-3")
            #expect(articles.count == 4)

            // reindex (daemon stopped) gives the same answers as the ledger it replaces.
            let duplicatesBefore = try await query(["duplicates"], spool, in: scratch.path, logName: "query-4")
            let reindex = try await runNewsd(["reindex", "--spool-root", spool.root], in: scratch.path, logName: "reindex")
            #expect(reindex.termination == .exited(0), "stderr: \(reindex.standardError)")
            #expect(reindex.standardError.contains("4 rows"), "stderr: \(reindex.standardError)")
            #expect(!reindex.standardError.contains("\r"), "no progress line off a terminal")
            // On a terminal (a pseudo-terminal by script(1)), it says how far it is.
            let onTerminal = try Child(
                executable: "/usr/bin/script", ["-qec", "'\(EndToEnd.binary)' reindex --spool-root '\(spool.root)'", "/dev/null"],
                directory: scratch.path, logName: "reindex-terminal")
            let terminalExit = await onTerminal.waitForExit(timeout: .seconds(120))
            #expect(terminalExit == .exited(0), "\(onTerminal.standardOutput)")
            #expect(onTerminal.standardOutput.contains("\rnewsd reindex: writing 4 of 4 documents"), "\(onTerminal.standardOutput)")
            #expect(onTerminal.standardOutput.contains("\rnewsd reindex: keys 1 of 1 key ranges"), "\(onTerminal.standardOutput)")
            let duplicatesAfter = try await query(["duplicates"], spool, in: scratch.path, logName: "query-5")
            #expect(NSArray(array: duplicatesAfter).isEqual(to: duplicatesBefore))
            #expect(duplicatesAfter.count == 2)
        }

        @Test func everyQueryHasAnExampleInItsHelp() async throws {
            let scratch = try ScratchDirectory("query-help")
            defer { scratch.remove() }
            for subject in ["speakers", "entities", "quotes", "article", "duplicates"] {
                let help = try await runNewsd(["query", subject, "--help"], in: scratch.path, logName: "help-\(subject)")
                #expect(help.termination == .exited(0))
                #expect(help.standardOutput.contains("Example:") && help.standardOutput.contains("newsd query \(subject)"),
                    "\(subject): \(help.standardOutput)")
            }
        }
    }
}
