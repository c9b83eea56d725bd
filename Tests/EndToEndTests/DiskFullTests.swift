import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    /// A full outbox is a fault of the storage, not of the articles: claiming pauses, nothing fails, and
    /// everything goes through once there is room again.
    @Suite struct DiskFull {
        /// Whether this process may mount a tmpfs (root, or CAP_SYS_ADMIN).
        static let canMountTmpfs: Bool = {
            guard let scratch = try? ScratchDirectory("mount-probe") else { return false }
            defer { scratch.remove() }
            guard (try? runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", scratch.path]))?.status == 0 else { return false }
            _ = try? runTool("/bin/umount", [scratch.path])
            return true
        }()

        @Test(.enabled(if: canMountTmpfs, "needs permission to mount a tmpfs (run as root)"))
        func aFullOutboxPausesClaimingFailsNothingAndEverythingGoesThroughWhenSpaceReturns() async throws {
            let scratch = try ScratchDirectory("diskfull")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            let staging = scratch.path + "/staging"
            try makeDirectory(staging)
            try makeDirectory(spool.outbox)
            let mount = try runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", spool.outbox])
            try #require(mount.status == 0, "mount -t tmpfs failed")
            defer { _ = try? runTool("/bin/umount", ["-l", spool.outbox]) }

            let filler = Array("filler".utf8)
            let fillerBytes = try Self.fill(spool.outbox, filler)
            #expect(fillerBytes > 1 << 20)

            let daemon = try await startDaemon(spool, in: scratch.path, environment: ["NEWSD_SETTLE_TIME": "0"], logName: "daemon")
            defer { daemon.forceKill() }
            let corpus = try EndToEnd.corpusArticles()
            let count = EndToEnd.scaled(50)
            var names: Set<String> = []
            for index in 0..<count {
                let name = "full-\(index).txt"
                try writeFile(staging, name, corpus[index % corpus.count])
                try renameEntry(staging, Array(name.utf8), spool.inbox, Array(name.utf8))
                names.insert(name)
            }

            let paused = try await eventually(timeout: .seconds(20)) { daemon.standardError.contains("claiming paused") }
            #expect(paused, "no 'claiming paused' in the log; stderr:\n\(daemon.standardError.suffix(2_000))")
            // Claiming stops at the limit: most files wait in the inbox, the claimed ones in work/.
            #expect(entryNames(spool.inbox).count + entryNames(spool.work).count == count)
            #expect(entryNames(spool.failed).map(display).isEmpty, "a full disk must not fail articles")
            // Workers still writing when the first one failed hold a temporary file until their own write fails
            // too; each must remove it, leaving nothing half-written beside the filler.
            let settled = try await eventually(timeout: .seconds(10)) { entryNames(spool.outbox).map(display) == ["filler"] }
            #expect(settled, "\(entryNames(spool.outbox).map(display))")

            #expect(unlink(cPath(spool.outbox, filler)) == 0)
            let freed = ContinuousClock.now
            let drained = try await eventually(timeout: .seconds(90), interval: .milliseconds(200)) {
                entryNames(spool.outbox).filter({ $0.first != UInt8(ascii: ".") }).count >= count
                    && entryNames(spool.inbox).isEmpty && entryNames(spool.work).isEmpty
            }
            let recovery = seconds(since: freed)
            #expect(drained, "not drained within 90 s of freeing space; stderr:\n\(daemon.standardError.suffix(2_000))")
            #expect(daemon.standardError.contains("claiming resumed"))
            await stopDaemon(daemon)

            let outbox = readOutbox(spool.outbox)
            #expect(outbox.hiddenNames.isEmpty, "\(outbox.hiddenNames)")
            #expect(outbox.malformed.isEmpty, "\(outbox.malformed)")
            let counts = outbox.countsBySource
            #expect(Set(counts.keys) == names)
            #expect(counts.filter { $0.value != 1 }.isEmpty, "\(counts.filter { $0.value != 1 })")
            for document in outbox.documents {
                let problems = articleProblems(document.object)
                #expect(problems.isEmpty, "\(document.sourceName): \(problems.prefix(3))")
            }
            #expect(entryNames(spool.failed).isEmpty)
            #expect(Set(entryNames(spool.archive).map(display)) == names)
            print("disk full: drained \(count) articles \(String(format: "%.1f", recovery)) s after space returned")
        }

        /// A backlog waiting when the disk fills: every claimed article fails at once. The back-off must grow
        /// with failed probes, not with the number of articles that were in flight, or a disk freed a second
        /// later is noticed only after the longest delay (30 s).
        @Test(
            .enabled(if: canMountTmpfs, "needs permission to mount a tmpfs (run as root)"))
        func aBacklogHitByAFullDiskResumesSoonAfterSpaceReturns() async throws {
            let scratch = try ScratchDirectory("backoff")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            try makeDirectory(spool.outbox)
            try makeDirectory(spool.inbox)
            let mount = try runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", spool.outbox])
            try #require(mount.status == 0, "mount -t tmpfs failed")
            defer { _ = try? runTool("/bin/umount", ["-l", spool.outbox]) }
            let filler = Array("filler".utf8)
            _ = try Self.fill(spool.outbox, filler)
            let corpus = try EndToEnd.corpusArticles()
            let count = EndToEnd.scaled(50)
            for index in 0..<count { try writeFile(spool.inbox, "backlog-\(index).txt", corpus[index % corpus.count]) }

            // Eight claimed at once (max_claimed = 4 × 2 workers), all failing with ENOSPC together.
            let daemon = try await startDaemon(
                spool, in: scratch.path, environment: ["NEWSD_SETTLE_TIME": "0"], arguments: ["--workers", "2", "--max-claimed", "8"],
                logName: "daemon")
            defer { daemon.forceKill() }
            #expect(try await eventually(timeout: .seconds(20)) { daemon.standardError.contains("claiming paused") })
            try await Task.sleep(for: .milliseconds(1_500))  // not an assertion: the outage lasts a moment

            #expect(unlink(cPath(spool.outbox, filler)) == 0)
            let freed = ContinuousClock.now
            let drained = try await eventually(timeout: .seconds(60), interval: .milliseconds(100)) {
                entryNames(spool.outbox).filter({ $0.first != UInt8(ascii: ".") }).count >= count
            }
            let recovery = seconds(since: freed)
            #expect(drained)
            // Probes after 0.25, 0.5, 1, 2 s… find the space within a few seconds of its return.
            #expect(recovery < 10, "took \(String(format: "%.1f", recovery)) s to notice the freed space")
            await stopDaemon(daemon)
            #expect(readOutbox(spool.outbox).countsBySource.count == count)
            #expect(entryNames(spool.failed).isEmpty)
        }

        /// Writes `name` in `directory` until the file system is full; returns the bytes written.
        static func fill(_ directory: String, _ name: [UInt8]) throws -> Int {
            let descriptor = open(cPath(directory, name), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw FileSystemError("open", directory + "/filler") }
            defer { close(descriptor) }
            let chunk = [UInt8](repeating: 0x7A, count: 4_096)
            var total = 0
            while true {
                let written = chunk.withUnsafeBytes { write(descriptor, $0.baseAddress!, $0.count) }
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { break }
                total += written
            }
            return total
        }
    }
}
