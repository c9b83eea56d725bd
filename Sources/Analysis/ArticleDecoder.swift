/// Turns the bytes of one input file into an `Article`, or says precisely why it cannot.
///
/// The checks run in a fixed order (size, binary data, UTF-8, format-specific structure, emptiness), so the same
/// file always fails with the same code.
public enum ArticleDecoder {
    /// The input format for a file name's extension (case-insensitive): .txt → text, .md/.markdown → markdown,
    /// .json → json, .html/.htm → html; `nil` for anything else.
    public static func format(forFileName name: [UInt8]) -> InputFormat? {
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")) else { return nil }
        if let slash = name.lastIndex(of: UInt8(ascii: "/")), slash > dot { return nil }
        let ext = String(decoding: name[(dot + 1)...].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        switch ext {
        case "txt": return .text
        case "md", "markdown": return .markdown
        case "json": return .json
        case "html", "htm": return .html
        default: return nil
        }
    }

    /// Decodes `bytes` as `format`.
    ///
    /// Checks, in order: more than `maximumBytes` → `too-large`; NUL bytes or a high share of C0 control characters
    /// (other than tab, LF, CR, FF) → `unsupported-format`; not well-formed UTF-8 → `invalid-utf8` (the message gives
    /// the byte offset); a leading BOM is dropped; JSON that is malformed, not an object, or has no string "text" →
    /// `invalid-json`; a body that is empty or whitespace once title and front matter are removed → `empty`.
    public static func decode(_ bytes: [UInt8], format: InputFormat, maximumBytes: Int) throws(InputError) -> Article {
        if bytes.count > maximumBytes {
            throw InputError(
                code: .tooLarge,
                message: "The file is \(bytes.count) bytes, over the limit of \(maximumBytes) bytes (max_article_bytes)."
            )
        }
        try checkNotBinary(bytes)
        if let offset = UTF8Validation.firstInvalidOffset(bytes) {
            throw InputError(
                code: .invalidUTF8,
                message: "The file is not valid UTF-8: the byte 0x\(hexByte(bytes[offset])) at offset \(offset) does not fit a UTF-8 sequence."
            )
        }
        let bomLength = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let article: Article
        switch format {
        case .text, .markdown:
            article = decodePlain(foldCRLF(bytes[bomLength...]), format: format)
        case .json:
            article = try decodeJSON(Array(bytes[bomLength...]), offsetBase: bomLength)
        case .html:
            article = HTMLExtractor.extract(String(decoding: foldCRLF(bytes[bomLength...]), as: UTF8.self))
        }
        if article.text.unicodeScalars.allSatisfy({ $0.propertyIsWhitespace }) {
            let what = article.metadata.title == nil ? "" : " after the title"
            throw InputError(code: .empty, message: "The article has no text\(what): its body is empty or only whitespace.")
        }
        return article
    }

    // MARK: Checks

    private static func checkNotBinary(_ bytes: [UInt8]) throws(InputError) {
        let (hasNUL, controls) = bytes.withUnsafeBufferPointer { buffer -> (Bool, Int) in
            var controls = 0
            var index = 0
            let count = buffer.count
            while index < count {
                // Eight bytes at a time while none is below 0x20 (most words of any text): a byte below 0x20 sets
                // its high bit in `word - 0x2020…` while its own high bit is clear. Others go byte by byte.
                if index + 8 <= count {
                    let word = UnsafeRawPointer(buffer.baseAddress! + index).loadUnaligned(as: UInt64.self)
                    if (word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080 == 0 {
                        index += 8
                        continue
                    }
                }
                for byte in buffer[index..<min(index + 8, count)] where byte < 0x20 {
                    switch byte {
                    case 0: return (true, controls)
                    case 0x09, 0x0A, 0x0C, 0x0D: continue
                    default: controls += 1
                    }
                }
                index += 8
            }
            return (false, controls)
        }
        if hasNUL {
            throw InputError(
                code: .unsupportedFormat,
                message: "The file contains NUL bytes, so it is binary data, not a text article."
            )
        }
        // A few stray control characters happen in scraped text; one in ten bytes does not.
        if controls > 0, controls * 10 >= bytes.count {
            throw InputError(
                code: .unsupportedFormat,
                message: "The file has \(controls) control characters in \(bytes.count) bytes, so it is binary data, not a text article."
            )
        }
    }

    private static func hexByte(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }

    /// CRLF → LF; a lone CR is left as it is.
    static func foldCRLF(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        // Most files have no CR at all: then it is one scan and one copy, not an append per byte.
        guard bytes.withUnsafeBufferPointer({ containsCR($0) }) else { return Array(bytes) }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == 0x0D, index + 1 < bytes.endIndex, bytes[index + 1] == 0x0A {
                index += 1
                continue
            }
            out.append(byte)
            index += 1
        }
        return out
    }

    /// Whether `bytes` holds a CR, eight bytes at a time: a byte of `word ^ 0x0D…` is zero exactly where the
    /// word holds a CR, and `(x - 0x01…) & ~x & 0x80…` is non-zero exactly when some byte of x is zero.
    private static func containsCR(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index + 8 <= bytes.count {
            let word = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self) ^ 0x0D0D_0D0D_0D0D_0D0D
            if (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0 { return true }
            index += 8
        }
        while index < bytes.count {
            if bytes[index] == 0x0D { return true }
            index += 1
        }
        return false
    }

    static func foldCRLF(_ string: String) -> String {
        guard string.utf8.contains(0x0D) else { return string }
        return String(decoding: foldCRLF(ArraySlice(string.utf8)), as: UTF8.self)
    }

    // MARK: Plain text and Markdown

    private static func decodePlain(_ bytes: [UInt8], format: InputFormat) -> Article {
        if let (metadata, bodyStart) = frontMatter(bytes) {
            var metadata = metadata
            var start = skipBlankLines(bytes, from: bodyStart)
            if metadata.title == nil, let (title, afterTitle) = titleLine(bytes, from: start, format: format) {
                metadata.title = title
                start = afterTitle
            }
            return Article(text: String(decoding: bytes[start...], as: UTF8.self), metadata: metadata, format: format)
        }
        if isFrontMatterOpening(bytes) {
            // Front matter that never closes: the whole file is the body, with no metadata.
            return Article(text: String(decoding: bytes, as: UTF8.self), format: format)
        }
        if let (title, afterTitle) = titleLine(bytes, from: 0, format: format) {
            return Article(
                text: String(decoding: bytes[afterTitle...], as: UTF8.self),
                metadata: ArticleMetadata(title: title),
                format: format
            )
        }
        return Article(text: String(decoding: bytes, as: UTF8.self), format: format)
    }

    private static func isFrontMatterOpening(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: Array("---\n".utf8)) || bytes == Array("---".utf8)
    }

    /// The metadata in a `---` … `---` block at the very start, and where the body begins after it.
    private static func frontMatter(_ bytes: [UInt8]) -> (ArticleMetadata, Int)? {
        guard bytes.starts(with: Array("---\n".utf8)) else { return nil }
        var fields: [String: String] = [:]
        var lineStart = 4
        while lineStart <= bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            let line = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
            if trimmed(line) == "---" {
                var metadata = ArticleMetadata()
                metadata.title = fields["title"]
                metadata.published = (fields["published"] ?? fields["date"]).flatMap(PublishedDate.normalise)
                metadata.url = fields["url"]
                metadata.author = fields["author"]
                metadata.source = fields["source"]
                metadata.language = fields["language"] ?? fields["lang"]
                return (metadata, min(lineEnd + 1, bytes.count))
            }
            if let colon = line.firstIndex(of: ":") {
                let key = trimmed(String(line[..<colon])).lowercased()
                let value = unquoted(trimmed(String(line[line.index(after: colon)...])))
                if !key.isEmpty, !value.isEmpty, fields[key] == nil { fields[key] = value }
            }
            if lineEnd == bytes.count { break }
            lineStart = lineEnd + 1
        }
        return nil
    }

    /// A first line that reads as a headline, and where the body begins after it.
    ///
    /// A headline is short (≤ 200 characters), does not end like a sentence, is followed by a line break and by
    /// some body text. In Markdown a `# ` heading is a headline whatever it ends with.
    private static func titleLine(_ bytes: [UInt8], from start: Int, format: InputFormat) -> (String, Int)? {
        guard let lineEnd = bytes[start...].firstIndex(of: 0x0A) else { return nil }
        var line = trimmed(String(decoding: bytes[start..<lineEnd], as: UTF8.self))
        var isHeading = false
        if format == .markdown, line.hasPrefix("# ") {
            line = trimmed(String(line.dropFirst(2)))
            isHeading = true
        }
        guard !line.isEmpty, line.unicodeScalars.count <= 200 else { return nil }
        if !isHeading {
            if format == .markdown, line.hasPrefix("#") || line.hasPrefix("-") || line.hasPrefix("*") || line.hasPrefix(">") {
                return nil
            }
            var last = line.unicodeScalars.last!
            var scalars = line.unicodeScalars.dropLast()
            while Segmenter.isCloser(last), let previous = scalars.last {
                last = previous
                scalars = scalars.dropLast()
            }
            if Segmenter.isSentenceTerminator(last) { return nil }
        }
        let bodyStart = skipBlankLines(bytes, from: lineEnd + 1)
        guard bytes[bodyStart...].contains(where: { !isASCIIWhitespace($0) }) else { return nil }
        return (line, bodyStart)
    }

    /// Skips whole lines of spaces and tabs (and empty lines) from a line start.
    private static func skipBlankLines(_ bytes: [UInt8], from start: Int) -> Int {
        var position = start
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A {
                position = index + 1
            } else if byte != 0x20 && byte != 0x09 {
                break
            }
            index += 1
        }
        return position
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }

    static func trimmed(_ string: String) -> String {
        let scalars = string.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.propertyIsWhitespace }),
            let last = scalars.lastIndex(where: { !$0.propertyIsWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    private static func unquoted(_ value: String) -> String {
        let scalars = value.unicodeScalars
        guard scalars.count >= 2, let first = scalars.first, first == "\"" || first == "'", scalars.last == first else {
            return value
        }
        return String(scalars.dropFirst().dropLast())
    }

    // MARK: JSON

    private static func decodeJSON(_ bytes: [UInt8], offsetBase: Int) throws(InputError) -> Article {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw InputError(code: .invalidJSON, message: "The file is not valid JSON: \(error.reason) at byte \(error.offset + offsetBase).")
        }
        guard case .object = value else {
            throw InputError(
                code: .invalidJSON,
                message: "The file is JSON \(kindName(value)), not an object with a \"text\" field."
            )
        }
        guard let textValue = value["text"] else {
            throw InputError(code: .invalidJSON, message: "The JSON object has no \"text\" field with the article body.")
        }
        guard let text = textValue.stringValue else {
            throw InputError(code: .invalidJSON, message: "The JSON field \"text\" is \(kindName(textValue)), not a string.")
        }
        var metadata = ArticleMetadata()
        metadata.title = value["title"]?.stringValue
        metadata.published = (value["published"]?.stringValue ?? value["date"]?.stringValue).flatMap(PublishedDate.normalise)
        metadata.url = value["url"]?.stringValue
        metadata.author = value["author"]?.stringValue
        metadata.source = value["source"]?.stringValue
        metadata.language = value["language"]?.stringValue
        return Article(text: foldCRLF(text), metadata: metadata, format: .json)
    }

    private static func kindName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
