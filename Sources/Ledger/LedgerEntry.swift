import Analysis

/// One processed input as the ledger keeps it: a row of `article`, with its entities and quotes.
///
/// Built from an `Analysis` by the spool, or from an outbox document by the rebuild; both give the same row.
/// The entities and quotes are held as the two JSON columns they become, encoded on the worker that builds
/// the entry: on the writer's thread every string of every row was retained and released again, each an
/// atomic on a cache line another core had just written.
public struct LedgerEntry: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        case processed
        case failed
    }

    /// SHA-256 of the input bytes; nil for a failure that never read the file.
    public var id: String?
    /// The input's name, escaped as documents write it (`DocumentEncoder.escapedName`).
    public var name: String
    /// The result's file name: the outbox document, or the original's name in failed/.
    public var resultName: String?
    public var received: String
    public var published: String?
    public var title: String?
    public var language: String?
    public var outcome: Outcome
    public var errorCode: String?
    public var fingerprint: Fingerprint?
    public var duplicateOf: DuplicateReference?
    /// The `entities` column: a JSON array of `[key, name, type, salience, mentions]`, one per entity (the
    /// `entity` view reads them).
    private var encodedEntities: [UInt8]
    /// The `quotes` column: a JSON array of `[kind, text, speaker, speaker_entity]` (the `quote` view reads them).
    private var encodedQuotes: [UInt8]

    public struct EntityRow: Sendable, Equatable {
        /// The document-local id ("E1"), which quotes' speakers refer to.
        public var key: String
        public var name: String
        public var type: String
        public var salience: Double
        public var mentions: Int

        public init(key: String, name: String, type: String, salience: Double, mentions: Int) {
            self.key = key
            self.name = name
            self.type = type
            self.salience = salience
            self.mentions = mentions
        }
    }

    public struct QuoteRow: Sendable, Equatable {
        public var kind: String
        public var text: String
        /// Who said it: the linked entity's canonical name, else the speaker's own name or text.
        public var speaker: String?
        public var speakerEntity: String?

        public init(kind: String, text: String, speaker: String?, speakerEntity: String?) {
            self.kind = kind
            self.text = text
            self.speaker = speaker
            self.speakerEntity = speakerEntity
        }
    }

    public init(
        id: String?, name: String, resultName: String?, received: String, published: String? = nil,
        title: String? = nil, language: String? = nil, outcome: Outcome, errorCode: String? = nil,
        fingerprint: Fingerprint? = nil, duplicateOf: DuplicateReference? = nil, entities: [EntityRow] = [],
        quotes: [QuoteRow] = []
    ) {
        self.init(
            id: id, name: name, resultName: resultName, received: received, published: published, title: title,
            language: language, outcome: outcome, errorCode: errorCode, fingerprint: fingerprint, duplicateOf: duplicateOf,
            encodedEntities: Self.encode(entities), encodedQuotes: Self.encode(quotes))
    }

    private init(
        id: String?, name: String, resultName: String?, received: String, published: String?, title: String?,
        language: String?, outcome: Outcome, errorCode: String?, fingerprint: Fingerprint?, duplicateOf: DuplicateReference?,
        encodedEntities: [UInt8], encodedQuotes: [UInt8]
    ) {
        self.id = id
        self.name = name
        self.resultName = resultName
        self.received = received
        self.published = published
        self.title = title
        self.language = language
        self.outcome = outcome
        self.errorCode = errorCode
        self.fingerprint = fingerprint
        self.duplicateOf = duplicateOf
        self.encodedEntities = encodedEntities
        self.encodedQuotes = encodedQuotes
    }

    /// Replaces the entities and quotes.
    public mutating func set(entities: [EntityRow], quotes: [QuoteRow]) {
        encodedEntities = Self.encode(entities)
        encodedQuotes = Self.encode(quotes)
    }

    /// The ledger keeps at most this many entities and quotes of one article (in document order): a news
    /// article has dozens, and a 10 MB compilation with 30,000 quotes must not stall the writer.
    public static let maximumEntities = 1_000
    public static let maximumQuotes = 1_000

    /// The row of an analysed article. Its columns are encoded from the analysis directly, with what
    /// `init(…entities:quotes:)` would make of the same rows.
    public init(
        id: String, name: String, outboxName: String, received: String, analysis: Analysis, fingerprint: Fingerprint?,
        duplicateOf: DuplicateReference?
    ) {
        let entities = analysis.entities.prefix(LedgerEntry.maximumEntities)
        let encodedEntities = Self.json(rows: entities.count, capacity: 64 + entities.count * 64) { json, index in
            let entity = entities.startIndex + index
            Self.write(
                key: entities[entity].id, name: entities[entity].name, type: entities[entity].type.rawValue,
                salience: entities[entity].salience, mentions: entities[entity].mentions.count, to: &json)
        }
        let quotes = analysis.quotes.prefix(LedgerEntry.maximumQuotes)
        let encodedQuotes = Self.json(rows: quotes.count, capacity: 64 + quotes.reduce(0) { $0 + $1.text.utf8.count + 64 }) { json, index in
            let quote = quotes.startIndex + index
            let speaker = quotes[quote].speaker
            // The first of the kept entities with that key names it, as in the rebuild.
            let named = speaker?.entity.flatMap { key in entities.first { $0.id == key }?.name }
            Self.write(
                kind: quotes[quote].kind.rawValue, text: quotes[quote].text, speaker: named ?? speaker?.name ?? speaker?.text,
                speakerEntity: speaker?.entity, to: &json)
        }
        self.init(
            id: id, name: name, resultName: outboxName, received: received, published: analysis.article.metadata.published,
            title: analysis.article.metadata.title, language: analysis.language, outcome: .processed, errorCode: nil,
            fingerprint: fingerprint, duplicateOf: duplicateOf, encodedEntities: encodedEntities, encodedQuotes: encodedQuotes)
    }

    /// What names this claim: the same file claimed once (id, name, received). A retry after a crash writes
    /// the same claim again, and the ledger keeps one row for it.
    public var claim: String {
        Ledger.claim(id: id, name: name, received: received)
    }

    /// The `entities` column; nil for a failure.
    var entitiesJSON: [UInt8]? { outcome == .processed ? encodedEntities : nil }

    /// The `quotes` column; nil for a failure.
    var quotesJSON: [UInt8]? { outcome == .processed ? encodedQuotes : nil }

    private static func encode(_ entities: [EntityRow]) -> [UInt8] {
        json(rows: min(entities.count, maximumEntities), capacity: 64 + min(entities.count, maximumEntities) * 64) { json, index in
            write(
                key: entities[index].key, name: entities[index].name, type: entities[index].type,
                salience: entities[index].salience, mentions: entities[index].mentions, to: &json)
        }
    }

    private static func encode(_ quotes: [QuoteRow]) -> [UInt8] {
        let count = min(quotes.count, maximumQuotes)
        return json(rows: count, capacity: 64 + quotes.prefix(count).reduce(0) { $0 + $1.text.utf8.count + 64 }) { json, index in
            write(
                kind: quotes[index].kind, text: quotes[index].text, speaker: quotes[index].speaker,
                speakerEntity: quotes[index].speakerEntity, to: &json)
        }
    }

    /// One entity's values, in the column's order.
    private static func write(key: String, name: String, type: String, salience: Double, mentions: Int, to json: inout JSONWriter) {
        json.string(key)
        json.comma()
        json.string(name)
        json.comma()
        json.string(type)
        json.comma()
        json.double(salience)
        json.comma()
        json.int(mentions)
    }

    /// One quote's values, in the column's order.
    private static func write(kind: String, text: String, speaker: String?, speakerEntity: String?, to json: inout JSONWriter) {
        json.string(kind)
        json.comma()
        json.string(text)
        json.comma()
        json.optionalString(speaker)
        json.comma()
        json.optionalString(speakerEntity)
    }

    /// A JSON array of `rows` arrays, the values of row i written by `values(&json, i)`. By index: handing
    /// each row over as a value copied it, retaining and releasing every string in it.
    private static func json(rows: Int, capacity: Int, _ values: (inout JSONWriter, Int) -> Void) -> [UInt8] {
        var json = JSONWriter(capacity: capacity)
        json.raw("[")
        for index in 0..<rows {
            if index > 0 { json.comma() }
            json.raw("[")
            values(&json, index)
            json.raw("]")
        }
        json.raw("]")
        return json.bytes
    }

    /// The date queries filter on: when it was published, else when newsd received it.
    public var date: String { published ?? received }
}
