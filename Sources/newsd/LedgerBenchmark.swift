import Analysis
import Dispatch
import Ledger
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `newsd benchmark --ledger`: what the ledger costs one article, part by part, without the analysis or the
/// spool's file system work around it. The end-to-end figure (scripts/bench-ledger.sh) is what users see;
/// this one is steady enough to compare two builds of the ledger on a noisy machine.
///
/// Every input is analysed once beforehand. Then each of `articles` copies (input `i % count`, its text
/// with a distinct last line, so every copy after the first of an input is a near-duplicate and the lookup
/// verifies a candidate, as in the end-to-end drain) goes through what the spool does: the fingerprint,
/// the lookup (`reserve`), the row (`LedgerEntry`) and the group commit. The submitting thread's CPU time is
/// split by part; the writer's is the process's CPU time minus the submitter's.
///
/// As in the daemon, at most `inFlight` rows wait for their commit at a time (the claim room of two workers
/// with the ledger, 4 × 2 + 48), so the writer commits batches of the daemon's size, not hundreds of rows at
/// once: a commit writes each index page it touches whole, however few of its rows are new. And each copy
/// is received a little after the one before, as claimed files are.
enum LedgerBenchmark {
    static let inFlight = 56

    struct Prepared: Sendable {
        var id: String
        var analysis: Analysis
    }

    static func run(_ inputs: [Benchmark.Input], analyzer: Analyzer, articles: Int, unique: Bool = false) throws {
        var directoryTemplate = Array("\(temporaryDirectory())/newsd-ledger-bench-XXXXXX".utf8CString)
        guard let directory = directoryTemplate.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }).map({ String(cString: $0) })
        else { throw BenchmarkError("cannot create a temporary directory") }
        defer { removeTree(directory) }

        let prepared = inputs.compactMap { input -> Prepared? in
            guard let article = try? ArticleDecoder.decode(input.bytes, format: input.format, maximumBytes: .max) else { return nil }
            return Prepared(id: ContentHash.sha256Hex(input.bytes), analysis: analyzer.analyze(article))
        }
        guard !prepared.isEmpty else { throw BenchmarkError("no article could be analysed") }

        var logger = Logger(label: "newsd.benchmark")
        logger.logLevel = .warning
        let ledger = try Ledger(path: directory + "/" + Ledger.fileName, logger: logger)
        let room = DispatchSemaphore(value: inFlight)
        var fingerprinting = 0.0, lookingUp = 0.0, building = 0.0, submitting = 0.0
        let finished = Atomic<Int>(0)
        let failures = Atomic<Int>(0)
        let allDone = DispatchSemaphore(value: 0)

        let processBefore = processCPUSeconds()
        let threadBefore = threadCPUSeconds()
        let started = ContinuousClock.now
        for index in 0..<articles {
            let source = prepared[index % prepared.count]
            // Unique: every word of the copy carries its number, so no two copies share a shingle (a big
            // ledger's band index holds 32 distinct keys an article, as a feed of mostly new articles gives).
            let text = unique
                ? source.analysis.article.text.split(separator: " ").map { "\($0)\(index)" }.joined(separator: " ")
                : source.analysis.article.text + "\nCopy \(index).\n"
            let id = source.id + "-\(index)"
            let name = "article-\(index).txt"
            let received = "2026-01-01T00:\(twoDigits(index / 60_000_000 % 60)):\(twoDigits(index / 1_000_000 % 60)).\(sixDigits(index % 1_000_000))Z"
            room.wait()

            var mark = threadCPUSeconds()
            func lap(_ total: inout Double) {
                let now = threadCPUSeconds()
                total += now - mark
                mark = now
            }
            let fingerprint = Fingerprint(text: text)
            lap(&fingerprinting)
            let reservation = try ledger.reserve(
                id: id, name: name, received: received, fingerprint: fingerprint, mayHaveEarlierAttempt: false)
            lap(&lookingUp)
            let entry = LedgerEntry(
                id: id, name: name, outboxName: name + ".json", received: received, analysis: source.analysis,
                fingerprint: fingerprint, duplicateOf: reservation.duplicateOf)
            lap(&building)
            ledger.commit(reservation, entry: entry) { @Sendable result in
                if case .failure = result { failures.add(1, ordering: .relaxed) }
                room.signal()
                if finished.add(1, ordering: .relaxed).newValue == articles { allDone.signal() }
            }
            lap(&submitting)
        }
        allDone.wait()
        let elapsed = ContinuousClock.now - started
        let submitter = threadCPUSeconds() - threadBefore
        let writer = processCPUSeconds() - processBefore - submitter
        ledger.close()
        guard failures.load(ordering: .relaxed) == 0 else {
            throw BenchmarkError("\(failures.load(ordering: .relaxed)) commits failed")
        }

        func micros(_ seconds: Double) -> String {
            String(Int((seconds / Double(articles) * 1e6).rounded()))
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let kind = unique ? "every copy a new article" : "each copy after the first a near-duplicate"
        print("ledger: \(articles) articles (\(prepared.count) inputs, \(kind)), "
            + "\(Int(Double(articles) / seconds)) articles/s from one submitting thread")
        print("CPU per article: fingerprint \(micros(fingerprinting)) µs, lookup \(micros(lookingUp)) µs, "
            + "row \(micros(building)) µs, hand-over \(micros(submitting)) µs, writer \(micros(writer)) µs; "
            + "total \(micros(fingerprinting + lookingUp + building + submitting + writer)) µs")
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    static func sixDigits(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: 6 - digits.count) + digits
    }

    struct BenchmarkError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func temporaryDirectory() -> String {
        guard let value = getenv("TMPDIR"), value.pointee != 0 else { return "/var/tmp" }
        return String(cString: value)
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Removes the benchmark's ledger folder (the database, its WAL and shared-memory files).
    static func removeTree(_ directory: String) {
        guard let handle = opendir(directory) else { return }
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != ".", name != ".." { unlink(directory + "/" + name) }
        }
        closedir(handle)
        rmdir(directory)
    }
}
