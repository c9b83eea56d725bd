import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A real `NOTIFY_SOCKET`: an AF_UNIX datagram socket that records every datagram a daemon sends, in order.
final class NotifySocket: Sendable {
    let path: String
    private let descriptor: Int32
    private let received = Mutex<[String]>([])
    private let running = Atomic<Bool>(true)

    init(path: String) throws {
        self.path = path
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw FileSystemError("socket", path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(descriptor)
            throw FileSystemError("bind", path, errno: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close(descriptor)
            throw FileSystemError("bind", path, errno: code)
        }
        // A receive timeout lets the reader thread notice `stop()`.
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        self.descriptor = descriptor
        let thread = Thread { [self] in self.readLoop() }
        thread.start()
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var control = [UInt8](repeating: 0, count: 256)
        while running.load(ordering: .acquiring) {
            let count = buffer.withUnsafeMutableBytes { data in
                control.withUnsafeMutableBytes { controlBytes in
                    var vector = iovec(iov_base: data.baseAddress, iov_len: data.count)
                    return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                        var message = msghdr()
                        message.msg_iov = vectorPointer
                        message.msg_iovlen = 1
                        message.msg_control = controlBytes.baseAddress
                        message.msg_controllen = controlBytes.count
                        let count = recvmsg(descriptor, &message, 0)
                        // systemd-notify (252) may pass a file descriptor with BARRIER=1: close what arrives.
                        if count >= 0, message.msg_controllen >= MemoryLayout<cmsghdr>.size {
                            let header = controlBytes.load(as: cmsghdr.self)
                            if header.cmsg_level == SOL_SOCKET, header.cmsg_type == Int32(SCM_RIGHTS) {
                                let descriptors = (Int(header.cmsg_len) - MemoryLayout<cmsghdr>.size) / MemoryLayout<Int32>.size
                                for index in 0..<max(0, descriptors) {
                                    close(controlBytes.load(fromByteOffset: MemoryLayout<cmsghdr>.size + index * 4, as: Int32.self))
                                }
                            }
                        }
                        return count
                    }
                }
            }
            if count > 0 {
                let text = String(decoding: buffer[..<count], as: UTF8.self)
                received.withLock { $0.append(text) }
            }
        }
        close(descriptor)
    }

    /// Every datagram so far, oldest first.
    var datagrams: [String] { received.withLock { $0 } }

    /// Stops reading and closes the socket.
    func stop() {
        running.store(false, ordering: .releasing)
        unlink(path)
    }
}
