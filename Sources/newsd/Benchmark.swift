import Analysis
import ArgumentParser
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

struct Benchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark",
        abstract: "Measure the analysis alone (decode + analyse + encode, no disk), or the ledger, on a folder of articles.",
        discussion: """
            Reads every file of the folder into memory once, then analyses all of them REPEAT times with one \
            worker and with all cores, and prints articles/s, words/s (words as counted in stats.words), \
            per-core words/s and the process's peak RSS.

            With --ledger it measures the ledger instead: every article is analysed once, then REPEAT copies of \
            the folder go through the fingerprint, the duplicate lookup and the group commit of a fresh ledger \
            in $TMPDIR (default /var/tmp), and it prints the CPU time each part takes per article.

            Examples:
              newsd benchmark ../shared/corpus/wikinews-2019-2020 --repeat 20
              newsd benchmark ../shared/corpus/wikinews-2019-2020 --ledger --repeat 20
            """
    )

    @Argument(help: "A folder of articles (.txt, .md, .json, .html).")
    var folder: String

    @Option(name: .customLong("repeat"), help: "How many times to analyse the whole folder per measurement.")
    var repetitions: Int = 10

    @Option(help: "Worker threads for the all-cores measurement (default: active cores).")
    var workers: Int?

    @Flag(help: "Measure the ledger's fingerprint, lookup and commit instead of the analysis.")
    var ledger = false

    @Flag(help: "With --ledger: every copy a new article (no near-duplicates), as most of a real feed is.")
    var unique = false

    func run() throws {
        let inputs = try Self.load(folder)
        guard !inputs.isEmpty else { throw ValidationError("no readable articles in \(folder)") }
        let analyzer = Analyzer()
        if ledger {
            try LedgerBenchmark.run(inputs, analyzer: analyzer, articles: inputs.count * repetitions, unique: unique)
            return
        }
        let words = inputs.reduce(0) { total, input in
            total + ((try? ArticleDecoder.decode(input.bytes, format: input.format, maximumBytes: .max))
                .map { analyzer.analyze($0).statistics.words } ?? 0)
        }
        let cores = workers ?? max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        print("corpus: \(inputs.count) articles, \(words) words, \(inputs.reduce(0) { $0 + $1.bytes.count }) bytes; repeat \(repetitions)")
        for threads in Set([1, cores]).sorted() {
            let seconds = Self.measure(inputs, analyzer: analyzer, threads: threads, repetitions: repetitions)
            let articles = Double(inputs.count * repetitions)
            let perSecond = Double(words * repetitions) / seconds
            print("\(threads) worker\(threads == 1 ? " " : "s"): \(Int(articles / seconds)) articles/s, "
                + "\(Int(perSecond)) words/s, \(Int(perSecond / Double(threads))) words/s per core")
        }
        print("peak RSS: \(Self.peakResidentKilobytes() / 1024) MiB")
    }

    struct Input: Sendable {
        var bytes: [UInt8]
        var format: InputFormat
    }

    static func load(_ folder: String) throws -> [Input] {
        guard let directory = opendir(folder) else { throw ValidationError("cannot open \(folder)") }
        defer { closedir(directory) }
        var inputs: [Input] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            guard let format = ArticleDecoder.format(forFileName: name) else { continue }
            let path = folder + "/" + String(decoding: name, as: UTF8.self)
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
                if count <= 0 { break }
                bytes.append(contentsOf: chunk[..<count])
            }
            inputs.append(Input(bytes: bytes, format: format))
        }
        return inputs
    }

    /// Seconds to decode, analyse and encode every input `repetitions` times on `threads` threads.
    static func measure(_ inputs: [Input], analyzer: Analyzer, threads: Int, repetitions: Int) -> Double {
        let next = Atomic<Int>(0)
        let total = inputs.count * repetitions
        let checksum = Atomic<Int>(0)
        let started = ContinuousClock.now
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            var local = 0
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < total else { break }
                let input = inputs[index % inputs.count]
                guard let article = try? ArticleDecoder.decode(input.bytes, format: input.format, maximumBytes: .max) else {
                    continue
                }
                let analysis = analyzer.analyze(article)
                let source = SourceDescription(name: [0x61], bytes: input.bytes.count, format: input.format, received: "")
                local &+= DocumentEncoder.article(
                    id: ContentHash.sha256Hex(input.bytes), source: source, analysis: analysis, duplicateOf: nil,
                    pipelineVersion: pipelineVersion, durationMicroseconds: 0
                ).count
            }
            checksum.add(local, ordering: .relaxed)
        }
        let elapsed = (ContinuousClock.now - started).components
        precondition(checksum.load(ordering: .relaxed) > 0)
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }

    static func peakResidentKilobytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss
    }
}
