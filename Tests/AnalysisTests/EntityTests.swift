import Foundation
import Testing

@testable import Analysis

@Suite struct EntityTests {
    static let analyzer = Analyzer()

    static func exampleArticle() throws -> Article {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let input = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent("putin-biden-call.txt")))
        return try ArticleDecoder.decode(input, format: .text, maximumBytes: 10 << 20)
    }

    static func entities(_ text: String, language: String? = "en") -> [Entity] {
        let analysis = analyzer.analyze(Article(text: text, metadata: ArticleMetadata(language: language)))
        checkSpans(analysis)
        return analysis.entities
    }

    /// Every mention's text is the text of its span; ids are e1, e2, …; salience is within 0...1.
    static func checkSpans(_ analysis: Analysis) {
        let scalars = Array(analysis.article.text.unicodeScalars)
        for (index, entity) in analysis.entities.enumerated() {
            #expect(entity.id == "e\(index + 1)")
            #expect((0.0...1.0).contains(entity.salience))
            #expect(!entity.mentions.isEmpty)
            for mention in entity.mentions {
                #expect(mention.start >= 0 && mention.start < mention.end && mention.end <= scalars.count)
                guard mention.start >= 0, mention.start < mention.end, mention.end <= scalars.count else { continue }
                #expect(String(String.UnicodeScalarView(scalars[mention.start..<mention.end])) == mention.text)
            }
        }
    }

    static func entity(_ entities: [Entity], named name: String) -> Entity? {
        entities.first { $0.name == name }
    }

    @Test func exampleArticlePeopleAreOneEntityEachWithTitles() throws {
        let analysis = Self.analyzer.analyze(try Self.exampleArticle())
        Self.checkSpans(analysis)
        let people = analysis.entities.filter { $0.type == .person }
        #expect(Set(people.map(\.name)) == ["Vladimir Putin", "Joe Biden", "Dmitry Peskov", "Antony Blinken"])
        let expectedTitles = [
            "Vladimir Putin": "Russian President", "Joe Biden": "US President", "Dmitry Peskov": "Kremlin spokesperson",
            "Antony Blinken": "US Secretary of State",
        ]
        for (name, title) in expectedTitles {
            let person = try #require(Self.entity(people, named: name))
            #expect(person.titles.contains(title), "\(name): \(person.titles)")
        }
        let putin = try #require(Self.entity(people, named: "Vladimir Putin"))
        #expect(putin.mentions.filter { $0.text == "Putin" }.count >= 5)
        #expect(putin.salience > 0.05)
    }

    /// Capitals alone make an acronym, an organisation; capitals with a digit make a formula, a strain or a
    /// flight, which no list knows as an organisation.
    @Test func capitalsWithADigitAreNoOrganisation() {
        let found = Self.entities(
            "CO2 levels rose in strain S288C, and PM2.5 too, scientists at NASA said. The MH17 report came out. "
                + "IBM and NASA agreed at the G20 summit.")
        for code in ["CO2", "S288C", "PM2.5", "MH17"] {
            #expect(Self.entity(found, named: code)?.type == .other, "\(code): \(String(describing: Self.entity(found, named: code)?.type))")
        }
        #expect(Self.entity(found, named: "NASA")?.type == .organization)
        #expect(Self.entity(found, named: "IBM")?.type == .organization)
        #expect(Self.entity(found, named: "G20")?.type == .organization, "a list knows it")
    }

    /// A name no list knows reads as a person's, unless a noun right before it says what it is.
    @Test func aNameAfterAnOrganisationNounIsAnOrganisation() {
        let found = Self.entities(
            "The study was published in the journal Nature Astronomy on Monday. The newspaper Magyar Nemzet "
                + "reported it, and the carmaker Volkswagen declined to comment, as did Maria Lopez. Shares of the "
                + "company Jeff Bezos founded rose.")
        for name in ["Nature Astronomy", "Magyar Nemzet", "Volkswagen"] {
            #expect(Self.entity(found, named: name)?.type == .organization, "\(name): \(String(describing: Self.entity(found, named: name)?.type))")
        }
        #expect(Self.entity(found, named: "Maria Lopez")?.type == .person)
        #expect(Self.entity(found, named: "Jeff Bezos")?.type == .person, "a given name: the company's founder")
        // The noun's word holds for the name's other mentions, which alone read as a person's.
        let company = Self.entities("Red Hat said on Monday that it would hire. The company Red Hat makes software, and Red Hat grew.")
        #expect(company.filter { $0.name == "Red Hat" }.map(\.type) == [.organization])
        #expect(company.first { $0.name == "Red Hat" }?.mentions.count == 3)
        let charity = Self.entities("Sea-Eye rescued 60 people. The charity Sea-Eye said Sea-Eye would sail again.")
        #expect(charity.filter { $0.name == "Sea-Eye" }.map(\.type) == [.organization])
    }

    @Test func exampleArticleOrganizationsAndPlaces() throws {
        let entities = Self.analyzer.analyze(try Self.exampleArticle()).entities
        for name in ["State Department", "White House", "Kremlin", "NBC News", "Russia 1"] {
            #expect(Self.entity(entities, named: name)?.type == .organization, "\(name)")
        }
        for name in ["Russia", "Ukraine", "United States", "Europe"] {
            #expect(Self.entity(entities, named: name)?.type == .location, "\(name)")
        }
        // "US" is the United States; "Russia 1" is a channel, not a mention of Russia.
        let unitedStates = try #require(Self.entity(entities, named: "United States"))
        #expect(unitedStates.mentions.contains { $0.text == "US" })
        let russia = try #require(Self.entity(entities, named: "Russia"))
        #expect(!russia.mentions.contains { $0.text == "Russia 1" })
        #expect(Self.entity(entities, named: "Russian")?.type == .nationality)
        #expect(Self.entity(entities, named: "European")?.mentions.first?.text == "Europeans")
        // "State" inside "Secretary of State" is not a place.
        #expect(!entities.contains { $0.type == .location && $0.mentions.contains { $0.text == "State" } })
        #expect(!entities.contains { $0.type == .person && $0.name == "President" })
    }

    @Test func surnameAndPronounMentionsJoinTheFullName() {
        let entities = Self.entities(
            "Prime Minister Maria Lindqvist met farmers in Uppsala on Monday. Lindqvist promised new subsidies. "
                + "She said the plan would be ready by spring.")
        let person = Self.entity(entities, named: "Maria Lindqvist")
        #expect(person?.type == .person)
        #expect(person?.mentions.map(\.text) == ["Maria Lindqvist", "Lindqvist", "She"])
        #expect(person?.titles == ["Prime Minister"])
        #expect(Self.entity(entities, named: "Uppsala")?.type == .location)
        #expect(!entities.contains { $0.name == "Monday" })
    }

    @Test func organizationWordsAndAliasesGiveTypesAndCanonicalNames() {
        let entities = Self.entities(
            "Officials at the Bank of England and the Ministry of Finance met Acme Holdings executives. "
                + "The U.S. and the UK later joined talks at the United Nations, which the UN hosted in Geneva.")
        #expect(Self.entity(entities, named: "Bank of England")?.type == .organization)
        #expect(Self.entity(entities, named: "Ministry of Finance")?.type == .organization)
        #expect(Self.entity(entities, named: "Acme Holdings")?.type == .organization)
        #expect(Self.entity(entities, named: "United States")?.mentions.map(\.text) == ["U.S."])
        #expect(Self.entity(entities, named: "United Kingdom")?.mentions.map(\.text) == ["UK"])
        #expect(Self.entity(entities, named: "United Nations")?.mentions.count == 2)
        #expect(Self.entity(entities, named: "Geneva")?.type == .location)
    }

    /// Wikinews writes "United States Senator from Vermont Bernie Sanders": the corpus's ledger ranked
    /// "Vermont Bernie Sanders" among the most quoted speakers.
    @Test func aPlaceBeforeAGivenNameIsAPlaceThenAPerson() {
        let entities = Self.entities(
            "United States Senator from Vermont Bernie Sanders ended his bid on Wednesday. Sanders thanked his supporters.")
        let person = Self.entity(entities, named: "Bernie Sanders")
        #expect(person?.type == .person, "\(entities.map(\.name))")
        #expect(person?.mentions.map(\.text) == ["Bernie Sanders", "Sanders"])
        #expect(Self.entity(entities, named: "Vermont")?.type == .location)
        #expect(!entities.contains { $0.name.contains("Vermont Bernie") })
        // A place and a surname alone stay one name: "Orlando Bloom" is not Orlando.
        #expect(Self.entity(Self.entities("Orlando Bloom arrived in Cannes."), named: "Orlando Bloom")?.type == .person)
        // Nor is a place that is a given name too: Mary (Turkmenistan) in "Mary Joe Fernandez".
        #expect(Self.entity(Self.entities("Mary Joe Fernandez won in Paris."), named: "Mary Joe Fernandez")?.type == .person)
    }

    /// "D.C." was an organisation (a short all-capitals word) in six corpus articles.
    @Test func dcIsWashington() {
        let entities = Self.entities("Protesters gathered in Washington, D.C., on Friday. The D.C. police said the march was calm.")
        #expect(Self.entity(entities, named: "Washington, D.C.")?.type == .location, "\(entities.map(\.name))")
        #expect(!entities.contains { $0.type == .organization }, "\(entities.map(\.name))")
    }

    @Test func sentenceInitialCommonWordsAreNotNames() {
        let entities = Self.entities("The minister arrived late. However, nothing happened. Asked why, officials said nothing.")
        #expect(entities.isEmpty, "\(entities.map(\.name))")
    }

    /// The corpus's entity lists held "Following", "Reportedly", "Yeah", "Um" and "Okay" (interview answers),
    /// "T" (from "[T]he") and "the Queen" as a person.
    @Test func sentenceOpenersInterjectionsAndStrayLettersAreNotNames() {
        let entities = Self.entities(
            "Following the fire, crews left. Reportedly, nobody was hurt. Speaking to reporters, a chief agreed. "
                + "Shortly after noon it rained.\nYeah, it is rare. Um, I play chess. Okay, tell me more. Well, maybe.\n"
                + "He said \"[T]he plan is good.\"")
        #expect(entities.isEmpty, "\(entities.map { "\($0.name) (\($0.type))" })")
        let titles = Self.entities("The Queen spoke to the House.")
        #expect(!titles.contains { $0.type == .person }, "\(titles.map { "\($0.name) (\($0.type))" })")
        // Names that look alike stay names: a place, a given name and a surname.
        let names = Self.entities("Reading won at home. Kelly, a nurse, was there. Irving agreed.")
        #expect(Self.entity(names, named: "Reading")?.type == .location)
        #expect(Self.entity(names, named: "Kelly")?.type == .person)
        #expect(Self.entity(names, named: "Irving") != nil)
    }

    /// "Syrian President Bashar al-Assad" was "Bashar", a person, in three corpus articles.
    @Test func anArabicArticleJoinsTheNameItIsPartOf() {
        let entities = Self.entities("Syrian President Bashar al-Assad met Abdel Fattah el-Sisi in Cairo. The al-Nusra front was not there.")
        let described = entities.map { "\($0.name) (\($0.type))" }
        #expect(Self.entity(entities, named: "Bashar al-Assad")?.type == .person, "\(described)")
        #expect(Self.entity(entities, named: "Bashar al-Assad")?.titles == ["Syrian President"], "\(described)")
        #expect(Self.entity(entities, named: "Abdel Fattah el-Sisi")?.type == .person, "\(described)")
        #expect(!entities.contains { $0.name == "Bashar" }, "\(described)")
    }

    /// A sentence-initial word no list knows is a name only if the document capitalises it elsewhere too.
    @Test func anUnknownSentenceOpenerIsANameOnlyIfCapitalisedElsewhere() {
        let openers = Self.entities("Unlike the others, the crew stayed. Together, they left. Similar cases were found.")
        #expect(openers.isEmpty, "\(openers.map { "\($0.name) (\($0.type))" })")
        let named = Self.entities("The talks with Zelenskyy went on. Zelenskyy said little.")
        #expect(named.flatMap(\.mentions).filter { $0.text == "Zelenskyy" }.count == 2, "the opener too: \(named.map(\.name))")
        let score = Self.entities("Feyenoord 3 Vitesse 1.")
        #expect(score.count == 2, "a line of scores keeps its teams: \(score.map(\.name))")
    }

    /// From the corpus's person list: "Amy Klobuchar of Minnesota", "United States Constitution", "Hurricane
    /// Dorian" and "Conference of State Legislatures" were people.
    @Test func aNameEndsBeforeOfAndLawsStormsAndConferencesAreNotPeople() {
        let entities = Self.entities(
            "Senator Amy Klobuchar of Minnesota spoke. The United States Constitution was cited as Hurricane Dorian "
                + "neared, the National Conference of State Legislatures said.")
        let described = entities.map { "\($0.name) (\($0.type))" }
        #expect(Self.entity(entities, named: "Amy Klobuchar")?.type == .person, "\(described)")
        #expect(Self.entity(entities, named: "Minnesota")?.type == .location, "\(described)")
        #expect(entities.filter { $0.type == .person }.map(\.name) == ["Amy Klobuchar"], "\(described)")
        #expect(Self.entity(entities, named: "Hurricane Dorian")?.type == .other, "\(described)")
        #expect(entities.contains { $0.name.hasSuffix("Conference of State Legislatures") && $0.type == .organization }, "\(described)")
        // A title right before "of" still joins: "Secretary of State Mike Pompeo".
        let pompeo = Self.entity(Self.entities("Secretary of State Mike Pompeo arrived."), named: "Mike Pompeo")
        #expect(pompeo?.titles == ["Secretary of State"])
    }

    /// Wikinews writes times as "10:00 UTC"; "UTC" was an organization, the third commonest entity of a
    /// 20,000-article feed drawn from the corpus.
    @Test func timeZonesAreNotOrganizations() {
        let entities = Self.entities("The quake struck at 10:00 UTC on Monday. A second one followed at 11:30 (UTC), 6:30 EST.")
        #expect(entities.isEmpty, "\(entities.map(\.name))")
    }

    @Test func nonEnglishArticleGetsNoEntities() {
        let entities = Self.entities(
            "Der russische Präsident Wladimir Putin hat am Sonntag mit Joe Biden telefoniert, teilte der Kreml mit.",
            language: "de")
        #expect(entities.isEmpty)
    }

    @Test func randomInputDoesNotCrash() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("AaBbZz .,’'\"“”-&\n\tÉé1 9 of Mr. U.S. President Putin's Russia 1 ".unicodeScalars)
        for _ in 0..<200 {
            var view = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0..<300, using: &generator) {
                if Int.random(in: 0..<20, using: &generator) == 0 {
                    view.append(Unicode.Scalar(UInt32.random(in: 0x20..<0xD7FF, using: &generator)) ?? " ")
                } else {
                    view.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)])
                }
            }
            _ = Self.entities(String(view))
        }
    }
}
