import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// How a child process ended.
struct Termination: Equatable, CustomStringConvertible {
    var status: Int32
    /// True when `status` is the number of the signal that killed it.
    var bySignal: Bool

    static func exited(_ status: Int32) -> Termination { Termination(status: status, bySignal: false) }

    var description: String { bySignal ? "killed by signal \(status)" : "exit status \(status)" }
}

/// The environment a child gets: ours without anything that would change newsd's behaviour behind the test's
/// back (`NEWSD_*`, systemd's notify, watchdog and journal variables), plus `extra`.
func childEnvironment(_ extra: [String: String]) -> [String: String] {
    let inherited: Set<String> = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "LISTEN_FDS", "LISTEN_PID"]
    var environment = ProcessInfo.processInfo.environment.filter { key, _ in
        !key.hasPrefix("NEWSD_") && !inherited.contains(key)
    }
    environment.merge(extra) { _, new in new }
    return environment
}

/// A running `newsd` (or a shell wrapping it), its output going to files in a log directory.
final class Child: @unchecked Sendable {
    // @unchecked: `process` is only used through Foundation's thread-safe accessors; the rest is immutable.
    private let process: Process
    let standardOutputPath: String
    let standardErrorPath: String

    /// Starts `executable arguments` in `directory` (so no `Config/newsd.yaml` of the checkout is read).
    init(
        executable: String = EndToEnd.binary, _ arguments: [String], environment: [String: String] = [:],
        directory: String, logName: String, standardInput: [UInt8]? = nil
    ) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var childEnvironment = childEnvironment(environment)
        if executable.hasSuffix("/strace"), let options = childEnvironment["ASAN_OPTIONS"] {
            // LeakSanitizer cannot run under ptrace: it aborts at exit, and the traced daemon exits 1.
            childEnvironment["ASAN_OPTIONS"] = options + ":detect_leaks=0"
        }
        process.environment = childEnvironment
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        standardOutputPath = "\(directory)/\(logName).stdout"
        standardErrorPath = "\(directory)/\(logName).stderr"
        for path in [standardOutputPath, standardErrorPath] {
            guard FileManager.default.createFile(atPath: path, contents: nil) else { throw FileSystemError("create", path) }
        }
        process.standardOutput = FileHandle(forWritingAtPath: standardOutputPath)
        process.standardError = FileHandle(forWritingAtPath: standardErrorPath)
        if let standardInput {
            let inputPath = "\(directory)/\(logName).stdin"
            try Data(standardInput).write(to: URL(fileURLWithPath: inputPath))
            process.standardInput = FileHandle(forReadingAtPath: inputPath)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
    }

    var pid: pid_t { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    func send(_ signalNumber: Int32) {
        if process.isRunning { kill(process.processIdentifier, signalNumber) }
    }

    /// Waits up to `timeout` for the process to end; nil if it is still running.
    func waitForExit(timeout: Duration) async -> Termination? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        // Not waitUntilExit() here, though a Process only polled with isRunning is never freed (a known
        // swift-corelibs-foundation leak, suppressed in scripts/sanitizers/lsan.supp): called from this async
        // context it hung the test process under ASan.
        return Termination(status: process.terminationStatus, bySignal: process.terminationReason == .uncaughtSignal)
    }

    /// SIGKILL if still running, and reap: for cleanup paths.
    func killAndWait() async {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            _ = await waitForExit(timeout: .seconds(10))
        }
    }

    /// SIGKILL if still running and reap, blocking briefly: for `defer` on failure paths.
    func forceKill() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    var standardError: String { String(decoding: readFile(standardErrorPath) ?? [], as: UTF8.self) }
    var standardOutput: String { String(decoding: readFile(standardOutputPath) ?? [], as: UTF8.self) }
}

/// Runs a `newsd` command to completion (at most `timeout`).
func runNewsd(
    _ arguments: [String], environment: [String: String] = [:], in directory: String, logName: String,
    standardInput: [UInt8]? = nil, timeout: Duration = .seconds(120)
) async throws -> (termination: Termination, standardOutput: String, standardError: String) {
    let child = try Child(arguments, environment: environment, directory: directory, logName: logName, standardInput: standardInput)
    guard let termination = await child.waitForExit(timeout: timeout) else {
        await child.killAndWait()
        Issue.record("newsd \(arguments.joined(separator: " ")) did not finish within \(timeout)")
        throw CancellationError()
    }
    return (termination, child.standardOutput, child.standardError)
}

/// `newsd run` on a spool, with readable stderr logs. Waits for the "ready" log line unless told not to.
func startDaemon(
    _ spool: SpoolPaths, in directory: String, environment: [String: String] = [:], arguments: [String] = [],
    logName: String, waitForReady: Bool = true, watchdogPidWrapper: Bool = false
) async throws -> Child {
    let runArguments = ["run", "--spool-root", spool.root, "--log-target", "stderr"] + arguments
    let child: Child
    if watchdogPidWrapper {
        // sd_watchdog_enabled honours WATCHDOG_USEC only when WATCHDOG_PID names the daemon itself: the shell
        // learns its own pid and execs newsd under it.
        child = try Child(
            executable: "/bin/sh", ["-c", "WATCHDOG_PID=$$ exec \"$@\"", "sh", EndToEnd.binary] + runArguments,
            environment: environment, directory: directory, logName: logName)
    } else {
        child = try Child(runArguments, environment: environment, directory: directory, logName: logName)
    }
    if waitForReady {
        let ready = try await eventually(timeout: .seconds(30)) {
            child.standardError.contains("ready: recovery and first scan done") || !child.isRunning
        }
        guard ready, child.isRunning else {
            await child.killAndWait()
            Issue.record("newsd run did not become ready; stderr:\n\(child.standardError)")
            throw CancellationError()
        }
    }
    return child
}

/// Sends SIGTERM and expects a clean exit (status 0) within `timeout`.
func stopDaemon(_ child: Child, timeout: Duration = .seconds(40), sourceLocation: SourceLocation = #_sourceLocation) async {
    child.send(SIGTERM)
    let termination = await child.waitForExit(timeout: timeout)
    #expect(termination == .exited(0), "newsd run after SIGTERM: \(termination.map(\.description) ?? "still running")",
        sourceLocation: sourceLocation)
    await child.killAndWait()
}

/// Polls `condition` every `interval` until it holds or `timeout` passes; returns whether it held.
func eventually(
    timeout: Duration, interval: Duration = .milliseconds(50), _ condition: () throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try await Task.sleep(for: interval)
    }
}

/// Runs blocking work (writers, renames by the thousand) on its own thread, off Swift's small cooperative pool.
func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// Seconds since `start`, for messages.
func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// A value shared between threads behind a lock.
final class SendableBox<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) { storage = Mutex(value) }

    var value: Value { storage.withLock { $0 } }

    func update(_ body: (inout Value) -> Void) {
        storage.withLock { body(&$0) }
    }
}
