import Testing
@testable import Analysis

@Suite struct TokenizerTests {
    private func tokens(_ text: String) -> [(String, Token.Kind)] {
        let scalars = Array(text.unicodeScalars)
        let tokens = Tokenizer.tokens(scalars, sentences: [Span(start: 0, end: scalars.count)])
        return tokens.map { token in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[token.start..<token.end])
            return (String(view), token.kind)
        }
    }

    @Test func wordsKeepInnerApostrophesHyphensAndAcronymPeriods() {
        #expect(tokens("The U.S. can’t hold an in-person AT&T talk.").map(\.0)
            == ["The", "U.S.", "can’t", "hold", "an", "in-person", "AT&T", "talk", "."])
    }

    @Test func numbersKeepDecimalsAndThousands() {
        let result = tokens("It rose 3.5% to 1,000 on 5th May.")
        #expect(result.map(\.0) == ["It", "rose", "3.5", "%", "to", "1,000", "on", "5th", "May", "."])
        #expect(result[1].1 == .word && result[2].1 == .number)
    }

    @Test func quotationMarksAreOpeningOrClosingByShapeAndPosition() {
        let result = tokens("He said \u{201C}yes\u{201D} and \"no\" to the leaders\u{2019} plan.")
        let marks = result.filter { $0.1 == .openingQuote || $0.1 == .closingQuote }
        #expect(marks.map(\.1) == [.openingQuote, .closingQuote, .openingQuote, .closingQuote, .closingQuote])
    }

    @Test func aLongRunOfDottedLettersIsLinear() {
        let text = String(repeating: "a.", count: 100_000)
        #expect(tokens(text).count >= 1)
    }
}
