/// The input formats newsd reads, named as they appear in the output document's `source.format`.
public enum InputFormat: String, Sendable, CaseIterable {
    case text, markdown, json, html
}

/// What the input says about the article besides its body: front matter, JSON fields or the HTML head.
///
/// Every field is `nil` when the input does not give it, so the document can write `null` rather than guess.
public struct ArticleMetadata: Sendable, Equatable {
    public var title: String?
    /// The publication time, normalised to RFC 3339 UTC ("2021-12-12T00:00:00Z"); `nil` if absent or unparseable.
    public var published: String?
    public var url: String?
    public var author: String?
    public var source: String?
    /// The language as given by the input (front matter or JSON), never detected here.
    public var language: String?

    public init(
        title: String? = nil,
        published: String? = nil,
        url: String? = nil,
        author: String? = nil,
        source: String? = nil,
        language: String? = nil
    ) {
        self.title = title
        self.published = published
        self.url = url
        self.author = author
        self.source = source
        self.language = language
    }
}

/// One decoded article: the body that every offset refers to, and what the input said about it.
public struct Article: Sendable {
    /// The body exactly as analysed: title and front matter excluded, CRLF folded to LF, nothing else changed.
    public var text: String
    public var metadata: ArticleMetadata
    public var format: InputFormat

    public init(text: String, metadata: ArticleMetadata = .init(), format: InputFormat = .text) {
        self.text = text
        self.metadata = metadata
        self.format = format
    }
}

/// The version of the analysis pipeline, written into every document's `pipeline.version`.
public let pipelineVersion: String = "0.1.0"
