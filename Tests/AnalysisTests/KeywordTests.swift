import Foundation
import Testing

@testable import Analysis

@Suite struct KeywordTests {
    static func exampleArticle() throws -> Article {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let input = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent("putin-biden-call.txt")))
        return try ArticleDecoder.decode(input, format: .text, maximumBytes: 10 << 20)
    }

    static func stemKey(_ phrase: String) -> String {
        phrase.split(separator: " ")
            .map { KeywordLexicon.stem(KeywordLexicon.lowercased(ArraySlice(String($0).unicodeScalars))) }
            .joined(separator: " ")
    }

    @Test func exampleArticleKeywordsNameTheStory() throws {
        let keywords = Support.analyzer.analyze(try Self.exampleArticle()).keywords
        let top = keywords.prefix(10).map { $0.phrase.lowercased() }
        for expected in ["putin", "biden", "ukraine", "russia", "meeting"] {
            #expect(top.contains(expected), "\(expected) missing from \(top)")
        }
        // Names keep their capitals; common nouns are lowercased.
        #expect(keywords.contains { $0.phrase == "Putin" })
        #expect(keywords.contains { $0.phrase == "meeting" })
    }

    @Test func keywordsAreBestFirstWithScoresInUnitRange() throws {
        let keywords = Support.analyzer.analyze(try Self.exampleArticle()).keywords
        #expect(!keywords.isEmpty)
        #expect(keywords.count <= KeywordExtractor.limit)
        #expect(keywords.first?.score == 1)
        for keyword in keywords { #expect(keyword.score > 0 && keyword.score <= 1) }
        for (a, b) in zip(keywords, keywords.dropFirst()) { #expect(a.score >= b.score) }
    }

    @Test func noTwoKeywordsShareAStem() throws {
        let keywords = Support.analyzer.analyze(try Self.exampleArticle()).keywords
        let keys = keywords.map { Self.stemKey($0.phrase) }
        #expect(Set(keys).count == keys.count, "\(keys)")
    }

    @Test func pluralsAndPossessivesCountAsOneWord() {
        let text = "The senator met voters. Voters cheered the senator's plan. The voter's choice was clear. Senators agreed."
        let keywords = Support.analyzer.analyze(Article(text: text)).keywords
        let phrases = keywords.map { $0.phrase }
        #expect(phrases.first == "senator" || phrases.first == "voters" || phrases.first == "voter")
        #expect(phrases.filter { Self.stemKey($0) == "senator" }.count == 1)
    }

    @Test func stopWordsNumbersAndPunctuationAreNeverKeywords() {
        let text = "It was 2021, and it is what it is. They said that 42 of them would be there, and they were."
        let keywords = Support.analyzer.analyze(Article(text: text)).keywords
        #expect(keywords.allSatisfy { !["it", "was", "the", "they", "said", "2021", "42", ","].contains($0.phrase) })
    }

    @Test func phrasesNeedToRecurInLongerTexts() {
        let text = """
            Climate change dominated the summit in the capital this week. Delegates said climate change \
            threatens coastal cities across the region. Coastal cities asked the richer nations for money to \
            build sea walls. Angry fishermen protested outside the venue, while ministers argued about targets \
            and deadlines until late at night.
            """
        let phrases = Support.analyzer.analyze(Article(text: text)).keywords.map { $0.phrase }
        #expect(phrases.contains("climate change"))
        #expect(phrases.contains("coastal cities"))
        #expect(!phrases.contains("angry fishermen"))
        #expect(!phrases.contains("sea walls"))
    }

    @Test func headlineAloneKeepsItsPhrases() {
        let phrases = Support.analyzer.analyze(Article(text: "Hailee Steinfeld in talks to play Sleeping Beauty")).keywords
            .map { $0.phrase }
        #expect(phrases.contains("Sleeping Beauty"))
        #expect(phrases.contains("Hailee Steinfeld"))
    }

    @Test func nonEnglishArticleGetsNoKeywords() {
        let text = """
            Der russische Präsident Wladimir Putin hat seinem amerikanischen Amtskollegen Joe Biden gesagt, \
            dass er sich sehr gerne zu weiteren Gesprächen treffen würde. Das geht aus einem Video hervor, \
            das am Sonntag vom russischen Staatsfernsehen veröffentlicht wurde.
            """
        let analysis = Support.analyzer.analyze(Article(text: text, metadata: ArticleMetadata(language: "de")))
        #expect(analysis.keywords.isEmpty)
    }

    @Test func emptyAndPunctuationOnlyTextGetNoKeywords() {
        #expect(Support.analyzer.analyze(Article(text: "")).keywords.isEmpty)
        #expect(Support.analyzer.analyze(Article(text: "... !!! — 123 ???")).keywords.isEmpty)
    }
}
