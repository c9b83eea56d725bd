import Glibc
import Logging

/// A swift-log backend writing one readable line per record to standard error.
///
/// `2026-11-25T01:02:03.123Z info newsd: article processed article.id=ab12 article.name=x.txt outcome=processed`
/// — UTC time with milliseconds, level, label, message, then metadata sorted by key. Each record stays on one
/// line so `grep` works: newlines and other control characters in the message are escaped, and metadata values
/// holding spaces, quotes, `=` or control characters are written quoted.
public struct StderrLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let sharedLevel: LogLevelSetting
    private var levelOverride: Logger.Level?
    private let write: @Sendable (String) -> Void
    private let now: @Sendable () -> timespec

    public init(label: String, level: LogLevelSetting) {
        self.init(label: label, level: level, write: Self.writeToStandardError, now: Self.realtimeNow)
    }

    /// For tests: `write` receives each finished line (with its newline); `now` supplies the timestamp.
    init(
        label: String,
        level: LogLevelSetting,
        write: @escaping @Sendable (String) -> Void,
        now: @escaping @Sendable () -> timespec = Self.realtimeNow
    ) {
        self.label = label
        self.sharedLevel = level
        self.write = write
        self.now = now
        self.metadataProvider = LoggingSystem.metadataProvider
    }

    /// The shared ``LogLevelSetting``'s level, unless this logger's level was set directly.
    public var logLevel: Logger.Level {
        get { levelOverride ?? sharedLevel.level }
        set { levelOverride = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        guard event.level >= logLevel else { return }
        var line = Self.timestamp(now())
        line += " \(event.level)"
        if !label.isEmpty { line += " " + label }
        line += ": " + Self.escapingControlCharacters(event.message.description)
        let merged = LogMetadataMerge.merge(
            base: metadata, provider: metadataProvider, explicit: event.metadata, error: event.error)
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " " + key + "=" + Self.quotedIfNeeded(LogMetadataMerge.text(of: value))
        }
        line += "\n"
        write(line)
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` in UTC.
    static func timestamp(_ time: timespec) -> String {
        var seconds = time.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return padded(Int(parts.tm_year) + 1900, 4) + "-" + padded(Int(parts.tm_mon) + 1, 2) + "-"
            + padded(Int(parts.tm_mday), 2) + "T" + padded(Int(parts.tm_hour), 2) + ":"
            + padded(Int(parts.tm_min), 2) + ":" + padded(Int(parts.tm_sec), 2) + "."
            + padded(Int(time.tv_nsec) / 1_000_000, 3) + "Z"
    }

    static func escapingControlCharacters(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                escaped += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    static func quotedIfNeeded(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains {
                $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F
            }
        guard needsQuotes else { return value }
        let inner = escapingControlCharacters(value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\""))
        return "\"" + inner + "\""
    }

    @Sendable static func realtimeNow() -> timespec {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return time
    }

    /// One write(2) per line, so lines from concurrent threads do not interleave (stderr is unbuffered
    /// and shared with the Swift runtime's own messages, so FILE locking would not help them anyway).
    @Sendable static func writeToStandardError(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return  // Nowhere to report a failure to write the log.
                }
            }
        }
    }
}
