import Testing

@testable import Analysis

/// The quote stage: direct, mixed and indirect quotes, their speakers and cues.
@Suite struct QuoteTests {
    /// Runs the stages up to quotes on `text`, with `entities` standing in for the entity stage when given.
    private func quotes(_ text: String, entities: [Entity]? = nil, language: String? = "en") -> [Quote] {
        var document = Document(Article(text: text, metadata: ArticleMetadata(language: language)))
        document.language = language
        document.paragraphs = Segmenter.paragraphs(document.scalars)
        document.sentences = Segmenter.sentences(document.scalars, paragraphs: document.paragraphs)
        document.tokens = Tokenizer.tokens(document.scalars, sentences: document.sentences)
        if let entities { document.entities = entities }
        QuoteExtractor().run(&document)
        return document.quotes
    }

    /// A mention of `needle` (its `occurrence`-th, from 0) in `text`, in code points.
    private func mention(_ text: String, _ needle: String, occurrence: Int = 0) -> Mention {
        let scalars = Array(text.unicodeScalars)
        let pattern = Array(needle.unicodeScalars)
        var found = 0
        for start in 0...(scalars.count - pattern.count) where Array(scalars[start..<start + pattern.count]) == pattern {
            if found == occurrence { return Mention(start: start, end: start + pattern.count, text: needle) }
            found += 1
        }
        Issue.record("\(needle) not found")
        return Mention(start: 0, end: 0, text: needle)
    }

    private func quote(_ quotes: [Quote], containing words: String) -> Quote? {
        quotes.first { $0.text.contains(words) }
    }

    /// Found by the fuzzer: an inverted attribution whose speaker is the very last token ("…, said Janen"
    /// with no full stop) looked one token past the end for a comma.
    @Test func anInvertedAttributionAtTheVeryEndOfTheTextIsRead() {
        let found = quotes("Body text, said Janen")
        #expect(found.count == 1)
        #expect(found.first?.speaker?.text == "Janen")
        #expect(found.first?.text == "Body text")
    }

    private static let example = """
        Russian President Vladimir Putin told his US counterpart Joe Biden he would “really like” to meet for more talks, according to a video clip released by Russian state TV on Sunday from the leaders’ virtual call on Tuesday.
        In a short video clip released on Russia 1, Putin told the US President: “We will definitely meet, I would really like that.”
        The top State Department official for Europe will travel to Russia and Ukraine this week, less than a week after Biden told Putin in a call that the US is prepared to impose strong economic measures should Russia invade Ukraine, the State Department announced on Saturday.
        The date and format of this possible meeting are not yet set, according to the Kremlin.
        In an interview with Russia 1 on Sunday, Kremlin spokesperson Dmitry Peskov said Putin told Biden during their Tuesday call that Russian troops are deployed on Russian territory and do not threaten anyone.
        Peskov said escalating tensions aims to “further demonize Russia and frame Russia as a potential aggressor.”
        He said the call between Biden and Putin was “mutually respectful” and Biden did not frighten Putin during the call.
        US Secretary of State Antony Blinken reiterated the White House’s commitment to deterring Russian military action in Ukraine and stressed the current system of international relations “is in danger” if Russia continues to threaten Ukraine.
        In an interview with NBC News on Sunday, Blinken decried Russia’s increased military presence on its shared border with Ukraine, and said Biden relayed that message to Putin in their virtual meeting last week. He added that the diplomatic structure that “prevents war from breaking out” could break down if Russia continues its military escalation on the Ukraine border.
        “One country can’t dictate to another country, its choices. That’s why the President’s been very clear with President Putin,” Blinken said.
        When asked whether the administration is considering an in-person meeting, Blinken dodged and said, “The video conference is important because President Putin is the one person that really counts.”
        Asked what it would take for Biden to agree to an in-person meeting, Blinken did not comment directly, but he said generally the United States and partners in Europe are “looking to see de-escalation. That’s what we’re looking to see.”
        """

    @Test func theExamplesQuotedPassagesGetTheirSpeakersAndCues() {
        let found = quotes(Self.example)
        let expected: [(words: String, speaker: String, name: String, cue: String)] = [
            ("really like", "Russian President Vladimir Putin", "Vladimir Putin", "told"),
            ("We will definitely meet", "Putin", "Vladimir Putin", "told"),
            ("further demonize Russia", "Peskov", "Dmitry Peskov", "said"),
            ("mutually respectful", "He", "Dmitry Peskov", "said"),
            ("is in danger", "US Secretary of State Antony Blinken", "Antony Blinken", "stressed"),
            ("prevents war from breaking out", "He", "Antony Blinken", "added"),
            ("One country can’t dictate", "Blinken", "Antony Blinken", "said"),
            ("The video conference is important", "Blinken", "Antony Blinken", "said"),
            ("looking to see de-escalation", "he", "Antony Blinken", "said"),
        ]
        for item in expected {
            let match = quote(found, containing: item.words)
            #expect(match?.speaker?.text == item.speaker, "\(item.words)")
            #expect(match?.speaker?.name == item.name, "\(item.words)")
            #expect(match?.cue?.text == item.cue, "\(item.words)")
        }
        #expect(quote(found, containing: "We will definitely meet")?.kind == .direct)
        #expect(quote(found, containing: "We will definitely meet")?.text
            == "We will definitely meet, I would really like that.")
        #expect(quote(found, containing: "mutually respectful")?.kind == .mixed)
    }

    @Test func reportedSpeechIsAnIndirectQuote() {
        let found = quotes(Self.example)
        let told = quote(found, containing: "Russian troops are deployed")
        #expect(told?.kind == .indirect)
        #expect(told?.speaker?.name == "Dmitry Peskov")
        let announced = quote(found, containing: "The top State Department official")
        #expect(announced?.speaker?.text == "the State Department")
        #expect(announced?.cue?.text == "announced")
        #expect(quote(found, containing: "strong economic measures")?.speaker?.text != nil)
    }

    @Test func accordingToNamesTheSourceBeforeOrAfterTheContent() {
        let after = quotes("The date of the meeting is not yet set, according to the Kremlin.")
        #expect(after.count == 1)
        #expect(after.first?.text == "The date of the meeting is not yet set")
        #expect(after.first?.speaker?.text == "the Kremlin")
        #expect(after.first?.cue?.text == "according to")
        let before = quotes("According to police, the suspect fled on foot.")
        #expect(before.first?.text == "the suspect fled on foot")
        #expect(before.first?.speaker?.text == "police")
    }

    @Test func pronounSpeakersResolveToThePreviousSpeaker() {
        let text = "Mayor Anne Hidalgo said the plan was ready.\nShe added that work would start in May."
        let found = quotes(text)
        #expect(found.count == 2)
        #expect(found.last?.speaker?.text == "She")
        #expect(found.last?.speaker?.name == "Anne Hidalgo")
    }

    /// In the corpus's interviews, "I’m" was the speaker of a dozen quotes: the pronoun and "am" are one token.
    @Test func aContractedPronounSpeaksAsThePronounAlone() {
        for (text, pronoun) in [
            ("The minister spoke.\nI’m hoping that the talks will go ahead next week.", "I"),
            ("The officials were asked again.\nThey've said that the plant will close in May.", "They"),
            ("Voters were polled in March.\nWe're confident that the bill passes.", "We"),
        ] {
            let found = quote(quotes(text), containing: "the")
            let speaker = found?.speaker
            #expect(speaker?.text == pronoun, "\(text)")
            if let speaker {
                let span = Array(text.unicodeScalars)[speaker.start..<speaker.end]
                #expect(String(String.UnicodeScalarView(span)) == pronoun, "the span is the pronoun's too")
            }
        }
    }

    @Test func pronounSpeakersLinkToEntitiesWhenTheyExist() {
        let text = "Dmitry Peskov said the talks went well.\nHe said the call was “mutually respectful.”"
        let peskov = Entity(id: "e1", name: "Dmitry Peskov", type: .person, salience: 0.5,
                            mentions: [mention(text, "Dmitry Peskov")])
        let found = quotes(text, entities: [peskov])
        #expect(found.count == 2)
        #expect(found.first?.speaker?.entity == "e1")
        #expect(found.last?.speaker?.text == "He")
        #expect(found.last?.speaker?.entity == "e1")
        #expect(found.last?.speaker?.name == "Dmitry Peskov")
    }

    @Test func aPronounAfterTwoOtherPeopleStaysUnresolved() {
        let text = "Ann Lee met Bob Stone and Carl Wu on Monday.\nHe said the meeting went well."
        let entities = [
            Entity(id: "e1", name: "Ann Lee", type: .person, salience: 0.3, mentions: [mention(text, "Ann Lee")]),
            Entity(id: "e2", name: "Bob Stone", type: .person, salience: 0.3, mentions: [mention(text, "Bob Stone")]),
            Entity(id: "e3", name: "Carl Wu", type: .person, salience: 0.3, mentions: [mention(text, "Carl Wu")]),
        ]
        let found = quotes(text, entities: entities)
        #expect(found.count == 1)
        #expect(found.first?.speaker?.text == "He")
        #expect(found.first?.speaker?.entity == nil)
        #expect(found.first?.speaker?.name == nil)
    }

    @Test func namedSpeakersLinkToTheEntityTheyMention() {
        let text = "“We are ready,” Blinken said."
        let blinken = Entity(id: "e7", name: "Antony Blinken", type: .person, salience: 0.4,
                             mentions: [mention(text, "Blinken")])
        let found = quotes(text, entities: [blinken])
        #expect(found.first?.kind == .direct)
        #expect(found.first?.text == "We are ready,")
        #expect(found.first?.speaker?.entity == "e7")
        #expect(found.first?.speaker?.name == "Antony Blinken")
    }

    @Test func aQuotationContinuesOverAParagraphBreak() {
        let text = "Smith said: “The first part goes on.\n“And the second part ends here.”\nThe market fell."
        let found = quotes(text)
        let quote = quote(found, containing: "first part")
        #expect(quote?.text.contains("second part ends here") == true)
        #expect(quote?.speaker?.text == "Smith")
        #expect(found.allSatisfy { !$0.text.contains("market fell") })
    }

    @Test func aQuotationParagraphAfterAQuoteContinuesItsSpeaker() {
        let text = "“We will win,” Jones said.\n“We have the votes and the time.”"
        let found = quotes(text)
        #expect(found.count == 2)
        #expect(found.last?.speaker?.text == "Jones")
        #expect(found.last?.kind == .direct)
    }

    @Test func apostrophesAreNotQuotationMarks() {
        let text = "The leaders’ call ended. Officials can’t say when the Smiths’ case will close, the agency said."
        let found = quotes(text)
        #expect(found.count == 1)
        #expect(found.first?.kind == .indirect)
        #expect(found.first?.text == "Officials can’t say when the Smiths’ case will close")
        #expect(found.first?.speaker?.text == "the agency")
    }

    @Test func straightAndDoubleApostropheQuotationMarksPair() {
        let found = quotes("\"It works,\" Lee said.\n''It's not reform,'' said Alan Cole.")
        #expect(found.map(\.text) == ["It works,", "It's not reform,"])
        #expect(found.map { $0.speaker?.text } == ["Lee", "Alan Cole"])
        #expect(found.allSatisfy { $0.kind == .direct })
    }

    @Test func theSpeakerIsNullWhenNoOneIsNamed() {
        let found = quotes("The sign read “Closed for the season until further notice.”\nThe town was quiet.")
        #expect(found.count == 1)
        #expect(found.first?.speaker == nil)
        #expect(found.first?.cue == nil)
    }

    @Test func aNegatedCueReportsOnlyWithAnObject() {
        #expect(quotes("Blinken did not comment directly.").isEmpty)
        let found = quotes("The senator did not immediately respond to a request for comment.")
        #expect(found.first?.text == "to a request for comment")
        #expect(found.first?.cue?.text == "respond")
        let one = quotes("The minister didn’t suggest sanctions.")
        #expect(one.first?.text == "sanctions")
        #expect(one.first?.cue?.text == "suggest")
        #expect(quotes("They said the troops stay home and do not threaten anyone.").allSatisfy { $0.text != "anyone" })
        #expect(quotes("He does not threaten anyone.").isEmpty)
    }

    @Test func textInAnotherLanguageGetsNoQuotes() {
        let text = "« Nous allons gagner », a dit le ministre. Il a dit que le plan était prêt."
        #expect(quotes(text, language: "fr").isEmpty)
    }

    @Test func everySpanCoversItsText() {
        let scalars = Array(Self.example.unicodeScalars)
        func covered(_ start: Int, _ end: Int) -> String { String(String.UnicodeScalarView(scalars[start..<end])) }
        for quote in quotes(Self.example) {
            #expect(covered(quote.start, quote.end) == quote.text)
            if let speaker = quote.speaker { #expect(covered(speaker.start, speaker.end) == speaker.text) }
            if let cue = quote.cue { #expect(covered(cue.start, cue.end) == cue.text) }
        }
    }

    @Test func transcriptTurnsBelongToTheirSpeakers() {
        let text = """
            The interview went on for an hour.

            HOST: Will the mayor run again next year? People want to know.

            GARCIA: I have not decided yet. My family comes first.
            """
        let found = quotes(text)
        let first = quote(found, containing: "run again")
        #expect(first?.speaker?.text == "HOST")
        #expect(first?.cue?.text == ":")
        #expect(quote(found, containing: "not decided")?.speaker?.text == "GARCIA")
        #expect(found.count == 2)
    }

    /// Wikinews transcribes its interviews with each turn's speaker in double parentheses. Each answer is its
    /// speaker's, whole, with the paragraphs after it that go on in the first person: the cue-like words
    /// inside it ("wanted", "hope") are not quotes of nobody. The interviewer (the label that asks questions
    /// at least half the time) is quoted nowhere.
    @Test func interviewTurnsLabelledInDoubleParenthesesBelongToTheirSpeakers() {
        let text = """
            The astronomer spoke to Wikinews about the study.

            ((WN)) What led you to conduct this research? What do you think it says?

            ((Sara Seager)) We wanted to show astronomers that life can survive there. I hope they look.

            Our next step is to test other gases.

            ((WN)) Thank you for your time today.

            ((Dr. J. R. Smith)) Why not? The data agree with it.

            The observatory closed its doors in the evening.

            ((not a name)) The old telescope stays where it is.
            """
        let found = quotes(text)
        let answer = quote(found, containing: "We wanted")
        #expect(answer?.speaker?.text == "Sara Seager")
        #expect(answer?.text == "We wanted to show astronomers that life can survive there. I hope they look.\n\nOur next step is to test other gases")
        #expect(answer?.cue == nil, "a label is no cue word")
        #expect(quote(found, containing: "data agree")?.speaker?.text == "Dr. J. R. Smith", "an answer may hold a question")
        #expect(quote(found, containing: "What led you") == nil, "the interviewer's questions are no quotes")
        #expect(quote(found, containing: "you think") == nil, "nor is anything in them")
        #expect(quote(found, containing: "Thank you") == nil, "nor the interviewer's other turns")
        #expect(quote(found, containing: "old telescope") == nil)
        #expect(quote(found, containing: "observatory") == nil, "the article's own paragraph ends the answer")
        #expect(found.count == 2, "\(found.map(\.text))")
    }

    @Test func aNameAfterADashClosingTheParagraphSpeaks() {
        let text = "Readers wrote in after the debate.\n“The town hall was a mess. Nobody answered the questions.” ― Maria Lopez\n"
        let found = quotes(text)
        #expect(quote(found, containing: "town hall")?.speaker?.text == "Maria Lopez")
    }

    @Test func anUncuedQuotationInTheParagraphKeepsTheSpeaker() {
        let text = "“We will win this seat,” Smith said after the rally. “Nobody thought we could do it, and we did.”"
        let found = quotes(text)
        #expect(quote(found, containing: "Nobody thought")?.speaker?.text == "Smith")
    }

    @Test func aCoordinatedSayAfterAQuotationKeepsItsSubject() {
        let found = quotes("Lee urged voters to \"stay home\" and said he was proud of the campaign.")
        let said = quote(found, containing: "he was proud")
        #expect(said?.speaker?.text == "Lee")
        #expect(said?.cue?.text == "said")
    }

    @Test func aNameBetweenCommasBeforeTheVerbSpeaks() {
        let found = quotes("A lawyer for the family, Ann Ruiz, said no decision had been made. Even Peru, a close partner, said it was worried.")
        #expect(quote(found, containing: "no decision")?.speaker?.text == "Ann Ruiz")
        #expect(quote(found, containing: "it was worried")?.speaker?.text == "Peru")
    }

    @Test func aParticipleClauseIsAQuoteOfItsOwn() {
        let found = quotes("The mayor criticized the council, saying the budget was late.")
        #expect(quote(found, containing: "the council")?.text == "the council")
        let saying = quote(found, containing: "budget")
        #expect(saying?.speaker?.text == "The mayor")
        #expect(saying?.cue?.text == "saying")
        let even = quotes("Lee complained about the count, even suggesting it had been rigged.")
        #expect(quote(even, containing: "rigged")?.cue?.text == "suggesting")
        #expect(quote(even, containing: "the count")?.text == "about the count")
    }

    @Test func aQuotationThatBrokeOffTakesALaterSpeaker() {
        let found = quotes("“It was the least bad outcome,” Mr. Morgan of the Sierra Club said.")
        #expect(found.first?.speaker?.text == "Mr. Morgan")
        #expect(found.first?.cue?.text == "said")
    }

    @Test func aSplitQuotationGoesOnAfterALongApposition() {
        let text = "“The plan works,” said Ann Lee, the director of the regional housing office in the northern district of the state. “We are proud of it.”"
        let found = quotes(text)
        #expect(found.count == 1)
        #expect(found.first?.text.contains("We are proud") == true)
        #expect(found.first?.speaker?.text == "Ann Lee")
        let other = quotes("“The plan works,” said Ann Lee. Her rival told reporters: “It does not.”")
        #expect(quote(other, containing: "It does not")?.speaker?.text != "Ann Lee")
    }

    @Test func aPassiveCueNamesNoSource() {
        let found = quotes("Mr. Ortiz was accused of hiding the money from the board.")
        #expect(found.count == 1)
        #expect(found.first?.speaker == nil)
        #expect(found.first?.cue?.text == "accused")
    }

    @Test func aCoordinatedStanceIsAQuoteOfItsOwn() {
        let found = quotes("Ms. Park was at the hearing and criticized the new rules for landlords.")
        let criticized = quote(found, containing: "the new rules")
        #expect(criticized?.speaker?.text == "Ms. Park")
        #expect(criticized?.cue?.text == "criticized")
    }

    @Test func aQuotedTitleInAnAdverbialIsNotAQuote() {
        let found = quotes("In an interview on CBS’s “Evening Report,” Senator Ann Ruiz said the bill would pass.")
        #expect(found.count == 1)
        #expect(found.first?.text == "the bill would pass")
        #expect(found.first?.speaker?.text == "Senator Ann Ruiz")
    }

    @Test func aLinkedClauseWithItsOwnCueIsAnotherQuote() {
        let found = quotes("Ms. Okafor said the bridge was safe, but she said the repairs would take a year.")
        #expect(quote(found, containing: "the bridge was safe")?.text == "the bridge was safe")
        let second = quote(found, containing: "the repairs")
        #expect(second?.speaker?.name == "Okafor")
        #expect(second?.cue?.text == "said")
        let though = quotes("The council approved the budget, though several members warned that taxes would rise.")
        #expect(quote(though, containing: "taxes would rise")?.speaker?.text == "several members")
        #expect(quote(though, containing: "the budget")?.text.contains("taxes") == false)
    }

    @Test func aParticipleAfterAQuotationSharesItsSpeaker() {
        let found = quotes("“We are ready,” the harbour master said, adding that the port would reopen on Monday.")
        #expect(quote(found, containing: "We are ready")?.text == "We are ready,")
        let adding = quote(found, containing: "the port would reopen")
        #expect(adding?.speaker?.text == "the harbour master")
        #expect(adding?.cue?.text == "adding")
        let direct = quotes("Ms. Lund said: “The vote was fair,” adding that she would not appeal.")
        #expect(quote(direct, containing: "The vote was fair")?.text.contains("appeal") == false)
        #expect(quote(direct, containing: "appeal")?.speaker?.text == "Ms. Lund")
    }

    @Test func aStanceAdjectiveReportsWhatFollowsIt() {
        let afraid = quotes("Many farmers are afraid that the new tariffs will close their markets.")
        #expect(quote(afraid, containing: "the new tariffs")?.speaker?.text == "Many farmers")
        #expect(quote(afraid, containing: "the new tariffs")?.cue?.text == "afraid")
        let critical = quotes("Senator Ada Moss has been critical of the mining permits.")
        #expect(quote(critical, containing: "the mining permits")?.speaker?.text == "Senator Ada Moss")
        let worried = quotes("Local officials were increasingly worried about the flooding.")
        #expect(quote(worried, containing: "flooding")?.speaker?.text == "Local officials")
        #expect(quotes("It is clear that the plan failed.").isEmpty)
        #expect(quotes("The bridge is critical to the regional economy.").isEmpty)
    }

    @Test func lessCommonReportingVerbsAreCues() {
        let found = quotes("Residents grumble that the buses are always late. The mayor bemoaned the lack of funding.")
        #expect(quote(found, containing: "buses are always late")?.cue?.text == "grumble")
        #expect(quote(found, containing: "buses are always late")?.speaker?.text == "Residents")
        #expect(quote(found, containing: "lack of funding")?.speaker?.text == "The mayor")
    }

    @Test func aTimeAdjunctBetweenTheSpeakerAndTheVerbIsSkipped() {
        let found = quotes("Mayor Ruth Adler on Wednesday urged residents to boil their water. A review panel in 2019 found the dam was unsafe.")
        #expect(quote(found, containing: "residents to boil")?.speaker?.text == "Mayor Ruth Adler")
        #expect(quote(found, containing: "the dam was unsafe")?.speaker?.text == "A review panel")
    }

    @Test func aPluralNounBeforeTheVerbSpeaks() {
        let found = quotes("Hydrologists worry that the aquifer is shrinking.")
        #expect(quote(found, containing: "the aquifer")?.speaker?.text == "Hydrologists")
        let opening = quotes("Some longtime birdwatchers argue the count was too low.")
        #expect(quote(opening, containing: "the count")?.speaker?.text == "Some longtime birdwatchers")
        // "like" after a plural is a preposition, and an "-s" verb does not agree with a plural.
        #expect(quotes("She admired painters like Turner.").allSatisfy { $0.cue?.text != "like" })
        #expect(quotes("The tour visits harbour towns like Whitby.").allSatisfy { $0.cue?.text != "like" })
        #expect(quotes("The new parking rules plans changes.").allSatisfy { $0.speaker?.text != "rules" })
    }

    @Test func speakingAboutATopicIsACue() {
        let found = quotes("Ms. Adeyemi spoke out on Tuesday about the closure of the clinic.")
        let spoke = quote(found, containing: "the closure")
        #expect(spoke?.speaker?.text == "Ms. Adeyemi")
        #expect(spoke?.cue?.text == "spoke")
        #expect(quotes("Ms. Adeyemi spoke at the opening of the clinic.").isEmpty)
    }

    @Test func aPassiveWithAnAgentNamesTheAgentAsTheSource() {
        let found = quotes("The harbour plan was first reported by the Coastal Gazette. The levy was approved by the county board.")
        let reported = quote(found, containing: "The harbour plan")
        #expect(reported?.text == "The harbour plan")
        #expect(reported?.speaker?.text == "the Coastal Gazette")
        #expect(reported?.cue?.text == "reported")
        #expect(quote(found, containing: "The levy")?.speaker?.text == "the county board")
        // Without "by", a passive names no source.
        #expect(quotes("Mr. Ortiz was accused of hiding the money.").first?.speaker == nil)
        #expect(quotes("The old mill was destroyed by a fire.").isEmpty)
    }

    @Test func aFinalAttributionAfterAnOpenerTakesTheClause() {
        let found = quotes("However, rents in the city rose sharply last year, the housing agency said.")
        #expect(quote(found, containing: "rents in the city")?.text == "rents in the city rose sharply last year")
        #expect(quote(found, containing: "rents in the city")?.speaker?.text == "the housing agency")
        let but = quotes("But the new levy is still too high, the council said.")
        #expect(quote(but, containing: "levy")?.text == "But the new levy is still too high")
        let adverbial = quotes("In one interview Friday, Ms. Lund said, “We will appeal.”")
        #expect(quote(adverbial, containing: "interview") == nil)
    }

    @Test func aDescribedNameAfterTheCueSpeaks() {
        let found = quotes("“The levee will hold,” said 9/11 firefighter Dana Kowalski. “It was built well.”")
        #expect(quote(found, containing: "The levee")?.speaker?.text == "Dana Kowalski")
        #expect(quote(found, containing: "The levee")?.cue?.text == "said")
    }

    @Test func anOpeningAdverbialIsNotTheAppositiveSubject() {
        let found = quotes("In a statement, one of the county’s lawyers, Ann Ruiz, said the permit was valid.")
        let said = quote(found, containing: "the permit was valid")
        #expect(said?.speaker?.text != nil)
        #expect(said?.speaker?.text.hasPrefix("In") == false)
    }

    @Test func aCueEndingItsParagraphWithAColonIntroducesTheNextParagraph() {
        let text = "The mayor added:\n\nThe bridge will reopen in May. Nobody will pay a toll.\n\nTraffic was light on Monday."
        let found = quotes(text)
        let added = quote(found, containing: "The bridge will reopen")
        #expect(added?.text == "The bridge will reopen in May. Nobody will pay a toll")
        #expect(added?.speaker?.text == "The mayor")
        #expect(quote(found, containing: "Traffic") == nil)
        let continued = quotes("She continued, “We will not give up.”")
        #expect(quote(continued, containing: "give up")?.speaker?.text == "She")
    }

    @Test func aSentenceOpeningWithAccordingToQuotesWhatFollows() {
        let found = quotes("The ferry will resume on Friday. According to the port authority, both routes are safe again.")
        let according = quote(found, containing: "both routes")
        #expect(according?.text == "both routes are safe again")
        #expect(according?.speaker?.text == "the port authority")
        #expect(quote(found, containing: "The ferry") == nil)
    }

    @Test func aSentenceOpeningParticipleBelongsToTheSubjectAfterIt() {
        let found = quotes("Citing the flood maps, the planning board rejected the permit.")
        let citing = quote(found, containing: "the flood maps")
        #expect(citing?.text == "the flood maps")
        #expect(citing?.speaker?.text == "the planning board")
        #expect(citing?.cue?.text == "Citing")
        #expect(quotes("Walking home, the planning board members saw the flood.").allSatisfy { $0.cue?.text != "Walking" })
    }

    @Test func aBaseFormAfterASingularNounPhraseIsANoun() {
        #expect(quotes("The Okafor plan is simple.").isEmpty)
        #expect(quotes("A local think tank published the survey.").allSatisfy { $0.cue?.text != "think" })
        let plural = quotes("The farmers plan to sue the county.")
        #expect(quote(plural, containing: "to sue")?.speaker?.text == "The farmers")
        let people = quotes("The police say the road is closed.")
        #expect(quote(people, containing: "the road is closed")?.speaker?.text == "The police")
    }

    @Test func aLowercaseQuotationMidSentenceQuotesTheWholeSentence() {
        let found = quotes("The new levy sends a message that the council’s priority “is the harbour, not the town,” Ms. Lund said.")
        let said = quote(found, containing: "is the harbour")
        #expect(said?.text.hasPrefix("The new levy sends a message") == true)
        #expect(said?.kind == .mixed)
        #expect(said?.speaker?.text == "Ms. Lund")
        let split = quotes("The plan “will fail,” Ms. Lund said, and “nobody will pay for it.”")
        #expect(split.count == 1)
        #expect(split.first?.text.contains("nobody will pay") == true)
        #expect(split.first?.kind == .mixed)
    }

    @Test func aMidSentenceAttributionWithAnAdjunctGoesOn() {
        let found = quotes("These nurses, Ms. Lund explained earlier in the hearing, were paid too little.")
        #expect(found.first?.text == "These nurses, Ms. Lund explained earlier in the hearing, were paid too little")
        #expect(found.first?.speaker?.text == "Ms. Lund")
    }

    @Test func aBareBaseFormAfterAndIsNotACue() {
        let found = quotes("Ms. Lund said the plan broke federal and state law by using the land.")
        #expect(found.first?.text == "the plan broke federal and state law by using the land")
    }

    @Test func contractedPronounsSpeak() {
        let text = "Mr. Okafor said the tolls were fair. He’s argued that the bridge pays for itself. They’re worried that the ferry will close."
        let found = quotes(text)
        let argued = quote(found, containing: "the bridge pays")
        #expect(argued?.speaker?.text == "He", "the pronoun, without the contraction (`aContractedPronounSpeaksAsThePronounAlone`)")
        #expect(argued?.speaker?.name == "Okafor")
        #expect(quote(found, containing: "the ferry will close")?.speaker?.text == "They")
    }

    @Test func aNounOfSayingWithItsPossessorIsACue() {
        let found = quotes("The mayor’s claim that the bridge is safe was disputed, engineers said.")
        let claim = quote(found, containing: "the bridge is safe")
        #expect(claim?.cue?.text == "claim")
        #expect(claim?.speaker?.text == "The mayor’s")
        #expect(found.contains { $0.speaker?.text == "engineers" && $0.text.contains("claim that the bridge") })
        let decision = quotes("Her decision to close the clinic angered residents.")
        #expect(quote(decision, containing: "close the clinic")?.cue?.text == "decision")
        // "to" after a noun of intention only before a verb; other nouns take no "to".
        #expect(quotes("His commitment to the group grew.").isEmpty)
        #expect(quotes("Her response to the council came late.").isEmpty)
    }

    @Test func aParticipleClauseIsNotAnInvertedAttribution() {
        // ", saying he …": the participle's subject is the clause's, not the pronoun after it.
        let found = quotes("The mayor rejected the request, saying he had no time for it.")
        let saying = quote(found, containing: "had no time")
        #expect(saying?.cue?.text == "saying")
        #expect(saying?.speaker?.text == "The mayor")
        // A name set off by commas before the participle is no appositive subject.
        let place = quotes("The governor spoke Monday about the flood in Dayton, Ohio, arguing that the levees had failed.")
        let arguing = quote(place, containing: "levees had failed")
        #expect(arguing?.cue?.text == "arguing")
        #expect(arguing?.speaker?.text == "The governor")
    }

    @Test func aParticipleAfterAPrepositionSharesTheSubject() {
        let found = quotes("The coach opened the meeting by saying the season was over.")
        let saying = quote(found, containing: "season was over")
        #expect(saying?.cue?.text == "saying")
        #expect(saying?.speaker?.text == "The coach")
        // "On Friday, however, X …, promising …": the subject after a sentence adverb.
        let adverb = quotes("On Friday, however, Ms. Lund visited the plant, promising to keep it open.")
        let promising = quote(adverb, containing: "keep it open")
        #expect(promising?.speaker?.text == "Ms. Lund")
    }

    @Test func verbsThatDoubleTheirConsonantAreCues() {
        let found = quotes("Local farmers are slamming the new water rules. The council planned to raise fees.")
        #expect(quote(found, containing: "the new water rules")?.cue?.text == "slamming")
        #expect(quote(found, containing: "raise fees")?.cue?.text == "planned")
    }

    @Test func aSubjectBeforeARelativeClauseSpeaksTheMainClause() {
        let found = quotes("Ms. Ortiz, who has argued for years that rents are too high, said the new rules would fail.")
        let argued = quote(found, containing: "rents are too high")
        #expect(argued?.speaker?.text == "who")
        #expect(argued?.text.contains("said") == false)
        let said = quote(found, containing: "new rules would fail")
        #expect(said?.speaker?.text == "Ms. Ortiz")
        #expect(said?.cue?.text == "said")
    }

    @Test func aRelativePronounTakesAStanceInThePastTense() {
        let found = quotes("The bill passed despite Ms. Ortiz, who opposed the new fees.")
        let opposed = quote(found, containing: "the new fees")
        #expect(opposed?.speaker?.text == "who")
        #expect(opposed?.speaker?.name?.contains("Ortiz") == true)
        // A relative clause without a comma before "who" also ends before the main verb.
        let aide = quotes("Lee, an aide who accompanied her to the summit, said the talks went well.")
        #expect(quote(aide, containing: "the summit")?.text.contains("talks") == false)
        #expect(quote(aide, containing: "the talks went well")?.speaker?.text == "Lee")
    }

    @Test func aMiddleInitialBelongsToTheName() {
        let found = quotes("“The bridge will open in May,” Rep. Maria T. Alvarez said in a phone interview.")
        let said = quote(found, containing: "The bridge will open")
        #expect(said?.speaker?.text == "Rep. Maria T. Alvarez")
        #expect(said?.kind == .direct)
        // The adjunct after the verb is neither a speaker nor a quote of its own.
        #expect(found.count == 1)
        #expect(found.allSatisfy { $0.speaker?.text != "in a phone interview" })
    }

    @Test func aSplitQuotationGoesOnOnlyWhereANewClauseOpens() {
        let split = quotes("“We tried,” she said, and “we will try again.”")
        #expect(quote(split, containing: "We tried")?.text.contains("try again") == true)
        // A quotation that is the object of a later verb is not the rest of the first one.
        let object = quotes("Cutting taxes “makes me smart,” Mr. Lee said. His aides called him “a genius” for it.")
        #expect(quote(object, containing: "makes me smart")?.text.contains("genius") == false)
        #expect(quote(object, containing: "a genius")?.speaker?.text == "His aides")
    }

    @Test func aVerbOfMotionWithAPrepositionIsNoStance() {
        // A past tense after a name reports a stance only with an object, not with a preposition after it.
        #expect(quotes("Ms. Ortiz campaigned in the state this week.").isEmpty)
        #expect(quotes("Mr. Lee paused to take a question.").isEmpty)
        // An attitude verb with a place particle reports nothing ("called in to a radio show"), but "believe in",
        // a time adjunct ("released in May") and "know from … that …" still report.
        #expect(quotes("The senator called in to a radio show on Monday.").isEmpty)
        #expect(quote(quotes("I believe in the good sense of voters."), containing: "good sense")?.cue?.text == "believe")
        #expect(quote(quotes("We know from his filings that he owns three farms."), containing: "three farms") != nil)
        // Nor is a lone particle after a cue what was said.
        #expect(quotes("Hundreds of readers wrote in.").isEmpty)
        // Stances with their particle still report ("has not ruled out a visit", "backed off the plan").
        let ruled = quotes("The county has not ruled out a second vote on the fees.")
        #expect(quote(ruled, containing: "a second vote")?.cue?.text == "ruled")
        let object = quotes("Ms. Ortiz endorsed the new fees.")
        #expect(quote(object, containing: "the new fees")?.cue?.text == "endorsed")
    }

    @Test func lowercaseModifiersBeforeATitleBelongToTheSpeaker() {
        let found = quotes("Independent mayoral candidate Ana Ruiz chimed in on the radio, saying the budget was a mess.")
        #expect(quote(found, containing: "budget was a mess")?.speaker?.text == "Ana Ruiz")
    }

    @Test func aBaseFormBeforeAVerbOrAmongIsANoun() {
        #expect(quotes("The mayor has 40 percent support among older voters.").isEmpty)
        #expect(quotes("Farmer support was weaker than expected.").isEmpty)
        #expect(quotes("Editor’s note: The council meets on Tuesdays.").isEmpty)
        // A possessor with a noun of saying is still a source ("the mayor’s plan would …").
        let plan = quotes("The mayor’s plan would raise fees for parking.")
        #expect(quote(plan, containing: "raise fees")?.speaker?.text == "The mayor’s")
    }

    @Test func necessityAndPerceptionAreNoAttitudes() {
        #expect(quotes("We need to figure out what to do with it.").isEmpty)
        #expect(quotes("Four officers are seen gathered around the car.").isEmpty)
    }

    @Test func aPlainReportVerbEndingTheSentenceIsAFinalAttribution() {
        let found = quotes("Rents rose sharply last year, the survey showed.")
        let showed = quote(found, containing: "Rents rose sharply")
        #expect(showed?.cue?.text == "showed")
        #expect(showed?.speaker?.text == "the survey")
        // Not before an adjunct: "I believe in …" reports what follows, not the opener before it.
        let belief = quotes("Like her mother, I believe in the good sense of voters.")
        #expect(quote(belief, containing: "Like her mother") == nil)
    }

    @Test func aPlainReportVerbTakesTheWholeSubjectPhrase() {
        let found = quotes("Turnout hit a record, a review of the newly filed county reports shows.")
        let shows = quote(found, containing: "Turnout hit a record")
        #expect(shows?.speaker?.text == "a review of the newly filed county reports")
        let hyphen = quotes("Turnout hit a record, a review of campaign-finance reports shows.")
        #expect(quote(hyphen, containing: "Turnout hit a record")?.speaker?.text
            == "a review of campaign-finance reports")
        // A capitalised "States" is part of a name; a lowercase "states" reports only before "that".
        let name = quotes("The United States average shows turnout rising.")
        #expect(quote(name, containing: "turnout rising")?.speaker?.text == "The United States average")
        #expect(quotes("The interests of member states trump everything else.").isEmpty)
        let report = quotes("The report states that the funds were misused.")
        #expect(quote(report, containing: "funds were misused")?.cue?.text == "states")
    }

    @Test func aPassiveReportsItsWholeClauseWithoutASpeaker() {
        let found = quotes("Inspectors have sometimes been accused of ignoring the worst violations.")
        let accused = quote(found, containing: "ignoring the worst violations")
        #expect(accused?.text.hasPrefix("Inspectors have sometimes been accused") == true)
        #expect(accused?.speaker == nil)
        #expect(accused?.cue?.text == "accused")
        // Whatever the subject is: "one in nine voters … is expected to …".
        let expected = quotes("About one in nine voters this fall is expected to be under 25.")
        #expect(quote(expected, containing: "to be under 25")?.text.hasPrefix("About one in nine voters") == true)
        // A passive closing a subordinate clause is that clause; the main clause is another quote.
        let clause = quotes("When the diagnosis was confirmed, the senator did not want to stay in the hospital.")
        #expect(quote(clause, containing: "diagnosis was confirmed")?.text == "the diagnosis was confirmed")
        #expect(quote(clause, containing: "stay in the hospital")?.speaker?.text == "the senator")
    }

    @Test func anAppositiveSubjectTakesAPastTenseStance() {
        let found = quotes("Norway, which has the largest fund, long opposed any cap on its holdings.")
        let opposed = quote(found, containing: "any cap on its holdings")
        #expect(opposed?.speaker?.text == "Norway")
        let charges = quotes("The mayor charges that the council hid the audit.")
        #expect(quote(charges, containing: "the council hid the audit")?.cue?.text == "charges")
        let hyphen = quotes("His campaign-finance adviser agreed, but also contended that the records should stay sealed.")
        #expect(quote(hyphen, containing: "records should stay sealed")?.speaker?.text == "His campaign-finance adviser")
    }

    @Test func aClosingMarkOpeningItsParagraphOpensAQuotation() {
        let text = "Readers wrote in.\n\n”The new bridge is a waste of money and nobody asked us.” ― Dana Whitfield\n"
        let found = quotes(text)
        let quoted = quote(found, containing: "The new bridge is a waste")
        #expect(quoted?.kind == .direct)
        #expect(quoted?.speaker?.text == "Dana Whitfield")
    }

    @Test func aContractedNegativeBeKeepsItsSubject() {
        let found = quotes("The county clerk isn’t saying whether the ballots were counted twice.")
        let saying = quote(found, containing: "ballots were counted twice")
        #expect(saying?.speaker?.text == "The county clerk")
        #expect(saying?.cue?.text == "saying")
    }

    @Test func theObjectOfACausativeVerbSpeaksTheCueAfterIt() {
        let found = quotes("The flood prompted the county sheriff to warn that the levee could fail.")
        let warn = quote(found, containing: "the levee could fail")
        #expect(warn?.speaker?.text == "the county sheriff")
        #expect(warn?.cue?.text == "warn")
        // A final attribution after a content opening with "However" (no comma) keeps its content.
        let however = quotes("However the repairs are unlikely to finish this year, noted the county sheriff.")
        #expect(quote(however, containing: "repairs are unlikely")?.speaker?.text == "the county sheriff")
    }

    @Test func anAdjunctAfterAVerbOfSayingIsNotWhatWasSaid() {
        #expect(quotes("That was what Ms. Ortiz said when she resigned from the board in 2014.").allSatisfy {
            !$0.text.hasPrefix("when she resigned")
        })
        let quoted = quotes("“We must act,” the mayor said Friday as he entered the meeting.")
        #expect(quoted.count == 1)
        #expect(quote(quoted, containing: "We must act")?.speaker?.text == "the mayor")
        // A clause after the adjunct is still what was said.
        let after = quotes("The mayor said after the vote he would not run again.")
        #expect(quote(after, containing: "he would not run again")?.cue?.text == "said")
    }

    @Test func aSubjectBeforeAQuoteInItsAppositionStillSpeaks() {
        let found = quotes("Ana Ruiz, who runs the mayor’s effort for small farms, said, “We need more water.”")
        #expect(quote(found, containing: "We need more water")?.speaker?.text == "Ana Ruiz")
        // "I laughed and said": the subject of the verb right before "and", not the sentence's opener.
        let laughed = quotes("Once in my twenties, when my aunt asked, I laughed and said, “I don’t believe in ghosts.”")
        #expect(quote(laughed, containing: "believe in ghosts")?.speaker?.text == "I")
    }

    @Test func aCueAfterAVerbTakingToHasTheSubject() {
        let found = quotes("The mayor continues to insist that the budget is balanced.")
        let insist = quote(found, containing: "the budget is balanced")
        #expect(insist?.cue?.text == "insist")
        #expect(insist?.speaker?.text == "The mayor")
    }

    @Test func aSubjectPhraseWithAndOrAPrepositionSays() {
        let found = quotes("Experts on housing and urban policy said the repairs would take a year.")
        let said = quote(found, containing: "repairs would take a year")
        #expect(said?.speaker?.text == "Experts on housing and urban policy")
        #expect(quote(quotes("Those close to him say that he will run."), containing: "he will run")?.speaker?.text
            == "Those close to him")
        // A verb before "and" ends the phrase: the clause's own subject speaks.
        let verb = quotes("The dam failed and residents said the warnings came too late.")
        #expect(quote(verb, containing: "warnings came too late")?.speaker?.text == "residents")
    }

    @Test func aGovernedParticipleOrAnAttributedQuotationEndsTheContent() {
        let found = quotes("The union rejected the offer by saying the raise was too small.")
        #expect(quote(found, containing: "the offer")?.text.contains("raise") == false)
        #expect(quote(found, containing: "raise was too small")?.speaker?.text == "The union")
        let quoted = quotes("The letter described the damage in detail: “Half of the houses are gone,” the mayor wrote.")
        let wrote = quote(quoted, containing: "Half of the houses")
        #expect(wrote?.speaker?.text == "the mayor")
        #expect(wrote?.kind == .direct)
    }

    @Test(.timeLimit(.minutes(1))) func manyQuotationMarksStayLinear() {
        // 100,000 quotation marks, many unclosed, in one paragraph; and a long paragraph of cues.
        let marks = String(repeating: "“a ", count: 50_000) + String(repeating: "b” he said, ", count: 50_000)
        let found = quotes(marks)
        #expect(found.count >= 1)
        let cues = String(repeating: "he said that she said ", count: 40_000)
        _ = quotes(cues)
        let clock = ContinuousClock()
        let small = String(repeating: "“a” he said ", count: 10_000)
        let big = String(repeating: "“a” he said ", count: 80_000)
        let t1 = clock.measure { _ = quotes(small) }
        let t2 = clock.measure { _ = quotes(big) }
        #expect(t2 < t1 * 40)
    }
}
