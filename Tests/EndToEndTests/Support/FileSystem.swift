import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

// File-system helpers over raw byte names: the daemon handles names as bytes, and FileManager would turn a
// non-UTF-8 name into U+FFFD and then fail to open it.

struct FileSystemError: Error, CustomStringConvertible {
    var description: String
    init(_ operation: String, _ path: String, errno code: Int32 = errno) {
        description = "\(operation) \(path): \(String(cString: strerror(code)))"
    }
}

/// A path made of a directory (UTF-8) and an entry name (any bytes), NUL-terminated for the C calls.
func cPath(_ directory: String, _ name: [UInt8]) -> [CChar] {
    (Array(directory.utf8) + [UInt8(ascii: "/")] + name + [0]).map { CChar(bitPattern: $0) }
}

/// A name as the daemon shows it in documents and logs (`\xNN` for bytes that are not UTF-8).
func display(_ name: [UInt8]) -> String {
    var out = ""
    var index = 0
    while index < name.count {
        if let (scalar, length) = decodeOneScalar(name, at: index), scalar != "\\" {
            out.unicodeScalars.append(scalar)
            index += length
        } else {
            out += "\\x" + String(format: "%02x", name[index])
            index += 1
        }
    }
    return out
}

private func decodeOneScalar(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
    for length in 1...4 where index + length <= bytes.count {
        var iterator = bytes[index..<(index + length)].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator), String(scalar).utf8.count == length {
            return (scalar, length)
        }
    }
    return nil
}

/// Every entry of `directory` except `.` and `..`, as raw names.
func entryNames(_ directory: String) -> [[UInt8]] {
    guard let stream = opendir(directory) else { return [] }
    defer { closedir(stream) }
    var names: [[UInt8]] = []
    while let entry = readdir(stream) {
        let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
            pointer.withMemoryRebound(to: UInt8.self, capacity: 256) { bytes in
                Array(UnsafeBufferPointer(start: bytes, count: strlen(UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self))))
            }
        }
        if name == [0x2E] || name == [0x2E, 0x2E] { continue }
        names.append(name)
    }
    return names
}

/// The whole file, or nil when it cannot be opened (symlinks are not followed).
func readFile(_ directory: String, _ name: [UInt8]) -> [UInt8]? {
    readFile(path: cPath(directory, name))
}

func readFile(_ path: String) -> [UInt8]? {
    readFile(path: Array(path.utf8CString))
}

private func readFile(path: [CChar]) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 256 * 1024)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
        if count < 0 && errno == EINTR { continue }
        if count < 0 { return nil }
        if count == 0 { return bytes }
        bytes.append(contentsOf: chunk[..<count])
    }
}

/// Writes `bytes` to `directory/name` with open/write/close (one close-after-write event).
func writeFile(_ directory: String, _ name: [UInt8], _ bytes: [UInt8], mode: mode_t = 0o644) throws {
    let path = cPath(directory, name)
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard descriptor >= 0 else { throw FileSystemError("open", display(Array(directory.utf8) + [0x2F] + name)) }
    defer { close(descriptor) }
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
        if written < 0 {
            if errno == EINTR { continue }
            throw FileSystemError("write", display(Array(directory.utf8) + [0x2F] + name))
        }
        offset += written
    }
}

func writeFile(_ directory: String, _ name: String, _ bytes: [UInt8]) throws {
    try writeFile(directory, Array(name.utf8), bytes)
}

func renameEntry(_ fromDirectory: String, _ fromName: [UInt8], _ toDirectory: String, _ toName: [UInt8]) throws {
    guard rename(cPath(fromDirectory, fromName), cPath(toDirectory, toName)) == 0 else {
        throw FileSystemError("rename", display(Array(fromDirectory.utf8) + [0x2F] + fromName))
    }
}

/// `lstat`, or nil when the entry does not exist.
func entryStatus(_ directory: String, _ name: [UInt8]) -> stat? {
    var info = stat()
    return lstat(cPath(directory, name), &info) == 0 ? info : nil
}

func entryExists(_ directory: String, _ name: [UInt8]) -> Bool {
    entryStatus(directory, name) != nil
}

func makeDirectory(_ path: String) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
}

/// A fresh directory under /tmp, removed (whatever it holds) by `remove()`.
final class ScratchDirectory: Sendable {
    let path: String

    init(_ label: String) throws {
        var template = Array("/tmp/newsd-e2e-\(label)-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) != nil }) else {
            throw FileSystemError("mkdtemp", "/tmp")
        }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func remove() {
        // rm copes with non-UTF-8 names, FIFOs and read-only modes alike.
        _ = try? runTool("/bin/rm", ["-rf", path])
    }
}

/// Runs a helper tool to completion; returns its exit status and standard output.
@discardableResult
func runTool(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The folders of a daemon's spool (`newsd run --spool-root root`).
struct SpoolPaths: Sendable {
    let root: String
    var inbox: String { root + "/inbox" }
    var work: String { root + "/work" }
    var outbox: String { root + "/outbox" }
    var failed: String { root + "/failed" }
    var archive: String { root + "/archive" }
}
