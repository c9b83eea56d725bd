import Analysis
import Dispatch
import Foundation
import GRDB
import Logging
import Synchronization
import Testing
@testable import Ledger

/// Builds rows and documents by hand, as the spool would write them.
enum Samples {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// A story of 100 distinct words, and an article on the same topic that shares 72 of them: it shares a
    /// band with the story (a candidate) without being similar enough.
    static let storyWords = (0..<100).map { "story\($0)" }
    static let story = storyWords.joined(separator: " ")
    static let sameTopic = (storyWords.prefix(72) + (0..<28).map { "other\($0)" }).joined(separator: " ")
    /// The story with one word added: a copy.
    static func story(plus word: String) -> String {
        (storyWords + [word]).joined(separator: " ")
    }

    static func text(_ number: Int) -> String {
        let topics = ["harbour", "railway", "election", "vaccine", "wildfire", "tariffs", "orchestra", "satellite"]
        let topic = topics[number % topics.count]
        return (0..<6).map { sentence in
            "Report \(number) sentence \(sentence) about the \(topic) story number \(number * 31 + sentence) "
                + "with detail\(number)x\(sentence) and figure\(number * 7 + sentence) mentioned by source\(number)."
        }.joined(separator: " ")
    }

    static func entry(
        _ number: Int, id: String? = nil, name: String? = nil, received: String? = nil, text: String? = nil,
        published: String? = nil, duplicateOf: DuplicateReference? = nil, speakers: [String] = []
    ) -> LedgerEntry {
        LedgerEntry(
            id: id ?? String(repeating: String(number % 10), count: 64), name: name ?? "article-\(number).txt",
            resultName: "article-\(number).json", received: received ?? "2026-01-01T00:00:\(String(format: "%02d", number % 60)).000000Z",
            published: published, title: "Title \(number)", language: "en", outcome: .processed,
            fingerprint: Fingerprint(text: text ?? Self.text(number)), duplicateOf: duplicateOf,
            entities: speakers.enumerated().map { .init(key: "E\($0.offset + 1)", name: $0.element, type: "person", salience: 0.5, mentions: 2) },
            quotes: speakers.enumerated().map { .init(kind: "direct", text: "Quote \(number) by \($0.element).", speaker: $0.element, speakerEntity: "E\($0.offset + 1)") })
    }

    /// Reserves and commits `entry` as the spool does; returns what the lookup found.
    @discardableResult
    static func process(_ ledger: Ledger, _ entry: LedgerEntry, retry: Bool = false) throws -> DuplicateReference? {
        let reservation = try ledger.reserve(
            id: entry.id!, name: entry.name, received: entry.received, fingerprint: entry.fingerprint, mayHaveEarlierAttempt: retry)
        var committed = entry
        committed.duplicateOf = reservation.duplicateOf
        try ledger.commit(reservation, entry: committed)
        return reservation.duplicateOf
    }

    static func count(_ ledger: Ledger, _ sql: String = "SELECT count(*) FROM article") throws -> Int {
        try ledger.pool.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    /// A new folder whose `ledger.sqlite` holds articles 0..<`count` (ids of their number) and was closed.
    static func closedLedger(articles count: Int) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("ledger")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", logger: logger)
        for number in 0..<count { try process(ledger, entry(number, id: String(format: "%064d", number))) }
        ledger.close()
        return directory
    }
}

@Suite struct LedgerTests {
    @Test func theSameBytesAgainAreAnExactDuplicateOfTheFirst() throws {
        let directory = try TemporaryDirectory("ledger")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", logger: Samples.logger)
        #expect(try Samples.process(ledger, Samples.entry(1, name: "first.txt")) == nil)
        let again = try Samples.process(ledger, Samples.entry(1, name: "second.txt", received: "2026-01-02T00:00:00.000000Z"))
        #expect(again == DuplicateReference(id: String(repeating: "1", count: 64), name: "first.txt", similarity: 1))
        let third = try Samples.process(ledger, Samples.entry(1, name: "third.txt", received: "2026-01-03T00:00:00.000000Z"))
        #expect(third?.name == "first.txt", "the earliest, not the latest copy")
        #expect(try Samples.count(ledger) == 3)
    }

    @Test func aLookupSeesArticlesWhoseRowsAreNotCommittedYet() throws {
        let directory = try TemporaryDirectory("ledger")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", logger: Samples.logger)
        let first = Samples.entry(2, name: "a.txt")
        let reserved = try ledger.reserve(id: first.id!, name: first.name, received: first.received, fingerprint: first.fingerprint, mayHaveEarlierAttempt: false)
        #expect(try Samples.count(ledger) == 0)
        let near = try ledger.reserve(
            id: String(repeating: "f", count: 64), name: "b.txt", received: "2026-01-05T00:00:00.000000Z",
            fingerprint: Fingerprint(text: Samples.text(2) + " Advertisement. Subscribe now."), mayHaveEarlierAttempt: false)
        #expect(near.duplicateOf?.name == "a.txt")
        #expect((near.duplicateOf?.similarity ?? 0) >= 0.8)
        try ledger.commit(reserved, entry: first)
        ledger.cancel(near)
        #expect(try Samples.count(ledger) == 1)
    }

    @Test func differentArticlesAreNotDuplicates() throws {
        let directory = try TemporaryDirectory("ledger")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", logger: Samples.logger)
        for number in 0..<8 { #expect(try Samples.process(ledger, Samples.entry(number)) == nil) }
        ledger.close()
        let reopened = try Ledger(path: directory.path + "/ledger.sqlite", logger: Samples.logger)
        #expect(try Samples.count(reopened, "SELECT count(*) FROM band") == 8 * Fingerprint.bands)
    }

    /// The integrity check at open reads every page (about 11 s for a million articles): the daemon hears of
    /// it as it starts and while it runs, and passes that on to systemd (`STATUS=`, `EXTEND_TIMEOUT_USEC=`).
    @Test func theIntegrityCheckAtOpenReportsItsProgress() throws {
        let directory = try Samples.closedLedger(articles: 20)
        let path = directory.path + "/ledger.sqlite"
        let reports = Mutex<[LedgerRebuilder.Progress]>([])
        let ledger = try Ledger(path: path, progress: { @Sendable report in reports.withLock { $0.append(report) } }, logger: Samples.logger)
        ledger.close()
        let pages = try #require(reports.withLock { $0.first }, "a report as the check starts")
        #expect(pages.phase == .checking && pages.done == 0 && pages.total > 1, "\(pages)")
        #expect(pages.status.hasPrefix("checking the ledger's integrity: checking \(pages.total) pages"))
        // While it runs: SQLite's progress handler, here every 10 instructions and with no time between reports.
        let during = Mutex(0)
        let pool = try DatabaseQueue(path: path)
        let check = try pool.read { db in
            try Ledger.quickCheck(db, progress: { @Sendable _ in during.withLock { $0 += 1 } }, interval: .zero, instructions: 10)
        }
        #expect(check == "ok")
        #expect(during.withLock { $0 } > 2, "reports while SQLite checks, not only the first")
    }

    @Test func duplicatesAreFoundAcrossRestarts() throws {
        let directory = try TemporaryDirectory("ledger")
        let path = directory.path + "/ledger.sqlite"
        do {
            let ledger = try Ledger(path: path, logger: Samples.logger)
            try Samples.process(ledger, Samples.entry(3, name: "before.txt"))
            ledger.close()
        }
        let reopened = try Ledger(path: path, logger: Samples.logger)
        let exact = try Samples.process(reopened, Samples.entry(3, name: "after.txt", received: "2026-02-01T00:00:00.000000Z"))
        #expect(exact?.name == "before.txt" && exact?.similarity == 1)
        let near = try Samples.process(reopened, Samples.entry(
            4, id: String(repeating: "e", count: 64), name: "near.txt", text: "By A. Writer. " + Samples.text(3)))
        #expect(near?.name == "before.txt")
    }

    @Test func keysStillInMemoryAtACrashAreDerivedAgainAtTheNextOpen() throws {
        let directory = try TemporaryDirectory("ledger")
        let path = directory.path + "/ledger.sqlite"
        do {
            // No close(): the process dies with the id key and bands only in memory.
            let ledger = try Ledger(path: path, logger: Samples.logger)
            try Samples.process(ledger, Samples.entry(6, name: "before-crash.txt"))
            #expect(try Samples.count(ledger, "SELECT count(*) FROM band") == 0)
            #expect(try Samples.count(ledger, "SELECT count(*) FROM id_key") == 0)
        }
        let reopened = try Ledger(path: path, logger: Samples.logger)
        #expect(try Samples.count(reopened, "SELECT count(*) FROM band") == Fingerprint.bands)
        #expect(try Samples.count(reopened, "SELECT count(*) FROM id_key") == 1)
        #expect(try Samples.count(reopened, "SELECT value FROM meta WHERE key = 'bands_from'") == 2)
        let near = try Samples.process(reopened, Samples.entry(
            7, id: String(repeating: "d", count: 64), name: "near.txt", text: Samples.text(6) + " Advertisement."))
        #expect(near?.name == "before-crash.txt")
        let exact = try Samples.process(reopened, Samples.entry(6, name: "again.txt"))
        #expect(exact == DuplicateReference(id: Samples.entry(6).id!, name: "before-crash.txt", similarity: 1))
    }

    @Test func bandsGoToTheTableInOneTransactionOnceEnoughArticlesWait() throws {
        let directory = try TemporaryDirectory("ledger")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", bandFlushThreshold: 3, logger: Samples.logger)
        for number in 10..<12 {
            try Samples.process(ledger, Samples.entry(number, id: String(format: "%064d", number)))
            // Built at the first lookup; the later ones probe (and cache) no band key of an empty table.
            ledger.waitForKeyFilter()
        }
        #expect(try Samples.count(ledger, "SELECT count(*) FROM band") == 0)
        try Samples.process(ledger, Samples.entry(12, id: String(format: "%064d", 12)))
        #expect(try Samples.count(ledger, "SELECT count(DISTINCT article) FROM band") == 3)
        #expect(try Samples.count(ledger, "SELECT count(*) FROM id_key") == 3)
        #expect(try Samples.count(ledger, "SELECT value FROM meta WHERE key = 'bands_from'") == 4)
        #expect(ledger.articlesInMemory == 3, "a flush's articles stay in memory until the next flush")
        for number in 20..<23 { try Samples.process(ledger, Samples.entry(number, id: String(format: "%064d", number))) }
        #expect(try Samples.count(ledger, "SELECT count(DISTINCT article) FROM band") == 6)
        #expect(ledger.articlesInMemory == 3, "the first three left memory at the second flush")
        // Articles that left memory are found through the tables.
        let probed = ledger.bandKeysProbed.load(ordering: .relaxed)
        let near = try Samples.process(ledger, Samples.entry(
            13, id: String(repeating: "c", count: 64), name: "near.txt", text: "By A. Writer. " + Samples.text(11)))
        #expect(near?.name == "article-11.txt")
        #expect(ledger.bandKeysProbed.load(ordering: .relaxed) > probed)
        let exact = try Samples.process(ledger, Samples.entry(10, id: String(format: "%064d", 10), name: "again.txt"))
        #expect(exact?.name == "article-10.txt" && exact?.similarity == 1)
        ledger.close()
        let reopened = try Ledger(path: directory.path + "/ledger.sqlite", logger: Samples.logger)
        #expect(try Samples.count(reopened, "SELECT count(DISTINCT article) FROM band") == 7, "close() writes the rest")
    }

    @Test func aNearDuplicateCarriesItsExactOverlapWhetherItsOriginalIsInMemoryOrInTheTable() throws {
        let directory = try TemporaryDirectory("ledger")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", bandFlushThreshold: 2, logger: Samples.logger)
        let original = Samples.text(3)
        // Without its last word: every content word of the copy is the original's.
        let copy = String(original[..<original.lastIndex(of: " ")!])
        let expected = try #require(Fingerprint(text: copy)).similarity(try #require(Fingerprint(text: original)))
        #expect(expected == 1)
        try Samples.process(ledger, Samples.entry(3, text: original))
        let fromMemory = try Samples.process(ledger, Samples.entry(4, id: String(repeating: "e", count: 64), text: copy))
        #expect(fromMemory?.name == "article-3.txt")
        #expect(fromMemory?.similarity == 1)
        // Both are flushed now, and leave memory at the next flush: the next copy is verified on the keys stored
        // in the row.
        #expect(try Samples.count(ledger, "SELECT count(*) FROM band") > 0)
        for number in 20..<22 { try Samples.process(ledger, Samples.entry(number, id: String(format: "%064d", number))) }
        #expect(ledger.articlesInMemory == 2)
        #expect(try Samples.count(ledger, "SELECT count(*) FROM article WHERE shingle_keys IS NOT NULL") == 4)
        let extended = copy + " extra"
        let overlap = try #require(Fingerprint(text: extended)).similarity(try #require(Fingerprint(text: original)))
        #expect(overlap < 1 && overlap >= 0.8)
        let fromTable = try Samples.process(ledger, Samples.entry(5, id: String(repeating: "f", count: 64), text: extended))
        #expect(fromTable?.name == "article-3.txt")
        #expect(fromTable?.similarity == Ledger.rounded(overlap))
    }

    @Test func aLedgerSignedWithTheOldHashesIsSignedAgainAndStillFindsNearDuplicates() throws {
        let directory = try TemporaryDirectory("ledger")
        let path = directory.path + "/ledger.sqlite"
        // The schema before v5: one row with shingle keys and a signature of the old scheme (here any 128 values,
        // with the bands they give), and one from before the keys were kept.
        let fingerprint = try #require(Fingerprint(text: Samples.text(6)))
        let oldSignature = Fingerprint(signature: fingerprint.signature.map { $0 ^ 0x5A5A_5A5A }, shingles: fingerprint.shingles)
        let keyless = try #require(Fingerprint(text: Samples.text(8)))
        do {
            let queue = try DatabaseQueue(path: path)
            try Ledger.migrator.migrate(queue, upTo: "v4: entities and quotes in the article row")
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO article (seq, claim, id, name, received, date, outcome, fingerprint, shingles, shingle_keys)
                        VALUES (1, 'old', ?, 'old.txt', '2026-01-01T00:00:00Z', '2026-01-01', 'processed', ?, ?, ?)
                        """,
                    arguments: [String(repeating: "a", count: 64), Data(oldSignature.bytes), fingerprint.shingles, Data(fingerprint.shingleKeyBytes)])
                try db.execute(
                    sql: """
                        INSERT INTO article (seq, claim, id, name, received, date, outcome, fingerprint, shingles)
                        VALUES (2, 'older', ?, 'older.txt', '2026-01-01T00:00:00Z', '2026-01-01', 'processed', ?, ?)
                        """, arguments: [String(repeating: "c", count: 64), Data(keyless.bytes), keyless.shingles])
                try Ledger.insertKeys(oldSignature.bandKeys.map { .init(key: $0, article: 1) }.sorted(), into: .bands, in: db)
                try Ledger.insertKeys(keyless.bandKeys.map { .init(key: $0, article: 2) }.sorted(), into: .bands, in: db)
                try Ledger.setBandsFrom(3, in: db)
            }
        }
        // Up to v8 only: v9 drops every stored signature again (`anUpgradedLedgerIsSignedAgainFromItsDocuments`).
        do {
            let queue = try DatabaseQueue(path: path)
            try Ledger.migrator.migrate(queue, upTo: "v8: keys merged in bulk")
            let signatures = try queue.read { db in try Data?.fetchAll(db, sql: "SELECT fingerprint FROM article ORDER BY seq") }
            #expect(signatures.map { $0.map { Array($0) } } == [fingerprint.bytes, nil], "signed again from its keys; none without them")
            #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM band") } == 0)
        }
        let ledger = try Ledger(path: path, logger: Samples.logger)
        // The row without keys is still found by its bytes, not by its words.
        #expect(try Samples.process(ledger, Samples.entry(9, id: String(repeating: "d", count: 64), text: Samples.text(8) + " Advertisement.")) == nil)
        let exact = try Samples.process(ledger, Samples.entry(10, id: String(repeating: "c", count: 64), name: "again.txt"))
        #expect(exact?.name == "older.txt")
    }

    /// v6 puts a claim's time first; the claims of an older ledger are made again, so a retry of a claim
    /// recorded before the upgrade still finds its row instead of adding a second one.
    @Test func claimsWrittenBeforeV6AreMadeAgainAndStillMatchTheirRetries() throws {
        let directory = try TemporaryDirectory("ledger")
        let path = directory.path + "/ledger.sqlite"
        let processed = Samples.entry(3, id: String(repeating: "e", count: 64))
        do {
            let queue = try DatabaseQueue(path: path)
            try Ledger.migrator.migrate(queue, upTo: "v5: one-permutation signatures")
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO article (seq, claim, id, name, received, date, outcome)
                        VALUES (1, ?, ?, ?, ?, '2026-01-01', 'processed')
                        """,
                    arguments: ["\(processed.id!) \(processed.received) \(processed.name)", processed.id, processed.name, processed.received])
                try db.execute(sql: """
                    INSERT INTO article (seq, claim, name, received, date, outcome)
                    VALUES (2, '- 2026-01-02T00:00:00.000000Z odd name.txt', 'odd name.txt', '2026-01-02T00:00:00.000000Z', '2026-01-02', 'failed')
                    """)
            }
        }
        let ledger = try Ledger(path: path, logger: Samples.logger)
        let claims = try ledger.pool.read { db in try String.fetchAll(db, sql: "SELECT claim FROM article ORDER BY seq") }
        #expect(claims == [
            Ledger.claim(id: processed.id, name: processed.name, received: processed.received),
            Ledger.claim(id: nil, name: "odd name.txt", received: "2026-01-02T00:00:00.000000Z"),
        ])
        #expect(claims.first?.hasPrefix(processed.received + " ") == true)
        let retry = try ledger.reserve(
            id: processed.id!, name: processed.name, received: processed.received, fingerprint: processed.fingerprint,
            mayHaveEarlierAttempt: true)
        try ledger.commit(retry, entry: processed)
        try ledger.commit(try ledger.reserve(
            id: processed.id!, name: processed.name, received: processed.received, fingerprint: processed.fingerprint,
            mayHaveEarlierAttempt: false), entry: processed)
        #expect(try Samples.count(ledger) == 2, "one row per claim across the upgrade")
    }

    /// v7 replaces the index on article(id) with `id_key`, filled from every processed row: an exact copy of
    /// an article stored before the upgrade is still found, and a failed row's id matches nothing.
    @Test func idKeysAreMadeForEveryProcessedRowAtTheV7Upgrade() throws {
        let directory = try TemporaryDirectory("ledger")
        let path = directory.path + "/ledger.sqlite"
        let stored = (1...3).map { Samples.entry($0, id: String(format: "%064d", $0)) }
        var failed = Samples.entry(4, id: String(format: "%064d", 4))
        failed.outcome = .failed
        do {
            let queue = try DatabaseQueue(path: path)
            try Ledger.migrator.migrate(queue, upTo: "v6: claims led by their time")
            try queue.write { db in
                for (offset, entry) in (stored + [failed]).enumerated() {
                    try Ledger.insert(entry, sequence: Int64(offset + 1), in: db)
                }
                try Ledger.insertKeys(
                    stored.enumerated().flatMap { offset, entry in entry.fingerprint!.bandKeys.map { .init(key: $0, article: Int64(offset + 1)) } }.sorted(),
                    into: .bands, in: db)
                try Ledger.setBandsFrom(5, in: db)
            }
        }
        let ledger = try Ledger(path: path, logger: Samples.logger)
        #expect(try Samples.count(ledger, "SELECT count(*) FROM id_key") == 3)
        #expect(try Samples.count(ledger, "SELECT count(*) FROM sqlite_master WHERE name = 'article_id'") == 0)
        let exact = try Samples.process(ledger, Samples.entry(2, id: String(format: "%064d", 2), name: "copy.txt"))
        #expect(exact == DuplicateReference(id: String(format: "%064d", 2), name: "article-2.txt", similarity: 1))
        #expect(try Samples.process(ledger, Samples.entry(40, id: String(format: "%064d", 4), name: "retried.txt")) == nil)
    }

    /// A flush's articles stay in memory until the next flush, and only then go into the key filter; after
    /// each flush the articles that stay are listed again: every band's and id's articles in sequence order,
    /// none that left (the flush before's, a cancelled reservation, an exact copy's bands).
    @Test func flushedArticlesStayUntilTheNextFlushAndTheListsKeepTheirOrder() {
        func article(_ sequence: Int64, keys: [Int64]) -> Ledger.PendingArticle {
            .init(
                sequence: sequence, id: "id\(sequence % 2)", idKey: Ledger.idKey("id\(sequence % 2)"), name: "n\(sequence)",
                fingerprint: nil, bandKeys: keys)
        }
        func expectListed(_ index: Ledger.PendingIndex, _ kept: [Int64], _ comment: Comment) {
            #expect(index.articles.keys.sorted() == kept, comment)
            #expect(index.articles(under: 10) == kept.filter { $0 != 6 }, comment)
            for key in Int64(0)..<3 { #expect(index.articles(under: key) == kept.filter { $0 % 3 == key && $0 != 6 }, comment) }
            #expect(index.byID["id0"] ?? [] == kept.filter { $0 % 2 == 0 }, comment)
            #expect(index.byID["id1"] ?? [] == kept.filter { $0 % 2 == 1 }, comment)
        }
        /// Whether the filter holds the id and band keys of `sequence`.
        func filtered(_ index: Ledger.PendingIndex, _ sequence: Int64) -> Bool {
            let filter = index.filter!
            return filter.mayContain(KeyFilter.key(band: sequence % 3)) && filter.mayContain(KeyFilter.key(band: 10))
                && filter.mayContain(KeyFilter.key(id: Ledger.idKey("id\(sequence % 2)")))
        }
        for flushed in [1, 4] {
            var index = Ledger.PendingIndex()
            index.filter = KeyFilter(keys: 0, minimumWords: 1 << 10)
            for sequence in Int64(1)...7 { index.insert(article(sequence, keys: [sequence % 3, 10])) }
            index.remove(7)  // cancelled
            #expect(index.articles(under: 10) == Array(1...6), "a cancelled reservation is skipped before the flush")
            for sequence in Int64(1)...Int64(flushed) { index.markCommitted(sequence) }
            index.dropBands(of: 6)  // found to be an exact copy
            index.forgetFlushed(flushed)
            #expect(index.unflushed.isEmpty)
            #expect(index.remembered == Array(1...Int64(flushed)))
            expectListed(index, Array(1...6), "after the first flush of \(flushed), every article stays")
            #expect(index.filter!.count == 0, "nothing has left memory, so the filter holds nothing")
            #expect(!filtered(index, 1))
            // The rest commit and are flushed: the first flush's articles leave, with their keys in the filter.
            for sequence in Int64(flushed + 1)...6 { index.markCommitted(sequence) }
            index.forgetFlushed(6 - flushed)
            #expect(index.remembered == Array(Int64(flushed + 1)...6))
            expectListed(index, Array(Int64(flushed + 1)...6), "after the second flush (first \(flushed))")
            #expect(index.filter!.count == 3 * flushed)
            for sequence in Int64(1)...Int64(flushed) { #expect(filtered(index, sequence)) }
        }
    }

    /// The band lists' own hash table keeps every key's list whole and in order as it grows from 1,024 slots to
    /// hundreds of thousands, for keys that differ only in their high bits or only in their low bits, and
    /// starts again empty after `removeAll`.
    @Test func bandListsKeepEveryKeysSequencesInOrderAcrossGrowth() {
        var lists = Ledger.BandLists()
        let keys = (0..<20_000).map { Int64($0) << 40 } + (1..<20_000).map { Int64($0) } + [-1, .min, .max]
        for round in 0..<2 {
            for sequence in Int64(0)..<3 {
                for key in keys where sequence == 0 || key % 2 == 0 { lists.append(sequence, under: key) }
            }
            var mismatches = 0
            for key in keys {
                var listed: [Int64] = []
                lists.visit(key) { listed.append($0); return true }
                if listed != (key % 2 == 0 ? [0, 1, 2] : [0]) { mismatches += 1 }
            }
            #expect(mismatches == 0, "round \(round)")
            var first: [Int64] = []
            lists.visit(keys[2]) { first.append($0); return false }
            #expect(first == [0], "a visit stops when its body says so")
            lists.removeAll()
            var left = 0
            for key in keys { lists.visit(key) { _ in left += 1; return true } }
            #expect(left == 0, "round \(round): nothing is listed after removeAll")
        }
    }

    /// The merge's 16 key ranges follow one another in signed order and cover every key.
    @Test func bandMergeRangesCoverTheKeySpaceInOrder() {
        #expect(Ledger.BandMerge.keys(of: 0).low == .min)
        #expect(Ledger.BandMerge.keys(of: Ledger.BandMerge.ranges - 1).high == .max)
        for range in 0..<(Ledger.BandMerge.ranges - 1) {
            let (low, high) = Ledger.BandMerge.keys(of: range)
            #expect(low < high)
            #expect(high &+ 1 == Ledger.BandMerge.keys(of: range + 1).low, "range \(range)")
        }
        #expect(Ledger.BandMerge.keys(of: 8).low == 0)
    }

    /// Flushes write into `band` and `id_key`; past `bandMergeThreshold` band rows, both move into
    /// `band_merged` and `id_key_merged`, range by range, one range a run of the writer. No row is lost or
    /// doubled on the way, and lookups (from a ledger opened again, so that nothing comes from memory) find
    /// articles whose rows are in either table, near and exact copies alike.
    @Test func bandRowsMoveIntoTheMergedTableAndLookupsStillFindTheirArticles() throws {
        let directory = try TemporaryDirectory("ledger")
        let path = directory.path + "/ledger.sqlite"
        // Articles that share no word: every band key is an article's own, so none is skipped.
        func words(_ number: Int) -> [String] { (0..<60).map { "w\(number)x\($0)" } }
        var expected = Set<[Int64]>()
        do {
            let ledger = try Ledger(
                path: path, bandFlushThreshold: 1, bandMergeThreshold: 3 * Fingerprint.bands, logger: Samples.logger)
            for number in 1...40 {
                let entry = Samples.entry(number, id: String(format: "%064d", number), text: words(number).joined(separator: " "))
                #expect(try Samples.process(ledger, entry) == nil)
                let sequence = try Samples.count(ledger, "SELECT seq FROM article WHERE name = 'article-\(number).txt'")
                for key in Set(entry.fingerprint!.bandKeys) { expected.insert([key, Int64(sequence)]) }
            }
            ledger.close()
        }
        let ledger = try Ledger(
            path: path, bandFlushThreshold: 1, bandMergeThreshold: 3 * Fingerprint.bands, logger: Samples.logger)
        func rows(_ table: String) throws -> [[Int64]] {
            try ledger.pool.read { db in try Row.fetchAll(db, sql: "SELECT key, article FROM \(table)").map { [$0[0], $0[1]] } }
        }
        let (recent, merged) = (try rows("band"), try rows("band_merged"))
        #expect(merged.count > 30 * Fingerprint.bands, "most rows have moved")
        #expect(recent.count < merged.count)
        #expect(Set(recent).isDisjoint(with: Set(merged)), "a row moves, it is not copied")
        #expect(recent.count + merged.count == expected.count)
        #expect(Set(recent).union(merged) == expected)
        // The first article's rows moved in the first merge; the last one's are still in `band`.
        let last = try Samples.count(ledger, "SELECT max(seq) FROM article")
        #expect(merged.contains { $0[1] == 1 })
        #expect(recent.contains { $0[1] == Int64(last) })
        // The key filter, built from both tables at the first lookup, must hold the moved keys too.
        let unrelated = Samples.entry(200, id: String(format: "%064d", 200), text: words(200).joined(separator: " "))
        #expect(try Samples.process(ledger, unrelated) == nil)
        ledger.waitForKeyFilter()
        #expect(ledger.keyFilter != nil)
        for number in [1, 40] {
            let copy = Samples.entry(
                100 + number, id: String(format: "%064d", 100 + number), text: (words(number) + ["update"]).joined(separator: " "))
            #expect(try Samples.process(ledger, copy)?.name == "article-\(number).txt")
        }
        #expect(ledger.articlesInMemory <= 3, "the copies found their originals in the tables")
        // The id keys moved with the bands: the first article's id again is an exact copy of it (without a
        // fingerprint, so that only its id can find it).
        #expect(try Samples.count(ledger, "SELECT count(*) FROM id_key_merged WHERE article = 1") == 1)
        #expect(try Samples.count(ledger, "SELECT count(*) FROM id_key WHERE article = 1") == 0)
        let again = Samples.entry(1, id: String(format: "%064d", 1), name: "again.txt", received: "2026-02-01T00:00:00.000000Z", text: "")
        #expect(again.fingerprint == nil)
        #expect(try Samples.process(ledger, again) == DuplicateReference(id: String(format: "%064d", 1), name: "article-1.txt", similarity: 1))
    }

    /// A ledger from before v8 keeps all its keys in `band` and `id_key`; once `band` holds more than the
    /// threshold, the writer moves them into the merged tables, and an article stored before the upgrade is
    /// still found by its bytes.
    @Test func aLedgerFromBeforeV8MergesItsBandsAndStillFindsItsArticles() throws {
        let directory = try TemporaryDirectory("ledger")
        let path = directory.path + "/ledger.sqlite"
        let stored = (1...6).map { Samples.entry($0, id: String(format: "%064d", $0), text: (0..<60).map { "old\($0)" }.joined(separator: " ") + " v\($0)") }
        do {
            let queue = try DatabaseQueue(path: path)
            try Ledger.migrator.migrate(queue, upTo: "v7: id keys written in bulk")
            try queue.write { db in
                for (offset, entry) in stored.enumerated() {
                    let sequence = Int64(offset + 1)
                    try Ledger.insert(entry, sequence: sequence, in: db)
                    try Ledger.insertKeys([.init(key: Ledger.idKey(entry.id!), article: sequence)], into: .ids, in: db)
                    let bands = entry.fingerprint!.bandKeys.map { Ledger.BandRow(key: $0, article: sequence) }
                    try Ledger.insertKeys(bands.sorted(), into: .bands, in: db)
                }
                try Ledger.setBandsFrom(Int64(stored.count + 1), in: db)
            }
        }
        let ledger = try Ledger(path: path, bandFlushThreshold: 1, bandMergeThreshold: 2, logger: Samples.logger)
        // v9 dropped the stored articles' bands (their words were keyed the old way); their id keys stay.
        #expect(try Samples.count(ledger, "SELECT count(*) FROM band") == 0)
        #expect(try Samples.count(ledger, "SELECT count(*) FROM id_key WHERE article <= 6") == stored.count)
        // Each commit is a run of the writer, and each run moves one of the 16 ranges; new articles' bands make
        // `band` large enough to merge.
        for number in 1...(Ledger.BandMerge.ranges + 1) {
            try Samples.process(ledger, Samples.entry(10 + number, id: String(format: "%064d", 10 + number)))
        }
        #expect(try Samples.count(ledger, "SELECT count(*) FROM id_key_merged WHERE article <= 6") == stored.count)
        #expect(try Samples.count(ledger, "SELECT count(*) FROM band_merged WHERE article > 10") > 0)
        let copy = Samples.entry(1, id: String(format: "%064d", 1), name: "again.txt")
        #expect(try Samples.process(ledger, copy)?.name == "article-1.txt")
        let near = Samples.entry(99, id: String(format: "%064d", 99), text: (0..<60).map { "old\($0)" }.joined(separator: " ") + " v1 update")
        #expect(try Samples.process(ledger, near) == nil, "found again only after `newsd reindex`")
    }

    /// The bucket sort of a flush's rows gives what the comparison sort gives: spread keys of both signs,
    /// keys shared by several articles, repeated rows, and keys crafted to share their top bits (one bucket).
    @Test func bandRowsInTableOrderAreSortedAsTheTableSortsThem() {
        var generator = SystemRandomNumberGenerator()
        let spread = (0..<5_000).map { _ in Int64.random(in: .min ... .max, using: &generator) }
        var rows: [Ledger.BandRow] = []
        for (index, key) in spread.enumerated() {
            rows.append(Ledger.BandRow(key: key, article: Int64.random(in: 1...1_000_000, using: &generator)))
            if index % 7 == 0 { rows.append(Ledger.BandRow(key: key, article: Int64(index))) }
            if index % 11 == 0 { rows.append(rows[rows.count - 1]) }
        }
        for limit in [.min, -1, 0, 1, .max] as [Int64] { rows.append(Ledger.BandRow(key: limit, article: 3)) }
        let crafted = (0..<600).map { Ledger.BandRow(key: 0x1234 << 48 | Int64($0 * 7_919 % 600), article: Int64(600 - $0)) }
        for sample in [rows, rows.shuffled(), crafted, crafted + rows, Array(rows.prefix(200))] {
            let ordered = Ledger.BandRow.tableOrder(sample)
            #expect(ordered == sample.sorted(), "\(sample.count) rows")
        }
    }

    /// Band rows go in a hundred a statement, then the rest; a row already there is left alone.
    @Test func bandRowsAreInsertedInChunksAndTheRest() throws {
        let directory = try TemporaryDirectory("ledger")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", logger: Samples.logger)
        let rows = (0..<250).map { Ledger.BandRow(key: Int64($0 % 125) * 7_919, article: Int64($0 / 125)) }
        try ledger.pool.write { db in
            try Ledger.insertKeys(rows.sorted(), into: .bands, in: db)
            try Ledger.insertKeys([rows[3], rows[200]], into: .bands, in: db)
        }
        #expect(try Samples.count(ledger, "SELECT count(*) FROM band") == 250)
        #expect(try Samples.count(ledger, "SELECT count(*) FROM band WHERE article = 1 AND key = 124 * 7919") == 1)
    }

    @Test func aFailingBandFlushIsRetriedAfterABackOffNotWithEveryCommit() throws {
        let directory = try TemporaryDirectory("ledger")
        let path = directory.path + "/ledger.sqlite"
        let messages = RecordedMessages()
        let ledger = try Ledger(
            path: path, bandFlushThreshold: 2, logger: Logger(label: "test") { _ in RecordedMessages.Handler(messages) })
        // The band table refuses every row, as a failing disk would; article rows still commit.
        let other = try DatabaseQueue(path: path)
        try other.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse_bands BEFORE INSERT ON band BEGIN SELECT RAISE(ABORT, 'injected'); END")
        }
        let commits = 12
        for number in 20..<(20 + commits) { try Samples.process(ledger, Samples.entry(number, id: String(format: "%064d", number))) }
        #expect(try Samples.count(ledger) == commits)
        #expect(try Samples.count(ledger, "SELECT count(*) FROM band") == 0)
        // Without the back-off every commit from the second on would try (and log) the flush again.
        let attempts = messages.count { $0.contains("cannot write the near-duplicate index") }
        #expect(attempts >= 1 && attempts <= commits / 2, "flush attempts: \(attempts)")

        try other.write { db in try db.execute(sql: "DROP TRIGGER refuse_bands") }
        ledger.close()  // tries once more whatever the delay, and this time succeeds
        let reopened = try Ledger(path: path, logger: Samples.logger)
        #expect(try Samples.count(reopened, "SELECT count(DISTINCT article) FROM band") == commits)
    }

    /// A merge range that fails leaves both tables as they were (its rows stay in `band`, where lookups find
    /// them), is logged, and is tried again after a back-off, not after every commit; once it succeeds the
    /// merge goes on from that range.
    @Test func aFailingMergeLosesNoRowAndIsRetriedAfterABackOff() throws {
        let directory = try TemporaryDirectory("ledger")
        let path = directory.path + "/ledger.sqlite"
        let messages = RecordedMessages()
        let ledger = try Ledger(
            path: path, bandFlushThreshold: 1, bandMergeThreshold: Fingerprint.bands,
            logger: Logger(label: "test") { _ in RecordedMessages.Handler(messages) })
        let other = try DatabaseQueue(path: path)
        try other.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse_merges BEFORE INSERT ON band_merged BEGIN SELECT RAISE(ABORT, 'injected'); END")
        }
        let commits = 12
        for number in 20..<(20 + commits) { try Samples.process(ledger, Samples.entry(number, id: String(format: "%064d", number))) }
        #expect(try Samples.count(ledger, "SELECT count(*) FROM band_merged") == 0)
        #expect(try Samples.count(ledger, "SELECT count(DISTINCT article) FROM band") == commits, "nothing left band")
        let attempts = messages.count { $0.contains("cannot merge the near-duplicate index") }
        #expect(attempts >= 1 && attempts <= commits / 2, "merge attempts: \(attempts)")
        // A copy of the first article is found in `band` meanwhile.
        let copy = Samples.entry(60, id: String(format: "%064d", 60), text: Samples.text(20) + " update")
        #expect(try Samples.process(ledger, copy)?.name == "article-20.txt")

        try other.write { db in try db.execute(sql: "DROP TRIGGER refuse_merges") }
        // The back-off after the last failure (`FlushRetry`: 250 ms, doubling); then each commit moves a range.
        Thread.sleep(forTimeInterval: 0.25 * Double(1 << min(attempts - 1, 8)) + 0.2)
        for number in 70..<(70 + Ledger.BandMerge.ranges + 1) {
            try Samples.process(ledger, Samples.entry(number, id: String(format: "%064d", number)))
        }
        #expect(try Samples.count(ledger, "SELECT count(DISTINCT article) FROM band_merged WHERE article <= \(commits)") == commits)
        #expect(try Samples.count(ledger, "SELECT count(*) FROM band WHERE article <= \(commits)") == 0)
    }

    @Test func aRetryOfTheSameClaimKeepsOneRowAndItsDuplicateOf() throws {
        let directory = try TemporaryDirectory("ledger")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", logger: Samples.logger)
        try Samples.process(ledger, Samples.entry(5, name: "original.txt"))
        let copy = Samples.entry(5, name: "copy.txt", received: "2026-03-01T00:00:00.000000Z")
        let first = try Samples.process(ledger, copy)
        // Crash after the commit, before the input was disposed of: the file is processed again.
        let retried = try Samples.process(ledger, copy, retry: true)
        #expect(retried == first)
        #expect(try Samples.count(ledger) == 2)
        // A failure's row is kept once too.
        let failure = LedgerEntry(id: nil, name: "bad.txt", resultName: "bad.txt", received: "2026-03-02T00:00:00.000000Z", outcome: .failed, errorCode: "empty")
        try ledger.record(failure)
        try ledger.record(failure)
        #expect(try Samples.count(ledger) == 3)
    }

    /// Rows hold their inputs' claims until they are committed, so a gathered batch must not wait for the
    /// timer: with an hour to gather, 32 rows still commit (and fewer wait).
    @Test func aGatheredBatchCommitsWithoutWaitingForTheTimer() throws {
        let directory = try TemporaryDirectory("ledger")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", gatheringTime: .seconds(3600), logger: Samples.logger)
        let committed = DispatchSemaphore(value: 0)
        func submit(_ number: Int) throws {
            let entry = Samples.entry(number, id: String(format: "%064d", number))
            let reservation = try ledger.reserve(
                id: entry.id!, name: entry.name, received: entry.received, fingerprint: entry.fingerprint, mayHaveEarlierAttempt: false)
            ledger.commit(reservation, entry: entry) { @Sendable result in
                if case .success = result { committed.signal() }
            }
        }
        for number in 1..<Ledger.gatheredBatch { try submit(number) }
        #expect(committed.wait(timeout: .now() + .milliseconds(300)) == .timedOut, "fewer rows wait for the timer")
        try submit(Ledger.gatheredBatch)
        let deadline = DispatchTime.now() + .seconds(30)
        let done = (1...Ledger.gatheredBatch).filter { _ in committed.wait(timeout: deadline) == .success }.count
        #expect(done == Ledger.gatheredBatch, "rows committed before the timer")
        #expect(try Samples.count(ledger) == Ledger.gatheredBatch)
    }

    /// A lookup first reads the earliest article under each band key; when that one is not similar enough,
    /// the later ones under its keys still count.
    @Test func anEarlierArticleThatSharesABandButIsNotSimilarDoesNotHideALaterCopy() throws {
        let directory = try TemporaryDirectory("ledger")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", bandFlushThreshold: 1, logger: Samples.logger)
        let (sameTopic, original) = (Samples.sameTopic, Samples.story)
        let copy = (Samples.storyWords.prefix(95) + (0..<5).map { "changed\($0)" }).joined(separator: " ")
        let looking = try #require(Fingerprint(text: original))
        let earliest = try #require(Fingerprint(text: sameTopic))
        #expect(looking.similarity(earliest) < 0.8)
        #expect(looking.bandKeys.contains(where: earliest.bandKeys.contains), "the same-topic article must be a candidate")
        #expect(try Samples.process(ledger, Samples.entry(1, id: String(repeating: "a", count: 64), text: sameTopic)) == nil)
        #expect(try Samples.process(ledger, Samples.entry(2, id: String(repeating: "b", count: 64), text: copy)) == nil)
        // An unrelated third article's flush takes both out of memory.
        #expect(try Samples.process(ledger, Samples.entry(20, id: String(repeating: "d", count: 64))) == nil)
        #expect(try Samples.count(ledger, "SELECT count(DISTINCT article) FROM band") == 3, "all are in the table")
        #expect(ledger.articlesInMemory == 1)
        let found = try Samples.process(ledger, Samples.entry(3, id: String(repeating: "c", count: 64), text: original))
        #expect(found?.name == "article-2.txt")
        #expect(found?.similarity == 0.95)
    }

    /// A candidate from the tables that fails is rejected the next time on what the cache kept of it: its row
    /// is read once. (From a ledger opened again: an article that leaves memory leaves its buckets in the
    /// cache, so only those of an earlier run are read from the table to be judged at all.)
    @Test func aRejectedCandidateIsReadFromTheTableOnce() throws {
        let directory = try TemporaryDirectory("ledger")
        let path = directory.path + "/ledger.sqlite"
        let (sameTopic, original, update) = (Samples.sameTopic, Samples.story, Samples.story(plus: "update"))
        let earlier = try #require(Fingerprint(text: sameTopic)).bandKeys
        for text in [original, update] {
            #expect(try #require(Fingerprint(text: text)).bandKeys.contains(where: earlier.contains), "a candidate each time")
        }
        let earlierRun = try Ledger(path: path, logger: Samples.logger)
        #expect(try Samples.process(earlierRun, Samples.entry(1, id: String(repeating: "a", count: 64), text: sameTopic)) == nil)
        earlierRun.close()
        let ledger = try Ledger(path: path, bandFlushThreshold: 1, logger: Samples.logger)
        #expect(ledger.articlesInMemory == 0, "the same-topic article is only in the tables")
        #expect(try Samples.process(ledger, Samples.entry(3, id: String(repeating: "c", count: 64), text: original)) == nil)
        #expect(ledger.candidateRowsRead.load(ordering: .relaxed) == 1)
        // The update is a copy of the original (in memory); the same-topic article, earlier, is a candidate again.
        let found = try Samples.process(ledger, Samples.entry(4, id: String(repeating: "d", count: 64), text: update))
        #expect(found?.name == "article-3.txt")
        #expect(ledger.candidateRowsRead.load(ordering: .relaxed) == 1, "rejected on what the cache kept")
    }

    /// An article that leaves memory leaves its buckets in the candidate cache: a later lookup that meets it
    /// in the tables and can rule it out on them reads nothing.
    @Test func anArticleLeavingMemoryLeavesItsBucketsInTheCandidateCache() throws {
        let directory = try TemporaryDirectory("ledger")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", bandFlushThreshold: 1, logger: Samples.logger)
        let (sameTopic, original) = (Samples.sameTopic, Samples.story)
        #expect(try #require(Fingerprint(text: original)).bandKeys.contains(where: try #require(Fingerprint(text: sameTopic)).bandKeys.contains))
        #expect(try Samples.process(ledger, Samples.entry(1, id: String(repeating: "a", count: 64), text: sameTopic)) == nil)
        #expect(try Samples.process(ledger, Samples.entry(20, id: String(repeating: "b", count: 64))) == nil)
        #expect(ledger.articlesInMemory == 1, "the same-topic article is only in the tables")
        #expect(try Samples.process(ledger, Samples.entry(3, id: String(repeating: "c", count: 64), text: original)) == nil)
        #expect(ledger.candidateRowsRead.load(ordering: .relaxed) == 0)
    }

    /// A candidate ruled out on its buckets is cached with them and without its keys; a later article that its
    /// buckets do not rule out reads the keys again, and they are cached from then on with what names it.
    @Test func aCandidateRuledOutOnItsBucketsIsCachedWithoutItsKeys() throws {
        let directory = try TemporaryDirectory("ledger")
        let path = directory.path + "/ledger.sqlite"
        let (original, sameTopic) = (Samples.story, Samples.sameTopic)
        let copies = ["update", "correction"].map(Samples.story(plus:))
        let stored = try #require(Fingerprint(text: original))
        let storedBuckets = KeyBuckets(stored.shingleKeys)
        let topic = try #require(Fingerprint(text: sameTopic))
        #expect(topic.bandKeys.contains(where: stored.bandKeys.contains), "the original is a candidate for the same-topic article")
        #expect(!topic.mayReach(0.8, keyCount: stored.shingleKeys.count, buckets: storedBuckets, mine: KeyBuckets(topic.shingleKeys)))
        let earlierRun = try Ledger(path: path, logger: Samples.logger)
        #expect(try Samples.process(earlierRun, Samples.entry(1, id: String(format: "%064d", 1), text: original)) == nil)
        earlierRun.close()
        let ledger = try Ledger(path: path, bandFlushThreshold: 1, logger: Samples.logger)
        func process(_ number: Int, _ text: String? = nil) throws -> DuplicateReference? {
            try Samples.process(ledger, Samples.entry(number, id: String(format: "%064d", number), text: text))
        }
        #expect(ledger.articlesInMemory == 0, "the original is only in the tables, and the cache knows nothing of it")
        #expect(try process(2, sameTopic) == nil)
        #expect(ledger.candidateRowsRead.load(ordering: .relaxed) == 1)
        #expect(try process(3, copies[0])?.name == "article-1.txt")
        #expect(ledger.candidateRowsRead.load(ordering: .relaxed) == 2, "the keys were not kept, so they are read again")
        #expect(try process(4, copies[1])?.name == "article-1.txt")
        #expect(ledger.candidateRowsRead.load(ordering: .relaxed) == 2, "now they are kept")
        // What an entry without keys costs the cache: its buckets, not its keys.
        var bucketsOnly = Ledger.StoredCandidate(keys: stored.shingleKeys)
        bucketsOnly.keys = nil
        #expect(bucketsOnly.bytes == Ledger.StoredCandidate(keys: stored.shingleKeys).bytes - 4 * stored.shingleKeys.count)
    }

    /// The cache of candidates' keys keeps two generations: an entry used again moves to the newer one, and
    /// the older is dropped when the newer fills.
    @Test func theCandidateCacheKeepsTwoGenerations() {
        // A generation holds three entries of ten keys.
        var cache = Ledger.CandidateCache(generationBytes: 3 * Ledger.StoredCandidate(keys: Array(repeating: 0, count: 10)).bytes)
        for sequence in Int64(1)...3 { cache.insert(.init(keys: Array(repeating: UInt32(sequence), count: 10)), for: sequence) }
        #expect(cache.candidate(2)?.keys == Array(repeating: 2, count: 10))
        cache.insert(.init(keys: [4]), for: 4)  // the first generation is full: it becomes the older one
        #expect(cache.candidate(1)?.keys == Array(repeating: 1, count: 10), "found in the older generation, moved to the newer")
        for sequence in Int64(5)...9 { cache.insert(.init(keys: [UInt32(sequence)]), for: sequence) }
        #expect(cache.candidate(3) == nil, "dropped with its generation")
        #expect(cache.candidate(9)?.keys == [9])
        #expect(cache.candidate(10) == nil)
        // What names an article that passed is added to its entry, not beside it.
        cache.insert(.init(keys: [9], row: (id: "id", name: "name", claim: "claim")), for: 9)
        #expect(cache.candidate(9)?.row?.name == "name")
    }

    /// The lists of articles under band keys read from the table serve later lookups, and each flush adds its
    /// rows to them; the row of an article that passed is read once.
    @Test func bandListsFromTheTableServeLaterLookupsAndFlushesAddToThem() throws {
        let directory = try TemporaryDirectory("ledger")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", bandFlushThreshold: 3, logger: Samples.logger)
        let (sameTopic, original) = (Samples.sameTopic, Samples.story)
        let earlier = try #require(Fingerprint(text: sameTopic)).bandKeys
        let copies = ["update", "correction", "again"].map(Samples.story(plus:))
        for text in [original] + copies {
            #expect(try #require(Fingerprint(text: text)).bandKeys.contains(where: earlier.contains), "the same-topic article is a candidate")
        }
        func process(_ number: Int, _ text: String? = nil) throws -> DuplicateReference? {
            try Samples.process(ledger, Samples.entry(number, id: String(format: "%064d", number), text: text))
        }
        #expect(try process(1, sameTopic) == nil)
        for number in 20..<25 { #expect(try process(number) == nil) }  // two flushes: the same-topic article leaves memory
        #expect(ledger.articlesInMemory == 3)
        ledger.waitForKeyFilter()  // built at the first lookup: from here on only filtered keys are probed
        // The same-topic article's own lookup, the first (before the key filter), read the (empty) lists of
        // all its keys; the flushes added it to them. So the original finds it there, and reads only its keys.
        let probed = ledger.bandKeysProbed.load(ordering: .relaxed)
        #expect(try process(2, original) == nil)
        #expect(ledger.bandKeysProbed.load(ordering: .relaxed) == probed, "the lists were cached, and kept up to date")
        // It left its buckets in the cache when it left memory, and they rule it out: its row is never read.
        #expect(ledger.candidateRowsRead.load(ordering: .relaxed) == 0)
        #expect(try process(3, copies[0])?.name == "article-2.txt")
        #expect(ledger.candidateRowsRead.load(ordering: .relaxed) == 0)
        #expect(try process(30) == nil)  // the third flush
        #expect(try process(4, copies[1])?.name == "article-2.txt")
        #expect(ledger.bandKeysProbed.load(ordering: .relaxed) == probed, "the flush added to the lists, not dropped them")
    }

    /// Once the lists lookups cached show the earliest eight articles under a band key in the table, a flush
    /// writes no row of a later article under it: lookups read only those eight. Later copies are still
    /// found, and an article's keys not held so are written.
    @Test func aFlushWritesNoBandRowALookupWouldNeverRead() throws {
        let directory = try TemporaryDirectory("ledger")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", bandFlushThreshold: 1, logger: Samples.logger)
        let texts = [Samples.story] + (2...13).map { Samples.story(plus: "update\($0)") }
        let keys = try texts.map { Set(try #require(Fingerprint(text: $0)).bandKeys) }
        #expect(keys.allSatisfy { $0.count == Fingerprint.bands })
        for (offset, text) in texts.enumerated() {
            let found = try Samples.process(ledger, Samples.entry(offset + 1, id: String(format: "%064d", offset + 1), text: text))
            #expect(found?.name == (offset == 0 ? nil : "article-1.txt"))
        }
        func rows(_ number: Int) throws -> Int {
            try Samples.count(ledger, "SELECT count(*) FROM band WHERE article = (SELECT seq FROM article WHERE name = 'article-\(number).txt')")
        }
        #expect(try rows(2) == Fingerprint.bands, "the eighth and earlier articles are all written")
        #expect(try rows(8) == Fingerprint.bands)
        // Article 12's keys that each of the first nine has: the table held eight articles under them before
        // it, and lookups had read them. Its keys that fewer than eight earlier articles have must be written.
        let held = keys[0..<9].reduce(keys[11]) { $0.intersection($1) }
        let needed = keys[11].filter { key in keys[0..<11].count { $0.contains(key) } < Ledger.TableBands.perKey }
        #expect(held.count >= Fingerprint.bands / 2, "the copies share most of their keys")
        let written = try rows(12)
        #expect(written <= Fingerprint.bands - held.count)
        #expect(written >= needed.count)
    }

    /// A flush's rows go into the cached lists in order, each list keeping the earliest eight; keys not cached
    /// stay so, and the count of flushes goes up (a list read before it must not be cached after it).
    @Test func aFlushAddsItsRowsToTheCachedBandLists() {
        var cache = Ledger.TableBands()
        cache.lists = [1: [5], 2: Array(1...8)]
        let rows = [(1, 3), (1, 9), (1, 5), (2, 4), (2, 100), (2, 0), (3, 1)].map { Ledger.BandRow(key: Int64($0.0), article: Int64($0.1)) }
        cache.add(rows)
        #expect(cache.lists[1] == [3, 5, 9])
        #expect(cache.lists[2] == Array(0...7), "the earliest eight: 0 comes in, 8 goes, 4 is there, 100 is too late")
        #expect(cache.lists[3] == nil)
        #expect(cache.generation == 1)
        // Eight articles under key 2 are earlier than 8, not than 7; key 1 lists fewer, key 3 none.
        #expect(cache.holdsEarliest(under: 2, before: 8) && !cache.holdsEarliest(under: 2, before: 7))
        #expect(!cache.holdsEarliest(under: 1, before: 100) && !cache.holdsEarliest(under: 3, before: 100))
        cache.clear()
        #expect(cache.lists.isEmpty && cache.generation == 2)
    }

    /// With bands flushed every few articles too, so that articles move from memory to the tables while
    /// other workers look them up.
    @Test(arguments: [Ledger.defaultBandFlushThreshold, 3])
    func manyWorkersAndOneWriterLoseNoRows(bandFlushThreshold: Int) async throws {
        let directory = try TemporaryDirectory("ledger")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", bandFlushThreshold: bandFlushThreshold, logger: Samples.logger)
        let failures = Mutex(0)
        let group = DispatchGroup()
        for worker in 0..<8 {
            DispatchQueue.global().async(group: group) { @Sendable in
                for item in 0..<40 {
                    let number = worker * 1000 + item
                    let entry = Samples.entry(
                        number, id: String(format: "%064d", number), name: "w\(worker)-\(item).txt",
                        text: item % 4 == 0 ? Samples.text(1) : Samples.text(number))
                    do { try Samples.process(ledger, entry) } catch { failures.withLock { $0 += 1 } }
                }
            }
        }
        await withCheckedContinuation { continuation in group.notify(queue: .global()) { continuation.resume() } }
        #expect(failures.withLock { $0 } == 0)
        #expect(try Samples.count(ledger) == 8 * 40)
        // Eighty copies of one text: the first has none, all others point at one and the same earliest.
        let originals = try Samples.count(ledger, """
            SELECT count(*) FROM article WHERE duplicate_of_id IS NULL
              AND CAST(substr(name, instr(name, '-') + 1, length(name) - instr(name, '-') - 4) AS INTEGER) % 4 = 0
            """)
        #expect(originals == 1)
        let targets = try Samples.count(ledger, "SELECT count(DISTINCT duplicate_of_id) FROM article WHERE duplicate_of_id IS NOT NULL")
        #expect(targets == 1)
    }
}

/// Keeps the messages logged, so that a test can count them.
final class RecordedMessages: Sendable {
    private let messages = Mutex<[String]>([])

    func count(where matches: (String) -> Bool) -> Int {
        messages.withLock { $0.count(where: matches) }
    }

    struct Handler: LogHandler {
        let recorded: RecordedMessages
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        init(_ recorded: RecordedMessages) { self.recorded = recorded }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorded.messages.withLock { $0.append("\(event.message)") }
        }
    }
}
