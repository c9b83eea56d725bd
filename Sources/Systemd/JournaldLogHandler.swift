import CSystemd
import Glibc
import Logging

/// A swift-log backend that writes structured records to journald with the native protocol.
///
/// Each record carries `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER`, `CODE_FILE`, `CODE_LINE`, `CODE_FUNC`,
/// `LOGGER` (the logger's label) and one UPPERCASE field per metadata key (see ``JournalFieldName``), so
/// `journalctl -u newsd ARTICLE_ID=…` finds an article's records. `sd_journal_send` is variadic and does not
/// import into Swift, so the fields go into one byte buffer and `sd_journal_sendv` gets iovecs into it;
/// values may hold newlines and any bytes.
///
/// `sd_journal_sendv` reports success and drops the record when no journald listens: choose this handler only
/// under systemd (``LoggingSystemSetup/underJournald``) or when configured to.
public struct JournaldLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let identifier: String
    private let sharedLevel: LogLevelSetting
    private var levelOverride: Logger.Level?

    public init(label: String, identifier: String = "newsd", level: LogLevelSetting) {
        self.label = label
        self.identifier = identifier
        self.sharedLevel = level
        self.metadataProvider = LoggingSystem.metadataProvider
    }

    /// The shared ``LogLevelSetting``'s level, unless this logger's level was set directly.
    ///
    /// Setting it pins this one logger (swift-log's value semantics); it then no longer follows reloads.
    public var logLevel: Logger.Level {
        get { levelOverride ?? sharedLevel.level }
        set { levelOverride = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // Logger checks the level before calling; checking again is cheap and keeps direct callers honest.
        guard event.level >= logLevel else { return }
        var record = JournalRecord()
        record.append("MESSAGE", event.message.description)
        record.append("PRIORITY", String(Self.priority(of: event.level)))
        record.append("SYSLOG_IDENTIFIER", identifier)
        record.append("CODE_FILE", event.file)
        record.append("CODE_LINE", String(event.line))
        record.append("CODE_FUNC", event.function)
        record.append("LOGGER", label)
        let merged = LogMetadataMerge.merge(
            base: metadata, provider: metadataProvider, explicit: event.metadata, error: event.error)
        // Sorted so the record's field order is stable; journald does not care, readers of -o verbose do.
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            guard let name = JournalFieldName.forMetadataKey(key) else { continue }
            record.append(name, LogMetadataMerge.text(of: value))
        }
        record.send()
    }

    /// syslog(3) priorities: trace and debug 7, info 6, notice 5, warning 4, error 3, critical 2.
    package static func priority(of level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}

/// One journal entry as `KEY=value` fields in a single buffer, sent with one `sd_journal_sendv` call.
package struct JournalRecord {
    private var bytes: [UInt8] = []
    private var fields: [Range<Int>] = []

    package init() {
        bytes.reserveCapacity(512)
        fields.reserveCapacity(12)
    }

    package mutating func append(_ name: String, _ value: String) {
        let start = bytes.count
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: "="))
        bytes.append(contentsOf: value.utf8)
        fields.append(start..<bytes.count)
    }

    /// Sends the entry; returns `sd_journal_sendv`'s result (0 or a negative errno).
    @discardableResult
    package func send() -> Int32 {
        bytes.withUnsafeBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -EINVAL }
            let vectors = fields.map { field in
                iovec(
                    iov_base: UnsafeMutableRawPointer(mutating: base + field.lowerBound),
                    iov_len: field.count)
            }
            return vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
        }
    }
}

/// The metadata rules both handlers share, as in swift-log's `StreamLogHandler`.
package enum LogMetadataMerge {
    /// Handler metadata, then the metadata provider's, then the event's; later ones win. An error adds
    /// `error.message` and `error.type`.
    package static func merge(
        base: Logger.Metadata,
        provider: Logger.MetadataProvider?,
        explicit: Logger.Metadata?,
        error: (any Error)?
    ) -> Logger.Metadata {
        var merged = base
        if let provided = provider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, new in new }
        }
        if let explicit, !explicit.isEmpty {
            merged.merge(explicit) { _, new in new }
        }
        if let error {
            merged["error.message"] = .string("\(error)")
            merged["error.type"] = .string(String(reflecting: type(of: error)))
        }
        return merged
    }

    /// Strings as they are; everything else, nested arrays and dictionaries included, as its description.
    package static func text(of value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array, .dictionary: value.description
        }
    }
}
