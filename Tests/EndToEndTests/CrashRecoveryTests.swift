import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    /// `kill -9` at random moments: nothing lost, nothing doubled, nothing half-seen.
    @Suite struct CrashRecovery {
        @Test func killNineAtRandomMomentsLosesNothingAndNeverShowsAPartialDocument() async throws {
            let scratch = try ScratchDirectory("kill9")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            try makeDirectory(spool.inbox)
            let count = EndToEnd.scaled(2_000)
            var inputs: Set<String> = []
            for number in 0..<count {
                let name = "article-\(number).txt"
                try writeFile(spool.inbox, name, EndToEnd.smallArticle(number))
                inputs.insert(name)
            }
            // Some poison in the mix, so crashes also land between an error document and its original.
            var poison: Set<String> = []
            for number in 0..<EndToEnd.scaled(100) {
                let name = "poison-\(number).txt"
                try writeFile(spool.inbox, name, Array("Invalid \(number) ".utf8) + [0xC3, 0x28] + Array(" text.\n".utf8))
                poison.insert(name)
            }

            let reader = OutboxReader(directory: spool.outbox)
            defer { reader.stop() }

            var delays: [Int] = []
            for round in 1...5 {
                let daemon = try await startDaemon(spool, in: scratch.path, logName: "round-\(round)", waitForReady: false)
                defer { daemon.forceKill() }
                let delay = Int.random(in: 50...600)
                delays.append(delay)
                try await Task.sleep(for: .milliseconds(delay))
                daemon.send(SIGKILL)
                let termination = await daemon.waitForExit(timeout: .seconds(10))
                #expect(termination == Termination(status: SIGKILL, bySignal: true),
                    "round \(round): \(termination.map(\.description) ?? "still running"); stderr:\n\(daemon.standardError.suffix(2_000))")
            }

            let daemon = try await startDaemon(spool, in: scratch.path, logName: "final")
            defer { daemon.forceKill() }
            let finished = try await eventually(timeout: .seconds(120), interval: .milliseconds(200)) {
                entryNames(spool.inbox).isEmpty && entryNames(spool.work).isEmpty
                    && entryNames(spool.outbox).filter({ $0.first != UInt8(ascii: ".") }).count >= count
                    && entryNames(spool.failed).filter({ $0.ends(with: Array(".error.json".utf8)) }).count >= poison.count
            }
            #expect(finished, "not finished within 120 s after the crashes (kill delays \(delays) ms)")
            await stopDaemon(daemon)
            reader.stop()

            let seen = reader.result
            #expect(seen.partial.isEmpty, "a reader saw incomplete documents: \(seen.partial.prefix(5)) (kill delays \(delays) ms)")
            #expect(seen.checked > 0, "the reader never saw a document")

            let outbox = readOutbox(spool.outbox)
            #expect(outbox.hiddenNames.isEmpty, "temporary files left in the outbox: \(outbox.hiddenNames.prefix(5))")
            #expect(outbox.malformed.isEmpty, "\(outbox.malformed.prefix(5))")
            let counts = outbox.countsBySource
            #expect(Set(counts.keys) == inputs, "missing: \(inputs.subtracting(counts.keys).sorted().prefix(10)) (kill delays \(delays) ms)")
            #expect(counts.filter { $0.value != 1 }.isEmpty,
                "inputs with more than one document: \(counts.filter { $0.value != 1 }.sorted { $0.key < $1.key }.prefix(10)) (kill delays \(delays) ms)")
            #expect(entryNames(spool.work).isEmpty)
            let failed = readFailed(spool.failed)
            #expect(failed.strays.isEmpty, "\(failed.strays.prefix(10)) (kill delays \(delays) ms)")
            #expect(failed.codesBySource == Dictionary(uniqueKeysWithValues: poison.map { ($0, ["invalid-utf8"]) }),
                "a crash must never fail a good article nor double an error document (kill delays \(delays) ms)")
            let archived = entryNames(spool.archive).map(display)
            #expect(archived.count == count && Set(archived) == inputs, "archive holds \(archived.count) originals for \(count) inputs")
        }
    }
}

/// Reads the outbox over and over on its own thread, parsing every visible file once, the way a consumer
/// polling the folder would; records any file that is not a complete JSON document.
final class OutboxReader: Sendable {
    struct Result: Sendable {
        var checked = 0
        var partial: [String] = []
    }

    private let running = Atomic<Bool>(true)
    private let state = Mutex(Result())
    private let done = Mutex(false)

    init(directory: String) {
        let thread = Thread { [self] in
            var verified = Set<[UInt8]>()
            while running.load(ordering: .acquiring) {
                for name in entryNames(directory) where name.first != UInt8(ascii: ".") && !verified.contains(name) {
                    verified.insert(name)
                    let bytes = readFile(directory, name)
                    let complete = bytes.flatMap(jsonObject).map { $0["schema"] as? String == "newsd/article@1" } ?? false
                    state.withLock { result in
                        result.checked += 1
                        if !complete { result.partial.append("\(display(name)) (\(bytes?.count ?? -1) bytes)") }
                    }
                }
                usleep(2_000)
            }
            done.withLock { $0 = true }
        }
        thread.start()
    }

    /// Stops the thread and waits for its last pass.
    func stop() {
        running.store(false, ordering: .releasing)
        while !done.withLock({ $0 }) { usleep(1_000) }
    }

    var result: Result { state.withLock { $0 } }
}
