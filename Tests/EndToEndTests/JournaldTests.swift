import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    /// Structured records in a real journald, found the way an operator would: `journalctl ARTICLE_ID=…`.
    @Suite struct Journald {
        @Test func eachArticleGetsAStructuredJournalRecordFilterableByArticleID() async throws {
            try await Self.ensureJournald()
            let scratch = try ScratchDirectory("journal")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            let staging = scratch.path + "/staging"
            try makeDirectory(staging)

            // A nonce makes this run's article, its id and its names unique in a journal that outlives the test.
            let nonce = UUID().uuidString.lowercased()
            let good = try #require(readFile(EndToEnd.exampleArticle)) + Array("\nReported by run \(nonce).\n".utf8)
            let goodName = "journal-good-\(nonce).txt", badName = "journal-bad-\(nonce).txt"
            let articleID = try Self.sha256(of: good, scratch: scratch.path)

            let daemon = try Child(
                ["run", "--spool-root", spool.root, "--log-target", "journal"], environment: ["NEWSD_SETTLE_TIME": "0"],
                directory: scratch.path, logName: "daemon")
            defer { daemon.forceKill() }
            #expect(try await eventually(timeout: .seconds(20)) { FileManager.default.fileExists(atPath: spool.inbox) })
            try writeFile(staging, goodName, good)
            try renameEntry(staging, Array(goodName.utf8), spool.inbox, Array(goodName.utf8))
            try writeFile(staging, badName, Array("Caf".utf8) + [0xE9] + Array(" au lait.\n".utf8))
            try renameEntry(staging, Array(badName.utf8), spool.inbox, Array(badName.utf8))

            var processed: [String: Any]?
            let foundGood = try await eventually(timeout: .seconds(10), interval: .milliseconds(250)) {
                processed = try Self.journalRecords(["ARTICLE_ID=\(articleID)"]).first
                return processed != nil
            }
            #expect(foundGood, "no journal record with ARTICLE_ID=\(articleID); daemon stderr:\n\(daemon.standardError)")
            if let record = processed {
                #expect(record["MESSAGE"] as? String == "article processed")
                #expect(record["OUTCOME"] as? String == "processed")
                #expect(record["ARTICLE_NAME"] as? String == goodName)
                #expect((record["DURATION_US"] as? String).flatMap(Int.init) != nil, "DURATION_US: \(record["DURATION_US"] ?? "missing")")
                #expect(record["MESSAGE_ID"] as? String == "2f6e1a9c4b8d4e7fa3c5d0b1e2f47a96")
                #expect(record["PRIORITY"] as? String == "6")
                #expect((record["CODE_FILE"] as? String)?.isEmpty == false)
                #expect(record["SYSLOG_IDENTIFIER"] as? String == "newsd")
                #expect(record["_PID"] as? String == String(daemon.pid))
            }

            var failed: [String: Any]?
            let foundBad = try await eventually(timeout: .seconds(10), interval: .milliseconds(250)) {
                failed = try Self.journalRecords(["ARTICLE_NAME=\(badName)"]).first
                return failed != nil
            }
            #expect(foundBad, "no journal record with ARTICLE_NAME=\(badName)")
            if let record = failed {
                #expect(record["OUTCOME"] as? String == "failed")
                #expect(record["ERROR_CODE"] as? String == "invalid-utf8")
                #expect(record["MESSAGE_ID"] as? String == "c71d3e5f9a2b4c6d8e0f1a3b5c7d9e02")
                #expect(record["PRIORITY"] as? String == "4")
                #expect(record["SYSLOG_IDENTIFIER"] as? String == "newsd")
            }

            await stopDaemon(daemon)
            // Nothing went to stderr that belonged in the journal.
            #expect(!daemon.standardError.contains("article processed"), "stderr: \(daemon.standardError.prefix(500))")
        }

        /// Starts a journald when none runs (as PLATFORM-NOTES.md describes) and waits for its socket.
        static func ensureJournald() async throws {
            let running = try runTool("/usr/bin/pgrep", ["-f", "systemd-journald"])
            if running.status != 0 {
                try runTool("/usr/bin/setsid", ["-f", "/lib/systemd/systemd-journald"])
            }
            let ready = try await eventually(timeout: .seconds(10)) {
                FileManager.default.fileExists(atPath: "/run/systemd/journal/socket")
            }
            try #require(ready, "no journald socket at /run/systemd/journal/socket")
        }

        /// `journalctl -o json MATCH…`, one object per record.
        static func journalRecords(_ matches: [String]) throws -> [[String: Any]] {
            jsonLines(try runTool("/usr/bin/journalctl", ["-o", "json", "--no-pager"] + matches).output)
        }

        static func sha256(of bytes: [UInt8], scratch: String) throws -> String {
            try writeFile(scratch, "hash-input", bytes)
            let output = try runTool("/usr/bin/sha256sum", [scratch + "/hash-input"]).output
            return String(output.prefix(64))
        }
    }
}
