import Analysis
import Foundation
import Testing
@testable import Ledger

/// The key filter: lookups skip the table seeks for keys it has never held, and never miss one it has.
@Suite struct KeyFilterTests {
    @Test func everyKeyInsertedIsFoundAndFewOthersAre() {
        let filter = KeyFilter(keys: 0, minimumWords: 1 << 10)
        let inserted = (1...UInt64(filter.capacity)).map { Fingerprint.mix($0) }
        #expect(!inserted.contains { filter.mayContain($0) }, "an empty filter holds nothing")
        for key in inserted { filter.insert(key) }
        #expect(inserted.allSatisfy { filter.mayContain($0) })
        // Full (12 bits a key): about one key in 200 that was never inserted still passes.
        let others = (1...100_000).map { Fingerprint.mix(UInt64($0) << 32) }
        let passed = others.count { filter.mayContain($0) }
        #expect(passed < 800, "false positives: \(passed) of 100,000")
        // As built (16 bits a key): about one in 1,000.
        let sized = KeyFilter(keys: 50_000, minimumWords: 1)
        for key in (1...UInt64(sized.bytes / 2)).map({ Fingerprint.mix($0 &* 7) }) { sized.insert(key) }
        let passedSized = others.count { sized.mayContain($0) }
        #expect(passedSized < 250, "false positives: \(passedSized) of 100,000")
    }

    @Test func idsAndBandKeysDoNotStandForEachOther() {
        let filter = KeyFilter(keys: 0, minimumWords: 1 << 10)
        let id = Ledger.idKey(String(repeating: "a", count: 64))
        filter.insert(KeyFilter.key(id: id))
        let band = Int64(bitPattern: KeyFilter.key(id: id))
        #expect(filter.mayContain(KeyFilter.key(id: id)))
        #expect(!filter.mayContain(KeyFilter.key(band: band)))
    }

    @Test func aNewArticleSeeksNoBandKeyOnceTheFilterIsBuiltAndStoredOnesAreStillFound() throws {
        let directory = try Samples.closedLedger(articles: 8)
        let path = directory.path + "/ledger.sqlite"
        let ledger = try Ledger(path: path, logger: Samples.logger)
        #expect(ledger.keyFilter == nil, "built at the first lookup, not at open")
        // The first lookup comes before the filter: it looks up every band key in the table.
        try Samples.process(ledger, Samples.entry(20, id: String(format: "%064d", 20)))
        #expect(ledger.bandKeysProbed.load(ordering: .relaxed) == Fingerprint.bands)
        ledger.waitForKeyFilter()
        // The eight stored articles' ids and bands; the ninth's id once or twice more, as its commit came
        // before, during or after the scan (its bands are still in memory).
        let keys = try #require(ledger.keyFilter).keys
        #expect((8 * (Fingerprint.bands + 1))...(8 * (Fingerprint.bands + 1) + 2) ~= keys)

        let before = ledger.bandKeysProbed.load(ordering: .relaxed)
        // Words no stored article has (a sample text on a stored one's topic shares about half its bands' odds).
        let new = Samples.entry(21, id: String(format: "%064d", 21), text: (0..<60).map { "fresh\($0)" }.joined(separator: " "))
        #expect(try Samples.process(ledger, new) == nil)
        #expect(ledger.bandKeysProbed.load(ordering: .relaxed) == before, "a new article seeks nothing")

        let exact = try Samples.process(ledger, Samples.entry(3, id: String(format: "%064d", 3), name: "again.txt"))
        #expect(exact == DuplicateReference(id: String(format: "%064d", 3), name: "article-3.txt", similarity: 1))
        let near = try Samples.process(ledger, Samples.entry(
            30, id: String(repeating: "e", count: 64), text: "By A. Writer. " + Samples.text(5) + " Advertisement."))
        #expect(near?.name == "article-5.txt")
        #expect(ledger.bandKeysProbed.load(ordering: .relaxed) > before, "a near copy's keys are in the filter")
    }

    /// A filter of one word grows after the first few articles, and again and again, while articles move from
    /// memory to the tables every three: whatever is in the tables is found through every size.
    @Test func theFilterGrowsAndEveryStoredArticleIsStillFound() throws {
        let directory = try TemporaryDirectory("ledger")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", bandFlushThreshold: 3, keyFilterWords: 1, logger: Samples.logger)
        var sizes: Set<Int> = []
        for number in 0..<40 {
            try Samples.process(ledger, Samples.entry(number, id: String(format: "%064d", number)))
            ledger.waitForKeyFilter()
            if let bytes = ledger.keyFilter?.bytes { sizes.insert(bytes) }
        }
        #expect(sizes.count >= 3, "built again, larger, as it filled: \(sizes.sorted())")
        for number in [0, 1, 17, 38] {
            let exact = try Samples.process(ledger, Samples.entry(number, id: String(format: "%064d", number), name: "copy-\(number).txt"))
            #expect(exact?.name == "article-\(number).txt")
            let near = try Samples.process(ledger, Samples.entry(
                100 + number, id: String(format: "%064d", 100 + number), text: "By A. Writer. " + Samples.text(number)))
            #expect(near?.name == "article-\(number).txt")
        }
    }

    /// Rows the rebuilder writes into a ledger whose filter is already in use are recorded in it.
    @Test func rowsRebuiltFromTheOutboxAfterTheFilterIsBuiltAreFound() throws {
        let directory = try TemporaryDirectory("ledger")
        let outbox = directory.path + "/outbox"
        try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", logger: Samples.logger)
        try Samples.process(ledger, Samples.entry(1, id: String(format: "%064d", 1)))
        ledger.waitForKeyFilter()
        #expect(ledger.keyFilter != nil)

        let id = String(repeating: "b", count: 64)
        let document: [String: Any] = [
            "schema": "newsd/article@1", "id": id,
            "source": ["name": "rebuilt.txt", "received": "2026-03-01T00:00:00.000000Z"],
            "meta": ["title": "Rebuilt"], "text": Samples.text(7), "entities": [], "quotes": [],
        ]
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: outbox + "/rebuilt.json"))
        #expect(try LedgerRebuilder.rebuild(ledger, from: .init(outbox: outbox, failed: nil), logger: Samples.logger) == 1)

        let exact = try Samples.process(ledger, Samples.entry(2, id: id, name: "again.txt"))
        #expect(exact?.name == "rebuilt.txt")
        let near = try Samples.process(ledger, Samples.entry(
            3, id: String(repeating: "c", count: 64), text: Samples.text(7) + " Advertisement."))
        #expect(near?.name == "rebuilt.txt")
    }
    /// `close` while the key filter is being built. GRDB gave a read that began before `DatabasePool.close` a
    /// connection the close had just closed, and SQLite crashed on it (SIGSEGV in `sqlite3_get_autocommit`, seen
    /// in CI). Now the build stops and `close` waits for it before closing anything; later calls fail cleanly.
    @Test func closingWhileTheFilterIsBuiltStopsTheBuildFirst() throws {
        let directory = try TemporaryDirectory("ledger")
        let path = directory.path + "/ledger.sqlite"
        let ledger = try Ledger(path: path, logger: Samples.logger)
        let scanning = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        ledger.filterScanWillStart.withLock { $0 = { @Sendable in scanning.signal(); release.wait() } }
        try Samples.process(ledger, Samples.entry(1, id: String(format: "%064d", 1)))
        // The build holds a reader now; it lets go once `close` is under way (GRDB's close then waits for it).
        scanning.wait()
        DispatchQueue.global().async { @Sendable in
            while !ledger.isClosing { usleep(1_000) }
            usleep(50_000)
            release.signal()
        }
        ledger.close()
        #expect(ledger.filterBuildsRunning.load(ordering: .sequentiallyConsistent) == 0, "no build outlasts close")
        #expect(ledger.keyFilter == nil, "the build stopped before the scan")
        #expect(throws: LedgerError.self) { try Samples.process(ledger, Samples.entry(2, id: String(format: "%064d", 2))) }
        #expect(throws: LedgerError.self) { try ledger.record(Samples.entry(3, id: String(format: "%064d", 3))) }
        let reopened = try Ledger(path: path, logger: Samples.logger)
        #expect(try Samples.count(reopened) == 1)
    }
}
