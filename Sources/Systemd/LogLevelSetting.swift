import Logging
import Synchronization

/// A log level shared by every handler the daemon creates, changeable while it runs.
///
/// swift-log gives each `Logger` its own copy of the level; a SIGHUP reload that changes `log_level` must reach
/// loggers that were made long before, so the handlers read this one shared value on every log call instead.
/// An atomic keeps that read cheap: it sits on the path of every log statement, including the dropped ones.
public final class LogLevelSetting: Sendable {
    private let storage: Atomic<Int>

    public init(_ level: Logger.Level) {
        storage = Atomic(Self.index(of: level))
    }

    /// The current level; records below it are dropped.
    public var level: Logger.Level {
        Logger.Level.allCases[storage.load(ordering: .relaxed)]
    }

    /// Changes the level for every handler that shares this setting.
    public func set(_ level: Logger.Level) {
        storage.store(Self.index(of: level), ordering: .relaxed)
    }

    private static func index(of level: Logger.Level) -> Int {
        // allCases is the declaration order, trace…critical; every level is in it.
        Logger.Level.allCases.firstIndex(of: level)!
    }
}
