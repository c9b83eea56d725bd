#if canImport(Glibc)
import Glibc
#endif
import Analysis
import Dispatch
import Foundation
import GRDB
import Logging
import Synchronization

/// Makes the ledger's rows from the documents, the source of truth: every `newsd/article@1` in the outbox
/// and every `newsd/error@1` in failed/. Used by `newsd reindex` and when the daemon finds its ledger
/// missing or damaged at start-up.
///
/// Documents carry everything a row holds (the text for the fingerprint, `duplicate_of` as it was written),
/// so a rebuilt ledger answers queries as the lost one did. Rows go in in the order the inputs were
/// received, which keeps "the earliest similar article" the same for articles still to come.
public enum LedgerRebuilder {
    /// Where the documents are.
    public struct Sources: Sendable {
        public var outbox: String
        public var failed: String?

        public init(outbox: String, failed: String?) {
            self.outbox = outbox
            self.failed = failed
        }
    }

    /// Inserts a row for every document in `sources` into `ledger` (which should be empty; claims already
    /// there are left alone). Returns the number of rows written; unreadable documents are logged and skipped.
    ///
    /// Two passes, so that memory grows by a few hundred bytes a document rather than by its row (about 5 KB:
    /// holding the rows of 20,000 documents took the rebuild to 147 MB): first the order, from each document's
    /// received time and name alone, then the rows, a chunk at a time in that order. Both passes read and
    /// decode documents on every core; one transaction writes each chunk. The keys come last
    /// (`Ledger.deriveMissingKeys`).
    ///
    /// - Parameter known: result names (outbox documents, failed originals) the ledger already has a row for:
    ///   skipped without being read.
    /// - Parameter progress: called after each chunk of either pass and each pass over the keys, with how far
    ///   that phase is: the daemon extends systemd's start timeout with it.
    @discardableResult
    public static func rebuild(
        _ ledger: Ledger, from sources: Sources, known: Set<String> = [], logger: Logger,
        progress: (@Sendable (Progress) -> Void)? = nil
    ) throws(LedgerError) -> Int {
        let articles = names(in: sources.outbox).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") && !known.contains($0) }
        let errors = sources.failed.map { failed in
            names(in: failed).filter {
                $0.hasSuffix(".error.json") && !$0.hasPrefix(".") && !known.contains(String($0.dropLast(".error.json".count)))
            }
        } ?? []
        let total = articles.count + errors.count
        var documents: [Listed] = []
        var listed = 0
        for (directory, names, isError) in [(sources.outbox, articles, false), (sources.failed ?? "", errors, true)] {
            var start = 0
            while start < names.count {
                let slice = Array(names[start..<min(names.count, start + listingChunkSize)])
                start += slice.count
                let keys = concurrentMap(slice) { orderKey(read(directory, $0), schema: isError ? "newsd/error@1" : "newsd/article@1") }
                for (name, key) in zip(slice, keys) {
                    if let key {
                        documents.append(Listed(key: key, directory: directory, name: name, isError: isError))
                    } else if !isError {
                        logger.warning("skipping an outbox file that is not a newsd/article@1 document", metadata: ["file": "\(name)"])
                    }
                }
                listed += slice.count
                progress?(Progress(phase: .listing, done: listed, total: total))
            }
        }
        // In the order the inputs were received: "the earliest similar article" stays the same for articles
        // still to come.
        documents.sort { $0.key < $1.key }
        var written = 0
        do {
            var index = 0
            while index < documents.count {
                let chunk = Array(documents[index..<min(documents.count, index + chunkSize)])
                index += chunk.count
                let batch = concurrentMap(chunk) { document -> LedgerEntry? in
                    guard let data = read(document.directory, document.name) else { return nil }
                    return document.isError
                        ? errorEntry(data, documentName: document.name) : articleEntry(data, resultName: document.name)
                }.compactMap { $0 }
                if batch.count < chunk.count {
                    logger.warning("documents changed or went away during the rebuild; their rows are missing", metadata: [
                        "documents": "\(chunk.count - batch.count)"
                    ])
                }
                guard !batch.isEmpty else { continue }
                let first = ledger.takeSequences(batch.count)
                // The rows alone: their keys are derived at the end, sorted (`deriveMissingKeys`); until then
                // `bands_from` says they lack them, so a rebuild cut short is completed at the next open.
                try ledger.pool.write { db in
                    for (offset, entry) in batch.enumerated() {
                        try Ledger.insert(entry, sequence: first + Int64(offset), in: db)
                    }
                }
                ledger.recordInTables(batch)
                written += batch.count
                progress?(Progress(phase: .writing, done: index, total: documents.count))
            }
            let bands = try Ledger.deriveMissingKeys(in: ledger.pool) { done, total in
                progress?(Progress(phase: .keys, done: done, total: total))
            }
            ledger.bandRowsAdded(bands)
        } catch {
            throw LedgerError("cannot write the rebuilt ledger", underlying: error)
        }
        return written
    }

    /// Signs the ledger's rows again after an upgrade changed the fingerprint, then derives every row's keys
    /// afresh. Rows v9 left without a fingerprint (it keys words by their letters, and a stored fingerprint
    /// cannot be made again without the text) are signed from their outbox documents: a row whose document is
    /// gone (a consumer took it away) or no longer its article's keeps its exact match only. Since v10 the
    /// signature leaves common words out, and every signature is made again from its row's shingle keys.
    /// Runs while the ledger says it is needed (`Ledger.needsSigningAgain`), so a pass cut short goes on at
    /// the next open. Returns how many rows were signed from their keys, how many from their documents, and
    /// how many had no document to sign them from.
    public static func signAgain(
        _ ledger: Ledger, outbox: String, progress: (@Sendable (Progress) -> Void)? = nil
    ) throws(LedgerError) -> (fromKeys: Int, fromDocuments: Int, missing: Int) {
        let marks = try ledger.signingMarks()
        do {
            let fromKeys = marks.contains(Ledger.signFromKeysKey) ? try signFromKeys(ledger, progress: progress) : 0
            let (fromDocuments, missing) =
                marks.contains(Ledger.signAgainKey) ? try signFromDocuments(ledger, outbox: outbox, progress: progress) : (0, 0)
            try ledger.pool.write { db in try Ledger.forgetKeys(in: db) }
            let bands = try Ledger.deriveMissingKeys(in: ledger.pool) { done, total in
                progress?(Progress(phase: .keys, done: done, total: total))
            }
            ledger.bandRowsAdded(bands)
            try ledger.pool.write { db in
                try db.execute(
                    sql: "DELETE FROM meta WHERE key IN (?, ?)", arguments: [Ledger.signAgainKey, Ledger.signFromKeysKey])
            }
            return (fromKeys, fromDocuments, missing)
        } catch {
            throw LedgerError("cannot sign the ledger's rows again", underlying: error)
        }
    }

    /// Signs the rows v9 left without a fingerprint from their outbox documents, a chunk at a time by
    /// sequence, so memory stays flat however large the ledger. Returns how many rows it signed, and how many
    /// had no document (or one that is no longer theirs).
    static func signFromDocuments(
        _ ledger: Ledger, outbox: String, progress: (@Sendable (Progress) -> Void)?
    ) throws -> (signed: Int, missing: Int) {
        /// What signing a row again from its outbox document gave.
        enum Resigned: Sendable {
            /// The document is gone (a consumer took it), or is not this row's: the row keeps its exact match only.
            case noDocument
            /// Its fingerprint; nil for a document without content words.
            case signed(Fingerprint?)
        }

        struct Unsigned: Sendable {
            var sequence: Int64
            var id: String
            var resultName: String
        }
        struct Signed: Decodable {
            var id: String?
            var text: String
        }
        var signed = 0
        var missing = 0
        let unsigned = "outcome = 'processed' AND fingerprint IS NULL AND id IS NOT NULL AND result_name IS NOT NULL"
        try forEachChunk(of: ledger, columns: "id, result_name", where: unsigned, phase: .signing, progress: progress) { rows in
            let chunk = rows.map { Unsigned(sequence: $0["seq"], id: $0["id"], resultName: $0["result_name"]) }
            let signatures = concurrentMap(chunk) { row -> Resigned in
                guard let data = read(outbox, row.resultName),
                    let document = try? JSONDecoder().decode(Signed.self, from: data), document.id == row.id
                else { return .noDocument }
                return .signed(Fingerprint(text: document.text))
            }
            try ledger.pool.write { db in
                let update = try db.cachedStatement(sql: "UPDATE article SET fingerprint = ?, shingles = ?, shingle_keys = ? WHERE seq = ?")
                for (row, signature) in zip(chunk, signatures) {
                    switch signature {
                    case .noDocument:
                        missing += 1
                    case .signed(nil):
                        signed += 1  // a document without content words: no fingerprint, as when it was written
                    case .signed(let fingerprint?):
                        signed += 1
                        try update.execute(arguments: [
                            Data(fingerprint.bytes), fingerprint.shingles, Data(fingerprint.shingleKeyBytes), row.sequence,
                        ])
                    }
                }
            }
        }
        return (signed, missing)
    }

    /// Makes every stored signature again from its row's shingle keys (`Fingerprint.signature(ofKeys:)`), a
    /// chunk of rows a transaction, in sequence order. Doing it twice gives the same signatures. Returns how
    /// many rows it signed.
    static func signFromKeys(_ ledger: Ledger, progress: (@Sendable (Progress) -> Void)?) throws -> Int {
        let signedRows = "fingerprint IS NOT NULL AND shingle_keys IS NOT NULL"
        return try forEachChunk(of: ledger, columns: "shingle_keys", where: signedRows, phase: .signingFromKeys, progress: progress) { rows in
            let chunk = rows.map { row -> (sequence: Int64, keys: [UInt32]) in
                (row["seq"], Fingerprint.values(littleEndian: Array(row["shingle_keys"] as Data? ?? Data())))
            }
            let signatures = concurrentMap(chunk) { row in
                row.keys.isEmpty ? nil : Data(Fingerprint.littleEndian(Fingerprint.signature(ofKeys: row.keys)))
            }
            try ledger.pool.write { db in
                let update = try db.cachedStatement(sql: "UPDATE article SET fingerprint = ? WHERE seq = ?")
                for (row, signature) in zip(chunk, signatures) { try update.execute(arguments: [signature, row.sequence]) }
            }
        }
    }

    /// Hands the rows that match `condition` (their `seq` and `columns`) to `body` in sequence order,
    /// `chunkSize` at a time, each chunk read on its own, and reports each chunk done as `phase`: memory stays
    /// flat however large the ledger. Returns how many rows it handed over.
    @discardableResult
    private static func forEachChunk(
        of ledger: Ledger, columns: String, where condition: String, phase: Progress.Phase,
        progress: (@Sendable (Progress) -> Void)?, _ body: ([Row]) throws -> Void
    ) throws -> Int {
        let total = try ledger.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM article WHERE \(condition)") ?? 0 }
        var after: Int64 = 0
        var done = 0
        while true {
            let rows = try ledger.pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT seq, \(columns) FROM article WHERE seq > ? AND \(condition) ORDER BY seq LIMIT ?",
                    arguments: [after, chunkSize])
            }
            guard let last = rows.last else { break }
            after = last["seq"]
            try body(rows)
            done += rows.count
            progress?(Progress(phase: phase, done: done, total: total))
        }
        return done
    }

    /// Documents a transaction of the rebuild takes: a few MB of rows in memory.
    static let chunkSize = 512
    /// Documents the first pass reads between two progress reports.
    static let listingChunkSize = 4096

    /// How far a rebuild is.
    public struct Progress: Sendable, Equatable {
        public enum Phase: String, Sendable {
            /// Reading each document's received time and name.
            case listing
            /// Making and writing the rows, in the order the inputs were received.
            case writing
            /// Signing rows again from their documents, after an upgrade changed the fingerprint (`signAgain`).
            case signing
            /// Making rows' signatures again from their shingle keys, after an upgrade changed the signature
            /// (`signAgain`).
            case signingFromKeys
            /// Deriving the rows' keys, one range of the key space a pass.
            case keys
            /// Checking the ledger's integrity as it opens (`PRAGMA quick_check`, which reads every page):
            /// `total` is its pages, `done` the seconds it has taken so far.
            case checking
        }

        public var phase: Phase
        /// Documents (key ranges, for `keys`) done and to do in this phase.
        public var done: Int
        public var total: Int

        /// "writing 512 of 20000 documents", "keys 3 of 16 key ranges", "checking 8000 pages: 3 s so far".
        public var description: String {
            switch phase {
            case .keys: "keys \(done) of \(total) key ranges"
            case .signingFromKeys: "signing \(done) of \(total) articles"
            case .checking: "checking \(total) pages: \(done) s so far"
            default: "\(phase.rawValue) \(done) of \(total) documents"
            }
        }

        /// What the daemon is doing, for systemd's STATUS=: a rebuild, signing rows again after an upgrade, or
        /// deriving keys (after either, or after a crash), and how far it is.
        public var status: String {
            switch phase {
            case .listing, .writing: "rebuilding the ledger from the outbox: \(description)"
            case .signing: "signing the ledger's articles again from the outbox (new fingerprints): \(description)"
            case .signingFromKeys: "signing the ledger's articles again (new fingerprints): \(description)"
            case .keys: "indexing the ledger for duplicates: \(description)"
            case .checking: "checking the ledger's integrity: \(description)"
            }
        }
    }

    /// A document the rebuild will read again for its row.
    struct Listed: Sendable {
        var key: OrderKey
        var directory: String
        var name: String
        var isError: Bool
    }

    /// Where a document's row goes: by the time its input was received, then by its name.
    struct OrderKey: Sendable, Comparable {
        var received: String
        var name: String

        static func < (lhs: OrderKey, rhs: OrderKey) -> Bool { (lhs.received, lhs.name) < (rhs.received, rhs.name) }
    }

    /// The order key of a document with `schema`; nil when `data` is not one.
    static func orderKey(_ data: Data?, schema: String) -> OrderKey? {
        guard let data, let document = try? JSONDecoder().decode(KeyedDocument.self, from: data), document.schema == schema
        else { return nil }
        return OrderKey(received: document.source.received, name: document.source.name)
    }

    /// `transform` of each of `items`, in order, computed on every core.
    static func concurrentMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        let results = Mutex<[R?]>(Array(repeating: nil, count: items.count))
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            let result = transform(items[index])
            results.withLock { $0[index] = result }
        }
        return results.withLock { $0.map { $0! } }
    }

    // MARK: Documents

    private struct ArticleDocument: Decodable {
        struct Source: Decodable {
            var name: String
            var received: String
        }
        struct Meta: Decodable {
            var title: String?
            var published: String?
            var language: String?
        }
        struct EntityValue: Decodable {
            var id: String
            var name: String
            var type: String
            var salience: Double
            /// How many mentions: counted, not decoded. Arrays decoded element by element took about a third of a
            /// rebuild's time (perf), and most of their elements are mentions.
            var mentions: Int

            enum CodingKeys: String, CodingKey { case id, name, type, salience, mentions }

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                id = try container.decode(String.self, forKey: .id)
                name = try container.decode(String.self, forKey: .name)
                type = try container.decode(String.self, forKey: .type)
                salience = try container.decode(Double.self, forKey: .salience)
                let list = try container.nestedUnkeyedContainer(forKey: .mentions)
                guard let count = list.count else {
                    throw DecodingError.dataCorruptedError(in: list, debugDescription: "an array of unknown length")
                }
                mentions = count
            }
        }
        struct Speaker: Decodable {
            var entity: String?
            var name: String?
            var text: String?
        }
        struct QuoteValue: Decodable {
            var kind: String
            var text: String
            var speaker: Speaker?
        }
        struct Duplicate: Decodable {
            var id: String
            var name: String
            var similarity: Double
        }
        var schema: String
        var id: String
        var source: Source
        var meta: Meta
        var text: String
        var entities: [EntityValue]
        var quotes: [QuoteValue]
        var duplicate_of: Duplicate?
    }

    /// What the first pass reads of either kind of document.
    private struct KeyedDocument: Decodable {
        struct Source: Decodable {
            var name: String
            var received: String
        }
        var schema: String
        var source: Source
    }

    private struct ErrorDocument: Decodable {
        struct Source: Decodable {
            var name: String
            var received: String
        }
        struct Failure: Decodable {
            var code: String
        }
        var schema: String
        var id: String?
        var source: Source
        var error: Failure
    }

    static func articleEntry(_ data: Data, resultName: String) -> LedgerEntry? {
        guard let document = try? JSONDecoder().decode(ArticleDocument.self, from: data), document.schema == "newsd/article@1"
        else { return nil }
        let entities = document.entities.map {
            LedgerEntry.EntityRow(key: $0.id, name: $0.name, type: $0.type, salience: $0.salience, mentions: $0.mentions)
        }
        let names = Dictionary(entities.map { ($0.key, $0.name) }, uniquingKeysWith: { first, _ in first })
        let quotes = document.quotes.map { quote in
            let entity = quote.speaker?.entity
            return LedgerEntry.QuoteRow(
                kind: quote.kind, text: quote.text,
                speaker: entity.flatMap { names[$0] } ?? quote.speaker?.name ?? quote.speaker?.text, speakerEntity: entity)
        }
        return LedgerEntry(
            id: document.id, name: document.source.name, resultName: resultName, received: document.source.received,
            published: document.meta.published, title: document.meta.title, language: document.meta.language,
            outcome: .processed, fingerprint: Fingerprint(text: document.text),
            duplicateOf: document.duplicate_of.map { DuplicateReference(id: $0.id, name: $0.name, similarity: $0.similarity) },
            entities: entities, quotes: quotes)
    }

    static func errorEntry(_ data: Data, documentName: String) -> LedgerEntry? {
        guard let document = try? JSONDecoder().decode(ErrorDocument.self, from: data), document.schema == "newsd/error@1"
        else { return nil }
        return LedgerEntry(
            id: document.id, name: document.source.name, resultName: String(documentName.dropLast(".error.json".count)),
            received: document.source.received, outcome: .failed, errorCode: document.error.code)
    }

    // MARK: Files (raw names: a name that is not UTF-8 is read by its bytes and written escaped)

    /// The entries of `directory`, escaped as documents write names.
    static func names(in directory: String) -> [String] {
        rawNames(in: directory).map(DocumentEncoder.escapedName)
    }

    static func rawNames(in directory: String) -> [[UInt8]] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var result: [[UInt8]] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            result.append(name)
        }
        return result
    }

    static func read(_ directory: String, _ escapedName: String) -> Data? {
        let path = Array(directory.utf8) + [UInt8(ascii: "/")] + DocumentEncoder.unescapedName(escapedName) + [0]
        let descriptor = path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        }
        guard descriptor >= 0 else { return nil }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true).readDataToEndOfFile()
    }
}

extension LedgerEntry {
    /// The row an outbox document (`newsd/article@1`) stands for, as a rebuild makes it; nil when `bytes` is
    /// not one. A retry that finds its earlier attempt's document records this, so the row says what the
    /// document says.
    public init?(articleDocument bytes: [UInt8], resultName: String) {
        guard let entry = LedgerRebuilder.articleEntry(Data(bytes), resultName: resultName) else { return nil }
        self = entry
    }
}

extension Ledger {
    /// Reserves `count` consecutive sequence numbers and returns the first.
    func takeSequences(_ count: Int) -> Int64 {
        nextSequence.add(Int64(count), ordering: .relaxed).oldValue
    }

    /// Opens the ledger in `stateDirectory`, making sure it holds every result in `sources`:
    /// - a missing ledger is created and filled from the documents (first start, or deleted while stopped);
    /// - one that SQLite finds damaged is moved aside (`ledger.sqlite.broken-<time>`), logged, and rebuilt the
    ///   same way. Articles are never lost: the documents are the truth. Any other failure to open it (an I/O
    ///   error, a permission) is thrown: a transient fault must not cost the rows of documents consumers have
    ///   already taken away; the daemon exits and systemd starts it again.
    ///
    /// `progress` is called as a rebuild (or the pass that adds missing documents) goes on.
    public static func open(
        stateDirectory: String, sources: Sources, nearDuplicateThreshold: Double, logger: Logger,
        progress: (@Sendable (LedgerRebuilder.Progress) -> Void)? = nil
    ) throws(LedgerError) -> Ledger {
        try StateLock.createDirectories(stateDirectory)
        let path = stateDirectory + "/" + fileName
        var existed = access(path, F_OK) == 0
        let ledger: Ledger
        do {
            ledger = try Ledger(path: path, nearDuplicateThreshold: nearDuplicateThreshold, progress: progress, logger: logger)
        } catch where error.isDamage {
            let aside = path + ".broken-\(time(nil))"
            logger.error("the ledger cannot be opened; moving it aside and rebuilding it from the outbox", metadata: [
                "error": "\(error)", "ledger": "\(path)", "moved_to": "\(aside)",
            ])
            for suffix in ["", "-wal", "-shm"] where access(path + suffix, F_OK) == 0 {
                if rename(path + suffix, aside + suffix) != 0 {
                    throw LedgerError("cannot move the broken ledger aside: \(String(cString: strerror(errno)))", underlying: error)
                }
            }
            existed = false
            ledger = try Ledger(path: path, nearDuplicateThreshold: nearDuplicateThreshold, progress: progress, logger: logger)
        }
        if !existed {
            let count = try LedgerRebuilder.rebuild(ledger, from: sources, logger: logger, progress: progress)
            if count > 0 {
                logger.notice("rebuilt the ledger from the outbox", metadata: ["rows": "\(count)", "ledger": "\(path)"])
            }
        } else {
            // Documents the ledger has no row for (written while `ledger` was false, or rows lost with a
            // power cut after the documents were durable): added now. Consumers may have taken documents
            // away; that is no reason to read them all, so only a shortfall triggers the pass.
            let documents = LedgerRebuilder.rawNames(in: sources.outbox).filter {
                $0.first != UInt8(ascii: ".") && $0.suffix(5).elementsEqual(".json".utf8)
            }.count
            let rows: Int
            do {
                rows = try ledger.pool.read { db in
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM article WHERE outcome = 'processed'") ?? 0
                }
            } catch {
                throw LedgerError("cannot count the ledger's rows", underlying: error)
            }
            if documents > rows {
                let known: Set<String>
                do {
                    known = Set(try ledger.pool.read { db in
                        try String.fetchAll(db, sql: "SELECT result_name FROM article WHERE result_name IS NOT NULL")
                    })
                } catch {
                    throw LedgerError("cannot read the ledger's rows", underlying: error)
                }
                let added = try LedgerRebuilder.rebuild(ledger, from: sources, known: known, logger: logger, progress: progress)
                logger.notice("added outbox documents the ledger had no row for", metadata: ["rows": "\(added)", "ledger": "\(path)"])
            }
            if try ledger.needsSigningAgain() {
                let (fromKeys, fromDocuments, missing) = try LedgerRebuilder.signAgain(ledger, outbox: sources.outbox, progress: progress)
                if fromKeys > 0 {
                    logger.notice(
                        "signed the ledger's earlier articles again (near-duplicate fingerprints changed)",
                        metadata: ["rows": "\(fromKeys)", "ledger": "\(path)"])
                }
                if fromDocuments > 0 || missing > 0 {
                    logger.notice(
                        "signed the ledger's earlier articles again from their outbox documents (near-duplicate fingerprints changed)",
                        metadata: ["rows": "\(fromDocuments)", "ledger": "\(path)"])
                }
                if missing > 0 {
                    logger.warning(
                        "\(missing) earlier articles have no outbox document to sign them again from: they are found as exact copies only",
                        metadata: ["rows": "\(missing)", "ledger": "\(path)"])
                }
            }
        }
        return ledger
    }

    public typealias Sources = LedgerRebuilder.Sources

    /// Builds a fresh ledger from `sources` beside the one at `stateDirectory` and swaps it in: what
    /// `newsd reindex` does. The daemon must not be running (it holds the old file open).
    @discardableResult
    public static func reindex(
        stateDirectory: String, sources: Sources, logger: Logger, progress: (@Sendable (LedgerRebuilder.Progress) -> Void)? = nil
    ) throws(LedgerError) -> Int {
        let path = stateDirectory + "/" + fileName
        let fresh = path + ".rebuild"
        for suffix in ["", "-wal", "-shm"] { unlink(fresh + suffix) }
        let ledger = try Ledger(path: fresh, logger: logger)
        let count = try LedgerRebuilder.rebuild(ledger, from: sources, logger: logger, progress: progress)
        do {
            // Everything into the main file, so it can move alone.
            _ = try ledger.pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        } catch {
            throw LedgerError("cannot finish the rebuilt ledger", underlying: error)
        }
        ledger.close()
        for suffix in ["-wal", "-shm"] { unlink(path + suffix) }
        guard rename(fresh, path) == 0 else {
            throw LedgerError("cannot move the rebuilt ledger into place: \(String(cString: strerror(errno)))")
        }
        for suffix in ["-wal", "-shm"] { unlink(fresh + suffix) }
        return count
    }
}
