import Testing

@testable import Analysis

@Suite struct DocumentEncoderTests {
    static let source = SourceDescription(name: Array("a.txt".utf8), bytes: 10, format: .text, received: "2021-12-12T12:00:00Z")

    static func encode(_ analysis: Analysis, duplicateOf: DuplicateReference? = nil) throws -> JSONValue {
        let bytes = DocumentEncoder.article(
            id: "abc", source: source, analysis: analysis, duplicateOf: duplicateOf, pipelineVersion: pipelineVersion,
            durationMicroseconds: 812)
        #expect(bytes.last == UInt8(ascii: "\n"))
        return try JSONParser.parse(bytes)
    }

    static func int(_ value: JSONValue?) -> Int? {
        if case .number(let number) = value { return Int(number) }
        return nil
    }

    static func elements(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items) = value { return items }
        return []
    }

    /// Checks `text[start:end] == span.text` by code points, for every span in the document that carries a text.
    static func expectSpanTextsMatch(_ document: JSONValue) throws {
        let text = try #require(document["text"]?.stringValue)
        let scalars = Array(text.unicodeScalars)
        var checked = 0
        func check(_ span: JSONValue?) {
            guard let span, let start = int(span["start"]), let end = int(span["end"]) else { return }
            #expect(0 <= start && start <= end && end <= scalars.count)
            if let spanText = span["text"]?.stringValue {
                #expect(String(String.UnicodeScalarView(scalars[start..<end])) == spanText)
                checked += 1
            }
        }
        for key in ["paragraphs", "sentences", "quotes", "dates"] {
            for span in elements(document[key]) { check(span) }
        }
        for quote in elements(document["quotes"]) {
            check(quote["speaker"])
            check(quote["cue"])
        }
        for entity in elements(document["entities"]) {
            for mention in elements(entity["mentions"]) { check(mention) }
        }
        _ = checked
    }

    @Test func theArticleDocumentParsesWithFieldsInSchemaOrder() throws {
        let article = Article(text: "Putin spoke. \"Hi,\" he said.", metadata: ArticleMetadata(published: "2021-12-12T00:00:00Z"))
        let document = try Self.encode(Support.analyzer.analyze(article))
        guard case .object(let members) = document else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == [
            "schema", "id", "source", "meta", "text", "stats", "paragraphs", "sentences", "entities", "quotes", "dates",
            "keywords", "summary", "duplicate_of", "pipeline",
        ])
        #expect(document["schema"] == .string("newsd/article@1"))
        #expect(document["source"]?["format"] == .string("text"))
        #expect(document["meta"]?["published"] == .string("2021-12-12T00:00:00Z"))
        #expect(document["meta"]?["title"] == .null)
        #expect(document["meta"]?["language"] == .null)
        #expect(document["text"] == .string(article.text))
        #expect(document["duplicate_of"] == .null)
        #expect(document["pipeline"]?["duration_us"] == .number(812))
        #expect(document["pipeline"]?["version"] == .string("0.1.0"))
    }

    @Test func controlCharactersQuotesAndNonASCIIAreEscapedCorrectly() throws {
        let text = "Tab\there \"quoted\" back\\slash \u{01}\u{1F}\u{7F} é 😀 \u{2028}\r"
        let document = try Self.encode(Support.analyzer.analyze(Article(text: text)))
        #expect(document["text"] == .string(text))
        let bytes = DocumentEncoder.article(
            id: "x", source: Self.source, analysis: Analysis(article: Article(text: "\u{01}é")), duplicateOf: nil,
            pipelineVersion: "v", durationMicroseconds: 0)
        let written = String(decoding: bytes, as: UTF8.self)
        #expect(written.contains(#""text":"\u0001é""#))
    }

    @Test func everySpanTextMatchesTheTextByCodePoints() throws {
        let text = "😀 Vladimir Putin said: “We will meet.” Cafe\u{301} on Sunday.\nBiden agreed."
        var analysis = Support.analyzer.analyze(Article(text: text))
        func mention(_ start: Int, _ end: Int) -> Mention {
            Mention(start: start, end: end, text: Support.substring(text, start, end))
        }
        analysis.entities = [Entity(id: "e1", name: "Vladimir Putin", type: .person, titles: ["President"], salience: 0.31, mentions: [mention(2, 16)])]
        analysis.quotes = [Quote(
            kind: .direct, start: 24, end: 37, text: Support.substring(text, 24, 37),
            speaker: .init(entity: "e1", name: "Vladimir Putin", start: 12, end: 16, text: Support.substring(text, 12, 16)),
            cue: mention(17, 21))]
        analysis.dates = [DateMention(start: 48, end: 54, text: Support.substring(text, 48, 54), type: .date, value: "2021-12-12")]
        analysis.keywords = [Keyword(phrase: "meeting", score: 0.125)]
        let document = try Self.encode(analysis, duplicateOf: DuplicateReference(id: "ff", name: "b.txt", similarity: 0.93))
        try Self.expectSpanTextsMatch(document)
        #expect(Self.elements(document["quotes"]).first?["text"] == .string("We will meet."))
        #expect(Self.elements(document["dates"]).first?["text"] == .string("Sunday"))
        #expect(Self.elements(document["entities"]).first?["salience"] == .number(0.31))
        #expect(document["duplicate_of"]?["similarity"] == .number(0.93))
        #expect(Self.elements(document["keywords"]).first?["score"] == .number(0.125))
    }

    @Test func theErrorDocumentCarriesCodeMessageAndSource() throws {
        let source = SourceDescription(name: [0x61, 0xFF, 0x5C], bytes: 3, format: nil, received: "2021-12-12T12:00:00Z")
        let bytes = DocumentEncoder.error(id: nil, source: source, error: InputError(code: .invalidUTF8, message: "Bad \"byte\"."))
        #expect(bytes.last == UInt8(ascii: "\n"))
        let document = try JSONParser.parse(bytes)
        guard case .object(let members) = document else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["schema", "id", "source", "error"])
        #expect(document["schema"] == .string("newsd/error@1"))
        #expect(document["id"] == .null)
        #expect(document["source"]?["name"] == .string("a\\xff\\x5c"))
        #expect(document["source"]?["format"] == .null)
        #expect(document["error"]?["code"] == .string("invalid-utf8"))
        #expect(document["error"]?["message"] == .string("Bad \"byte\"."))
    }
}

@Suite struct EscapedNameTests {
    @Test func validUTF8NamesAreKept() {
        #expect(DocumentEncoder.escapedName(Array("café 😀.txt".utf8)) == "café 😀.txt")
    }

    @Test func invalidBytesAndBackslashesBecomeHexEscapes() {
        #expect(DocumentEncoder.escapedName([0x63, 0x61, 0x66, 0xE9, 0x2E, 0x74]) == "caf\\xe9.t")
        #expect(DocumentEncoder.escapedName(Array("a\\b".utf8)) == "a\\x5cb")
        #expect(DocumentEncoder.escapedName([0xE2, 0x82]) == "\\xe2\\x82")
    }

    @Test func escapingRoundTripsOnInvalidBytesAndBackslashes() {
        let names: [[UInt8]] = [
            [], Array("plain.txt".utf8), [0xFF, 0xFE, 0x00, 0x5C, 0x78, 0x34, 0x31], Array("\\x41.txt".utf8),
            [0xC0, 0x80, 0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80], Array("é".utf8) + [0xE9] + Array("😀".utf8),
        ]
        for name in names {
            #expect(DocumentEncoder.unescapedName(DocumentEncoder.escapedName(name)) == name)
        }
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            let name = (0..<Int.random(in: 0...12, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(DocumentEncoder.unescapedName(DocumentEncoder.escapedName(name)) == name)
        }
    }
}
