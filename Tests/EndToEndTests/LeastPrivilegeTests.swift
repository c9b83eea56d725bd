import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

// The daemon as an unprivileged user (`setpriv` to nobody, no supplementary groups), with only its own spool
// writable. The unit's sandbox (exposure ≤ 1.0 from `systemd-analyze security --offline=true`) is asserted by
// SystemdTests/UnitFileTests.swift (`measuredExposure`); not repeated here.

extension EndToEnd {
    @Suite struct LeastPrivilege {
        static let user: uid_t = 65_534  // nobody
        static let group: gid_t = 65_534  // nogroup

        /// `newsd run` as nobody:nogroup without supplementary groups; waits for "ready" unless told not to.
        static func startUnprivileged(
            _ spool: SpoolPaths, in directory: String, logName: String, waitForReady: Bool = true
        ) async throws -> Child {
            let child = try Child(
                executable: "/usr/bin/setpriv",
                ["--reuid=\(user)", "--regid=\(group)", "--clear-groups", "--no-new-privs", "--", EndToEnd.binary,
                 "run", "--spool-root", spool.root, "--log-target", "stderr"],
                environment: ["NEWSD_SETTLE_TIME": "0", "NEWSD_RESCAN_INTERVAL": "1"], directory: directory, logName: logName)
            if waitForReady {
                let ready = try await eventually(timeout: .seconds(30)) {
                    child.standardError.contains("ready: recovery and first scan done") || !child.isRunning
                }
                guard ready, child.isRunning else {
                    await child.killAndWait()
                    Issue.record("unprivileged newsd did not become ready; stderr:\n\(child.standardError)")
                    throw CancellationError()
                }
            }
            return child
        }

        /// A scratch folder nobody may pass through but not write to, with a spool root owned by nobody.
        static func scratchWithOwnedSpool(_ label: String) throws -> (ScratchDirectory, SpoolPaths) {
            let scratch = try ScratchDirectory(label)
            #expect(chmod(scratch.path, 0o755) == 0)
            let spool = SpoolPaths(root: scratch.path + "/spool")
            try makeDirectory(spool.root)
            #expect(chown(spool.root, user, group) == 0)
            return (scratch, spool)
        }

        /// Real and effective ids of a running process, from /proc/PID/status ("Uid:\treal\teffective\t…").
        static func ids(of pid: pid_t) -> (uid: [String], gid: [String], groups: String)? {
            guard let bytes = readFile("/proc/\(pid)/status") else { return nil }
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
            func fields(_ key: String) -> [String] {
                lines.first { $0.hasPrefix(key) }.map { $0.dropFirst(key.count).split(separator: "\t").map(String.init) } ?? []
            }
            return (fields("Uid:"), fields("Gid:"), fields("Groups:").joined(separator: " "))
        }

        @Test func anUnprivilegedDaemonProcessesDropsInTheSpoolItOwns() async throws {
            let (scratch, spool) = try Self.scratchWithOwnedSpool("lp-ok")
            defer { scratch.remove() }
            let daemon = try await Self.startUnprivileged(spool, in: scratch.path, logName: "daemon")
            defer { daemon.forceKill() }

            let ids = try #require(Self.ids(of: daemon.pid))
            #expect(ids.uid.allSatisfy { $0 == "\(Self.user)" }, "Uid: \(ids.uid)")
            #expect(ids.gid.allSatisfy { $0 == "\(Self.group)" }, "Gid: \(ids.gid)")
            #expect(ids.groups.trimmingCharacters(in: .whitespaces).isEmpty, "supplementary groups: \(ids.groups)")

            // A dropper (root here) renames an article in; nobody reads it (0644), writes the outbox, archives.
            let staging = scratch.path + "/staging"
            try makeDirectory(staging)
            try writeFile(staging, "article.txt", EndToEnd.smallArticle(1))
            try renameEntry(staging, Array("article.txt".utf8), spool.inbox, Array("article.txt".utf8))
            // A dropper's private file (root's, 0600): the daemon may not read it, so it fails as `unreadable`
            // rather than pausing the spool as if the disk were at fault.
            try writeFile(staging, Array("private.txt".utf8), EndToEnd.smallArticle(2), mode: 0o600)
            #expect(chmod(staging + "/private.txt", 0o600) == 0)
            try renameEntry(staging, Array("private.txt".utf8), spool.inbox, Array("private.txt".utf8))
            let processed = try await eventually(timeout: .seconds(30)) {
                readOutbox(spool.outbox).documents.count == 1 && readFailed(spool.failed).pairs.count == 1
            }
            #expect(processed, "stderr:\n\(daemon.standardError)")
            await stopDaemon(daemon)

            #expect(readOutbox(spool.outbox).countsBySource == ["article.txt": 1])
            #expect(readFailed(spool.failed).codesBySource == ["private.txt": ["unreadable"]])
            #expect(readFile(spool.failed + "/private.txt") == EndToEnd.smallArticle(2), "moved unread and unchanged")
            #expect(entryExists(spool.archive, Array("article.txt".utf8)))
            // Everything the daemon created is inside its spool and owned by nobody; the folder around it holds
            // only what the test made.
            var outsideSpool: [String] = []
            var pending = [scratch.path]
            while let directory = pending.popLast() {
                for name in entryNames(directory) {
                    let path = directory + "/" + display(name)
                    guard let status = entryStatus(directory, name) else { continue }
                    if status.st_uid == Self.user && !path.hasPrefix(spool.root) { outsideSpool.append(path) }
                    if status.st_mode & S_IFMT == S_IFDIR { pending.append(path) }
                }
            }
            #expect(outsideSpool.isEmpty, "owned by nobody outside the spool: \(outsideSpool)")
            #expect(entryStatus(spool.outbox, Array("article.json".utf8))?.st_uid == Self.user)
        }

        /// An outbox the daemon does not own (root's, 0755): writing fails with EACCES, which is a fault of the
        /// storage. The article stays in work/ (never failed/, never lost), claiming pauses with a log record,
        /// nothing is written; once the outbox is handed to the daemon it resumes and the article gets its one
        /// document.
        @Test func anOutboxItDoesNotOwnPausesTheDaemonInsteadOfFailingOrWritingElsewhere() async throws {
            let (scratch, spool) = try Self.scratchWithOwnedSpool("lp-outbox")
            defer { scratch.remove() }
            for folder in [spool.inbox, spool.work, spool.failed, spool.archive, spool.root + "/state"] {
                try makeDirectory(folder)
                #expect(chown(folder, Self.user, Self.group) == 0)
            }
            try makeDirectory(spool.outbox)  // root:root 0755
            #expect(chmod(spool.outbox, 0o755) == 0)
            let daemon = try await Self.startUnprivileged(spool, in: scratch.path, logName: "daemon")
            defer { daemon.forceKill() }

            try writeFile(spool.inbox, "article.txt", EndToEnd.smallArticle(2))
            let paused = try await eventually(timeout: .seconds(30)) {
                daemon.standardError.contains("storage fault: claiming paused")
            }
            #expect(paused, "stderr:\n\(daemon.standardError)")
            try await Task.sleep(for: .seconds(1))
            #expect(daemon.isRunning)
            #expect(entryNames(spool.outbox).isEmpty, "written into an outbox it does not own: \(entryNames(spool.outbox).map(display))")
            #expect(entryNames(spool.failed).isEmpty, "a storage fault must not fail the article")
            #expect(entryNames(spool.work) == [Array("article.txt".utf8)])
            #expect(daemon.standardError.contains("Permission denied") || daemon.standardError.contains("EACCES")
                || daemon.standardError.contains("permission"), "the pause should say why")

            #expect(chown(spool.outbox, Self.user, Self.group) == 0)
            let resumed = try await eventually(timeout: .seconds(60), interval: .milliseconds(200)) {
                readOutbox(spool.outbox).documents.count == 1 && entryNames(spool.work).isEmpty
            }
            #expect(resumed, "stderr:\n\(daemon.standardError)")
            await stopDaemon(daemon)
            #expect(readOutbox(spool.outbox).countsBySource == ["article.txt": 1])
            #expect(entryNames(spool.failed).isEmpty)
        }

        /// A spool root where the user may not create anything: start-up fails with a clear error and a non-zero
        /// status, and nothing is created.
        @Test func aSpoolRootItCannotCreateStopsStartUpCleanly() async throws {
            let scratch = try ScratchDirectory("lp-root")
            defer { scratch.remove() }
            #expect(chmod(scratch.path, 0o755) == 0)
            let locked = scratch.path + "/locked"
            try makeDirectory(locked)
            #expect(chmod(locked, 0o755) == 0)
            let spool = SpoolPaths(root: locked + "/spool")
            let daemon = try await Self.startUnprivileged(spool, in: scratch.path, logName: "daemon", waitForReady: false)
            defer { daemon.forceKill() }
            let termination = await daemon.waitForExit(timeout: .seconds(30))
            #expect(termination != nil && termination != .exited(0), "\(termination.map(\.description) ?? "still running")")
            #expect(termination?.bySignal == false, "it must exit, not crash: \(termination.map(\.description) ?? "")")
            #expect(entryNames(locked).isEmpty)
            let stderr = daemon.standardError
            #expect(stderr.contains("ermission denied") || stderr.contains("EACCES"), "stderr:\n\(stderr)")
        }
    }
}
