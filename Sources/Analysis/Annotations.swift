/// A half-open range of Unicode scalar (code point) offsets into an article's text.
public struct Span: Sendable, Equatable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}

/// Counts over the analysed text; `characters` counts Unicode scalars, as offsets do.
public struct TextStatistics: Sendable, Equatable {
    public var characters: Int
    public var words: Int
    public var sentences: Int
    public var paragraphs: Int

    public init(characters: Int, words: Int, sentences: Int, paragraphs: Int) {
        self.characters = characters
        self.words = words
        self.sentences = sentences
        self.paragraphs = paragraphs
    }
}

/// A stretch of the text together with the text it covers (`text[start..<end]` by code points).
public struct Mention: Sendable, Equatable {
    public var start: Int
    public var end: Int
    public var text: String

    public init(start: Int, end: Int, text: String) {
        self.start = start
        self.end = end
        self.text = text
    }
}

/// A named thing the article talks about, with every place it is mentioned.
public struct Entity: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case person, organization, location, nationality, other
    }

    /// Stable within one document ("e1", "e2", …); quotes refer to it.
    public var id: String
    /// The canonical name: the fullest form the article uses.
    public var name: String
    public var type: Kind
    /// Roles the article gives the entity, as written ("Russian President").
    public var titles: [String]
    /// How central the entity is to the article, 0...1.
    public var salience: Double
    public var mentions: [Mention]

    public init(id: String, name: String, type: Kind, titles: [String] = [], salience: Double, mentions: [Mention]) {
        self.id = id
        self.name = name
        self.type = type
        self.titles = titles
        self.salience = salience
        self.mentions = mentions
    }
}

/// Something someone said, as quoted or reported.
public struct Quote: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The whole content is inside quotation marks.
        case direct
        /// Partly quoted, partly paraphrased.
        case mixed
        /// Reported speech without quotation marks.
        case indirect
    }

    /// Who said it: the mention in the text and, when resolved, the entity it refers to.
    public struct Speaker: Sendable, Equatable {
        public var entity: String?
        public var name: String?
        public var start: Int
        public var end: Int
        public var text: String

        public init(entity: String? = nil, name: String? = nil, start: Int, end: Int, text: String) {
            self.entity = entity
            self.name = name
            self.start = start
            self.end = end
            self.text = text
        }
    }

    public var kind: Kind
    /// The quoted content, without the quotation marks.
    public var start: Int
    public var end: Int
    public var text: String
    /// `nil` when unknown; never guessed at random.
    public var speaker: Speaker?
    /// The verb that introduces the quote ("said", "told"); `nil` when unknown.
    public var cue: Mention?

    public init(kind: Kind, start: Int, end: Int, text: String, speaker: Speaker? = nil, cue: Mention? = nil) {
        self.kind = kind
        self.start = start
        self.end = end
        self.text = text
        self.speaker = speaker
        self.cue = cue
    }
}

/// A temporal expression, anchored to the publication date when possible.
public struct DateMention: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case date, time, duration, set
    }

    public var start: Int
    public var end: Int
    public var text: String
    public var type: Kind
    /// An ISO 8601 / TIMEX3-style value ("2021-12-12", "2021-W49"); `nil` when it cannot be anchored.
    public var value: String?

    public init(start: Int, end: Int, text: String, type: Kind, value: String? = nil) {
        self.start = start
        self.end = end
        self.text = text
        self.type = type
        self.value = value
    }
}

/// A phrase that says what the article is about; higher scores first.
public struct Keyword: Sendable, Equatable {
    public var phrase: String
    public var score: Double

    public init(phrase: String, score: Double) {
        self.phrase = phrase
        self.score = score
    }
}

/// One analysed article: the article itself and every layer the pipeline adds to it.
public struct Analysis: Sendable {
    public var article: Article
    /// `metadata.language` if the input gave it, else the detected ISO 639-1 code, `nil` if unsure.
    public var language: String?
    public var paragraphs: [Span]
    public var sentences: [Span]
    public var statistics: TextStatistics
    public var entities: [Entity]
    public var quotes: [Quote]
    public var dates: [DateMention]
    public var keywords: [Keyword]
    /// Indices into `sentences`, in text order.
    public var summary: [Int]

    public init(
        article: Article,
        language: String? = nil,
        paragraphs: [Span] = [],
        sentences: [Span] = [],
        statistics: TextStatistics = .init(characters: 0, words: 0, sentences: 0, paragraphs: 0),
        entities: [Entity] = [],
        quotes: [Quote] = [],
        dates: [DateMention] = [],
        keywords: [Keyword] = [],
        summary: [Int] = []
    ) {
        self.article = article
        self.language = language
        self.paragraphs = paragraphs
        self.sentences = sentences
        self.statistics = statistics
        self.entities = entities
        self.quotes = quotes
        self.dates = dates
        self.keywords = keywords
        self.summary = summary
    }
}
