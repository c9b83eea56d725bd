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
        for index in 0...s.count {
            if index == s.count || isLineBreak(s[index]) {
                if let span = trimmed(s, start, index) { spans.append(span) }
                start = index + 1
            }
        }
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
            guard isSentenceTerminator(s[index]) else {
                index += 1
                continue
            }
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
            if following.propertyIsLowercase { continue }

            let isEllipsis = !hasStrongMark && (hasEllipsis || periods >= 2)
            var splits = true
            if isEllipsis {
                splits = following.propertyIsUppercase
            } else if periods == 1, !hasStrongMark, !hasEllipsis, closeEnd == runEnd {
                let token = precedingToken(s, before: runStart, lowerBound: sentenceStart)
                splits = abbreviationAllowsSplit(
                    token: token,
                    following: following,
                    nextWord: { word(s, at: wordStart, end: end) }
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

    /// Titles before a name: never the end of a sentence.
    private static let titles: Set<String> = [
        "mr", "mrs", "ms", "messrs", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "st", "capt", "cpt",
        "sgt", "rev", "hon", "adm", "maj", "cpl", "pvt", "cmdr", "mt", "ft", "atty", "supt", "det", "insp", "pres",
        "mme", "mlle", "vs", "v", "e.g", "i.e", "cf", "viz", "approx", "dept", "fig", "vol", "pp", "ca",
    ]

    /// Abbreviations that precede a number: "Dec. 12", "No. 10".
    private static let beforeNumbers: Set<String> = [
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos", "art", "sec",
        "ch", "p", "op", "nr",
    ]

    /// Abbreviations that often end a sentence as well: they end one only before a typical sentence opening.
    private static let suffixes: Set<String> = [
        "inc", "corp", "ltd", "co", "jr", "sr", "bros", "llc", "plc", "al", "ave", "blvd", "rd",
    ]

    /// Words that commonly open a sentence; after "Inc." or "U.S." they mark a new sentence.
    private static let sentenceOpeners: Set<String> = [
        "the", "he", "she", "it", "they", "we", "i", "you", "a", "an", "in", "on", "at", "but", "and", "this", "that",
        "these", "those", "his", "her", "their", "its", "our", "there", "according", "after", "before", "when",
        "while", "as", "if", "however", "meanwhile", "also", "some", "many", "most", "no", "for", "with", "since",
        "although", "officials", "police", "earlier", "later", "last", "one", "two", "three", "what", "who", "why",
        "how", "so", "yet", "then", "now", "today", "yesterday",
    ]

    private static func abbreviationAllowsSplit(
        token: [Unicode.Scalar],
        following: Unicode.Scalar,
        nextWord: () -> (word: String, isInitial: Bool)
    ) -> Bool {
        guard !token.isEmpty else { return true }
        let lower = String(String.UnicodeScalarView(token.map(asciiLowercased)))
        let followsNumber = following.propertyIsNumeric
        if titles.contains(lower) { return false }
        let isInitial = token.count == 1 && token[0].propertyIsUppercase
        if beforeNumbers.contains(lower), !isInitial {
            // "No." and the months are abbreviations only before a number ("No. 10", "Dec. 12").
            return !followsNumber
        }
        let isDottedAcronym = isAcronymWithDots(token)
        if suffixes.contains(lower) || isInitial || isDottedAcronym {
            if followsNumber { return false }
            let next = nextWord()
            // "Wayne A. I. Frederick": an initial followed by another initial.
            if next.isInitial { return false }
            return sentenceOpeners.contains(next.word.lowercased())
        }
        return true
    }

    /// "U.S", "U.K", "D.C", "Ph.D": letters in groups of one or two joined by periods.
    private static func isAcronymWithDots(_ token: [Unicode.Scalar]) -> Bool {
        guard token.contains(".") else { return false }
        var groupLength = 0
        for scalar in token {
            if scalar == "." {
                guard groupLength > 0 else { return false }
                groupLength = 0
            } else if scalar.propertyIsAlphabetic {
                groupLength += 1
                if groupLength > 2 { return false }
            } else {
                return false
            }
        }
        return groupLength > 0
    }

    /// The word (without openers) that ends at `end`, at most 32 scalars, not reaching before `lowerBound`.
    private static func precedingToken(_ s: [Unicode.Scalar], before end: Int, lowerBound: Int) -> [Unicode.Scalar] {
        var start = end
        while start > lowerBound, end - start < 32, !isWhitespace(s[start - 1]), !isOpener(s[start - 1]) {
            start -= 1
        }
        if start > lowerBound, !isWhitespace(s[start - 1]), !isOpener(s[start - 1]) { return [] }
        return Array(s[start..<end])
    }

    /// The word starting at `start` (at most 24 letters), and whether it is a single capital followed by ".".
    private static func word(_ s: [Unicode.Scalar], at start: Int, end: Int) -> (word: String, isInitial: Bool) {
        var view = String.UnicodeScalarView()
        var index = start
        while index < end, index - start < 24, s[index].propertyIsAlphabetic {
            view.append(s[index])
            index += 1
        }
        let isInitial = index == start + 1 && s[start].propertyIsUppercase && index < end && s[index] == "."
        return (String(view), isInitial)
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

    static func asciiLowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        scalar.value >= 0x41 && scalar.value <= 0x5A ? Unicode.Scalar(scalar.value + 32)! : scalar
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
