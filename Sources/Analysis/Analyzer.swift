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
/// Resources (stop-word tables, gazetteers, lexicons) are built in `init`, never per article. The stages
/// run in this order on one `Document`, each reading what the earlier ones produced:
/// paragraphs → sentences → language → tokens → entities → quotes (speakers link to entities) → dates
/// (anchored to the publication date) → keywords → summary. Text in a language other than English gets
/// paragraphs, sentences, statistics and its language, and no English rules.
public struct Analyzer: Sendable {
    public let options: AnalyzerOptions
    private let languageDetector: LanguageDetector
    private let entityRecognizer: EntityRecognizer
    private let quoteExtractor: QuoteExtractor
    private let dateTagger: DateTagger
    private let keywordExtractor: KeywordExtractor
    private let summarizer: Summarizer

    public init(options: AnalyzerOptions = .init()) {
        self.options = options
        self.languageDetector = LanguageDetector()
        self.entityRecognizer = EntityRecognizer()
        self.quoteExtractor = QuoteExtractor()
        self.dateTagger = DateTagger()
        self.keywordExtractor = KeywordExtractor()
        self.summarizer = Summarizer(sentences: options.summarySentences)
    }

    public func analyze(_ article: Article) -> Analysis {
        // Offsets count Unicode scalars, so every stage works on the scalars, not on (grapheme) Characters.
        var document = Document(article)
        document.paragraphs = Segmenter.paragraphs(document.scalars)
        document.sentences = Segmenter.sentences(document.scalars, paragraphs: document.paragraphs)
        let givenLanguage = article.metadata.language.map(ArticleDecoder.trimmed)
        document.language = givenLanguage.flatMap { $0.isEmpty ? nil : $0 } ?? languageDetector.detect(document.scalars)
        let (tokens, words) = Tokenizer.tokenize(document.scalars, sentences: document.sentences)
        document.tokens = tokens
        entityRecognizer.run(&document)
        quoteExtractor.run(&document)
        dateTagger.run(&document)
        keywordExtractor.run(&document)
        summarizer.run(&document)
        let statistics = TextStatistics(
            characters: document.scalars.count,
            words: words,
            sentences: document.sentences.count,
            paragraphs: document.paragraphs.count
        )
        return Analysis(
            article: article,
            language: document.language,
            paragraphs: document.paragraphs,
            sentences: document.sentences,
            statistics: statistics,
            entities: document.entities,
            quotes: document.quotes,
            dates: document.dates,
            keywords: document.keywords,
            summary: document.summary
        )
    }
}
