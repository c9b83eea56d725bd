import Analysis
import Foundation
import Testing
@testable import Ledger

@Suite struct LedgerEntryTests {
    /// The spool builds an article's row from its analysis, the rebuild from its outbox document: the two
    /// must give the same entry, entities and quotes included, or `newsd reindex` would change the answers.
    @Test func anEntryFromTheAnalysisEqualsTheOneRebuiltFromItsDocument() throws {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        // shared/ sits beside the checkout: this file is Tests/LedgerTests/ in it.
        let corpus = tests.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus/wikinews-2019-2020").path
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus).filter { $0.hasSuffix(".txt") }.sorted().prefix(24)
        let paths = [tests.appendingPathComponent("AnalysisTests/Fixtures/putin-biden-call.txt").path] + names.map { corpus + "/" + $0 }
        let analyzer = Analyzer()
        var entities = 0
        var quotes = 0
        for path in paths {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let analysis = analyzer.analyze(try ArticleDecoder.decode(bytes, format: .text, maximumBytes: .max))
            let id = ContentHash.sha256Hex(bytes)
            let name = URL(fileURLWithPath: path).lastPathComponent
            let received = "2026-12-07T00:00:00.000000Z"
            let live = LedgerEntry(
                id: id, name: name, outboxName: name + ".json", received: received, analysis: analysis,
                fingerprint: Fingerprint(text: analysis.article.text), duplicateOf: nil)
            let document = DocumentEncoder.article(
                id: id, source: SourceDescription(name: Array(name.utf8), bytes: bytes.count, format: .text, received: received),
                analysis: analysis, duplicateOf: nil, pipelineVersion: "test", durationMicroseconds: 0)
            let rebuilt = try #require(LedgerEntry(articleDocument: document, resultName: name + ".json"))
            func text(_ json: [UInt8]?) -> String { String(decoding: json ?? [], as: UTF8.self) }
            #expect(text(live.entitiesJSON) == text(rebuilt.entitiesJSON), "\(name): entities")
            #expect(text(live.quotesJSON) == text(rebuilt.quotesJSON), "\(name): quotes")
            #expect(live == rebuilt, "\(name): the whole entry")
            entities += analysis.entities.count
            quotes += analysis.quotes.filter { $0.speaker?.entity != nil }.count
        }
        #expect(entities > 100 && quotes > 20, "entities and quotes with linked speakers to compare: \(entities), \(quotes)")
    }
}
