import Foundation
import Testing

@testable import Analysis

@Suite struct GoldenTests {
    /// The example article's document is pinned byte for byte; NEWSD_UPDATE_GOLDEN=1 rewrites the expectation.
    @Test func exampleArticleMatchesItsGoldenDocument() throws {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let input = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent("putin-biden-call.txt")))
        let article = try ArticleDecoder.decode(input, format: .text, maximumBytes: 10 << 20)
        let analysis = Analyzer().analyze(article)
        let document = DocumentEncoder.article(
            id: ContentHash.sha256Hex(input),
            source: SourceDescription(name: Array("putin-biden-call.txt".utf8), bytes: input.count, format: .text, received: "2021-12-12T12:00:00Z"),
            analysis: analysis,
            duplicateOf: nil,
            pipelineVersion: pipelineVersion,
            durationMicroseconds: 0
        )
        let expectedName = "putin-biden-call.expected.json"
        if ProcessInfo.processInfo.environment["NEWSD_UPDATE_GOLDEN"] == "1" {
            // The bundle holds a copy; write the expectation into the source tree.
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(expectedName)")
            try Data(document).write(to: source)
            return
        }
        let expected = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent(expectedName)))
        #expect(document == expected, "regenerate with NEWSD_UPDATE_GOLDEN=1 and review the diff")
        // 15 lines, one paragraph each (`wc -l` says 14: the last line has no newline).
        #expect(analysis.statistics.paragraphs == 15)
        #expect(analysis.statistics.sentences == 24)
        #expect(analysis.language == "en")
    }
}
