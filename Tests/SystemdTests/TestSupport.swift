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
/// which would hold a captured pipe open forever.
func runProgramDiscardingOutput(_ executable: String, _ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
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
