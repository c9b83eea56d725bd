/// One document's entity recognition (see `EntityRecognizer`). Built per document, used once.
struct EntityPass {
    enum Kind: UInt8 { case person, organization, location, nationality, other }

    /// What the pass knows about one token.
    struct Info {
        var start: Int
        var end: Int
        /// `end` without a possessive "’s" / "'s".
        var coreEnd: Int
        var hash: UInt64
        /// The hash without the possessive.
        var coreHash: UInt64
        var isWord: Bool
        var isNumber: Bool
        var capitalized: Bool
        var allCaps: Bool
        var lowercase: Bool
        var sentence: Int
        var scalar: Unicode.Scalar
    }

    /// A typed stretch of tokens, before grouping.
    struct Candidate {
        var first: Int
        var last: Int
        var kind: Kind
        var canonical: String?
        /// From a gazetteer (or a sure rule): the document-level pass does not retype it.
        var strong: Bool
        var titles: [String] = []
        var pronoun = false
        var removed = false
        /// Typed by an organisation noun right before it ("the company Red Hat").
        var described = false
    }

    let s: [Unicode.Scalar]
    let lexicon: EntityLexicon
    let resolvesPronouns: Bool
    let sentenceCount: Int
    var info: [Info] = []
    var candidates: [Candidate] = []
    /// Role phrases without a name ("the US President"): text and head-word hash.
    var standaloneTitles: [(text: String, head: UInt64, modifier: UInt64)] = []
    /// Lowercase words of the document (to tell a sentence-initial common word from a name).
    var lowercaseWords = HashSet64(minimumCapacity: 512)
    /// Words the document capitalises inside a sentence too (so a sentence-initial one may be a name).
    var capitalizedWithin = HashSet64(minimumCapacity: 512)
    /// The document's tokens. (Not the whole `Document`: the pass is copied for many of its helper calls,
    /// and a Document inside made that copy four times as large.)
    let tokens: [Token]

    init(document: Document, lexicon: EntityLexicon, resolvesPronouns: Bool) {
        self.tokens = document.tokens
        self.s = document.scalars
        self.lexicon = lexicon
        self.resolvesPronouns = resolvesPronouns
        self.sentenceCount = document.sentences.count
    }

    // MARK: - Token layer

    private mutating func buildInfo() {
        // Hashes of the lowercase words, kept only if some sentence starts with the same word (see below).
        var lowercaseHashes: [UInt64] = []
        lowercaseHashes.reserveCapacity(tokens.count)
        // One Info per token, written in place (an append per token checked the array's uniqueness each time).
        let infos = s.withUnsafeBufferPointer { s in
            [Info](unsafeUninitializedCapacity: tokens.count) { buffer, initialized in
                for (position, token) in tokens.enumerated() {
                    let first = s[token.start]
                    var item = Info(
                        start: token.start, end: token.end, coreEnd: token.end, hash: 0, coreHash: 0,
                        isWord: token.kind == .word, isNumber: token.kind == .number, capitalized: false, allCaps: false,
                        lowercase: false, sentence: token.sentence, scalar: first)
                    if token.kind == .word || token.kind == .number {
                        var hash = NameHash.seed
                        var upper = 0
                        var lower = 0
                        let length = token.end - token.start
                        var possessive = false
                        if length > 2 {
                            let a = s[token.end - 2]
                            let b = s[token.end - 1]
                            possessive = (a == "’" || a == "'") && (b == "s" || b == "S")
                        }
                        let coreEnd = possessive ? token.end - 2 : token.end
                        var coreHash = NameHash.seed
                        for index in token.start..<token.end {
                            if index == coreEnd { coreHash = hash }
                            let scalar = s[index]
                            let v = scalar.value
                            if v < 0x80 {
                                // ASCII: one classification serves the case counts and the hash's lowercasing.
                                if v &- 0x41 < 26 {
                                    upper += 1
                                    hash = (hash ^ UInt64(v + 0x20)) &* NameHash.prime
                                } else {
                                    if v &- 0x61 < 26 { lower += 1 }
                                    hash = (hash ^ UInt64(v)) &* NameHash.prime
                                }
                                continue
                            }
                            if scalar.isUppercaseLetter {
                                upper += 1
                            } else if scalar.isLowercaseLetter {
                                lower += 1
                            }
                            NameHash.add(&hash, scalar)
                        }
                        item.hash = hash
                        item.coreHash = possessive ? coreHash : hash
                        item.coreEnd = coreEnd
                        if token.kind == .word {
                            let initial = first.isASCII ? (first.value >= 0x41 && first.value <= 0x5A) : first.propertyIsUppercase
                            // "al-Assad" counts as capitalised (cheap tests of its first letter and its hyphen first).
                            let firstUpper = initial
                                || (first == "a" || first == "e" || first == "u") && length > 3
                                    && (s[token.start + 2] == "-" || s[token.start + 3] == "-")
                                    && EntityPass.isArabicArticleName(s, token.start, token.end)
                            item.capitalized = firstUpper
                            item.allCaps = upper >= 2 && lower == 0 || upper == 1 && lower == 0 && length == 1
                            item.lowercase = !firstUpper && lower > 0
                            if item.lowercase { lowercaseHashes.append(hash) }
                        }
                    } else {
                        var hash = NameHash.seed
                        for index in token.start..<token.end { NameHash.add(&hash, s[index]) }
                        item.hash = hash
                        item.coreHash = hash
                    }
                    (buffer.baseAddress! + position).initialize(to: item)
                    initialized = position + 1
                }
            }
        }
        info = infos
        // `lowercaseWords` is only asked about the first word (or number) of a sentence: keeping just those
        // of the lowercase words is cheaper than a set of every lowercase word of the document.
        var sentenceFirsts = HashSet64(minimumCapacity: sentenceCount + 1)
        var capitalizedHashes: [UInt64] = []  // capitalised words that do not open their sentence
        var sentence = -1
        for item in info where item.isWord || item.isNumber {
            if item.sentence != sentence {
                sentence = item.sentence
                sentenceFirsts.insert(item.coreHash)
            } else if item.capitalized {
                capitalizedHashes.append(item.coreHash)
            }
        }
        for hash in lowercaseHashes where sentenceFirsts.contains(hash) { lowercaseWords.insert(hash) }
        for hash in capitalizedHashes where sentenceFirsts.contains(hash) { capitalizedWithin.insert(hash) }
    }

    /// "al-Assad", "el-Sisi", "ash-Shara": an Arabic article joined by a hyphen to a capitalised name. The
    /// word is part of the name ("Bashar al-Assad"), though it starts in lower case.
    static func isArabicArticleName(_ s: UnsafeBufferPointer<Unicode.Scalar>, _ start: Int, _ end: Int) -> Bool {
        var hyphen = start
        while hyphen < end, hyphen - start < 3, s[hyphen] != "-" { hyphen += 1 }
        guard hyphen < end - 1, s[hyphen] == "-", s[hyphen + 1].properties.isUppercase else { return false }
        switch String(String.UnicodeScalarView(s[start..<hyphen])) {
        case "al", "el", "ad", "ar", "as", "ash", "at", "an", "az", "ud", "ul": return true
        default: return false
        }
    }

    /// The text of a code-point range (what `Document.text` gives).
    func text(_ start: Int, _ end: Int) -> String {
        guard start < end else { return "" }
        return s.withUnsafeBufferPointer { Document.utf8String($0, start, end) }
    }

    // MARK: - Lookups

    /// Hash of tokens a..<b as a phrase (the last token without its possessive).
    private func phraseHash(_ a: Int, _ b: Int) -> UInt64 {
        var hash = a == b - 1 ? info[a].coreHash : info[a].hash
        var index = a + 1
        while index < b {
            hash = NameHash.extend(hash, with: index == b - 1 ? info[index].coreHash : info[index].hash)
            index += 1
        }
        return hash
    }

    private func gazetteer(_ hash: UInt64) -> (Kind, String)? {
        if let name = lexicon.organizations[hash] { return (.organization, name) }
        if let name = lexicon.nationalities[hash] { return (.nationality, name) }
        if let name = lexicon.locations[hash] { return (.location, name) }
        return nil
    }

    /// The longest gazetteer phrase starting at `a` and ending by `b`.
    private func longestMatch(_ a: Int, _ b: Int) -> (length: Int, kind: Kind, name: String)? {
        var length = min(b - a, lexicon.longestPhrase)
        while length >= 1 {
            let last = a + length - 1
            // A phrase ends on a word or number, and only its last word may be possessive.
            if info[last].isWord || info[last].isNumber, length == 1 || info[last - 1].coreHash == info[last - 1].hash,
                let (kind, name) = gazetteer(phraseHash(a, a + length))
            {
                return (length, kind, name)
            }
            length -= 1
        }
        return nil
    }

    private func isTitleWord(_ i: Int) -> Bool {
        info[i].isWord && (lexicon.titles.contains(info[i].coreHash) || lexicon.honorifics.contains(info[i].hash))
    }

    // MARK: - Pass

    mutating func run() -> [Entity] {
        buildInfo()
        var sentenceStart = 0
        while sentenceStart < info.count {
            var sentenceEnd = sentenceStart
            while sentenceEnd < info.count, info[sentenceEnd].sentence == info[sentenceStart].sentence { sentenceEnd += 1 }
            if isShouting(sentenceStart, sentenceEnd) {
                scanCaps(sentenceStart, sentenceEnd)
            } else {
                scanSentence(sentenceStart, sentenceEnd)
            }
            sentenceStart = sentenceEnd
        }
        resolve()
        if resolvesPronouns { linkPronouns() }
        return EntityGrouping.entities(self)
    }

    /// A headline or dateline in capitals: most of its words are all-caps.
    private func isShouting(_ a: Int, _ b: Int) -> Bool {
        var caps = 0
        var words = 0
        for i in a..<b where info[i].isWord {
            words += 1
            if info[i].allCaps && info[i].end - info[i].start > 1 { caps += 1 }
        }
        return words >= 1 && caps * 3 >= words * 2 && caps >= 1 && (words > 1 || info[a].sentence == 0)
    }

    private mutating func scanCaps(_ a: Int, _ b: Int) {
        var i = a
        while i < b {
            guard info[i].isWord else { i += 1; continue }
            if let match = longestMatch(i, b), !(match.length == 1 && lexicon.common.contains(info[i].hash)) {
                candidates.append(Candidate(first: i, last: i + match.length - 1, kind: match.kind, canonical: match.name, strong: true))
                i += match.length
                continue
            }
            if i + 1 < b, info[i + 1].isWord, lexicon.firstNames.contains(info[i].hash),
                lexicon.surnames.contains(info[i + 1].coreHash), !lexicon.common.contains(info[i + 1].coreHash)
            {
                candidates.append(Candidate(first: i, last: i + 1, kind: .person, canonical: nil, strong: false))
                i += 2
                continue
            }
            i += 1
        }
    }

    private mutating func scanSentence(_ a: Int, _ b: Int) {
        // The first word of the sentence (after quotes, dashes, brackets).
        var firstWord = a
        while firstWord < b, !info[firstWord].isWord, !info[firstWord].isNumber { firstWord += 1 }
        var i = a
        while i < b {
            guard info[i].isWord, info[i].capitalized else { i += 1; continue }
            var j = i + 1
            if info[i].coreHash == info[i].hash {
                while j < b {
                    let t = info[j]
                    if t.isWord && t.capitalized && t.start > info[j - 1].end - 1 {
                        j += 1
                        if t.coreHash != t.hash { break }  // "Russia’s …" ends the name
                        continue
                    }
                    if j + 1 < b, info[j + 1].isWord, info[j + 1].capitalized {
                        if t.isWord, t.lowercase, lexicon.connectors.contains(t.hash) {
                            if t.hash != lexicon.of || allowsOf(i, j) {
                                j += 2
                                continue
                            }
                        }
                        if !t.isWord, !t.isNumber, t.scalar == "&" {
                            j += 2
                            continue
                        }
                        if !t.isWord, !t.isNumber, t.scalar == ".", info[j - 1].end == t.start,
                            info[j - 1].end - info[j - 1].start <= 3, info[j - 1].isWord
                        {
                            j += 1
                            continue
                        }
                    }
                    if t.isNumber, gazetteer(phraseHash(i, j + 1)) != nil {
                        j += 1
                        continue
                    }
                    break
                }
            }
            segment(i, j, sentenceStart: a, firstWord: firstWord, sentenceEnd: b)
            i = j
        }
    }

    /// "Bank of England", "Secretary of State", "Gulf of Mexico": "of" joins after such words, and after a run
    /// that opens with an organisation's or a place's word ("Church of Jesus Christ of Latter-day Saints"). A
    /// title joins only right before "of": in "Senator Amy Klobuchar of Minnesota" the name ends before it.
    private func allowsOf(_ a: Int, _ j: Int) -> Bool {
        for k in [a, j - 1] {
            let h = info[k].hash
            if lexicon.organizationPrefixes.contains(h) || k == j - 1 && lexicon.titles.contains(h) || lexicon.locationPrefixes.contains(h)
                || lexicon.locationSuffixes.contains(h) || lexicon.organizationSuffixes.contains(h)
            {
                return true
            }
        }
        return false
    }

    private func isJoiner(_ i: Int) -> Bool {
        let t = info[i]
        return (!t.isWord && !t.isNumber) || (t.lowercase && lexicon.connectors.contains(t.hash))
    }

    /// Cuts a run of capitalised tokens a..<b into typed pieces.
    private mutating func segment(_ runStart: Int, _ runEnd: Int, sentenceStart: Int, firstWord: Int, sentenceEnd: Int) {
        var a = runStart
        var b = runEnd
        // Leading and trailing common words ("The", "Monday"), unless a gazetteer phrase starts there.
        while a < b {
            if isJoiner(a) { a += 1; continue }
            if isCommon(a) && !isTitleWord(a) {
                if let match = longestMatch(a, b), match.length > 1 { break }
                a += 1
                continue
            }
            break
        }
        while b > a {
            if isJoiner(b - 1) { b -= 1; continue }
            if isCommon(b - 1) && !isTitleWord(b - 1) && b - a > 1 {
                if let match = longestMatch(a, b), match.length == b - a { break }
                b -= 1
                continue
            }
            break
        }
        guard a < b else { return }
        // A lone letter that is not an initial: "[T]he" (an editor's bracket), "grade C".
        if b - a == 1, info[a].isWord, info[a].end - info[a].start == 1, longestMatch(a, b) == nil,
            a + 1 >= info.count || s[info[a + 1].start] != "." || info[a + 1].start != info[a].end
        {
            return
        }
        // A sentence-initial word the document also writes in lowercase is a common word ("Asked", "Trailing"),
        // and so is a lone one that reads as an adverb or a participle opening the sentence ("Reportedly, …",
        // "Shortly after …", "Following the fire …").
        if a == firstWord, isCommon(a) || lowercaseWords.contains(info[a].coreHash) && !info[a].allCaps
            || b - a == 1 && opensAsACommonWord(a)
        {
            if longestMatch(a, b) == nil && !isTitleWord(a) && !lexicon.firstNames.contains(info[a].hash) {
                a += 1
                while a < b, isJoiner(a) { a += 1 }
                guard a < b else { return }
            }
        }
        // A name ending in an organisation word is an organisation as a whole: "Russian Foreign Ministry".
        if b - a >= 2, info[b - 1].isWord, lexicon.organizationSuffixes.contains(info[b - 1].coreHash),
            !(a..<b).allSatisfy({ isTitleWord($0) || isJoiner($0) }), gazetteer(phraseHash(a, b)) == nil
        {
            let whole = longestMatch(a, b)
            if whole == nil || whole!.kind != .person {
                candidates.append(Candidate(first: a, last: b - 1, kind: .organization, canonical: nil, strong: true))
                return
            }
        }
        var pos = a
        var titleStart: Int? = nil
        var hasRole = false
        while pos < b {
            if isJoiner(pos) {
                pos += 1
                continue
            }
            if let match = longestMatch(pos, b) {
                let next = pos + match.length
                var nextIsPiece = next >= b || isTitleWord(next)
                if !nextIsPiece, next < b, isJoiner(next) { nextIsPiece = true }
                if !nextIsPiece, let following = longestMatch(next, b), following.length == b - next { nextIsPiece = true }
                if nextIsPiece || match.kind == .nationality && titleStart == nil && isTitleWordAhead(next, b) {
                    candidates.append(Candidate(first: pos, last: next - 1, kind: match.kind, canonical: match.name, strong: true))
                    pos = next
                    continue
                }
                if match.kind == .nationality && match.length == 1 {
                    // "Russian Vladimir …" is unusual; "Italian Giovanni Trapattoni" is a nationality then a name.
                    if next < b, lexicon.firstNames.contains(info[next].hash) {
                        candidates.append(Candidate(first: pos, last: pos, kind: .nationality, canonical: match.name, strong: true))
                        pos = next
                        continue
                    }
                }
                if match.kind == .location, b - next >= 2, lexicon.firstNames.contains(info[next].hash), !isJoiner(next + 1),
                    !lexicon.firstNames.contains(info[pos].hash)
                {
                    // "Senator from Vermont Bernie Sanders": a place, then a given name and more, is a place then a
                    // person (it made "Vermont Bernie Sanders" of him). Unless the place is a given name too: "Mary
                    // Joe Fernandez" is one person.
                    candidates.append(Candidate(first: pos, last: next - 1, kind: .location, canonical: match.name, strong: true))
                    pos = next
                    continue
                }
            }
            if isTitleWord(pos) && (pos < b - 1 || titleStart != nil || pos > a) {
                if titleStart == nil { titleStart = pos }
                if !lexicon.titleModifiers.contains(info[pos].hash) && !lexicon.honorifics.contains(info[pos].hash) {
                    hasRole = true
                }
                pos += 1
                continue
            }
            if isTitleWord(pos) && pos == b - 1 && titleStart == nil && a == pos {
                // A lone role word ("President") is not a name.
                if !lexicon.firstNames.contains(info[pos].hash) && !lexicon.surnames.contains(info[pos].hash) { return }
            }
            var chunkEnd = b
            if titleStart == nil, b - pos >= 2, gazetteer(phraseHash(pos, b)) == nil,
                !lexicon.organizationSuffixes.contains(info[b - 1].coreHash)
            {
                var k = pos + 1
                while k < b {
                    if !isJoiner(k), !isJoiner(k - 1), let match = longestMatch(k, b), k + match.length == b,
                        match.kind == .location, lexicon.countries.contains(phraseHash(k, b))
                    {
                        chunkEnd = k
                        break
                    }
                    k += 1
                }
            }
            classifyChunk(pos, chunkEnd, titled: titleStart != nil && hasRole, honorific: titleStart != nil, sentenceFirst: sentenceStart)
            if chunkEnd < b, let match = longestMatch(chunkEnd, b) {
                candidates.append(Candidate(first: chunkEnd, last: b - 1, kind: match.kind, canonical: match.name, strong: true))
            }
            return
        }
        // Only role words (after an optional place or nationality): "the US President".
        if let titleStart, hasRole {
            let start = titleModifierStart(titleStart, sentenceFirst: sentenceStart)
            guard start < titleStart else { return }
            let modifier = info[start].coreHash
            standaloneTitles.append((text(info[start].start, info[b - 1].end), info[b - 1].hash, modifier))
        }
    }

    /// A lone word opening its sentence, followed by a comma or a lowercase word, that no gazetteer or name
    /// list knows, and that reads as a common word: it ends in "ly" or "ing" ("Additionally, …", "Speaking
    /// to reporters, …"), or the document never capitalises it inside a sentence ("Unlike …", "Together,
    /// …"). ("Kelly", "Reading", "Beijing" are names the lists hold; a name the article gives once only, at a
    /// sentence's start, is lost with the others, but the article has usually named it in full before.)
    private func opensAsACommonWord(_ i: Int) -> Bool {
        guard info[i].isWord, !info[i].allCaps, i + 1 < info.count,
            info[i + 1].isWord ? info[i + 1].lowercase : s[info[i + 1].start] == ",",
            gazetteer(info[i].coreHash) == nil, !lexicon.firstNames.contains(info[i].hash),
            !lexicon.surnames.contains(info[i].coreHash)
        else { return false }
        if !capitalizedWithin.contains(info[i].coreHash) { return true }
        let end = info[i].coreEnd
        let length = end - info[i].start
        let ly = length > 4 && s[end - 2] == "l" && s[end - 1] == "y"
        let ing = length > 5 && s[end - 3] == "i" && s[end - 2] == "n" && s[end - 1] == "g"
        return ly || ing
    }

    /// A common word ("The", "Monday"), but not an acronym written in capitals ("US").
    private func isCommon(_ i: Int) -> Bool {
        if info[i].end - info[i].start == 1, i + 1 < info.count, !info[i + 1].isWord, s[info[i + 1].start] == ".",
            info[i + 1].start == info[i].end
        {
            return false  // an initial: "A. Hollioake"
        }
        return lexicon.common.contains(info[i].coreHash)
            && !(info[i].allCaps && info[i].coreEnd - info[i].start >= 2 && gazetteer(info[i].coreHash) != nil)
    }

    private func isTitleWordAhead(_ i: Int, _ b: Int) -> Bool { i < b && isTitleWord(i) }

    /// Where a title that ends before `roleStart` begins: lowercase role words before it ("Kremlin
    /// spokesperson"), then a place, nationality or organisation right before.
    private func titleModifierStart(_ roleStart: Int, sentenceFirst: Int) -> Int {
        var start = roleStart
        var t = roleStart - 1
        while t >= sentenceFirst, info[t].isWord, info[t].lowercase, lexicon.titles.contains(info[t].hash),
            !lexicon.honorifics.contains(info[t].hash)
        {
            start = t
            t -= 1
        }
        let count = candidates.count
        if count > 0, candidates[count - 1].last == start - 1, candidates[count - 1].kind != .person,
            candidates[count - 1].kind != .other
        {
            start = candidates[count - 1].first
        }
        return start
    }

    private mutating func classifyChunk(_ c: Int, _ d: Int, titled: Bool, honorific: Bool, sentenceFirst: Int) {
        var words = 0
        for i in c..<d where info[i].isWord { words += 1 }
        let first = info[c]
        let last = info[d - 1]
        var kind: Kind
        var strong = true
        var described = false
        if let (k, name) = gazetteer(phraseHash(c, d)) {
            candidates.append(Candidate(first: c, last: d - 1, kind: k, canonical: name, strong: true))
            return
        }
        if lexicon.organizationSuffixes.contains(last.coreHash) && words >= 1 {
            kind = .organization
        } else if words >= 2 && lexicon.organizationPrefixes.contains(first.hash) && c + 1 < d && info[c + 1].hash == lexicon.of {
            kind = .organization
        } else if words >= 2 && (lexicon.locationSuffixes.contains(last.coreHash) || lexicon.locationPrefixes.contains(first.hash)) {
            kind = .location
        } else if titled || honorific {
            kind = .person
        } else if c > 0 && info[c - 1].lowercase && lexicon.organizationDescriptors.contains(info[c - 1].hash)
            && !(words >= 2 && lexicon.firstNames.contains(first.hash))
        {
            // "the journal Nature Astronomy", "newspaper Le Monde", "carmaker Volkswagen"; but "the company Jeff
            // Bezos founded" names its founder.
            kind = .organization
            strong = false
            described = true
        } else if words >= 2 && lexicon.firstNames.contains(first.hash) && !lexicon.locations.contains(first.hash) {
            kind = .person
        } else if words == 1 && first.allCaps && first.end - first.start >= 2 && first.end - first.start <= 6 {
            // An acronym is an organisation ("NASA"); capitals with a digit are a formula, a strain or a flight
            // ("CO2", "S288C", "PM2.5", "MH17"), unless a list knows them ("G20", above).
            kind = (first.start..<first.end).contains { s[$0].value >= 0x30 && s[$0].value <= 0x39 } ? .other : .organization
            strong = false
        } else if words >= 2 && (lexicon.otherSuffixes.contains(last.coreHash) || lexicon.otherPrefixes.contains(first.hash)) {
            kind = .other  // "United States Constitution", "Hurricane Dorian"
        } else if words >= 2 {
            if lexicon.firstNames.contains(first.hash) || lexicon.surnames.contains(last.coreHash) {
                kind = .person
            } else if lexicon.locations[first.hash] != nil {
                kind = .organization  // "Los Angeles Lakers", "Moscow Times"
            } else {
                kind = words <= 3 ? .person : .organization
            }
            strong = false
        } else {
            // "the House", "the Queen", "the Speaker": a person's name alone does not follow "the".
            let afterThe = c > 0 && info[c - 1].isWord && info[c - 1].hash == lexicon.the
            kind = !afterThe && (lexicon.surnames.contains(first.coreHash) || lexicon.firstNames.contains(first.coreHash))
                ? .person : .other
            strong = false
        }
        var candidate = Candidate(first: c, last: d - 1, kind: kind, canonical: nil, strong: strong)
        candidate.described = described
        if kind == .person {
            candidate.strong = titled || honorific || words >= 2
            if let title = titleText(before: c, sentenceFirst: sentenceFirst) { candidate.titles.append(title) }
        }
        candidates.append(candidate)
    }

    /// The title written right before a name that starts at `c`: role words, with a place, nationality or
    /// organisation before them ("US Secretary of State", "Kremlin spokesperson").
    private func titleText(before c: Int, sentenceFirst: Int) -> String? {
        var roleEnd = c
        while roleEnd > sentenceFirst, isJoiner(roleEnd - 1) || lexicon.honorifics.contains(info[roleEnd - 1].hash) {
            roleEnd -= 1
        }
        var roleStart = roleEnd
        var hasRole = false
        while roleStart > sentenceFirst, info[roleStart - 1].isWord || isJoiner(roleStart - 1) {
            let t = roleStart - 1
            if isJoiner(t) {
                if t - 1 >= sentenceFirst, isTitleWord(t - 1), info[t].hash == lexicon.of { roleStart = t; continue }
                break
            }
            guard lexicon.titles.contains(info[t].hash), !lexicon.honorifics.contains(info[t].hash) else { break }
            if !lexicon.titleModifiers.contains(info[t].hash) { hasRole = true }
            roleStart = t
        }
        while roleStart < roleEnd, isJoiner(roleStart) { roleStart += 1 }
        guard hasRole, roleStart < roleEnd else { return nil }
        let start = titleModifierStart(roleStart, sentenceFirst: sentenceFirst)
        return text(info[start].start, info[roleEnd - 1].end)
    }

    // MARK: - Document level

    private mutating func resolve() {
        // A name an organisation noun introduced once ("the company Red Hat") is an organisation in every
        // mention that only a guess typed otherwise: a person without a title or a given name ("Red Hat
        // said"), or something else no list knows ("Sea-Eye").
        var described = HashSet64()
        for index in candidates.indices where candidates[index].described {
            described.insert(phraseHash(candidates[index].first, candidates[index].last + 1))
        }
        if !described.isEmpty {
            for index in candidates.indices where described.contains(phraseHash(candidates[index].first, candidates[index].last + 1)) {
                let c = candidates[index]
                let guessedPerson = c.kind == .person && c.titles.isEmpty && !lexicon.firstNames.contains(info[c.first].hash)
                if guessedPerson || c.kind == .other && !c.strong { candidates[index].kind = .organization }
            }
        }
        // Person name parts: last and first words of multi-word names.
        var personLast = HashSet64()
        var personFirst = HashSet64()
        var typed = HashMap64<Kind>()
        // Candidates are read field by field: copying one retains its name and titles.
        for index in candidates.indices where candidates[index].kind == .person && candidates[index].last > candidates[index].first {
            personLast.insert(info[candidates[index].last].coreHash)
            personFirst.insert(info[candidates[index].first].hash)
        }
        // Places followed by a score are teams ("Essex 372", "Ajax 3 Feyenoord 1").
        var teams = HashSet64()
        for index in candidates.indices {
            let c = (first: candidates[index].first, last: candidates[index].last, kind: candidates[index].kind)
            guard c.kind == .location || c.kind == .other else { continue }
            let next = c.last + 1
            guard next < info.count, info[next].sentence == info[c.last].sentence, info[c.last].coreHash == info[c.last].hash
            else { continue }
            let scored = info[next].isNumber && !isDateLike(next)
            let played = info[next].isWord && lexicon.sportsVerbs.contains(info[next].hash)
                || c.first > 0 && info[c.first - 1].isWord && lexicon.sportsVerbs.contains(info[c.first - 1].hash)
            guard scored || played else { continue }
            let key = phraseHash(c.first, c.last + 1)
            if c.kind == .location && lexicon.countries.contains(key) { continue }
            teams.insert(key)
        }
        for index in candidates.indices {
            var c = (first: candidates[index].first, last: candidates[index].last, kind: candidates[index].kind,
                     strong: candidates[index].strong)
            let key = phraseHash(c.first, c.last + 1)
            let dateline = c.last + 1 < info.count && info[c.last + 1].isNumber && isDateLike(c.last + 1)
            if teams.contains(key) && !(c.kind == .location && lexicon.countries.contains(key)) && c.kind != .nationality
                && c.kind != .organization && c.kind != .person && !dateline
            {
                c.kind = .organization
                c.strong = true
            }
            if c.first == c.last && c.kind != .person && c.kind != .nationality,
                personLast.contains(info[c.first].coreHash), !lexicon.countries.contains(info[c.first].coreHash),
                !teams.contains(key),
                !c.strong || lexicon.surnames.contains(info[c.first].coreHash) || lexicon.firstNames.contains(info[c.first].coreHash)
            {
                c.kind = .person
            }
            candidates[index].kind = c.kind
            candidates[index].strong = c.strong
            if c.strong || c.kind == .person && c.last > c.first { typed.set(key, c.kind) }
        }
        for index in candidates.indices where !candidates[index].strong {
            let c = (first: candidates[index].first, last: candidates[index].last, kind: candidates[index].kind)
            let key = phraseHash(c.first, c.last + 1)
            if let kind = typed[key], c.kind != .person || c.first == c.last && !personLast.contains(info[c.first].coreHash) {
                candidates[index].kind = kind
                continue
            }
            if c.kind == .other || c.kind == .person && c.first == c.last {
                let next = c.last + 1
                if next < info.count, lexicon.speechVerbs.contains(info[next].hash) { candidates[index].kind = .person }
            }
        }
    }

    /// "1996-08-30": a date after a dateline, not a score.
    private func isDateLike(_ i: Int) -> Bool {
        let t = info[i]
        return t.end - t.start >= 8 && s[t.start + 4] == "-"
    }

    /// "He said …": the pronoun joins the subject of the sentence (or the sentence before with a person).
    private mutating func linkPronouns() {
        var firstPersonInSentence = [Int](repeating: -1, count: sentenceCount + 1)  // sentence → candidate index
        var anyPerson = false
        var subjects: [Int] = []  // candidate indices of subject-like person mentions, in text order
        for index in candidates.indices where candidates[index].kind == .person && !candidates[index].removed {
            let c = (first: candidates[index].first, last: candidates[index].last)
            // Not after a preposition or a possessive: "for Biden", "to Putin" are not subjects.
            if c.first > 0, info[c.first - 1].isWord, lexicon.prepositions.contains(info[c.first - 1].hash) { continue }
            subjects.append(index)
            let sentence = info[c.first].sentence
            if sentence >= firstPersonInSentence.count {
                firstPersonInSentence.append(contentsOf: repeatElement(-1, count: sentence + 1 - firstPersonInSentence.count))
            }
            if firstPersonInSentence[sentence] < 0 { firstPersonInSentence[sentence] = index }
            anyPerson = true
        }
        guard anyPerson else { return }
        var added: [Candidate] = []
        for i in 0..<(info.count - 1)
        where info[i].isWord && info[i].end - info[i].start <= lexicon.longestPronoun && lexicon.pronouns.contains(info[i].hash) {
            guard lexicon.speechVerbs.contains(info[i + 1].hash) else { continue }
            let sentence = info[i].sentence
            var target: Int? = nil
            if let index = subjects.last(where: { info[candidates[$0].first].sentence == sentence && candidates[$0].last < i }) {
                target = index
            } else {
                var back = sentence - 1
                while back >= 0 && back >= sentence - 3 {
                    if back < firstPersonInSentence.count, firstPersonInSentence[back] >= 0 { target = firstPersonInSentence[back]; break }
                    back -= 1
                }
            }
            guard let target else { continue }
            var pronoun = Candidate(first: i, last: i, kind: .person, canonical: nil, strong: true)
            pronoun.pronoun = true
            pronoun.canonical = String(target)  // resolved in grouping
            added.append(pronoun)
        }
        candidates.append(contentsOf: added)
    }
}
