import Foundation
import Testing

@testable import Analysis

@Suite struct GoldenTests {
    /// The example article's documents are pinned byte for byte; NEWSD_UPDATE_GOLDEN=1 rewrites the
    /// expectations (review the diff before committing). The .json input carries the publication date
    /// (2021-12-12), so its dates have values; the .txt input has none, so its relative dates are null.
    @Test(arguments: [("putin-biden-call.txt", InputFormat.text), ("putin-biden-call.json", InputFormat.json)])
    func exampleArticleMatchesItsGoldenDocument(input name: String, format: InputFormat) throws {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let input = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent(name)))
        let article = try ArticleDecoder.decode(input, format: format, maximumBytes: 10 << 20)
        let analysis = Analyzer().analyze(article)
        let document = DocumentEncoder.article(
            id: ContentHash.sha256Hex(input),
            source: SourceDescription(name: Array(name.utf8), bytes: input.count, format: format, received: "2021-12-12T12:00:00Z"),
            analysis: analysis,
            duplicateOf: nil,
            pipelineVersion: pipelineVersion,
            durationMicroseconds: 0
        )
        let expectedName = name.split(separator: ".").dropLast().joined(separator: ".") + (format == .json ? ".json-input" : "") + ".expected.json"
        if ProcessInfo.processInfo.environment["NEWSD_UPDATE_GOLDEN"] == "1" {
            // The bundle holds a copy; write the expectation into the source tree.
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(expectedName)")
            try Data(document).write(to: source)
            return
        }
        let expected = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent(expectedName)))
        if document != expected {
            let first = (0..<min(document.count, expected.count)).first { document[$0] != expected[$0] } ?? min(document.count, expected.count)
            func around(_ bytes: [UInt8]) -> String {
                String(decoding: bytes[max(0, first - 60)..<min(bytes.count, first + 60)], as: UTF8.self)
            }
            Issue.record("""
                \(expectedName) differs at byte \(first) (regenerate with NEWSD_UPDATE_GOLDEN=1 and review the diff):
                  got:      …\(around(document))…
                  expected: …\(around(expected))…
                """)
        }
        // 15 lines, one paragraph each (`wc -l` says 14: the last line has no newline).
        #expect(analysis.statistics.paragraphs == 15)
        #expect(analysis.statistics.sentences == 24)
        #expect(analysis.language == "en")
    }
}
