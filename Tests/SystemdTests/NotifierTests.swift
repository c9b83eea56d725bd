import Foundation
import Testing

@testable import Systemd

/// A real AF_UNIX datagram socket standing in for systemd's notification socket.
final class NotifySocket {
    let directory: URL
    let path: String
    private let descriptor: Int32

    init() throws {
        directory = try makeTemporaryDirectory()
        path = directory.appendingPathComponent("notify").path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
            raw[path.utf8.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        // A missing datagram fails the test after a second instead of hanging it.
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The next datagram, or nil when none arrives within a second.
    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    deinit {
        close(descriptor)
        try? FileManager.default.removeItem(at: directory)
    }
}

extension ProcessEnvironmentTests {
    @Suite struct NotifierTests {
        @Test func eachStateArrivesAsTheExactDatagram() throws {
            let socket = try NotifySocket()
            withEnvironment(["NOTIFY_SOCKET": socket.path]) {
                let notifier = Notifier()
                #expect(notifier.isEnabled)
                notifier.ready()
                #expect(socket.receive() == "READY=1")
                notifier.status("processed 12 articles, 3.2/s")
                #expect(socket.receive() == "STATUS=processed 12 articles, 3.2/s")
                notifier.watchdog()
                #expect(socket.receive() == "WATCHDOG=1")
                notifier.stopping()
                #expect(socket.receive() == "STOPPING=1")
                notifier.send("EXTEND_TIMEOUT_USEC=5000000")
                #expect(socket.receive() == "EXTEND_TIMEOUT_USEC=5000000")
            }
        }

        @Test func reloadingSendsTheCurrentMonotonicTimeInTheSameDatagram() throws {
            let socket = try NotifySocket()
            try withEnvironment(["NOTIFY_SOCKET": socket.path]) {
                let before = Notifier.monotonicMicroseconds()
                Notifier().reloading()
                let after = Notifier.monotonicMicroseconds()
                let datagram = try #require(socket.receive())
                let lines = datagram.split(separator: "\n")
                #expect(lines.count == 2)
                #expect(lines.first == "RELOADING=1")
                let stamp = try #require(lines.last.flatMap { $0.split(separator: "=", maxSplits: 1).last })
                #expect(lines.last?.hasPrefix("MONOTONIC_USEC=") == true)
                let microseconds = try #require(UInt64(stamp))
                #expect(microseconds >= before && microseconds <= after)
                // Cross-check against the clock as the C library reports it, independent of the helper.
                var now = timespec()
                clock_gettime(CLOCK_MONOTONIC, &now)
                let nowMicroseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
                #expect(nowMicroseconds >= microseconds && nowMicroseconds - microseconds < 1_000_000)
            }
        }

        @Test func withoutNotifySocketNothingIsSentAndNothingCrashes() throws {
            let socket = try NotifySocket()
            withEnvironment(["NOTIFY_SOCKET": nil]) {
                let notifier = Notifier()
                #expect(!notifier.isEnabled)
                notifier.ready()
                notifier.status("ignored")
                notifier.watchdog()
                notifier.reloading()
                notifier.stopping()
            }
            // The first datagram the socket ever sees is the one sent after NOTIFY_SOCKET came back.
            withEnvironment(["NOTIFY_SOCKET": socket.path]) { Notifier().status("back") }
            #expect(socket.receive() == "STATUS=back")
        }

        @Test func watchdogIntervalComesFromWatchdogUsecForThisProcess() {
            withEnvironment(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": String(getpid())]) {
                #expect(Notifier.watchdogInterval() == .seconds(2))
            }
        }

        @Test func watchdogIntervalIsNilWhenMeantForAnotherProcess() {
            withEnvironment(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": String(getpid() + 1)]) {
                #expect(Notifier.watchdogInterval() == nil)
            }
        }

        @Test func watchdogIntervalIsNilWhenUnset() {
            withEnvironment(["WATCHDOG_USEC": nil, "WATCHDOG_PID": nil]) {
                #expect(Notifier.watchdogInterval() == nil)
            }
        }
    }

    @Suite struct LoggingSystemSetupTests {
        @Test func underJournaldFollowsJournalStream() {
            withEnvironment(["JOURNAL_STREAM": "8:12345"]) { #expect(LoggingSystemSetup.underJournald) }
            withEnvironment(["JOURNAL_STREAM": nil]) { #expect(!LoggingSystemSetup.underJournald) }
        }
    }
}
