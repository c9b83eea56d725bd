import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    /// SIGHUP re-reads the configuration file: live keys apply to the next article; a bad file keeps the old one.
    @Suite struct Reload {
        @Test func sighupAppliesANewLimitAndABadFileKeepsTheCurrentConfiguration() async throws {
            let scratch = try ScratchDirectory("reload")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            let staging = scratch.path + "/staging"
            try makeDirectory(staging)
            let config = scratch.path + "/newsd.yaml"
            try writeFile(scratch.path, "newsd.yaml", Array("max_article_bytes: 1000000\nsettle_time: 0\n".utf8))
            let socket = try NotifySocket(path: scratch.path + "/notify.sock")
            defer { socket.stop() }

            let daemon = try await startDaemon(
                spool, in: scratch.path, environment: ["NOTIFY_SOCKET": socket.path], arguments: ["--config", config], logName: "daemon")
            defer { daemon.forceKill() }
            let article = EndToEnd.smallArticle(7)
            #expect(article.count > 100)

            func drop(_ name: String) throws {
                try writeFile(staging, name, article)
                try renameEntry(staging, Array(name.utf8), spool.inbox, Array(name.utf8))
            }
            func result(_ name: String) async throws -> String? {
                var outcome: String?
                _ = try await eventually(timeout: .seconds(10)) {
                    if readOutbox(spool.outbox).countsBySource[name] != nil { outcome = "processed" }
                    if let code = readFailed(spool.failed).codesBySource[name]?.first { outcome = code }
                    return outcome != nil
                }
                return outcome
            }
            /// Sends SIGHUP and waits for RELOADING=1 then READY=1, and for `logLine` in the log.
            func reload(expecting logLine: String) async throws {
                let before = socket.datagrams.count
                daemon.send(SIGHUP)
                let done = try await eventually(timeout: .seconds(10)) {
                    let recent = socket.datagrams.dropFirst(before)
                    guard let reloading = recent.firstIndex(where: { $0.contains("RELOADING=1") }) else { return false }
                    return recent[(reloading + 1)...].contains { $0.contains("READY=1") } && daemon.standardError.contains(logLine)
                }
                #expect(done, "no RELOADING=1, READY=1 and '\(logLine)'; datagrams \(socket.datagrams.dropFirst(before)), stderr:\n\(daemon.standardError.suffix(1_500))")
            }

            try drop("before.txt")
            #expect(try await result("before.txt") == "processed")

            try writeFile(scratch.path, "newsd.yaml", Array("max_article_bytes: 100\nsettle_time: 0\n".utf8))
            try await reload(expecting: "configuration reloaded")
            try drop("after.txt")
            #expect(try await result("after.txt") == "too-large")

            try writeFile(scratch.path, "newsd.yaml", Array("max_article_bytes: banana\nsettle_time: 0\n".utf8))
            try await reload(expecting: "reload failed")
            #expect(daemon.standardError.contains("max_article_bytes"))
            try drop("kept.txt")
            #expect(try await result("kept.txt") == "too-large", "a bad file must keep the last good configuration")

            await stopDaemon(daemon)
        }

        /// `newsd reload` (the unit's ExecReload=) returns only once the daemon has finished the reload, so
        /// `systemctl reload` on systemd 252 no longer returns before newsd has read its file.
        @Test func newsdReloadReturnsOnlyOnceTheReloadIsDone() async throws {
            let scratch = try ScratchDirectory("reload-command")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            let config = scratch.path + "/newsd.yaml"
            try writeFile(scratch.path, "newsd.yaml", Array("spool:\n  root: \(spool.root)\nsettle_time: 0\n".utf8))
            let socket = try NotifySocket(path: scratch.path + "/notify.sock")
            defer { socket.stop() }
            let daemon = try await startDaemon(
                spool, in: scratch.path, environment: ["NOTIFY_SOCKET": socket.path], arguments: ["--config", config], logName: "daemon")
            defer { daemon.forceKill() }
            let pid = "\(daemon.pid)"

            try writeFile(scratch.path, "newsd.yaml", Array("spool:\n  root: \(spool.root)\nsettle_time: 0\nlog:\n  level: debug\n".utf8))
            let before = socket.datagrams.count
            let reload = try await runNewsd(["reload", "--config", config, "--pid", pid], in: scratch.path, logName: "reload-1")
            #expect(reload.termination == .exited(0), "\(reload.standardError)")
            // No waiting here: when the command has returned, the reload is over.
            let recent = Array(socket.datagrams.dropFirst(before))
            let reloading = recent.firstIndex { $0.contains("RELOADING=1") }
            #expect(reloading.map { recent[($0 + 1)...].contains { $0.contains("READY=1") } } == true, "datagrams: \(recent)")
            #expect(daemon.standardError.contains("configuration reloaded"), "\(daemon.standardError.suffix(1_500))")
            #expect(daemon.standardError.contains("log.level"))

            // An invalid file: the command still reaches the daemon (it reads only spool.root), which logs the
            // fault and keeps its configuration, and the command returns once that is done.
            try writeFile(scratch.path, "newsd.yaml", Array("spool:\n  root: \(spool.root)\nsettle_time: banana\n".utf8))
            let invalid = try await runNewsd(["reload", "--config", config, "--pid", pid], in: scratch.path, logName: "reload-invalid")
            #expect(invalid.termination == .exited(0), "\(invalid.standardError)")
            #expect(daemon.standardError.contains("reload failed; keeping the current configuration"))
            try writeFile(scratch.path, "newsd.yaml", Array("spool:\n  root: \(spool.root)\nsettle_time: 0\nlog:\n  level: debug\n".utf8))

            // Two at once: the second SIGHUP may come while the first reload runs (served after it, not
            // dropped) or before it starts (the two signals make one reload). Both commands return.
            async let first = runNewsd(["reload", "--config", config, "--pid", pid, "--timeout", "20"], in: scratch.path, logName: "reload-2")
            async let second = runNewsd(["reload", "--config", config, "--pid", pid, "--timeout", "20"], in: scratch.path, logName: "reload-3")
            let (one, two) = try await (first, second)
            #expect(one.termination == .exited(0), "\(one.standardError)")
            #expect(two.termination == .exited(0), "\(two.standardError)")
            // Two or three reloads in all since the first (a SIGHUP that came during one runs another, which may
            // still be under way when both commands have returned: both were answered by a reload that started
            // after they had sent theirs).
            var marker = ""
            _ = try await eventually(timeout: .seconds(10)) {
                marker = String(decoding: readFile(spool.root + "/state/reloads") ?? [], as: UTF8.self)
                return ["\(pid) 3 3\n", "\(pid) 4 4\n"].contains(marker)
            }
            #expect(["\(pid) 3 3\n", "\(pid) 4 4\n"].contains(marker), "\(marker)")

            await stopDaemon(daemon)
        }

        @Test func newsdReloadFailsClearlyWithoutADaemonToAnswer() async throws {
            let scratch = try ScratchDirectory("reload-no-daemon")
            defer { scratch.remove() }
            try makeDirectory(scratch.path + "/spool")
            // No such process.
            let missing = try await runNewsd(["reload", "--spool-root", scratch.path + "/spool", "--pid", "999999"], in: scratch.path, logName: "missing")
            #expect(missing.termination == .exited(1))
            #expect(missing.standardError.contains("cannot signal process 999999"), "\(missing.standardError)")
            // A process that ignores SIGHUP and never writes the marker: the command gives up after --timeout.
            let deaf = try Child(executable: "/bin/sh", ["-c", "trap '' HUP; exec sleep 30"], directory: scratch.path, logName: "deaf")
            defer { deaf.forceKill() }
            let started = ContinuousClock.now
            let waited = try await runNewsd(
                ["reload", "--spool-root", scratch.path + "/spool", "--pid", "\(deaf.pid)", "--timeout", "0.5"], in: scratch.path, logName: "deaf-reload")
            #expect(waited.termination == .exited(1))
            #expect(waited.standardError.contains("did not finish the reload within 0.5 s"), "\(waited.standardError)")
            #expect(seconds(since: started) >= 0.5)
            #expect(deaf.isRunning)
        }
    }
}
