import Foundation
import Testing
@testable import Analysis

@Suite struct TokenizerTests {
    private func tokens(_ text: String) -> [(String, Token.Kind)] {
        let scalars = Array(text.unicodeScalars)
        let tokens = Tokenizer.tokens(scalars, sentences: [Span(start: 0, end: scalars.count)])
        return tokens.map { token in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[token.start..<token.end])
            return (String(view), token.kind)
        }
    }

    @Test func wordsKeepInnerApostrophesHyphensAndAcronymPeriods() {
        #expect(tokens("The U.S. can’t hold an in-person AT&T talk.").map(\.0)
            == ["The", "U.S.", "can’t", "hold", "an", "in-person", "AT&T", "talk", "."])
    }

    @Test func numbersKeepDecimalsAndThousands() {
        let result = tokens("It rose 3.5% to 1,000 on 5th May.")
        #expect(result.map(\.0) == ["It", "rose", "3.5", "%", "to", "1,000", "on", "5th", "May", "."])
        #expect(result[1].1 == .word && result[2].1 == .number)
    }

    @Test func quotationMarksAreOpeningOrClosingByShapeAndPosition() {
        let result = tokens("He said \u{201C}yes\u{201D} and \"no\" to the leaders\u{2019} plan.")
        let marks = result.filter { $0.1 == .openingQuote || $0.1 == .closingQuote }
        #expect(marks.map(\.1) == [.openingQuote, .closingQuote, .openingQuote, .closingQuote, .closingQuote])
    }

    @Test func aLongRunOfDottedLettersIsLinear() {
        let text = String(repeating: "a.", count: 100_000)
        #expect(tokens(text).count >= 1)
    }

    /// The analyzer counts `stats.words` in the tokenizer's pass; `WordCounter` is the definition.
    private func countsAgree(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        let paragraphs = Segmenter.paragraphs(scalars)
        let sentences = Segmenter.sentences(scalars, paragraphs: paragraphs)
        return Tokenizer.tokenize(scalars, sentences: sentences).words == WordCounter.count(scalars)
    }

    @Test func tokenizerWordCountIsWordCounters() {
        let texts = [
            "", "   ", "The U.S. can’t hold an in-person AT&T talk.", "U.S.A. and U.K. met. Then e.g. Ph.D. holders.",
            "It rose 3.5% to 1,000 on 5th May.", "rock'n'roll — A&B & C &D E& x-ray -x y- 'quoted' ’tis",
            "Dr. A. B. Smith said: \"Stop!\" he said. Yes… no?! (Really.) [1] {2}", "e\u{301}t\u{301}e\u{301} café naïve",
            "tab\there\u{1}ctrl\u{7F}del\u{85}nel\u{2028}ls x\u{2029}ps", "日本語のテキスト。 第二文！", "a.b.c d.e.f. g.h A.B.C",
            "1.2.3 4,5,6 7.a b.8 ‐hy‑phen‐ 10km 5th 1990s", "line one\nline two\r\nline three\n\n  indented  ",
            "x.\u{301}y U.Ś. A.\u{301}", "&amp; & && a&&b a&-b a-&b",
        ]
        for text in texts { #expect(countsAgree(text), "\(text.debugDescription)") }
    }

    @Test func tokenizerWordCountIsWordCountersOnTheCorpus() throws {
        // Every article of the corpus and the dev sets next to the repository.
        let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared")
        var checked = 0
        for folder in ["corpus/wikinews-2019-2020", "eval/dev/dates-tbaq", "eval/dev/entities-conllpp", "eval/dev/keywords-kpcrowd",
            "eval/dev/quotes-polnear"]
        {
            let directory = shared.appendingPathComponent(folder)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { continue }
            for name in names where !name.hasSuffix(".gold.json") {
                guard let format = ArticleDecoder.format(forFileName: Array(name.utf8)),
                    let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path),
                    let article = try? ArticleDecoder.decode([UInt8](data), format: format, maximumBytes: 10 << 20)
                else { continue }
                #expect(countsAgree(article.text), "\(folder)/\(name)")
                checked += 1
            }
        }
        try #require(checked > 0, "no corpus found under \(shared.path)")
    }
}
