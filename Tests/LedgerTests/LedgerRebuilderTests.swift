import Foundation
import GRDB
import Logging
import Synchronization
import Testing

@testable import Ledger

@Suite struct LedgerRebuilderTests {
    /// A minimal outbox document, as the rebuild reads it: one entity with `mentions` mentions.
    static func articleDocument(_ number: Int, received: String, mentions: Int = 1) -> String {
        let id = String(format: "%064x", number)
        let mentionList = Array(repeating: "{\"start\":0,\"end\":4,\"text\":\"Tram\"}", count: mentions).joined(separator: ",")
        return """
            {"schema":"newsd/article@1","id":"\(id)","source":{"name":"input-\(number).txt","received":"\(received)"},\
            "meta":{"title":"Tram \(number)","published":null,"language":"en"},\
            "text":"\(Self.text(number))",\
            "entities":[{"id":"e1","name":"Tram Council","type":"organization","salience":0.5,"mentions":[\(mentionList)]}],\
            "quotes":[],"duplicate_of":null}
            """
    }

    /// Words of its own, so that no two documents are alike.
    static func text(_ number: Int) -> String {
        ["tram", "line", "council", "vote", "stops", "depot", "fares", "route"].map { "\($0)\(number)" }.joined(separator: " ") + "."
    }

    /// More documents than one chunk, written in an order unlike the one they were received in, with ties
    /// on the received time, error documents among them and a file that is no document: the rows come out
    /// in the order the inputs were received (then by name), and every document has exactly one.
    @Test func rowsFollowTheReceivedOrderAcrossChunksAndEveryDocumentHasOne() throws {
        let root = try TemporaryDirectory("rebuild")
        let count = LedgerRebuilder.chunkSize * 2 + 77
        var expected: [(received: String, name: String)] = []
        for number in 0..<count {
            // A permutation of the numbers (7919 is prime to the count); every tenth takes the time of another.
            let slot = (number * 7919) % count
            let second = number % 10 == 0 && slot > 0 ? slot - 1 : slot
            let received = String(format: "2026-01-01T00:%02d:%02d.000000Z", second / 60, second % 60)
            try root.write("outbox/doc-\(number).json", Self.articleDocument(number, received: received, mentions: number % 4 + 1))
            expected.append((received, "input-\(number).txt"))
        }
        for number in 0..<5 {
            let received = String(format: "2026-01-01T00:00:%02d.000000Z", number * 11)
            try root.write(
                "failed/bad-\(number).txt.error.json",
                "{\"schema\":\"newsd/error@1\",\"id\":null,\"source\":{\"name\":\"bad-\(number).txt\",\"received\":\"\(received)\"},\"error\":{\"code\":\"empty\"}}")
            expected.append((received, "bad-\(number).txt"))
        }
        try root.write("outbox/notes.json", "{\"not\": \"a document\"}")
        let ledger = try Ledger(path: root.path + "/state.sqlite", logger: Samples.logger)
        let reports = Mutex<[LedgerRebuilder.Progress]>([])
        let written = try LedgerRebuilder.rebuild(
            ledger, from: .init(outbox: root.path + "/outbox", failed: root.path + "/failed"), logger: Samples.logger,
            progress: { progress in reports.withLock { $0.append(progress) } })
        #expect(written == count + 5)
        // Each phase reports, in order, up to its end (the stray file counts among the documents listed).
        let phases = reports.withLock { $0 }
        #expect(phases.map(\.phase) == phases.map(\.phase).sorted { $0.order < $1.order }, "\(phases)")
        for phase in [LedgerRebuilder.Progress.Phase.listing, .writing, .keys] {
            let last = phases.last { $0.phase == phase }
            #expect(last != nil && last!.done == last!.total, "\(phase): \(String(describing: last))")
        }
        #expect(phases.last { $0.phase == .writing }?.total == count + 5)
        let names = try ledger.pool.read { db in try String.fetchAll(db, sql: "SELECT name FROM article ORDER BY seq") }
        #expect(names == expected.sorted { ($0.received, $0.name) < ($1.received, $1.name) }.map(\.name))
        let mentions = try ledger.pool.read { db in
            try Int.fetchAll(db, sql: "SELECT e.mentions FROM entity e JOIN article a ON a.seq = e.article ORDER BY a.name")
        }
        #expect(mentions.count == count)
        let byName = try ledger.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT e.mentions FROM entity e JOIN article a ON a.seq = e.article WHERE a.name = 'input-6.txt'")
        }
        #expect(byName == 3, "mentions are counted")
        // The rows are whole: a copy of a rebuilt article is found as its duplicate.
        let copy = Samples.entry(9999, text: Self.text(5) + " Updated.")
        let found = try Samples.process(ledger, copy)
        #expect(found?.name == "input-5.txt", "\(String(describing: found))")
        ledger.close()
    }

    /// The band rows a rebuild writes count towards the merge's threshold: the writer's next run starts
    /// moving them into `band_merged` (before, only rows of later flushes counted, so a large rebuilt `band`
    /// was rewritten by every flush until they alone reached the threshold).
    /// v9 keys words by their letters, and a stored signature cannot be made again without the text: the
    /// daemon's open signs the rows again from their outbox documents, once. A row whose document is gone
    /// keeps its exact match only, and says so in the log.
    @Test func anUpgradedLedgerIsSignedAgainFromItsDocuments() throws {
        let root = try TemporaryDirectory("signagain")
        var documents = (1...4).map { Self.articleDocument($0, received: "2026-01-01T00:00:0\($0).000000Z") }
        documents[3] = documents[3].replacingOccurrences(of: Self.text(4), with: "And then, of the.")  // no content words
        for number in [1, 2, 4] { try root.write("outbox/doc-\(number).json", documents[number - 1]) }  // doc-3 was taken away
        try FileManager.default.createDirectory(atPath: root.path + "/state", withIntermediateDirectories: true)
        let path = root.path + "/state/" + Ledger.fileName
        do {  // A v8 ledger with the four rows, their keys and a band row as the old word keys made them.
            let queue = try DatabaseQueue(path: path)
            try Ledger.migrator.migrate(queue, upTo: "v8: keys merged in bulk")
            try queue.write { db in
                for (offset, document) in documents.enumerated() {
                    let entry = try #require(LedgerRebuilder.articleEntry(Data(document.utf8), resultName: "doc-\(offset + 1).json"))
                    try Ledger.insert(entry, sequence: Int64(offset + 1), in: db)
                }
                try db.execute(sql: "INSERT INTO band_merged (key, article) VALUES (42, 1)")
                try Ledger.setBandsFrom(1, in: db)
            }
        }
        let recorded = RecordedMessages()
        let logger = Logger(label: "test") { _ in RecordedMessages.Handler(recorded) }
        let sources = LedgerRebuilder.Sources(outbox: root.path + "/outbox", failed: root.path + "/failed")
        let reports = Mutex<[LedgerRebuilder.Progress]>([])
        let ledger = try Ledger.open(
            stateDirectory: root.path + "/state", sources: sources, nearDuplicateThreshold: 0.8, logger: logger,
            progress: { progress in reports.withLock { $0.append(progress) } })
        let signed = try ledger.pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT seq FROM article WHERE fingerprint IS NOT NULL AND shingle_keys IS NOT NULL ORDER BY seq")
        }
        #expect(signed == [1, 2])
        #expect(try Samples.count(ledger, "SELECT count(*) FROM band_merged WHERE key = 42") == 0, "old band keys are gone")
        #expect(try Samples.count(ledger, "SELECT count(*) FROM band") == 2 * Fingerprint.bands)
        #expect(try Samples.count(ledger, "SELECT count(*) FROM id_key") == 4)
        #expect(try !ledger.needsSigningAgain())
        #expect(recorded.count { $0.contains("signed the ledger's earlier articles again") } == 1)
        #expect(recorded.count { $0.hasPrefix("1 earlier articles have no outbox document") } == 1)
        #expect(reports.withLock { $0.last } == LedgerRebuilder.Progress(phase: .keys, done: 1, total: 1))
        #expect(reports.withLock { $0.contains(LedgerRebuilder.Progress(phase: .signing, done: 4, total: 4)) })
        // systemd's STATUS= says which it is: not "rebuilding" for a ledger that is only signed again.
        #expect(LedgerRebuilder.Progress(phase: .signing, done: 4, total: 4).status
            == "signing the ledger's articles again from the outbox (new fingerprints): signing 4 of 4 documents")
        #expect(LedgerRebuilder.Progress(phase: .writing, done: 1, total: 4).status.hasPrefix("rebuilding the ledger from the outbox: "))
        #expect(LedgerRebuilder.Progress(phase: .keys, done: 1, total: 16).status == "indexing the ledger for duplicates: keys 1 of 16 key ranges")
        // Found again: a near copy of a signed row, and an exact copy of the one without a document.
        #expect(try Samples.process(ledger, Samples.entry(10, id: String(repeating: "a", count: 64), text: Self.text(2) + " Updated."))?.name == "input-2.txt")
        #expect(try Samples.process(ledger, Samples.entry(11, id: String(format: "%064x", 3), name: "again.txt"))?.name == "input-3.txt")
        #expect(try Samples.process(ledger, Samples.entry(12, id: String(repeating: "b", count: 64), text: Self.text(3) + " Updated.")) == nil)
        ledger.close()
        // Once is enough: the next open signs nothing.
        let quiet = RecordedMessages()
        let reopened = try Ledger.open(
            stateDirectory: root.path + "/state", sources: sources, nearDuplicateThreshold: 0.8,
            logger: Logger(label: "test") { _ in RecordedMessages.Handler(quiet) })
        #expect(quiet.count { $0.contains("signed") || $0.contains("no outbox document") } == 0)
        reopened.close()
    }

    /// v10 leaves common words out of the signature. A stored signature is a function of its row's shingle
    /// keys, so the open makes each one again from them (no document needed), then derives every key afresh.
    @Test func aLedgerSignedBeforeV10IsSignedAgainFromItsKeys() throws {
        let root = try TemporaryDirectory("signfromkeys")
        try FileManager.default.createDirectory(atPath: root.path + "/state", withIntermediateDirectories: true)
        let path = root.path + "/state/" + Ledger.fileName
        let entries = (1...3).map { Samples.entry($0, id: String(format: "%064x", $0), text: Self.text($0) + " people government world") }
        do {  // A v9 ledger: the rows' keys as now, their signatures and band keys as before v10.
            let queue = try DatabaseQueue(path: path)
            try Ledger.migrator.migrate(queue, upTo: Ledger.wordKeysMigration)
            try queue.write { db in
                for (offset, var entry) in entries.enumerated() {
                    entry.fingerprint?.signature.reverse()  // not what signature(ofKeys:) makes now
                    try Ledger.insert(entry, sequence: Int64(offset + 1), in: db)
                }
                try db.execute(sql: "INSERT INTO band_merged (key, article) VALUES (42, 1)")
                try Ledger.setBandsFrom(4, in: db)
            }
        }
        let recorded = RecordedMessages()
        let sources = LedgerRebuilder.Sources(outbox: root.path + "/outbox", failed: root.path + "/failed")
        let reports = Mutex<[LedgerRebuilder.Progress]>([])
        let ledger = try Ledger.open(
            stateDirectory: root.path + "/state", sources: sources, nearDuplicateThreshold: 0.8,
            logger: Logger(label: "test") { _ in RecordedMessages.Handler(recorded) },
            progress: { progress in reports.withLock { $0.append(progress) } })
        let stored = try ledger.pool.read { db in try Data.fetchAll(db, sql: "SELECT fingerprint FROM article ORDER BY seq") }
        #expect(stored == entries.map { Data(Fingerprint.littleEndian(Fingerprint.signature(ofKeys: $0.fingerprint!.shingleKeys))) })
        #expect(try Samples.count(ledger, "SELECT count(*) FROM band_merged WHERE key = 42") == 0, "old band keys are gone")
        let bands = try ledger.pool.read { db in try Int64.fetchAll(db, sql: "SELECT key FROM band ORDER BY article, key") }
        #expect(bands == entries.flatMap { $0.fingerprint!.bandKeys.sorted() })
        #expect(try !ledger.needsSigningAgain())
        #expect(recorded.count { $0 == "signed the ledger's earlier articles again (near-duplicate fingerprints changed)" } == 1)
        #expect(recorded.count { $0.contains("from their outbox documents") } == 0, "no document was read")
        #expect(reports.withLock { $0.contains(LedgerRebuilder.Progress(phase: .signingFromKeys, done: 3, total: 3)) })
        #expect(LedgerRebuilder.Progress(phase: .signingFromKeys, done: 3, total: 3).status
            == "signing the ledger's articles again (new fingerprints): signing 3 of 3 articles")
        let copy = Samples.entry(10, id: String(repeating: "a", count: 64), text: Self.text(2) + " people government world Updated.")
        #expect(try Samples.process(ledger, copy)?.name == "article-2.txt")
        ledger.close()
        // Once is enough, and a ledger made new has nothing to sign.
        let quiet = RecordedMessages()
        let reopened = try Ledger.open(
            stateDirectory: root.path + "/state", sources: sources, nearDuplicateThreshold: 0.8,
            logger: Logger(label: "test") { _ in RecordedMessages.Handler(quiet) })
        #expect(quiet.count { $0.contains("signed") } == 0)
        reopened.close()
        let fresh = try Ledger(path: root.path + "/fresh.sqlite", logger: Samples.logger)
        #expect(try fresh.signingMarks().isEmpty)
        fresh.close()
    }

    @Test func aRebuiltBandTableStartsMergingAtTheWritersNextRun() throws {
        let root = try TemporaryDirectory("rebuild-merge")
        for number in 0..<40 {
            try root.write("outbox/doc-\(number).json", Self.articleDocument(number, received: String(format: "2026-01-01T00:00:%02d.000000Z", number)))
        }
        let ledger = try Ledger(
            path: root.path + "/state.sqlite", bandFlushThreshold: 1, bandMergeThreshold: 4 * Fingerprint.bands, logger: Samples.logger)
        try LedgerRebuilder.rebuild(ledger, from: .init(outbox: root.path + "/outbox", failed: nil), logger: Samples.logger)
        #expect(try Samples.count(ledger, "SELECT count(*) FROM band") == 40 * Fingerprint.bands)
        try Samples.process(ledger, Samples.entry(99, id: String(format: "%064x", 99)))
        // The merge step follows the commit in the writer's run: the next commit's run comes after it.
        try Samples.process(ledger, Samples.entry(98, id: String(format: "%064x", 98)))
        #expect(try Samples.count(ledger, "SELECT count(*) FROM band_merged") > 0)
        ledger.close()
    }

    /// Keys derived in many passes, each over one range of band keys, are the keys one pass derives: every
    /// band of every article once, every id once, and `bands_from` past the last row.
    @Test func keysDerivedInPassesAreEveryArticlesKeys() throws {
        let root = try TemporaryDirectory("derive")
        let ledger = try Ledger(path: root.path + "/state.sqlite", logger: Samples.logger)
        let entries = (1...40).map { Samples.entry($0, id: String(format: "%064x", $0), text: Self.text($0)) }
        try ledger.pool.write { db in
            for (offset, entry) in entries.enumerated() { try Ledger.insert(entry, sequence: Int64(offset + 1), in: db) }
        }
        // 40 articles × 32 bands in passes of at most 100 rows: 16 passes.
        try Ledger.deriveMissingKeys(in: ledger.pool, rowsPerPass: 100)
        var expected: [[Int64]] = []
        for (offset, entry) in entries.enumerated() {
            for key in entry.fingerprint!.bandKeys { expected.append([key, Int64(offset + 1)]) }
        }
        let bands = try ledger.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT key, article FROM band ORDER BY key, article").map { [$0[0] as Int64, $0[1] as Int64] }
        }
        #expect(bands == expected.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) })
        #expect(try Samples.count(ledger, "SELECT count(DISTINCT article) FROM id_key") == 40)
        #expect(try Samples.count(ledger, "SELECT value FROM meta WHERE key = 'bands_from'") == 41)
        ledger.close()
    }

    /// Twenty near copies of one story share most band keys: a key keeps the rows of its earliest eight
    /// articles only (what lookups read), and a later near copy still finds the first.
    @Test func aKeyKeepsItsEarliestEightArticlesOnly() throws {
        let root = try TemporaryDirectory("derive")
        let ledger = try Ledger(path: root.path + "/state.sqlite", logger: Samples.logger)
        let copies = (1...20).map { Samples.entry($0, id: String(format: "%064x", $0), text: Samples.story(plus: "extra\($0)")) }
        #expect(ledger.takeSequences(copies.count) == 1)
        try ledger.pool.write { db in
            for (offset, entry) in copies.enumerated() { try Ledger.insert(entry, sequence: Int64(offset + 1), in: db) }
        }
        try Ledger.deriveMissingKeys(in: ledger.pool, rowsPerPass: 100)
        var articlesByKey: [Int64: [Int64]] = [:]
        for (offset, entry) in copies.enumerated() {
            for key in Set(entry.fingerprint!.bandKeys) { articlesByKey[key, default: []].append(Int64(offset + 1)) }
        }
        #expect(articlesByKey.values.contains { $0.count > Ledger.TableBands.perKey }, "the copies share keys")
        let expected = articlesByKey.flatMap { key, articles in articles.prefix(Ledger.TableBands.perKey).map { [key, $0] } }
        let bands = try ledger.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT key, article FROM band ORDER BY key, article").map { [$0[0] as Int64, $0[1] as Int64] }
        }
        #expect(bands == expected.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) })
        let near = try Samples.process(ledger, Samples.entry(30, id: String(format: "%064x", 30), text: Samples.story(plus: "late")))
        #expect(near?.name == "article-1.txt")
        ledger.close()
    }
}

extension LedgerRebuilder.Progress.Phase {
    /// The order the phases run in.
    var order: Int { [.listing, .writing, .signing, .keys].firstIndex(of: self)! }
}
