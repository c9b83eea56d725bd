/// Maps swift-log metadata keys to journal field names.
///
/// journald silently drops a record's fields whose names are not `[A-Z0-9_]{1,64}` or start with `_` (trusted
/// fields) or a digit, so `article.id` must become `ARTICLE_ID` or `journalctl ARTICLE_ID=…` finds nothing.
package enum JournalFieldName {
    /// The longest field name journald accepts.
    package static let maximumLength = 64

    /// Fields the handler writes itself; metadata mapping onto one of them is renamed with a `META_` prefix
    /// so that, for example, `MESSAGE` stays exactly the log message.
    package static let reserved: Set<String> = [
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC", "LOGGER",
    ]

    /// The field name for `key`, or `nil` when nothing usable is left.
    ///
    /// Uppercases ASCII letters, turns every other character outside `[A-Z0-9_]` into `_`, strips leading `_` and
    /// digits, and truncates to 64 bytes: `"article.id"` → `"ARTICLE_ID"`, `"2xx-count"` → `"XX_COUNT"`.
    package static func mapping(_ key: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(key.utf8.count, maximumLength))
        for scalar in key.unicodeScalars {
            // One "_" per character, not per UTF-8 byte: "café.id" → "CAF__ID".
            let byte = scalar.isASCII ? UInt8(scalar.value) : 0
            let mapped: UInt8
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): mapped = byte - 32
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): mapped = byte
            default: mapped = UInt8(ascii: "_")
            }
            let isLeadingJunk = mapped == UInt8(ascii: "_") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(mapped)
            if bytes.isEmpty && isLeadingJunk { continue }
            bytes.append(mapped)
            if bytes.count == maximumLength { break }
        }
        guard !bytes.isEmpty else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The field name for a metadata key, kept clear of the handler's own fields.
    package static func forMetadataKey(_ key: String) -> String? {
        guard let name = mapping(key) else { return nil }
        guard reserved.contains(name) else { return name }
        return String(("META_" + name).prefix(maximumLength))
    }
}
