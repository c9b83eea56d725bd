/// Word lists and the light normaliser shared by the keyword and summary stages. Built once per
/// `Analyzer` (the sets are immutable and shared between worker threads).
struct KeywordLexicon: Sendable {
    /// Function words and words too generic to say what a news article is about, by the 64-bit FNV-1a hash
    /// (`hash`) of their UTF-8 bytes: `WordTable` has that hash of every new form already, so checking a
    /// form builds no String. The words are ASCII, so byte equality is String equality for them.
    let stopWords: HashSet64

    init() {
        var words = HashSet64(minimumCapacity: 1024)
        for word in Self.functionWords.split(separator: " ") { words.insert(Self.hash(Array(word.utf8))) }
        for word in Self.genericWords.split(separator: " ") { words.insert(Self.hash(Array(word.utf8))) }
        // Curly apostrophes are folded to straight ones before lookup (see `lowercased`).
        stopWords = words
    }

    /// Whether the lowercased word whose UTF-8 bytes hash (`hash`) to `hash` is a stop word.
    func isStopWord(hash: UInt64) -> Bool { stopWords.contains(hash) }

    /// Lowercases a word token and folds ’ to ', in one pass over its scalars.
    static func lowercased(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        for scalar in scalars {
            if scalar.value >= 0x41 && scalar.value <= 0x5A {
                view.append(Unicode.Scalar(scalar.value + 0x20)!)
            } else if scalar.isASCII {
                view.append(scalar)
            } else if scalar == "’" {
                view.append("'")
            } else {
                view.append(contentsOf: scalar.propertyLowercaseMapping.unicodeScalars)
            }
        }
        return String(view)
    }

    /// A light inflectional stem (possessives, plurals, Porter step 1a-like), enough to group "meeting"
    /// with "meetings" and "Russia's" with "Russia". Works on lowercased text.
    static func stem(_ word: String) -> String {
        let bytes = Array(word.utf8)
        let stemmed = stem(bytes)
        return stemmed.count == bytes.count ? word : String(decoding: stemmed, as: UTF8.self)
    }

    /// The light stem of a lowercased word's UTF-8 bytes: possessive and plural endings removed
    /// ("leaders'" → "leader", "policies" → "policy", "classes" → "class"; not "bus", "this", "glass").
    /// The suffixes are ASCII, so comparing bytes is comparing scalars; lengths count scalars.
    static func stem(_ word: [UInt8]) -> [UInt8] {
        var bytes = word
        let apostrophe = UInt8(ascii: "'")
        let s = UInt8(ascii: "s")
        if bytes.count > 2, bytes[bytes.count - 1] == s, bytes[bytes.count - 2] == apostrophe {
            bytes.removeLast(2)
        } else if bytes.count > 1, bytes[bytes.count - 1] == apostrophe {
            bytes.removeLast()
        }
        let n = bytes.reduce(0) { $0 + ($1 & 0b1100_0000 == 0b1000_0000 ? 0 : 1) }
        let count = bytes.count
        func ends(_ suffix: StaticString) -> Bool {
            let length = suffix.utf8CodeUnitCount
            guard n > length else { return false }
            return suffix.withUTF8Buffer { tail in
                for index in 0..<length where bytes[count - length + index] != tail[index] { return false }
                return true
            }
        }
        if ends("sses") {
            bytes.removeLast(2)
        } else if n > 4, ends("ies") {
            bytes.removeLast(3)
            bytes.append(UInt8(ascii: "y"))
        } else if n > 3, ends("s"), !ends("ss"), !ends("us"), !ends("is") {
            bytes.removeLast()
        }
        return bytes
    }

    /// `hash(stem(word))` without building the stem: the stem is a prefix of the word, possibly followed by
    /// "y" (see `stem`), so only its length is worked out.
    static func stemHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let apostrophe = UInt8(ascii: "'")
        let s = UInt8(ascii: "s")
        var count = bytes.count
        if count > 2, bytes[count - 1] == s, bytes[count - 2] == apostrophe {
            count -= 2
        } else if count > 1, bytes[count - 1] == apostrophe {
            count -= 1
        }
        var n = 0
        for index in 0..<count where bytes[index] & 0b1100_0000 != 0b1000_0000 { n += 1 }
        @inline(__always) func ends(_ suffix: StaticString) -> Bool {
            let length = suffix.utf8CodeUnitCount
            guard n > length else { return false }
            return suffix.withUTF8Buffer { tail in
                for index in 0..<length where bytes[count - length + index] != tail[index] { return false }
                return true
            }
        }
        var appendY = false
        if ends("sses") {
            count -= 2
        } else if n > 4, ends("ies") {
            count -= 3
            appendY = true
        } else if n > 3, ends("s"), !ends("ss"), !ends("us"), !ends("is") {
            count -= 1
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in 0..<count { hash = (hash ^ UInt64(bytes[index])) &* 0x100_0000_01b3 }
        if appendY { hash = (hash ^ UInt64(UInt8(ascii: "y"))) &* 0x100_0000_01b3 }
        return hash
    }

    /// 64-bit FNV-1a: the key of word forms and stems in `WordTable`.
    @inline(__always)
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    private static let functionWords = """
        a about above across after afterwards again against all almost alone already also although always am \
        among amongst an and another any anybody anyone anything anyway anywhere are aren't around as at be \
        became because become becomes becoming been before beforehand behind being below beside besides \
        between beyond both but by can can't cannot could couldn't did didn't do does doesn't doing don't \
        done down during each either else elsewhere enough etc even ever every everybody everyone everything \
        everywhere except few for from further furthermore had hadn't has hasn't have haven't having he he'd \
        he'll he's hence her here here's hereby herein hers herself him himself his how how's however i i'd \
        i'll i'm i've ie if in indeed inside instead into is isn't it it'd it'll it's its itself just least \
        less many may maybe me meanwhile might mine more moreover most mostly much must mustn't my myself \
        namely neither never nevertheless no nobody none nor not nothing now nowhere of off often on once one \
        ones only onto or other others otherwise ought our ours ourselves out over own per perhaps quite \
        rather same shall shan't she she'd she'll she's should shouldn't since so some somebody someone \
        somehow something sometime sometimes somewhat somewhere such than that that'd that'll that's the \
        their theirs them themselves then thence there there'd there'll there's thereafter thereby therefore \
        therein these they they'd they'll they're they've this those though through throughout thru thus to \
        together too toward towards under unless unlike until up upon us very via was wasn't we we'd we'll \
        we're we've were weren't what what'd what'll what's whatever when when's whence whenever where \
        where's whereas whereby wherever whether which while whither who who'd who'll who's whoever whole \
        whom whose why why's will with within without won't would wouldn't yet you you'd you'll you're \
        you've your yours yourself yourselves mr mrs ms dr st jr sr
        """

    /// Generic verbs, adverbs, adjectives and time words that rarely make a keyword on their own.
    private static let genericWords = """
        according add added adds ago ahead along asked ask asks away back best better big came come comes \
        coming did early end ended get gets getting give given gives giving go goes going gone good got \
        great high just keep keeps kept know known last late later let let's like likely little long look \
        looked looking looks lot lots low made make makes making mean means need needs new next old part put \
        puts really right said say saying says see seen seem seemed seems set several show showed shown \
        shows sure take taken takes taking tell telling tells think thinks thought told took try tried \
        trying use used uses using want wanted wants way ways week weeks went well yes yesterday today \
        tomorrow day days year years time times month months monday tuesday wednesday thursday friday \
        saturday sunday first second third fourth fifth two three four five six seven eight nine ten \
        hundred thousand million billion trillion percent able around certain found find finds recently \
        still thing things actually already almost among ap reuters via though despite including include \
        includes included near nearly full
        """
}

/// Word ids for one document: each distinct written form is lowercased, checked against the stop words
/// and stemmed once; later occurrences cost one hash lookup. Forms with the same stem share an id.
struct WordTable {
    /// Id of a content word by the 64-bit FNV-1a hash of its lowercased form, or -1 for a stop word. Known
    /// forms (most tokens of an article) are found without building a String.
    private var forms = HashMap64<Int32>(minimumCapacity: 512)
    private var stems = HashMap64<Int32>(minimumCapacity: 512)
    private var buffer: [UInt8] = []
    private(set) var count = 0

    init() { buffer.reserveCapacity(32) }

    /// The id of a word token's stem, or nil for a stop word. `scalars` are the token's, read in place (an
    /// ArraySlice per token retained and released the whole text).
    mutating func id(_ scalars: UnsafeBufferPointer<Unicode.Scalar>, _ lexicon: KeywordLexicon) -> Int32? {
        // ASCII words (nearly all): hash the lowercased bytes without copying them.
        var asciiHash: UInt64 = 0xcbf2_9ce4_8422_2325
        var isASCII = true
        for scalar in scalars {
            let value = scalar.value
            guard value < 0x80 else {
                isASCII = false
                break
            }
            asciiHash = (asciiHash ^ UInt64(value >= 0x41 && value <= 0x5A ? value + 0x20 : value)) &* 0x100_0000_01b3
        }
        if isASCII {
            if let known = forms[asciiHash] { return known < 0 ? nil : known }
            // A new ASCII form: its lowercased bytes on the stack, not appended one by one to `buffer`.
            if lexicon.isStopWord(hash: asciiHash) {
                forms.set(asciiHash, -1)
                return nil
            }
            let stem = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: scalars.count) { bytes in
                var index = 0
                for scalar in scalars {
                    let value = scalar.value
                    bytes[index] = UInt8(truncatingIfNeeded: value >= 0x41 && value <= 0x5A ? value + 0x20 : value)
                    index += 1
                }
                return KeywordLexicon.stemHash(UnsafeBufferPointer(rebasing: bytes[0..<index]))
            }
            return register(form: asciiHash, stem: stem)
        }
        buffer.removeAll(keepingCapacity: true)
        for scalar in scalars {
            let value = scalar.value
            if value < 0x80 {
                buffer.append(UInt8(value >= 0x41 && value <= 0x5A ? value + 0x20 : value))
            } else if scalar == "’" {
                buffer.append(0x27)
            } else {
                buffer.append(contentsOf: scalar.propertyLowercaseMapping.utf8)
            }
        }
        let hash = KeywordLexicon.hash(buffer)
        if let known = forms[hash] { return known < 0 ? nil : known }
        if lexicon.isStopWord(hash: hash) {
            forms.set(hash, -1)
            return nil
        }
        let stem = buffer.withUnsafeBufferPointer { KeywordLexicon.stemHash($0) }
        return register(form: hash, stem: stem)
    }

    /// Records a new content-word form under its stem's id (a new id for a new stem).
    private mutating func register(form: UInt64, stem: UInt64) -> Int32 {
        let id: Int32
        if let known = stems[stem] {
            id = known
        } else {
            id = Int32(count)
            count += 1
            stems.set(stem, id)
        }
        forms.set(form, id)
        return id
    }

    /// The id of an already lowercased word's stem, if the document has it.
    func existingId(stem: String) -> Int32? { stems[KeywordLexicon.hash(Array(stem.utf8))] }
}

/// The content-word id of every token (-1: not a content word), computed once per document and shared by
/// the keyword and summary stages.
struct ContentWords {
    var ids: [Int32]
    var table: WordTable

    init(_ document: Document, lexicon: KeywordLexicon) {
        var table = WordTable()
        var ids: [Int32] = []
        ids.reserveCapacity(document.tokens.count)
        document.scalars.withUnsafeBufferPointer { scalars in
            for token in document.tokens {
                guard token.kind == .word, token.end - token.start > 1 else {
                    ids.append(-1)
                    continue
                }
                ids.append(table.id(UnsafeBufferPointer(rebasing: scalars[token.start..<token.end]), lexicon) ?? -1)
            }
        }
        self.ids = ids
        self.table = table
    }
}
