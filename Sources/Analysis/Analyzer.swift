/// How the analyzer behaves; every option has a default that suits news articles.
public struct AnalyzerOptions: Sendable, Equatable {
    /// How many sentences the summary holds (default 3); fewer when the article is shorter.
    public var summarySentences: Int = 3

    public init(summarySentences: Int = 3) {
        self.summarySentences = summarySentences
    }
}

/// The analysis pipeline: an immutable value built once and shared by every worker thread.
///
/// Resources (stop-word tables, later gazetteers and lexicons) are built in `init`, never per article.
/// The stages run in this order on one article, each reading what the earlier ones produced:
/// 1. paragraphs (text) → 2. sentences (paragraphs) → 3. statistics (text, paragraphs, sentences)
/// → 4. language (metadata or text) → 5. summary (sentences).
/// Entities, quotes, dates and keywords are left empty in this version.
public struct Analyzer: Sendable {
    public let options: AnalyzerOptions
    private let languageDetector: LanguageDetector

    public init(options: AnalyzerOptions = .init()) {
        self.options = options
        self.languageDetector = LanguageDetector()
    }

    public func analyze(_ article: Article) -> Analysis {
        // Offsets count Unicode scalars, so every stage works on the scalars, not on (grapheme) Characters.
        let scalars = Array(article.text.unicodeScalars)
        let paragraphs = Segmenter.paragraphs(scalars)
        let sentences = Segmenter.sentences(scalars, paragraphs: paragraphs)
        let statistics = TextStatistics(
            characters: scalars.count,
            words: WordCounter.count(scalars),
            sentences: sentences.count,
            paragraphs: paragraphs.count
        )
        let givenLanguage = article.metadata.language.map(ArticleDecoder.trimmed)
        let language = givenLanguage.flatMap { $0.isEmpty ? nil : $0 } ?? languageDetector.detect(scalars)
        let summary = Array(0..<min(max(options.summarySentences, 0), sentences.count))
        return Analysis(
            article: article,
            language: language,
            paragraphs: paragraphs,
            sentences: sentences,
            statistics: statistics,
            summary: summary
        )
    }
}
