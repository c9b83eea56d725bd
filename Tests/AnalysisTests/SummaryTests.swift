import Testing

@testable import Analysis

@Suite struct SummaryTests {
    /// The summary's sentences, as text.
    static func summary(of text: String) -> [String] {
        let analysis = Support.analyzer.analyze(Article(text: text))
        let sentences = Support.texts(text, analysis.sentences)
        return analysis.summary.map { sentences[$0] }
    }

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
        let chosen = Self.summary(of: text)
        #expect(chosen.count == 3)
        #expect(chosen.first?.hasPrefix("Heavy rain") == true, "\(chosen)")
        #expect(!chosen.contains { $0.hasPrefix("Flood Hits") || $0.hasPrefix("Tuesday") || $0.hasPrefix("“It was") })
    }

    @Test func aQuotationSpanningSentencesIsSkippedWhole() {
        // The closing sentence of a two-sentence quotation opens no quotation mark of its own; it is still
        // all quotation, and a summary needs the reporting sentences around it.
        let text = """
            "The river has never been this high. We were lucky to get everyone out of the valley before dark."

            Heavy rain flooded the riverside town of Oakdale on Tuesday, forcing hundreds of residents to leave.

            Emergency crews evacuated residents from the flooded streets near the river overnight.

            The town council said the flood defences along the river had failed after three days of rain.

            Forecasters expect more rain in the region later this week.
            """
        let chosen = Self.summary(of: text)
        #expect(chosen.count == 3)
        #expect(!chosen.contains { $0.hasPrefix("We were lucky") || $0.hasPrefix("\"The river") }, "\(chosen)")
    }

    @Test func aPossessiveApostropheIsNotTheEndOfAQuotation() {
        let text = """
            Officials called it the volunteers’ “finest hour, and a proud day for the whole town.”

            Heavy rain flooded the riverside town of Oakdale on Tuesday, forcing hundreds of residents to leave.

            Emergency crews evacuated residents from the flooded streets near the river overnight.

            The town council said the flood defences along the river had failed after three days of rain.
            """
        let analysis = Support.analyzer.analyze(Article(text: text))
        #expect(analysis.summary.first == 0)
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
        let chosen = Self.summary(of: text)
        #expect(chosen.contains { $0.hasPrefix("Heaven Sent Gaming is") }, "\(chosen)")
    }

    @Test func aRamblingSentenceYieldsToAShorterNeighbour() {
        // Far longer than the article's typical sentence, it must carry more than its position to get in.
        let text = """
            The city council approved a new budget for the public library on Monday evening. \
            The budget adds money for longer opening hours at the library. \
            Several residents, some of whom had waited for more than two hours in the crowded hall while other \
            items on the agenda, including a zoning dispute and a debate about parking fees near the old market \
            square, were discussed at length, spoke in favour of the library plan. \
            A spokeswoman for the staff union welcomed it. \
            The new hours begin in March.
            """
        let chosen = Self.summary(of: text)
        #expect(chosen.count == 3)
        #expect(chosen.first?.hasPrefix("The city council") == true, "\(chosen)")
        #expect(!chosen.contains { $0.hasPrefix("Several residents") }, "\(chosen)")
    }

    @Test func aLongLeadIsStillKept() {
        // The lead is the writer's own summary; its length does not count against it.
        let text = """
            The regional government announced on Wednesday that it would close three of the five coal-fired \
            power stations in the north of the province by the end of the decade, replacing them with wind \
            farms, solar parks and a new high-voltage line to the coast, at a cost of several billion dollars. \
            Unions said jobs were at risk. \
            The plan needs approval from parliament. \
            Environmental groups welcomed it. \
            A vote is expected next month.
            """
        let analysis = Support.analyzer.analyze(Article(text: text))
        #expect(analysis.summary.first == 0)
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
