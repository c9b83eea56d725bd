import Analysis
import Foundation
import GRDB
import Testing
@testable import Ledger

@Suite struct LedgerQueryTests {
    /// Three articles in December and one in January, with hand-built quotes (the analysis engineers' shapes).
    static func corpus() throws -> (TemporaryDirectory, Ledger) {
        let directory = try TemporaryDirectory("query")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", logger: Samples.logger)
        try Samples.process(ledger, Samples.entry(1, published: "2021-12-02T00:00:00Z", speakers: ["Vladimir Putin", "Joe Biden"]))
        try Samples.process(ledger, Samples.entry(2, published: "2021-12-12T00:00:00Z", speakers: ["Vladimir Putin"]))
        try Samples.process(ledger, Samples.entry(3, published: "2021-12-31T23:00:00Z", speakers: ["Vladimir Putin", "Antony Blinken"]))
        try Samples.process(ledger, Samples.entry(4, published: "2022-01-05T00:00:00Z", speakers: ["Joe Biden"]))
        // No published date: filtered by when it was received.
        try Samples.process(ledger, Samples.entry(5, received: "2021-11-20T00:00:00.000000Z", speakers: ["Joe Biden"]))
        return (directory, ledger)
    }

    static func column(_ table: LedgerReader.Table, _ name: String) -> [LedgerReader.Value] {
        let index = table.columns.firstIndex(of: name)!
        return table.rows.map { $0[index] }
    }

    @Test func speakersAreCountedWithinTheDateRangeMostQuotedFirst() throws {
        let (directory, _) = try Self.corpus()
        let reader = try LedgerReader(path: directory.path + "/ledger.sqlite")
        let december = try reader.ask(.speakers, .init(since: "2021-12-01", until: "2021-12-31", top: 10))
        #expect(Self.column(december, "speaker") == [.text("Vladimir Putin"), .text("Antony Blinken"), .text("Joe Biden")])
        #expect(Self.column(december, "quotes") == [.integer(3), .integer(1), .integer(1)])
        #expect(Self.column(december, "sample").allSatisfy { if case .text(let text) = $0 { text.hasPrefix("Quote") } else { false } })
        let top = try reader.ask(.speakers, .init(top: 1))
        #expect(top.rows.count == 1)
        let november = try reader.ask(.speakers, .init(until: "2021-11-30"))
        #expect(Self.column(november, "speaker") == [.text("Joe Biden")], "an article without a date counts by its received time")
    }

    /// In the corpus, "I", "you" and "we" (interviews) were the three most quoted "speakers".
    @Test func speakersLeaveOutPronounsNoEntityStandsBehind() throws {
        let (directory, ledger) = try Self.corpus()
        var quotes: [LedgerEntry.QuoteRow] = (1...5).map {
            .init(kind: "direct", text: "Answer \($0).", speaker: $0 == 5 ? "They" : "I", speakerEntity: nil)
        }
        quotes.append(.init(kind: "indirect", text: "A linked one.", speaker: "It", speakerEntity: "E1"))
        quotes.append(.init(kind: "direct", text: "A named one.", speaker: "A hospital official", speakerEntity: nil))
        // As documents gave them before: a contraction (either apostrophe), and a noun cue's possessive.
        quotes.append(.init(kind: "indirect", text: "A contracted one.", speaker: "I’m", speakerEntity: nil))
        quotes.append(.init(kind: "indirect", text: "Another.", speaker: "we're", speakerEntity: nil))
        quotes.append(.init(kind: "indirect", text: "Plans for the city.", speaker: "your", speakerEntity: nil))
        quotes.append(.init(kind: "indirect", text: "An apostrophe in a name.", speaker: "O'Rourke", speakerEntity: nil))
        let interview = LedgerEntry(
            id: String(repeating: "6", count: 64), name: "interview.txt", resultName: "interview.json",
            received: "2026-01-01T00:00:06.000000Z", published: "2021-12-20T00:00:00Z", title: "Interview", language: "en",
            outcome: .processed, fingerprint: Fingerprint(text: Samples.text(6)), duplicateOf: nil,
            entities: [.init(key: "E1", name: "It", type: "organization", salience: 0.5, mentions: 1)], quotes: quotes)
        try Samples.process(ledger, interview)
        let reader = try LedgerReader(path: directory.path + "/ledger.sqlite")
        let december = try reader.ask(.speakers, .init(since: "2021-12-01", until: "2021-12-31", top: 10))
        #expect(Self.column(december, "speaker") == [
            .text("Vladimir Putin"), .text("A hospital official"), .text("Antony Blinken"), .text("It"), .text("Joe Biden"),
            .text("O'Rourke"),
        ])
        let byI = try reader.ask(.quotes, .init(match: "I", top: 0))
        #expect(byI.rows.count == 4, "the quotes themselves are still there")
    }

    @Test func entitiesQuotesArticlesAndDuplicatesAnswer() throws {
        let (directory, ledger) = try Self.corpus()
        try Samples.process(ledger, Samples.entry(1, name: "copy.txt", received: "2022-02-01T00:00:00.000000Z", published: "2022-02-01T00:00:00Z"))
        let reader = try LedgerReader(path: directory.path + "/ledger.sqlite")
        let entities = try reader.ask(.entities, .init(type: "person"))
        #expect(Self.column(entities, "entity").first == .text("Joe Biden") || Self.column(entities, "entity").first == .text("Vladimir Putin"))
        #expect(try reader.ask(.entities, .init(type: "location")).rows.isEmpty)
        let quotes = try reader.ask(.quotes, .init(match: "Antony Blinken", top: 0))
        #expect(Self.column(quotes, "quote") == [.text("Quote 3 by Antony Blinken.")])
        let article = try reader.ask(.article, .init(match: "article-2.txt"))
        #expect(Self.column(article, "title") == [.text("Title 2")])
        let duplicates = try reader.ask(.duplicates, .init(type: "exact"))
        #expect(Self.column(duplicates, "name") == [.text("copy.txt")])
        #expect(Self.column(duplicates, "duplicate_of") == [.text("article-1.txt")])
        #expect(try reader.ask(.duplicates, .init(type: "near")).rows.isEmpty)
        #expect(throws: LedgerError.self) { try reader.ask(.duplicates, .init(type: "fuzzy")) }
    }

    @Test func aLedgerWithEntityAndQuoteTablesMovesThemIntoItsRowsAndAnswersAlike() throws {
        let directory = try TemporaryDirectory("query")
        let path = directory.path + "/ledger.sqlite"
        // The schema before v4: one row per entity and per quote, written as that version did.
        do {
            let queue = try DatabaseQueue(path: path)
            try Ledger.migrator.migrate(queue, upTo: "v3: shingle keys for exact verification")
            try queue.write { db in
                for (seq, date, speakers) in [(1, "2021-12-02", ["Vladimir Putin", "Joe Biden"]), (2, "2021-12-12", ["Vladimir Putin"])] {
                    try db.execute(
                        sql: """
                            INSERT INTO article (seq, claim, id, name, received, date, outcome, result_name)
                            VALUES (?, ?, ?, ?, '2026-01-01T00:00:00Z', ?, 'processed', ?)
                            """, arguments: [seq, "claim \(seq)", String(repeating: "\(seq)", count: 64), "article-\(seq).txt", date, "article-\(seq).json"])
                    for (index, speaker) in speakers.enumerated() {
                        try db.execute(
                            sql: "INSERT INTO entity (article, key, name, type, salience, mentions) VALUES (?, ?, ?, 'person', 0.5, ?)",
                            arguments: [seq, "E\(index + 1)", speaker, index + 2])
                        try db.execute(
                            sql: "INSERT INTO quote (article, kind, text, speaker, speaker_entity) VALUES (?, 'direct', ?, ?, ?)",
                            arguments: [seq, "Quote \(seq) by \(speaker).", speaker, "E\(index + 1)"])
                    }
                }
                try db.execute(sql: "INSERT INTO article (seq, claim, name, received, date, outcome) VALUES (3, 'failed', 'bad.txt', '2026-01-01T00:00:00Z', '2026-01-01', 'failed')")
            }
        }
        let ledger = try Ledger(path: path, logger: Samples.logger)
        #expect(try Samples.count(ledger, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('entity', 'quote')") == 0)
        #expect(try Samples.count(ledger, "SELECT count(*) FROM article WHERE entities IS NULL") == 1, "a failure has none")
        let reader = try LedgerReader(path: path)
        let speakers = try reader.ask(.speakers, .init(since: "2021-12-01"))
        #expect(Self.column(speakers, "speaker") == [.text("Vladimir Putin"), .text("Joe Biden")])
        #expect(Self.column(speakers, "quotes") == [.integer(2), .integer(1)])
        let entities = try reader.ask(.entities, .init(type: "person"))
        #expect(Self.column(entities, "entity") == [.text("Vladimir Putin"), .text("Joe Biden")])
        #expect(Self.column(entities, "mentions") == [.integer(4), .integer(3)])
        let quotes = try reader.ask(.quotes, .init(match: "Joe Biden", top: 0))
        #expect(Self.column(quotes, "quote") == [.text("Quote 1 by Joe Biden.")])
        let article = try reader.ask(.article, .init(match: "article-1.txt"))
        #expect(Self.column(article, "entities") == [.integer(2)])
        #expect(Self.column(article, "quotes") == [.integer(2)])
        // The order within an article is kept: E1 before E2.
        let order = try ledger.pool.read { db in try String.fetchAll(db, sql: "SELECT key FROM entity WHERE article = 1") }
        #expect(order == ["E1", "E2"])
        // New rows go into the same columns and read back through the same views.
        try Samples.process(ledger, Samples.entry(4, published: "2021-12-20T00:00:00Z", speakers: ["Joe Biden"]))
        let after = try reader.ask(.speakers, .init(since: "2021-12-01"))
        #expect(Self.column(after, "quotes") == [.integer(2), .integer(2)])
    }

    /// A compilation with thousands of quotes keeps the first thousand, whichever way its row was built.
    @Test func anArticleKeepsAtMostAThousandEntitiesAndQuotes() throws {
        let directory = try TemporaryDirectory("query")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", logger: Samples.logger)
        var entry = Samples.entry(1, speakers: ["Vladimir Putin"])
        entry.set(
            entities: (0..<1_005).map { .init(key: "E\($0 + 1)", name: "Person \($0)", type: "person", salience: 0.1, mentions: 1) },
            quotes: (0..<1_005).map { .init(kind: "direct", text: "Quote \($0).", speaker: "Person \($0)", speakerEntity: "E\($0 + 1)") })
        try Samples.process(ledger, entry)
        #expect(try Samples.count(ledger, "SELECT count(*) FROM entity") == LedgerEntry.maximumEntities)
        #expect(try Samples.count(ledger, "SELECT count(*) FROM quote") == LedgerEntry.maximumQuotes)
        #expect(try Samples.count(ledger, "SELECT count(*) FROM quote WHERE text = 'Quote 999.'") == 1)
    }

    @Test func aReaderWorksWhileTheWriterCommits() async throws {
        let (directory, ledger) = try Self.corpus()
        let reader = try LedgerReader(path: directory.path + "/ledger.sqlite")
        async let writes: Void = Task.detached {
            for number in 100..<160 { try Samples.process(ledger, Samples.entry(number, id: String(format: "%064d", number))) }
        }.value
        for _ in 0..<30 { _ = try reader.ask(.article, .init(top: 0)) }
        try await writes
        #expect(try reader.ask(.article, .init(top: 0)).rows.count == 5 + 60)
    }
}
