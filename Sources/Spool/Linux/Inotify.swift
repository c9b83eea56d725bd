#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import SystemPackage

/// Watches one directory with inotify, read through a Dispatch read source.
///
/// Events are hints, not the truth: the spool rescans the directory at start-up, on `IN_Q_OVERFLOW` and
/// periodically, so a lost event never loses a file.
final class InotifyWatcher: @unchecked Sendable {
    // @unchecked: `descriptor` and `source` are set once in init and only read afterwards; the handler runs
    // on the caller's serial queue.

    enum Event: Equatable {
        /// A file was renamed into the directory (IN_MOVED_TO) or closed after writing (IN_CLOSE_WRITE).
        case arrived([UInt8])
        /// An entry was created (IN_CREATE). Only worth a look when it is not a regular file (a symlink, FIFO
        /// or directory never gets a close-after-write event); a regular file waits for its close or rename.
        case created([UInt8])
        /// The kernel queue overflowed: events were lost, rescan.
        case overflow
    }

    private let descriptor: CInt
    private let source: DispatchSourceRead

    /// Starts watching `directory` (an open directory descriptor); `handler` runs on `queue`.
    init(directory: CInt, queue: DispatchQueue, handler: @escaping @Sendable ([Event]) -> Void) throws(SpoolError) {
        let descriptor = inotify_init1(CInt(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw SpoolError("inotify_init1", errno: Errno(rawValue: errno)) }
        let path = "/proc/self/fd/\(directory)"
        let mask = UInt32(IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE | IN_ONLYDIR)
        guard inotify_add_watch(descriptor, path, mask) >= 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw SpoolError("inotify_add_watch", errno: Errno(rawValue: code))
        }
        self.descriptor = descriptor
        self.source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: queue)
        source.setEventHandler { @Sendable [descriptor] in
            handler(InotifyWatcher.drain(descriptor))
        }
        source.setCancelHandler { @Sendable [descriptor] in Glibc.close(descriptor) }
        source.resume()
    }

    func cancel() { source.cancel() }

    /// Reads every pending event until EAGAIN.
    private static func drain(_ descriptor: CInt) -> [Event] {
        var events: [Event] = []
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        let headerSize = MemoryLayout<inotify_event>.size
        while true {
            let count = read(descriptor, buffer, capacity)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            var offset = 0
            while offset + headerSize <= count {
                let header = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                if header.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                    events.append(.overflow)
                } else if header.len > 0 {
                    // The name follows the header, NUL-padded to `len` bytes.
                    let start = buffer.advanced(by: offset + headerSize).assumingMemoryBound(to: UInt8.self)
                    var length = 0
                    while length < Int(header.len) && start[length] != 0 { length += 1 }
                    let name = Array(UnsafeBufferPointer(start: start, count: length))
                    events.append(header.mask & UInt32(IN_CREATE) != 0 ? .created(name) : .arrived(name))
                }
                offset += headerSize + Int(header.len)
            }
        }
        return events
    }
}
