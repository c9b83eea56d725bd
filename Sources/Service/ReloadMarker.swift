#if canImport(Glibc)
import Glibc
#endif

/// `state/reloads`: which process is the daemon, how many reloads it has started and how many it has
/// finished ("PID STARTED DONE\n").
///
/// systemd 252 has no `Type=notify-reload`: its reload job ends when `ExecReload=` exits, and `kill -HUP`
/// exits at once, so `systemctl reload` returned before newsd had read its file. `newsd reload` reads the
/// marker, sends the signal, and waits until a reload that started after that reading is done: DONE reaches
/// STARTED + 1. (A reload already under way may have read the file before it changed; a SIGHUP that comes
/// meanwhile is served after it.) The daemon writes the marker when ready, as a reload starts (before it
/// reads the file) and when it is done, good file or bad. It is replaced by a rename, never fsynced: it
/// only means something while this process runs.
public struct ReloadMarker: Sendable {
    public let path: String

    public init(stateDirectory: String) {
        path = stateDirectory + "/reloads"
    }

    public struct Reading: Sendable, Equatable {
        public var pid: pid_t
        public var started: Int
        public var done: Int

        public init(pid: pid_t, started: Int, done: Int) {
            self.pid = pid
            self.started = started
            self.done = done
        }
    }

    public func write(_ reading: Reading) throws(ReloadMarkerError) {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard descriptor >= 0 else { throw ReloadMarkerError(operation: "open", path: temporary, errno: errno) }
        let bytes = Array("\(reading.pid) \(reading.started) \(reading.done)\n".utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let writeErrno = errno
        close(descriptor)
        guard written == bytes.count else { throw ReloadMarkerError(operation: "write", path: temporary, errno: writeErrno) }
        guard rename(temporary, path) == 0 else { throw ReloadMarkerError(operation: "rename", path: path, errno: errno) }
    }

    /// The marker, or nil when there is none or it is not one.
    public func read() -> Reading? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let fields = String(decoding: buffer.prefix(count), as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count == 3, let pid = pid_t(fields[0]), let started = Int(fields[1]), let done = Int(fields[2]) else {
            return nil
        }
        return Reading(pid: pid, started: started, done: done)
    }
}

public struct ReloadMarkerError: Error, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var errno: Int32

    public var description: String { "\(operation) \(path): \(String(cString: strerror(errno)))" }
}
