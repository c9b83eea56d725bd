import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    /// sd_notify as systemd sees it, through a real notify socket.
    @Suite struct NotifyProtocol {
        @Test func readyStatusWatchdogReloadAndStoppingArriveInOrder() async throws {
            let scratch = try ScratchDirectory("notify")
            defer { scratch.remove() }
            let socket = try NotifySocket(path: scratch.path + "/notify.sock")
            defer { socket.stop() }
            let spool = SpoolPaths(root: scratch.path + "/spool")

            let daemon = try await startDaemon(
                spool, in: scratch.path,
                environment: [
                    "NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "1000000", "NEWSD_STATUS_INTERVAL": "1",
                    "NEWSD_SETTLE_TIME": "0",
                ],
                logName: "daemon", watchdogPidWrapper: true)
            defer { daemon.forceKill() }

            /// The index of the first datagram after `after` that satisfies `matches`, waiting up to `timeout`.
            func index(after: Int = -1, timeout: Duration = .seconds(10), _ matches: (String) -> Bool) async throws -> Int? {
                var found: Int?
                _ = try await eventually(timeout: timeout) {
                    found = socket.datagrams.indices.first { $0 > after && matches(socket.datagrams[$0]) }
                    return found != nil
                }
                return found
            }
            func fields(_ datagram: String) -> [String] { datagram.split(separator: "\n").map(String.init) }

            let ready = try #require(await index { fields($0).contains("READY=1") }, "no READY=1; got \(socket.datagrams)")

            try makeDirectory(scratch.path + "/staging")
            try writeFile(scratch.path + "/staging", "article.txt", EndToEnd.smallArticle(1))
            try renameEntry(scratch.path + "/staging", Array("article.txt".utf8), spool.inbox, Array("article.txt".utf8))
            let status = try #require(
                await index(after: ready) { $0.hasPrefix("STATUS=") && $0.contains("processed 1") },
                "no STATUS= counting the processed article; got \(socket.datagrams)")
            #expect(socket.datagrams[status].contains("failed 0"))

            let firstPing = try #require(await index(after: ready) { $0 == "WATCHDOG=1" }, "no WATCHDOG=1; got \(socket.datagrams)")
            // Pinged at half of WATCHDOG_USEC: a second ping follows within about half a second.
            let secondPing = try #require(await index(after: firstPing, timeout: .seconds(3)) { $0 == "WATCHDOG=1" })
            #expect(secondPing > firstPing)

            let beforeReload = socket.datagrams.count - 1
            daemon.send(SIGHUP)
            let reloading = try #require(
                await index(after: beforeReload) { fields($0).contains("RELOADING=1") }, "no RELOADING=1; got \(socket.datagrams)")
            let reloadFields = fields(socket.datagrams[reloading])
            let stamp = try #require(
                reloadFields.first { $0.hasPrefix("MONOTONIC_USEC=") }.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) },
                "RELOADING=1 must carry MONOTONIC_USEC= in the same datagram: \(reloadFields)")
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let nowMicroseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
            #expect(stamp <= nowMicroseconds && nowMicroseconds - stamp < 30_000_000, "MONOTONIC_USEC=\(stamp), now \(nowMicroseconds)")
            _ = try #require(
                await index(after: reloading) { fields($0).contains("READY=1") }, "no READY=1 after the reload; got \(socket.datagrams)")
            // Still working after the reload.
            try writeFile(scratch.path + "/staging", "second.txt", EndToEnd.smallArticle(2))
            try renameEntry(scratch.path + "/staging", Array("second.txt".utf8), spool.inbox, Array("second.txt".utf8))
            _ = try #require(await index(after: reloading) { $0.hasPrefix("STATUS=") && $0.contains("processed 2") })

            let beforeStop = socket.datagrams.count - 1
            daemon.send(SIGTERM)
            let stopping = try await index(after: beforeStop) { fields($0).contains("STOPPING=1") }
            #expect(stopping != nil, "no STOPPING=1; got \(socket.datagrams.suffix(5))")
            let termination = await daemon.waitForExit(timeout: .seconds(30))
            #expect(termination == .exited(0), "\(termination.map(\.description) ?? "still running")")
            #expect(readOutbox(spool.outbox).documents.count == 2)
        }

        /// A ledger rebuilt from a large outbox at start-up takes longer than systemd's start timeout (90 s by
        /// default): newsd reports its progress and extends the timeout until READY=1.
        @Test func aLedgerRebuiltAtStartUpExtendsTheStartTimeoutUntilReady() async throws {
            let scratch = try ScratchDirectory("notify-rebuild")
            defer { scratch.remove() }
            let socket = try NotifySocket(path: scratch.path + "/notify.sock")
            defer { socket.stop() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            try makeDirectory(spool.root)
            try makeDirectory(spool.outbox)
            let documents = 700
            for number in 0..<documents {
                let words = ["tram", "line", "council", "vote", "stops", "depot"].map { "\($0)\(number)" }.joined(separator: " ")
                let document = """
                    {"schema":"newsd/article@1","id":"\(String(format: "%064x", number))",\
                    "source":{"name":"input-\(number).txt","received":"2026-01-01T00:00:00.\(String(format: "%06d", number))Z"},\
                    "meta":{"title":null,"published":null,"language":"en"},"text":"\(words).","entities":[],"quotes":[],\
                    "duplicate_of":null}
                    """
                try writeFile(spool.outbox, "input-\(number).json", Array(document.utf8))
            }

            let daemon = try await startDaemon(
                spool, in: scratch.path,
                environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "10000000", "NEWSD_SETTLE_TIME": "0"],
                logName: "daemon-rebuild", watchdogPidWrapper: true)
            defer { daemon.forceKill() }
            func fields(_ datagram: String) -> [String] { datagram.split(separator: "\n").map(String.init) }
            var ready: Int?
            _ = try await eventually(timeout: .seconds(30)) {
                ready = socket.datagrams.firstIndex { fields($0).contains("READY=1") }
                return ready != nil
            }
            let readyIndex = try #require(ready, "no READY=1; got \(socket.datagrams)")
            let report = try #require(
                socket.datagrams[..<readyIndex].first { $0.hasPrefix("STATUS=rebuilding the ledger from the outbox") },
                "no rebuild report before READY=1; got \(socket.datagrams)")
            #expect(fields(report).contains("EXTEND_TIMEOUT_USEC=60000000"), "\(report)")
            #expect(fields(report).contains("WATCHDOG=1"), "\(report)")
            #expect(fields(report)[0].hasSuffix("of \(documents) documents"), "\(report)")

            let rows = try await runNewsd(
                ["query", "article", "--spool-root", spool.root, "--json", "--top", "0"], in: scratch.path, logName: "query-rebuild")
            let parsed = try JSONSerialization.jsonObject(with: Data(rows.standardOutput.utf8)) as? [[String: Any]]
            #expect(parsed?.count == documents, "every document has its row")
        }
    }
}
