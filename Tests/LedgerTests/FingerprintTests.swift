import Testing
@testable import Ledger

@Suite struct FingerprintTests {
    static let article = """
        The city council of Springfield met on Monday to discuss the new bridge over the river. Mayor Jane Doe \
        said the budget for the bridge was approved after a long debate, and construction will begin in spring.

        "We will build the bridge, and we will build it on time," she told reporters outside the town hall.

        Opponents argued that the money should go to schools and roads instead. The next meeting is on Friday, \
        when the council will vote on the contractor.
        """

    @Test func theHashIsFixedAcrossRunsAndMachines() throws {
        // FNV-1a's published test vector, and a pinned signature: a change here needs a ledger migration (as v5,
        // v9 and v10 did).
        #expect(Fingerprint.fnv1a("a") == 0xAF63_DC4C_8601_EC8C)
        let fingerprint = try #require(Fingerprint(text: Self.article))
        #expect(fingerprint.signature.count == Fingerprint.permutations)
        #expect(fingerprint.shingles == 42)
        #expect(Array(fingerprint.signature.prefix(3)) == [2_974_752_091, 3_769_095_484, 919_033_781])
    }

    @Test func quoteStylesCaseWhitespaceAndParagraphOrderDoNotMatter() throws {
        let paragraphs = Self.article.components(separatedBy: "\n\n")
        let restyled = [paragraphs[2], paragraphs[0], paragraphs[1]].joined(separator: "\n\n\n")
            .replacingOccurrences(of: "\"", with: "\u{201C}").replacingOccurrences(of: " ", with: "  ").uppercased()
        let original = try #require(Fingerprint(text: Self.article))
        let variant = try #require(Fingerprint(text: restyled))
        #expect(original == variant)
        #expect(original.similarity(variant) == 1)
    }

    @Test func aCopyWithBoilerplateOrACutEndingIsStillSimilar() throws {
        let original = try #require(Fingerprint(text: Self.article))
        let boilerplate = try #require(Fingerprint(
            text: "By Staff Reporter\n\nAdvertisement\n\n" + Self.article + "\n\nCopyright 2021 The Gazette. All rights reserved."))
        let truncated = try #require(Fingerprint(text: String(Self.article.prefix(Self.article.count * 3 / 4))))
        #expect(original.similarity(boilerplate) >= 0.8)
        #expect(original.similarity(truncated) >= 0.8)
        #expect(original.bandKeys.filter(boilerplate.bandKeys.contains).count > 0, "the copy must become a candidate")
    }

    @Test func aDifferentArticleOnTheSameTopicIsNotSimilar() throws {
        let other = """
            Springfield's council postponed its vote on the river bridge contractor on Friday. Councillor Tom Reed \
            said residents had asked for more hearings about traffic during construction, and the mayor agreed.
            """
        let original = try #require(Fingerprint(text: Self.article))
        let different = try #require(Fingerprint(text: other))
        // Short texts on one topic share their topic words; the estimate stays well under the threshold.
        #expect(original.similarity(different) < 0.8)
        #expect(original.jaccard(different) < 0.4)
    }

    @Test func storedBytesGiveBackTheSameFingerprint() throws {
        let original = try #require(Fingerprint(text: Self.article))
        let stored = Fingerprint(bytes: original.bytes, shingles: original.shingles, shingleKeyBytes: original.shingleKeyBytes)
        #expect(stored == original)
        #expect(Fingerprint(bytes: [1, 2, 3], shingles: 1) == nil)
        #expect(Fingerprint(bytes: original.bytes, shingles: original.shingles, shingleKeyBytes: [1, 2, 3]) == nil)
    }

    @Test func theShingleKeysAreTheDistinctSortedShingles() throws {
        let fingerprint = try #require(Fingerprint(text: Self.article))
        #expect(fingerprint.shingleKeys.count == fingerprint.shingles)
        #expect(fingerprint.shingleKeys == fingerprint.shingleKeys.sorted())
        #expect(Set(fingerprint.shingleKeys).count == fingerprint.shingleKeys.count)
        #expect(Set(fingerprint.shingleKeys) == Set(Fingerprint.shingles(of: Self.article).map { UInt32($0 >> 32) }))
    }

    /// Ten content words, and a copy that keeps eight of them and changes two: the overlap is 8/10 exactly,
    /// where the 128-value estimate lands anywhere in about 0.75…0.85.
    @Test func candidatesAreVerifiedOnTheExactOverlap() throws {
        let words = ["harbour", "crane", "strike", "union", "wages", "ferry", "cargo", "dockers", "pension", "talks"]
        let original = try #require(Fingerprint(text: words.joined(separator: " ")))
        var changed = words
        changed[2] = "lockout"
        changed[7] = "tugboats"
        let copy = try #require(Fingerprint(text: changed.joined(separator: " ") + " advertisement"))
        #expect(original.similarity(copy) == 0.8)
        #expect(copy.similarity(original) == 0.8)
        #expect(Fingerprint.commonCount([1, 3, 5, 7], [2, 3, 4, 7, 9]) == 2)
    }

    /// The merge counts what a set intersection does, and stopping it early never changes the answer: random
    /// key sets with every overlap from none to all, at thresholds on and around the overlaps that occur (28
    /// of 35 is exactly 0.8).
    @Test func theEarlyStoppingOverlapAgreesWithTheFullOne() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let shared = (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt32.random(in: 0...UInt32.max, using: &generator) }
            let onlyA = (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt32.random(in: 0...UInt32.max, using: &generator) }
            let onlyB = (0..<Int.random(in: 1...40, using: &generator)).map { _ in UInt32.random(in: 0...UInt32.max, using: &generator) }
            let a = Array(Set(shared + onlyA)).sorted()
            let b = Array(Set(shared + onlyB)).sorted()
            guard !a.isEmpty else { continue }
            let fingerprint = Fingerprint(signature: [], shingles: a.count, shingleKeys: a)
            let full = fingerprint.similarity(toKeys: b)
            #expect(full == Double(Set(a).intersection(b).count) / Double(min(a.count, b.count)))
            let (bucketsA, bucketsB) = (KeyBuckets(a), KeyBuckets(b))
            #expect(try #require(bucketsA.mostCommon(with: bucketsB)) >= Set(a).intersection(b).count, "an upper bound")
            for threshold in [0.0, 0.5, 0.8, full, full.nextUp, 1.0] {
                let early = fingerprint.similarity(toKeys: b, atLeast: threshold)
                #expect(early == (full >= threshold ? full : nil), "overlap \(full), threshold \(threshold)")
                let bounded = fingerprint.similarity(toKeys: b, buckets: bucketsB, mine: bucketsA, atLeast: threshold)
                #expect(bounded == early, "overlap \(full), threshold \(threshold), with buckets")
            }
        }
        let a = (0..<35).map { UInt32($0) }
        let b = (7..<42).map { UInt32($0) }
        #expect(Fingerprint(signature: [], shingles: 35, shingleKeys: a).similarity(toKeys: b, atLeast: 0.8) == 0.8)
    }

    /// The buckets rule out articles that share a paragraph or two (here a third of their keys), and bound
    /// nothing once a range is too full to count.
    @Test func keyBucketsRuleOutAPartialOverlapAndGiveUpWhenARangeOverflows() {
        // Fixed keys (a 64-bit LCG's top halves), so the outcome does not depend on the run.
        var state: UInt64 = 0x6E65_7773_6474_6573
        func random(_ count: Int) -> [UInt32] {
            (0..<count).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt32(truncatingIfNeeded: state >> 32)
            }
        }
        let shared = random(130)
        let a = Array(Set(shared + random(270))).sorted()
        let b = Array(Set(shared + random(270))).sorted()
        let needed = Int(0.8 * Double(min(a.count, b.count)))
        let most = KeyBuckets(a).mostCommon(with: KeyBuckets(b))
        #expect(most.map { $0 >= Set(a).intersection(b).count && $0 < needed } == true, "\(most ?? -1) of \(needed) needed")
        let crowded = (0..<300).map { UInt32($0) }  // all in the lowest range
        #expect(KeyBuckets(crowded).mostCommon(with: KeyBuckets(a)) == nil)
        let fingerprint = Fingerprint(signature: [], shingles: crowded.count, shingleKeys: crowded)
        #expect(fingerprint.similarity(toKeys: crowded, buckets: KeyBuckets(crowded), mine: KeyBuckets(crowded), atLeast: 0.8) == 1)
    }

    @Test func theRadixSortAgreesWithTheStandardSort() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 64, 65, 300, 5000] {
            let values = (0..<count).map { _ in UInt32.random(in: 0...UInt32.max, using: &generator) }
            #expect(Fingerprint.radixSorted(values) == values.sorted())
        }
        // Repeated values and every byte position in play.
        let patterned = (0..<1000).map { (index: Int) -> UInt32 in
            let high = UInt32(index % 97) << 24
            return high | UInt32(index % 13) << 8 | UInt32(index % 3)
        }
        #expect(Fingerprint.radixSorted(patterned) == patterned.sorted())
        // Values crafted to share their top bits fill one bucket, sorted the ordinary way.
        let crowded = (0..<300).map { _ in 0xABCD_0000 | UInt32.random(in: 0...0xFFFF, using: &generator) }
        #expect(Fingerprint.radixSorted(crowded) == crowded.sorted())
    }

    @Test func aStoredSignatureWithoutKeysIsNeverTakenForSimilar() throws {
        let original = try #require(Fingerprint(text: Self.article))
        let old = try #require(Fingerprint(bytes: original.bytes, shingles: original.shingles))
        #expect(old.shingleKeys.isEmpty)
        #expect(old.similarity(original) == 0)
        #expect(original.similarity(old) == 0)
        #expect(original.similarity(toKeys: original.shingleKeys) == 1)
    }

    /// One hash per key still behaves like 128 hash functions: positions agree about as often as the true
    /// Jaccard similarity says, and a set too small to fill the positions borrows, the same way for both sides.
    @Test func theOnePermutationSignatureEstimatesJaccard() throws {
        let words = (0..<400).map { "word\($0)" }
        let original = try #require(Fingerprint(text: words.joined(separator: " ")))
        for changed in [40, 120, 200] {
            let variant = try #require(Fingerprint(text: (words.prefix(400 - changed) + (0..<changed).map { "other\($0)" }).joined(separator: " ")))
            let common = Double(Fingerprint.commonCount(original.shingleKeys, variant.shingleKeys))
            let truth = common / (Double(original.shingleKeys.count + variant.shingleKeys.count) - common)
            #expect(abs(original.jaccard(variant) - truth) < 0.12, "changed \(changed): estimate \(original.jaccard(variant)), truth \(truth)")
        }
        let tiny = try #require(Fingerprint(text: "harbour crane strike"))
        #expect(tiny.signature.count == Fingerprint.permutations)
        #expect(Set(tiny.signature).count == 3, "every position holds one of the three keys' hashes")
        #expect(try #require(Fingerprint(text: "strike, harbour; crane")).signature == tiny.signature)
        #expect(Fingerprint.signature(ofKeys: original.shingleKeys) == original.signature)
    }

    /// Common words ("people", "year", "government") are in most articles: a signature position one of them
    /// takes agrees between unrelated articles far more often than their Jaccard similarity says, and made
    /// them candidates. The signature leaves them out; the overlap still counts them.
    @Test func commonWordsAreLeftOutOfTheSignatureButCountInTheOverlap() throws {
        func keys(_ text: String) -> [UInt32] { Fingerprint.shingles(of: text).map { UInt32(truncatingIfNeeded: $0 >> 32) } }
        let eightTimes = keys(Array(repeating: "people", count: 9).joined(separator: " "))
        #expect(eightTimes.prefix(8).allSatisfy(Fingerprint.isCommon), "the first eight occurrences of a common word")
        #expect(!Fingerprint.isCommon(eightTimes[8]), "an article that says it nine times is about it")
        #expect(!keys("zeppelin harbour tariffs").contains(where: Fingerprint.isCommon))
        #expect(Fingerprint.commonWords.count == 1_000 && Fingerprint.commonWords.prefix(3) == ["one", "like", "time"])

        // Forty common words shared, twenty rare ones each of their own.
        let common = Fingerprint.commonWords.prefix(200).filter { !keys($0).contains { !Fingerprint.isCommon($0) } }.prefix(40)
        #expect(common.count == 40)
        var sharedBands = 0
        for pair in 0..<20 {
            let a = try #require(Fingerprint(text: (common + (0..<20).map { "alpha\(pair)x\($0)" }).joined(separator: " ")))
            let b = try #require(Fingerprint(text: (common + (0..<20).map { "beta\(pair)x\($0)" }).joined(separator: " ")))
            #expect(a.similarity(b) == 40.0 / 60, "the overlap counts the common words")
            #expect(a.jaccard(b) < 0.1, "the signatures see only the rare ones")
            sharedBands += a.bandKeys.filter(b.bandKeys.contains).count
        }
        // Signed over all their words (Jaccard 0.5), most of these pairs would share a band.
        #expect(sharedBands == 0)

        // Common keys change nothing beside rare ones; alone, they are all there is.
        let rare = keys("harbour crane strike dockers")
        let commonKeys = keys(common.joined(separator: " "))
        #expect(Fingerprint.signature(ofKeys: (rare + commonKeys).sorted()) == Fingerprint.signature(ofKeys: rare.sorted()))
        let onlyCommon = try #require(Fingerprint(text: common.prefix(20).joined(separator: " ")))
        #expect(Set(onlyCommon.signature).count > 1)
        #expect(try #require(Fingerprint(text: common.prefix(20).reversed().joined(separator: " "))).bandKeys == onlyCommon.bandKeys)
        #expect(try #require(Fingerprint(text: common.suffix(20).joined(separator: " "))).bandKeys.filter(onlyCommon.bandKeys.contains).isEmpty)
    }

    /// The generator's typo, and the commonest one: two neighbouring letters swapped. Each swap used to turn a
    /// word into another; it now keeps it, and only the words really changed count against the copy.
    @Test func lettersSwappedInAWordKeepTheWord() throws {
        let original = try #require(Fingerprint(text: Self.article))
        let typos = Self.article
            .replacingOccurrences(of: "bridge", with: "brigde").replacingOccurrences(of: "council", with: "cuoncil")
            .replacingOccurrences(of: "construction", with: "constrcution").replacingOccurrences(of: "Monday", with: "Mnoday")
        let misspelt = try #require(Fingerprint(text: typos))
        #expect(misspelt.shingleKeys == original.shingleKeys)
        #expect(misspelt.similarity(original) == 1.0)
        #expect(Fingerprint.wordKey("brigde") == Fingerprint.wordKey("bridge"))
        #expect(Fingerprint.wordKey("bridge") != Fingerprint.wordKey("bride"))
        #expect(Fingerprint.wordKey("bridges") != Fingerprint.wordKey("bridge"))
        #expect(Fingerprint.wordKey("2012") != Fingerprint.wordKey("2021"), "a number keeps its spelling")
        #expect(Fingerprint.wordKey("covid19") != Fingerprint.wordKey("covid91"))
        // A word changed for another still counts against the copy.
        let changed = try #require(Fingerprint(text: Self.article.replacingOccurrences(of: "bridge", with: "tunnel")))
        #expect(changed.similarity(original) < 1.0)
    }

    @Test func textWithoutContentWordsHasNoFingerprint() {
        #expect(Fingerprint(text: "") == nil)
        #expect(Fingerprint(text: "the of and — a") == nil)
    }

    @Test func wordsAreLowerCasedAndStopWordsDropped() {
        #expect(Fingerprint.words(of: "The Mayor's “Bridge”, Zürich 2021!") == ["mayor", "bridge", "zürich", "2021"])
    }

    @Test func fastShinglesEqualHashingTheWords() {
        let texts = [
            "Russian President Vladimir Putin told his US counterpart Joe Biden he would “really like” to meet.",
            "Ärzte in Zürich sagten am Montag: Die Straße bleibt gesperrt. İstanbul, ΑΘΗΝΑ and 3.5% of 1,000 ﬁles.",
            "a I the of x9 9x 😀 emoji, combining e\u{301} marks, and CAPITALS AGAIN and again and again",
            // More distinct short words than the occurrence table is first sized for: it has to grow.
            (0..<2000).map { "w\($0 % 700) ß\($0 % 300)" }.joined(separator: " "),
            // More content words than `maximumShingles`, ending in a word cut off there and one ending the text.
            (0..<(Fingerprint.maximumShingles + 500)).map { "k\($0 % 900)" }.joined(separator: ", ") + " élan",
            "ends in a multi-byte letter: café", "ends in punctuation…", "x",
        ]
        for text in texts {
            #expect(Fingerprint.shingles(of: text) == Fingerprint.referenceShingles(of: text), "\(text)")
        }
        #expect(Fingerprint.referenceShingles(of: "Brigde") == Fingerprint.referenceShingles(of: "bridge"))
        #expect(Fingerprint.referenceShingles(of: "2012") != Fingerprint.referenceShingles(of: "2021"))
        let twice = Fingerprint.referenceShingles(of: "brigde bridge")
        #expect(twice.count == 2 && twice[0] != twice[1], "one word twice is two occurrences")
    }
}
