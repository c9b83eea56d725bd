/// Rules for the names of spool entries, over raw bytes.
enum EntryNames {
    /// The longest file name Linux file systems accept (NAME_MAX).
    static let maximumLength = 255

    /// Names the inbox never claims: dot-files (writers' temporaries, our own), `*.tmp`, `*.part` and `*~`,
    /// which are files still being written by convention.
    static func isIgnored(_ name: [UInt8]) -> Bool {
        guard let first = name.first else { return true }
        if first == UInt8(ascii: ".") { return true }
        if name.last == UInt8(ascii: "~") { return true }
        return hasSuffix(name, ".tmp") || hasSuffix(name, ".part")
    }

    static func hasSuffix(_ name: [UInt8], _ suffix: String) -> Bool {
        let suffix = Array(suffix.utf8)
        return name.count >= suffix.count && Array(name[(name.count - suffix.count)...]) == suffix
    }

    /// The name without its last extension ("a.b.txt" → "a.b"); a leading dot does not start an extension.
    static func stem(_ name: [UInt8]) -> [UInt8] {
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > 0 else { return name }
        return Array(name[..<dot])
    }

    /// `base` shortened so that `base + suffix` fits in NAME_MAX, cut at a UTF-8 character boundary.
    static func fitting(_ base: [UInt8], suffix: [UInt8]) -> [UInt8] {
        let room = maximumLength - suffix.count
        guard base.count > room else { return base + suffix }
        return Array(base[..<characterBoundary(in: base, atOrBefore: room)]) + suffix
    }

    /// `limit`, or up to three bytes earlier when cutting at `limit` would split a valid UTF-8 sequence.
    /// Bytes that are not valid UTF-8 (a name may be anything) are cut anywhere.
    static func characterBoundary(in bytes: [UInt8], atOrBefore limit: Int) -> Int {
        guard limit < bytes.count, limit > 0 else { return limit }
        for back in 1...min(3, limit) {
            let lead = bytes[limit - back]
            let length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead < 0xE0 ? 2 : 0
            if length == 0 {
                if lead & 0b1100_0000 == 0b1000_0000 { continue }  // another continuation byte: look further back
                return limit  // ASCII or an invalid byte: the cut splits nothing
            }
            let sequenceEnd = limit - back + length
            guard sequenceEnd > limit, sequenceEnd <= bytes.count else { return limit }
            let continuations = bytes[(limit - back + 1)..<sequenceEnd]
            return continuations.allSatisfy { $0 & 0b1100_0000 == 0b1000_0000 } ? limit - back : limit
        }
        return limit
    }

    /// Names to try in order for a result that must never overwrite another: `base+suffix`, then
    /// `base-<tag>+suffix`, then `base-<tag>-2+suffix`, … Each fits NAME_MAX.
    static func candidates(base: [UInt8], tag: String, suffix: String) -> some Sequence<[UInt8]> {
        let suffixBytes = Array(suffix.utf8)
        return (0..<1_000).lazy.map { attempt -> [UInt8] in
            switch attempt {
            case 0: return fitting(base, suffix: suffixBytes)
            case 1: return fitting(base, suffix: Array("-\(tag)".utf8) + suffixBytes)
            default: return fitting(base, suffix: Array("-\(tag)-\(attempt)".utf8) + suffixBytes)
            }
        }
    }
}
