import Foundation
import Testing

@testable import Analysis

/// The allocation-free shortcuts of the hot paths give the same answers as the plain code they replace.
@Suite struct FastPathTests {
    /// Words with and without possessives, plurals of every rule, non-ASCII letters and short words.
    static let words = [
        "leaders'", "leader's", "policies", "classes", "bus", "this", "glass", "ties", "dies", "series", "cities",
        "russia's", "s", "'s", "is", "us", "ss", "sses", "meetings", "café", "cafés", "naïve's", "straße", "élysées",
        "x'", "'", "", "news", "analysis", "ies", "studies", "kiss", "mess's", "über", "ok",
    ]

    @Test func stemHashIsTheHashOfTheStem() {
        for word in Self.words {
            let bytes = Array(word.utf8)
            let expected = KeywordLexicon.hash(KeywordLexicon.stem(bytes))
            #expect(bytes.withUnsafeBufferPointer { KeywordLexicon.stemHash($0) } == expected, "\(word)")
        }
    }

    @Test func stopWordsAreFoundByTheHashOfTheirBytes() {
        let lexicon = KeywordLexicon()
        for word in ["the", "according", "wouldn't", "yesterday", "mr"] {
            #expect(lexicon.isStopWord(hash: KeywordLexicon.hash(Array(word.utf8))), "\(word)")
        }
        for word in ["putin", "meeting", "the2", "théo"] {
            #expect(!lexicon.isStopWord(hash: KeywordLexicon.hash(Array(word.utf8))), "\(word)")
        }
    }
}

@Suite struct DocumentScalarsTests {
    @Test func decodedScalarsAreTheStringsUnicodeScalars() {
        let texts = [
            "", "plain ASCII text.", "café – “quoted” ‘single’ … 1,000", "日本語のテキスト", "emoji 👩‍👩‍👧 and 𝄞 clef",
            "e\u{301} combining, Ωmega, \u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}", "\r\n\t\u{0}",
        ]
        for text in texts {
            var copy = text
            let decoded = copy.withUTF8 { Document.scalars(ofUTF8: $0) }
            #expect(decoded == Array(text.unicodeScalars), "\(text)")
        }
    }
}

@Suite struct NameHashTests {
    @Test func phraseHashIsTheCharacterSplitHash() {
        let phrases = [
            "", " ", "bank of england", "  two  spaces ", "São Paulo", "Ludwig van Beethoven", "U.S.", "Côte d’Ivoire",
            "Ελλάδα", "Москва", "a \u{301}b", "e\u{301} acute", "x \u{200D} y", "日本 東京", "trailing ",
        ]
        for phrase in phrases {
            let fast = NameHash.phrase(Substring(phrase))
            let slow = NameHash.characterPhrase(Substring(phrase))
            #expect(fast.hash == slow.hash && fast.count == slow.count, "\(phrase)")
        }
    }
}

@Suite struct JSONWriterFastPathTests {
    @Test func integersAreSpelledLikeString() {
        for value in [0, 7, 9, 10, 11, 99, 100, 101, 12_345, 1_000_000, -1, -9, -10, -12_345, Int.max, Int.min] {
            var writer = JSONWriter(capacity: 1)
            writer.int(value)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == String(value))
        }
    }

    @Test func doublesAreSpelledLikeTheRoundedDescription() {
        // What `double` wrote before its fast path: the description of the value rounded to six places.
        func described(_ value: Double) -> String {
            let rounded = (value * 1_000_000).rounded() / 1_000_000
            return (rounded == 0 ? 0 : rounded).description
        }
        var values: [Double] = [
            0, -0.0, 1, -1, 0.5, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 0.000_1, 0.000_099_9, 0.000_05, 0.000_000_4, 0.000_000_6,
            -0.000_05, 0.001, 0.999_999_7, 9.999_999_5, 123_456.123_456, 4_294_967_295.5, 4_294_967_296, 1e15, 1e16,
            -123.456, 12, 100, 0.05, 0.007, 1.25, 0.125,
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            values.append(Double.random(in: 0...1, using: &generator))
            values.append(Double.random(in: -1_000...1_000, using: &generator))
            values.append(Double(Int.random(in: 0...1_000_000, using: &generator)) / 1_000)
            values.append(Double(Int.random(in: 0...1_000_000, using: &generator)) / 1_000_000)
        }
        for value in values {
            var writer = JSONWriter(capacity: 1)
            writer.double(value)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == described(value), "\(value)")
        }
    }

    @Test func stringsAreEscapedWhereverTheSpecialByteFalls() {
        // A special byte at every position of an 8-byte word, in long ASCII runs and next to UTF-8.
        for special in ["\"", "\\", "\n", "\u{1}", "\u{1F}"] {
            for position in 0..<20 {
                let text = String(repeating: "a", count: position) + special + "bcdefghijklmnopé" + special
                var writer = JSONWriter(capacity: 1)
                writer.string(text)
                var expected = "\""
                for scalar in text.unicodeScalars {
                    switch scalar {
                    case "\"": expected += "\\\""
                    case "\\": expected += "\\\\"
                    case "\n": expected += "\\n"
                    case "\u{1}": expected += "\\u0001"
                    case "\u{1F}": expected += "\\u001f"
                    default: expected.unicodeScalars.append(scalar)
                    }
                }
                expected += "\""
                #expect(String(decoding: writer.bytes, as: UTF8.self) == expected, "\(position) \(special.debugDescription)")
            }
        }
    }
}
