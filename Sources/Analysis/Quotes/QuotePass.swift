/// One run of the quote stage over one document (see `QuoteExtractor`). Every scan is bounded or linear:
/// back-scans from a cue look at most a few dozen tokens, and a content's extent is found from per-sentence
/// tables, never by walking back to a paragraph's start.
///
/// A class, not a struct: the pass holds the lexicon and a dozen arrays, and every closure over a struct
/// `self` copies them all, a retain each. The lexicon's storage is shared by every worker, so in a debug
/// build two workers spent 90 % of their time fighting over those reference counts (a 1 MB article took
/// 4.9 s alone and 12.7 s beside another). A class instance is one reference, private to its thread.
final class QuotePass {
    /// A quoted stretch between paired quotation marks, as token indices (marks included).
    struct Segment {
        var open: Int
        /// The closing mark, or the segment's last token when it was never closed.
        var last: Int
        var closed: Bool
        /// Content scalars, marks excluded.
        var start: Int
        var end: Int
    }

    enum SpeakerKind { case name, pronoun, relative, nominal }

    /// A speaker mention as token indices (inclusive), with the antecedent of a "who".
    struct Hit {
        var first: Int
        var last: Int
        var kind: SpeakerKind
        var antecedentFirst: Int = -1
        var antecedentLast: Int = -1
    }

    /// A quote before its speaker is named and linked.
    struct Candidate {
        var first: Int  // content tokens, inclusive
        var last: Int
        var kind: Quote.Kind?  // forced kind; nil: from the quotation marks in the content
        var speaker: Hit?
        var inherited: Int = -1  // index of the candidate whose speaker this one continues
        var cueFirst: Int = -1
        var cueLast: Int = -1
    }

    let s: [Unicode.Scalar]
    let tokens: [Token]
    let lexicon: QuoteLexicon
    let entities: [Entity]
    let sentences: [Span]
    var keys: [UInt64]
    /// `QuoteLexicon.WordClass` bits of each word token, looked up once (the main loop tests bits, not sets).
    var classOf: [UInt8]
    var segmentOf: [Int32]
    /// Tokens of a '' pair (two straight apostrophes used as a double quotation mark).
    var doubleApostrophe: [Bool]
    var segments: [Segment] = []
    var sentenceFirst: [Int]
    var sentenceLast: [Int]
    var paragraphOfSentence: [Int]
    /// Word tokens before index i, and those of them inside quotation marks (for the kind, in O(1)).
    var wordsBefore: [Int32]
    /// What `extract`'s scan remembers of the last quote, read by its helpers.
    final class ScanState {
        /// The first token of the previous quote's speaker (a later final attribution does not cover it).
        var previousSpeakerFirst = -1
        /// The cue token and speaker of the last quote found (a participle after it may share the speaker).
        var previousCue = -1
        var previousSpeaker: Hit?
        /// The first token of the last quote, its speaker and cue included (an earlier subject may still speak).
        var previousStart = Int.max
    }
    let scan = ScanState()
    var quotedWordsBefore: [Int32]

    init(document: Document, lexicon: QuoteLexicon) {
        let s = document.scalars
        let tokens = document.tokens
        self.s = s
        self.tokens = tokens
        self.lexicon = lexicon
        entities = document.entities
        sentences = document.sentences
        let n = tokens.count
        segmentOf = [Int32](repeating: -1, count: n)
        doubleApostrophe = [Bool](repeating: false, count: n)
        paragraphOfSentence = [Int](repeating: 0, count: sentences.count)

        var paragraph = 0
        let paragraphs = document.paragraphs
        for (index, sentence) in sentences.enumerated() {
            while paragraph + 1 < paragraphs.count, paragraphs[paragraph].end <= sentence.start { paragraph += 1 }
            paragraphOfSentence[index] = paragraph
        }
        // Keys, word classes and sentence extents in one pass over buffers: writing through `self` in an
        // initializer checks each array's uniqueness and bounds for every token, and slicing the scalars
        // per token retains and releases the whole text.
        var keys = [UInt64](repeating: 0, count: n)
        var classOf = [UInt8](repeating: 0, count: n)
        var sentenceFirst = [Int](repeating: -1, count: sentences.count)
        var sentenceLast = [Int](repeating: -1, count: sentences.count)
        let classes = lexicon.classes
        s.withUnsafeBufferPointer { text in
            tokens.withUnsafeBufferPointer { tokens in
                keys.withUnsafeMutableBufferPointer { keys in
                    classOf.withUnsafeMutableBufferPointer { classOf in
                        sentenceFirst.withUnsafeMutableBufferPointer { sentenceFirst in
                            sentenceLast.withUnsafeMutableBufferPointer { sentenceLast in
                                for index in 0..<n {
                                    let token = tokens[index]
                                    if token.kind == .word {
                                        let key = QuoteLexicon.key(scalars: text[token.start..<token.end])
                                        keys[index] = key
                                        classOf[index] = classes[key] ?? 0
                                    }
                                    if sentenceFirst[token.sentence] < 0 { sentenceFirst[token.sentence] = index }
                                    sentenceLast[token.sentence] = index
                                }
                            }
                        }
                    }
                }
            }
        }
        self.keys = keys
        self.classOf = classOf
        self.sentenceFirst = sentenceFirst
        self.sentenceLast = sentenceLast
        for index in 0..<max(0, n - 1) where tokens[index].end == tokens[index + 1].start
            && s[tokens[index].start] == "'" && s[tokens[index + 1].start] == "'" && !doubleApostrophe[index]
        {
            doubleApostrophe[index] = true
            doubleApostrophe[index + 1] = true
        }
        wordsBefore = []
        quotedWordsBefore = []
        pairQuotationMarks()
        var wordsBefore = [Int32](repeating: 0, count: n + 1)
        var quotedWordsBefore = [Int32](repeating: 0, count: n + 1)
        let segmentOf = self.segmentOf
        tokens.withUnsafeBufferPointer { tokens in
            segmentOf.withUnsafeBufferPointer { segmentOf in
                wordsBefore.withUnsafeMutableBufferPointer { wordsBefore in
                    quotedWordsBefore.withUnsafeMutableBufferPointer { quotedWordsBefore in
                        for index in 0..<n {
                            let isWord = tokens[index].kind == .word || tokens[index].kind == .number
                            wordsBefore[index + 1] = wordsBefore[index] + (isWord ? 1 : 0)
                            quotedWordsBefore[index + 1] = quotedWordsBefore[index] + (isWord && segmentOf[index] >= 0 ? 1 : 0)
                        }
                    }
                }
            }
        }
        self.wordsBefore = wordsBefore
        self.quotedWordsBefore = quotedWordsBefore
    }

    // MARK: Token tests

    @inline(__always) func isWord(_ i: Int) -> Bool { tokens[i].kind == .word }

    @inline(__always) func isCapitalised(_ i: Int) -> Bool {
        guard tokens[i].kind == .word else { return false }
        let first = s[tokens[i].start]
        if first.value < 0x80 { return first.value >= 0x41 && first.value <= 0x5A }
        return first.properties.isUppercase
    }

    /// A capitalised word that can be part of a name (not "The", "But", "In" …).
    @inline(__always) func isNameWord(_ i: Int) -> Bool {
        isCapitalised(i) && !lexicon.capitalisedFunctionWords.contains(keys[i])
    }

    @inline(__always) func isPunctuation(_ i: Int, _ scalar: Unicode.Scalar) -> Bool {
        tokens[i].kind == .punctuation && s[tokens[i].start] == scalar
    }

    @inline(__always) func isComma(_ i: Int) -> Bool { isPunctuation(i, ",") }

    @inline(__always) func isDash(_ i: Int) -> Bool {
        tokens[i].kind == .punctuation && (s[tokens[i].start] == "—" || s[tokens[i].start] == "–")
    }

    @inline(__always) func isClauseEnd(_ i: Int) -> Bool {
        guard tokens[i].kind == .punctuation else { return false }
        switch s[tokens[i].start] {
        case ".", "!", "?", ";", ",", "…", ":": return true
        default: return false
        }
    }

    /// A double quotation mark (single marks are apostrophes too often to delimit quotes on their own).
    @inline(__always) func isDoubleMark(_ i: Int) -> Bool {
        let kind = tokens[i].kind
        guard kind == .openingQuote || kind == .closingQuote else { return false }
        switch s[tokens[i].start] {
        case "“", "”", "\"", "„", "«", "»", "‟": return true
        case "'": return doubleApostrophe[i]
        default: return false
        }
    }

    @inline(__always) func isOpeningMark(_ i: Int) -> Bool { isDoubleMark(i) && segmentOf[i] >= 0 && segments[Int(segmentOf[i])].open == i }

    @inline(__always) func isClosingMark(_ i: Int) -> Bool {
        guard isDoubleMark(i), segmentOf[i] >= 0 else { return false }
        let segment = segments[Int(segmentOf[i])]
        return segment.closed && segment.last == i
    }

    func paragraph(of i: Int) -> Int { paragraphOfSentence[tokens[i].sentence] }

    // MARK: 1. Quotation marks

    private func pairQuotationMarks() {
        var open = -1
        var currentParagraph = -1
        for i in 0..<tokens.count {
            let p = paragraph(of: i)
            if p != currentParagraph {
                if open >= 0 {
                    // Open at a paragraph's end: it goes on if the new paragraph opens with a mark.
                    if isDoubleMark(i), s[tokens[i].start] != "”", s[tokens[i].start] != "»" {
                        currentParagraph = p
                        continue
                    }
                    finish(open: open, last: i - 1, closed: false)
                    open = -1
                }
                currentParagraph = p
            }
            guard isDoubleMark(i) else { continue }
            // The second apostrophe of a '' pair belongs to the first.
            if doubleApostrophe[i], i > 0, doubleApostrophe[i - 1], tokens[i - 1].end == tokens[i].start,
                segmentOf[i - 1] >= 0 || open == i - 1
            {
                if open < 0, segmentOf[i - 1] >= 0 { extendClosing(to: i) }
                continue
            }
            let scalar = s[tokens[i].start]
            if open < 0 {
                // A stray closing mark; but one opening its paragraph right before a word can only open a
                // quotation (some writers use ” for both marks).
                if scalar == "”" || scalar == "»",
                    !(i + 1 < tokens.count && tokens[i].end == tokens[i + 1].start && isWord(i + 1)
                        && (i == 0 || paragraph(of: i - 1) != p))
                {
                    continue
                }
                open = i
            } else if scalar == "“" || scalar == "„" || scalar == "«" {
                finish(open: open, last: i - 1, closed: false)
                open = i
            } else {
                finish(open: open, last: i, closed: true)
                open = -1
            }
        }
        if open >= 0 { finish(open: open, last: tokens.count - 1, closed: false) }
    }

    /// A '' closing pair: the segment that just closed at its first apostrophe takes the second as well.
    private func extendClosing(to i: Int) {
        let index = Int(segmentOf[i - 1])
        guard segments[index].last == i - 1 else { return }
        segments[index].last = i
        segmentOf[i] = Int32(index)
    }

    private func finish(open: Int, last: Int, closed: Bool) {
        guard last > open else { return }
        var start = tokens[open].end
        if doubleApostrophe[open], open + 1 <= last, doubleApostrophe[open + 1] { start = tokens[open + 1].end }
        var end = closed ? tokens[last].start : tokens[last].end
        while start < end, Segmenter.isWhitespace(s[start]) { start += 1 }
        while end > start, Segmenter.isWhitespace(s[end - 1]) { end -= 1 }
        guard start < end else { return }
        let index = Int32(segments.count)
        segments.append(Segment(open: open, last: last, closed: closed, start: start, end: end))
        for i in open...last { segmentOf[i] = index }
    }

    // MARK: 2. Cues

    func extract() -> [Quote] {
        scan.previousSpeakerFirst = -1
        var candidates: [Candidate] = []
        var lastEnd = -1  // last content token of the previous candidate: quotes do not nest
        let interviewers = interviewerLabels()
        var i = 0
        while i < tokens.count {
            defer { i += 1 }
            if i > lastEnd, let turn = transcriptTurn(i) {
                // "WALLACE: …" opening a paragraph: the whole paragraph is that speaker's. An interviewer's
                // question is no one's quote, and nothing in it is either.
                let asked = !interviewers.isEmpty && isPunctuation(i, "(") && interviewers.contains(labelText(turn))
                if !asked { candidates.append(turn) }
                lastEnd = turn.last
                scan.previousSpeakerFirst = asked ? -1 : turn.speaker?.first ?? -1
                scan.previousCue = -1
                scan.previousSpeaker = nil
                scan.previousStart = Int.max
                i = turn.last
                continue
            }
            let word = classOf[i]
            if word & QuoteLexicon.WordClass.cue != 0, i > lastEnd, segmentOf[i] < 0, let opening = participleOpening(i) {
                // "Citing an unfounded theory, Trump accused …": the participle's subject follows its comma.
                candidates.append(opening)
                lastEnd = opening.last
                scan.previousSpeakerFirst = opening.speaker?.first ?? -1
                scan.previousCue = opening.cueFirst
                scan.previousSpeaker = opening.speaker
                scan.previousStart = opening.first - 1
                continue
            }
            guard tokens[i].kind == .word, segmentOf[i] < 0, i > lastEnd,
                !isCapitalised(i) || keys[i] == lexicon.according
            else {
                continue
            }
            let found: Candidate?
            if word & (QuoteLexicon.WordClass.cue | QuoteLexicon.WordClass.passive) != 0,
                let passive = passiveWithAgent(i, after: lastEnd)
            {
                // "The bill was passed by Congress", "His views were echoed by tax experts".
                found = passive
            } else if word & QuoteLexicon.WordClass.noun != 0, let nominal = possessedNounCue(i, after: lastEnd) {
                // "his claim that …", "Obama’s decision to …": a saying or stance noun with its possessor.
                found = nominal
            } else if word & QuoteLexicon.WordClass.cue != 0, let cue = lexicon.cues[keys[i]] {
                found = keys[i] == lexicon.according ? according(i, after: lastEnd) : verb(i, cue: cue, after: lastEnd)
                // "called in to a town hall", "watched from the front row": an attitude verb used intransitively.
                // ("believe in …", "released in late August", "know from … that …" still report.)
                if !cue.speech, let candidate = found, candidate.speaker != nil, candidate.first == i + 1, isWord(i + 1),
                    lexicon.placeParticles.contains(keys[i + 1]), !lexicon.strongBelief.contains(keys[i]),
                    !lexicon.phrasalStances.contains(keys[i]),
                    !startsTimeAdjunct(i + 1), !thatFollows(i + 2, within: 8)
                {
                    continue
                }
            } else if word & QuoteLexicon.WordClass.stance != 0, isPredicativeStance(i) {
                // "Many Democrats are afraid that …", "Sanders has been critical of …".
                found = verb(i, cue: QuoteLexicon.Cue(speech: false), after: lastEnd)
            } else if word & QuoteLexicon.WordClass.about != 0, topicFollows(i) {
                // "Clinton spoke out Tuesday about …", "He talked of …".
                found = verb(i, cue: QuoteLexicon.Cue(speech: false), after: lastEnd)
            } else if isPastTense(i) || isPresentThirdPerson(i), let subject = subject(before: i),
                subject.kind == .name || subject.kind == .pronoun || subject.kind == .relative,
                subject.last >= i - 3 || isComma(subject.last + 1),
                i + 1 < tokens.count,
                isWord(i + 1) || isOpeningMark(i + 1)
            {
                // An attitude or stance in the past tense after a named subject: "Cruz endorsed Trump"; not a verb
                // of motion or manner with a preposition after it ("campaigned in the state", "seemed to").
                found = verb(i, cue: QuoteLexicon.Cue(speech: false), after: lastEnd)
                // ("ruled out", "backed off", "weighed in" are stances with their particle.)
                if let candidate = found, candidate.speaker != nil, candidate.first == i + 1, isWord(i + 1),
                    lexicon.verbParticles.contains(keys[i + 1]), !lexicon.phrasalStances.contains(keys[i])
                {
                    continue
                }
            } else {
                continue
            }
            guard var candidate = found else { continue }
            extendOverSplitQuote(&candidate)
            candidates.append(candidate)
            lastEnd = max(lastEnd, candidate.last, candidate.cueLast)
            // A noun cue's possessor opens a noun phrase, not a clause: a final attribution still covers it.
            let nominalCue = candidate.cueFirst >= 0 && candidate.cueFirst < candidate.first
                && lexicon.nounCues.contains(keys[candidate.cueFirst])
            scan.previousSpeakerFirst = nominalCue ? -1 : candidate.speaker?.first ?? -1
            scan.previousCue = candidate.cueFirst
            scan.previousSpeaker = candidate.speaker
            scan.previousStart = min(candidate.first, candidate.cueFirst, candidate.speaker?.first ?? Int.max)
            if let speaker = candidate.speaker { lastEnd = max(lastEnd, speaker.last) }
        }
        candidates.sort { $0.first < $1.first }
        candidates = addUnclaimedSegments(candidates)
        return resolve(candidates)
    }

    /// A transcript turn: a paragraph opening (after an optional quotation mark) with one to three
    /// all-capital words and a colon ("WALLACE: …", "SEN. GRAHAM: …"), or with a name in double parentheses
    /// (`labelledTurn`); its content runs to the paragraph's end.
    private func transcriptTurn(_ i: Int) -> Candidate? {
        guard i == 0 || paragraph(of: i - 1) != paragraph(of: i) else { return nil }
        if isPunctuation(i, "(") { return labelledTurn(i) }
        var k = i
        if isDoubleMark(k) { k += 1 }
        let first = k
        var words = 0
        while k < tokens.count, k - first < 6, paragraph(of: k) == paragraph(of: i) {
            if isWord(k), isAllCapitals(k) {
                words += 1
            } else if !(isPunctuation(k, ".") && k > first && isWord(k - 1)) {
                break
            }
            k += 1
        }
        guard words >= 1, words <= 3, k + 1 < tokens.count, isPunctuation(k, ":"),
            paragraph(of: k + 1) == paragraph(of: i), isWord(k - 1) || isPunctuation(k - 1, ".")
        else { return nil }
        var last = k + 1
        while last + 1 < tokens.count, paragraph(of: last + 1) == paragraph(of: i) { last += 1 }
        guard wordsBefore[last + 1] - wordsBefore[k + 1] >= 2 else { return nil }
        var speakerLast = k - 1
        if !isWord(speakerLast) { speakerLast -= 1 }
        var candidate = Candidate(first: k + 1, last: last, kind: nil,
                                  speaker: Hit(first: first, last: speakerLast, kind: .name))
        candidate.cueFirst = k
        candidate.cueLast = k
        return candidate
    }

    /// An interview turn as Wikinews transcribes them: the speaker's name in double parentheses opens the
    /// paragraph ("((Sara Seager)) It's one of my life's goals …", "((WN)) What led you to …" for Wikinews's
    /// own questions). One to six words and initials, the first capitalised; no cue word, so no cue.
    private func labelledTurn(_ i: Int) -> Candidate? {
        guard i + 1 < tokens.count, isPunctuation(i, "("), isPunctuation(i + 1, "(") else { return nil }
        let first = i + 2
        guard first < tokens.count, isWord(first), isCapitalised(first) else { return nil }
        var k = first
        while k < tokens.count, k - first < 8, paragraph(of: k) == paragraph(of: i),
            isWord(k) || (isPunctuation(k, ".") && isWord(k - 1))
        {
            k += 1
        }
        guard wordsBefore[k] - wordsBefore[first] <= 6, k + 2 < tokens.count, isPunctuation(k, ")"),
            isPunctuation(k + 1, ")"), paragraph(of: k + 2) == paragraph(of: i)
        else { return nil }
        var last = paragraphEnd(k + 2)
        guard wordsBefore[last + 1] - wordsBefore[k + 2] >= 2 else { return nil }
        // A turn is labelled once, however many paragraphs it takes: those after it that speak in the first
        // person go on with it, up to the next turn. (A paragraph of the article's own, in the third person,
        // ends it: "Wikinews' Nick Moreau photographed the event.")
        while last + 1 < tokens.count, !isPunctuation(last + 1, "("), transcriptTurn(last + 1) == nil,
            speaksInFirstPerson(from: last + 1)
        {
            last = paragraphEnd(last + 1)
        }
        let speakerLast = isWord(k - 1) ? k - 1 : k - 2
        return Candidate(first: k + 2, last: last, kind: nil, speaker: Hit(first: first, last: speakerLast, kind: .name))
    }

    /// The last token of the paragraph of token `i`.
    private func paragraphEnd(_ i: Int) -> Int {
        var last = i
        while last + 1 < tokens.count, paragraph(of: last + 1) == paragraph(of: i) { last += 1 }
        return last
    }

    /// Whether the paragraph from token `i` on has a first-person word outside quotation marks.
    private func speaksInFirstPerson(from i: Int) -> Bool {
        var k = i
        while k < tokens.count, paragraph(of: k) == paragraph(of: i) {
            if isWord(k), segmentOf[k] < 0, lexicon.firstPerson.contains(keys[k]) { return true }
            k += 1
        }
        return false
    }

    /// The labels of `labelledTurn`s that at least half the time ask a question: the interviewer's
    /// ("((WN)) What led you to conduct this research?"), where the other labels answer.
    private func interviewerLabels() -> Set<String> {
        var turns: [String: (questions: Int, all: Int)] = [:]
        for sentence in sentenceFirst.indices
        where sentence == 0 || paragraphOfSentence[sentence] != paragraphOfSentence[sentence - 1] {
            let i = sentenceFirst[sentence]
            guard i >= 0, i < tokens.count, isPunctuation(i, "("), let turn = labelledTurn(i) else { continue }
            let label = labelText(turn)
            turns[label, default: (0, 0)].all += 1
            if isPunctuation(turn.last, "?") { turns[label, default: (0, 0)].questions += 1 }
        }
        return Set(turns.filter { 2 * $0.value.questions >= $0.value.all }.keys)
    }

    /// A turn's speaker label as written.
    private func labelText(_ turn: Candidate) -> String {
        guard let speaker = turn.speaker else { return "" }
        return String(String.UnicodeScalarView(s[tokens[speaker.first].start..<tokens[speaker.last].end]))
    }

    /// A word of two or more letters, all of them capitals ("WALLACE").
    private func isAllCapitals(_ i: Int) -> Bool {
        let token = tokens[i]
        guard token.end - token.start >= 2 else { return false }
        var letters = 0
        for index in token.start..<token.end {
            let scalar = s[index]
            if scalar.value < 0x80 {
                if scalar.value >= 0x61 && scalar.value <= 0x7A { return false }
                if scalar.value >= 0x41 && scalar.value <= 0x5A { letters += 1 }
            } else if scalar.properties.isLowercase {
                return false
            } else if scalar.properties.isUppercase {
                letters += 1
            }
        }
        return letters >= 2
    }

    /// "according to X, …" and "…, according to X."
    private func according(_ c: Int, after lastEnd: Int) -> Candidate? {
        guard c + 2 < tokens.count, keys[c + 1] == lexicon.to else { return nil }
        let sentence = tokens[c].sentence
        let last = sentenceLast[sentence]
        // The source: up to the next comma or the sentence's end.
        var e = c + 2
        while e + 1 <= last, e + 1 - c < 16, !isClauseEnd(e + 1), !isDoubleMark(e + 1), !isDash(e + 1) { e += 1 }
        guard e <= last, isWord(c + 2) || tokens[c + 2].kind == .number else { return nil }
        let speaker = noun(at: c + 2, limit: e) ?? Hit(first: c + 2, last: e, kind: .nominal)
        var candidate: Candidate
        // A sentence-initial "According to X, …" is never a final attribution of the sentence before.
        if c - 1 > lastEnd, tokens[c - 1].sentence == sentence || !isCapitalised(c),
            isClauseEnd(c - 1) || isDash(c - 1) || isClosingMark(c - 1)
        {
            // "…, according to X."
            guard let content = contentBefore(c - 1, after: lastEnd) else { return nil }
            candidate = Candidate(first: content.first, last: content.last, kind: nil, speaker: speaker)
        } else if e + 1 <= last, isComma(e + 1) {
            // "According to X, …"
            guard let content = contentAfter(e + 2, sentence: sentence) else { return nil }
            candidate = Candidate(first: content.first, last: content.last, kind: nil, speaker: speaker)
        } else {
            return nil
        }
        candidate.cueFirst = c
        candidate.cueLast = c + 1
        return candidate
    }

    /// A verb cue: its speaker beside it, its content before or after it.
    private func verb(_ c: Int, cue: QuoteLexicon.Cue, after lastEnd: Int) -> Candidate? {
        let sentence = tokens[c].sentence
        var speaker = subject(before: c)
        // "…, a review of the newly filed reports shows.": a plain report verb's subject is the whole phrase that
        // opens its clause, not just the noun before it.
        if let nominal = speaker, nominal.kind == .nominal, lexicon.plainSpeech.contains(keys[c]),
            let wider = clauseOpening(before: c), wider.first < nominal.first
        {
            speaker = wider
        }
        // "…, Tulsa, Oklahoma, arguing that …": a participle after a comma has no appositive subject.
        if speaker != nil, endsWithIng(c), c >= 1, isComma(c - 1) { speaker = nil }
        var inverted = false
        var adjacent = speaker != nil
        // "…, saying he …" is a participle clause, not an inversion: only a finite verb comes before its speaker.
        if speaker == nil, cue.speech, !endsWithIng(c), c + 1 < tokens.count, c - 1 >= 0,
            isComma(c - 1) || isClosingMark(c - 1)
                || (c - 2 >= 0 && tokens[c - 1].kind == .punctuation && isClosingMark(c - 2))
        {
            // "…,” said Hester." — the speaker after the verb.
            if let after = noun(at: c + 1, limit: min(tokens.count - 1, c + 8)) ?? describedName(after: c) {
                speaker = after
                inverted = true
                adjacent = true
            }
        }
        if speaker == nil {
            // "Blinken dodged and said, …", "…, adding that …": the clause's subject speaks.
            var j = c - 1
            while j >= 0, isWord(j), lexicon.skippable.contains(keys[j]), c - j < 4 { j -= 1 }
            let coordinated = j >= 0 && (keys[j] == lexicon.and || keys[j] == lexicon.but)
            // "“…,” he said, adding …": a participle right after a quotation that broke off at a comma.
            let afterQuotation = j >= 1 && isClosingMark(j) && markStart(j) >= 1 && isComma(markStart(j) - 1)
            // "began by saying …", "while praising …": a participle after a preposition shares the clause's subject.
            // (A verb of saying after any of them; another only after "by", "while", "in": "in advocating …".)
            let governed = j >= 1 && j == c - 1 && isWord(j) && lexicon.participlePrepositions.contains(keys[j])
                && (cue.speech || lexicon.mannerPrepositions.contains(keys[j]))
            let participle = endsWithIng(c) && j >= 0 && (isComma(j) || coordinated || afterQuotation || governed)
            if participle, scan.previousCue >= 0, scan.previousCue < c, tokens[scan.previousCue].sentence == sentence,
                let previous = scan.previousSpeaker
            {
                // "Peskov said …, adding that …": the participle's subject is the earlier cue's speaker.
                speaker = previous
            } else if coordinated, j >= 2, isWord(j - 1), !isCapitalised(j - 1),
                isPastTense(j - 1) || lexicon.cues[keys[j - 1]] != nil,
                let near = subject(before: j - 1), near.kind == .name || near.kind == .pronoun, near.last == j - 2
            {
                // "…, I laughed and said", "Blinken dodged and said": the subject of the verb before "and".
                speaker = near
            } else if coordinated || participle {
                speaker = clauseSubject(sentence, before: c)
            }
        }
        if speaker == nil, lexicon.plainSpeech.contains(keys[c]) {
            // "Experts on North Korea said …": whatever noun phrase opens the clause says it.
            speaker = clauseOpening(before: c)
            adjacent = speaker != nil
        }
        if speaker == nil, !endsWithIng(c) {
            // "the country involved was determined to …": a passive's subject is its content, whatever it is.
            speaker = passiveSubject(before: c, after: lastEnd)
            adjacent = speaker != nil
        }
        // "Mr. Obama, who understood that …, told his advisers …": the subject before a relative clause whose
        // own cue was the last quote speaks the main clause.
        // Likewise a subject before any quote inside its apposition ("X, who runs Clinton’s effort for …, said").
        let beforeRelative = speaker.map { $0.last < scan.previousStart && isComma(c - 1) } == true
            || (scan.previousSpeaker.map { $0.kind == .relative } == true
                && speaker.map { $0.last < scan.previousSpeaker!.first } == true)
        guard let speaker, speaker.first > lastEnd || inverted || !adjacent || beforeRelative else { return nil }
        // "cities like New York": "like" is a verb only after a pronoun ("they like …").
        if lexicon.prepositionalCues.contains(keys[c]), speaker.kind != .pronoun { return nil }
        // "member states", "the states": "states" reports only before "that", a colon or a quotation.
        if keys[c] == lexicon.states, !inverted, c + 1 < tokens.count,
            !(isWord(c + 1) && keys[c + 1] == lexicon.that), !isPunctuation(c + 1, ":"), !isOpeningMark(c + 1),
            !isComma(c + 1)
        {
            return nil
        }
        // "the McKinley plan", "a government show": a base form right after a singular noun phrase that opens
        // with a determiner is a noun ("aides to Mr. Obama say" is not such a phrase).
        if !inverted, speaker.last == c - 1, speaker.kind == .name || speaker.kind == .nominal,
            lexicon.baseForms.contains(keys[c]), lexicon.singularDeterminers.contains(keys[speaker.first]),
            isSingular(speaker.last)
        {
            return nil
        }
        // "85 percent support among voters", "Republican support was": a base or "-s" form before "among", "of"
        // or a verb is a noun; so is one after a possessive before a colon, a label ("Editor’s note:"). (PolNeAR
        // does count "Clinton’s plan would …" as an attribution: the possessor is its source.)
        if !inverted, !isPastTense(c), !endsWithIng(c), lexicon.baseForms.contains(keys[c]) || endsWithS(c),
            c + 1 < tokens.count
        {
            let possessed = speaker.last == c - 1 && isPossessive(c - 1)
            if possessed, isPunctuation(c + 1, ":") { return nil }
            if !possessed, isWord(c + 1), lexicon.nounFollowers.contains(keys[c + 1]) { return nil }
            // "county reports show", "the claims say": an "-s" form right before a verb of saying is its subject.
            if endsWithS(c), speaker.kind != .pronoun, lexicon.cues[keys[c]] != nil, isWord(c + 1), !isCapitalised(c + 1),
                lexicon.cues[keys[c + 1]] != nil
            {
                return nil
            }
        }
        let beforeSpeaker = inverted ? c - 1 : subjectStart(speaker) - 1
        let afterCue = inverted ? speaker.last + 1 : c + 1

        // "did not respond to …", "has not said when …": a negated cue still reports (PolNeAR annotates
        // these), but only with a real object ("did not comment directly" reports nothing).
        var negated = false
        var n = c - 1
        while n >= 0, n >= c - 3, isWord(n), lexicon.skippable.contains(keys[n]) {
            if lexicon.negations.contains(keys[n]) {
                // "can’t say when …" is rather what a later cue reports.
                if lexicon.modalNegations.contains(keys[n]) { return nil }
                negated = true
            }
            n -= 1
        }
        var candidate: Candidate?
        // "…, the footage showed.", "…, experts believe.": a plain report verb ending its sentence may also end
        // its content.
        let finalReport = cue.speech
            || (lexicon.plainSpeech.contains(keys[c]) && afterCue < tokens.count && isPunctuation(afterCue, "."))
        if finalReport, adjacent, beforeSpeaker >= 0,
            isClosingMark(beforeSpeaker) || isComma(beforeSpeaker) || isDash(beforeSpeaker),
            endsClause(afterCue, sentence: sentence) || brokenOff(beforeSpeaker)
        {
            if var content = contentBefore(beforeSpeaker, after: lastEnd, speakerFirst: speaker.first),
                // "In one tweet Friday, Trump said, “…”": an opening adverbial is not what was said; "However,
                // growth slowed, the IMF said" holds a clause after it, "But the plan is …" is a clause.
                segmentEnding(content.last) != nil || !lexicon.openers.contains(keys[content.first])
                    || isCapitalised(content.first) == false
                    || clauseAfterOpener(&content.first, last: content.last),
                // "In an interview on CBS’s “Face the Nation,” Ryan said …": a title inside an adverbial.
                !isEmbeddedTitle(content.first)
            {
                candidate = Candidate(first: content.first, last: content.last, kind: nil, speaker: speaker)
                // "Acts of protest, Mr. Obama said, are acts of patriotism": the content goes on after it, also
                // after an adjunct ("These employees, Stumpf explained earlier in the hearing, were well paid").
                var comma = inverted ? speaker.last + 1 : c + 1
                if comma < tokens.count, !isComma(comma), isWord(comma), lexicon.adjuncts.contains(keys[comma]) {
                    var k = comma + 1
                    while k < tokens.count, k - comma < 8, tokens[k].sentence == sentence,
                        (isWord(k) && lexicon.cues[keys[k]] == nil && !lexicon.boundaries.contains(keys[k])
                            || tokens[k].kind == .number || isPunctuation(k, "."))
                    {
                        k += 1
                    }
                    if k < tokens.count, isComma(k) { comma = k }
                }
                if segmentEnding(content.last) == nil, comma + 1 < tokens.count, isComma(comma),
                    tokens[comma + 1].sentence == sentence, isWord(comma + 1), !endsWithIng(comma + 1),
                    let rest = contentAfter(comma + 1, sentence: sentence)
                {
                    candidate?.last = rest.last
                }
            }
        }
        // "She continued, “…”": a cue otherwise only after its content may introduce a quotation.
        let introduces = afterCue + 1 < tokens.count && (isComma(afterCue) || isPunctuation(afterCue, ":"))
            && (isOpeningMark(afterCue + 1) || paragraph(of: afterCue + 1) != paragraph(of: afterCue))
        if candidate == nil, !inverted, !lexicon.leftOnly.contains(keys[c]) || introduces {
            var k = afterCue
            let last = sentenceLast[sentence]
            while k <= last, isComma(k) || isPunctuation(k, ":") || keys[k] == lexicon.that { k += 1 }
            let opener = subjectStart(speaker) - 1
            let subordinate = opener >= 0 && isWord(opener) && lexicon.subordinators.contains(keys[opener])
            if k == last + 1, k == afterCue + 1, k < tokens.count, isPunctuation(afterCue, ":"), !isOpeningMark(k),
                paragraph(of: k) == paragraph(of: c) + 1
            {
                // "The governor added:" closing a paragraph: the next paragraph is what was said.
                var end = k
                while end + 1 < tokens.count, paragraph(of: end + 1) == paragraph(of: k) { end += 1 }
                candidate = Candidate(first: k, last: end, kind: nil, speaker: speaker)
            } else if k <= last || (k < tokens.count && isOpeningMark(k)),
                let content = contentAfter(k, sentence: sentence, stopAtComma: subordinate,
                                           relativeClause: speaker.kind == .relative)
            {
                candidate = Candidate(first: content.first, last: content.last, kind: nil, speaker: speaker)
                // "told the US President: “We will meet.”" — the quotation alone is the content.
                if let segment = segmentEnding(content.last), segments[segment].open > content.first,
                    segments[segment].open - 1 >= content.first, isPunctuation(segments[segment].open - 1, ":")
                {
                    candidate?.first = segments[segment].open
                }
            }
        }
        guard var candidate else { return nil }
        // "… said at a briefing Monday before the vote.", "said Friday as he entered the talks", "said when she
        // resigned": an adjunct after a verb of saying is not what was said.
        if cue.speech, !negated, candidate.first > c, isAdjunctOnly(candidate.first, last: candidate.last) { return nil }
        // A short object after "said" is not what was said ("said so", "said it"), nor a lone particle ("wrote in").
        let contentWords = wordsBefore[candidate.last + 1] - wordsBefore[candidate.first]
        if contentWords < 1 { return nil }
        if contentWords == 1, candidate.first > c, isWord(candidate.first), lexicon.verbParticles.contains(keys[candidate.first]) {
            return nil
        }
        // "didn't suggest retaliation" reports; "did not comment directly", "do not threaten anyone" do not.
        if negated, candidate.first > c,
            isAdverb(candidate.first) || !isWord(candidate.first)
                || (wordsBefore[candidate.last + 1] - wordsBefore[candidate.first] == 1
                    && lexicon.indefinites.contains(keys[candidate.first]))
        {
            return nil
        }
        candidate.cueFirst = c
        candidate.cueLast = c
        if !inverted, isPassive(c, after: speaker.last) {
            // "Mr. Quiros was accused of …": the subject is not the source; none is named. What the passive
            // reports is the whole clause, its subject included ("peacekeepers have been accused of …").
            candidate.speaker = nil
            if candidate.first > c {
                candidate.first = max(subjectStart(speaker), lastEnd + 1)
                // "When the diagnosis was confirmed, Clinton …": nothing after it, the clause alone.
                if c + 1 < tokens.count, isClauseEnd(c + 1) { candidate.last = c }
            }
        }
        return candidate
    }

    /// The subject of a passive cue ("was determined", "have been accused"): back from the auxiliaries (one a
    /// form of "be") to the clause's start. Only the cue lists' participles, not any "-ed" word.
    private func passiveSubject(before c: Int, after lastEnd: Int) -> Hit? {
        guard lexicon.cues[keys[c]] != nil || lexicon.passiveCues.contains(keys[c]) else { return nil }
        let first = sentenceFirst[tokens[c].sentence]
        var k = c - 1
        var be = false
        while k >= first, c - k <= 5, isWord(k), lexicon.skippable.contains(keys[k]) || isAdverb(k) {
            if lexicon.beForms.contains(keys[k]) { be = true }
            k -= 1
        }
        guard be, k >= first, k > lastEnd, isWord(k) || tokens[k].kind == .number,
            !lexicon.skippable.contains(keys[k]), keys[k] != lexicon.it
        else { return nil }
        var start = k
        while start - 1 >= first, start - 1 > lastEnd, k - start < 20 {
            let p = start - 1
            if isClauseEnd(p) || isDash(p) || isDoubleMark(p) { break }
            if isWord(p), keys[p] == lexicon.that || lexicon.relatives.contains(keys[p])
                || lexicon.subordinators.contains(keys[p]) || lexicon.clauseVerbs.contains(keys[p])
                || lexicon.cues[keys[p]] != nil && !isCapitalised(p)
            {
                break
            }
            start = p
        }
        guard k - start < 20 else { return nil }
        return Hit(first: start, last: k, kind: .nominal)
    }

    /// A stance adjective after a form of "be" and before its complement: "are afraid that", "has been critical
    /// of", "were coy about", "is eager to"; not after an impersonal "it" ("it is clear that").
    private func isPredicativeStance(_ i: Int) -> Bool {
        guard i >= 2, i + 1 < tokens.count, isWord(i + 1), tokens[i + 1].sentence == tokens[i].sentence,
            lexicon.stanceComplements.contains(keys[i + 1])
                || (keys[i + 1] == lexicon.to && lexicon.stanceWithInfinitive.contains(keys[i]))
        else { return false }
        var k = i - 1
        while k >= 1, i - k < 4, isWord(k), !lexicon.beForms.contains(keys[k]),
            isAdverb(k) || lexicon.degreeWords.contains(keys[k]) || lexicon.negations.contains(keys[k])
        {
            k -= 1
        }
        // "they’re worried that": a pronoun contracted with "be" is both the subject and the verb.
        if isWord(k), lexicon.contractedBe.contains(keys[k]) { return true }
        guard isWord(k), lexicon.beForms.contains(keys[k]) else { return false }
        var subject = k - 1
        while subject >= 0, isWord(subject), lexicon.skippable.contains(keys[subject]), k - subject < 4 { subject -= 1 }
        return subject >= 0 && !(isWord(subject) && keys[subject] == lexicon.it)
    }

    /// Content opening with a capitalised opener ("However", "In …", "But"): whether a clause remains. A
    /// conjunction ("But the plan is …") opens the clause itself; otherwise the clause starts after the
    /// opener's comma ("However, growth slowed"), and `first` moves there.
    private func clauseAfterOpener(_ first: inout Int, last: Int) -> Bool {
        if lexicon.conjunctionOpeners.contains(keys[first]), first + 1 <= last, !isComma(first + 1) { return true }
        var comma = first + 1
        while comma < last, comma - first < 25, !isComma(comma) {
            if isDoubleMark(comma) { return false }
            comma += 1
        }
        guard comma < last, isComma(comma), wordsBefore[last + 1] - wordsBefore[comma + 1] >= 3 else { return false }
        first = comma + 1
        return true
    }

    /// Whether the head word at `i` is singular: it does not end in "s" and is not a plural like "people".
    private func isSingular(_ i: Int) -> Bool {
        guard isWord(i) || tokens[i].kind == .number else { return false }
        let last = s[tokens[i].end - 1]
        return last != "s" && last != "S" && !lexicon.pluralWithoutS.contains(keys[i])
    }

    /// A noun of saying or stance with a possessor before it and its complement after it: "his claim that …",
    /// "Nervo’s conclusion that …", "the president’s eagerness to …", "his infamous comment about …".
    private func possessedNounCue(_ i: Int, after lastEnd: Int) -> Candidate? {
        let sentence = tokens[i].sentence
        guard i + 2 <= sentenceLast[sentence], isWord(i + 1), lexicon.nounComplements.contains(keys[i + 1]) else {
            return nil
        }
        // "his decision to leave": "to" only after a noun of intention and before a verb, not "to the group".
        if keys[i + 1] == lexicon.to {
            guard lexicon.intentionNouns.contains(keys[i]), isWord(i + 2), !isCapitalised(i + 2),
                !lexicon.determiners.contains(keys[i + 2]), !lexicon.possessivePronouns.contains(keys[i + 2]),
                !lexicon.objectPronouns.contains(keys[i + 2])
            else { return nil }
        }
        var j = i - 1
        let first = sentenceFirst[sentence]
        // Up to two modifiers: "his own plan", "a tacit acknowledgment".
        while j >= first, i - j <= 2, isWord(j), !isCapitalised(j), !isPossessive(j),
            !lexicon.possessivePronouns.contains(keys[j]), !lexicon.boundaries.contains(keys[j]),
            !lexicon.determiners.contains(keys[j]), !lexicon.titlePrepositions.contains(keys[j]),
            lexicon.cues[keys[j]] == nil
        {
            j -= 1
        }
        guard j >= first, j > lastEnd, isWord(j) else { return nil }
        let speaker: Hit
        if lexicon.possessivePronouns.contains(keys[j]) {
            speaker = Hit(first: j, last: j, kind: .pronoun)
        } else if isPossessive(j) {
            if isNameWord(j) {
                speaker = Hit(first: nameStart(j, lowerBound: first), last: j, kind: .name)
            } else {
                speaker = Hit(first: nominalStart(j, lowerBound: first), last: j, kind: .nominal)
            }
        } else {
            return nil
        }
        var k = i + 1
        if keys[k] == lexicon.that { k += 1 }
        // The noun phrase is usually a subject: its content stops at a comma, leaving a final attribution free.
        guard k <= sentenceLast[sentence], let content = contentAfter(k, sentence: sentence, stopAtComma: true) else {
            return nil
        }
        var candidate = Candidate(first: content.first, last: content.last, kind: nil, speaker: speaker)
        candidate.cueFirst = i
        candidate.cueLast = i
        return candidate
    }

    /// A word ending in "'s" or "’s": "Obama’s", "government's".
    private func isPossessive(_ i: Int) -> Bool {
        let token = tokens[i]
        guard token.kind == .word, token.end - token.start >= 3, !lexicon.pronouns.contains(keys[i]),
            keys[i] != lexicon.itIs
        else { return false }
        return s[token.end - 1] == "s" && (s[token.end - 2] == "'" || s[token.end - 2] == "’")
    }

    /// A sentence opening with a cue participle: "Citing a report, Ms. Lund said …", "Bemoaning the vote,
    /// Trump …". The words up to the comma are the content, the subject after it the speaker.
    private func participleOpening(_ i: Int) -> Candidate? {
        guard isWord(i), i == sentenceFirst[tokens[i].sentence], isCapitalised(i), endsWithIng(i),
            keys[i] != lexicon.according
        else { return nil }
        let last = sentenceLast[tokens[i].sentence]
        var comma = i + 1
        while comma < last, comma - i < 25, !isComma(comma), !isDoubleMark(comma), !isDash(comma) { comma += 1 }
        guard comma < last, isComma(comma), wordsBefore[comma] - wordsBefore[i + 1] >= 1,
            let speaker = noun(at: comma + 1, limit: min(last, comma + 10)),
            speaker.kind != .pronoun || keys[speaker.first] != lexicon.it
        else { return nil }
        var candidate = Candidate(first: i + 1, last: comma - 1, kind: nil, speaker: speaker)
        candidate.cueFirst = i
        candidate.cueLast = i
        return candidate
    }

    /// "…,” said 9/11 widow Ann Ruiz": a name after a short lowercase or numeric description, after the cue.
    private func describedName(after c: Int) -> Hit? {
        let sentence = tokens[c].sentence
        var k = c + 1
        while k < tokens.count, k - c <= 5, tokens[k].sentence == sentence,
            (isWord(k) && !isCapitalised(k) && !lexicon.boundaries.contains(keys[k]) && lexicon.cues[keys[k]] == nil
                && !lexicon.pronouns.contains(keys[k]) && !lexicon.adjuncts.contains(keys[k])
                && !lexicon.titlePrepositions.contains(keys[k]) && !lexicon.objectPronouns.contains(keys[k]))
                || tokens[k].kind == .number || isPunctuation(k, "/") || isPunctuation(k, "-")
        {
            k += 1
        }
        guard k > c + 1, k < tokens.count, tokens[k].sentence == sentence, isNameWord(k) else { return nil }
        var last = k
        while last + 1 < tokens.count, last - k < 4, isNameWord(last + 1) { last += 1 }
        return Hit(first: k, last: last, kind: .name)
    }

    /// A passive cue with its agent: "X was first reported by The Washington Post", "X has been endorsed by
    /// dozens of papers". The agent after "by" is the source, the subject before the auxiliaries the content.
    private func passiveWithAgent(_ c: Int, after lastEnd: Int) -> Candidate? {
        guard lexicon.cues[keys[c]] != nil || lexicon.passiveCues.contains(keys[c]), !endsWithIng(c),
            c >= 2, c + 2 < tokens.count
        else { return nil }
        let sentence = tokens[c].sentence
        let first = sentenceFirst[sentence]
        // Auxiliaries and adverbs before the participle, at least one form of "be" among them.
        var k = c - 1
        var be = false
        while k >= first, c - k <= 5, isWord(k), lexicon.skippable.contains(keys[k]) || isAdverb(k) {
            if lexicon.beForms.contains(keys[k]) { be = true }
            k -= 1
        }
        guard be, k >= first, k > lastEnd, isWord(k) || tokens[k].kind == .number || isClosingMark(k) else { return nil }
        // "by" and its agent right after the participle (an adverb or time adjunct may come between).
        var by = c + 1
        while by < tokens.count, by - c <= 3, isWord(by), isAdverb(by) || lexicon.weekdays.contains(keys[by]) { by += 1 }
        guard by + 1 <= sentenceLast[sentence], isWord(by), keys[by] == lexicon.by, isWord(by + 1) else { return nil }
        var agentLast = by + 1
        while agentLast + 1 <= sentenceLast[sentence], agentLast - by < 10, isWord(agentLast + 1) || tokens[agentLast + 1].kind == .number
            || (isPunctuation(agentLast + 1, ".") && lexicon.titleAbbreviations.contains(keys[agentLast]))
        {
            agentLast += 1
        }
        let agent = noun(at: by + 1, limit: agentLast) ?? Hit(first: by + 1, last: agentLast, kind: .nominal)
        guard agent.kind != .pronoun || keys[agent.first] != lexicon.it else { return nil }
        // The subject: back to the clause's start (the sentence's start, a comma, "that", "which", "who").
        var start = k
        while start - 1 >= first, start - 1 > lastEnd, k - start < 20 {
            let p = start - 1
            if isClauseEnd(p) || isDash(p) || isDoubleMark(p) { break }
            if isWord(p), keys[p] == lexicon.that || lexicon.relatives.contains(keys[p]) || lexicon.subordinators.contains(keys[p]) { break }
            start = p
        }
        guard k - start < 20, wordsBefore[k + 1] - wordsBefore[start] >= 1 else { return nil }
        var candidate = Candidate(first: start, last: k, kind: nil, speaker: agent)
        candidate.cueFirst = c
        candidate.cueLast = c
        return candidate
    }

    /// "spoke about", "talked out of turn of": a verb of talking whose topic follows after "about" or "of".
    private func topicFollows(_ i: Int) -> Bool {
        var k = i + 1
        let sentence = tokens[i].sentence
        while k < tokens.count, k - i < 5, tokens[k].sentence == sentence, isWord(k) {
            if lexicon.skippable.contains(keys[k]) || isAdverb(k) || lexicon.particles.contains(keys[k])
                || lexicon.weekdays.contains(keys[k])
            {
                k += 1
            } else if lexicon.timeLeads.contains(keys[k]), k + 1 < tokens.count, isWord(k + 1),
                lexicon.weekdays.contains(keys[k + 1]) || lexicon.timeNouns.contains(keys[k + 1])
            {
                k += 2  // "spoke out on Tuesday about"
            } else {
                break
            }
        }
        return k < tokens.count && tokens[k].sentence == sentence && isWord(k) && lexicon.topicPrepositions.contains(keys[k])
    }

    /// Skips a time adjunct ending at `j` ("on Friday", "in April", "in 2001", "this week", "Tuesday"): the index
    /// before it, or `j` when there is none.
    private func beforeTimeAdjunct(_ j: Int, lowerBound: Int) -> Int {
        guard j > lowerBound else { return j }
        var needsLead = false
        if tokens[j].kind == .number {
            needsLead = true
        } else if isWord(j), lexicon.weekdays.contains(keys[j]) {
            needsLead = false
        } else if isWord(j), lexicon.timeNouns.contains(keys[j]) {
            needsLead = true
        } else {
            return j
        }
        let k = j - 1
        if isWord(k), lexicon.timeLeads.contains(keys[k]) { return k - 1 }
        return needsLead ? j : k
    }

    /// A past participle after a form of "be" between the subject and `c`: "was accused", "has been criticized".
    private func isPassive(_ c: Int, after subjectLast: Int) -> Bool {
        guard subjectLast < c - 1, !lexicon.stanceAdjectives.contains(keys[c]) else { return false }
        // Only the auxiliaries and adverbs right before the verb ("… and was accused", not "… was there and said").
        var be = false
        var k = c - 1
        while k > subjectLast, c - k <= 4, isWord(k), lexicon.skippable.contains(keys[k]) || isAdverb(k) {
            if lexicon.beForms.contains(keys[k]) { be = true }
            k -= 1
        }
        guard be else { return false }
        let token = tokens[c]
        guard token.end - token.start >= 4 else { return false }
        let last = s[token.end - 1]
        let before = s[token.end - 2]
        return (before == "e" && (last == "d" || last == "n")) || lexicon.irregularParticiples.contains(keys[c])
    }

    /// A lowercase word ending in "ed" that is not an auxiliary: a likely past-tense verb.
    private func isPastTense(_ i: Int) -> Bool {
        let token = tokens[i]
        // The ending first: most words fail it, and it costs less than the two look-ups.
        guard token.end - token.start > 4, s[token.end - 2] == "e", s[token.end - 1] == "d", !isCapitalised(i)
        else { return false }
        return !lexicon.skippable.contains(keys[i]) && !lexicon.nonVerbs.contains(keys[i])
    }

    /// A lowercase word ending in a single "s" right after "he", "she" or "it": "she wants", "he supports".
    private func isPresentThirdPerson(_ i: Int) -> Bool {
        let token = tokens[i]
        // "he"/"she" before it first: most words fail that, and it costs less than the look-up.
        guard i >= 1, token.end - token.start > 3, isWord(i - 1), keys[i - 1] == lexicon.he || keys[i - 1] == lexicon.she,
            !isCapitalised(i), !lexicon.skippable.contains(keys[i])
        else { return false }
        return s[token.end - 1] == "s" && s[token.end - 2] != "s" && s[token.end - 2] != "'" && s[token.end - 2] != "’"
    }

    /// A quotation opening at `open` right after a preposition or a possessive ("on “Face the Nation,”",
    /// "CBS’s “Face the Nation,”") within its sentence: a title, not what was said.
    private func isEmbeddedTitle(_ open: Int) -> Bool {
        guard isOpeningMark(open), open >= 1, tokens[open - 1].sentence == tokens[open].sentence else { return false }
        let p = open - 1
        if isWord(p), lexicon.titlePrepositions.contains(keys[p]) { return true }
        let token = tokens[p]
        guard token.kind == .word, token.end - token.start >= 2 else { return false }
        let last = s[token.end - 1]
        let apostrophe = s[token.end - 2]
        return last == "s" && (apostrophe == "'" || apostrophe == "’")
    }

    /// A "-" with words right on both sides of it: "campaign-finance".
    @inline(__always) func isJoiningHyphen(_ i: Int) -> Bool {
        guard i >= 1, i + 1 < tokens.count, isPunctuation(i, "-") else { return false }
        return tokens[i - 1].end == tokens[i].start && tokens[i].end == tokens[i + 1].start && isWord(i - 1)
            && isWord(i + 1)
    }

    /// The object of a causative verb ending at `k` ("prompted the mayor", "led Sen. Jon Tester"), when such a
    /// verb comes at most 12 tokens before it with a noun phrase between.
    private func causedSubject(endingAt k: Int) -> Hit? {
        guard isWord(k) || isPunctuation(k, ")") else { return nil }
        let lowerBound = sentenceFirst[tokens[k].sentence]
        var m = k
        while m >= lowerBound, k - m < 12 {
            if isWord(m), !isCapitalised(m), lexicon.causatives.contains(keys[m]) { break }
            if isComma(m) || isClauseEnd(m) || isDoubleMark(m) || isDash(m) { return nil }
            if isWord(m), lexicon.boundaries.contains(keys[m]) || lexicon.cues[keys[m]] != nil && !isCapitalised(m) {
                return nil
            }
            m -= 1
        }
        guard m >= lowerBound, m < k, isWord(m), lexicon.causatives.contains(keys[m]) else { return nil }
        if m + 1 == k, isWord(k), lexicon.objectPronouns.contains(keys[k]) { return Hit(first: k, last: k, kind: .pronoun) }
        if let np = noun(at: m + 1, limit: k), np.last == k || isPunctuation(k, ")") { return np }
        return nil
    }

    /// Content that is only an adjunct: it opens with "when" or "while" ("when she resigned"), or with a time word
    /// and a subordinator ("Friday as he entered the talks"). ("said after the vote he would …" goes on to a
    /// clause, and "described as", "said because …" report; those stay.)
    private func isAdjunctOnly(_ first: Int, last: Int) -> Bool {
        guard isWord(first) else { return false }
        if lexicon.adjunctOpeners.contains(keys[first]) { return true }
        guard lexicon.weekdays.contains(keys[first]), first + 1 <= last, isWord(first + 1) else { return false }
        return lexicon.adjunctSubordinators.contains(keys[first + 1])
    }

    /// A time adjunct opening at `k` ("in 2017", "in late August", "on Tuesday").
    private func startsTimeAdjunct(_ k: Int) -> Bool {
        var n = k + 1
        if n < tokens.count, isWord(n), lexicon.timeLeads.contains(keys[n]) { n += 1 }
        guard n < tokens.count else { return false }
        return tokens[n].kind == .number
            || (isWord(n) && (lexicon.timeNouns.contains(keys[n]) || lexicon.weekdays.contains(keys[n])))
    }

    /// Whether "that" comes within `count` tokens from `k`, in the same sentence.
    private func thatFollows(_ k: Int, within count: Int) -> Bool {
        guard k < tokens.count else { return false }
        let last = min(sentenceLast[tokens[k].sentence], k + count - 1)
        var n = k
        while n <= last {
            if isWord(n), keys[n] == lexicon.that { return true }
            n += 1
        }
        return false
    }

    /// A single capital letter before a period: the middle initial in "Elijah E. Cummings".
    @inline(__always) func isInitial(_ i: Int) -> Bool {
        let token = tokens[i]
        guard token.kind == .word, token.end - token.start == 1, i + 1 < tokens.count, isPunctuation(i + 1, ".") else {
            return false
        }
        let value = s[token.start].value
        return value >= 0x41 && value <= 0x5A
    }

    /// A lowercase "-ly" word: "forcefully told".
    private func isAdverb(_ i: Int) -> Bool {
        let token = tokens[i]
        guard token.end - token.start > 4, !isCapitalised(i) else { return false }
        return s[token.end - 2] == "l" && s[token.end - 1] == "y"
    }

    private func endsWithS(_ i: Int) -> Bool {
        let token = tokens[i]
        return token.end - token.start > 2 && s[token.end - 1] == "s" && s[token.end - 2] != "s"
    }

    private func endsWithIng(_ i: Int) -> Bool {
        let token = tokens[i]
        guard token.end - token.start > 4 else { return false }
        return s[token.end - 3] == "i" && s[token.end - 2] == "n" && s[token.end - 1] == "g"
    }

    /// Where the subject holding `speaker` starts: "White House press secretary Josh Earnest", "Tulsa police
    /// Chief Chuck Jordan" (the speaker is the name; what is before it decides where its content is).
    private func subjectStart(_ speaker: Hit) -> Int {
        var f = speaker.first
        let lowerBound = max(0, sentenceFirst[tokens[speaker.first].sentence])
        while f - 1 >= lowerBound, speaker.first - f < 6 {
            var p = f - 1
            if isJoiningHyphen(p), p - 1 >= lowerBound { p -= 1 }
            guard isWord(p) else { break }
            let key = keys[p]
            guard isNameWord(p) || lexicon.speakerNouns.contains(key) || lexicon.titles.contains(key)
                || lexicon.determiners.contains(key)
            else { break }
            f = p
        }
        return f
    }

    /// Whether what follows a final cue closes the clause: "said.", "said,", "said on Tuesday."
    private func endsClause(_ k: Int, sentence: Int) -> Bool {
        guard k < tokens.count, k <= sentenceLast[sentence] else { return true }
        // "said, “…”" and "said: “…”" introduce what follows.
        if isComma(k) || isPunctuation(k, ":"), k + 1 < tokens.count, isOpeningMark(k + 1) { return false }
        if isClauseEnd(k) || isDash(k) || tokens[k].kind == .closingQuote { return true }
        if isOpeningMark(k) { return false }
        return isWord(k) && lexicon.adjuncts.contains(keys[k])
    }

    /// The segment whose closing mark (or last token) is `i`, if any.
    private func segmentEnding(_ i: Int) -> Int? {
        guard i >= 0, segmentOf[i] >= 0 else { return nil }
        let index = Int(segmentOf[i])
        return segments[index].last == i ? index : nil
    }

    /// Whether a quotation closes at `i` (or just before the comma at `i`) in mid-sentence: “…,” he said.
    /// The first token of a quotation mark ending at `i` (a '' pair is two tokens).
    func markStart(_ i: Int) -> Int {
        i >= 1 && doubleApostrophe[i] && doubleApostrophe[i - 1] && tokens[i - 1].end == tokens[i].start ? i - 1 : i
    }

    private func brokenOff(_ i: Int) -> Bool {
        var mark = i
        if isComma(mark), mark >= 1 { mark -= 1 }
        guard isClosingMark(mark), markStart(mark) >= 1 else { return false }
        let end = mark
        mark = markStart(mark) + (end == i ? 0 : 0)
        return isComma(mark - 1) || isPunctuation(mark - 1, "?") || isPunctuation(mark - 1, "!") || isDash(mark - 1)
            || end != i
    }

    /// Content that ends just before `boundary` (a comma, dash or closing mark before the speaker).
    private func contentBefore(_ boundary: Int, after lastEnd: Int, speakerFirst: Int = -1) -> (first: Int, last: Int)? {
        var last = boundary
        if !isClosingMark(last) { last -= 1 }
        while last >= 0, isComma(last) || isDash(last) { last -= 1 }
        guard last >= 0 else { return nil }
        var first: Int
        if let segment = segmentEnding(last) {
            guard segments[segment].open > lastEnd else { return nil }
            first = segments[segment].open
            // "… a clear message that a top priority “is increasing the tax liability,” Mr. Kamin said": a
            // quotation opening in lowercase mid-sentence is a fragment of the sentence the speaker is quoted in.
            let open = first
            let sentenceStart = sentenceFirst[tokens[open].sentence]
            var word = open + 1
            if word <= last, doubleApostrophe[open], doubleApostrophe[word] { word += 1 }
            if sentenceStart < open, sentenceStart > lastEnd, open - sentenceStart < 80, word <= last, isWord(word),
                !isCapitalised(word), (sentenceStart..<open).allSatisfy({ segmentOf[$0] < 0 })
            {
                first = sentenceStart
            }
        } else {
            first = sentenceFirst[tokens[last].sentence]
            if segmentOf[first] >= 0 { first = min(first, segments[Int(segmentOf[first])].open) }
        }
        // A short sentence may hold an earlier quote ("… after Biden told Putin that …, the State Department
        // announced."): the final attribution still covers the whole sentence. A long one is cut at the earlier
        // quote, which keeps the work per cue bounded.
        if first <= lastEnd, last - first > 120 || scan.previousSpeakerFirst == first { first = lastEnd + 1 }
        guard first <= last else { return nil }
        return (first, last)
    }

    /// Content from `first` to the end of the sentence, carried on through any quotation that runs past it.
    private func contentAfter(_ first: Int, sentence: Int, stopAtComma: Bool = false, relativeClause: Bool = false)
        -> (first: Int, last: Int)?
    {
        guard first < tokens.count else { return nil }
        var last = max(sentenceLast[sentence], first)
        // Within the sentence, outside quotation marks, the content stops before a coordinated cue
        // ("…, and said …"), a final attribution ("…, the State Department announced.") and a ";".
        var k = first
        while k < last {
            defer { k += 1 }
            // "… on women: “Parallel to …,” the union wrote.": a quotation with a final attribution of its own.
            if k > first, isOpeningMark(k), wordsBefore[k] - wordsBefore[first] >= 3, segments[Int(segmentOf[k])].closed,
                laterAttribution(after: segments[Int(segmentOf[k])].last) != nil
            {
                last = k - 1
                break
            }
            guard segmentOf[k] < 0 else { continue }
            // "…, while chanting, “…”", "… by saying …": a governed participle reports a quote of its own.
            if classOf[k] & QuoteLexicon.WordClass.governing != 0, k > first, k + 1 <= last, isWord(k + 1),
                lexicon.reportingParticiples.contains(keys[k + 1])
            {
                last = k - 1
                break
            }
            if isPunctuation(k, ";") {
                last = k - 1
                break
            }
            if classOf[k] & QuoteLexicon.WordClass.clauseLink != 0, clauseWithCue(after: k, limit: last) {
                last = k - 1
                break
            }
            // "“…,” he said, adding …": a participle after a quotation reports a quote of its own.
            if k > first, isWord(k), endsWithIng(k), !isCapitalised(k), lexicon.cues[keys[k]] != nil,
                isClosingMark(k - 1), markStart(k - 1) >= 1, isComma(markStart(k - 1) - 1)
            {
                last = k - 1
                break
            }
            if stopAtComma, isComma(k), k > first {
                last = k - 1
                break
            }
            // "X, who argued that …, said …": the relative clause ends at the comma before the main verb.
            if relativeClause, isComma(k), k > first {
                var v = k + 1
                while v < last, v - k < 4, isWord(v), lexicon.skippable.contains(keys[v]) || isAdverb(v) { v += 1 }
                if v <= last, isWord(v), !isCapitalised(v), lexicon.cues[keys[v]] != nil || isPastTense(v) {
                    last = k - 1
                    break
                }
            }
            if isComma(k) || isDash(k) {
                if k + 1 <= last, isWord(k + 1), keys[k + 1] == lexicon.according {
                    last = k - 1
                    break
                }
                // "…, saying …", "…, adding that …": the participle reports a quote of its own.
                var p = k + 1
                while p < last, p - k < 3, isWord(p), lexicon.skippable.contains(keys[p]) || isAdverb(p) { p += 1 }
                if isComma(k), k > first, p + 1 <= last, isWord(p), endsWithIng(p), !isCapitalised(p),
                    lexicon.cues[keys[p]] != nil
                {
                    last = k - 1
                    break
                }
                var v = k + 1
                while v <= last, v - k <= 7, isWord(v) || isPunctuation(v, ".") {
                    if let cue = lexicon.cues[keys[v]], cue.speech || lexicon.plainSpeech.contains(keys[v]), v > k + 1,
                        !lexicon.beForms.contains(keys[v - 1]), endsClause(v + 1, sentence: sentence)
                    {
                        break
                    }
                    v += 1
                }
                if v <= last, v - k <= 7, isWord(v), lexicon.cues[keys[v]] != nil, v > k + 1 {
                    last = k - 1
                    break
                }
            }
        }
        while last > first, isComma(last) || isDash(last) { last -= 1 }
        var steps = 0
        while steps < 64, segmentOf[last] >= 0 {
            let segment = segments[Int(segmentOf[last])]
            guard segment.last > last else { break }
            last = sentenceLast[tokens[segment.last].sentence]
            steps += 1
        }
        guard first <= last else { return nil }
        return (first, last)
    }

    /// Whether a clause with a cue of its own follows the link word at `k` ("and", "but", "though"): "… and
    /// said …", "…, but he said …", "… although officials warned …". Such a clause is another quote.
    private func clauseWithCue(after k: Int, limit: Int) -> Bool {
        var v = k + 1
        var subject: SpeakerKind?
        let coordinator = keys[k] == lexicon.and || keys[k] == lexicon.but
        if v <= limit, isWord(v), lexicon.cues[keys[v]] == nil || isCapitalised(v),
            let np = noun(at: v, limit: min(limit, v + 8))
        {
            subject = np.kind
            v = np.last + 1
        } else if !coordinator {
            return false
        }
        let verbStart = v
        while v < limit, isWord(v), lexicon.skippable.contains(keys[v]) || isAdverb(v), v - verbStart < 3 { v += 1 }
        guard v <= limit, isWord(v), !isCapitalised(v), keys[v] != lexicon.according else { return false }
        // "federal and state law": a bare base form right after "and" is as often a noun.
        if subject == nil, v == verbStart, lexicon.baseForms.contains(keys[v]) { return false }
        // Any cue or past tense after a name or pronoun; a verb of saying or a strong belief otherwise.
        let personal = subject == .name || subject == .pronoun
        if let cue = lexicon.cues[keys[v]], cue.speech || lexicon.strongBelief.contains(keys[v]) || personal {
            return true
        }
        return (personal || subject == nil) && isPastTense(v)
    }

    /// A split quotation: “A,” she said. “B.” is one quote when A broke off at a comma.
    private func extendOverSplitQuote(_ candidate: inout Candidate) {
        guard let segment = segmentEnding(candidate.last), segments[segment].closed,
            segments[segment].open >= candidate.first, candidate.cueFirst > candidate.last
        else { return }
        let closing = segments[segment].last
        guard markStart(closing) >= 1, isComma(markStart(closing) - 1) else { return }
        let from = max(candidate.cueLast, candidate.speaker?.last ?? 0) + 1
        var next = from
        while next < tokens.count, next - from < 40, !isDoubleMark(next), paragraph(of: next) == paragraph(of: closing) {
            // “A,” said X, a long apposition. “B.” — unless another verb of saying claims B.
            if isWord(next), !isCapitalised(next), let cue = lexicon.cues[keys[next]], cue.speech,
                !(isWord(next - 1) && lexicon.determiners.contains(keys[next - 1]))  // "the state"
            {
                return
            }
            next += 1
        }
        var link = next - 1
        while link > from, next - link < 3, isWord(link), lexicon.skippable.contains(keys[link]) { link -= 1 }
        // The rest opens a sentence or follows a comma, colon or "and" (“A,” X said. “B.”), not an object ("called
        // him “B”").
        guard next < tokens.count, isOpeningMark(next), paragraph(of: next) == paragraph(of: closing),
            next == sentenceFirst[tokens[next].sentence] || isComma(next - 1) || isPunctuation(next - 1, ":")
                || isClauseEnd(next - 1) || isDash(next - 1) || classOf[link] & QuoteLexicon.WordClass.clauseLink != 0
                || (isWord(next - 1) && keys[next - 1] == lexicon.that)
        else { return }
        let wholeQuotation = segments[segment].open == candidate.first
        candidate.last = segments[Int(segmentOf[next])].last
        if wholeQuotation { candidate.kind = .direct }
    }

    // MARK: Speakers

    /// The subject right before a cue: "Peskov said", "he added", "who said", "the spokesman said",
    /// "Richard Revesz, director of …, said".
    private func subject(before c: Int) -> Hit? {
        let lowerBound = sentenceFirst[tokens[c].sentence]
        var j = c - 1
        while j >= lowerBound, isWord(j), lexicon.skippable.contains(keys[j]) || isAdverb(j), c - j < 5 { j -= 1 }
        // "The nominee continues to insist", "Anderson seemed to think": a verb taking "to" before the cue.
        if j - 1 >= lowerBound, isWord(j), keys[j] == lexicon.to, isWord(j - 1), lexicon.catenatives.contains(keys[j - 1]) {
            j -= 2
            while j >= lowerBound, isWord(j), lexicon.skippable.contains(keys[j]) || isAdverb(j), c - j < 8 { j -= 1 }
        } else if j - 2 >= lowerBound, isWord(j), keys[j] == lexicon.to, let object = causedSubject(endingAt: j - 1) {
            // "The vote prompted the mayor to warn …", "led Sen. Tester to invoke …": the object of a causative
            // verb is the subject of the cue.
            return object
        }
        // "Axelrod on Wednesday called", "an arbitration panel in 2001 found": a time adjunct before the verb.
        if j >= lowerBound {
            let before = beforeTimeAdjunct(j, lowerBound: lowerBound)
            if before != j {
                j = before
                while j >= lowerBound, isWord(j), lexicon.skippable.contains(keys[j]) || isAdverb(j), c - j < 8 { j -= 1 }
            }
        }
        // "Sen. Lindsey Graham (R-S.C.) said": the bracket belongs to the name.
        if j >= lowerBound, isPunctuation(j, ")") {
            var open = j - 1
            while open >= lowerBound, j - open < 10, !isPunctuation(open, "(") { open -= 1 }
            if open >= lowerBound, isPunctuation(open, "(") { j = open - 1 }
        }
        guard j >= 0, c - j <= 16 else { return nil }
        if isComma(j) { return appositiveSubject(j) }
        guard j >= lowerBound || (j >= 0 && isWord(j) && paragraph(of: j) == paragraph(of: c)) else { return nil }
        guard isWord(j) else { return nil }
        let key = keys[j]
        if lexicon.pronouns.contains(key) {
            return Hit(first: j, last: j, kind: .pronoun)
        }
        if lexicon.relatives.contains(key) {
            var hit = Hit(first: j, last: j, kind: .relative)
            if j >= 2, isComma(j - 1), isNameWord(j - 2) {
                hit.antecedentFirst = nameStart(j - 2, lowerBound: max(0, j - 12))
                hit.antecedentLast = j - 2
            }
            return hit
        }
        let bound = max(lowerBound, 0)
        if isNameWord(j) {
            return Hit(first: nameStart(j, lowerBound: bound), last: j, kind: .name)
        }
        if lexicon.speakerNouns.contains(key) {
            return Hit(first: nominalStart(j, lowerBound: bound), last: j, kind: .nominal)
        }
        // "the mayor’s plan would …": a possessor right before a noun of saying or stance is its source.
        if j == c - 1, isPossessive(j), lexicon.nounCues.contains(keys[c]) {
            return Hit(first: nominalStart(j, lowerBound: bound), last: j, kind: .nominal)
        }
        // "environmentalists worry", "Those close to him say": a plural noun right before the verb.
        if j == c - 1, looksPlural(j), agreesWithPlural(c) {
            return Hit(first: nominalStart(j, lowerBound: bound), last: j, kind: .nominal)
        }
        return nil
    }

    /// A verb a plural subject can take: not an "-s" form ("plans", "questions" are nouns as often), not "like".
    private func agreesWithPlural(_ c: Int) -> Bool {
        let token = tokens[c]
        return s[token.end - 1] != "s" && !lexicon.prepositionalCues.contains(keys[c])
    }

    /// A lowercase word of five letters or more ending in a single "s" ("defenders", "environmentalists"), not
    /// "-ss", "-us", "-is" and not a function word.
    private func looksPlural(_ i: Int) -> Bool {
        let token = tokens[i]
        guard token.kind == .word, token.end - token.start >= 5, !isCapitalised(i),
            !lexicon.skippable.contains(keys[i]), !lexicon.boundaries.contains(keys[i]),
            !lexicon.notPlural.contains(keys[i]), lexicon.cues[keys[i]] == nil
        else { return false }
        let last = s[token.end - 1]
        let before = s[token.end - 2]
        return last == "s" && before != "s" && before != "u" && before != "i" && before != "'" && before != "’"
    }

    /// The words between the clause's start and a "said" (at most 12, no verb-like boundary word between).
    private func clauseOpening(before c: Int) -> Hit? {
        let lowerBound = sentenceFirst[tokens[c].sentence]
        var j = c - 1
        while j >= lowerBound, isWord(j), lexicon.skippable.contains(keys[j]), c - j < 5 { j -= 1 }
        guard j >= lowerBound, isWord(j) || tokens[j].kind == .number || isPunctuation(j, ")") else { return nil }
        // (A plural head may be a cue's "-s" form: "county reports shows".)
        if isWord(j), lexicon.boundaries.contains(keys[j]) || (lexicon.cues[keys[j]] != nil && !endsWithS(j)) {
            return nil
        }
        var f = j
        var inner = -1  // the first "and" or preposition the phrase reached over ("Experts on X and Y said")
        while f - 1 >= lowerBound, j - f < 12 {
            let p = f - 1
            if isComma(p) || isDoubleMark(p) || isDash(p) || isPunctuation(p, ":") || isPunctuation(p, ";") { break }
            // ("The United States average shows": a capitalised "States" is a name, not a cue.)
            if isWord(p), lexicon.clauseVerbs.contains(keys[p]) { break }  // "That’s a fraction of what experts say"
            if isWord(p), lexicon.boundaries.contains(keys[p]) && keys[p] != lexicon.of
                || (lexicon.cues[keys[p]] != nil && !isCapitalised(p)) || lexicon.pronouns.contains(keys[p])
            {
                // "Those close to him say", "Political observers in Virginia and around the country say": an "and"
                // or preposition inside a phrase that opens the sentence, with no verb in it.
                guard isWord(p), lexicon.phraseInner.contains(keys[p]), p > lowerBound, !isPastTense(p - 1) else { break }
                if inner < 0 { inner = f }
                f = p
                continue
            }
            if isPastTense(p) && inner >= 0 { break }
            f = p
        }
        if inner >= 0, f != lowerBound { f = inner }
        guard j - f < 12, f == lowerBound || !isWord(f - 1) else { return nil }
        return Hit(first: f, last: j, kind: .nominal)
    }

    /// "X, apposition, said": X opens the clause and is followed by the first comma.
    private func appositiveSubject(_ comma: Int) -> Hit? {
        var k = comma - 1
        var steps = 0
        let lowerBound = sentenceFirst[tokens[comma].sentence]
        while k >= lowerBound, steps < 40 {
            if isDoubleMark(k) || isPunctuation(k, ";") || isPunctuation(k, ":") || isDash(k) { break }
            k -= 1
            steps += 1
        }
        guard steps < 40 else { return nil }
        var start = k + 1
        // "Even China, Pyongyang’s only ally, said": an opening adverb is not part of the subject.
        if start < comma, isWord(start), lexicon.openers.contains(keys[start]) || keys[start] == lexicon.even,
            start + 1 < comma, isNameWord(start + 1)
        {
            start += 1
        } else if start < comma, isWord(start), lexicon.openers.contains(keys[start]) {
            // "In a statement, one of the family’s lawyers, Ann Ruiz, said": the adverbial ends at its comma.
            var opener = start + 1
            while opener < comma, !isComma(opener) { opener += 1 }
            if opener < comma { start = opener + 1 }
        }
        if start < comma, let np = noun(at: start, limit: comma - 1), np.kind != .pronoun, np.last + 1 < comma,
            isComma(np.last + 1)
        {
            return np
        }
        // "A lawyer for the news outlets, David Schulz, said": a name set off by commas just before the verb.
        let j = comma - 1
        guard j > start, isNameWord(j) else { return nil }
        let first = nameStart(j, lowerBound: start)
        guard first - 1 > start, isComma(first - 1) else { return nil }
        return Hit(first: first, last: j, kind: .name)
    }

    /// The subject of the sentence holding `c`, after any opening adverbial ("In an interview …, Blinken").
    private func clauseSubject(_ sentence: Int, before c: Int) -> Hit? {
        var k = sentenceFirst[sentence]
        guard k >= 0, k < c else { return nil }
        if isWord(k), lexicon.openers.contains(keys[k]) {
            var comma = k + 1
            while comma < c, comma - k < 25, !isComma(comma) { comma += 1 }
            guard comma < c, isComma(comma) else { return nil }
            k = comma + 1
        }
        // "On Thursday, however, Trump …": a sentence adverb set off by commas.
        if k + 1 < c, isWord(k), lexicon.openers.contains(keys[k]), isComma(k + 1) { k += 2 }
        guard k < c, let np = noun(at: k, limit: c - 1) else { return nil }
        return np
    }

    /// A noun phrase starting at `k` (not past `limit`): a pronoun, a name, or a nominal with a speaker head.
    private func noun(at k: Int, limit: Int) -> Hit? {
        // "said in a phone interview": a noun phrase does not open with a preposition.
        guard k <= limit, k < tokens.count, isWord(k), !lexicon.titlePrepositions.contains(keys[k]) else { return nil }
        if lexicon.pronouns.contains(keys[k]) { return Hit(first: k, last: k, kind: .pronoun) }
        var start = k
        if keys[k] == lexicon.the, k + 1 <= limit { start = k + 1 }
        if isNameWord(start) || (isCapitalised(start) && lexicon.titleAbbreviations.contains(keys[start])) {
            var e = start
            while e + 1 <= limit, e - start < 8 {
                let n = e + 1
                if isNameWord(n) {
                    e = n
                } else if isPunctuation(n, "."), lexicon.titleAbbreviations.contains(keys[e]) || isInitial(e),
                    n + 1 <= limit, isNameWord(n + 1)
                {
                    e = n + 1
                } else if isWord(n), lexicon.nameConnectors.contains(keys[n]), n + 1 <= limit, isNameWord(n + 1) {
                    e = n + 1
                } else {
                    break
                }
            }
            // "Trump campaign spokesman Jason Miller" and "the Clinton campaign" both end in a name or a noun, also
            // after lowercase modifiers ("Democratic presidential nominee Hillary Clinton").
            var modifiers = e + 1
            while modifiers <= limit, modifiers - e <= 2, isWord(modifiers), !isCapitalised(modifiers),
                !lexicon.speakerNouns.contains(keys[modifiers]), !lexicon.boundaries.contains(keys[modifiers]),
                lexicon.cues[keys[modifiers]] == nil, !lexicon.skippable.contains(keys[modifiers])
            {
                modifiers += 1
            }
            if modifiers > e + 1, modifiers + 1 <= limit, isWord(modifiers), lexicon.speakerNouns.contains(keys[modifiers]),
                !isCapitalised(modifiers), isNameWord(modifiers + 1)
            {
                var name = modifiers + 1
                while name + 1 <= limit, isNameWord(name + 1), name - modifiers < 4 { name += 1 }
                return Hit(first: modifiers + 1, last: name, kind: .name)
            }
            if e + 1 <= limit, isWord(e + 1), lexicon.speakerNouns.contains(keys[e + 1]), !isCapitalised(e + 1) {
                var head = e + 1
                while head + 1 <= limit, isWord(head + 1), lexicon.speakerNouns.contains(keys[head + 1]) { head += 1 }
                if head + 1 <= limit, isNameWord(head + 1) {
                    var name = head + 1
                    while name + 1 <= limit, isNameWord(name + 1), name - head < 4 { name += 1 }
                    return Hit(first: head + 1, last: name, kind: .name)
                }
                return Hit(first: k, last: head, kind: .nominal)
            }
            return Hit(first: k, last: e, kind: .name)
        }
        // A nominal: determiners and modifiers, then a speaker noun.
        var e = k
        while e <= limit, e - k < 6, isWord(e) || tokens[e].kind == .number {
            if lexicon.speakerNouns.contains(keys[e]) {
                while e + 1 <= limit, isWord(e + 1), lexicon.speakerNouns.contains(keys[e + 1]) { e += 1 }
                if e + 1 <= limit, isNameWord(e + 1) {
                    // "spokesperson Dmitry Peskov"
                    var name = e + 1
                    while name + 1 <= limit, isNameWord(name + 1), name - e < 4 { name += 1 }
                    return Hit(first: e + 1, last: name, kind: .name)
                }
                return Hit(first: k, last: e, kind: .nominal)
            }
            if lexicon.boundaries.contains(keys[e]) || lexicon.cues[keys[e]] != nil { return nil }
            // "his ex-wife": a hyphen joins two words of the phrase.
            if e + 2 <= limit, isJoiningHyphen(e + 1) { e += 1 }
            e += 1
        }
        return nil
    }

    /// Where the name ending at `j` starts: capitalised words, "of"/"de" between them, "Mr." and a leading "the".
    private func nameStart(_ j: Int, lowerBound: Int) -> Int {
        var f = j
        while f - 1 >= lowerBound, j - f < 8 {
            let p = f - 1
            if isNameWord(p) {
                f = p
            } else if isPunctuation(p, "."), p - 1 >= lowerBound, isWord(p - 1),
                lexicon.titleAbbreviations.contains(keys[p - 1]) || isInitial(p - 1)
            {
                f = p - 1
            } else if isWord(p), lexicon.nameConnectors.contains(keys[p]), p - 1 >= lowerBound, isNameWord(p - 1) {
                f = p - 1
            } else {
                break
            }
        }
        if f - 1 >= lowerBound, keys[f - 1] == lexicon.the { f -= 1 }
        return f
    }

    /// Where a nominal speaker ending at its head `j` starts: "the Kremlin spokesperson", "many experts".
    private func nominalStart(_ j: Int, lowerBound: Int) -> Int {
        var f = j
        while f - 1 >= lowerBound, j - f < 5 {
            var p = f - 1
            // "campaign-finance reports": a hyphen between two words joins them.
            if isJoiningHyphen(p), p - 1 >= lowerBound { p -= 1 }
            guard isWord(p) || tokens[p].kind == .number else { break }
            let key = keys[p]
            if lexicon.boundaries.contains(key) || (lexicon.cues[key] != nil && !isCapitalised(p))
                || lexicon.pronouns.contains(key) || lexicon.relatives.contains(key)
            {
                break
            }
            f = p
            if lexicon.determiners.contains(key) { break }
        }
        return f
    }

    // MARK: 3. Quotations no cue claimed

    private func addUnclaimedSegments(_ found: [Candidate]) -> [Candidate] {
        var result: [Candidate] = []
        result.reserveCapacity(found.count + segments.count)
        var next = 0  // next cue candidate, in text order
        for segment in segments {
            while next < found.count, found[next].first <= segment.open {
                result.append(found[next])
                next += 1
            }
            // Claimed when some candidate's content covers it.
            if let previous = result.last, previous.last >= segment.open { continue }
            if next < found.count, found[next].first <= segment.last { continue }
            let words = wordsBefore[segment.last + 1] - wordsBefore[segment.open]
            guard words >= 1 else { continue }
            var candidate = Candidate(first: segment.open, last: segment.last, kind: .direct, speaker: nil)
            // A quotation opening a paragraph right after a quote goes on with that quote's speaker.
            if let previousIndex = result.indices.last, result[previousIndex].speaker != nil
                || result[previousIndex].inherited >= 0
            {
                let previous = result[previousIndex]
                let opensParagraph = segment.open == 0 || paragraph(of: segment.open - 1) != paragraph(of: segment.open)
                let gap = paragraph(of: segment.open) - paragraph(of: previous.last)
                let previousQuoted = quotedWordsBefore[previous.last + 1] - quotedWordsBefore[previous.first] > 0
                if opensParagraph, gap == 1, previousQuoted, endsParagraph(segment.last) {
                    candidate.inherited = previous.inherited >= 0 ? previous.inherited : previousIndex
                }
            }
            if isEmbeddedTitle(segment.open) { continue }
            if segment.closed, let attribution = laterAttribution(after: segment.last) {
                // "“…,” Mr. Morgan of the Sierra Club said.": a speaker and a cue later in the sentence.
                candidate.speaker = attribution.speaker
                candidate.cueFirst = attribution.cue
                candidate.cueLast = attribution.cue
                candidate.inherited = -1
            } else if candidate.inherited < 0, segment.closed, let attribution = dashAttribution(after: segment.last) {
                // "“…” ― Sonya Herridge": the name after a dash that ends the paragraph.
                candidate.speaker = attribution.speaker
                candidate.cueFirst = attribution.dash
                candidate.cueLast = attribution.dash
            }
            if candidate.inherited < 0, candidate.speaker == nil, words >= 4, let previousIndex = result.indices.last,
                result[previousIndex].speaker != nil || result[previousIndex].inherited >= 0
            {
                // An uncued quotation in the paragraph of a quote with a speaker goes on with that speaker.
                let previous = result[previousIndex]
                let previousQuoted = quotedWordsBefore[previous.last + 1] - quotedWordsBefore[previous.first] > 0
                if paragraph(of: segment.open) == paragraph(of: previous.last), previousQuoted {
                    candidate.inherited = previous.inherited >= 0 ? previous.inherited : previousIndex
                }
            }
            guard candidate.inherited >= 0 || candidate.speaker != nil || words >= 4 else { continue }
            result.append(candidate)
        }
        while next < found.count {
            result.append(found[next])
            next += 1
        }
        return result
    }

    /// After a quotation that broke off (“…,” “…?”), a name or nominal opening the rest of the sentence and
    /// a verb of saying within it, before any other quotation: the attribution the cue pass missed.
    private func laterAttribution(after closing: Int) -> (cue: Int, speaker: Hit)? {
        guard brokenOff(closing) else { return nil }
        let start = closing + 1
        guard start < tokens.count, isWord(start), paragraph(of: start) == paragraph(of: closing) else { return nil }
        let sentence = tokens[start].sentence
        let last = sentenceLast[sentence]
        guard let hit = noun(at: start, limit: min(last, start + 10)), hit.kind == .name || hit.kind == .nominal
        else { return nil }
        var k = hit.last + 1
        while k <= last, k - start < 40 {
            if isDoubleMark(k) { return nil }
            if isWord(k), !isCapitalised(k), let cue = lexicon.cues[keys[k]], cue.speech, keys[k] != lexicon.according {
                return (k, hit)
            }
            k += 1
        }
        return nil
    }

    /// A dash after a closing quotation mark, then a name that ends the paragraph (or runs into a comma).
    private func dashAttribution(after closing: Int) -> (dash: Int, speaker: Hit)? {
        var d = closing + 1
        if d < tokens.count, isComma(d) { d += 1 }
        guard d + 1 < tokens.count, tokens[d].kind == .punctuation,
            s[tokens[d].start] == "―" || s[tokens[d].start] == "—",
            paragraph(of: d) == paragraph(of: closing), paragraph(of: d + 1) == paragraph(of: closing)
        else { return nil }
        var last = d + 1
        while last + 1 < tokens.count, last - d < 12, paragraph(of: last + 1) == paragraph(of: d) { last += 1 }
        guard let hit = noun(at: d + 1, limit: last), hit.kind == .name,
            hit.last == last || isComma(hit.last + 1) || (hit.last + 1 == last && isClauseEnd(last)),
            endsParagraph(last)
        else { return nil }
        return (d, hit)
    }

    /// Whether `i` is the last token of its paragraph.
    private func endsParagraph(_ i: Int) -> Bool {
        i + 1 == tokens.count || paragraph(of: i + 1) != paragraph(of: i)
    }
}
