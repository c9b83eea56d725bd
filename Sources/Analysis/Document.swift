/// One article while it is analysed: the text as code points and every layer the stages have added so far.
///
/// Stages run in a fixed order (see `Analyzer`); each reads the layers of the stages before it and fills
/// its own. A `Document` belongs to one worker; nothing in it is shared.
struct Document {
    let scalars: [Unicode.Scalar]
    let metadata: ArticleMetadata
    /// The publication date (from `metadata.published`): the anchor for relative dates. Nil when unknown.
    let published: CalendarDate?
    var language: String?
    var paragraphs: [Span] = []
    var sentences: [Span] = []
    var tokens: [Token] = []
    var entities: [Entity] = []
    var quotes: [Quote] = []
    var dates: [DateMention] = []
    var keywords: [Keyword] = []
    /// Content-word ids per token, shared by the keyword and summary stages (nil until the first needs it).
    var contentWords: ContentWords?
    var summary: [Int] = []

    init(_ article: Article) {
        var text = article.text
        scalars = text.withUTF8 { Document.scalars(ofUTF8: $0) }
        metadata = article.metadata
        published = article.metadata.published.flatMap(CalendarDate.init(rfc3339:))
    }

    /// The code points of a String's (valid) UTF-8, decoded straight into the array: the same as
    /// `Array(text.unicodeScalars)`, which counts the scalars through the String's index machinery first.
    static func scalars(ofUTF8 bytes: UnsafeBufferPointer<UInt8>) -> [Unicode.Scalar] {
        let n = bytes.count
        // Scalars = bytes that are not continuation bytes (10xxxxxx), counted eight bytes at a time.
        var continuations = 0
        var i = 0
        while i + 8 <= n {
            let word = UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self)
            continuations += (word & ~(word << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
            i += 8
        }
        while i < n {
            if bytes[i] & 0xC0 == 0x80 { continuations += 1 }
            i += 1
        }
        let count = n - continuations
        return [Unicode.Scalar](unsafeUninitializedCapacity: count) { out, initialized in
            var i = 0
            var o = 0
            while i < n, o < count {
                // Eight ASCII bytes (no high bit set) are eight scalars.
                if i + 8 <= n, o + 8 <= count {
                    let word = UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 == 0 {
                        for k in 0..<8 { (out.baseAddress! + o + k).initialize(to: Unicode.Scalar(bytes[i + k])) }
                        i += 8
                        o += 8
                        continue
                    }
                }
                let b0 = UInt32(bytes[i])
                var value: UInt32
                if b0 < 0x80 {
                    value = b0
                    i += 1
                } else if b0 < 0xE0 {
                    value = (b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
                    i += 2
                } else if b0 < 0xF0 {
                    value = (b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                    i += 3
                } else {
                    value = (b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
                        | UInt32(bytes[i + 3] & 0x3F)
                    i += 4
                }
                (out.baseAddress! + o).initialize(to: Unicode.Scalar(value) ?? "\u{FFFD}")
                o += 1
            }
            initialized = o
        }
    }

    /// The text of a code-point range.
    func text(_ start: Int, _ end: Int) -> String {
        guard start < end else { return "" }
        return scalars.withUnsafeBufferPointer { Document.utf8String($0, start, end) }
    }

    /// A String of the code points start..<end, encoded straight into the String's storage.
    @inline(__always)
    static func utf8String(_ s: UnsafeBufferPointer<Unicode.Scalar>, _ start: Int, _ end: Int) -> String {
        var length = 0
        for index in start..<end {
            let v = s[index].value
            length += v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x1_0000 ? 3 : 4
        }
        return String(unsafeUninitializedCapacity: length) { out in
            var o = 0
            for index in start..<end {
                let v = s[index].value
                if v < 0x80 {
                    out[o] = UInt8(truncatingIfNeeded: v)
                    o += 1
                } else if v < 0x800 {
                    out[o] = UInt8(truncatingIfNeeded: 0xC0 | (v >> 6))
                    out[o + 1] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
                    o += 2
                } else if v < 0x1_0000 {
                    out[o] = UInt8(truncatingIfNeeded: 0xE0 | (v >> 12))
                    out[o + 1] = UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F))
                    out[o + 2] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
                    o += 3
                } else {
                    out[o] = UInt8(truncatingIfNeeded: 0xF0 | (v >> 18))
                    out[o + 1] = UInt8(truncatingIfNeeded: 0x80 | ((v >> 12) & 0x3F))
                    out[o + 2] = UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F))
                    out[o + 3] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
                    o += 4
                }
            }
            return o
        }
    }

    func text(of token: Token) -> String { text(token.start, token.end) }

    /// Whether the language is English (or unknown, when the text gave too little to decide): the English
    /// rules run only then.
    var isEnglish: Bool { language == nil || language == "en" }
}

/// A day in the proleptic Gregorian calendar, for anchoring relative dates.
struct CalendarDate: Sendable, Equatable, Comparable {
    var year: Int
    var month: Int
    var day: Int

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// From "YYYY-MM-DD…".
    init?(rfc3339 text: String) {
        let digits = Array(text.utf8)
        guard digits.count >= 10, digits[4] == UInt8(ascii: "-"), digits[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in digits[range] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Days since 1970-01-01 (negative before).
    var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

    /// 1 = Monday … 7 = Sunday (ISO 8601).
    var weekday: Int {
        let value = (dayNumber + 3) % 7  // 1970-01-01 was a Thursday (ISO 4)
        return (value < 0 ? value + 7 : value) + 1
    }

    /// The ISO 8601 week-numbering year and week.
    var isoWeek: (year: Int, week: Int) {
        let thursday = adding(days: 4 - weekday)
        let january1 = CalendarDate(year: thursday.year, month: 1, day: 1)
        return (thursday.year, (thursday.dayNumber - january1.dayNumber) / 7 + 1)
    }

    static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.dayNumber < b.dayNumber }

    /// "2021-12-12".
    var iso: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
