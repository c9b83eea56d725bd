import Testing

@testable import Analysis

@Suite struct DateTests {
    static let analyzer = Analyzer()

    /// (text, type, value) of every date found, with the article published on `published` (a "YYYY-MM-DD").
    static func dates(_ text: String, published: String? = "2021-12-12") -> [(String, String, String?)] {
        let metadata = ArticleMetadata(published: published.map { $0 + "T00:00:00Z" }, language: "en")
        let analysis = analyzer.analyze(Article(text: text, metadata: metadata))
        let scalars = Array(text.unicodeScalars)
        for date in analysis.dates {
            // Offsets and text agree.
            #expect(String(String.UnicodeScalarView(scalars[date.start..<date.end])) == date.text)
        }
        return analysis.dates.map { ($0.text, $0.type.rawValue, $0.value) }
    }

    static func value(_ text: String, published: String? = "2021-12-12") -> String? {
        dates(text, published: published).first?.2
    }

    static func only(_ text: String, published: String? = "2021-12-12") -> (String, String, String?)? {
        let found = dates(text, published: published)
        return found.count == 1 ? found[0] : nil
    }

    @Test func exampleArticleDatesAreAnchoredToItsPublicationDate() {
        let text = """
            Russian President Vladimir Putin told his US counterpart Joe Biden he would “really like” to meet for more \
            talks, according to a video clip released by Russian state TV on Sunday from the leaders’ virtual call on Tuesday.
            The top State Department official for Europe will travel to Russia and Ukraine this week to discuss the \
            buildup, the State Department announced on Saturday.
            Biden and Putin had tasked their respective teams with following up when they spoke last week.
            """
        let found = Self.dates(text)
        #expect(found.map(\.0) == ["Sunday", "Tuesday", "this week", "Saturday", "last week"])
        #expect(found.map(\.2) == ["2021-12-12", "2021-12-07", "2021-W50", "2021-12-11", "2021-W49"])
        #expect(found.allSatisfy { $0.1 == "date" })
    }

    @Test func weekdaysResolveToThePastUnlessTheSentenceLooksAhead() {
        #expect(Self.value("The talks ended on Wednesday.", published: "1998-02-13") == "1998-02-11")
        #expect(Self.value("He said it on Friday.", published: "1998-02-13") == "1998-02-13")
        #expect(Self.value("They will meet Monday.", published: "1998-02-13") == "1998-02-16")
        #expect(Self.value("They met last Friday.", published: "1998-02-13") == "1998-02-06")
        #expect(Self.value("They meet next Tuesday.", published: "1998-02-13") == "1998-02-17")
    }

    @Test func relativeWeeksMonthsAndYearsUseTimexForms() {
        #expect(Self.value("It happened last week.", published: "2021-12-08") == "2021-W48")
        #expect(Self.value("It happens this week.", published: "2021-12-08") == "2021-W49")
        #expect(Self.value("It happens next month.") == "2022-01")
        #expect(Self.value("It happened last month.", published: "2022-01-10") == "2021-12")
        #expect(Self.value("Sales rose last year.") == "2020")
        #expect(Self.value("Sales will rise next year.") == "2022")
        #expect(Self.only("Sales rose earlier this year.")?.0 == "earlier this year")
        #expect(Self.value("Sales rose earlier this year.") == "2021")
        #expect(Self.value("It rose earlier this month.") == "2021-12")
    }

    @Test func calendarDatesAndYears() {
        #expect(Self.only("The vote is on Dec. 7.")?.0 == "Dec. 7")
        #expect(Self.value("The vote is on Dec. 7.") == "2021-12-07")
        #expect(Self.value("It was signed on March 26, 1996, in Paris.") == "1996-03-26")
        #expect(Self.value("It was founded in 1998.") == "1998")
        #expect(Self.value("He arrived in August 1988.") == "1988-08")
        #expect(Self.value("Prices fell in the 1990s.") == "199")
        #expect(Self.only("Prices fell in the 1990s.")?.0 == "the 1990s")
        #expect(Self.value("It was built in the 20th century.") == "19")
        #expect(Self.value("They will arrive in September.", published: "1998-02-13") == "1998-09")
        #expect(Self.value("They arrived in October.", published: "1998-01-08") == "1997-10")
    }

    @Test func quartersAndFiscalTerms() {
        #expect(Self.value("Profit rose in the first quarter of 1998.") == "1998-Q1")
        #expect(Self.value("Third-quarter profit rose.", published: "1989-11-02") == "1989-Q3")
        #expect(Self.value("Profit fell in the fourth quarter.", published: "1998-01-26") == "1997-Q4")
        #expect(Self.value("Revenue in fiscal 1990 rose.") == "1990")
    }

    @Test func relativeDaysAndAgo() {
        #expect(Self.value("He left yesterday.") == "2021-12-11")
        #expect(Self.value("He leaves today.") == "2021-12-12")
        #expect(Self.value("He leaves tomorrow.") == "2021-12-13")
        #expect(Self.only("It closed two days ago.")?.0 == "two days ago")
        #expect(Self.value("It closed two days ago.") == "2021-12-10")
        #expect(Self.value("It closed two years ago.") == "2019")
        #expect(Self.value("It closed five months ago.") == "2021-07")
    }

    @Test func timesOfDay() {
        #expect(Self.value("The attack came Tuesday night.") == "2021-12-07TNI")
        #expect(Self.only("The attack came Tuesday night.")?.1 == "time")
        #expect(Self.value("The meeting starts at 10 a.m. today.") == "2021-12-12T10:00")
        #expect(Self.value("It ended around 7:15 p.m.") == "2021-12-12T19:15")
        #expect(Self.value("They spoke this morning.") == "2021-12-12TMO")
        #expect(Self.value("It rained last night.") == "2021-12-11TNI")
        // The zone belongs to the time, after a 24-hour clock too.
        #expect(Self.only("The quake struck at 10:00 UTC.")?.0 == "10:00 UTC")
        #expect(Self.value("The quake struck at 10:00 UTC.") == "2021-12-12T10:00")
        #expect(Self.only("Polls close at 9 p.m. EST.")?.0 == "9 p.m. EST")
    }

    @Test func durationsKeepTheirModifiers() {
        #expect(Self.only("He served three years in prison.")?.2 == "P3Y")
        #expect(Self.only("Prices rose over the past three months.")?.0 == "the past three months")
        #expect(Self.value("Prices rose over the past three months.") == "P3M")
        #expect(Self.only("They talked for nearly two hours.")?.0 == "nearly two hours")
        #expect(Self.value("They talked for nearly two hours.") == "PT2H")
        #expect(Self.value("It took a few days.") == "PXD")
        #expect(Self.value("It is a 10-year bond.") == "P10Y")
        #expect(Self.value("It lasted two decades.") == "P20Y")
        #expect(Self.only("He is 52 years old.") == nil)
    }

    @Test func vagueReferencesUseTimebankTokens() {
        #expect(Self.value("Prices are high now.") == "PRESENT_REF")
        #expect(Self.value("Prices rose recently.") == "PAST_REF")
        #expect(Self.value("Prices will rise in the future.") == "FUTURE_REF")
        #expect(Self.value("Prices rose in recent years.") == "PAST_REF")
    }

    @Test func setsAreFrequencies() {
        #expect(Self.only("The board meets each month.")?.1 == "set")
        #expect(Self.value("The board meets each month.") == "P1M")
        #expect(Self.value("The magazine appears weekly.") == "P1W")
        #expect(Self.value("The club meets each Thursday.") == "XXXX-WXX-4")
    }

    @Test func withoutAnAnchorRelativeValuesAreNull() {
        #expect(Self.value("He left yesterday.", published: nil) == nil)
        #expect(Self.value("They met on Sunday.", published: nil) == nil)
        #expect(Self.value("It happened last week.", published: nil) == nil)
        #expect(Self.only("It happened last week.", published: nil)?.0 == "last week")
        // Absolute and anchor-free values stay.
        #expect(Self.value("It was founded in 1998.", published: nil) == "1998")
        #expect(Self.value("He served three years.", published: nil) == "P3Y")
        #expect(Self.value("Prices are high now.", published: nil) == "PRESENT_REF")
    }

    @Test func possessivesEndBeforeTheApostrophe() {
        #expect(Self.only("Friday's vote was close.")?.0 == "Friday")
        #expect(Self.value("This year's results were good.") == "2021")
    }

    @Test func nonEnglishArticleGetsNoDates() {
        let metadata = ArticleMetadata(published: "2021-12-12T00:00:00Z", language: "de")
        let analysis = Self.analyzer.analyze(Article(text: "Am Sonntag, 12. December 2021, sagte er: today 1998.", metadata: metadata))
        #expect(analysis.dates.isEmpty)
    }

    @Test func ordinaryWordsAreNotDates() {
        #expect(Self.dates("You may march to the sun and fall in a second.").isEmpty)
        #expect(Self.dates("He paid $1998 for 1,000 shares.").isEmpty)
    }

    @Test func randomInputNeverBreaksOffsets() {
        var generator = SystemRandomNumberGenerator()
        let pieces = [
            "Dec.", "7", ",", "1998", "last", "week", "the", "past", "three", "months", "ago", "a.m.", "10", ":", "Tuesday",
            "night", "'s", "-", "year", "mid-", "1990s", "nineteen", "ninety-six", "each", "quarter", "third-quarter", "fiscal",
            "nearly", "more", "than", "now", "é", "“", "\n", ".", "a", "few", "days", "early", "next", "this", "May", "of",
        ]
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<Int.random(in: 0...30, using: &generator) {
                text += pieces.randomElement(using: &generator)!
                if Bool.random(using: &generator) { text += " " }
            }
            let published: String? = Bool.random(using: &generator) ? "2000-02-29" : nil
            for (found, _, _) in Self.dates(text, published: published) { #expect(!found.isEmpty) }
        }
    }
}
