import Analysis
import Foundation
import Glibc
import Ledger
import Logging
import Testing
@testable import Spool

/// The spool with a ledger: rows before disposal, duplicates, one row per claim across retries.
@Suite struct SpoolLedgerTests {
    static let article = """
        Harbour report

        The port authority said on Tuesday that the new container terminal will open in March, two months later \
        than planned. Dock workers had warned about the cranes for weeks.

        "The cranes are ready now," the harbour master told reporters. Shipping lines welcomed the news.

        """

    static func openLedger(_ root: TemporaryDirectory) throws -> Ledger {
        try Ledger.open(
            stateDirectory: root.path + "/state", sources: .init(outbox: root.path + "/outbox", failed: root.path + "/failed"),
            nearDuplicateThreshold: 0.8, logger: RecordedLogs().logger)
    }

    static func drain(_ root: TemporaryDirectory, ledger: Ledger) async throws -> SpoolStatistics {
        let spool = try Spool(
            layout: .standard(root: .init(root.path)), settings: SpoolSettings(workers: 2, maximumClaimed: 4),
            analyzer: Analyzer(), mode: .batch, ledger: ledger, logger: RecordedLogs().logger)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            spool.start {}
            spool.whenIdle { @Sendable in spool.drain(timeout: .seconds(60)) { @Sendable _ in continuation.resume() } }
        }
        return spool.statistics()
    }

    static func rows(_ root: TemporaryDirectory) throws -> LedgerReader.Table {
        try LedgerReader(path: root.path + "/state/ledger.sqlite").ask(.article, .init(top: 0))
    }

    @Test func everyInputGetsARowAndACopyPointsAtTheFirst() async throws {
        let root = try TemporaryDirectory()
        try root.write("inbox/harbour.txt", Self.article)
        try root.write("inbox/empty.txt", "")
        let ledger = try Self.openLedger(root)
        _ = try await Self.drain(root, ledger: ledger)
        // The same bytes under another name, later: its own document, pointing at the first.
        try root.write("inbox/harbour-again.txt", Self.article)
        try root.write("inbox/harbour-syndicated.txt", "By Staff\n\n" + Self.article + "\nAdvertisement\n")
        let statistics = try await Self.drain(root, ledger: ledger)
        #expect(statistics.processed == 2)

        let first = try root.json("outbox/harbour.json")
        #expect(first["duplicate_of"] is NSNull)
        let again = try root.json("outbox/harbour-again.json")
        let duplicate = try #require(again["duplicate_of"] as? [String: Any])
        #expect(duplicate["id"] as? String == first["id"] as? String)
        #expect(duplicate["name"] as? String == "harbour.txt")
        #expect(duplicate["similarity"] as? Double == 1.0)
        let near = try #require(try root.json("outbox/harbour-syndicated.json")["duplicate_of"] as? [String: Any])
        #expect(near["name"] as? String == "harbour.txt")
        #expect((near["similarity"] as? Double ?? 0) >= 0.8)

        let table = try Self.rows(root)
        let names = table.rows.map { $0[table.columns.firstIndex(of: "name")!].description }.sorted()
        #expect(names == ["empty.txt", "harbour-again.txt", "harbour-syndicated.txt", "harbour.txt"])
        let failed = table.rows.first { $0[1] == .text("empty.txt") }
        #expect(failed?[table.columns.firstIndex(of: "error")!] == .text("empty"))
    }

    @Test func aRetryAfterTheRowWasCommittedKeepsOneRowAndOneDocument() throws {
        let root = try TemporaryDirectory()
        let ledger = try Self.openLedger(root)
        let layout = SpoolLayout.standard(root: .init(root.path))
        let directories = try SpoolDirectories(layout)
        try root.write("inbox/first.txt", Self.article)
        try root.write("work/copy.txt", Self.article)
        let builder = DocumentBuilder(analyzer: Analyzer(), maximumArticleBytes: 1 << 20)
        let processor = ArticleProcessor(directories: directories, builder: builder, onSuccess: .archive, ledger: ledger)
        // Every archive name is taken: the result and the ledger row are durable, the input cannot leave work/,
        // as after a crash between the commit and the disposal.
        let id = ContentHash.sha256Hex(Array(Self.article.utf8))
        for attempt in 0..<1_000 {
            let name = attempt == 0 ? "copy.txt" : attempt == 1 ? "copy.txt-\(id.prefix(8))" : "copy.txt-\(id.prefix(8))-\(attempt)"
            try root.write("archive/" + name, "")
        }
        guard case .retry = processor.process(Array("copy.txt".utf8)) else {
            Issue.record("the disposal should have failed")
            return
        }
        #expect(try Self.rows(root).rows.count == 1)
        for name in root.names("archive") { try FileManager.default.removeItem(atPath: root.path + "/archive/" + name) }
        var retry = processor
        retry.mayHaveEarlierAttempt = true
        guard case .processed = retry.process(Array("copy.txt".utf8)) else {
            Issue.record("the retry should have finished the article")
            return
        }
        #expect(root.names("outbox") == ["copy.json"])
        #expect(try Self.rows(root).rows.count == 1)
        #expect(root.names("work").isEmpty)
    }

    /// Every question `newsd query` can ask, over everything.
    static func answers(_ root: TemporaryDirectory) throws -> [LedgerReader.Table] {
        let reader = try LedgerReader(path: root.path + "/state/ledger.sqlite")
        return try LedgerReader.Subject.allCases.map { try reader.ask($0, .init(top: 0)) }
    }

    /// Real articles from the corpus, an exact and a near copy, and a failure, drained with a ledger.
    static func processedCorpus() async throws -> TemporaryDirectory {
        let root = try TemporaryDirectory()
        // shared/ sits beside the checkout (CI clones it anywhere): this file is Tests/SpoolTests/ in it.
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let corpus = checkout.deletingLastPathComponent().appendingPathComponent("shared/corpus/wikinews-2019-2020").path
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus).filter { $0.hasSuffix(".txt") }.sorted().prefix(12)
        for name in names { try root.write("inbox/" + name, try String(contentsOfFile: corpus + "/" + name, encoding: .utf8)) }
        try root.write("inbox/harbour.txt", Self.article)
        try root.write("inbox/broken.json", "{\"text\": ")
        let ledger = try Self.openLedger(root)
        _ = try await Self.drain(root, ledger: ledger)
        try root.write("inbox/harbour-copy.txt", Self.article)
        try root.write("inbox/harbour-byline.txt", "By Our Correspondent\n\n" + Self.article)
        _ = try await Self.drain(root, ledger: ledger)
        ledger.close()
        return root
    }

    @Test func reindexFromTheOutboxGivesTheSameAnswers() async throws {
        let root = try await Self.processedCorpus()
        let before = try Self.answers(root)
        #expect(before[LedgerReader.Subject.allCases.firstIndex(of: .article)!].rows.count == 16)
        #expect(before[LedgerReader.Subject.allCases.firstIndex(of: .duplicates)!].rows.count == 2)
        let rows = try Ledger.reindex(
            stateDirectory: root.path + "/state", sources: .init(outbox: root.path + "/outbox", failed: root.path + "/failed"),
            logger: RecordedLogs().logger)
        #expect(rows == 16)
        #expect(try Self.answers(root) == before)
        #expect(!root.names("state").contains("ledger.sqlite.rebuild"))
    }

    @Test func aLedgerDeletedWhileStoppedIsRebuiltAtTheNextStartWithNothingLost() async throws {
        let root = try await Self.processedCorpus()
        let before = try Self.answers(root)
        for name in root.names("state") where name.hasPrefix("ledger.sqlite") {
            try FileManager.default.removeItem(atPath: root.path + "/state/" + name)
        }
        let ledger = try Self.openLedger(root)
        #expect(try Self.answers(root) == before)
        // And it still knows the earlier articles: a new copy points at the first.
        try root.write("inbox/harbour-third.txt", Self.article)
        _ = try await Self.drain(root, ledger: ledger)
        let duplicate = try root.json("outbox/harbour-third.json")["duplicate_of"] as? [String: Any]
        #expect(duplicate?["name"] as? String == "harbour.txt")
    }

    @Test func aCorruptLedgerIsMovedAsideAndRebuilt() async throws {
        let root = try await Self.processedCorpus()
        let before = try Self.answers(root)
        for name in root.names("state") where name.hasPrefix("ledger.sqlite-") {
            try FileManager.default.removeItem(atPath: root.path + "/state/" + name)
        }
        try root.write("state/ledger.sqlite", String(repeating: "not a database ", count: 400))
        let logs = RecordedLogs()
        _ = try Ledger.open(
            stateDirectory: root.path + "/state", sources: .init(outbox: root.path + "/outbox", failed: root.path + "/failed"),
            nearDuplicateThreshold: 0.8, logger: logs.logger)
        #expect(try Self.answers(root) == before)
        #expect(root.names("state").contains { $0.hasPrefix("ledger.sqlite.broken-") })
        #expect(logs.all.contains { $0.level == .error && $0.message.contains("moving it aside") })
    }
}

extension SpoolLedgerTests {
    @Test func documentsWrittenWithoutTheLedgerAreAddedAtTheNextOpen() async throws {
        let root = try await Self.processedCorpus()
        // Processed while `ledger` was false: a document and its original, no row.
        let spool = try Spool(
            layout: .standard(root: .init(root.path)), settings: SpoolSettings(workers: 1, maximumClaimed: 2),
            analyzer: Analyzer(), mode: .batch, logger: RecordedLogs().logger)
        try root.write("inbox/unledgered.txt", "A council vote on the tram line was postponed to April, officials said.")
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            spool.start {}
            spool.whenIdle { @Sendable in spool.drain(timeout: .seconds(60)) { @Sendable _ in continuation.resume() } }
        }
        #expect(try Self.rows(root).rows.count == 16)
        _ = try Self.openLedger(root)
        let names = try Self.rows(root).rows.map { $0[1] }
        #expect(names.count == 17)
        #expect(names.contains(.text("unledgered.txt")))
    }
}
