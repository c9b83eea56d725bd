/// Describes the input file a document is about, as the `source` object writes it.
public struct SourceDescription: Sendable {
    /// The file name as bytes, exactly as read from the directory.
    public var name: [UInt8]
    public var bytes: Int
    public var format: InputFormat?
    /// When newsd claimed the file (RFC 3339, UTC).
    public var received: String

    public init(name: [UInt8], bytes: Int, format: InputFormat?, received: String) {
        self.name = name
        self.bytes = bytes
        self.format = format
        self.received = received
    }
}

/// An earlier article this one nearly repeats, written as `duplicate_of`.
public struct DuplicateReference: Sendable, Equatable {
    public var id: String
    public var name: String
    public var similarity: Double

    public init(id: String, name: String, similarity: Double) {
        self.id = id
        self.name = name
        self.similarity = similarity
    }
}

/// Writes the outbox documents (`newsd/article@1`, `newsd/error@1`) as UTF-8 JSON.
///
/// Hand-written rather than `Codable`: the field order is the schema's, and it is several times faster than
/// `JSONEncoder`, which matters at thousands of articles a second.
public enum DocumentEncoder {
    /// The `newsd/article@1` document: fields in schema order, ending in "\n".
    public static func article(
        id: String,
        source: SourceDescription,
        analysis: Analysis,
        duplicateOf: DuplicateReference?,
        pipelineVersion: String,
        durationMicroseconds: Int
    ) -> [UInt8] {
        var w = JSONWriter(capacity: analysis.article.text.utf8.count * 4 + 2048)
        w.raw("{\"schema\":\"newsd/article@1\",\"id\":")
        w.string(id)
        w.raw(",\"source\":")
        writeSource(&w, source)
        let meta = analysis.article.metadata
        w.raw(",\"meta\":{\"title\":")
        w.optionalString(meta.title)
        w.raw(",\"published\":")
        w.optionalString(meta.published)
        w.raw(",\"url\":")
        w.optionalString(meta.url)
        w.raw(",\"author\":")
        w.optionalString(meta.author)
        w.raw(",\"source\":")
        w.optionalString(meta.source)
        w.raw(",\"language\":")
        w.optionalString(analysis.language)
        w.raw("},\"text\":")
        w.string(analysis.article.text)
        let stats = analysis.statistics
        w.raw(",\"stats\":{\"characters\":")
        w.int(stats.characters)
        w.raw(",\"words\":")
        w.int(stats.words)
        w.raw(",\"sentences\":")
        w.int(stats.sentences)
        w.raw(",\"paragraphs\":")
        w.int(stats.paragraphs)
        w.raw("},\"paragraphs\":")
        writeSpans(&w, analysis.paragraphs)
        w.raw(",\"sentences\":")
        writeSpans(&w, analysis.sentences)
        w.raw(",\"entities\":[")
        for (position, entity) in analysis.entities.enumerated() {
            if position > 0 { w.comma() }
            w.raw("{\"id\":")
            w.string(entity.id)
            w.raw(",\"name\":")
            w.string(entity.name)
            w.raw(",\"type\":")
            w.string(entity.type.rawValue)
            w.raw(",\"titles\":[")
            for (titlePosition, title) in entity.titles.enumerated() {
                if titlePosition > 0 { w.comma() }
                w.string(title)
            }
            w.raw("],\"salience\":")
            w.double(entity.salience)
            w.raw(",\"mentions\":[")
            for (mentionPosition, mention) in entity.mentions.enumerated() {
                if mentionPosition > 0 { w.comma() }
                writeMention(&w, mention)
            }
            w.raw("]}")
        }
        w.raw("],\"quotes\":[")
        for (position, quote) in analysis.quotes.enumerated() {
            if position > 0 { w.comma() }
            w.raw("{\"kind\":")
            w.string(quote.kind.rawValue)
            w.raw(",\"start\":")
            w.int(quote.start)
            w.raw(",\"end\":")
            w.int(quote.end)
            w.raw(",\"text\":")
            w.string(quote.text)
            w.raw(",\"speaker\":")
            if let speaker = quote.speaker {
                w.raw("{\"entity\":")
                w.optionalString(speaker.entity)
                w.raw(",\"name\":")
                w.optionalString(speaker.name)
                w.raw(",\"start\":")
                w.int(speaker.start)
                w.raw(",\"end\":")
                w.int(speaker.end)
                w.raw(",\"text\":")
                w.string(speaker.text)
                w.raw("}")
            } else {
                w.raw("null")
            }
            w.raw(",\"cue\":")
            if let cue = quote.cue {
                writeMention(&w, cue)
            } else {
                w.raw("null")
            }
            w.raw("}")
        }
        w.raw("],\"dates\":[")
        for (position, date) in analysis.dates.enumerated() {
            if position > 0 { w.comma() }
            w.raw("{\"start\":")
            w.int(date.start)
            w.raw(",\"end\":")
            w.int(date.end)
            w.raw(",\"text\":")
            w.string(date.text)
            w.raw(",\"type\":")
            w.string(date.type.rawValue)
            w.raw(",\"value\":")
            w.optionalString(date.value)
            w.raw("}")
        }
        w.raw("],\"keywords\":[")
        for (position, keyword) in analysis.keywords.enumerated() {
            if position > 0 { w.comma() }
            w.raw("{\"phrase\":")
            w.string(keyword.phrase)
            w.raw(",\"score\":")
            w.double(keyword.score)
            w.raw("}")
        }
        w.raw("],\"summary\":[")
        for (position, sentence) in analysis.summary.enumerated() {
            if position > 0 { w.comma() }
            w.int(sentence)
        }
        w.raw("],\"duplicate_of\":")
        if let duplicate = duplicateOf {
            w.raw("{\"id\":")
            w.string(duplicate.id)
            w.raw(",\"name\":")
            w.string(duplicate.name)
            w.raw(",\"similarity\":")
            w.double(duplicate.similarity)
            w.raw("}")
        } else {
            w.raw("null")
        }
        w.raw(",\"pipeline\":{\"version\":")
        w.string(pipelineVersion)
        w.raw(",\"duration_us\":")
        w.int(durationMicroseconds)
        w.raw("}}\n")
        return w.bytes
    }

    /// The `newsd/error@1` document: `{"schema","id","source","error":{"code","message"}}`, ending in "\n".
    ///
    /// `id` is `null` when the file could not be read far enough to hash it.
    public static func error(id: String?, source: SourceDescription, error: InputError) -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        w.raw("{\"schema\":\"newsd/error@1\",\"id\":")
        w.optionalString(id)
        w.raw(",\"source\":")
        writeSource(&w, source)
        w.raw(",\"error\":{\"code\":")
        w.string(error.code.rawValue)
        w.raw(",\"message\":")
        w.string(error.message)
        w.raw("}}\n")
        return w.bytes
    }

    /// A file name's bytes as a string that JSON can carry without loss.
    ///
    /// The rule: every byte that is not part of well-formed UTF-8, and the backslash byte itself, becomes the four
    /// characters `\xNN` (lowercase hex); every other byte sequence is kept as the characters it encodes. So
    /// `caf\xe9.txt` names a Latin-1 file, `a\x5cb.txt` a name with a backslash, and `unescapedName(_:)` restores the
    /// exact bytes. (JSON then escapes the backslash of `\x` once more, as `\\x`, inside the document.)
    public static func escapedName(_ bytes: [UInt8]) -> String {
        let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte != UInt8(ascii: "\\"), let length = UTF8Validation.sequenceLength(bytes, at: index) {
                out.append(contentsOf: bytes[index..<(index + length)])
                index += length
            } else {
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "x"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0f)]])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The inverse of `escapedName(_:)`: each `\xNN` becomes the byte NN, everything else its UTF-8 bytes.
    public static func unescapedName(_ string: String) -> [UInt8] {
        let utf8 = Array(string.utf8)
        var out = [UInt8]()
        out.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count, utf8[index + 1] == UInt8(ascii: "x"),
                let high = hexValue(utf8[index + 2]), let low = hexValue(utf8[index + 3])
            {
                out.append(high << 4 | low)
                index += 4
            } else {
                out.append(utf8[index])
                index += 1
            }
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func writeSource(_ w: inout JSONWriter, _ source: SourceDescription) {
        w.raw("{\"name\":")
        w.string(escapedName(source.name))
        w.raw(",\"bytes\":")
        w.int(source.bytes)
        w.raw(",\"format\":")
        w.optionalString(source.format?.rawValue)
        w.raw(",\"received\":")
        w.string(source.received)
        w.raw("}")
    }

    private static func writeSpans(_ w: inout JSONWriter, _ spans: [Span]) {
        w.raw("[")
        for (position, span) in spans.enumerated() {
            if position > 0 { w.comma() }
            w.raw("{\"start\":")
            w.int(span.start)
            w.raw(",\"end\":")
            w.int(span.end)
            w.raw("}")
        }
        w.raw("]")
    }

    private static func writeMention(_ w: inout JSONWriter, _ mention: Mention) {
        w.raw("{\"start\":")
        w.int(mention.start)
        w.raw(",\"end\":")
        w.int(mention.end)
        w.raw(",\"text\":")
        w.string(mention.text)
        w.raw("}")
    }
}
