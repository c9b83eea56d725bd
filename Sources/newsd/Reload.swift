import ArgumentParser
import Service
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

struct Reload: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a running daemon re-read its configuration, and wait until it has.",
        discussion: """
            Sends SIGHUP to the daemon and returns once it has finished the reload: applied the file, or kept \
            its configuration because the file is invalid (its log says which). `kill -HUP` returns at once, \
            so on systemd 252, which has no Type=notify-reload, `systemctl reload` could return before newsd \
            had read the file; the unit's ExecReload= runs this command instead. The spool root is found as \
            `newsd run` finds it; the daemon keeps its counts of reloads in state/reloads. Exits 1 when the \
            process does not exist, ends, or has not answered within --timeout seconds.

            Example:
              newsd reload --config /etc/newsd/newsd.yaml --pid "$MAINPID"
            """
    )

    @Option(name: .long, help: "The YAML configuration file, as for newsd run (only spool.root is read from it).")
    var config: String?

    @Option(name: .long, help: "spool.root: the daemon's spool folder.")
    var spoolRoot: String?

    @Option(help: "The daemon's process id (systemd's $MAINPID).")
    var pid: Int32

    @Option(help: "Seconds to wait for the daemon to finish the reload.")
    var timeout: Double = 90

    func validate() throws {
        guard pid > 0 else { throw ValidationError("--pid must name a process (a positive number)") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let source = SettingsSource(file: config.map { FilePath($0) }, flags: spoolRoot.map { ["spool.root": $0] } ?? [:])
        let root: FilePath
        do {
            root = try await source.loadSpoolRoot()
        } catch {
            printError("newsd: cannot find the spool root: \(error)")
            throw ExitCode(2)
        }
        let marker = ReloadMarker(stateDirectory: root.appending("state").string)
        // Before the signal: the reloads this process has started (none when the marker is missing, while it
        // starts, or another process's). Done once one more than that is done: a reload under way now may
        // have read the file before it changed, and the daemon serves this SIGHUP after it.
        let wanted = (marker.read().flatMap { $0.pid == pid ? $0.started : nil } ?? 0) + 1
        guard kill(pid, SIGHUP) == 0 else {
            printError("newsd: cannot signal process \(pid): \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        while ContinuousClock.now < deadline {
            if let reading = marker.read(), reading.pid == pid, reading.done >= wanted { return }
            guard kill(pid, 0) == 0 || errno == EPERM else {
                printError("newsd: process \(pid) ended before it finished the reload")
                throw ExitCode(1)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        printError("newsd: process \(pid) did not finish the reload within \(timeout) s (no change in \(marker.path))")
        throw ExitCode(1)
    }
}
