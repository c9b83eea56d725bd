import Analysis

/// Bytes of one article → its single result document: the analysis, or the error document.
///
/// Shared by the spool's workers and by `newsd process`, so both give the same answer for the same bytes.
public struct DocumentBuilder: Sendable {
    public var analyzer: Analyzer
    public var maximumArticleBytes: Int

    public init(analyzer: Analyzer, maximumArticleBytes: Int) {
        self.analyzer = analyzer
        self.maximumArticleBytes = maximumArticleBytes
    }

    public enum Result: Sendable {
        case article(id: String, document: [UInt8])
        case failure(id: String?, error: InputError, document: [UInt8])

        public var document: [UInt8] {
            switch self {
            case .article(_, let document), .failure(_, _, let document): return document
            }
        }
    }

    /// The format a name announces; a name without an extension is plain text (wire feeds often use none).
    public static func format(of name: [UInt8]) -> InputFormat? {
        ArticleDecoder.format(forFileName: name) ?? (EntryNames.stem(name) == name ? .text : nil)
    }

    /// Analyses `bytes`, read from a file called `name`, as `format` (nil: unsupported).
    public func build(_ bytes: [UInt8], source: SourceDescription) -> Result {
        switch analyze(bytes, source: source) {
        case .failure(let id, let error, let document):
            return .failure(id: id, error: error, document: document)
        case .analysed(let article):
            return .article(id: article.id, document: encode(article, source: source, duplicateOf: nil))
        }
    }

    /// An article analysed and not yet encoded: the spool looks up its duplicates in between.
    public struct Analysed: Sendable {
        public var id: String
        public var analysis: Analysis
        public var durationMicroseconds: Int
    }

    public enum Outcome: Sendable {
        case analysed(Analysed)
        case failure(id: String?, error: InputError, document: [UInt8])
    }

    /// The first half of `build`: decode and analyse.
    public func analyze(_ bytes: [UInt8], source: SourceDescription) -> Outcome {
        guard bytes.count <= maximumArticleBytes else {
            return failureOutcome(nil, source, tooLarge(bytes.count))
        }
        let id = ContentHash.sha256Hex(bytes)
        guard let format = source.format else {
            return failureOutcome(id, source, InputError(
                code: .unsupportedFormat,
                message: "The file name has an extension newsd does not read; use .txt, .md, .json or .html."))
        }
        let article: Article
        do {
            article = try ArticleDecoder.decode(bytes, format: format, maximumBytes: maximumArticleBytes)
        } catch {
            return failureOutcome(id, source, error)
        }
        #if DEBUG
        TestHooks.beforeAnalysis(bytes)
        #endif
        let started = ContinuousClock.now
        let analysis = analyzer.analyze(article)
        let elapsed = (ContinuousClock.now - started).components
        return .analysed(Analysed(
            id: id, analysis: analysis,
            durationMicroseconds: Int(elapsed.seconds * 1_000_000 + elapsed.attoseconds / 1_000_000_000_000)))
    }

    /// The second half of `build`: the `newsd/article@1` document.
    public func encode(_ article: Analysed, source: SourceDescription, duplicateOf: DuplicateReference?) -> [UInt8] {
        DocumentEncoder.article(
            id: article.id, source: source, analysis: article.analysis, duplicateOf: duplicateOf,
            pipelineVersion: pipelineVersion, durationMicroseconds: article.durationMicroseconds)
    }

    private func failureOutcome(_ id: String?, _ source: SourceDescription, _ error: InputError) -> Outcome {
        .failure(id: id, error: error, document: DocumentEncoder.error(id: id, source: source, error: error))
    }

    public func failure(_ id: String?, _ source: SourceDescription, _ error: InputError) -> Result {
        .failure(id: id, error: error, document: DocumentEncoder.error(id: id, source: source, error: error))
    }

    public func tooLarge(_ size: Int) -> InputError {
        InputError(
            code: .tooLarge,
            message: "The file is \(size) bytes, over the limit of \(maximumArticleBytes) bytes (max_article_bytes).")
    }
}
