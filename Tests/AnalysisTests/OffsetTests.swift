import Testing

@testable import Analysis

@Suite struct OffsetTests {
    @Test func offsetsCountCodePointsNotGraphemesWithEmoji() {
        let text = "😀👍🏽 Hi. 👨‍👩‍👧 Bye."
        let analysis = Support.analyzer.analyze(Article(text: text))
        #expect(Support.texts(text, analysis.sentences) == ["😀👍🏽 Hi.", "👨‍👩‍👧 Bye."])
        // 👍🏽 is two scalars, the family emoji five (with zero-width joiners).
        #expect(analysis.sentences == [Span(start: 0, end: 7), Span(start: 8, end: 18)])
        #expect(analysis.statistics.characters == text.unicodeScalars.count)
    }

    @Test func offsetsCountCombiningMarksSeparately() {
        let text = "Cafe\u{301} open. Nai\u{308}ve fun."
        let analysis = Support.analyzer.analyze(Article(text: text))
        #expect(analysis.sentences == [Span(start: 0, end: 11), Span(start: 12, end: 23)])
        #expect(analysis.statistics.words == 4)
    }

    @Test func crlfInputIsFoldedBeforeOffsetsAreTaken() throws {
        let article = try Support.decode("First one.\r\nSecond 😀 one.\r\n")
        let analysis = Support.analyzer.analyze(article)
        #expect(article.text == "First one.\nSecond 😀 one.\n")
        #expect(analysis.paragraphs == [Span(start: 0, end: 10), Span(start: 11, end: 24)])
        #expect(Support.texts(article.text, analysis.paragraphs) == ["First one.", "Second 😀 one."])
    }
}

@Suite struct LanguageDetectionTests {
    @Test func anEnglishSnippetIsEnglish() {
        let text = "The president said that the talks with his counterpart were productive and that they would meet again."
        #expect(Support.analyzer.analyze(Article(text: text)).language == "en")
    }

    @Test func aFrenchSnippetIsFrench() {
        let text = "Le président a déclaré que les discussions avec son homologue étaient productives et qu'ils se reverraient."
        #expect(Support.analyzer.analyze(Article(text: text)).language == "fr")
    }

    @Test func germanSpanishItalianPortugueseAndDutchAreRecognised() {
        let samples = [
            ("de", "Der Präsident sagte, dass die Gespräche mit seinem Amtskollegen sehr gut waren und dass sie sich wieder treffen werden."),
            ("es", "El presidente dijo que las conversaciones con su homólogo fueron productivas y que se reunirán de nuevo en los próximos meses."),
            ("it", "Il presidente ha detto che i colloqui con il suo omologo sono stati produttivi e che si incontreranno di nuovo nella capitale."),
            ("pt", "O presidente disse que as conversas com o seu homólogo foram produtivas e que eles vão se encontrar de novo na capital."),
            ("nl", "De president zei dat de gesprekken met zijn ambtgenoot productief waren en dat zij elkaar binnenkort weer zullen zien in het paleis."),
        ]
        for (language, text) in samples {
            #expect(Support.analyzer.analyze(Article(text: text)).language == language, "\(language)")
        }
    }

    @Test func tooLittleEvidenceGivesNoLanguage() {
        #expect(Support.analyzer.analyze(Article(text: "Vladimir Putin, Joe Biden.")).language == nil)
        #expect(Support.analyzer.analyze(Article(text: "Владимир Путин сказал, что встреча состоится.")).language == nil)
    }

    @Test func aLanguageGivenByTheInputWins() {
        let article = Article(text: "The president said that the talks were good.", metadata: ArticleMetadata(language: "de"))
        #expect(Support.analyzer.analyze(article).language == "de")
    }
}
