#if canImport(Glibc)
import Glibc
#endif
import Analysis
import Dispatch
import Ledger
import Synchronization
import SystemPackage

/// What became of one claimed file.
enum ArticleOutcome: Sendable {
    /// Analysed; the document is durable in the outbox under `outboxName` and the input was disposed of.
    case processed(id: String, outboxName: [UInt8])
    /// Could not be analysed; the original and its error document are durable in failed/.
    case failed(id: String?, error: InputError, failedName: [UInt8])
    /// A fault of the storage: nothing was disposed of, the file stays in work/ to be retried.
    case retry(SpoolError)
    /// The file was no longer in work/ (removed by someone else): nothing to do.
    case vanished
}

/// Takes one file in work/ to its single result: read, analyse, write durably, dispose of the input.
///
/// Runs on a worker lane; holds no mutable state. Every step is safe to redo after a crash at any point.
struct ArticleProcessor: Sendable {
    var directories: SpoolDirectories
    var builder: DocumentBuilder
    var onSuccess: SuccessAction
    /// Where each result is recorded before its input is disposed of; nil when the ledger is off.
    var ledger: Ledger?
    /// The file was recovered from work/ or sent back by a storage fault, so its result may already exist.
    /// Only then does an existing document with the same identity count as this file's own: a fresh claim
    /// always gets a result of its own.
    var mayHaveEarlierAttempt = false
    /// Set when the file was being worked on at `max_analysis_crashes` crashes of newsd: it goes to failed/
    /// with `analysis-crashed`, read (for its id) but never analysed again.
    var crashes: Int?
    var maximumArticleBytes: Int { builder.maximumArticleBytes }

    /// Takes `name` to its result and calls `completion` with the outcome: before returning, or — when its
    /// ledger row is on its way — on the ledger's writer thread once the row is committed and the input
    /// disposed of. The caller's lane is free for the next article meanwhile.
    func process(_ name: [UInt8], completion: @escaping @Sendable (ArticleOutcome) -> Void) {
        do {
            if let outcome = try attempt(name, completion: completion) { completion(outcome) }
        } catch {
            completion(outcome(of: error, name))
        }
    }

    /// `process` for callers that want the outcome at once (tests): waits for the ledger.
    func process(_ name: [UInt8]) -> ArticleOutcome {
        let result = Mutex<ArticleOutcome?>(nil)
        let done = DispatchSemaphore(value: 0)
        process(name) { @Sendable outcome in
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        return result.withLock { $0 } ?? .vanished
    }

    private func outcome(of error: SpoolError, _ name: [UInt8]) -> ArticleOutcome {
        if error.errno == .noSuchFileOrDirectory && (try? Syscalls.exists(directories.work, name)) == false {
            // Someone removed the claimed file; there is nothing left to give a result to.
            return .vanished
        }
        return .retry(error)
    }

    /// The outcome, or nil when `completion` will be called by the ledger's writer.
    private func attempt(
        _ name: [UInt8], completion: @escaping @Sendable (ArticleOutcome) -> Void
    ) throws(SpoolError) -> ArticleOutcome? {
        // Inspect without following or opening: symlinks, FIFOs, devices, directories and hard-linked files
        // are refused without ever being read.
        let entry = try Syscalls.lstatAt(directories.work, name)
        let received = Timestamp.rfc3339(microseconds: entry.changeTimeMicroseconds)
        var source = SourceDescription(
            name: name, bytes: entry.isRegularFile ? Int(entry.st_size) : 0,
            format: DocumentBuilder.format(of: name), received: received)

        guard entry.isRegularFile, entry.st_nlink == 1 else {
            return try fail(name, id: nil, source: source, InputError(
                code: .notRegularFile,
                message: "The entry is \(entry.kindDescription), not a regular file with a single link; it was not opened."))
        }
        guard Int(entry.st_size) <= maximumArticleBytes else {
            return try fail(name, id: nil, source: source, builder.tooLarge(Int(entry.st_size)))
        }

        let descriptor: CInt
        do {
            descriptor = try Syscalls.openAt(directories.work, name, flags: O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
        } catch where error.errno == .tooManySymbolicLinkLevels {
            // Swapped for a symlink after the check above.
            return try fail(name, id: nil, source: source, InputError(
                code: .notRegularFile, message: "The entry became a symbolic link while it was claimed; it was not followed."))
        } catch where error.errno == .permissionDenied {
            return try fail(name, id: nil, source: source, InputError(
                code: .unreadable, message: "newsd may not read the file (permission denied)."))
        }
        let bytes: [UInt8]
        do {
            defer { Syscalls.close(descriptor) }
            let opened = try Syscalls.fileStatus(descriptor)
            guard opened.isRegularFile, opened.st_nlink == 1, opened.st_ino == entry.st_ino, opened.st_dev == entry.st_dev else {
                return try fail(name, id: nil, source: source, InputError(
                    code: .notRegularFile, message: "The entry was replaced by \(opened.kindDescription) while it was claimed."))
            }
            bytes = try Syscalls.readAll(descriptor, expectedSize: Int(opened.st_size), limit: maximumArticleBytes + 1)
        }
        source.bytes = bytes.count
        if let crashes {
            return try fail(name, id: ContentHash.sha256Hex(bytes), source: source, InputError(
                code: .analysisCrashed,
                message: "newsd crashed \(crashes) times while working on this file; it was set aside without another try."))
        }
        let article: DocumentBuilder.Analysed
        switch builder.analyze(bytes, source: source) {
        case .failure(let failedID, let error, _):
            return try fail(name, id: failedID, source: source, error)
        case .analysed(let analysed):
            article = analysed
        }
        let id = article.id
        let escapedName = DocumentEncoder.escapedName(name)

        // The ledger says whether this repeats an earlier article, and from now on later lookups see it.
        var reservation: Ledger.Reservation?
        var fingerprint: Fingerprint?
        if let ledger {
            fingerprint = Fingerprint(text: article.analysis.article.text)
            do {
                reservation = try ledger.reserve(
                    id: id, name: escapedName, received: received, fingerprint: fingerprint,
                    mayHaveEarlierAttempt: mayHaveEarlierAttempt)
            } catch {
                throw SpoolError(ledgerFault: error)
            }
        }
        var committed = false
        defer { if !committed, let reservation { ledger?.cancel(reservation) } }
        let document = builder.encode(article, source: source, duplicateOf: reservation?.duplicateOf)

        let placement = try DurableWriter.write(
            document, in: directories.outbox,
            candidates: EntryNames.candidates(base: EntryNames.stem(name), tag: String(id.prefix(8)), suffix: ".json"),
            identity: mayHaveEarlierAttempt ? Self.identity(of: document, received: received) : [])
        let outboxName: [UInt8]
        var earlierDocument = false
        switch placement {
        case .written(let written): outboxName = written
        case .alreadyPresent(let written): (outboxName, earlierDocument) = (written, true)
        }
        // The row is durable before the input goes: a crash in between redoes this claim, and the ledger keeps
        // one row per claim. The writer commits it with whatever rows are waiting, then disposes of the input.
        if let ledger, let reservation {
            var entry = LedgerEntry(
                id: id, name: escapedName, outboxName: DocumentEncoder.escapedName(outboxName), received: received,
                analysis: article.analysis, fingerprint: fingerprint, duplicateOf: reservation.duplicateOf)
            // An earlier attempt's document is the result: its row says what it says (its duplicate_of was looked
            // up then and may differ from this attempt's lookup).
            if earlierDocument, let written = LedgerEntry(
                articleDocument: try Self.read(outboxName, in: directories.outbox),
                resultName: entry.resultName ?? "")
            {
                entry = written
            }
            committed = true
            let processor = self
            ledger.commit(reservation, entry: entry) { @Sendable result in
                switch result {
                case .failure(let error):
                    completion(.retry(SpoolError(ledgerFault: error)))
                case .success:
                    do throws(SpoolError) {
                        try processor.dispose(name, tag: String(id.prefix(8)))
                        completion(.processed(id: id, outboxName: outboxName))
                    } catch {
                        completion(processor.outcome(of: error, name))
                    }
                }
            }
            return nil
        }
        committed = true
        try dispose(name, tag: String(id.prefix(8)))
        return .processed(id: id, outboxName: outboxName)
    }

    /// The bytes of the file `name` in `directory`.
    private static func read(_ name: [UInt8], in directory: CInt) throws(SpoolError) -> [UInt8] {
        let descriptor = try Syscalls.openAt(directory, name, flags: O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
        defer { Syscalls.close(descriptor) }
        let size = Int(try Syscalls.fileStatus(descriptor).st_size)
        return try Syscalls.readAll(descriptor, expectedSize: size, limit: size + 1)
    }

    /// After success: the original leaves work/ for archive/ (never replacing anything there) or is deleted.
    private func dispose(_ name: [UInt8], tag: String) throws(SpoolError) {
        switch onSuccess {
        case .delete:
            try Syscalls.unlinkAt(directories.work, name)
        case .archive:
            for candidate in EntryNames.candidates(base: name, tag: tag, suffix: "") {
                if try Syscalls.exists(directories.archive, candidate) { continue }
                try Syscalls.renameAt(directories.work, name, directories.archive, candidate)
                return
            }
            throw SpoolError("no free archive name", name: name, errno: .fileExists)
        }
    }

    /// The error document first, then the original beside it; the pair never overwrites anything.
    private func fail(_ name: [UInt8], id: String?, source: SourceDescription, _ error: InputError) throws(SpoolError) -> ArticleOutcome {
        let document = builder.failure(id, source, error).document
        let suffix = Array(".error.json".utf8)
        let tag = id.map { String($0.prefix(8)) } ?? Self.shortHash(source.received)
        let failed = directories.failed
        let placement = try DurableWriter.write(
            document, in: failed,
            candidates: EntryNames.candidates(base: name, tag: tag, suffix: ".error.json"),
            identity: mayHaveEarlierAttempt ? Self.identity(of: document, received: source.received) : [],
            accept: { (documentName) throws(SpoolError) in
                try !Syscalls.exists(failed, Array(documentName.dropLast(suffix.count)))
            })
        let documentName: [UInt8]
        switch placement {
        case .written(let written), .alreadyPresent(let written): documentName = written
        }
        let originalName = Array(documentName.dropLast(suffix.count))
        if let ledger {
            do {
                try ledger.record(LedgerEntry(
                    id: id, name: DocumentEncoder.escapedName(name), resultName: DocumentEncoder.escapedName(originalName),
                    received: source.received, outcome: .failed, errorCode: error.code.rawValue))
            } catch {
                throw SpoolError(ledgerFault: error)
            }
        }
        try Syscalls.renameAt(directories.work, name, failed, originalName)
        try Syscalls.synchronize(failed)
        return .failed(id: id, error: error, failedName: originalName)
    }

    /// Eight hex digits of FNV-1a, stable across runs: a tag for names when there is no content id.
    static func shortHash(_ text: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// The leading bytes of a document that name its claim: everything up to and including the quoted
    /// `received` stamp, which the encoder writes before any analysis.
    static func identity(of document: [UInt8], received: String) -> ArraySlice<UInt8> {
        let needle = Array("\"\(received)\"".utf8)
        guard needle.count <= document.count else { return [] }
        var index = 0
        while index + needle.count <= document.count {
            if document[index] == needle[0] && document[index..<(index + needle.count)].elementsEqual(needle) {
                return document[..<(index + needle.count)]
            }
            index += 1
        }
        return []
    }
}

/// What happens to an original after its analysis is durable (`on_success`).
public enum SuccessAction: String, Sendable, CaseIterable {
    case archive
    case delete
}
