import Foundation
import Testing

/// The shipped `systemd/` files, checked with systemd's own tools rather than by reading them.
extension ProcessEnvironmentTests {
    @Suite(.enabled(if: executablePath("systemd-analyze") != nil, "needs systemd-analyze"))
    struct UnitFileTests {
        static let unit = packageRoot.appendingPathComponent("systemd/newsd.service")

        /// The exposure measured when the unit was last hardened (see systemd/README.md). A unit change that
        /// loosens the sandbox fails here; if the change is deliberate, update both.
        static let measuredExposure = 0.2

        @Test func unitPassesSystemdAnalyzeVerify() throws {
            // verify insists that ExecStart= and ExecReload= exist; /usr/local/bin/newsd is not installed on a
            // build machine, so check a copy whose only difference is an existing program at those spots.
            let text = try String(contentsOf: Self.unit, encoding: .utf8)
            let execStart = "ExecStart=/usr/local/bin/newsd run --config /etc/newsd/newsd.yaml"
            let execReload = "ExecReload=/usr/local/bin/newsd reload --config /etc/newsd/newsd.yaml --pid $MAINPID"
            #expect(text.contains(execStart + "\n"))
            #expect(text.contains(execReload + "\n"))
            let directory = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let copy = directory.appendingPathComponent("newsd.service")
            try text.replacingOccurrences(of: execStart, with: "ExecStart=/bin/true run --config /etc/newsd/newsd.yaml")
                .replacingOccurrences(of: execReload, with: "ExecReload=/bin/true reload --config /etc/newsd/newsd.yaml --pid $MAINPID")
                .write(to: copy, atomically: true, encoding: .utf8)

            let result = try runProgram(try #require(executablePath("systemd-analyze")), ["verify", copy.path])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardError.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        }

        @Test func offlineSecurityExposureStaysAtTheMeasuredLevel() throws {
            let result = try runProgram(
                try #require(executablePath("systemd-analyze")), ["security", "--offline=true", Self.unit.path])
            // "→ Overall exposure level for newsd.service: 0.2 SAFE 😀"
            let line = try #require(
                result.standardOutput.split(separator: "\n").first { $0.contains("Overall exposure level") },
                "\(result.standardOutput)\(result.standardError)")
            let afterColon = try #require(line.split(separator: ":").last)
            let exposure = try #require(afterColon.split(separator: " ").first.flatMap { Double($0) })
            #expect(exposure <= Self.measuredExposure)
        }

        @Test(.enabled(if: getuid() == 0, "tmpfiles needs root to chown in a scratch root"))
        func sysusersAndTmpfilesBuildTheSpoolWithDropperAccess() throws {
            let sysusers = try #require(executablePath("systemd-sysusers"))
            let tmpfiles = try #require(executablePath("systemd-tmpfiles"))
            let root = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: root) }
            let files = FileManager.default
            for (source, target) in [
                ("newsd.sysusers.conf", "usr/lib/sysusers.d/newsd.conf"),
                ("newsd.tmpfiles.conf", "usr/lib/tmpfiles.d/newsd.conf"),
            ] {
                let destination = root.appendingPathComponent(target)
                try files.createDirectory(
                    at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                try files.copyItem(at: packageRoot.appendingPathComponent("systemd/" + source), to: destination)
            }
            try files.createDirectory(at: root.appendingPathComponent("etc"), withIntermediateDirectories: true)

            let users = try runProgram(sysusers, ["--root=\(root.path)"])
            #expect(users.status == 0, "\(users.standardError)")
            let passwd = try String(contentsOf: root.appendingPathComponent("etc/passwd"), encoding: .utf8)
            let group = try String(contentsOf: root.appendingPathComponent("etc/group"), encoding: .utf8)
            let newsdLine = try #require(passwd.split(separator: "\n").first { $0.hasPrefix("newsd:") })
            let newsdFields = newsdLine.split(separator: ":", omittingEmptySubsequences: false)
            let dropLine = try #require(group.split(separator: "\n").first { $0.hasPrefix("newsd-drop:") })
            let dropFields = dropLine.split(separator: ":", omittingEmptySubsequences: false)
            #expect(dropFields.last == "newsd", "the daemon must be in newsd-drop to claim dropped files")
            let newsdUID = try #require(UInt32(newsdFields[2]))
            let newsdGID = try #require(UInt32(newsdFields[3]))
            let dropGID = try #require(UInt32(dropFields[2]))

            let created = try runProgram(tmpfiles, ["--root=\(root.path)", "--create"])
            #expect(created.status == 0, "\(created.standardError)")
            let expected: [(String, mode_t, gid_t)] = [
                ("", 0o751, newsdGID),
                ("inbox", 0o3770, dropGID),
                ("work", 0o750, newsdGID),
                ("state", 0o750, newsdGID),
                ("outbox", 0o750, newsdGID),
                ("archive", 0o750, newsdGID),
                ("failed", 0o2750, dropGID),
            ]
            for (name, mode, gid) in expected {
                var status = stat()
                let path = root.appendingPathComponent("var/lib/newsd/" + name).path
                try #require(stat(path, &status) == 0, "\(path) missing")
                #expect(status.st_mode & 0o7777 == mode, "\(name): \(String(status.st_mode & 0o7777, radix: 8))")
                #expect(status.st_uid == newsdUID, "\(name)")
                #expect(status.st_gid == gid, "\(name)")
            }
        }

        @Test func unitAndTmpfilesAgreeOnTheStateDirectoryMode() throws {
            // systemd chowns and chmods StateDirectory= at every start; if tmpfiles disagreed, the two would
            // fight, and a re-chown would take the inbox away from newsd-drop.
            let unit = try String(contentsOf: Self.unit, encoding: .utf8)
            let tmpfiles = try String(
                contentsOf: packageRoot.appendingPathComponent("systemd/newsd.tmpfiles.conf"), encoding: .utf8)
            #expect(unit.contains("\nStateDirectoryMode=0751\n"))
            #expect(unit.contains("\nUser=newsd\nGroup=newsd\n"))
            let spoolLine = try #require(
                tmpfiles.split(separator: "\n").first { $0.hasPrefix("d") && $0.contains("/var/lib/newsd ") })
            #expect(spoolLine.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).prefix(3) == ["0751", "newsd", "newsd"])
        }
    }
}
