import CSystemd
import Glibc

/// Tells the service manager how the daemon is doing, through `sd_notify(3)`.
///
/// systemd passes the notification socket in `NOTIFY_SOCKET`; when it is unset (a checkout, a shell, a test)
/// every call is a no-op, so callers never need to ask first. The environment is read at each call, not
/// cached, so the same value works before and after a test changes it.
public struct Notifier: Sendable {
    public init() {}

    /// Whether `NOTIFY_SOCKET` is set, that is whether notifications go anywhere.
    public var isEnabled: Bool {
        guard let value = getenv("NOTIFY_SOCKET") else { return false }
        return value.pointee != 0
    }

    /// Start-up (or a reload) is complete: `READY=1`.
    public func ready() {
        send("READY=1")
    }

    /// A one-line status shown by `systemctl status`: `STATUS=…`.
    public func status(_ text: String) {
        send("STATUS=" + text)
    }

    /// Keep-alive for `WatchdogSec=`: `WATCHDOG=1`.
    public func watchdog() {
        send("WATCHDOG=1")
    }

    /// A reload has begun: `RELOADING=1` and `MONOTONIC_USEC=` in one datagram.
    ///
    /// systemd ≥ 253 requires the timestamp with `RELOADING=1` to tell this reload from an earlier one; sending
    /// both in one datagram keeps them from being read apart. Follow with ``ready()`` when the reload is done.
    public func reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=\(Self.monotonicMicroseconds())")
    }

    /// Shutdown has begun: `STOPPING=1`.
    public func stopping() {
        send("STOPPING=1")
    }

    /// Sends `state` as is (newline-separated `KEY=value` assignments) with `sd_notify(0, state)`.
    ///
    /// Failures are ignored: the service manager going away must never stop the daemon's work.
    public func send(_ state: String) {
        guard isEnabled else { return }
        _ = sd_notify(0, state)
    }

    /// The watchdog interval systemd asks for, from `sd_watchdog_enabled(0, …)`; `nil` when disabled.
    ///
    /// systemd honours `WATCHDOG_USEC` only when `WATCHDOG_PID` is unset or names this process, so a child that
    /// inherits the environment does not ping on its parent's behalf. Ping at half the interval or more often.
    public static func watchdogInterval() -> Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(clamping: microseconds))
    }

    /// `CLOCK_MONOTONIC` in microseconds, the clock systemd compares `MONOTONIC_USEC` against.
    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}
