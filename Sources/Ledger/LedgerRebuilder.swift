#if canImport(Glibc)
import Glibc
#endif
import Analysis
import Foundation
import GRDB
import Logging

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
    /// there are left alone). Returns the number of documents read; unreadable ones are logged and skipped.
    ///
    /// - Parameter known: result names (outbox documents, failed originals) the ledger already has a row for:
    ///   skipped without being read.
    @discardableResult
    public static func rebuild(
        _ ledger: Ledger, from sources: Sources, known: Set<String> = [], logger: Logger
    ) throws(LedgerError) -> Int {
        var entries: [LedgerEntry] = []
        for name in names(in: sources.outbox) where name.hasSuffix(".json") && !name.hasPrefix(".") && !known.contains(name) {
            guard let data = read(sources.outbox, name) else { continue }
            if let entry = articleEntry(data, resultName: name) {
                entries.append(entry)
            } else {
                logger.warning("skipping an outbox file that is not a newsd/article@1 document", metadata: ["file": "\(name)"])
            }
        }
        if let failed = sources.failed {
            for name in names(in: failed)
            where name.hasSuffix(".error.json") && !name.hasPrefix(".") && !known.contains(String(name.dropLast(".error.json".count))) {
                guard let data = read(failed, name), let entry = errorEntry(data, documentName: name) else { continue }
                entries.append(entry)
            }
        }
        entries.sort { ($0.received, $0.name) < ($1.received, $1.name) }
        do {
            var index = 0
            while index < entries.count {
                let batch = entries[index..<min(entries.count, index + 500)]
                let first = ledger.takeSequences(batch.count)
                try ledger.pool.write { db in
                    for (offset, entry) in batch.enumerated() {
                        try Ledger.insert(entry, sequence: first + Int64(offset), keys: true, in: db)
                    }
                    // Nothing else is in flight while the ledger is rebuilt: when every row below this batch has
                    // its bands, so does every row below its end.
                    try db.execute(
                        sql: "UPDATE meta SET value = ? WHERE key = 'bands_from' AND value = ?",
                        arguments: [first + Int64(batch.count), first])
                }
                ledger.recordInTables(batch)
                index += batch.count
            }
        } catch {
            throw LedgerError("cannot write the rebuilt ledger", underlying: error)
        }
        return entries.count
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
            var mentions: [Ignored]
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

    private struct Ignored: Decodable {}

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
            LedgerEntry.EntityRow(key: $0.id, name: $0.name, type: $0.type, salience: $0.salience, mentions: $0.mentions.count)
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

    private static func read(_ directory: String, _ escapedName: String) -> Data? {
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
    public static func open(
        stateDirectory: String, sources: Sources, nearDuplicateThreshold: Double, logger: Logger
    ) throws(LedgerError) -> Ledger {
        try StateLock.createDirectories(stateDirectory)
        let path = stateDirectory + "/" + fileName
        var existed = access(path, F_OK) == 0
        let ledger: Ledger
        do {
            ledger = try Ledger(path: path, nearDuplicateThreshold: nearDuplicateThreshold, logger: logger)
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
            ledger = try Ledger(path: path, nearDuplicateThreshold: nearDuplicateThreshold, logger: logger)
        }
        if !existed {
            let count = try LedgerRebuilder.rebuild(ledger, from: sources, logger: logger)
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
                let added = try LedgerRebuilder.rebuild(ledger, from: sources, known: known, logger: logger)
                logger.notice("added outbox documents the ledger had no row for", metadata: ["rows": "\(added)", "ledger": "\(path)"])
            }
        }
        return ledger
    }

    public typealias Sources = LedgerRebuilder.Sources

    /// Builds a fresh ledger from `sources` beside the one at `stateDirectory` and swaps it in: what
    /// `newsd reindex` does. The daemon must not be running (it holds the old file open).
    @discardableResult
    public static func reindex(stateDirectory: String, sources: Sources, logger: Logger) throws(LedgerError) -> Int {
        let path = stateDirectory + "/" + fileName
        let fresh = path + ".rebuild"
        for suffix in ["", "-wal", "-shm"] { unlink(fresh + suffix) }
        let ledger = try Ledger(path: fresh, logger: logger)
        let count = try LedgerRebuilder.rebuild(ledger, from: sources, logger: logger)
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
