#if canImport(Glibc)
import Glibc
#endif
import Analysis
import Dispatch
import Foundation
import GRDB
import GRDBSQLite
import Logging
import Synchronization

/// The corpus ledger: an SQLite database (WAL, through a GRDB `DatabasePool`) in the spool's state/ folder
/// with one row per processed input, its entities and quotes, and the MinHash bands that find near-duplicates.
///
/// Many workers, one writer. Workers ask `reserve` for an article's `duplicate_of` (which also makes the
/// article visible to every later lookup at once, before its row is written), then `commit` its row and
/// wait: a single writer commits whatever rows are waiting in one transaction (a group commit), so the
/// ledger costs one fsync per batch, not per article. A row is committed before its input is disposed of.
///
/// The band index is the exception: its keys are random, so a row's 32 band entries would dirty 32 pages
/// of the B-tree in every transaction, and the WAL would carry ~200 KB per article. Committed articles stay
/// in the in-memory index instead, and their bands go to the table in one sorted transaction every
/// `bandFlushThreshold` articles (and at `close`). The bands are derived from the `fingerprint` column, so
/// a crash loses nothing: `meta.bands_from` says from which sequence the table may lack them, and opening
/// the ledger derives those again.
///
/// Even sorted, a flush's 131,000 rows land all over the key space, so each flush rewrote every page of the
/// band index, and a flush's cost grew with the ledger (the writer's CPU per article went from 53 µs at
/// 5,840 articles to 113 µs at 292,000). Flushes therefore write into `band` (and `id_key`), which are
/// kept small: once `band` holds `bandMergeThreshold` rows, the rows of both move into `band_merged` (and
/// `id_key_merged`) a key range at a time (`BandMerge`), which rewrites the large indexes once per merge
/// rather than once per flush. Lookups read both once a merge has begun.
///
/// The outbox stays the truth: `LedgerRebuilder` makes the same rows from the outbox and failed/ documents.
public final class Ledger: Sendable {
    /// The file name inside the state folder.
    public static let fileName = "ledger.sqlite"
    /// Rows one transaction of the writer takes at most.
    static let maximumBatch = 512
    /// Committed articles whose bands wait in memory at most before one transaction writes them all: about
    /// 6 MiB of memory, and the band table's pages written once per 4,096 articles rather than per batch.
    /// The articles a flush writes stay in memory until the next one (`PendingIndex.remembered`), so lookups
    /// find the last 4,096 to 8,192 articles without SQLite.
    public static let defaultBandFlushThreshold = 4096
    /// The same bound in bytes of fingerprints held (signatures and shingle keys): a run of very long
    /// articles flushes sooner than every 4,096.
    static let bandFlushBytes = 32 << 20
    /// The smallest key filter, in 64-bit words: 512 KiB, about 16,000 articles' keys before it grows.
    public static let defaultKeyFilterWords = 1 << 16
    /// About 65,000 articles' band rows (40 MB of index at most, each flush rewriting up to that much).
    public static let defaultBandMergeThreshold = 1 << 21

    public let path: String
    let pool: DatabasePool
    /// The connection of duplicate lookups: one, since they run one at a time under the `pending` lock, and
    /// used without GRDB's pool, which checked the schema version with a query before every read.
    private let lookup: DatabaseQueue
    /// Committed articles whose bands wait in memory at most (`defaultBandFlushThreshold` but in tests).
    let bandFlushThreshold: Int
    /// Rows `band` holds before they move into `band_merged` (`defaultBandMergeThreshold` but in tests).
    let bandMergeThreshold: Int
    /// How long the first rows wait for more before a transaction (`defaultGatheringTime` but in tests).
    let gatheringTime: DispatchTimeInterval
    private let logger: Logger
    private let threshold: Mutex<Double>
    private let pending = Mutex(PendingIndex())
    let nextSequence: Atomic<Int64>
    private let writer = DispatchQueue(label: "newsd.ledger.writer")
    /// Builds the key filter from the tables, after the first lookup and whenever it should grow.
    private let filterBuilder = DispatchQueue(label: "newsd.ledger.filter")
    private let queue = Mutex(WriterQueue())
    private let flushRetry = Mutex(FlushRetry())
    /// How many rows `band` holds, and the merge into `band_merged` under way; touched on the writer's queue.
    private let bandMerge: Mutex<BandMerge>
    /// `band_merged` and `id_key_merged` may hold rows: lookups read them too. Set before the first merge
    /// begins, never cleared.
    private let hasMergedKeys: Atomic<Bool>
    /// The committed articles lookups verified, to judge them again without SQLite.
    private let candidateCache = Mutex(CandidateCache())
    /// The earliest articles under the band keys lookups read from the table, kept up to date by each flush.
    private let tableBands = Mutex(TableBands())
    /// Candidates whose shingle keys were read from the table, in all (tests: the others came from `candidateCache`).
    let candidateRowsRead = Atomic<Int>(0)
    /// Band keys looked up in the table, in all (tests: the key filter spares the others).
    let bandKeysProbed = Atomic<Int>(0)
    /// Set by `close`: lookups fail and key filter builds stop from then on.
    private let closing = Atomic<Bool>(false)
    /// `close` has begun (tests).
    var isClosing: Bool { closing.load(ordering: .sequentiallyConsistent) }
    /// Runs inside the key filter build's first read, before the scan (tests: to hold a reader).
    let filterScanWillStart = Mutex<(@Sendable () -> Void)?>(nil)
    /// Key filter builds under way (tests: none may outlast `close`).
    let filterBuildsRunning = Atomic<Int>(0)

    /// Opens (creating if needed) the ledger at `path`. Throws when it cannot be opened or is damaged;
    /// `open(stateDirectory:…)` handles that by moving the file aside.
    ///
    /// `keyFilterWords` is the smallest key filter's size, in 64-bit words (tests make it tiny, so that it
    /// grows after a few articles).
    public init(
        path: String, nearDuplicateThreshold: Double = 0.8, bandFlushThreshold: Int = Ledger.defaultBandFlushThreshold,
        bandMergeThreshold: Int = Ledger.defaultBandMergeThreshold, keyFilterWords: Int = Ledger.defaultKeyFilterWords,
        gatheringTime: DispatchTimeInterval = Ledger.defaultGatheringTime,
        progress: (@Sendable (LedgerRebuilder.Progress) -> Void)? = nil, logger: Logger
    ) throws(LedgerError) {
        self.path = path
        self.bandFlushThreshold = bandFlushThreshold
        self.bandMergeThreshold = bandMergeThreshold
        self.gatheringTime = gatheringTime
        pending.withLock { $0.filterMinimumWords = keyFilterWords }
        self.logger = logger
        self.threshold = Mutex(nearDuplicateThreshold)
        var configuration = Configuration()
        // Readers (`newsd query`) and the writer never see SQLITE_BUSY: they wait.
        configuration.busyMode = .timeout(10)
        configuration.label = "newsd.ledger"
        // Entity and quote rows are written with their article, in its transaction, and no row is ever deleted:
        // checking each one's parent cost a lookup per row and could never fail.
        configuration.foreignKeysEnabled = false
        // WAL with synchronous=NORMAL: a commit is durable against a crash of newsd (kill -9) without an
        // fsync of its own; the WAL is synced at checkpoints. A power cut may lose the last rows, never
        // their documents, and the next start adds rows for documents the ledger lacks (`open`).
        // Fewer checkpoints; an 8 MiB page cache per connection (the writer and each reader): the kernel's page
        // cache holds the file anyway, and 32 MiB per connection made a long drain's RSS climb by ~50 MiB.
        // 16 KiB pages for a new ledger (an existing one keeps its size): an article's row is about 5 KB
        // (its shingle keys, signature, entities and quotes), which on 4 KiB pages spilled into overflow pages,
        // each a WAL frame of its own; the writer spent about 6 µs an article more.
        configuration.prepareDatabase { db in
            try db.execute(sql: """
                PRAGMA page_size = 16384; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -8192;
                PRAGMA wal_autocheckpoint = 1024
                """)
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Ledger.migrator.migrate(pool)
            try Ledger.deriveMissingKeys(in: pool)
            let check = try pool.read { db in try Ledger.quickCheck(db, progress: progress) }
            guard check == "ok" else {
                throw LedgerError("the ledger failed its integrity check: \(check ?? "?")", isDamage: true)
            }
            let highest = try pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM article") } ?? 0
            nextSequence = Atomic(highest + 1)
            let (bandRows, merged) = try pool.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM band") ?? 0,
                 try Bool.fetchOne(db, sql: """
                    SELECT EXISTS (SELECT 1 FROM band_merged) OR EXISTS (SELECT 1 FROM id_key_merged)
                    """) ?? true)
            }
            bandMerge = Mutex(BandMerge(rows: bandRows, threshold: bandMergeThreshold))
            hasMergedKeys = Atomic(merged)
            configuration.readonly = true
            configuration.label = "newsd.ledger.lookup"
            lookup = try DatabaseQueue(path: path, configuration: configuration)
        } catch let error as LedgerError {
            throw error
        } catch {
            // Only a file SQLite finds damaged is damage; an I/O error, a permission or a full disk is not.
            let damaged = (error as? DatabaseError).map {
                [ResultCode.SQLITE_CORRUPT, .SQLITE_NOTADB].contains($0.resultCode.primaryResultCode)
            } ?? false
            throw LedgerError("cannot open the ledger \(path)", underlying: error, isDamage: damaged)
        }
    }

    /// `PRAGMA quick_check(1)`, which reads every page: 218 ms for 20,000 articles (131 MB, warm cache), so
    /// about 11 s for a million, more from a cold disk. `progress` hears of it as it starts, then about every
    /// second while SQLite works (its progress handler), so that a daemon's start keeps extending systemd's
    /// start timeout however large the ledger has grown.
    ///
    /// The handler runs every `instructions` of SQLite's virtual machine (well under a millisecond apart), and
    /// reports when `interval` has passed (tests make both small).
    static func quickCheck(
        _ db: Database, progress: (@Sendable (LedgerRebuilder.Progress) -> Void)?, interval: Duration = .seconds(1),
        instructions: Int32 = 100_000
    ) throws -> String? {
        guard let progress else { return try String.fetchOne(db, sql: "PRAGMA quick_check(1)") }
        let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
        progress(LedgerRebuilder.Progress(phase: .checking, done: 0, total: pages))
        let ticker = CheckTicker(pages: pages, interval: interval, report: progress)
        let context = Unmanaged.passRetained(ticker)
        sqlite3_progress_handler(db.sqliteConnection, instructions, { context in
            if let context { Unmanaged<CheckTicker>.fromOpaque(context).takeUnretainedValue().tick() }
            return 0  // go on
        }, context.toOpaque())
        defer {
            sqlite3_progress_handler(db.sqliteConnection, 0, nil, nil)
            context.release()
        }
        return try String.fetchOne(db, sql: "PRAGMA quick_check(1)")
    }

    /// What `quickCheck`'s progress handler calls: a report once `interval` has passed since the last.
    final class CheckTicker {
        let pages: Int
        let interval: Duration
        let report: @Sendable (LedgerRebuilder.Progress) -> Void
        let started = ContinuousClock.now
        var lastReport = ContinuousClock.now

        init(pages: Int, interval: Duration, report: @escaping @Sendable (LedgerRebuilder.Progress) -> Void) {
            self.pages = pages
            self.interval = interval
            self.report = report
        }

        func tick() {
            let now = ContinuousClock.now
            guard now - lastReport >= interval else { return }
            lastReport = now
            report(LedgerRebuilder.Progress(phase: .checking, done: Int((now - started).components.seconds), total: pages))
        }
    }

    public var nearDuplicateThreshold: Double {
        get { threshold.withLock { $0 } }
        set { threshold.withLock { $0 = newValue } }
    }

    /// Writes the rows and bands still in memory, then closes the database (a WAL checkpoint). Rows already
    /// committed are kept; later calls fail with an error. Without it (kill -9), the next open derives those
    /// bands again.
    ///
    /// A key filter build under way stops first, and `close` waits for it: GRDB hands a read that began before
    /// `DatabasePool.close` a connection the close has just closed, and SQLite crashed on it.
    public func close() {
        closing.store(true, ordering: .sequentiallyConsistent)
        writer.sync { @Sendable in
            self.queue.withLock { $0.closed = true }
            self.writeWaitingRows(gathering: false)
            self.flushKeys()
        }
        filterBuilder.sync {}
        try? lookup.close()
        try? pool.close()
    }

    static let closedError = LedgerError("the ledger is closed")

    // MARK: Duplicates

    /// An article's place in the ledger between its lookup and its row's commit.
    public struct Reservation: Sendable {
        /// The earlier article this one repeats, if any: write it as `duplicate_of`.
        public var duplicateOf: DuplicateReference?
        let sequence: Int64
        /// A previous attempt of the same claim already committed its row (a retry after a crash).
        let alreadyRecorded: Bool
    }

    /// Finds the earliest article that `id` repeats exactly, or else the earliest whose similarity to
    /// `fingerprint` reaches the threshold, among committed rows and those still waiting for the writer, and
    /// registers this article so that later lookups see it. Call `commit` or `cancel` afterwards.
    ///
    /// With `mayHaveEarlierAttempt`, a row already committed for the same claim is reused, with the
    /// `duplicate_of` it recorded.
    public func reserve(
        id: String, name: String, received: String, fingerprint: Fingerprint?, mayHaveEarlierAttempt: Bool
    ) throws(LedgerError) -> Reservation {
        guard !closing.load(ordering: .relaxed) else { throw Ledger.closedError }
        let claim = Ledger.claim(id: id, name: name, received: received)
        let threshold = nearDuplicateThreshold
        let pool = self.pool
        do {
            if mayHaveEarlierAttempt {
                let earlier = try pool.read { db in
                    try Row.fetchOne(
                        db, sql: "SELECT seq, duplicate_of_id, duplicate_of_name, similarity FROM article WHERE claim = ?",
                        arguments: [claim])
                }
                if let earlier {
                    let duplicate = (earlier["duplicate_of_id"] as String?).map {
                        DuplicateReference(id: $0, name: earlier["duplicate_of_name"] ?? "", similarity: earlier["similarity"] ?? 1)
                    }
                    return Reservation(duplicateOf: duplicate, sequence: earlier["seq"], alreadyRecorded: true)
                }
            }
            // First the articles in memory (reserved, committed, or flushed by the last flush), and this one
            // registered among them, in one step under the lock: two copies arriving together cannot both miss
            // each other. Then the tables, outside the lock (a lookup's queries held it for tens of µs, and two
            // workers spun on it): rows only ever get added, and an article leaves memory only after its bands
            // are in the table, so whatever was not in memory at the first step is in the tables at the second,
            // or came after this one.
            let keys = fingerprint?.bandKeys ?? []
            let buckets = fingerprint.map { KeyBuckets($0.shingleKeys) }
            let idKey = Ledger.idKey(id)
            let (sequence, inMemory, probes, buildFilter) = pending.withLock {
                index -> (Int64, Candidate?, TableProbes, Bool) in
                let sequence = nextSequence.add(1, ordering: .relaxed).oldValue
                var best: Candidate?
                // Exact: the same bytes.
                if let earliest = index.byID[id]?.first.flatMap({ index.articles[$0] }) {
                    best = Candidate(sequence: earliest.sequence, id: earliest.id, name: earliest.name, similarity: 1)
                } else if let fingerprint, let buckets {
                    // Each band's list is in sequence order, so it is read only up to the best found so far.
                    var seen = Set<Int64>()
                    for key in keys {
                        index.bands.visit(key) { other in
                            if let best, other >= best.sequence { return false }
                            guard seen.insert(other).inserted, let article = index.articles[other],
                                let theirs = article.fingerprint, let theirBuckets = article.buckets
                            else { return true }
                            guard let similarity = fingerprint.similarity(
                                toKeys: theirs.shingleKeys, buckets: theirBuckets, mine: buckets, atLeast: threshold)
                            else { return true }
                            best = Candidate(sequence: article.sequence, id: article.id, name: article.name, similarity: similarity)
                            return false
                        }
                    }
                }
                // An exact copy adds nothing to the near-duplicate index: its original is there already. A near
                // copy goes in: a later variant may be closer to it than to the article it repeats.
                let exact = best?.id == id
                index.insert(PendingArticle(
                    sequence: sequence, id: id, idKey: idKey, name: name, fingerprint: exact ? nil : fingerprint,
                    buckets: exact ? nil : buckets, bandKeys: exact ? [] : keys))
                // Which keys the tables may hold. Decided here, under the lock: an article leaves memory only
                // after its keys are in the filter, so one not in memory now is in the filter now.
                var probes = TableProbes(id: true, bandKeys: keys)
                if let filter = index.filter {
                    probes.id = filter.mayContain(KeyFilter.key(id: idKey))
                    probes.bandKeys = keys.filter { filter.mayContain(KeyFilter.key(band: $0)) }
                }
                let buildFilter = !index.filterRequested
                index.filterRequested = true
                return (sequence, best, probes, buildFilter)
            }
            if buildFilter { filterBuilder.async { @Sendable in self.buildFilter() } }
            let exactInMemory = inMemory?.id == id
            // Cached statements: compiling the 32-part band query for every article cost more than running it.
            // One read transaction for all of them: without one, each statement (a lookup that verifies
            // candidates runs several) took and released its own lock on the WAL index.
            // A failed lookup leaves no reservation behind: nothing would ever commit or cancel it.
            var handedOut = false
            defer { if !handedOut { pending.withLock { $0.remove(sequence) } } }
            // A new article whose keys the filter has never held (most of a feed) does not touch SQLite at all.
            let needsTables = probes.id || (!exactInMemory && fingerprint != nil && !probes.bandKeys.isEmpty)
            let (committed, near) = !needsTables ? (nil, nil) : try readTables { tables -> (Candidate?, Candidate?) in
                var exact: Candidate?
                if probes.id {
                    exact = try readingMergedKeys { merged in
                        var exactQuery = try tables.statement(merged ? Ledger.exactQueryInBoth : Ledger.exactQuery)
                        exactQuery.bind(idKey)
                        exactQuery.bind(id)
                        exactQuery.bind(claim)
                        guard try exactQuery.step() else { return nil }
                        defer { exactQuery.reset() }
                        return Candidate(sequence: exactQuery.int64(0), id: id, name: exactQuery.string(1), similarity: 1)
                    }
                }
                guard exact == nil, !exactInMemory, let fingerprint, let buckets, !probes.bandKeys.isEmpty else { return (exact, nil) }
                /// The committed article `candidate` when it is similar enough (and not this claim's own row).
                func verified(_ candidate: Int64) throws -> Candidate? {
                    // Most candidates fail, and the same few (the earliest under busy keys) come up again and
                    // again: they are judged on what the cache keeps of them, and a copied article's row is read
                    // once.
                    func readKeys() throws -> [UInt32] {
                        var read = try tables.statement(Ledger.candidateKeysQuery)
                        read.bind(candidate)
                        defer { read.reset() }
                        candidateRowsRead.add(1, ordering: .relaxed)
                        return try read.step() ? read.littleEndianValues(0) : []
                    }
                    let cached = candidateCache.withLock { $0.candidate(candidate) }
                    var stored = try cached ?? StoredCandidate(keys: readKeys())
                    guard fingerprint.mayReach(threshold, keyCount: stored.keyCount, buckets: stored.buckets, mine: buckets) else {
                        // Ruled out on its buckets: the cache keeps those (512 bytes), not its keys (4 bytes each).
                        if cached == nil {
                            stored.keys = nil
                            candidateCache.withLock { [stored] in $0.insert(stored, for: candidate) }
                        }
                        return nil
                    }
                    var changed = cached == nil
                    let theirs = try stored.keys ?? readKeys()
                    if stored.keys == nil {
                        stored.keys = theirs
                        changed = true
                    }
                    let similarity = fingerprint.similarity(toKeys: theirs, atLeast: threshold)
                    if similarity != nil, stored.row == nil {
                        var row = try tables.statement(Ledger.candidateQuery)
                        row.bind(candidate)
                        defer { row.reset() }
                        guard try row.step() else { return nil }
                        stored.row = (id: row.string(0), name: row.string(1), claim: row.string(2))
                        changed = true
                    }
                    if changed { candidateCache.withLock { [stored] in $0.insert(stored, for: candidate) } }
                    guard let similarity, let (candidateID, candidateName, candidateClaim) = stored.row, candidateClaim != claim
                    else { return nil }
                    return Candidate(sequence: candidate, id: candidateID, name: candidateName, similarity: similarity)
                }
                // The earliest few committed articles under each band key (a story copied ten thousand times
                // must not make a lookup read ten thousand rows), verified one by one in sequence order: the
                // first that passes is the earliest, and the ones after it are not read. For a copy, the first
                // is nearly always the article copied.
                for candidate in try articles(underKeys: probes.bandKeys, in: &tables) {
                    // Nothing later than what memory found can be the earliest.
                    if let inMemory, candidate >= inMemory.sequence { break }
                    if let found = try verified(candidate) { return (nil, found) }
                }
                return (nil, nil)
            }
            // The same bytes win over similar words; among equals, the earliest.
            func earlier(_ a: Candidate?, _ b: Candidate?) -> Candidate? {
                guard let a, let b else { return a ?? b }
                return a.sequence < b.sequence ? a : b
            }
            let best = earlier(committed, exactInMemory ? inMemory : nil) ?? earlier(near, inMemory)
            if best?.id == id, !exactInMemory {
                // An exact copy found only in the tables: it leaves the near-duplicate index after all.
                pending.withLock { $0.dropBands(of: sequence) }
            }
            let duplicate = best.map { DuplicateReference(id: $0.id, name: $0.name, similarity: Ledger.rounded($0.similarity)) }
            handedOut = true
            return Reservation(duplicateOf: duplicate, sequence: sequence, alreadyRecorded: false)
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError("cannot look up duplicates", underlying: error)
        }
    }

    /// Commits the row of a reserved article and returns once it is durable. Throws when the write failed:
    /// the caller must not dispose of the input then.
    public func commit(_ reservation: Reservation, entry: LedgerEntry) throws(LedgerError) {
        if reservation.alreadyRecorded { return }
        try submit(entry, sequence: reservation.sequence)
    }

    /// Hands the row of a reserved article to the writer and returns at once; `then` runs on the writer's
    /// thread once the row's transaction has committed (or failed). The worker goes on with the next article
    /// meanwhile, so rows gather into larger transactions; the input is disposed of in `then`.
    public func commit(
        _ reservation: Reservation, entry: LedgerEntry, then: @escaping @Sendable (Result<Void, LedgerError>) -> Void
    ) {
        if reservation.alreadyRecorded {
            then(.success(()))
            return
        }
        enqueue(Submission(entry: entry, sequence: reservation.sequence, completion: .callback(then)))
    }

    /// Forgets a reservation whose article will not be committed now (its attempt failed and is retried).
    public func cancel(_ reservation: Reservation) {
        guard !reservation.alreadyRecorded else { return }
        pending.withLock { $0.remove(reservation.sequence) }
    }

    /// Commits the row of an input that has no reservation (a failure) and returns once it is durable.
    public func record(_ entry: LedgerEntry) throws(LedgerError) {
        try submit(entry, sequence: nextSequence.add(1, ordering: .relaxed).oldValue)
    }

    // MARK: The writer (group commit)

    private func submit(_ entry: LedgerEntry, sequence: Int64) throws(LedgerError) {
        let waiter = Waiter()
        enqueue(Submission(entry: entry, sequence: sequence, completion: .waiter(waiter)))
        try waiter.wait()
    }

    private func enqueue(_ submission: Submission) {
        let blocking = submission.isBlocking
        let (accepted, runNow, timer) = queue.withLock { state -> (Bool, Bool, DispatchTime?) in
            if state.closed { return (false, false, nil) }
            if state.waiting.isEmpty { state.firstArrival = .now() }
            state.waiting.append(submission)
            if blocking { state.blocking += 1 }
            // A worker waits for this row (a failure's, before its original moves), or a batch has gathered:
            // commit now, not when the timer fires. Rows hold their inputs' claims until then, and at a few
            // thousand files a second the claim room filled within the 20 ms and stalled the workers.
            if blocking || state.waiting.count == Ledger.gatheredBatch { return (true, true, nil) }
            return (true, false, state.scheduleTimer(after: gatheringTime))
        }
        guard accepted else {
            submission.finish(.failure(Ledger.closedError))
            return
        }
        if runNow {
            writer.async { @Sendable in self.writeWaitingRows() }
        } else if let timer {
            writer.asyncAfter(deadline: timer) { @Sendable in self.writeWaitingRows(timerFired: true) }
        }
    }

    /// How long the writer lets rows gather before a transaction. A commit writes every page it touched to
    /// the WAL, and the appended pages (article rows and their indexes) are the same few each time:
    /// one transaction per 20 ms rather than per row or two cut the WAL's bytes per article several times over.
    public static let defaultGatheringTime = DispatchTimeInterval.milliseconds(20)
    /// This many rows waiting start a transaction at once, without waiting for the timer, and a transaction
    /// that finds at least this many waiting after it goes on at once. The spool's claim room with the ledger
    /// (`max_claimed`: 4 × workers + 48) is larger, so workers never stall on the timer.
    static let gatheredBatch = 32

    /// Commits what is waiting, batch after batch, as long as a batch is due: `gatheredBatch` rows wait, or
    /// a worker waits for one, or the oldest has waited `gatheringTime`. Otherwise the rows wait for more,
    /// and a timer is set for when the oldest will have waited long enough. `gathering: false` (at `close`)
    /// commits everything now.
    ///
    /// A run that found fewer rows than were due committed them anyway, and runs came often (each 32nd row
    /// asks for one): transactions averaged 15 rows, and each wrote about eight pages besides its rows (the
    /// last, half-full page of the table and of each index again, and the header page), so the WAL took
    /// 13.8 KB an article for rows of 5 KB.
    private func writeWaitingRows(gathering: Bool = true, timerFired: Bool = false) {
        var timerFired = timerFired
        while true {
            let (batch, timer) = queue.withLock { state -> ([Submission], DispatchTime?) in
                if timerFired { state.timerSet = false }
                timerFired = false
                guard let firstArrival = state.firstArrival else { return ([], nil) }
                let due = !gathering || state.blocking > 0 || state.waiting.count >= Ledger.gatheredBatch
                    || DispatchTime.now() >= firstArrival + gatheringTime
                guard due else { return ([], state.scheduleTimer(after: gatheringTime)) }
                // Moved, not copied: a copy of a submission retained and released every string of its row.
                var batch: [Submission] = []
                if state.waiting.count <= Ledger.maximumBatch {
                    swap(&batch, &state.waiting)
                } else {
                    batch = Array(state.waiting.prefix(Ledger.maximumBatch))
                    state.waiting.removeFirst(batch.count)
                }
                state.blocking -= batch.count { $0.isBlocking }
                // What is left (more than a batch) is due at once; what comes next waits from its arrival.
                state.firstArrival = state.waiting.isEmpty ? nil : firstArrival
                return (batch, nil)
            }
            if let timer { writer.asyncAfter(deadline: timer) { @Sendable in self.writeWaitingRows(timerFired: true) } }
            if batch.isEmpty { return }
            let result: Result<Void, LedgerError>
            do {
                try pool.write { db in
                    for position in batch.indices {
                        try Ledger.insert(batch[position].entry, sequence: batch[position].sequence, in: db)
                    }
                }
                result = .success(())
            } catch {
                logger.error("cannot write to the ledger", metadata: ["error": "\(error)", "rows": "\(batch.count)"])
                result = .failure(LedgerError("cannot write to the ledger", underlying: error))
            }
            // Committed articles stay in the in-memory index until their bands are written; failed ones leave it
            // (their inputs are retried and reserved again).
            let flushDue = pending.withLock { index -> Bool in
                for position in batch.indices {
                    let sequence = batch[position].sequence
                    if case .success = result { index.markCommitted(sequence) } else { index.remove(sequence) }
                }
                return index.unflushed.count >= bandFlushThreshold || index.unflushedBytes >= Ledger.bandFlushBytes
            }
            if flushDue, flushRetry.withLock({ $0.isDue(.now) }) { flushKeys() }
            if pending.withLock({ $0.filterShouldGrow() }) { filterBuilder.async { @Sendable in self.buildFilter() } }
            for position in batch.indices { batch[position].finish(result) }
            mergeBandRange()
        }
    }

    /// Writes the id keys and bands of every committed article still held in memory, each sorted so that
    /// each page of their indexes is written once, and records from which sequence they may be missing after
    /// it. Runs on the writer's queue, so no commit happens between taking the articles and forgetting them.
    private func flushKeys() {
        let (ids, bands, flushed, bandsFrom) = pending.withLock { index -> ([BandRow], [BandRow], Int, Int64) in
            var ids: [BandRow] = []
            var bands: [BandRow] = []
            ids.reserveCapacity(index.unflushed.count)
            bands.reserveCapacity(index.unflushed.count * Fingerprint.bands)
            for sequence in index.unflushed {
                guard let article = index.articles[sequence] else { continue }
                ids.append(BandRow(key: article.idKey, article: sequence))
                for key in article.bandKeys { bands.append(BandRow(key: key, article: sequence)) }
            }
            // Every committed article below this has its keys in the tables once this transaction commits.
            let bandsFrom = index.lowestUncommitted ?? nextSequence.load(ordering: .relaxed)
            return (ids, bands, index.unflushed.count, bandsFrom)
        }
        guard flushed > 0 else { return }
        // A key whose earliest `TableBands.perKey` articles are in the table already, as the lists lookups
        // cached show, gains nothing from a later article: lookups read only those. A story copied again
        // after its eighth copy left memory adds no band rows.
        let unsortedBands = tableBands.withLock { cache in
            bands.filter { row in !cache.holdsEarliest(under: row.key, before: row.article) }
        }
        let sortedBands = BandRow.tableOrder(unsortedBands)
        do {
            try pool.write { db in
                try Ledger.insertKeys(BandRow.tableOrder(ids), into: .ids, in: db)
                try Ledger.insertKeys(sortedBands, into: .bands, in: db)
                try Ledger.setBandsFrom(bandsFrom, in: db)
            }
        } catch {
            let delay = flushRetry.withLock { $0.failed(at: .now) }
            logger.error("cannot write the near-duplicate index; keeping it in memory", metadata: [
                "error": "\(error)", "articles": "\(flushed)", "retry_in": "\(delay)",
            ])
            return
        }
        flushRetry.withLock { $0 = FlushRetry() }
        bandMerge.withLock { $0.added(sortedBands.count) }
        tableBands.withLock { $0.add(sortedBands) }
        let departed = pending.withLock { $0.forgetFlushed(flushed) }
        // Those that left memory are only in the tables now, where lookups will meet them as candidates: the
        // cache starts out with their buckets, which rule most of them out without reading their rows.
        candidateCache.withLock { cache in
            for article in departed {
                guard let fingerprint = article.fingerprint, let buckets = article.buckets else { continue }
                cache.remember(StoredCandidate(keyCount: fingerprint.shingleKeys.count, buckets: buckets), for: article.sequence)
            }
        }
    }

    /// Moves the next key range of `band` and `id_key` into `band_merged` and `id_key_merged`, when a merge is
    /// under way (`BandMerge`): one range a run of the writer, so that commits go on between them. Rows only
    /// move, so a lookup's snapshot finds each one in one table or the other, and the lists `TableBands`
    /// cached stay true.
    private func mergeBandRange() {
        guard let range = bandMerge.withLock({ $0.retry.isDue(.now) ? $0.nextRange : nil }) else { return }
        hasMergedKeys.store(true, ordering: .releasing)
        let (low, high) = BandMerge.keys(of: range)
        do {
            let left = try pool.write { db -> Int? in
                for table in KeyTable.allCases {
                    try db.execute(
                        sql: """
                            INSERT OR IGNORE INTO \(table.merged) (key, article)
                              SELECT key, article FROM \(table.rawValue) WHERE key BETWEEN ? AND ? ORDER BY key, article
                            """, arguments: [low, high])
                    try db.execute(sql: "DELETE FROM \(table.rawValue) WHERE key BETWEEN ? AND ?", arguments: [low, high])
                }
                // The last range: what flushes added meanwhile to ranges merged already stays for the next merge.
                return range == BandMerge.ranges - 1 ? try Int.fetchOne(db, sql: "SELECT count(*) FROM band") ?? 0 : nil
            }
            bandMerge.withLock { $0.merged(range, left: left) }
        } catch {
            let delay = bandMerge.withLock { $0.retry.failed(at: .now) }
            logger.error("cannot merge the near-duplicate index; it stays as it is until the retry", metadata: [
                "error": "\(error)", "range": "\(range)", "retry_in": "\(delay)",
            ])
        }
    }

    /// Builds the key filter from the tables, on `filterBuilder`: at the first lookup (sized for what the
    /// tables hold), and whenever the filter in use holds more than it was sized for (`filterShouldGrow` made
    /// `nextFilter` then). Lookups go on meanwhile, with the filter in use or with every key.
    ///
    /// Nothing committed is missed: `nextFilter` exists before the scan's snapshot is taken, so a row is
    /// either in the snapshot or committed after it, and then the writer records its keys in `nextFilter`
    /// too (`recordInTables`).
    private func buildFilter() {
        filterBuildsRunning.add(1, ordering: .sequentiallyConsistent)
        defer { filterBuildsRunning.subtract(1, ordering: .sequentiallyConsistent) }
        let started = ContinuousClock.now
        guard !closing.load(ordering: .relaxed) else { return }
        do {
            let highest = try pool.read { db -> Int64? in
                filterScanWillStart.withLock { $0 }?()
                return try Int64.fetchOne(db, sql: "SELECT max(seq) FROM article")
            } ?? 0
            if closing.load(ordering: .relaxed) { throw Ledger.closedError }
            pending.withLock { index in
                if index.nextFilter == nil {
                    index.nextFilter = KeyFilter(keys: 2 * Int(highest) * (Fingerprint.bands + 1), minimumWords: index.filterMinimumWords)
                }
            }
            try pool.read { db in
                var chunk: [UInt64] = []
                chunk.reserveCapacity(Ledger.filterChunk)
                func add(_ key: UInt64) throws {
                    chunk.append(key)
                    if chunk.count == Ledger.filterChunk { try flush() }
                }
                // In chunks: the lock is held for a few hundred µs at a time, not for the whole scan.
                func flush() throws {
                    if closing.load(ordering: .relaxed) { throw Ledger.closedError }
                    pending.withLock { index in for key in chunk { index.nextFilter?.insert(key) } }
                    chunk.removeAll(keepingCapacity: true)
                }
                for table in KeyTable.allCases {
                    for name in [table.rawValue, table.merged] {
                        var keys = RawStatement(try db.makeStatement(sql: "SELECT key FROM \(name)"), in: db)
                        while try keys.step() {
                            let key = keys.int64(0)
                            try add(table == .ids ? KeyFilter.key(id: key) : KeyFilter.key(band: key))
                        }
                    }
                }
                try flush()
            }
            let (keys, bytes) = pending.withLock { index -> (Int, Int) in
                index.filter = index.nextFilter
                index.nextFilter = nil
                return (index.filter?.count ?? 0, index.filter?.bytes ?? 0)
            }
            logger.debug("built the ledger's key filter", metadata: [
                "keys": "\(keys)", "bytes": "\(bytes)", "seconds": "\(ContinuousClock.now - started)",
            ])
        } catch {
            // Lookups go on with the filter in use, or with every key; the next growth tries again.
            pending.withLock { $0.nextFilter = nil }
            if closing.load(ordering: .relaxed) { return }
            logger.warning("cannot build the ledger's key filter; lookups query the tables for every key", metadata: [
                "error": "\(error)",
            ])
        }
    }

    /// Keys the key filter takes under one hold of the lock while it is built.
    static let filterChunk = 16_384

    /// Records the keys of rows written outside the writer (`LedgerRebuilder`), once they are committed.
    func recordInTables(_ entries: some Sequence<LedgerEntry>) {
        tableBands.withLock { $0.clear() }
        pending.withLock { index in
            for entry in entries where entry.outcome == .processed {
                if let id = entry.id { index.recordInTables(KeyFilter.key(id: Ledger.idKey(id))) }
                if let fingerprint = entry.fingerprint, entry.duplicateOf?.id != entry.id {
                    for key in fingerprint.bandKeys { index.recordInTables(KeyFilter.key(band: key)) }
                }
            }
        }
    }

    /// Waits until the key filter build asked for so far is done (tests).
    func waitForKeyFilter() {
        filterBuilder.sync {}
    }

    /// How many articles lookups find in memory now (tests).
    var articlesInMemory: Int {
        pending.withLock { $0.articles.count }
    }

    /// The key filter lookups use now, if any: the keys it holds and its size (tests).
    var keyFilter: (keys: Int, bytes: Int)? {
        pending.withLock { index in index.filter.map { ($0.count, $0.bytes) } }
    }

    /// Derives the id keys and bands the tables may lack (those of articles committed after the last flush,
    /// before a crash, or of a whole rebuilt ledger) from the `id` and `fingerprint` columns, sorted.
    /// `INSERT OR IGNORE` makes doing it twice harmless.
    ///
    /// Many rows go in passes, each over one range of band keys and in a transaction of its own, so that at
    /// most `rowsPerPass` wait in memory, and each pass adds to the table after the one before. (The rebuild
    /// wrote each chunk's keys into the growing tables, so each chunk rewrote most of their pages: 200,000
    /// documents took 77 s, 51 of them in the kernel copying pages.) `bands_from` moves only after the last.
    /// `progress` hears of each pass done (passes done, passes in all). A key gets the rows of its earliest
    /// `TableBands.perKey` articles only, as lookups read them. Returns how many band rows it offered
    /// (`INSERT OR IGNORE` may have added fewer).
    @discardableResult
    static func deriveMissingKeys(
        in pool: DatabasePool, rowsPerPass: Int = 1 << 21, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> Int {
        let (from, articles) = try pool.read { db -> (Int64, Int) in
            let from = try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'bands_from'") ?? 1
            let articles = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM article WHERE seq >= ? AND fingerprint IS NOT NULL", arguments: [from]) ?? 0
            return (from, articles)
        }
        try pool.write { db in try insertIDKeys(from: from, in: db) }
        var passes = 1
        while passes < 1 << 16, articles * Fingerprint.bands / passes > rowsPerPass { passes *= 2 }
        // The pass of a key: its top bits, with the sign bit flipped so that passes go in the table's order.
        let shift = UInt64(64 - passes.trailingZeroBitCount)
        var offered = 0
        for pass in 0..<passes {
            try pool.write { db in
                var rows: [BandRow] = []
                let cursor = try Row.fetchCursor(
                    db,
                    sql: "SELECT seq, id, fingerprint, shingles, duplicate_of_id FROM article WHERE seq >= ? AND fingerprint IS NOT NULL",
                    arguments: [from])
                while let row = try cursor.next() {
                    guard (row["duplicate_of_id"] as String?) != (row["id"] as String?),
                        let fingerprint = Fingerprint(bytes: Array(row["fingerprint"] as Data? ?? Data()), shingles: row["shingles"])
                    else { continue }
                    let sequence: Int64 = row["seq"]
                    for key in fingerprint.bandKeys where Int((UInt64(bitPattern: key) ^ (1 << 63)) >> shift) == pass {
                        rows.append(BandRow(key: key, article: sequence))
                    }
                }
                // Lookups read the earliest `TableBands.perKey` articles under a key: later rows of a key this
                // pass gives more than that never change an answer (rows already in the tables are earlier).
                var kept: [BandRow] = []
                kept.reserveCapacity(rows.count)
                var run = 0
                for row in BandRow.tableOrder(rows) {
                    run = kept.last?.key == row.key ? run + 1 : 1
                    if run <= TableBands.perKey { kept.append(row) }
                }
                try insertKeys(kept, into: .bands, in: db)
                offered += kept.count
            }
            progress?(pass + 1, passes)
        }
        try pool.write { db in
            let next = (try Int64.fetchOne(db, sql: "SELECT max(seq) FROM article") ?? 0) + 1
            try setBandsFrom(next, in: db)
        }
        return offered
    }

    /// Band rows a rebuild wrote (`deriveMissingKeys`): they count towards the merge's threshold as a flush's
    /// do. The count taken at open came before them.
    func bandRowsAdded(_ count: Int) {
        bandMerge.withLock { $0.added(count) }
    }

    /// Writes the id keys of the processed rows from sequence `from` on, sorted.
    static func insertIDKeys(from: Int64, in db: Database) throws {
        var rows: [BandRow] = []
        let processed = try Row.fetchCursor(
            db, sql: "SELECT seq, id FROM article WHERE seq >= ? AND outcome = 'processed' AND id IS NOT NULL", arguments: [from])
        while let row = try processed.next() { rows.append(BandRow(key: idKey(row["id"]), article: row["seq"])) }
        try insertKeys(BandRow.tableOrder(rows), into: .ids, in: db)
    }

    /// The two tables flushes write keys into, each `(key, article)` with that primary key (their rows move
    /// into `band_merged` and `id_key_merged` later, `BandMerge`).
    enum KeyTable: String, CaseIterable {
        /// The near-duplicate index: an article's band keys.
        case bands = "band"
        /// The exact-duplicate index: the key of an article's id (`idKey`); lookups check the id itself.
        case ids = "id_key"

        /// The table its rows move into (`BandMerge`).
        var merged: String { rawValue + "_merged" }
    }

    static func insertKeys(_ rows: [BandRow], into table: KeyTable, in db: Database) throws {
        // A hundred rows a statement: one step each, rather than a step, a reset and the statement's set-up
        // for every row.
        var chunks = RawStatement(try db.cachedStatement(sql: Ledger.insertKeysSQL(table, rows: keyRowsPerStatement)), in: db)
        var start = rows.startIndex
        while rows.endIndex - start >= keyRowsPerStatement {
            for row in rows[start..<(start + keyRowsPerStatement)] {
                chunks.bind(row.key)
                chunks.bind(row.article)
            }
            try chunks.run()
            start += keyRowsPerStatement
        }
        guard start < rows.endIndex else { return }
        var rest = RawStatement(try db.makeStatement(sql: Ledger.insertKeysSQL(table, rows: rows.endIndex - start)), in: db)
        for row in rows[start...] {
            rest.bind(row.key)
            rest.bind(row.article)
        }
        try rest.run()
    }

    static let keyRowsPerStatement = 100

    static func insertKeysSQL(_ table: KeyTable, rows: Int) -> String {
        "INSERT OR IGNORE INTO \(table.rawValue) (key, article) VALUES " + Array(repeating: "(?, ?)", count: rows).joined(separator: ", ")
    }

    /// The key of an article id in `id_key` (and, as `KeyFilter.key(id:)`, in the key filter).
    static func idKey(_ id: String) -> Int64 {
        Int64(bitPattern: Fingerprint.fnv1a(id))
    }

    static func setBandsFrom(_ sequence: Int64, in db: Database) throws {
        try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'bands_from'", arguments: [sequence])
    }

    /// Inserts one row with its entities and quotes; its keys come later, sorted with others (`flushKeys`, or
    /// `deriveMissingKeys` after a rebuild). A claim that is already there is left alone.
    static func insert(_ entry: LedgerEntry, sequence: Int64, in db: Database) throws {
        var article = RawStatement(try db.cachedStatement(sql: """
            INSERT INTO article (seq, claim, id, name, result_name, received, published, date, title, language,
              outcome, error_code, fingerprint, shingles, shingle_keys, duplicate_of_id, duplicate_of_name, similarity,
              entities, quotes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (claim) DO NOTHING
            """), in: db)
        article.bind(sequence)
        article.bind(entry.claim)
        article.bind(entry.id)
        article.bind(entry.name)
        article.bind(entry.resultName)
        article.bind(entry.received)
        article.bind(entry.published)
        article.bind(entry.date)
        article.bind(entry.title)
        article.bind(entry.language)
        article.bind(entry.outcome.rawValue)
        article.bind(entry.errorCode)
        article.bind(littleEndian: entry.fingerprint?.signature)
        article.bind(entry.fingerprint?.shingles)
        article.bind(littleEndian: entry.fingerprint.flatMap { $0.shingleKeys.isEmpty ? nil : $0.shingleKeys })
        article.bind(entry.duplicateOf?.id)
        article.bind(entry.duplicateOf?.name)
        article.bind(entry.duplicateOf?.similarity)
        article.bind(text: entry.entitiesJSON)
        article.bind(text: entry.quotesJSON)
        try article.run()
    }

    /// The lookup connection, for one lookup: its first statement begins a read transaction (cached BEGIN and
    /// COMMIT statements), so a lookup answered from the caches does not touch SQLite, and one that is not
    /// takes one lock on the WAL index and checks once for a newer commit, not once a statement.
    struct LookupTables {
        let db: Database
        private(set) var began = false

        init(_ db: Database) {
            self.db = db
        }

        mutating func statement(_ sql: String) throws -> RawStatement {
            if !began {
                var begin = RawStatement(try db.cachedStatement(sql: "BEGIN"), in: db)
                try begin.run()
                began = true
            }
            return RawStatement(try db.cachedStatement(sql: sql), in: db)
        }
    }

    /// Runs a lookup's statements on the lookup connection (`LookupTables`).
    private func readTables<T>(_ body: (inout LookupTables) throws -> T) throws -> T {
        try lookup.unsafeRead { db in
            var tables = LookupTables(db)
            do {
                let result = try body(&tables)
                if tables.began {
                    var commit = RawStatement(try db.cachedStatement(sql: "COMMIT"), in: db)
                    try commit.run()
                }
                return result
            } catch {
                if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
                throw error
            }
        }
    }

    /// Runs a lookup's query on the tables flushes write (`merged` false) or on those and the merged ones
    /// (true), once the merged ones may hold rows. `hasMergedKeys` is set before the first merge begins, and read
    /// again after the query, once the lookup's snapshot is taken (by its first step): if it was clear before
    /// and is set now, the snapshot may be later than the first merge, and the query runs again on both.
    private func readingMergedKeys<T>(_ query: (_ merged: Bool) throws -> T) throws -> T {
        let merged = hasMergedKeys.load(ordering: .acquiring)
        let result = try query(merged)
        if merged || !hasMergedKeys.load(ordering: .acquiring) { return result }
        return try query(true)
    }

    /// The earliest few committed articles under any of `keys`, in ascending order without repeats: the
    /// lists cached (`TableBands`), and the others read from the table and cached, unless a flush came
    /// meanwhile (what it added would be missing from them).
    private func articles(underKeys keys: [Int64], in tables: inout LookupTables) throws -> [Int64] {
        var found: [Int64] = []
        found.reserveCapacity(16)
        let (generation, missing) = tableBands.withLock { cache -> (Int, [Int64]) in
            var missing: [Int64] = []
            for key in keys {
                if let list = cache.lists[key] { found.append(contentsOf: list) } else { missing.append(key) }
            }
            return (cache.generation, missing)
        }
        if !missing.isEmpty {
            bandKeysProbed.add(missing.count, ordering: .relaxed)
            var lists = try readingMergedKeys { merged in
                let queries = merged ? Ledger.bothBandQueries : Ledger.bandQueries
                var band = try tables.statement(queries[missing.count])
                for key in missing {
                    band.bind(key)
                    if merged { band.bind(key) }
                }
                var lists = Dictionary(missing.map { ($0, [Int64]()) }, uniquingKeysWith: { first, _ in first })
                while try band.step() { lists[band.int64(0)]?.append(band.int64(1)) }
                return lists
            }
            // Each table gave its earliest few: the earliest of both.
            for index in lists.indices {
                lists.values[index].sort()
                let extra = lists.values[index].count - TableBands.perKey
                if extra > 0 { lists.values[index].removeLast(extra) }
                found.append(contentsOf: lists.values[index])
            }
            tableBands.withLock { cache in
                guard cache.generation == generation else { return }
                if cache.lists.count + lists.count > TableBands.maximumKeys { cache.lists.removeAll(keepingCapacity: true) }
                cache.lists.merge(lists) { _, new in new }
            }
        }
        found.sort()
        var distinct = 0
        for index in found.indices where distinct == 0 || found[distinct - 1] != found[index] {
            found[distinct] = found[index]
            distinct += 1
        }
        found.removeLast(found.count - distinct)
        return found
    }

    /// For n = 0…32, the earliest 8 articles under each of n band keys, with their key: one index seek each,
    /// as they come (sorting and merging them in Swift cost a third of letting SQLite build and sort a
    /// temporary table, a UNION with `seq IN (…) ORDER BY seq`, for every lookup).
    static let bandQueries = bandQueries(in: [KeyTable.bands.rawValue])

    /// The same in `band` and in `band_merged`; each key is bound twice, once for each table. Reading the
    /// empty `band_merged` of a ledger that never merged cost a lookup of mixed articles about 1 % more CPU.
    static let bothBandQueries = bandQueries(in: [KeyTable.bands.rawValue, KeyTable.bands.merged])

    private static func bandQueries(in tables: [String]) -> [String] {
        (0...Fingerprint.bands).map { count in
            (0..<count).map { _ in
                tables.map { table in
                    "SELECT * FROM (SELECT key, article FROM \(table) WHERE key = ? ORDER BY article LIMIT \(TableBands.perKey))"
                }.joined(separator: " UNION ALL ")
            }.joined(separator: " UNION ALL ")
        }
    }

    /// The earliest committed article with the same bytes, other than the claim looking: by the id's key, then
    /// the id itself (two ids may share a key).
    static let exactQuery = """
        SELECT a.seq, a.name FROM id_key k JOIN article a ON a.seq = k.article
        WHERE k.key = ? AND a.id = ? AND a.outcome = 'processed' AND a.claim <> ? ORDER BY k.article LIMIT 1
        """

    /// The same in `id_key` and `id_key_merged`.
    static let exactQueryInBoth = """
        SELECT a.seq, a.name
        FROM (SELECT article FROM id_key WHERE key = ?1 UNION ALL SELECT article FROM id_key_merged WHERE key = ?1) k
        JOIN article a ON a.seq = k.article
        WHERE a.id = ?2 AND a.outcome = 'processed' AND a.claim <> ?3 ORDER BY k.article LIMIT 1
        """

    /// A candidate's shingle keys (no row: not a processed article).
    static let candidateKeysQuery = "SELECT shingle_keys FROM article WHERE seq = ? AND outcome = 'processed'"

    /// What names a candidate that passed, and its claim (a retry must not find its own row).
    static let candidateQuery = "SELECT id, name, claim FROM article WHERE seq = ? AND outcome = 'processed'"

    /// The text that names one claim: received, id and name, in that order and space-separated (the first
    /// two never hold a space, so the name may hold anything). Not NUL-separated: SQLite cuts text at NUL.
    /// The time comes first so that a new claim's entry in the unique index goes at (or near) its end, as
    /// claims come in time order. Led by the random id (before v6), each row of a commit dirtied an index
    /// page of its own, which the WAL then took whole: 16 KiB a row.
    static func claim(id: String?, name: String, received: String) -> String {
        "\(received) \(id ?? "-") \(name)"
    }

    /// Similarities are written with three decimals.
    static func rounded(_ value: Double) -> Double {
        (value * 1000).rounded() / 1000
    }

    // MARK: Schema

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE article (
                  seq INTEGER PRIMARY KEY,        -- the order newsd saw the inputs in
                  claim TEXT NOT NULL UNIQUE,     -- 'id received name' (v6: 'received id name'): one per claim
                  id TEXT,                        -- SHA-256 of the input (NULL: never read)
                  name TEXT NOT NULL,             -- the input's name, escaped as in documents
                  result_name TEXT,               -- outbox document, or the original's name in failed/
                  received TEXT NOT NULL,
                  published TEXT,
                  date TEXT NOT NULL,             -- published, else received: what --since/--until compare
                  title TEXT,
                  language TEXT,
                  outcome TEXT NOT NULL,          -- processed | failed
                  error_code TEXT,
                  fingerprint BLOB,               -- MinHash signature, 128 × UInt32 little-endian
                  shingles INTEGER,
                  duplicate_of_id TEXT,
                  duplicate_of_name TEXT,
                  similarity REAL
                );
                CREATE INDEX article_id ON article(id);
                CREATE INDEX article_date ON article(date);
                CREATE TABLE band (key INTEGER NOT NULL, article INTEGER NOT NULL, PRIMARY KEY (key, article)) WITHOUT ROWID;
                CREATE TABLE entity (
                  article INTEGER NOT NULL REFERENCES article(seq) ON DELETE CASCADE,
                  key TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, salience REAL NOT NULL, mentions INTEGER NOT NULL
                );
                CREATE INDEX entity_article ON entity(article);
                CREATE TABLE quote (
                  article INTEGER NOT NULL REFERENCES article(seq) ON DELETE CASCADE,
                  kind TEXT NOT NULL, text TEXT NOT NULL, speaker TEXT, speaker_entity TEXT
                );
                CREATE INDEX quote_article ON quote(article);
                """)
        }
        migrator.registerMigration("v2: bands written in bulk") { db in
            // A v1 ledger wrote every article's bands with its row: none is missing.
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO meta (key, value) VALUES ('bands_from', (SELECT coalesce(max(seq), 0) + 1 FROM article));
                """)
        }
        migrator.registerMigration("v3: shingle keys for exact verification") { db in
            // The shingles as sorted UInt32 little-endian (`Fingerprint.shingleKeys`). Older rows keep NULL:
            // candidates among them were verified on the MinHash estimate until v5 (which drops their signatures).
            try db.execute(sql: "ALTER TABLE article ADD COLUMN shingle_keys BLOB")
        }
        migrator.registerMigration("v4: entities and quotes in the article row") { db in
            // A row per entity and per quote, each with its index entry, was most of the writer's work (about half
            // its CPU time per article). They are now two JSON arrays in the article's own row, and the views
            // `entity` and `quote` give the old tables' rows back for queries. Existing rows move over in their
            // order (the scan of entity_article is in rowid order within an article).
            try db.execute(sql: """
                ALTER TABLE article ADD COLUMN entities TEXT;  -- [[key, name, type, salience, mentions], …]
                ALTER TABLE article ADD COLUMN quotes TEXT;    -- [[kind, text, speaker, speaker_entity], …]
                UPDATE article SET
                  entities = (SELECT json_group_array(json_array(key, name, type, salience, mentions))
                              FROM entity WHERE entity.article = article.seq),
                  quotes = (SELECT json_group_array(json_array(kind, text, speaker, speaker_entity))
                            FROM quote WHERE quote.article = article.seq)
                  WHERE outcome = 'processed';
                DROP TABLE entity;
                DROP TABLE quote;
                CREATE VIEW entity (article, key, name, type, salience, mentions) AS
                  SELECT a.seq, e.value ->> 0, e.value ->> 1, e.value ->> 2, e.value ->> 3, e.value ->> 4
                  FROM article a, json_each(a.entities) e;
                CREATE VIEW quote (article, kind, text, speaker, speaker_entity) AS
                  SELECT a.seq, q.value ->> 0, q.value ->> 1, q.value ->> 2, q.value ->> 3
                  FROM article a, json_each(a.quotes) q;
                """)
        }
        migrator.registerMigration("v5: one-permutation signatures") { db in
            // Signatures became a function of the shingle keys (one hash per key, not 128): every row with keys
            // is signed again and the band index is rebuilt from the new signatures (`deriveMissingBands`, at
            // every open, from bands_from = 1). A row written before the keys were kept cannot be signed
            // again: it keeps its exact-duplicate match and loses the near one, until `newsd reindex`.
            try db.execute(sql: """
                UPDATE article SET fingerprint = NULL WHERE shingle_keys IS NULL;
                DELETE FROM band;
                UPDATE meta SET value = 1 WHERE key = 'bands_from';
                """)
            let update = try db.makeStatement(sql: "UPDATE article SET fingerprint = ? WHERE seq = ?")
            var after: Int64 = 0
            while true {  // a thousand rows at a time: a large ledger's keys need not all be in memory at once
                let rows = try Row.fetchAll(
                    db, sql: """
                        SELECT seq, shingle_keys FROM article WHERE seq > ? AND fingerprint IS NOT NULL ORDER BY seq LIMIT 1000
                        """, arguments: [after])
                guard let last = rows.last else { break }
                for row in rows {
                    let keys = Fingerprint.values(littleEndian: Array(row["shingle_keys"] as Data? ?? Data()))
                    let signature = keys.isEmpty ? nil : Data(Fingerprint.littleEndian(Fingerprint.signature(ofKeys: keys)))
                    try update.execute(arguments: [signature, row["seq"] as Int64])
                }
                after = last["seq"]
            }
        }
        migrator.registerMigration("v6: claims led by their time") { db in
            // `claim(id:name:received:)` puts the time first now: every claim is made again from the columns it
            // was made of. Old and new claims cannot collide while the unique index is updated: an old one
            // starts with 64 hex digits or '-' and a space, a new one with a time ('2026-…').
            try db.execute(sql: "UPDATE article SET claim = received || ' ' || coalesce(id, '-') || ' ' || name")
        }
        migrator.registerMigration("v7: id keys written in bulk") { db in
            // The index on article(id) took each new row at a random place: every row of a commit dirtied a
            // 16 KiB page of its own, about 11 KiB of WAL an article. Its replacement, `id_key`, is written
            // sorted with the bands, in `flushKeys`, and under `bands_from` like them. Filled here for every
            // row, sorted; `deriveMissingKeys` adds nothing then.
            try db.execute(sql: """
                CREATE TABLE id_key (key INTEGER NOT NULL, article INTEGER NOT NULL, PRIMARY KEY (key, article)) WITHOUT ROWID;
                DROP INDEX article_id;
                """)
            try insertIDKeys(from: 1, in: db)
        }
        migrator.registerMigration("v8: keys merged in bulk") { db in
            // `band` and `id_key` stay the tables flushes write; their rows move here once `band` is large
            // (`BandMerge`).
            try db.execute(sql: """
                CREATE TABLE band_merged (
                  key INTEGER NOT NULL, article INTEGER NOT NULL, PRIMARY KEY (key, article)) WITHOUT ROWID;
                CREATE TABLE id_key_merged (
                  key INTEGER NOT NULL, article INTEGER NOT NULL, PRIMARY KEY (key, article)) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration(wordKeysMigration) { db in
            // `Fingerprint.wordKey` keys a word by its letters in any order, so a swapped-letter typo keeps the
            // word. Stored shingle keys and signatures are of the old keys: they can neither be compared with new
            // ones nor made again without the text. Dropped here, with the band keys made of them; the rows keep
            // their exact match (id keys stay), and `LedgerRebuilder.signAgain` signs them again from their
            // outbox documents when the daemon opens the ledger (`newsd reindex` rebuilds it whole).
            try db.execute(sql: """
                INSERT INTO meta (key, value) SELECT '\(signAgainKey)', 1 WHERE EXISTS (SELECT 1 FROM article WHERE fingerprint IS NOT NULL);
                UPDATE article SET fingerprint = NULL, shingle_keys = NULL WHERE fingerprint IS NOT NULL;
                DELETE FROM band;
                DELETE FROM band_merged;
                """)
        }
        migrator.registerMigration(commonWordsMigration) { db in
            // `Fingerprint.signature(ofKeys:)` leaves common words out: every stored signature is made again
            // from its row's shingle keys, and every key derived again, when the daemon (or `newsd batch`)
            // opens the ledger (`LedgerRebuilder.signAgain`, with its progress in STATUS=). Here, only marked:
            // a migration reports no progress, and a large ledger takes a while.
            try db.execute(sql: """
                INSERT INTO meta (key, value) SELECT '\(signFromKeysKey)', 1 WHERE EXISTS (SELECT 1 FROM article WHERE shingle_keys IS NOT NULL)
                """)
        }
        return migrator
    }

    static let wordKeysMigration = "v9: words keyed by their letters"
    static let commonWordsMigration = "v10: common words left out of signatures"
    /// In `meta` while rows an upgrade left without a fingerprint wait to be signed again from their documents.
    static let signAgainKey = "sign_again"
    /// In `meta` while stored signatures wait to be made again from their rows' shingle keys.
    static let signFromKeysKey = "sign_from_keys"

    /// Whether an upgrade changed the fingerprint, and stored rows wait to be signed again
    /// (`LedgerRebuilder.signAgain`): from their documents (`signAgainKey`), or from their shingle keys
    /// (`signFromKeysKey`).
    func needsSigningAgain() throws(LedgerError) -> Bool {
        !(try signingMarks().isEmpty)
    }

    /// Which of `signAgainKey` and `signFromKeysKey` the ledger holds.
    func signingMarks() throws(LedgerError) -> Set<String> {
        do {
            return Set(try pool.read { db in
                try String.fetchAll(
                    db, sql: "SELECT key FROM meta WHERE key IN (?, ?)", arguments: [Ledger.signAgainKey, Ledger.signFromKeysKey])
            })
        } catch {
            throw LedgerError("cannot read the ledger's state", underlying: error)
        }
    }

    /// Empties every key table and marks every row as lacking its keys, for `deriveMissingKeys` to make them all.
    static func forgetKeys(in db: Database) throws {
        for table in KeyTable.allCases {
            for name in [table.rawValue, table.merged] { try db.execute(sql: "DELETE FROM \(name)") }
        }
        try setBandsFrom(1, in: db)
    }
}

/// A fault of the ledger: SQLite could not open, read or write it. The spool treats it like a storage fault
/// (the article stays in work/ and is retried).
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var underlying: String?
    /// The ledger file itself is damaged (SQLite says corrupt or not a database, or the integrity check
    /// failed): only then may it be moved aside and rebuilt. A transient fault (EIO, EACCES, ENOSPC) is not.
    public var isDamage: Bool

    public init(_ message: String, underlying: (any Error)? = nil, isDamage: Bool = false) {
        self.message = message
        self.underlying = underlying.map { "\($0)" }
        self.isDamage = isDamage
    }

    public var description: String {
        underlying.map { "\(message): \($0)" } ?? message
    }
}

// MARK: Writer and lookup state

extension Ledger {
    /// What a lookup looks for in the tables: the article's id, and those of its band keys the key filter
    /// may hold (all of them before it is built).
    struct TableProbes {
        var id: Bool
        var bandKeys: [Int64]
    }

    struct Candidate {
        var sequence: Int64
        var id: String
        var name: String
        var similarity: Double
    }

    /// When a failed band flush may be tried again: the flush is retried with each later commit, so a
    /// failing disk would otherwise rewrite thousands of band rows for every batch. Doubling from 250 ms to
    /// a minute; the bands stay in memory meanwhile, and `close` tries once more whatever the delay.
    struct FlushRetry {
        var failures = 0
        var notBefore: ContinuousClock.Instant?

        func isDue(_ now: ContinuousClock.Instant) -> Bool {
            notBefore.map { now >= $0 } ?? true
        }

        /// Records a failure and returns the delay before the next try.
        mutating func failed(at now: ContinuousClock.Instant) -> Duration {
            failures += 1
            let delay = min(Duration.milliseconds(250) * (1 << min(failures - 1, 8)), .seconds(60))
            notBefore = now + delay
            return delay
        }
    }

    /// An article whose lookup is done and whose bands are not in the table yet.
    ///
    /// A class, touched only under the `pending` lock: a lookup reads several in-memory articles (about 7 in a
    /// drain of mixed articles), and as a struct each read copied it, retaining and releasing its two strings
    /// and four arrays.
    final class PendingArticle {
        let sequence: Int64
        let id: String
        /// `Ledger.idKey(id)`, worked out once, at the lookup.
        let idKey: Int64
        let name: String
        var fingerprint: Fingerprint?
        /// The buckets of its shingle keys (`KeyBuckets`), with its fingerprint.
        var buckets: KeyBuckets?
        var bandKeys: [Int64]
        /// Its row is committed; only its id key and bands wait for `flushKeys`.
        var committed = false

        init(
            sequence: Int64, id: String, idKey: Int64, name: String, fingerprint: Fingerprint?, buckets: KeyBuckets? = nil,
            bandKeys: [Int64]
        ) {
            self.sequence = sequence
            self.id = id
            self.idKey = idKey
            self.name = name
            self.fingerprint = fingerprint
            self.buckets = buckets
            self.bandKeys = bandKeys
        }

        var fingerprintBytes: Int {
            fingerprint.map { 4 * ($0.signature.count + $0.shingleKeys.count) + KeyBuckets.ranges } ?? 0
        }
    }

    /// A committed article as a lookup verifies it: the buckets of its shingle keys, the keys themselves once a
    /// lookup needed them (its buckets did not rule it out), and once it has passed, what names it.
    struct StoredCandidate {
        var keys: [UInt32]?
        let keyCount: Int
        let buckets: KeyBuckets
        var row: (id: String, name: String, claim: String)?

        init(keys: [UInt32], row: (id: String, name: String, claim: String)? = nil) {
            self.keys = keys
            keyCount = keys.count
            buckets = KeyBuckets(keys)
            self.row = row
        }

        /// An article known by its buckets only (`keyCount` keys).
        init(keyCount: Int, buckets: KeyBuckets) {
            self.keyCount = keyCount
            self.buckets = buckets
        }

        var bytes: Int {
            64 + KeyBuckets.ranges + 4 * (keys?.count ?? 0) + (row.map { $0.id.utf8.count + $0.name.utf8.count + $0.claim.utf8.count + 48 } ?? 0)
        }
    }

    /// The articles read from the tables to verify them as candidates. A committed row never changes, so they
    /// need no invalidation; SQLite's own page cache is dropped at every commit of the writer. At most about
    /// 2 × `generationBytes`: when the newer of two generations fills, the older is dropped, and an entry
    /// found in the older moves to the newer (least recently used, roughly).
    struct CandidateCache {
        private var newer: [Int64: StoredCandidate] = [:]
        private var older: [Int64: StoredCandidate] = [:]
        private var newerBytes = 0
        /// 8 MiB: about 5,000 articles with their keys a generation, or 26,000 with their buckets only. In a
        /// drain of 20,000 mixed articles, 14,000 different ones were candidates; with 4 MiB of keys and
        /// buckets a generation their rows were read 68,000 times, with 8 MiB of mostly buckets 22,000.
        let generationBytes: Int

        init(generationBytes: Int = 8 << 20) {
            self.generationBytes = generationBytes
        }

        mutating func candidate(_ sequence: Int64) -> StoredCandidate? {
            if let stored = newer[sequence] { return stored }
            guard let stored = older.removeValue(forKey: sequence) else { return nil }
            insert(stored, for: sequence)
            return stored
        }

        /// Adds `stored` unless something is kept of the same article already (it may know more).
        mutating func remember(_ stored: StoredCandidate, for sequence: Int64) {
            guard newer[sequence] == nil, older[sequence] == nil else { return }
            insert(stored, for: sequence)
        }

        /// Adds `stored`, or replaces what was kept of the same article.
        mutating func insert(_ stored: StoredCandidate, for sequence: Int64) {
            if let previous = newer.removeValue(forKey: sequence) { newerBytes -= previous.bytes }
            if newerBytes >= generationBytes {
                older = newer
                newer = [:]
                newerBytes = 0
            }
            newer[sequence] = stored
            newerBytes += stored.bytes
        }
    }

    /// The earliest few articles under band keys, as lookups read them from the table. Each flush adds its
    /// rows to the lists cached (`add`); `generation` counts flushes and other writes of band rows, because a
    /// list read before one and cached after it would be stale: it is cached only when the count has not
    /// changed meanwhile.
    struct TableBands {
        var generation = 0
        var lists: [Int64: [Int64]] = [:]
        /// At most this many keys (about 6 MiB); then the cache starts again empty.
        static let maximumKeys = 1 << 16
        /// As many as the band queries read under a key.
        static let perKey = 8

        /// After a flush committed `rows`: each goes into its key's list, if cached, in order, and the list
        /// keeps the earliest `perKey`.
        mutating func add(_ rows: [BandRow]) {
            generation += 1
            for row in rows {
                guard let index = lists.index(forKey: row.key) else { continue }
                TableBands.insert(row.article, into: &lists.values[index])
            }
        }

        /// The table holds `perKey` articles under `key` earlier than `article`, as far as the lists show.
        func holdsEarliest(under key: Int64, before article: Int64) -> Bool {
            guard let list = lists[key], list.count == TableBands.perKey, let last = list.last else { return false }
            return last < article
        }

        /// Puts `article` into `list` (ascending, the earliest `perKey`) unless it is there or comes too late.
        static func insert(_ article: Int64, into list: inout [Int64]) {
            if list.count == perKey, let last = list.last, article > last { return }
            let position = list.firstIndex { $0 >= article } ?? list.count
            if position < list.count, list[position] == article { return }
            list.insert(article, at: position)
            if list.count > perKey { list.removeLast() }
        }

        /// After band rows were written some other way (the rebuilder): every list may be stale.
        mutating func clear() {
            generation += 1
            lists.removeAll(keepingCapacity: true)
        }
    }

    /// The rows in `band`, and the merge of them (and of `id_key`'s) into `band_merged` (and `id_key_merged`).
    /// Flushes add to `band`; once it holds `threshold` rows, its 16 key ranges move one after the other
    /// (`Ledger.mergeBandRange`), each in a transaction of its own: about 130,000 rows, and a sixteenth of the
    /// large indexes rewritten, each time. (A ledger from before v8 moves all its rows this way once, in
    /// larger ranges.)
    struct BandMerge {
        /// About how many rows `band` holds (a flush's `INSERT OR IGNORE` may have added fewer).
        var rows: Int
        let threshold: Int
        /// The key range to move next; nil when no merge is under way.
        var nextRange: Int?
        var retry = FlushRetry()

        static let ranges = 16

        init(rows: Int, threshold: Int) {
            self.rows = rows
            self.threshold = threshold
            nextRange = rows >= threshold ? 0 : nil
        }

        /// A flush added `count` rows: a merge starts when `band` has reached the threshold.
        mutating func added(_ count: Int) {
            rows += count
            if nextRange == nil, rows >= threshold { nextRange = 0 }
        }

        /// `range` has moved; `left` is what `band` holds after the last one.
        mutating func merged(_ range: Int, left: Int?) {
            retry = FlushRetry()
            if let left {
                rows = left
                nextRange = nil
            } else {
                nextRange = range + 1
            }
        }

        /// The keys of range `range`, bounds included: the 64-bit keys cut into equal parts, in signed order.
        static func keys(of range: Int) -> (low: Int64, high: Int64) {
            let width = UInt64(1) << UInt64(64 - ranges.trailingZeroBitCount)
            let low = Int64(bitPattern: (UInt64(range) &* width) ^ (1 << 63))
            return (low, Int64(bitPattern: UInt64(bitPattern: low) &+ (width - 1)))
        }
    }

    /// One entry of the band index; sorted by key, then article, as the table's primary key.
    struct BandRow: Comparable {
        var key: Int64
        var article: Int64

        static func < (lhs: BandRow, rhs: BandRow) -> Bool {
            (lhs.key, lhs.article) < (rhs.key, rhs.article)
        }

        /// `rows` in the table's order, as `sorted()` gives them, by `BucketSort` on the keys' top bits. The
        /// comparison sort of a flush's 131,000 rows took about 11 ms, a sixth of the flush (perf: 2.4 µs an
        /// article).
        static func tableOrder(_ rows: [BandRow]) -> [BandRow] {
            guard rows.count > 256 else { return rows.sorted() }
            let bits = BucketSort.bits(for: rows.count, limit: 20)
            let shift = UInt64(64 - bits)
            // The table orders keys as signed integers: with the sign bit flipped, their bits sort alike.
            return BucketSort.sorted(rows, bits: bits) {
                Int(truncatingIfNeeded: (UInt64(bitPattern: $0.key) ^ (1 << 63)) >> shift)
            }
        }
    }

    /// The articles from `reserve` to the flush after the one that writes their keys, indexed like the tables.
    ///
    /// An article leaves memory one flush after its keys are written, not at once: near copies (wire copy,
    /// updates) tend to come soon after their original, and a lookup that finds its candidates here needs no
    /// SQLite. Each commit of the writer makes SQLite drop the lookup connection's page cache, so a lookup
    /// that goes to the tables reads its pages again (in a drain of 5,000 mixed articles, two 16 KiB reads
    /// and three locks on the WAL index an article; with the window, that drain on tmpfs went from 83 to
    /// 91 % of the throughput without the ledger). The key filter gets an article's keys when it leaves
    /// memory, so the tables are searched only for older articles.
    struct PendingIndex {
        var articles: [Int64: PendingArticle] = [:]
        /// Sequences in ascending order (reservations take increasing numbers under the lock).
        var byID: [String: [Int64]] = [:]
        /// Sequences under each band key, in ascending order. An article that leaves stays listed until the
        /// next flush lists the index again; readers skip sequences no longer in `articles`.
        var bands = BandLists()
        /// Committed articles whose keys are only here, in commit order.
        var unflushed: [Int64] = []
        /// The fingerprint bytes those articles hold.
        var unflushedBytes = 0
        /// The articles the last flush wrote: here until the next flush, and not in the key filter until then.
        var remembered: [Int64] = []
        /// The keys the tables hold, once built (`Ledger.buildFilter`); until then every key is looked up.
        var filter: KeyFilter?
        /// A larger filter being built from the tables; what is committed meanwhile goes into both.
        var nextFilter: KeyFilter?
        /// The first lookup has asked for the filter to be built.
        var filterRequested = false
        var filterMinimumWords = Ledger.defaultKeyFilterWords

        /// Records keys committed to the tables, before the articles they belong to may leave memory.
        mutating func recordInTables(_ key: UInt64) {
            filter?.insert(key)
            nextFilter?.insert(key)
        }

        /// The filter holds more keys than it was sized for, and no larger one is being built: the caller
        /// builds one (and `nextFilter` stands for it from now on).
        mutating func filterShouldGrow() -> Bool {
            guard let filter, nextFilter == nil, filter.count > filter.capacity else { return false }
            nextFilter = KeyFilter(keys: 2 * filter.count, minimumWords: filterMinimumWords)
            return true
        }

        /// After its row's commit, an article stays until its id key and bands are written.
        mutating func markCommitted(_ sequence: Int64) {
            guard let article = articles[sequence] else { return }
            article.committed = true
            unflushed.append(sequence)
            unflushedBytes += article.fingerprintBytes
        }

        /// The lowest sequence reserved and not committed yet.
        var lowestUncommitted: Int64? {
            articles.values.lazy.filter { !$0.committed }.map(\.sequence).min()
        }

        mutating func insert(_ article: PendingArticle) {
            articles[article.sequence] = article
            list(article)
        }

        /// Adds `article` to the lists; it must come after every article in them.
        private mutating func list(_ article: PendingArticle) {
            byID[article.id, default: []].append(article.sequence)
            for key in article.bandKeys { bands.append(article.sequence, under: key) }
        }

        /// The articles still here under `key`, earliest first.
        func articles(under key: Int64) -> [Int64] {
            var found: [Int64] = []
            bands.visit(key) { sequence in
                if articles[sequence]?.bandKeys.isEmpty == false { found.append(sequence) }
                return true
            }
            return found
        }

        /// After a flush of the first `count` unflushed articles: forgets the articles the flush before wrote
        /// (their keys go into the key filter first), remembers these in their place, and lists the articles
        /// that stay again, which also drops the entries of articles that left.
        /// Returns the articles that left.
        @discardableResult
        mutating func forgetFlushed(_ count: Int) -> [PendingArticle] {
            var departed: [PendingArticle] = []
            departed.reserveCapacity(remembered.count)
            for sequence in remembered {
                guard let article = articles.removeValue(forKey: sequence) else { continue }
                recordInTables(KeyFilter.key(id: article.idKey))
                for key in article.bandKeys { recordInTables(KeyFilter.key(band: key)) }
                departed.append(article)
            }
            remembered = Array(unflushed.prefix(count))
            for sequence in remembered {
                if let article = articles[sequence] { unflushedBytes -= article.fingerprintBytes }
            }
            unflushed.removeFirst(count)
            byID = [:]
            bands.removeAll()
            for article in articles.values.sorted(by: { $0.sequence < $1.sequence }) { list(article) }
            return departed
        }

        /// Takes an article out of the near-duplicate lists (an exact copy, found after it was registered).
        func dropBands(of sequence: Int64) {
            guard let article = articles[sequence] else { return }
            article.bandKeys = []
            article.fingerprint = nil
            article.buckets = nil
        }

        mutating func remove(_ sequence: Int64) {
            guard let article = articles.removeValue(forKey: sequence) else { return }
            byID[article.id]?.removeAll { $0 == sequence }
            if byID[article.id]?.isEmpty == true { byID[article.id] = nil }
        }
    }

    /// For each band key, the sequences listed under it in the order they were added: linked lists in two
    /// flat arrays. A dictionary of arrays allocated an array for every key (131,072 between two flushes of
    /// 4,096 articles) and freed them all at each flush; malloc and free were a tenth of the ledger's time.
    ///
    /// The ends of each key's list are in a table of its own (open addressing, linear probing, a key and its
    /// list's ends in one 16-byte slot): a `Dictionary` ran SipHash on keys that are hashes already and kept
    /// keys, values and its bitmap in three arrays, three cache misses a probe in a table of 200,000 keys, and
    /// its probes were a sixth of the ledger's time in a drain of mixed articles. Keys are scattered with a
    /// seed drawn for each index, so inputs crafted to collide under one process's seed do not under another's.
    struct BandLists {
        private struct Slot {
            var key: Int64
            /// The first and last entry of the key's list; `first` is -1 in an empty slot.
            var first: Int32
            var last: Int32
            static let empty = Slot(key: 0, first: -1, last: -1)
        }
        private var slots = [Slot](repeating: .empty, count: 1 << 10)
        private var shift = UInt64(64 - 10)
        private var occupied = 0
        private let seed = UInt64.random(in: .min ... .max)
        private var sequences: [Int64] = []
        /// The entry after each one under the same key; -1 at the end.
        private var next: [Int32] = []

        mutating func append(_ sequence: Int64, under key: Int64) {
            let entry = Int32(sequences.count)
            sequences.append(sequence)
            next.append(-1)
            var index = slot(of: key)
            if slots[index].first >= 0 {
                next[Int(slots[index].last)] = entry
                slots[index].last = entry
                return
            }
            if (occupied + 1) * 2 > slots.count {
                grow()
                index = slot(of: key)
            }
            slots[index] = Slot(key: key, first: entry, last: entry)
            occupied += 1
        }

        /// Calls `body` with each sequence under `key` in order, until it returns false.
        func visit(_ key: Int64, _ body: (Int64) -> Bool) {
            var entry = slots[slot(of: key)].first
            while entry >= 0 {
                guard body(sequences[Int(entry)]) else { return }
                entry = next[Int(entry)]
            }
        }

        mutating func removeAll() {
            slots.withUnsafeMutableBufferPointer { $0.update(repeating: .empty) }
            occupied = 0
            sequences.removeAll(keepingCapacity: true)
            next.removeAll(keepingCapacity: true)
        }

        /// The slot holding `key`, or the empty one where it would go.
        private func slot(of key: Int64) -> Int {
            slots.withUnsafeBufferPointer { slots in
                let mask = slots.count - 1
                var index = Int(truncatingIfNeeded: Fingerprint.mix(UInt64(bitPattern: key) ^ seed) >> shift)
                while slots[index].first >= 0, slots[index].key != key { index = (index + 1) & mask }
                return index
            }
        }

        private mutating func grow() {
            let old = slots
            slots = [Slot](repeating: .empty, count: old.count * 2)
            shift -= 1
            for slot in old where slot.first >= 0 {
                let index = self.slot(of: slot.key)
                slots[index] = slot
            }
        }
    }

    struct Submission: Sendable {
        enum Completion: Sendable {
            case waiter(Waiter)
            case callback(@Sendable (Result<Void, LedgerError>) -> Void)
        }
        var entry: LedgerEntry
        var sequence: Int64
        var completion: Completion

        var isBlocking: Bool {
            if case .waiter = completion { return true }
            return false
        }

        func finish(_ result: Result<Void, LedgerError>) {
            switch completion {
            case .waiter(let waiter): waiter.finish(result)
            case .callback(let then): then(result)
            }
        }
    }

    struct WriterQueue {
        var waiting: [Submission] = []
        /// Submissions in `waiting` whose worker is blocked until the commit.
        var blocking = 0
        /// When the oldest row in `waiting` arrived (nil when none waits).
        var firstArrival: DispatchTime?
        /// A run of the writer is scheduled for when the oldest row will have waited long enough.
        var timerSet = false
        /// Set by `close`, after which submissions fail at once.
        var closed = false

        /// When to run the writer for the rows waiting, unless a timer is set already.
        mutating func scheduleTimer(after gatheringTime: DispatchTimeInterval) -> DispatchTime? {
            guard !timerSet, let firstArrival else { return nil }
            timerSet = true
            return firstArrival + gatheringTime
        }
    }

    /// One worker waiting for its row's transaction.
    final class Waiter: Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        private let result = Mutex<Result<Void, LedgerError>?>(nil)

        func finish(_ outcome: Result<Void, LedgerError>) {
            result.withLock { $0 = outcome }
            semaphore.signal()
        }

        func wait() throws(LedgerError) {
            semaphore.wait()
            try result.withLock { $0 ?? .success(()) }.get()
        }
    }
}
