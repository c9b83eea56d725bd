import Glibc
import Logging
import Synchronization

/// Where log records go.
public enum LogTarget: String, Sendable, CaseIterable {
    /// The journal when systemd connected standard error to it (``LoggingSystemSetup/underJournald``), else stderr.
    case auto
    /// Always the journal, through the native protocol.
    case journal
    /// Always readable lines on standard error.
    case stderr
}

/// Chooses and installs the process's swift-log backend.
public enum LoggingSystemSetup {
    /// True when `JOURNAL_STREAM` is set: systemd connected our stderr to the journal.
    ///
    /// That is the sign to use the native protocol, which keeps structured fields; it also matters because
    /// `sd_journal_sendv` drops records silently when no journald listens, so it must not be chosen blindly.
    public static var underJournald: Bool {
        guard let value = getenv("JOURNAL_STREAM") else { return false }
        return value.pointee != 0
    }

    private static let bootstrapped = Mutex(false)

    /// Bootstraps swift-log once: the journal when `target` is `.journal`, or `.auto` and ``underJournald``;
    /// else stderr. Later calls do nothing (swift-log traps on a second bootstrap); change the level with
    /// `level.set(_:)` instead.
    public static func bootstrap(target: LogTarget, level: LogLevelSetting, identifier: String = "newsd") {
        let isFirst = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        guard isFirst else { return }
        let useJournal = target == .journal || (target == .auto && underJournald)
        if useJournal {
            LoggingSystem.bootstrap { label in
                JournaldLogHandler(label: label, identifier: identifier, level: level)
            }
        } else {
            LoggingSystem.bootstrap { label in StderrLogHandler(label: label, level: level) }
        }
    }
}
