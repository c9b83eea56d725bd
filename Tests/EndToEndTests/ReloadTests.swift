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
    }
}
