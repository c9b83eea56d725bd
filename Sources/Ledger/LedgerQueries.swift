import GRDB

/// Questions to the ledger, as `newsd query` asks them. Read-only: it runs beside a daemon writing the
/// same ledger (WAL lets readers and the writer work at once).
public struct LedgerReader: Sendable {
    private let database: DatabasePool

    /// Speakers that are pronouns, as SQL string literals: `speakers` leaves them out unless an entity is linked.
    /// With the possessives a noun cue takes ("your plans for …", "their views on …"), and the contractions
    /// documents written before 2026-12 gave as speakers ("I'm hoping that …"; compared with ’ read as ').
    static let pronouns = [
        "i", "me", "we", "us", "you", "he", "him", "she", "her", "they", "them", "it", "who", "whom", "which", "that",
        "this", "these", "those", "one", "someone", "somebody", "anyone", "everyone",
        "my", "your", "his", "its", "our", "their",
        "i'm", "i've", "i'd", "i'll", "we're", "we've", "we'd", "we'll", "you're", "you've", "you'd", "you'll",
        "he's", "he'd", "he'll", "she's", "she'd", "she'll", "they're", "they've", "they'd", "they'll", "it's",
    ].map { "'" + $0.replacing("'", with: "''") + "'" }.joined(separator: ", ")

    public enum Subject: String, Sendable, CaseIterable {
        /// Who was quoted most: quotes and articles per speaker, with a sample quote.
        case speakers
        /// Who and what was named most: articles and mentions per entity.
        case entities
        /// The quotes themselves, with speaker and article.
        case quotes
        /// The articles (one row per processed input), optionally matching an id prefix or a name.
        case article
        /// Articles with `duplicate_of`, with the earlier article and the similarity.
        case duplicates
    }

    public struct Filter: Sendable {
        /// Inclusive bounds on the publication date (else the received time), as RFC 3339 prefixes:
        /// "2021-12-01" or "2021-12-01T12:00".
        public var since: String?
        public var until: String?
        /// speakers, quotes: the quote kind (direct, mixed, indirect); entities: the entity type (person…);
        /// article: the outcome (processed, failed); duplicates: exact or near.
        public var type: String?
        /// article: an id prefix or an input name; quotes: a speaker.
        public var match: String?
        /// At most this many rows; 0: all.
        public var top: Int

        public init(since: String? = nil, until: String? = nil, type: String? = nil, match: String? = nil, top: Int = 20) {
            self.since = since
            self.until = until
            self.type = type
            self.match = match
            self.top = top
        }
    }

    /// A table of answers: column names and rows of values.
    public struct Table: Sendable, Equatable {
        public var columns: [String]
        public var rows: [[Value]]
    }

    public enum Value: Sendable, Equatable, CustomStringConvertible {
        case text(String)
        case integer(Int64)
        case real(Double)
        case null

        public var description: String {
            switch self {
            case .text(let text): return text
            case .integer(let number): return String(number)
            case .real(let number): return String(number)
            case .null: return ""
            }
        }
    }

    /// Opens the ledger at `path` for reading.
    public init(path: String) throws(LedgerError) {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        do {
            database = try DatabasePool(path: path, configuration: configuration)
            _ = try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM article") }
        } catch {
            throw LedgerError("cannot read the ledger \(path)", underlying: error)
        }
    }

    public func ask(_ subject: Subject, _ filter: Filter) throws(LedgerError) -> Table {
        var conditions = ["1"]
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let since = filter.since {
            conditions.append("a.date >= ?")
            arguments.append(since)
        }
        if let until = filter.until {
            conditions.append("substr(a.date, 1, length(?)) <= ?")
            arguments += [until, until]
        }
        let sql: String
        switch subject {
        case .speakers:
            if let type = filter.type {
                conditions.append("q.kind = ?")
                arguments.append(type)
            }
            // A pronoun no entity stands behind ("I" in an interview, "they") names nobody: counted, it topped
            // the list for the corpus. `newsd query quotes` still shows those quotes.
            conditions.append(
                "(q.speaker_entity IS NOT NULL OR lower(replace(q.speaker, '’', '''')) NOT IN (\(LedgerReader.pronouns)))")
            let filtered = "FROM quote q JOIN article a ON a.seq = q.article WHERE q.speaker IS NOT NULL AND \(conditions.joined(separator: " AND "))"
            sql = """
                WITH chosen AS (SELECT q.speaker AS speaker, q.text AS text, q.article AS article \(filtered))
                SELECT speaker, count(*) AS quotes, count(DISTINCT article) AS articles,
                  (SELECT c2.text FROM chosen c2 WHERE c2.speaker = c.speaker ORDER BY length(c2.text) DESC, c2.text LIMIT 1) AS sample
                FROM chosen c GROUP BY speaker ORDER BY quotes DESC, articles DESC, speaker
                """
        case .entities:
            if let type = filter.type {
                conditions.append("e.type = ?")
                arguments.append(type)
            }
            sql = """
                SELECT e.name AS entity, e.type AS type, count(DISTINCT e.article) AS articles, sum(e.mentions) AS mentions
                FROM entity e JOIN article a ON a.seq = e.article WHERE \(conditions.joined(separator: " AND "))
                GROUP BY e.name, e.type ORDER BY articles DESC, mentions DESC, e.name, e.type
                """
        case .quotes:
            if let type = filter.type {
                conditions.append("q.kind = ?")
                arguments.append(type)
            }
            if let match = filter.match {
                conditions.append("q.speaker = ?")
                arguments.append(match)
            }
            sql = """
                SELECT a.date AS date, q.speaker AS speaker, q.kind AS kind, q.text AS quote, a.name AS article
                FROM quote q JOIN article a ON a.seq = q.article WHERE \(conditions.joined(separator: " AND "))
                ORDER BY a.date, a.name, q.text
                """
        case .article:
            if let type = filter.type {
                conditions.append("a.outcome = ?")
                arguments.append(type)
            }
            if let match = filter.match {
                conditions.append("(a.name = ? OR a.id LIKE ? || '%')")
                arguments += [match, match]
            }
            sql = """
                SELECT a.date AS date, a.name AS name, a.id AS id, a.title AS title, a.language AS language,
                  a.outcome AS outcome, a.error_code AS error, a.result_name AS result,
                  coalesce(json_array_length(a.entities), 0) AS entities,
                  coalesce(json_array_length(a.quotes), 0) AS quotes,
                  a.duplicate_of_name AS duplicate_of, a.similarity AS similarity
                FROM article a WHERE \(conditions.joined(separator: " AND ")) ORDER BY a.date, a.name, a.received
                """
        case .duplicates:
            switch filter.type {
            case "exact": conditions.append("a.duplicate_of_id = a.id")
            case "near": conditions.append("a.duplicate_of_id <> a.id")
            case nil: break
            case let other?: throw LedgerError("--type for duplicates is exact or near, not '\(other)'")
            }
            sql = """
                SELECT a.date AS date, a.name AS name, a.duplicate_of_name AS duplicate_of, a.similarity AS similarity,
                  a.id AS id, a.duplicate_of_id AS duplicate_of_id
                FROM article a WHERE a.duplicate_of_id IS NOT NULL AND \(conditions.joined(separator: " AND "))
                ORDER BY a.date, a.name, a.received
                """
        }
        let limited = filter.top > 0 ? sql + "\nLIMIT \(filter.top)" : sql
        let bound = StatementArguments(arguments.map { $0?.databaseValue ?? .null })
        do {
            return try database.read { db in
                let statement = try db.makeStatement(sql: limited)
                let columns = statement.columnNames
                let rows = try Row.fetchAll(statement, arguments: bound).map { row in
                    columns.indices.map { index -> Value in
                        let value: DatabaseValue = row[index]
                        switch value.storage {
                        case .null: return .null
                        case .int64(let number): return .integer(number)
                        case .double(let number): return .real(number)
                        case .string(let text): return .text(text)
                        case .blob: return .text("(blob)")
                        }
                    }
                }
                return Table(columns: columns, rows: rows)
            }
        } catch {
            throw LedgerError("the query failed", underlying: error)
        }
    }
}
