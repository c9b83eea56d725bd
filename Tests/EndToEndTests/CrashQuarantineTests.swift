import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    /// Inputs that crash or wedge the process, through the debug build's test hooks (`NEWSD_TEST_HOOKS=1`).
    @Suite struct CrashQuarantine {
        /// No Swift backtrace for the intended traps: the backtracer reading the crashed daemon's stacks is itself
        /// reported by AddressSanitizer (scripts/sanitizers.sh), and it slows each crash down.
        static let hooks = ["NEWSD_TEST_HOOKS": "1", "NEWSD_SETTLE_TIME": "0", "NEWSD_WORKERS": "2", "SWIFT_BACKTRACE": "enable=no"]

        /// A supervisor loop restarts the daemon after each crash, as systemd's Restart=on-failure would.
        @Test func aFileThatCrashesTheAnalysisIsQuarantinedAfterThreeCrashesAndTheRestGoesThrough() async throws {
            let scratch = try ScratchDirectory("crash")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            try makeDirectory(spool.inbox)
            let good = 20
            for number in 0..<good { try writeFile(spool.inbox, "article-\(number).txt", EndToEnd.smallArticle(number)) }
            try writeFile(spool.inbox, "poison.txt", Array("A story that ends badly.\n\nNEWSD-TEST-HOOK:crash\n".utf8))

            var crashes: [Termination] = []
            func finished() -> Bool {
                entryNames(spool.outbox).filter { $0.last == UInt8(ascii: "n") }.count == good
                    && entryExists(spool.failed, Array("poison.txt.error.json".utf8))
            }
            for round in 1...6 {
                let daemon = try await startDaemon(
                    spool, in: scratch.path, environment: Self.hooks, logName: "round-\(round)", waitForReady: false)
                defer { daemon.forceKill() }
                _ = try await eventually(timeout: .seconds(60)) { !daemon.isRunning || finished() }
                if daemon.isRunning {
                    await stopDaemon(daemon)
                    break
                }
                let termination = await daemon.waitForExit(timeout: .seconds(5))
                crashes.append(try #require(termination))
            }
            #expect(crashes.count == 3, "crashes before the file was set aside: \(crashes)")
            let bySignal = crashes.allSatisfy(\.bySignal)
            #expect(bySignal, "each crash is the trap of the hook: \(crashes)")
            let document = try #require(readFile(spool.failed, Array("poison.txt.error.json".utf8)))
            let error = try #require(
                (try JSONSerialization.jsonObject(with: Data(document)) as? [String: Any])?["error"] as? [String: Any])
            #expect(error["code"] as? String == "analysis-crashed")
            #expect(entryExists(spool.failed, Array("poison.txt".utf8)), "the original is kept beside its error document")
            #expect(entryNames(spool.outbox).filter { $0.last == UInt8(ascii: "n") }.count == good)
            #expect(entryNames(spool.work).isEmpty)
            #expect(entryNames(spool.inbox).isEmpty)
            // The counts are gone once the file has its result.
            #expect((readFile(spool.root + "/state/crashes") ?? [1]).isEmpty)
        }

        /// With a WATCHDOG_USEC of 2 s the daemon pings every second; a worker wedged on one article must stop
        /// the pings within WatchdogSec/2 so that systemd kills and restarts it.
        @Test func aWedgedWorkerStopsTheWatchdogPingsWithinHalfTheInterval() async throws {
            let scratch = try ScratchDirectory("wedge")
            defer { scratch.remove() }
            let socket = try NotifySocket(path: scratch.path + "/notify.sock")
            defer { socket.stop() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            try makeDirectory(spool.inbox)
            var environment = Self.hooks
            environment["NOTIFY_SOCKET"] = socket.path
            environment["WATCHDOG_USEC"] = "2000000"
            let daemon = try await startDaemon(spool, in: scratch.path, environment: environment, logName: "daemon", watchdogPidWrapper: true)
            defer { daemon.forceKill() }
            func pings() -> Int { socket.datagrams.filter { $0 == "WATCHDOG=1" }.count }
            #expect(try await eventually(timeout: .seconds(5)) { pings() >= 2 }, "a healthy daemon pings: \(socket.datagrams)")

            let wedgedAt = ContinuousClock.now
            try writeFile(spool.inbox, "wedge.txt", Array("A story that never ends.\n\nNEWSD-TEST-HOOK:wedge\n".utf8))
            // Watch for 5 s and note when the last ping arrived.
            var count = pings()
            var lastPing = 0.0
            while ContinuousClock.now - wedgedAt < .seconds(5) {
                let now = pings()
                if now > count {
                    count = now
                    lastPing = seconds(since: wedgedAt)
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            print("watchdog: last ping \(lastPing) s after the wedged article was dropped (WatchdogSec 2 s)")
            // WatchdogSec/2 = 1 s after the worker took the article, plus the time to claim it on a busy machine.
            #expect(lastPing <= 1.5, "pings went on \(lastPing) s after the wedge")
            #expect(daemon.standardError.contains("a worker is stuck; withholding the watchdog ping"))
            #expect(daemon.isRunning, "the daemon itself does not exit: systemd's watchdog kills it")
        }
    }
}
