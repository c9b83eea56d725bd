import Foundation

/// The package root, found from this file's path, so tests can read `systemd/` from any working directory.
let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // SystemdTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

/// The result of running a program to completion.
struct ProgramResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs `executable` with `arguments` and waits, output discarded: for programs that leave a daemon behind,
/// which would hold a captured pipe open forever. Spawned and reaped directly: Foundation's `Process` once
/// never returned from `waitUntilExit` for `setsid -f` (which exits at once), with the child a zombie.
func runProgramDiscardingOutput(_ executable: String, _ arguments: [String]) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for descriptor: Int32 in 0...2 {
        posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 {
        guard errno == EINTR else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }
    // WIFEXITED and WEXITSTATUS, which Swift does not import; a signal's number otherwise, negated.
    return status & 0x7F == 0 ? (status >> 8) & 0xFF : -(status & 0x7F)
}

/// Runs `executable` with `arguments` and waits; output is collected on separate threads so a full pipe
/// cannot block the child.
func runProgram(_ executable: String, _ arguments: [String]) throws -> ProgramResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let collected = DispatchGroup()
    nonisolated(unsafe) var outputData = Data()
    nonisolated(unsafe) var errorData = Data()
    DispatchQueue.global().async(group: collected) { outputData = output.fileHandleForReading.readDataToEndOfFile() }
    DispatchQueue.global().async(group: collected) { errorData = error.fileHandleForReading.readDataToEndOfFile() }
    collected.wait()
    process.waitUntilExit()
    return ProgramResult(
        status: process.terminationStatus,
        standardOutput: String(decoding: outputData, as: UTF8.self),
        standardError: String(decoding: errorData, as: UTF8.self))
}

/// The absolute path of `name` on PATH (or in the usual system directories), nil when absent.
func executablePath(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]
    return directories.lazy.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Sets environment variables for the duration of `body`, then restores what was there before.
/// Only for suites under ``ProcessEnvironmentTests`` (serialized): the environment is process-wide.
func withEnvironment<Result>(_ values: [String: String?], _ body: () throws -> Result) rethrows -> Result {
    var previous: [String: String?] = [:]
    for (name, value) in values {
        previous[name] = getenv(name).map { String(cString: $0) }
        if let value { setenv(name, value, 1) } else { unsetenv(name) }
    }
    defer {
        for (name, value) in previous {
            if let value { setenv(name, value, 1) } else { unsetenv(name) }
        }
    }
    return try body()
}

/// A fresh directory under /tmp, removed by the caller.
func makeTemporaryDirectory() throws -> URL {
    var template = Array("/tmp/newsd-systemd-tests-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    return URL(fileURLWithPath: String(cString: made), isDirectory: true)
}
