import Testing

@testable import Analysis

/// Shared helpers: spans as the strings they cover, counted in Unicode scalars as the schema requires.
enum Support {
    static let analyzer = Analyzer()

    static func substring(_ text: String, _ start: Int, _ end: Int) -> String {
        let scalars = Array(text.unicodeScalars)
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }

    static func texts(_ text: String, _ spans: [Span]) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return spans.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) }
    }

    static func sentences(_ text: String) -> [String] {
        let analysis = analyzer.analyze(Article(text: text))
        return texts(text, analysis.sentences)
    }

    static func paragraphs(_ text: String) -> [String] {
        let analysis = analyzer.analyze(Article(text: text))
        return texts(text, analysis.paragraphs)
    }

    static func decode(_ text: String, _ format: InputFormat = .text) throws(InputError) -> Article {
        try ArticleDecoder.decode(Array(text.utf8), format: format, maximumBytes: 10 << 20)
    }

    static func decodeError(_ bytes: [UInt8], _ format: InputFormat = .text, maximumBytes: Int = 10 << 20) -> InputError? {
        do {
            _ = try ArticleDecoder.decode(bytes, format: format, maximumBytes: maximumBytes)
            return nil
        } catch {
            return error
        }
    }
}
