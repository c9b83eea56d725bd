import Analysis
import Foundation
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
