#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

// Every system call the spool makes, wrapped once: names are raw bytes (never a lossy String), EINTR is
// retried, and errno becomes a `SpoolError` naming the call.

/// Runs `body` until it does not fail with EINTR; returns its result or throws errno as a `SpoolError`.
@inline(__always)
private func retryingInterrupts<T: BinaryInteger>(
    _ operation: String, name: [UInt8], _ body: () -> T
) throws(SpoolError) -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = Glibc.errno
        if code == EINTR { continue }
        throw SpoolError(operation, name: name, errno: Errno(rawValue: code))
    }
}

/// Calls `body` with `name` as a NUL-terminated C string.
@inline(__always)
func withCName<T>(_ name: [UInt8], _ body: (UnsafePointer<CChar>) throws(SpoolError) -> T) throws(SpoolError) -> T {
    var buffer = name
    buffer.append(0)
    do {
        return try buffer.withUnsafeBufferPointer { bytes in
            try bytes.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    } catch let error as SpoolError {
        throw error
    } catch {
        fatalError("unreachable: \(error)")
    }
}

enum Syscalls {
    /// `openat(2)`.
    static func openAt(_ directory: CInt, _ name: [UInt8], flags: CInt, mode: mode_t = 0) throws(SpoolError) -> CInt {
        try withCName(name) { (path) throws(SpoolError) in
            try retryingInterrupts("openat", name: name) { Glibc.openat(directory, path, flags | O_CLOEXEC, mode) }
        }
    }

    /// `fstatat(2)` without following a final symlink.
    static func lstatAt(_ directory: CInt, _ name: [UInt8]) throws(SpoolError) -> stat {
        var info = stat()
        _ = try withCName(name) { (path) throws(SpoolError) in
            try retryingInterrupts("fstatat", name: name) { Glibc.fstatat(directory, path, &info, AT_SYMLINK_NOFOLLOW) }
        }
        return info
    }

    /// Whether `name` exists in `directory` (any kind of entry, symlinks not followed).
    static func exists(_ directory: CInt, _ name: [UInt8]) throws(SpoolError) -> Bool {
        do {
            _ = try lstatAt(directory, name)
            return true
        } catch where error.errno == .noSuchFileOrDirectory {
            return false
        }
    }

    /// `fstat(2)`.
    static func fileStatus(_ descriptor: CInt) throws(SpoolError) -> stat {
        var info = stat()
        _ = try retryingInterrupts("fstat", name: []) { Glibc.fstat(descriptor, &info) }
        return info
    }

    /// `renameat(2)`.
    static func renameAt(_ from: CInt, _ fromName: [UInt8], _ to: CInt, _ toName: [UInt8]) throws(SpoolError) {
        _ = try withCName(fromName) { (source) throws(SpoolError) in
            try withCName(toName) { (target) throws(SpoolError) in
                try retryingInterrupts("renameat", name: fromName) { Glibc.renameat(from, source, to, target) }
            }
        }
    }

    /// `linkat(2)`: a second name for a file that fails with EEXIST rather than replacing anything.
    static func linkAt(_ from: CInt, _ fromName: [UInt8], _ to: CInt, _ toName: [UInt8]) throws(SpoolError) {
        _ = try withCName(fromName) { (source) throws(SpoolError) in
            try withCName(toName) { (target) throws(SpoolError) in
                try retryingInterrupts("linkat", name: toName) { Glibc.linkat(from, source, to, target, 0) }
            }
        }
    }

    /// `unlinkat(2)`.
    static func unlinkAt(_ directory: CInt, _ name: [UInt8], flags: CInt = 0) throws(SpoolError) {
        _ = try withCName(name) { (path) throws(SpoolError) in
            try retryingInterrupts("unlinkat", name: name) { Glibc.unlinkat(directory, path, flags) }
        }
    }

    /// `mkdirat(2)`; an existing directory is fine.
    static func makeDirectory(_ directory: CInt, _ name: [UInt8], mode: mode_t) throws(SpoolError) {
        do {
            _ = try withCName(name) { (path) throws(SpoolError) in
                try retryingInterrupts("mkdirat", name: name) { Glibc.mkdirat(directory, path, mode) }
            }
        } catch where error.errno == .fileExists {
            return
        }
    }

    /// `fsync(2)`.
    static func synchronize(_ descriptor: CInt) throws(SpoolError) {
        _ = try retryingInterrupts("fsync", name: []) { Glibc.fsync(descriptor) }
    }

    /// `close(2)`; errors are ignored (Linux releases the descriptor whatever close returns).
    static func close(_ descriptor: CInt) {
        _ = Glibc.close(descriptor)
    }

    /// Writes all of `bytes` with `write(2)`.
    static func writeAll(_ descriptor: CInt, _ bytes: [UInt8]) throws(SpoolError) {
        var offset = 0
        while offset < bytes.count {
            let written = try retryingInterrupts("write", name: []) {
                bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            }
            offset += written
        }
    }

    /// Reads the whole file behind `descriptor`, but never more than `limit` bytes.
    ///
    /// Returns exactly `limit` bytes when the file is longer, so a caller comparing with its own cap can tell.
    static func readAll(_ descriptor: CInt, expectedSize: Int, limit: Int) throws(SpoolError) -> [UInt8] {
        // One byte more than expected, so end of file shows without a second growth of the buffer.
        var bytes = [UInt8](repeating: 0, count: min(max(expectedSize, 0) + 1, limit))
        var count = 0
        while count < limit {
            if count == bytes.count {
                bytes.append(contentsOf: repeatElement(0, count: min(max(bytes.count, 4096), limit - count)))
            }
            let got = try retryingInterrupts("read", name: []) {
                bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + count, $0.count - count) }
            }
            if got == 0 { break }
            count += got
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// Every entry name in the directory open at `descriptor`, except "." and "..", streamed to `body`.
    ///
    /// The caller's descriptor stays open and usable: the listing reads through a duplicate.
    /// `body` returns false to stop early.
    static func forEachEntry(_ descriptor: CInt, _ body: ([UInt8], UInt8) -> Bool) throws(SpoolError) {
        let duplicate = try retryingInterrupts("openat", name: Array(".".utf8)) {
            Glibc.openat(descriptor, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        guard let stream = fdopendir(duplicate) else {
            let code = Glibc.errno
            Syscalls.close(duplicate)
            throw SpoolError("fdopendir", errno: Errno(rawValue: code))
        }
        defer { closedir(stream) }
        while true {
            Glibc.errno = 0
            guard let entry = readdir(stream) else {
                if Glibc.errno != 0 { throw SpoolError("readdir", errno: Errno(rawValue: Glibc.errno)) }
                return
            }
            let (name, kind) = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: UInt8.self, capacity: 256) { bytes in
                    (Array(UnsafeBufferPointer(start: bytes, count: strlen(UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self)))), entry.pointee.d_type)
                }
            }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            if !body(name, kind) { return }
        }
    }
}

extension stat {
    var isRegularFile: Bool { (st_mode & S_IFMT) == S_IFREG }
    var isDirectory: Bool { (st_mode & S_IFMT) == S_IFDIR }

    /// The inode's change time in microseconds since the epoch: set when newsd claims the file (rename), and
    /// unchanged while it waits in work/, so a retried article gets the same `received` stamp.
    var changeTimeMicroseconds: Int64 {
        Int64(st_ctim.tv_sec) * 1_000_000 + Int64(st_ctim.tv_nsec) / 1_000
    }

    var modificationTimeSeconds: Int64 { Int64(st_mtim.tv_sec) }

    /// A short description of a non-regular entry for error messages.
    var kindDescription: String {
        switch st_mode & S_IFMT {
        case S_IFLNK: return "a symbolic link"
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFREG: return st_nlink > 1 ? "a file with \(st_nlink) hard links" : "a regular file"
        default: return "an unknown kind of file"
        }
    }
}
