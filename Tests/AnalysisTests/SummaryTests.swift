import Testing

@testable import Analysis

@Suite struct SummaryTests {
    @Test func summaryHoldsThreeSentenceIndicesInTextOrder() throws {
        let analysis = Support.analyzer.analyze(try KeywordTests.exampleArticle())
        let summary = analysis.summary
        #expect(summary.count == 3)
        #expect(summary == summary.sorted())
        #expect(Set(summary).count == summary.count)
        #expect(summary.allSatisfy { $0 >= 0 && $0 < analysis.sentences.count })
        // The lead states the story; it is always kept.
        #expect(summary.first == 0)
    }

    @Test func summaryLengthFollowsTheOption() throws {
        let article = try KeywordTests.exampleArticle()
        for wanted in [0, 1, 5] {
            let analysis = Analyzer(options: AnalyzerOptions(summarySentences: wanted)).analyze(article)
            #expect(analysis.summary.count == wanted)
            #expect(analysis.summary == analysis.summary.sorted())
        }
    }

    @Test func shortArticleReturnsEverySentence() {
        let analysis = Support.analyzer.analyze(Article(text: "One short story. It ends here."))
        #expect(analysis.summary == Array(0..<analysis.sentences.count))
        #expect(Support.analyzer.analyze(Article(text: "")).summary.isEmpty)
    }

    @Test func headlinesDatelinesAndBareQuotesAreSkipped() {
        let text = """
            Flood Hits Riverside Town

            Tuesday, March 3, 2015

            Heavy rain flooded the riverside town of Oakdale on Tuesday, forcing hundreds of residents to leave their homes.

            “It was terrible, just terrible, we lost everything we had.”

            Emergency crews evacuated residents from the flooded streets near the river overnight.

            The town council said the flood defences along the river had failed after three days of rain.

            Forecasters expect more rain in the region later this week.
            """
        let analysis = Support.analyzer.analyze(Article(text: text))
        let sentences = Support.texts(text, analysis.sentences)
        let chosen = analysis.summary.map { sentences[$0] }
        #expect(chosen.count == 3)
        #expect(chosen.first?.hasPrefix("Heavy rain") == true, "\(chosen)")
        #expect(!chosen.contains { $0.hasPrefix("Flood Hits") || $0.hasPrefix("Tuesday") || $0.hasPrefix("“It was") })
    }

    @Test func repeatedSentenceIsNotChosenTwice() {
        let text = """
            The central bank raised interest rates by half a point on Thursday to fight inflation. \
            The central bank raised interest rates by half a point on Thursday to fight inflation again. \
            Markets fell sharply after the announcement in early trading. \
            Economists had expected a smaller increase from the bank this month. \
            The next meeting of the bank's board is scheduled for June.
            """
        let summary = Support.analyzer.analyze(Article(text: text)).summary
        #expect(summary.count == 3)
        #expect(!(summary.contains(0) && summary.contains(1)))
    }

    @Test func aShortQuestionDoesNotBlockTheAnswerThatRepeatsIt() {
        // Redundancy is judged on the candidate's own words: the answer repeats the question's three
        // content words but says much more, so it is new.
        let text = """
            Wikinews spoke with the four founders of a small games studio in Ohio last week.

            What is Heaven Sent Gaming exactly?

            Heaven Sent Gaming is a studio of four friends who build puzzle games for phones and sell them online.

            The founders met at college and still work from a rented office above a bakery.

            Their next game comes out in the spring.
            """
        let analysis = Support.analyzer.analyze(Article(text: text))
        let sentences = Support.texts(text, analysis.sentences)
        let chosen = analysis.summary.map { sentences[$0] }
        #expect(chosen.contains { $0.hasPrefix("Heaven Sent Gaming is") }, "\(chosen)")
    }

    @Test func randomInputNeverBreaksTheSummary() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["word", "Name", ".", "!", "?", "\n", "\n\n", " ", "“", "”", "\"", "—", "42", "é", "'s", "…", "U.S."]
        for _ in 0..<200 {
            var text = ""
            for _ in 0..<Int.random(in: 0...80, using: &generator) {
                text += pieces.randomElement(using: &generator)!
                if Bool.random(using: &generator) { text += " " }
            }
            let analysis = Support.analyzer.analyze(Article(text: text))
            let summary = analysis.summary
            #expect(summary.count == min(3, analysis.sentences.count))
            #expect(summary == summary.sorted())
            #expect(Set(summary).count == summary.count)
            #expect(summary.allSatisfy { $0 >= 0 && $0 < analysis.sentences.count })
            #expect(analysis.keywords.allSatisfy { $0.score > 0 && $0.score <= 1 && !$0.phrase.isEmpty })
        }
    }
}
