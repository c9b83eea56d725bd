/// Splits text into paragraphs and sentences, over Unicode scalars, in one linear pass each.
///
/// Paragraphs end at every line break (news files put one paragraph on each line). Sentences end at `.`, `!`, `?`,
/// `…` (and runs of them), after any closing quotes or brackets, when whitespace or the paragraph's end follows —
/// except after abbreviations, initials, decimals, and before a lowercase word (`"Stop!" he said`).
enum Segmenter {
    /// Paragraph spans: the text between line breaks, trimmed, never empty.
    static func paragraphs(_ s: [Unicode.Scalar]) -> [Span] {
        var spans: [Span] = []
        var start = 0
        s.withUnsafeBufferPointer { buffer in
            for index in 0..<buffer.count where isLineBreak(buffer[index]) {
                if let span = trimmed(s, start, index) { spans.append(span) }
                start = index + 1
            }
        }
        if let span = trimmed(s, start, s.count) { spans.append(span) }
        return spans
    }

    /// Sentence spans within each paragraph, trimmed, in text order.
    static func sentences(_ s: [Unicode.Scalar], paragraphs: [Span]) -> [Span] {
        var spans: [Span] = []
        for paragraph in paragraphs {
            sentences(s, in: paragraph, into: &spans)
        }
        return spans
    }

    private static func sentences(_ s: [Unicode.Scalar], in paragraph: Span, into spans: inout [Span]) {
        let end = paragraph.end
        var sentenceStart = paragraph.start
        var index = paragraph.start
        while index < end {
            // Most scalars end nothing: skip to the next terminator over the buffer, without bounds checks.
            index = s.withUnsafeBufferPointer { buffer in
                var at = index
                while at < end, !isSentenceTerminator(buffer[at]) { at += 1 }
                return at
            }
            guard index < end else { break }
            let runStart = index
            var runEnd = index
            var periods = 0
            var hasEllipsis = false
            var hasStrongMark = false
            while runEnd < end, isSentenceTerminator(s[runEnd]) {
                switch s[runEnd] {
                case ".": periods += 1
                case "…": hasEllipsis = true
                default: hasStrongMark = true
                }
                runEnd += 1
            }
            var closeEnd = runEnd
            while closeEnd < end, isCloser(s[closeEnd]) { closeEnd += 1 }
            index = closeEnd
            // "3.5", "U.S.A", "e.g.," — a terminator that is not followed by a space ends nothing.
            guard closeEnd < end, isWhitespace(s[closeEnd]) else { continue }
            var next = closeEnd
            while next < end, isWhitespace(s[next]) { next += 1 }
            guard next < end else { continue }
            var wordStart = next
            while wordStart < end, isOpener(s[wordStart]) { wordStart += 1 }
            let following = wordStart < end ? s[wordStart] : " "
            if following.isLowercaseLetter { continue }

            let isEllipsis = !hasStrongMark && (hasEllipsis || periods >= 2)
            var splits = true
            if isEllipsis {
                splits = following.isUppercaseLetter
            } else if periods == 1, !hasStrongMark, !hasEllipsis, closeEnd == runEnd {
                let tokenStart = precedingTokenStart(s, before: runStart, lowerBound: sentenceStart)
                splits = abbreviationAllowsSplit(
                    s[tokenStart..<runStart],
                    following: following,
                    nextWord: { nextWord(s, at: wordStart, end: end) }
                )
            }
            if splits {
                if let span = trimmed(s, sentenceStart, closeEnd) { spans.append(span) }
                sentenceStart = next
            }
        }
        if let span = trimmed(s, sentenceStart, end) { spans.append(span) }
    }

    // MARK: Abbreviations

    // The tables hold short lowercase ASCII words, packed by `AbbreviationKey`: they are looked up at every
    // sentence-ending period, and a String (and a SipHash) per look-up cost thousands of instructions.

    /// Titles before a name: never the end of a sentence.
    private static let titles = AbbreviationKey.set(
        "mr", "mrs", "ms", "messrs", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "st", "capt", "cpt",
        "sgt", "rev", "hon", "adm", "maj", "cpl", "pvt", "cmdr", "mt", "ft", "atty", "supt", "det", "insp", "pres",
        "mme", "mlle", "vs", "v", "e.g", "i.e", "cf", "viz", "approx", "dept", "fig", "vol", "pp", "ca"
    )

    /// Abbreviations that precede a number: "Dec. 12", "No. 10".
    private static let beforeNumbers = AbbreviationKey.set(
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos", "art", "sec",
        "ch", "p", "op", "nr", "c", "ca", "approx"
    )

    /// Abbreviations that often end a sentence as well: they end one only before a typical sentence opening.
    private static let suffixes = AbbreviationKey.set(
        "inc", "corp", "ltd", "co", "jr", "sr", "bros", "llc", "plc", "al", "ave", "blvd", "rd"
    )

    /// Words that commonly open a sentence; after "Inc." or "U.S." they mark a new sentence.
    private static let sentenceOpenerWords: [String] = [
        "the", "he", "she", "it", "they", "we", "i", "you", "a", "an", "in", "on", "at", "but", "and", "this", "that",
        "these", "those", "his", "her", "their", "its", "our", "there", "according", "after", "before", "when",
        "while", "as", "if", "however", "meanwhile", "also", "some", "many", "most", "no", "for", "with", "since",
        "although", "officials", "police", "earlier", "later", "last", "one", "two", "three", "what", "who", "why",
        "how", "so", "yet", "then", "now", "today", "yesterday",
    ]
    private static let sentenceOpeners = AbbreviationKey.set(sentenceOpenerWords)
    /// The same words as Strings, for the rare next word with a non-ASCII letter (compared after `lowercased()`).
    private static let sentenceOpenerStrings = Set(sentenceOpenerWords)

    /// The word after the period: packed when it is ASCII (else as a String), and whether it is an initial.
    private enum NextWord {
        case ascii(key: UInt64?, isInitial: Bool)
        case other(word: String, isInitial: Bool)

        var isInitial: Bool {
            switch self {
            case .ascii(_, let isInitial), .other(_, let isInitial): return isInitial
            }
        }
    }

    private static func abbreviationAllowsSplit(
        _ token: ArraySlice<Unicode.Scalar>,
        following: Unicode.Scalar,
        nextWord: () -> NextWord
    ) -> Bool {
        guard !token.isEmpty else { return true }
        // Tokens with anything but ASCII letters and periods, or longer than any entry, are in no table.
        let lower = AbbreviationKey.key(token)
        let followsNumber = following.isASCII ? Tokenizer.isDigit(following) : following.propertyIsNumeric
        if let lower, titles.contains(lower) { return false }
        let isInitial = token.count == 1 && token.first!.isUppercaseLetter
        if let lower, beforeNumbers.contains(lower), !isInitial {
            // "No." and the months are abbreviations only before a number ("No. 10", "Dec. 12").
            return !followsNumber
        }
        let isDottedAcronym = isAcronymWithDots(token)
        if lower.map(suffixes.contains) == true || isInitial || isDottedAcronym {
            if followsNumber { return false }
            let next = nextWord()
            // "Wayne A. I. Frederick": an initial followed by another initial.
            if next.isInitial { return false }
            switch next {
            case .ascii(let key, _): return key.map(sentenceOpeners.contains) ?? false
            case .other(let word, _): return sentenceOpenerStrings.contains(word.lowercased())
            }
        }
        return true
    }

    /// "U.S", "U.K", "D.C", "Ph.D": letters in groups of one or two joined by periods.
    private static func isAcronymWithDots(_ token: ArraySlice<Unicode.Scalar>) -> Bool {
        guard token.contains(".") else { return false }
        var groupLength = 0
        for scalar in token {
            if scalar == "." {
                guard groupLength > 0 else { return false }
                groupLength = 0
            } else if scalar.isLetter {
                groupLength += 1
                if groupLength > 2 { return false }
            } else {
                return false
            }
        }
        return groupLength > 0
    }

    /// Where the word (without openers) that ends at `end` starts: at most 32 scalars back, not before
    /// `lowerBound`; `end` (no word) when the word is longer.
    private static func precedingTokenStart(_ s: [Unicode.Scalar], before end: Int, lowerBound: Int) -> Int {
        var start = end
        while start > lowerBound, end - start < 32, !isWhitespace(s[start - 1]), !isOpener(s[start - 1]) {
            start -= 1
        }
        if start > lowerBound, !isWhitespace(s[start - 1]), !isOpener(s[start - 1]) { return end }
        return start
    }

    /// The word starting at `start` (at most 24 letters), and whether it is a single capital followed by ".".
    private static func nextWord(_ s: [Unicode.Scalar], at start: Int, end: Int) -> NextWord {
        var index = start
        var isASCII = true
        while index < end, index - start < 24, s[index].isLetter {
            if !s[index].isASCII { isASCII = false }
            index += 1
        }
        let isInitial = index == start + 1 && s[start].isUppercaseLetter && index < end && s[index] == "."
        if isASCII { return .ascii(key: AbbreviationKey.key(s[start..<index]), isInitial: isInitial) }
        // lowercased() of a non-ASCII letter can be ASCII (KELVIN SIGN → "k"): compare as the Strings did.
        return .other(word: String(String.UnicodeScalarView(s[start..<index])), isInitial: isInitial)
    }

    // MARK: Character classes

    /// White space, with a fast path for ASCII (most of any article).
    @inline(__always)
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return scalar.value == 0x20 || (scalar.value >= 0x09 && scalar.value <= 0x0D) }
        return scalar.propertyIsWhitespace
    }

    /// U+000A–U+000D, U+0085, U+2028, U+2029 (compared by value: these run on every scalar of the text).
    @inline(__always)
    static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        // One comparison for the common case: everything from U+000E to U+0084 (all printable ASCII).
        if value &- 0x0E < 0x85 - 0x0E { return false }
        if value <= 0x0D { return value >= 0x0A }
        return value == 0x85 || value == 0x2028 || value == 0x2029
    }

    /// . ! ? and … ‽ 。 ！ ？ (compared by value).
    @inline(__always)
    static func isSentenceTerminator(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return value == 0x2E || value == 0x21 || value == 0x3F }
        return value == 0x2026 || value == 0x203D || value == 0x3002 || value == 0xFF01 || value == 0xFF1F
    }

    /// Closing quotation marks and brackets that may follow a sentence's final punctuation.
    static func isCloser(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\"", "'", "”", "’", "»", "›", ")", "]", "}", "」", "』": return true
        default: return false
        }
    }

    /// Opening quotation marks and brackets that may precede a sentence's first word.
    static func isOpener(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\"", "'", "“", "‘", "„", "‚", "«", "‹", "(", "[", "{", "「", "『", "¿", "¡": return true
        default: return false
        }
    }

    /// `start..<end` without surrounding whitespace, or `nil` if nothing is left.
    static func trimmed(_ s: [Unicode.Scalar], _ start: Int, _ end: Int) -> Span? {
        var lower = start
        var upper = end
        while lower < upper, isWhitespace(s[lower]) { lower += 1 }
        while upper > lower, isWhitespace(s[upper - 1]) { upper -= 1 }
        return lower < upper ? Span(start: lower, end: upper) : nil
    }
}

/// A word of up to twelve ASCII letters and periods, case-folded and packed five bits a character (a–z are
/// 1–26, "." is 27), so the abbreviation tables are sets of integers. Different words give different keys:
/// no character packs to 0, so the length shows in the key.
enum AbbreviationKey {
    static func key(_ scalars: ArraySlice<Unicode.Scalar>) -> UInt64? {
        guard scalars.count <= 12 else { return nil }
        var key: UInt64 = 0
        for scalar in scalars {
            let value = scalar.value
            let code: UInt32
            switch value {
            case 0x61...0x7A: code = value - 0x60
            case 0x41...0x5A: code = value - 0x40
            case 0x2E: code = 27
            default: return nil
            }
            key = key << 5 | UInt64(code)
        }
        return key
    }

    static func set(_ words: String...) -> HashSet64 { set(words) }

    static func set(_ words: [String]) -> HashSet64 {
        HashSet64(words.map { word in
            guard let key = key(ArraySlice(word.unicodeScalars)) else { preconditionFailure("\(word) cannot be packed") }
            return key
        })
    }
}
