import Testing

@testable import Analysis

@Suite struct DecoderErrorTests {
    @Test func aFileOverTheLimitIsTooLarge() {
        let error = Support.decodeError(Array("Hello there.".utf8), maximumBytes: 5)
        #expect(error?.code == .tooLarge)
        #expect(error?.message == "The file is 12 bytes, over the limit of 5 bytes (max_article_bytes).")
    }

    @Test func sizeIsCheckedBeforeContent() {
        #expect(Support.decodeError([0, 0xFF, 0], maximumBytes: 2)?.code == .tooLarge)
    }

    @Test func nulBytesAreUnsupportedBinaryData() {
        #expect(Support.decodeError(Array("Hello\u{0}world.".utf8))?.code == .unsupportedFormat)
    }

    @Test func aNulByteIsFoundWhereverItFallsInAnEightByteWord() {
        // The scan skips eight clean bytes at a time; a NUL at any position, after long or UTF-8 runs, still counts.
        for position in 0..<40 {
            for filler in ["a", "é", "~"] {
                var bytes = Array(String(repeating: filler, count: position).utf8) + [0] + Array("Some more text here.".utf8)
                #expect(Support.decodeError(bytes)?.code == .unsupportedFormat, "\(filler) × \(position)")
                bytes.removeAll { $0 == 0 }
                if !bytes.isEmpty { #expect(Support.decodeError(bytes) == nil, "\(filler) × \(position)") }
            }
        }
    }

    @Test func manyControlCharactersAreUnsupportedBinaryData() {
        let bytes: [UInt8] = Array("ab".utf8) + [0x01, 0x02, 0x03, 0x1B] + Array("cdefgh".utf8)
        #expect(Support.decodeError(bytes)?.code == .unsupportedFormat)
    }

    @Test func aStrayControlCharacterInLongTextIsAccepted() throws {
        let text = String(repeating: "Words in a sentence. ", count: 10) + "\u{1B}" + "\tEnd.\u{0C}"
        #expect(try Support.decode(text).text.hasSuffix("End.\u{0C}"))
    }

    @Test func invalidUTF8NamesTheByteOffset() {
        let bytes: [UInt8] = Array("Caf".utf8) + [0xE9] + Array(" au lait.".utf8)
        let error = Support.decodeError(bytes)
        #expect(error?.code == .invalidUTF8)
        #expect(error?.message.contains("offset 3") == true)
    }

    @Test(arguments: [
        [0xC0, 0x80] as [UInt8],  // overlong NUL
        [0xED, 0xA0, 0x80],  // encoded surrogate
        [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
        [0xE2, 0x82],  // truncated
        [0x80],  // lone continuation
    ])
    func malformedSequencesAreInvalidUTF8(sequence: [UInt8]) {
        #expect(Support.decodeError(Array("Text ".utf8) + sequence)?.code == .invalidUTF8)
    }

    @Test func whitespaceOnlyBodyIsEmpty() {
        #expect(Support.decodeError(Array(" \n\t\n".utf8))?.code == .empty)
        #expect(Support.decodeError([])?.code == .empty)
    }

    @Test func frontMatterWithoutABodyIsEmpty() {
        #expect(Support.decodeError(Array("---\ntitle: Hi\n---\n\n".utf8), .markdown)?.code == .empty)
    }

    @Test func jsonWithWhitespaceTextIsEmpty() {
        #expect(Support.decodeError(Array(#"{"text": "  \n"}"#.utf8), .json)?.code == .empty)
    }

    @Test func htmlWithoutTextIsEmpty() {
        #expect(Support.decodeError(Array("<html><head><title>T</title></head><body></body></html>".utf8), .html)?.code == .empty)
    }

    @Test func everyDecodeCodeHasADistinctRawValue() {
        #expect(Set(ErrorCode.allCases.map(\.rawValue)).count == ErrorCode.allCases.count)
        #expect(ErrorCode.invalidJSON.rawValue == "invalid-json")
    }
}

@Suite struct PlainTextDecodingTests {
    @Test func aShortUnpunctuatedFirstLineIsTheTitle() throws {
        let article = try Support.decode("Magnitogorsk building collapses, dozens dead\nAn apartment building collapsed.")
        #expect(article.metadata.title == "Magnitogorsk building collapses, dozens dead")
        #expect(article.text == "An apartment building collapsed.")
    }

    @Test func blankLinesAfterTheTitleAreSkipped() throws {
        let article = try Support.decode("Headline here\n\n\nBody starts here.")
        #expect(article.metadata.title == "Headline here")
        #expect(article.text == "Body starts here.")
    }

    @Test(arguments: [
        "This first line ends like a sentence.\nSecond line.",
        "Is this a question?\nSecond line.",
        "He said \u{201C}go now.\u{201D}\nSecond line.",
        "Waiting\u{2026}\nSecond line.",
        "A single line without a break",
    ])
    func aFirstLineThatIsNotAHeadlineStaysInTheBody(text: String) throws {
        let article = try Support.decode(text)
        #expect(article.metadata.title == nil)
        #expect(article.text == text)
    }

    @Test func aFirstLineOver200CharactersIsNotATitle() throws {
        let long = String(repeating: "word ", count: 41) + "end"
        let article = try Support.decode(long + "\nBody.")
        #expect(article.metadata.title == nil)
    }

    @Test func aLoneLineFollowedByNothingIsTheBodyNotATitle() throws {
        let article = try Support.decode("Just a headline\n")
        #expect(article.metadata.title == nil)
        #expect(article.text == "Just a headline\n")
    }

    @Test func crlfIsFoldedAndALeadingBOMDropped() throws {
        let article = try ArticleDecoder.decode([0xEF, 0xBB, 0xBF] + Array("Title\r\nOne.\r\nTwo.\r".utf8), format: .text, maximumBytes: 100)
        #expect(article.metadata.title == "Title")
        #expect(article.text == "One.\nTwo.\r")
    }

    @Test func frontMatterGivesMetadataAndTheBodyFollowsIt() throws {
        let text = """
            ---
            title: "Putin and Biden talk"
            published: 2021-12-12
            url: https://example.com/a
            author: 'Jane Roe'
            source: Wire
            language: en
            tags: ignored
            ---

            Body paragraph one.
            """
        let article = try Support.decode(text, .markdown)
        #expect(article.metadata == ArticleMetadata(
            title: "Putin and Biden talk", published: "2021-12-12T00:00:00Z", url: "https://example.com/a",
            author: "Jane Roe", source: "Wire", language: "en"))
        #expect(article.text == "Body paragraph one.")
        #expect(article.format == .markdown)
    }

    @Test func frontMatterDateStandsInForPublished() throws {
        let article = try Support.decode("---\ndate: December 12, 2021\n---\nThe body.", .text)
        #expect(article.metadata.published == "2021-12-12T00:00:00Z")
        #expect(article.text == "The body.")
    }

    @Test func frontMatterThatNeverClosesIsPlainText() throws {
        let text = "---\ntitle: Oops\nThe body goes on."
        let article = try Support.decode(text)
        #expect(article.metadata == ArticleMetadata())
        #expect(article.text == text)
    }

    @Test func aMarkdownHeadingIsTheTitle() throws {
        let article = try Support.decode("# Big news.\n\nFirst paragraph.", .markdown)
        #expect(article.metadata.title == "Big news.")
        #expect(article.text == "First paragraph.")
    }

    @Test func fileNameExtensionsMapToFormats() {
        func format(_ name: String) -> InputFormat? { ArticleDecoder.format(forFileName: Array(name.utf8)) }
        #expect(format("a.txt") == .text)
        #expect(format("A.TXT") == .text)
        #expect(format("a.md") == .markdown)
        #expect(format("a.Markdown") == .markdown)
        #expect(format("a.json") == .json)
        #expect(format("a.html") == .html)
        #expect(format("a.HTM") == .html)
        #expect(format("a.pdf") == nil)
        #expect(format("README") == nil)
        #expect(ArticleDecoder.format(forFileName: [0xE9, 0x2E, 0x74, 0x78, 0x74]) == .text)
    }
}

@Suite struct JSONDecodingTests {
    @Test func textIsTheBodyExactlyAndFieldsAreMetadata() throws {
        let json = #"{"title":"T","text":"  Line one.\r\nLine two.  ","published":"2021-12-12T10:00:00+02:00","url":"u","author":"a","source":"s","language":"fr","extra":[1,2,{"x":null}]}"#
        let article = try Support.decode(json, .json)
        #expect(article.text == "  Line one.\nLine two.  ")
        #expect(article.metadata == ArticleMetadata(title: "T", published: "2021-12-12T08:00:00Z", url: "u", author: "a", source: "s", language: "fr"))
        #expect(article.format == .json)
    }

    @Test func escapesAndSurrogatePairsDecode() throws {
        let json = #"{"text":"Quote: \"hi\" \\ \/ \b\f\n\r\t \u00e9 \uD83D\uDE00 end"}"#
        let article = try Support.decode(json, .json)
        #expect(article.text == "Quote: \"hi\" \\ / \u{08}\u{0C}\n\r\t é 😀 end")
    }

    @Test func aLoneSurrogateIsInvalidJSON() {
        #expect(Support.decodeError(Array(#"{"text":"a \uD83D b"}"#.utf8), .json)?.code == .invalidJSON)
        #expect(Support.decodeError(Array(#"{"text":"a \uDE00 b"}"#.utf8), .json)?.code == .invalidJSON)
    }

    @Test func missingOrNonStringTextIsInvalidJSON() {
        let missing = Support.decodeError(Array(#"{"title":"x"}"#.utf8), .json)
        #expect(missing?.code == .invalidJSON)
        #expect(missing?.message.contains("\"text\"") == true)
        let number = Support.decodeError(Array(#"{"text":42}"#.utf8), .json)
        #expect(number?.code == .invalidJSON)
        #expect(number?.message.contains("a number") == true)
    }

    @Test func aTopLevelValueThatIsNotAnObjectIsInvalidJSON() {
        let error = Support.decodeError(Array(#"["text"]"#.utf8), .json)
        #expect(error?.code == .invalidJSON)
        #expect(error?.message.contains("an array") == true)
    }

    @Test(arguments: [
        #"{"text":"a",}"#, #"{"text":'a'}"#, #"{"text":"a"} x"#, #"{"text":"a""#, "{\"text\":\"a\u{01}b\"}",
        #"{"text":"a","n":01}"#, #"{"text":"a","n":1.}"#, #"{"text":"a","n":tru}"#, #"{"text":"\x"}"#, "",
    ])
    func malformedJSONIsInvalidJSONWithAPosition(json: String) {
        let error = Support.decodeError(Array(json.utf8), .json)
        #expect(error?.code == .invalidJSON)
        #expect(error?.message.contains("at byte") == true)
    }

    @Test func nestingTo512LevelsIsAccepted() throws {
        let value = String(repeating: "[", count: 511) + String(repeating: "]", count: 511)
        #expect(try Support.decode(#"{"text":"ok","deep":\#(value)}"#, .json).text == "ok")
    }

    @Test func nestingDeeperThan512LevelsIsRejected() {
        let value = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        let error = Support.decodeError(Array(#"{"text":"ok","deep":\#(value)}"#.utf8), .json)
        #expect(error?.code == .invalidJSON)
        #expect(error?.message.contains("nested too deeply") == true)
    }

    @Test func hundredThousandLevelsOfNestingFailWithoutCrashing() {
        let json = String(repeating: "{\"a\":[", count: 100_000)
        #expect(Support.decodeError(Array(json.utf8), .json)?.code == .invalidJSON)
    }

    @Test func theParserReadsEveryKindOfValue() throws {
        let value = try JSONParser.parse(Array(#" {"a": [true, false, null, -1.5e3, 0, "x"], "b": {}} "#.utf8))
        #expect(value["a"] == .array([.bool(true), .bool(false), .null, .number(-1500), .number(0), .string("x")]))
        #expect(value["b"] == .object([]))
    }
}

@Suite struct HTMLDecodingTests {
    @Test func titleDateAndParagraphsAreExtracted() throws {
        let html = """
            <!DOCTYPE html><html lang="en"><head><title>Site | Page</title>
            <meta property="og:title" content="Leaders &amp; talks">
            <meta property="article:published_time" content="2021-12-12T10:00:00Z">
            <style>p { color: red }</style><script>var p = "<p>no</p>";</script></head>
            <body><nav>Menu</nav><p>First &quot;para&quot; &lt;b&gt; &#39;x&#39; &#233;&#xE9;&nbsp;y</p>
            <!-- <p>hidden</p> --><p class="x">Second <b>bold</b>
            line.</p></body></html>
            """
        let article = try Support.decode(html, .html)
        #expect(article.metadata.title == "Leaders & talks")
        #expect(article.metadata.published == "2021-12-12T10:00:00Z")
        #expect(article.metadata.language == "en")
        #expect(article.text == "First \"para\" <b> 'x' éé\u{00A0}y\nSecond bold line.")
    }

    @Test func theTitleElementAndTimeElementAreFallbacks() throws {
        let html = "<html><head><title> A  page </title></head><body><time datetime=\"2021-12-12\">Sunday</time><p>Text.</p></body></html>"
        let article = try Support.decode(html, .html)
        #expect(article.metadata.title == "A page")
        #expect(article.metadata.published == "2021-12-12T00:00:00Z")
        #expect(article.text == "Text.")
    }

    @Test func aPageWithoutParagraphsFallsBackToItsVisibleText() throws {
        let article = try Support.decode("<div>One line.</div><div>Two <i>lines</i>.</div>", .html)
        #expect(article.text == "One line.\nTwo lines.")
    }
}
