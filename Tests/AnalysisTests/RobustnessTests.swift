import Testing

@testable import Analysis

/// SplitMix64: a small seeded generator, so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct RobustnessTests {
    static let pieces: [String] = [
        "Mr.", "U.S.", "e.g.", "3.5", "J.", "...", "…", ".", "!", "?", " ", "  ", "\n", "\r\n", "\r", "\t", "\u{0}",
        "\"", "'", "\u{201C}", "\u{201D}", "\u{2018}", "\u{2019}", "«", "»", "(", ")", "😀", "👨‍👩‍👧", "e\u{301}",
        "\u{301}", "\u{5E9}\u{5DC}\u{5D5}\u{5DD}", "\u{627}\u{644}\u{633}\u{644}\u{627}\u{645}", "\u{200F}", "\u{2029}",
        "The", "word", "said", "can\u{2019}t", "in-person", "Hello", "a.m.", "etc.", "Inc.", "1,000", "\u{FEFF}",
    ]

    @Test func randomTextNeverCrashesAndSpansStayInRangeAndOrdered() throws {
        var generator = SeededGenerator(seed: 2021_12_12)
        for _ in 0..<200 {
            let count = Int.random(in: 0...60, using: &generator)
            let text = (0..<count).map { _ in Self.pieces.randomElement(using: &generator)! }.joined()
            let analysis = Support.analyzer.analyze(Article(text: text))
            let length = text.unicodeScalars.count
            #expect(analysis.statistics.characters == length)
            var previousEnd = 0
            for paragraph in analysis.paragraphs {
                #expect(previousEnd <= paragraph.start && paragraph.start < paragraph.end && paragraph.end <= length)
                previousEnd = paragraph.end
            }
            previousEnd = 0
            for sentence in analysis.sentences {
                #expect(previousEnd <= sentence.start && sentence.start < sentence.end && sentence.end <= length)
                #expect(analysis.paragraphs.contains { $0.start <= sentence.start && sentence.end <= $0.end })
                previousEnd = sentence.end
            }
            #expect(analysis.summary.allSatisfy { $0 < analysis.sentences.count })
            let document = DocumentEncoder.article(
                id: "x", source: DocumentEncoderTests.source, analysis: analysis, duplicateOf: nil,
                pipelineVersion: pipelineVersion, durationMicroseconds: 0)
            #expect(try JSONParser.parse(document)["text"] == .string(text))
        }
    }

    /// The words the rules look for, at the very start and end of a text, where a rule that looks at the word
    /// before or after one it matched finds none. An article that began with "Recent" crashed the daemon
    /// (the date grammar read the token at index -1); the random pieces above hold no such words.
    static let ruleWords: [String] = TimeWord.allCases.map(\.rawValue) + [
        "January", "Jan", "Sept", "May", "March", "Monday", "Tues", "year", "years", "month", "week", "weeks", "day",
        "days", "hour", "minutes", "second", "decade", "century", "quarter", "weekend", "one", "two", "ten",
        "twenty", "2", "12", "2021", "1990s", "'90s", "3:30", "5th", "Mr.", "President", "said", "says", "told",
        "according", "he", "she", "\u{201C}", "\u{201D}", "\"", ",", ".", "'s", "$", "#", "-", "\u{2013}", "%",
    ]

    @Test func ruleWordsAtEitherEndOfATextNeverCrash() throws {
        var texts: [String] = []
        for word in Self.ruleWords {
            for form in Set([word, word.prefix(1).uppercased() + word.dropFirst()]) {
                texts += [
                    form, form + ".", form + " " + form, "Polls show " + form, form + " polls show him ahead.",
                    "\u{201C}" + form + ",\u{201D} he said.",
                ]
            }
        }
        var generator = SeededGenerator(seed: 2026_12_07)
        for _ in 0..<3000 {
            let count = Int.random(in: 1...4, using: &generator)
            texts.append((0..<count).map { _ in Self.ruleWords.randomElement(using: &generator)! }.joined(separator: " "))
        }
        for text in texts {
            let analysis = Support.analyzer.analyze(Article(text: text))
            let length = text.unicodeScalars.count
            #expect(analysis.dates.allSatisfy { 0 <= $0.start && $0.start < $0.end && $0.end <= length }, "\(text)")
        }
        // The text that crashed: a date at its first word.
        let recent = Support.analyzer.analyze(Article(text: "Recent polls show him ahead."))
        #expect(recent.dates.map(\.text) == ["Recent"])
        #expect(recent.dates.map(\.type) == [.date])
    }

    @Test func randomBytesNeverCrashTheDecoder() {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<300 {
            let bytes = (0..<Int.random(in: 0...80, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for format in InputFormat.allCases {
                _ = try? ArticleDecoder.decode(bytes, format: format, maximumBytes: 1000)
            }
        }
    }

    /// Quadratic work would take minutes here; linear work takes well under a second even in a debug build.
    @Test func aHugeSingleParagraphAndLongQuoteRunsAreLinear() {
        let paragraph = String(repeating: "Mr. Smith said 3.5 \u{201C}yes\u{201D} e.g. to U.S. officials ", count: 20_000)
        let analysis = Support.analyzer.analyze(Article(text: paragraph))
        #expect(analysis.paragraphs.count == 1)
        let quotes = String(repeating: "\u{201D}", count: 100_000) + ". " + String(repeating: "\"", count: 100_000) + "!"
        #expect(Support.analyzer.analyze(Article(text: quotes)).sentences.count == 2)
        let dots = String(repeating: ".", count: 200_000) + " " + String(repeating: "a.", count: 100_000)
        #expect(Support.analyzer.analyze(Article(text: dots)).paragraphs.count == 1)
    }

    @Test func aLargeJSONStringParsesInLinearTime() throws {
        let text = String(repeating: "Line \\\"one\\\"\\n \\u00e9 ", count: 50_000)
        let article = try Support.decode("{\"text\":\"\(text)\"}", .json)
        #expect(article.text.hasPrefix("Line \"one\"\n é "))
    }
}
