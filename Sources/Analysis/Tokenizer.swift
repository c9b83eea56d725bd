/// One token of the text: a word, a number, a quotation mark or another punctuation mark, with its
/// code-point span. Stages after sentence splitting read tokens instead of scanning text again.
public struct Token: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        /// Letters (and digits) with inner apostrophes, hyphens and abbreviation periods: "can’t",
        /// "in-person", "U.S.", "Mr.".
        case word
        /// Digits, with inner "." or "," ("3.5", "1,000") and an ordinal or unit suffix ("5th", "10km").
        case number
        /// “ ‘ « „ and a straight " or ' that opens (by position).
        case openingQuote
        /// ” ’ » and a straight " or ' that closes.
        case closingQuote
        /// Any other non-space scalar.
        case punctuation
    }

    public var start: Int
    public var end: Int
    public var kind: Kind
    /// Index of the sentence that holds the token.
    public var sentence: Int

    public init(start: Int, end: Int, kind: Kind, sentence: Int) {
        self.start = start
        self.end = end
        self.kind = kind
        self.sentence = sentence
    }
}

/// Splits text into tokens, over code points, in one linear pass.
enum Tokenizer {
    static func tokens(_ scalars: [Unicode.Scalar], sentences: [Span]) -> [Token] {
        tokenize(scalars, sentences: sentences).tokens
    }

    /// The tokens, and the number of words as `WordCounter` counts them (`stats.words`), found in the same pass.
    ///
    /// Every scalar outside the sentences is white space, and a word in `WordCounter`'s sense never crosses a
    /// token's edge, so the words are the word and number tokens, plus one for each place inside such a token
    /// where `WordCounter` starts another word: after an inner "&" ("AT&T") and after an acronym's inner
    /// period ("U.S"). The tests hold this equal to `WordCounter.count`, which stays the definition.
    static func tokenize(_ scalars: [Unicode.Scalar], sentences: [Span]) -> (tokens: [Token], words: Int) {
        var words = 0
        var tokens: [Token] = []
        // News text has about one token per five scalars, often a little more: room for one per four, so the
        // array is rarely copied to grow.
        tokens.reserveCapacity(scalars.count / 4 + 16)
        // Over the buffer: one pass over every scalar of the text, without bounds checks or retains.
        scalars.withUnsafeBufferPointer { s in
            for (sentenceIndex, sentence) in sentences.enumerated() {
                var index = sentence.start
                while index < sentence.end {
                    let scalar = s[index]
                    if Segmenter.isWhitespace(scalar) || scalar.isControl {
                        index += 1
                        continue
                    }
                    if WordCounter.isWordScalar(scalar) {
                        words += 1
                        let end = wordEnd(s, from: index, limit: sentence.end, innerWords: &words)
                        let kind: Token.Kind = isDigit(scalar) ? .number : .word
                        tokens.append(Token(start: index, end: end, kind: kind, sentence: sentenceIndex))
                        index = end
                        continue
                    }
                    let kind: Token.Kind
                    switch scalar {
                    case "“", "‘", "«", "„", "‚", "‹":
                        kind = .openingQuote
                    case "”", "»", "›":
                        kind = .closingQuote
                    case "’":
                        kind = .closingQuote
                    case "\"", "'":
                        // Straight marks open after a space, an opening bracket or the start; else they close.
                        let before: Unicode.Scalar? = index > sentence.start ? s[index - 1] : nil
                        let opens = before.map { Segmenter.isWhitespace($0) || "([{—–-/".unicodeScalars.contains($0) } ?? true
                        kind = opens ? .openingQuote : .closingQuote
                    default:
                        kind = .punctuation
                    }
                    tokens.append(Token(start: index, end: index + 1, kind: kind, sentence: sentenceIndex))
                    index += 1
                }
            }
        }
        return (tokens, words)
    }

    /// The end of the word or number starting at `start`. Linear: what is known about the token so far
    /// (whether it is single letters joined by periods, like "U.S", and whether the scalar before the
    /// current one is a word scalar) is carried along, never rescanned.
    /// `innerWords` grows by the words `WordCounter` starts inside the token (see `tokenize`).
    private static func wordEnd(
        _ s: UnsafeBufferPointer<Unicode.Scalar>, from start: Int, limit: Int, innerWords: inout Int
    ) -> Int {
        var index = start + 1
        var singleLetters = s[start].isLetter
        // Whether s[index - 1] is a word scalar: s[start] is (the caller checked).
        var previousIsWord = true
        while index < limit {
            let scalar = s[index]
            let isWord = WordCounter.isWordScalar(scalar)
            if isWord || isCombiningMark(scalar) {
                if previousIsWord { singleLetters = false }
                previousIsWord = isWord
                index += 1
                continue
            }
            let next: Unicode.Scalar? = index + 1 < limit ? s[index + 1] : nil
            switch scalar {
            case "'", "’", "-", "‐", "‑", "&":
                // Inner apostrophe or hyphen: "can’t", "in-person", "AT&T".
                if let next, WordCounter.isWordScalar(next) {
                    // WordCounter joins across ' ’ - ‐ ‑ but not across "&": "AT&T" is two words there.
                    if scalar == "&" { innerWords += 1 }
                    singleLetters = false
                    index += 2
                    previousIsWord = true
                    continue
                }
            case ".":
                // "3.5"; "U.S." and other dotted acronyms keep their periods.
                if let next, isDigit(next), isDigit(s[index - 1]) {
                    index += 2
                    previousIsWord = true
                    continue
                }
                if singleLetters, let next, next.isLetter,
                    index + 2 == limit || !WordCounter.isWordScalar(s[index + 2])
                {
                    // An acronym's inner period: WordCounter starts a word at the letter after it.
                    innerWords += 1
                    index += 2
                    previousIsWord = WordCounter.isWordScalar(next)
                    continue
                }
                if singleLetters, index - start > 1 {
                    // The final period of "U.S." belongs to the acronym.
                    return index + 1
                }
            case ",":
                if let next, isDigit(next), isDigit(s[index - 1]) {
                    index += 2
                    previousIsWord = true
                    continue
                }
            default:
                break
            }
            break
        }
        return index
    }

    @inline(__always)
    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x30 && scalar.value <= 0x39
    }

    private static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        guard !scalar.isASCII else { return false }
        return scalar.propertyIsCombiningMark
    }
}
