#if canImport(Glibc)
import Glibc
#endif

/// Writes bytes to standard output, all of them, retrying short writes.
func writeStandardOutput(_ bytes: [UInt8]) throws {
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
        if written < 0 {
            if errno == EINTR { continue }
            throw OutputError(errno: errno)
        }
        offset += written
    }
}

struct OutputError: Error, CustomStringConvertible {
    var errno: Int32
    var description: String { "cannot write to standard output: \(String(cString: strerror(errno)))" }
}

func printError(_ line: String, terminator: String = "\n") {
    let bytes = Array((line + terminator).utf8)
    _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress!, $0.count) }
}
