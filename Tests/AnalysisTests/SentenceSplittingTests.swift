import Testing

@testable import Analysis

@Suite struct ParagraphSplittingTests {
    @Test func eachLineIsOneParagraph() {
        #expect(Support.paragraphs("First line.\nSecond line.\nThird.") == ["First line.", "Second line.", "Third."])
    }

    @Test func blankLinesAndSurroundingWhitespaceLeaveNoEmptyParagraphs() {
        #expect(Support.paragraphs("\n\n  One. \n\n\t\n Two.  \n\n") == ["One.", "Two."])
    }

    @Test func whitespaceOnlyTextHasNoParagraphsOrSentences() {
        let analysis = Support.analyzer.analyze(Article(text: " \n\t \n"))
        #expect(analysis.paragraphs.isEmpty)
        #expect(analysis.sentences.isEmpty)
        #expect(analysis.summary.isEmpty)
    }
}

@Suite struct SentenceSplittingTests {
    @Test func plainSentencesSplitAtFinalPunctuation() {
        #expect(Support.sentences("It rained. Was it cold? Yes! Very.") == ["It rained.", "Was it cold?", "Yes!", "Very."])
    }

    @Test func sentencesNeverCrossParagraphs() {
        #expect(Support.sentences("No full stop here\nNext paragraph. Two.") == ["No full stop here", "Next paragraph.", "Two."])
    }

    @Test(arguments: ["Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Gen.", "Sen.", "Rep.", "Gov.", "Lt.", "Col.", "St."])
    func titlesBeforeANameDoNotEndASentence(title: String) {
        let text = "They met \(title) Smith in Paris. He left."
        #expect(Support.sentences(text) == ["They met \(title) Smith in Paris.", "He left."])
    }

    @Test func countryAcronymsDoNotEndASentenceBeforeANoun() {
        #expect(Support.sentences("The U.S. President spoke to the U.K. Prime Minister. Talks went well.") == [
            "The U.S. President spoke to the U.K. Prime Minister.", "Talks went well.",
        ])
    }

    @Test func anAcronymAtTheEndOfASentenceStillEndsIt() {
        #expect(Support.sentences("He moved to the U.S. The move was hard.") == ["He moved to the U.S.", "The move was hard."])
    }

    @Test func companySuffixesDoNotEndASentenceBeforeLowercaseOrNames() {
        #expect(Support.sentences("Apple Inc. said profits rose. Acme Corp. Chief Executive Jane Roe agreed.") == [
            "Apple Inc. said profits rose.", "Acme Corp. Chief Executive Jane Roe agreed.",
        ])
        #expect(Support.sentences("Martin Luther King Jr. Day is a holiday. Widgets Ltd. and Foo Co. merged.") == [
            "Martin Luther King Jr. Day is a holiday.", "Widgets Ltd. and Foo Co. merged.",
        ])
    }

    @Test func aCompanySuffixEndsASentenceBeforeATypicalOpening() {
        #expect(Support.sentences("He works for Acme Inc. The company is small.") == ["He works for Acme Inc.", "The company is small."])
    }

    @Test func numberAbbreviationsAndVersusDoNotEndASentence() {
        #expect(Support.sentences("He lives at No. 10 Downing Street. It is Team A vs. Team B tonight.") == [
            "He lives at No. 10 Downing Street.", "It is Team A vs. Team B tonight.",
        ])
    }

    @Test func circaBeforeANumberDoesNotEndASentence() {
        #expect(Support.sentences("Theodorus of Cyrene (c. 465 BC) taught Plato. The hall was built ca. 1850 by approx. 40 men.") == [
            "Theodorus of Cyrene (c. 465 BC) taught Plato.", "The hall was built ca. 1850 by approx. 40 men.",
        ])
        // Not before a number, a lone "c." may end a sentence as any word does.
        #expect(Support.sentences("The answer is c. The next question is harder.") == [
            "The answer is c.", "The next question is harder.",
        ])
    }

    @Test func etceteraEndsASentenceOnlyBeforeACapital() {
        #expect(Support.sentences("Bring pens, paper, etc. and a bag. We sell pens, paper, etc. They sell ink.") == [
            "Bring pens, paper, etc. and a bag.", "We sell pens, paper, etc.", "They sell ink.",
        ])
    }

    @Test func latinAbbreviationsDoNotEndASentence() {
        #expect(Support.sentences("Some cities, e.g. Paris, i.e. Lyon, agreed. Others did not.") == [
            "Some cities, e.g. Paris, i.e. Lyon, agreed.", "Others did not.",
        ])
    }

    @Test func abbreviatedMonthsBeforeADayDoNotEndASentence() {
        #expect(Support.sentences("It opened on Dec. 12, 2021 and closed Jan. 3. Then Sept. 9 came. Aug. 1 too.") == [
            "It opened on Dec. 12, 2021 and closed Jan. 3.", "Then Sept. 9 came.", "Aug. 1 too.",
        ])
    }

    @Test func clockAbbreviationsEndASentenceOnlyBeforeACapital() {
        #expect(Support.sentences("It began at 6 a.m. and ended at 9 p.m. The crowd left.") == [
            "It began at 6 a.m. and ended at 9 p.m.", "The crowd left.",
        ])
    }

    @Test func decimalsDoNotEndASentence() {
        #expect(Support.sentences("Growth was 3.5 percent. Prices rose 0.2%.") == ["Growth was 3.5 percent.", "Prices rose 0.2%."])
    }

    @Test func initialsDoNotEndASentence() {
        #expect(Support.sentences("J. R. R. Tolkien wrote it. George W. Bush read it.") == [
            "J. R. R. Tolkien wrote it.", "George W. Bush read it.",
        ])
        #expect(Support.sentences("Wayne A. I. Frederick won the Leroy P. Steele Prize. He thanked Plan B. The end.") == [
            "Wayne A. I. Frederick won the Leroy P. Steele Prize.", "He thanked Plan B.", "The end.",
        ])
    }

    @Test func anEllipsisBeforeLowercaseContinuesTheSentence() {
        #expect(Support.sentences("He paused... and went on. She waited… then left.") == [
            "He paused... and went on.", "She waited… then left.",
        ])
    }

    @Test func anEllipsisBeforeACapitalEndsTheSentence() {
        #expect(Support.sentences("He paused... The room was silent. She waited… Nobody came.") == [
            "He paused...", "The room was silent.", "She waited…", "Nobody came.",
        ])
    }

    @Test func aSentenceEndingInsideQuotationMarksEndsAfterTheClosingMark() {
        #expect(Support.sentences("He said: \u{201C}We will meet.\u{201D} Then he left.") == [
            "He said: \u{201C}We will meet.\u{201D}", "Then he left.",
        ])
        #expect(Support.sentences("She asked, \"Why now?\" Nobody knew.") == ["She asked, \"Why now?\"", "Nobody knew."])
        #expect(Support.sentences("He called it \u{2018}a joke?\u{2019} It was not.") == ["He called it \u{2018}a joke?\u{2019}", "It was not."])
    }

    @Test func aQuotationFollowedByItsLowercaseAttributionIsOneSentence() {
        #expect(Support.sentences("\u{201C}Stop!\u{201D} he shouted. \"Why?\" she asked.") == [
            "\u{201C}Stop!\u{201D} he shouted.", "\"Why?\" she asked.",
        ])
    }

    @Test func sentenceSpansAreTrimmedAndInsideTheirParagraph() {
        let text = "  One.   Two.  \n  Three.  "
        let analysis = Support.analyzer.analyze(Article(text: text))
        #expect(Support.texts(text, analysis.sentences) == ["One.", "Two.", "Three."])
        for sentence in analysis.sentences {
            #expect(analysis.paragraphs.contains { $0.start <= sentence.start && sentence.end <= $0.end })
        }
    }

    @Test func apostrophesInsideWordsAreNotQuotes() {
        #expect(Support.sentences("The leaders\u{2019} call can\u{2019}t wait. It\u{2019}s set.") == [
            "The leaders\u{2019} call can\u{2019}t wait.", "It\u{2019}s set.",
        ])
    }
}

@Suite struct StatisticsTests {
    @Test func wordsWithApostrophesAndHyphensCountOnce() {
        let analysis = Support.analyzer.analyze(Article(text: "He can\u{2019}t attend the in-person meeting, can't he? 1,000 people, 3.5 percent."))
        #expect(analysis.statistics.words == 12)
    }

    @Test func statisticsCountScalarsSentencesAndParagraphs() {
        let text = "One two. Three!\nFour 😀."
        let statistics = Support.analyzer.analyze(Article(text: text)).statistics
        #expect(statistics == TextStatistics(characters: text.unicodeScalars.count, words: 4, sentences: 3, paragraphs: 2))
    }

    @Test func theSummaryIsTheLeadSentencesUpToTheConfiguredCount() {
        let analyzer = Analyzer(options: AnalyzerOptions(summarySentences: 2))
        #expect(analyzer.analyze(Article(text: "A b. C d. E f.")).summary == [0, 1])
        #expect(analyzer.analyze(Article(text: "Only one.")).summary == [0])
    }
}
