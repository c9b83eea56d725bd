/// A MinHash signature of an article's text, for near-duplicate detection. Pure: no I/O, no state.
///
/// The text is normalised (lower case, letters and digits only, so quote styles, punctuation and whitespace
/// do not matter), English stop words are dropped, and every remaining word becomes a shingle together with
/// its occurrence number (`bridge#1`, `bridge#2`): a multiset of words, so paragraph order does not matter
/// and a repeated word still counts. A word is keyed by its letters in any order (`wordKey`), so a typo that
/// swaps two letters ("bridge", "brigde") keeps the word. Each shingle is hashed with fixed, seeded 64-bit
/// hashes, never Swift's randomly seeded `Hasher`, so signatures are the same on every run and machine and
/// may be stored.
///
/// The similarity newsd reports is the *overlap*: the share of the smaller article's shingles that the other
/// one has too, |A ∩ B| / min(|A|, |B|). Unlike Jaccard it stays high when one copy adds a byline and a
/// footer or cuts the ending. The MinHash signature only finds candidates (LSH bands); a candidate is then
/// verified on the shingles themselves (`shingleKeys`), so the overlap is exact. (A 128-value estimate has a
/// standard deviation of about 0.025 near 0.8, which decided pairs on either side of the threshold by
/// chance.) The signature is a function of the keys alone (`signature(ofKeys:)`), so a stored row's can
/// always be computed again.
public struct Fingerprint: Sendable, Equatable {
    /// Signature length (positions of the one-permutation hash; a power of two).
    public static let permutations = 128
    /// LSH bands × rows per band = permutations. With 32 × 4, a pair with Jaccard 0.5 becomes a candidate
    /// with probability 0.87, one with 0.7 with 0.9999, an unrelated pair (0.05) with 0.0002.
    public static let bands = 32
    public static let rowsPerBand = 4
    /// Only the first this many content words count: a news article has far fewer, and a 10 MB input must
    /// not cost a hash and a table entry for each of its million words.
    public static let maximumShingles = 20_000

    /// The minimum hash of each position over the shingle keys (`signature(ofKeys:)`).
    public var signature: [UInt32]
    /// How many shingles (content words, with repetition) the text had.
    public var shingles: Int
    /// The shingles as sorted, distinct 32-bit keys (the upper half of each shingle's hash; two shingles of
    /// one article share a key with odds of about 1 in 10⁵ for a 300-word article). Empty only when a
    /// stored signature is read without them.
    public var shingleKeys: [UInt32]

    public init(signature: [UInt32], shingles: Int, shingleKeys: [UInt32] = []) {
        self.signature = signature
        self.shingles = shingles
        self.shingleKeys = shingleKeys
    }

    /// The fingerprint of `text`; nil when it has no content words.
    public init?(text: String) {
        let words = Fingerprint.shingles(of: text)
        guard !words.isEmpty else { return nil }
        var keys = Fingerprint.radixSorted(words.map { UInt32(truncatingIfNeeded: $0 >> 32) })
        // In place, by index: a `for key in keys` would hold the array while it is written, and copy it.
        var distinct = 1
        for index in 1..<keys.count where keys[distinct - 1] != keys[index] {
            keys[distinct] = keys[index]
            distinct += 1
        }
        keys.removeLast(keys.count - distinct)
        self.init(signature: Fingerprint.signature(ofKeys: keys), shingles: words.count, shingleKeys: keys)
    }

    /// The MinHash signature of a set of shingle keys by one-permutation hashing with optimal densification
    /// (Shrivastava, ICML 2017): each key is hashed once; the top 7 bits of the hash choose one of the 128
    /// positions and the low 32 bits compete for that position's minimum. A position no key fell into borrows
    /// the minimum of another, picked by a fixed sequence of hashes of its number until one lands on a filled
    /// position. Two sets borrow alike, so a position agrees with probability equal to their Jaccard
    /// similarity, as with 128 independent hash functions, for one hash per key instead of 128. `keys` must not
    /// be empty.
    ///
    /// The shingles of common words (`isCommon`) are left out, unless nothing else is left. Most articles
    /// have dozens of them ("people", "year", "government"), so a position whose minimum one of them takes
    /// agrees between unrelated articles far more often than their Jaccard similarity says, and a band of
    /// four such positions made unrelated articles candidates: on a 20,000-file fresh drain, two in five
    /// lookups read band lists from the tables for articles they then ruled out. A copy shares its rare words
    /// as much as its common ones, so it stays a candidate; the overlap that decides is still counted on
    /// every shingle.
    public static func signature(ofKeys keys: [UInt32]) -> [UInt32] {
        precondition(!keys.isEmpty, "a signature needs at least one shingle")
        var minimums = [UInt32](repeating: .max, count: permutations)
        var filled = [UInt8](repeating: 0, count: permutations)  // 1 once a key fell into the position
        let shift = UInt64(64 - permutations.trailingZeroBitCount)  // the top bits choose a position
        keys.withUnsafeBufferPointer { keys in
            minimums.withUnsafeMutableBufferPointer { minimums in
                filled.withUnsafeMutableBufferPointer { filled in
                    commonKeyMap.withUnsafeBufferPointer { common in
                        if takeMinimums(keys, into: minimums, filled: filled, common: common, leavingOutCommon: 1, shift: shift) == 0 {
                            // Only common words: they are all there is to go by.
                            _ = takeMinimums(keys, into: minimums, filled: filled, common: common, leavingOutCommon: 0, shift: shift)
                        }
                    }
                }
            }
        }
        var signature = minimums
        for position in 0..<permutations where filled[position] == 0 {
            var attempt: UInt64 = 0
            while true {
                attempt += 1
                let donor = Int(truncatingIfNeeded: mix((UInt64(position) << 32 | attempt) ^ borrowSeed) >> shift)
                if filled[donor] != 0 {
                    signature[position] = minimums[donor]
                    break
                }
            }
        }
        return signature
    }

    /// Takes each key's hash into the minimum of its position, but for the keys set in `common` when
    /// `leavingOutCommon` is 1 (0 takes every key); returns how many it took. Branch-free: many of an
    /// article's keys are common, in no order a branch could learn. (As a nested function it captured the
    /// arrays, and each access went through their box: 40,000 more instructions an article than this.)
    @inline(__always)
    private static func takeMinimums(
        _ keys: UnsafeBufferPointer<UInt32>, into minimums: UnsafeMutableBufferPointer<UInt32>,
        filled: UnsafeMutableBufferPointer<UInt8>, common: UnsafeBufferPointer<UInt64>, leavingOutCommon: UInt32, shift: UInt64
    ) -> Int {
        var taken = 0
        for key in keys {
            let leftOut = commonBit(key, in: common) & leavingOutCommon
            let hash = mix(UInt64(key) ^ positionSeed)
            let position = Int(truncatingIfNeeded: hash >> shift)
            minimums[position] = min(minimums[position], UInt32(truncatingIfNeeded: hash) | (0 &- leftOut))
            filled[position] |= UInt8(truncatingIfNeeded: 1 &- leftOut)
            taken &+= Int(1 &- leftOut)
        }
        return taken
    }

    /// Whether the signature leaves `key` out: the shingle key of a common word (`commonWords`) in one of its
    /// first `commonOccurrences` occurrences, or one of the other keys that share its bit in `commonKeyMap`
    /// (about 1 in 130: a fixed few more left out, which changes no pair's odds).
    public static func isCommon(_ key: UInt32) -> Bool {
        commonKeyMap.withUnsafeBufferPointer { commonBit(key, in: $0) } == 1
    }

    /// A word's shingles after this many occurrences count in the signature even when the word is common: an
    /// article that says "bank" nine times is about banks.
    static let commonOccurrences: UInt64 = 8

    /// 1 when the bit of `key` is set in `map`, else 0.
    @inline(__always)
    private static func commonBit(_ key: UInt32, in map: UnsafeBufferPointer<UInt64>) -> UInt32 {
        let bit = key >> commonKeyShift
        return UInt32(truncatingIfNeeded: map[Int(bit >> 6)] >> UInt64(bit & 63)) & 1
    }

    /// The map has 2^20 bits (128 KiB), one for each value of a key's top 20 bits.
    private static let commonKeyShift: UInt32 = 12

    /// The bits of the common words' shingle keys.
    private static let commonKeyMap: [UInt64] = {
        var map = [UInt64](repeating: 0, count: 1 << (32 - commonKeyShift - 6))
        for word in commonWords {
            let base = wordKey(word)
            for occurrence in 1...commonOccurrences {
                let bit = UInt32(truncatingIfNeeded: shingle(base, occurrence: occurrence) >> 32) >> commonKeyShift
                map[Int(bit >> 6)] |= 1 << UInt64(bit & 63)
            }
        }
        return map
    }()

    static let positionSeed: UInt64 = 0x6E65_7773_645F_6F70  // "newsd_op"
    static let borrowSeed: UInt64 = 0x6E65_7773_645F_6272  // "newsd_br"

    /// The estimated Jaccard similarity: the share of signature positions that agree.
    public func jaccard(_ other: Fingerprint) -> Double {
        guard signature.count == other.signature.count, !signature.isEmpty else { return 0 }
        var equal = 0
        for index in signature.indices where signature[index] == other.signature[index] { equal += 1 }
        return Double(equal) / Double(signature.count)
    }

    /// The overlap |A ∩ B| / min(|A|, |B|), in 0…1, counted exactly on the shingle keys; 0 when either side
    /// has none (a stored signature read without them).
    public func similarity(_ other: Fingerprint) -> Double {
        similarity(toKeys: other.shingleKeys)
    }

    /// The overlap with the article whose shingle keys are `keys` (sorted and distinct, as stored).
    public func similarity(toKeys keys: [UInt32]) -> Double {
        guard !shingleKeys.isEmpty, !keys.isEmpty else { return 0 }
        return Double(Fingerprint.commonCount(shingleKeys, keys)) / Double(min(shingleKeys.count, keys.count))
    }

    /// `values` in ascending order, by `BucketSort` on their top bits. It took a third of the instructions of
    /// the four-pass LSD radix sort before it (callgrind: 31,500 an article of the corpus), which was itself a
    /// few times cheaper than the standard library's merging sort.
    static func radixSorted(_ values: [UInt32]) -> [UInt32] {
        guard values.count > 64 else { return values.sorted() }
        let bits = BucketSort.bits(for: values.count, limit: 16)
        let shift = UInt32(32 - bits)
        return BucketSort.sorted(values, bits: bits) { Int($0 >> shift) }
    }

    /// The overlap with the article whose shingle keys are `keys`, when it reaches `threshold`; nil when it
    /// does not. The same value as `similarity(toKeys:)`, but the merge stops as soon as the keys left cannot
    /// bring it to the threshold: most candidates a band finds are articles on the same story, not copies.
    public func similarity(toKeys keys: [UInt32], atLeast threshold: Double) -> Double? {
        similarity(toKeys: keys, atLeast: threshold, buckets: nil)
    }

    /// `similarity(toKeys:atLeast:)`, after ruling out on the buckets of both key sets (`mine` must be those
    /// of `shingleKeys`) a candidate that cannot reach `threshold`: most candidates a band finds share a
    /// paragraph or two, and 512 byte comparisons settle them where the merge takes a step per key.
    public func similarity(toKeys keys: [UInt32], buckets theirs: KeyBuckets, mine: KeyBuckets, atLeast threshold: Double) -> Double? {
        similarity(toKeys: keys, atLeast: threshold, buckets: (mine, theirs))
    }

    private func similarity(toKeys keys: [UInt32], atLeast threshold: Double, buckets: (mine: KeyBuckets, theirs: KeyBuckets)?) -> Double? {
        guard !shingleKeys.isEmpty, !keys.isEmpty else { return threshold <= 0 ? 0 : nil }
        if let buckets, !mayReach(threshold, keyCount: keys.count, buckets: buckets.theirs, mine: buckets.mine) { return nil }
        let smaller = min(shingleKeys.count, keys.count)
        guard let common = Fingerprint.commonCount(shingleKeys, keys, atLeast: Fingerprint.needed(threshold, of: smaller)) else { return nil }
        let similarity = Double(common) / Double(smaller)
        return similarity >= threshold ? similarity : nil
    }

    /// False when an article with `keyCount` shingle keys whose buckets are `theirs` cannot reach `threshold`
    /// (`mine` must be the buckets of `shingleKeys`): the buckets' bound is below what it needs. True says
    /// only that the keys must be compared.
    public func mayReach(_ threshold: Double, keyCount: Int, buckets theirs: KeyBuckets, mine: KeyBuckets) -> Bool {
        guard !shingleKeys.isEmpty, keyCount > 0 else { return threshold <= 0 }
        guard let most = mine.mostCommon(with: theirs) else { return true }
        return most >= Fingerprint.needed(threshold, of: min(shingleKeys.count, keyCount))
    }

    /// The fewest common keys that may reach `threshold` when the smaller side has `smaller` keys. Rounded
    /// down: a bound for ruling out and for stopping early only (0.8 × 35 is 28.000000000000004 in floating
    /// point, and 28 of 35 must still pass); the similarity itself decides.
    static func needed(_ threshold: Double, of smaller: Int) -> Int {
        max(0, Int((threshold * Double(smaller)).rounded(.down)))
    }

    /// `commonCount(a, b)` when it is at least `needed`, else nil, found out as early as the merge can tell.
    ///
    /// Branch-free steps: which side moves on depends on random keys, and as branches they were mispredicted
    /// about every other step (verifying candidates was the ledger's largest cost in a long drain).
    static func commonCount(_ a: [UInt32], _ b: [UInt32], atLeast needed: Int) -> Int? {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var i = 0
                var j = 0
                var common = 0
                while i < a.count, j < b.count {
                    // Every step leaves at most one fewer key to match on one side.
                    if common + min(a.count - i, b.count - j) < needed { return nil }
                    // 1 when a's key is below b's, and 1 when above: the borrow out of a 64-bit subtraction.
                    let (x, y) = (UInt64(a[i]), UInt64(b[j]))
                    let below = Int(truncatingIfNeeded: (x &- y) >> 63)
                    let above = Int(truncatingIfNeeded: (y &- x) >> 63)
                    common &+= 1 &- below &- above
                    i &+= 1 &- above
                    j &+= 1 &- below
                }
                return common >= needed ? common : nil
            }
        }
    }

    /// How many values two sorted, distinct arrays share: one merge pass.
    static func commonCount(_ a: [UInt32], _ b: [UInt32]) -> Int {
        commonCount(a, b, atLeast: 0)!  // Nothing is below 0: the merge runs to the end.
    }

    /// One key per LSH band: articles that share a key are candidates to compare.
    public var bandKeys: [Int64] {
        guard signature.count == Fingerprint.permutations else { return [] }
        return (0..<Fingerprint.bands).map { band in
            var hash = Fingerprint.mix(UInt64(band) &+ 0x5851_F42D_4C95_7F2D)
            for row in 0..<Fingerprint.rowsPerBand {
                hash = Fingerprint.mix(hash ^ UInt64(signature[band * Fingerprint.rowsPerBand + row]))
            }
            return Int64(bitPattern: hash)
        }
    }

    /// The signature as little-endian bytes, for storage.
    public var bytes: [UInt8] { Fingerprint.littleEndian(signature) }

    /// The shingle keys as little-endian bytes, for storage.
    public var shingleKeyBytes: [UInt8] { Fingerprint.littleEndian(shingleKeys) }

    /// A stored fingerprint: its signature, shingle count and (when the row has them) shingle keys.
    public init?(bytes: [UInt8], shingles: Int, shingleKeyBytes: [UInt8] = []) {
        guard bytes.count == Fingerprint.permutations * 4, shingleKeyBytes.count % 4 == 0 else { return nil }
        self.init(
            signature: Fingerprint.values(littleEndian: bytes), shingles: shingles,
            shingleKeys: Fingerprint.values(littleEndian: shingleKeyBytes))
    }

    static func littleEndian(_ values: [UInt32]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(values.count * 4)
        for value in values {
            out.append(UInt8(truncatingIfNeeded: value))
            out.append(UInt8(truncatingIfNeeded: value >> 8))
            out.append(UInt8(truncatingIfNeeded: value >> 16))
            out.append(UInt8(truncatingIfNeeded: value >> 24))
        }
        return out
    }

    static func values(littleEndian bytes: [UInt8]) -> [UInt32] {
        var values = [UInt32]()
        values.reserveCapacity(bytes.count / 4)
        for index in stride(from: 0, to: bytes.count - 3, by: 4) {
            values.append(
                UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16
                    | UInt32(bytes[index + 3]) << 24)
        }
        return values
    }

    // MARK: Shingles and hashing

    /// The normalised content words of `text`, in order: lower case, letters and digits only, stop words
    /// and one-letter words dropped.
    public static func words(of text: String, limit: Int = .max) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if current.count > 1 {
                let word = String(current)
                if !stopWords.contains(word) { words.append(word) }
            }
            current.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            if words.count >= limit { break }
            if scalar.isASCII {
                let value = scalar.value
                if (0x61...0x7A).contains(value) || (0x30...0x39).contains(value) {
                    current.append(scalar)
                } else if (0x41...0x5A).contains(value) {
                    current.append(Unicode.Scalar(value + 0x20)!)
                } else {
                    flush()
                }
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                flush()
            }
        }
        if words.count < limit { flush() }
        return words
    }

    /// What `shingles(of:)` computes in one pass, spelled out: each content word's `wordKey` mixed with its
    /// occurrence number, for the first `maximumShingles` words. A String per word: for checking the fast
    /// path (the tests and the fuzzer), not for use.
    public static func referenceShingles(of text: String) -> [UInt64] {
        var occurrences: [UInt64: UInt64] = [:]
        return words(of: text, limit: maximumShingles).map { word in
            let base = wordKey(word)
            let occurrence = occurrences[base, default: 0] + 1
            occurrences[base] = occurrence
            return shingle(base, occurrence: occurrence)
        }
    }

    /// The hashed shingles of `text`: each content word with its occurrence number (the first
    /// `maximumShingles`).
    public static func shingles(of text: String) -> [UInt64] {
        var text = text
        return text.withUTF8 { shingles(utf8: $0) }
    }

    /// The same values as `referenceShingles(of:)`, in one pass over the UTF-8 without building a String per
    /// word: each word's lowercased UTF-8 goes straight into its FNV-1a hash (what stop words, and words with
    /// a digit, are recognised by) and into its `wordKey` sum, and occurrences are counted in a table keyed by
    /// the word's key. Only letters and digits outside ASCII are decoded to scalars (for their Unicode
    /// properties and lowercase mapping).
    static func shingles(utf8 bytes: UnsafeBufferPointer<UInt8>) -> [UInt64] {
        stopWordTable.withUnsafeBufferPointer { stopWords in
            asciiFolding.withUnsafeBufferPointer { folding in
                byteWeights.withUnsafeBufferPointer { weights in
                    shingles(utf8: bytes, stopWords: stopWords, folding: folding, weights: weights)
                }
            }
        }
    }

    private static func shingles(
        utf8 bytes: UnsafeBufferPointer<UInt8>, stopWords: UnsafeBufferPointer<UInt64>, folding: UnsafeBufferPointer<UInt8>,
        weights: UnsafeBufferPointer<UInt64>
    ) -> [UInt64] {
        let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
        let prime: UInt64 = 0x0000_0100_0000_01B3
        var shingles: [UInt64] = []
        shingles.reserveCapacity(min(bytes.count / 8, maximumShingles))
        var occurrences = HashCounter(minimumCapacity: min(bytes.count / 8, maximumShingles))
        var hash = offsetBasis  // FNV-1a of the word, in order: what stop words are recognised by
        var key: UInt64 = 0  // the word's letters in any order (`wordKey`)
        var letterBits: UInt8 = 0xFF  // the folded bytes ANDed: 0x40 is clear once a digit came (`hasDigit`)
        var scalarsInWord = 0
        /// Ends the word being read; true once the text has given `maximumShingles`.
        func flush() -> Bool {
            defer {
                hash = offsetBasis
                key = 0
                letterBits = 0xFF
                scalarsInWord = 0
            }
            guard scalarsInWord > 1, !isStopWord(hash, in: stopWords) else { return false }
            let hasDigit = letterBits & 0x40 == 0  // then the word is keyed by its spelling, `hash`
            let word = hasDigit ? hash : key
            let occurrence = occurrences.increment(word)
            shingles.append(shingle(word, occurrence: occurrence))
            return shingles.count >= maximumShingles
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let folded = folding[Int(byte)]
            if folded != 0 && folded != 0xFF {  // An ASCII letter or digit, lower case.
                hash = (hash ^ UInt64(folded)) &* prime
                key &+= weights[Int(folded)]
                letterBits &= folded  // lower-case letters have 0x40 set, digits (0x30…0x39) do not
                scalarsInWord += 1
                index += 1
                continue
            }
            if folded == 0 {  // Any other ASCII character.
                index += 1
                if scalarsInWord > 0, flush() { return shingles }
                continue
            }
            // A String's UTF-8 is valid: the lead byte gives the length.
            var value: UInt32
            let length: Int
            if byte < 0xE0 {
                value = UInt32(byte & 0x1F)
                length = 2
            } else if byte < 0xF0 {
                value = UInt32(byte & 0x0F)
                length = 3
            } else {
                value = UInt32(byte & 0x07)
                length = 4
            }
            for continuation in 1..<length { value = value << 6 | UInt32(bytes[index + continuation] & 0x3F) }
            index += length
            guard let scalar = Unicode.Scalar(value),
                scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            else {
                if scalarsInWord > 0, flush() { return shingles }
                continue
            }
            if scalar.properties.numericType != nil { letterBits = 0 }
            for lower in scalar.properties.lowercaseMapping.unicodeScalars {
                UTF8.encode(lower) {
                    hash = (hash ^ UInt64($0)) &* prime
                    key &+= weights[Int($0)]
                }
                scalarsInWord += 1
            }
        }
        _ = flush()
        return shingles
    }

    /// What each byte of UTF-8 is to `shingles(utf8:)`: an ASCII letter or digit maps to itself in lower case,
    /// any other ASCII character to 0, and a byte of a longer sequence to 0xFF. One table lookup and one
    /// well-predicted branch a letter, where comparing against three ranges mispredicted often.
    private static let asciiFolding: [UInt8] = (0...255).map { (byte: Int) -> UInt8 in
        switch byte {
        case 0x30...0x39, 0x61...0x7A: UInt8(byte)
        case 0x41...0x5A: UInt8(byte + 0x20)
        case 0x80...: 0xFF
        default: 0
        }
    }

    /// FNV-1a hashes of the stop words, for `shingles(of:)`: an open-addressed table (linear probing, 0 an
    /// empty slot) a quarter full, so a word that is not one (most) usually costs one probe.
    private static let stopWordTable: [UInt64] = {
        var table = [UInt64](repeating: 0, count: stopWordSlots)
        for word in stopWords {
            let hash = fnv1a(word)
            var index = stopWordSlot(hash)
            while table[index] != 0 { index = (index + 1) & (stopWordSlots - 1) }
            table[index] = hash
        }
        return table
    }()

    private static let stopWordSlots = 512

    @inline(__always)
    private static func stopWordSlot(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - stopWordSlots.trailingZeroBitCount))
    }

    @inline(__always)
    private static func isStopWord(_ hash: UInt64, in table: UnsafeBufferPointer<UInt64>) -> Bool {
        var index = stopWordSlot(hash)
        while true {
            let slot = table[index]
            if slot == hash { return true }
            if slot == 0 { return false }
            index = (index + 1) & (stopWordSlots - 1)
        }
    }

    /// Counts 64-bit hashes (open addressing, linear probing, in one buffer of key and count pairs).
    /// `Dictionary` would run SipHash over keys that are hashes already; here a lookup is one multiply and
    /// usually one probe.
    struct HashCounter: ~Copyable {
        private var slots: UnsafeMutableBufferPointer<(key: UInt64, count: UInt64)>
        private var shift: UInt64
        private var occupied = 0

        init(minimumCapacity: Int) {
            var bits: UInt64 = 4
            while (1 << bits) < minimumCapacity * 2 { bits += 1 }
            slots = .allocate(capacity: 1 << bits)
            slots.initialize(repeating: (0, 0))
            shift = 64 - bits
        }

        deinit { slots.deallocate() }

        /// The slot of `key`, or the empty one where it would go.
        @inline(__always)
        private func slot(_ key: UInt64) -> Int {
            let mask = slots.count - 1
            var index = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while slots[index].count != 0, slots[index].key != key { index = (index + 1) & mask }
            return index
        }

        /// Adds one to the count of `key` and returns the new count.
        @inline(__always)
        mutating func increment(_ key: UInt64) -> UInt64 {
            var index = slot(key)
            if slots[index].count == 0 {
                if (occupied + 1) * 2 > slots.count {
                    grow()
                    index = slot(key)
                }
                slots[index].key = key
                occupied += 1
            }
            slots[index].count += 1
            return slots[index].count
        }

        private mutating func grow() {
            let old = slots
            slots = .allocate(capacity: old.count * 2)
            slots.initialize(repeating: (0, 0))
            shift -= 1
            for entry in old where entry.count != 0 { slots[slot(entry.key)] = entry }
            old.deallocate()
        }
    }

    /// A word's key. For a word of letters, the sum of a fixed random weight for each byte of its (lower-cased)
    /// UTF-8: the same for any order of its letters. The commonest typo, two letters swapped ("brigde" for
    /// "bridge", "govenrment" for "government"), then leaves the word as it was, where a hash of the spelling
    /// made it a different word and cost a changed article its overlap with its original: on the
    /// near-duplicate test set, the members any order lets a verifier find at 0.8 went from about 95 to about
    /// 98 %. Anagrams ("least", "steal") share a key; between articles that are not copies that moved no
    /// overlap near the threshold (the highest stayed 0.76 on each set). A word with a digit in it keeps its
    /// spelling (`fnv1a`): 2012 and 2021 are different years.
    public static func wordKey(_ word: String) -> UInt64 {
        if word.unicodeScalars.contains(where: { $0.properties.numericType != nil }) { return fnv1a(word) }
        return word.utf8.reduce(0) { $0 &+ byteWeights[Int($1)] }
    }

    /// The weight of each byte value in `wordKey`: the murmur3 finaliser of the byte and a fixed seed.
    private static let byteWeights: [UInt64] = (0..<256).map { mix(UInt64($0) ^ 0x6E65_7773_645F_776B) }  // "newsd_wk"

    /// 64-bit FNV-1a over the UTF-8 bytes.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    /// The hashed shingle of a word's `occurrence`th occurrence (from 1), the word given by its `wordKey`; its
    /// shingle key is the upper half.
    @inline(__always)
    static func shingle(_ word: UInt64, occurrence: UInt64) -> UInt64 {
        mix(word ^ (occurrence &* 0x9E37_79B9_7F4A_7C15))
    }

    /// The murmur3 64-bit finaliser: a bijective mix in which every input bit affects every output bit.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x &*= 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x
    }

    /// Common English function words: they say nothing about which article this is.
    static let stopWords: Set<String> = [
        "a", "about", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do",
        "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have",
        "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "if", "in", "into",
        "is", "it", "its", "itself", "just", "me", "more", "most", "my", "no", "nor", "not", "now", "of", "off",
        "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "said", "same", "says", "she",
        "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there",
        "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we",
        "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would",
        "you", "your", "yours",
    ]
}

/// How many of a set of shingle keys fall into each of 512 ranges (by their top 9 bits). Two sets share at
/// most Σ min(a[i], b[i]) keys, since a shared key falls into the same range on both sides: an exact upper
/// bound on their overlap, not an estimate. For two 400-key articles sharing a third of their words it comes
/// to about 220, well under the 320 that 0.8 needs (with 256 ranges, about 260: in a drain of 20,000 mixed
/// articles, 18,800 candidates got past that bound to the merge, and 7,200 past this one).
public struct KeyBuckets: Sendable {
    static let ranges = 512
    static let shift = UInt32(32 - ranges.trailingZeroBitCount)
    /// `ranges` counts, each at most 254; `saturated` when a range held more (then there is no bound).
    private var counts: [UInt8]
    private var saturated = false

    /// `keys` as stored: sorted and distinct (any order would do).
    public init(_ keys: [UInt32]) {
        var counts = [UInt8](repeating: 0, count: KeyBuckets.ranges)
        var saturated = false
        counts.withUnsafeMutableBufferPointer { counts in
            for key in keys {
                let bucket = Int(key >> KeyBuckets.shift)
                if counts[bucket] == 254 { saturated = true } else { counts[bucket] += 1 }
            }
        }
        self.counts = counts
        self.saturated = saturated
    }

    /// The most keys the two sets can share; nil when either had a range too full to count.
    public func mostCommon(with other: KeyBuckets) -> Int? {
        guard !saturated, !other.saturated else { return nil }
        // A plain loop of fixed length, which the compiler turns into vector minimums and sums (the SIMD
        // types' `pointwiseMin` and `replacing(with:where:)` stayed loops over the lanes).
        return counts.withUnsafeBufferPointer { a in
            other.counts.withUnsafeBufferPointer { b in
                var total: UInt32 = 0
                for index in 0..<KeyBuckets.ranges { total &+= UInt32(min(a[index], b[index])) }
                return Int(total)
            }
        }
    }
}
