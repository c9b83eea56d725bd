/// Stage: keywords, best first. Reads tokens; fills `document.keywords`.
///
/// Candidates are single content words and 2–3-word runs of content words (no stop word, number or
/// punctuation inside, within one sentence), grouped by a light stem. A candidate scores by its frequency,
/// how early it first appears and its length (short words are often generic); phrases must occur at
/// least twice unless the text is very short. Scores are scaled so the
/// best keyword has 1. Text not in English gets none. Linear in the number of tokens.
struct KeywordExtractor: Sendable {
    /// How many keywords a document gets at most.
    static let limit = 15
    let lexicon: KeywordLexicon

    init() { lexicon = KeywordLexicon() }

    func run(_ document: inout Document) {
        guard document.isEnglish else { return }
        if document.contentWords == nil { document.contentWords = ContentWords(document, lexicon: lexicon) }
        document.keywords = keywords(document)
    }

    /// A candidate: up to three word ids (-1 = none).
    private struct Gram: Hashable {
        var a: Int32
        var b: Int32
        var c: Int32
        var length: Int { b < 0 ? 1 : (c < 0 ? 2 : 3) }
    }

    /// A content word of the current run: word id, token index, word position, capitalised, starts a sentence.
    private typealias RunWord = (id: Int32, token: Int, position: Int, capital: Bool, initial: Bool)

    private struct Candidate {
        var count = 0
        var firstWord = 0
        /// Token range of the first occurrence, for the surface form.
        var firstToken = 0
        var lastToken = 0
        /// Occurrences written with every word capitalised, not counting a sentence's first word.
        var capitalised = 0
        /// Occurrences that could show capitalisation (not starting a sentence).
        var inner = 0
        /// Whether every word of the first occurrence is capitalised.
        var firstCapitalised = false
    }

    func keywords(_ document: Document) -> [Keyword] {
        let tokens = document.tokens
        let scalars = document.scalars
        let contentWords = document.contentWords ?? ContentWords(document, lexicon: lexicon)
        // Word ids below 2^21 - 1 pack a gram into one 64-bit key (always, short of a 2-million-word text).
        let packable = contentWords.table.count < (1 << 21) - 1
        var grams: [Gram: Candidate] = [:]
        var packed = HashMap64<Candidate>(minimumCapacity: packable ? max(64, tokens.count) : 8)
        // The current run of content words: (word id, token index, word position, capitalised, starts sentence).
        var run: [RunWord] = []
        run.reserveCapacity(16)
        var position = 0
        var previousSentence = -1
        var sentenceStart = true

        for (index, token) in tokens.enumerated() {
            if token.sentence != previousSentence {
                Self.flush(&run, packable: packable, &packed, &grams)
                previousSentence = token.sentence
                sentenceStart = true
            }
            guard token.kind == .word || token.kind == .number else {
                // Punctuation and quotation marks end a run.
                Self.flush(&run, packable: packable, &packed, &grams)
                continue
            }
            let initial = sentenceStart
            sentenceStart = false
            position += 1
            guard token.kind == .word, token.end - token.start > 1 else {
                Self.flush(&run, packable: packable, &packed, &grams)
                continue
            }
            let id = contentWords.ids[index]
            guard id >= 0, Self.hasTwoLetters(scalars, token.start, token.end) else {
                Self.flush(&run, packable: packable, &packed, &grams)
                continue
            }
            let capital = scalars[token.start].isUppercaseLetter
            run.append((id, index, position, capital, initial))
        }
        Self.flush(&run, packable: packable, &packed, &grams)

        let total = Double(max(position, 1))
        // In a very short text (a headline alone) nothing recurs, so phrases need not either.
        let minimumPhraseCount = position < 40 ? 1 : 2
        // Best first; ties broken by first appearance, then by the gram itself, so the order never depends on
        // the dictionary's (randomly seeded) iteration order. The order is total (grams are distinct), so
        // keeping the best `limit` in order, as candidates are scored, gives the same prefix as sorting all.
        func before(_ left: (score: Double, gram: Gram, candidate: Candidate), _ right: (score: Double, gram: Gram, candidate: Candidate)) -> Bool {
            if left.score != right.score { return left.score > right.score }
            if left.candidate.firstWord != right.candidate.firstWord { return left.candidate.firstWord < right.candidate.firstWord }
            return (left.gram.a, left.gram.b, left.gram.c) < (right.gram.a, right.gram.b, right.gram.c)
        }
        var top: [(score: Double, gram: Gram, candidate: Candidate)] = []
        top.reserveCapacity(Self.limit + 1)
        func consider(_ gram: Gram, _ candidate: Candidate) {
            let n = gram.length
            if n > 1 && candidate.count < minimumPhraseCount { return }
            let letters = surfaceLength(candidate, tokens)
            var score = Double(candidate.count)
            score *= 1 + (1 - Double(candidate.firstWord) / total)
            if n > 1 { score *= 0.6 }
            if letters < 6 { score *= 0.7 }
            let entry = (score: score, gram: gram, candidate: candidate)
            if top.count == Self.limit, !before(entry, top[top.count - 1]) { return }
            var at = top.count
            while at > 0, before(entry, top[at - 1]) { at -= 1 }
            top.insert(entry, at: at)
            if top.count > Self.limit { top.removeLast() }
        }
        if packable {
            for (n, key) in packed.keys.enumerated() { consider(Self.gram(key), packed.values[n]) }
        } else {
            for (gram, candidate) in grams { consider(gram, candidate) }
        }
        guard let best = top.first?.score, best > 0 else { return [] }
        var result: [Keyword] = []
        for entry in top {
            result.append(Keyword(phrase: surface(entry.candidate, tokens, scalars), score: entry.score / best))
        }
        return result
    }

    /// Counts every 1–3-word gram of a finished run of content words, then empties the run. A static
    /// function with inout arguments, not a closure over the locals: captured locals were reached through
    /// boxes with a dynamic exclusivity check on every access.
    private static func flush(
        _ run: inout [RunWord], packable: Bool, _ packed: inout HashMap64<Candidate>, _ grams: inout [Gram: Candidate]
    ) {
        let count = run.count
        guard count > 0 else { return }
        for i in 0..<count {
            var capital = true
            var initial = false
            for n in 1...3 where i + n <= count {
                let last = run[i + n - 1]
                capital = capital && last.capital
                if n == 1 { initial = run[i].initial }
                let gram = Gram(a: run[i].id, b: n > 1 ? run[i + 1].id : -1, c: n > 2 ? run[i + 2].id : -1)
                if packable {
                    packed.update(
                        Self.key(gram),
                        default: Candidate(firstWord: run[i].position, firstToken: run[i].token, lastToken: last.token, firstCapitalised: capital)
                    ) { Self.record(&$0, initial: initial, capital: capital) }
                } else {
                    Self.record(
                        &grams[gram, default: Candidate(firstWord: run[i].position, firstToken: run[i].token, lastToken: last.token, firstCapitalised: capital)],
                        initial: initial, capital: capital)
                }
            }
        }
        run.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private static func key(_ gram: Gram) -> UInt64 {
        UInt64(UInt32(bitPattern: gram.a &+ 1)) | UInt64(UInt32(bitPattern: gram.b &+ 1)) << 21
            | UInt64(UInt32(bitPattern: gram.c &+ 1)) << 42
    }

    private static func gram(_ key: UInt64) -> Gram {
        let mask: UInt64 = (1 << 21) - 1
        return Gram(
            a: Int32(truncatingIfNeeded: key & mask) - 1, b: Int32(truncatingIfNeeded: (key >> 21) & mask) - 1,
            c: Int32(truncatingIfNeeded: (key >> 42) & mask) - 1)
    }

    private static func record(_ candidate: inout Candidate, initial: Bool, capital: Bool) {
        candidate.count += 1
        if !initial {
            candidate.inner += 1
            if capital { candidate.capitalised += 1 }
        }
    }

    /// Scalars in the phrase's words, without the spaces between them.
    private func surfaceLength(_ candidate: Candidate, _ tokens: [Token]) -> Int {
        var length = 0
        for index in candidate.firstToken...candidate.lastToken {
            length += tokens[index].end - tokens[index].start
        }
        return length
    }

    /// The phrase as written at its first occurrence when it is mostly written capitalised (a name),
    /// else lowercased; words joined by single spaces.
    private func surface(_ candidate: Candidate, _ tokens: [Token], _ scalars: [Unicode.Scalar]) -> String {
        // Only seen starting sentences: keep acronyms ("NATO") and capitalised phrases ("Sleeping Beauty")
        // as written, lowercase the rest.
        let keepCase =
            candidate.inner > 0
            ? candidate.capitalised * 2 > candidate.inner
            : candidate.lastToken == candidate.firstToken
                ? isAllCapitalised(candidate, tokens, scalars) : candidate.firstCapitalised
        var phrase = ""
        for index in candidate.firstToken...candidate.lastToken {
            if !phrase.isEmpty { phrase.append(" ") }
            let slice = scalars[tokens[index].start..<tokens[index].end]
            if keepCase {
                phrase.append(scalars.withUnsafeBufferPointer { Document.utf8String($0, slice.startIndex, slice.endIndex) })
            } else {
                phrase.append(KeywordLexicon.lowercased(slice))
            }
        }
        return phrase
    }

    /// Whether every letter of a one-word candidate is uppercase (an acronym like "NATO").
    private func isAllCapitalised(_ candidate: Candidate, _ tokens: [Token], _ scalars: [Unicode.Scalar]) -> Bool {
        let token = tokens[candidate.firstToken]
        for scalar in scalars[token.start..<token.end] where scalar.isLowercaseLetter { return false }
        return true
    }

    /// At least two letters: "3D" and "G7" stay candidates, "4x" does not.
    private static func hasTwoLetters(_ scalars: [Unicode.Scalar], _ start: Int, _ end: Int) -> Bool {
        // Read in place: an ArraySlice per token retained and released the whole text.
        var letters = 0
        for index in start..<end where scalars[index].isLetter {
            letters += 1
            if letters == 2 { return true }
        }
        return false
    }
}
