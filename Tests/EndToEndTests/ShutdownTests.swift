import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    /// SIGTERM drains in-flight work and exits 0; a second SIGTERM exits at once; a restart finishes the job.
    @Suite struct Shutdown {
        @Test func sigtermDrainsCleanlyAndASecondSignalExitsAtOnceWithoutLosingAnything() async throws {
            let scratch = try ScratchDirectory("sigterm")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            let staging = scratch.path + "/staging"
            try makeDirectory(spool.inbox)
            try makeDirectory(staging)
            let count = EndToEnd.scaled(500)
            var inputs: Set<String> = []
            for number in 0..<count {
                let name = "drain-\(number).txt"
                try writeFile(spool.inbox, name, EndToEnd.smallArticle(number))
                inputs.insert(name)
            }

            // Round 1: one SIGTERM while the backlog is being worked through.
            let first = try await startDaemon(spool, in: scratch.path, logName: "first")
            defer { first.forceKill() }
            #expect(try await eventually(timeout: .seconds(30), interval: .milliseconds(5)) { Self.visibleCount(spool.outbox) >= 20 })
            first.send(SIGTERM)
            let firstEnd = await first.waitForExit(timeout: .seconds(35))  // shutdown_timeout is 30 s
            #expect(firstEnd == .exited(0), "\(firstEnd.map(\.description) ?? "still running after 35 s")")
            #expect(first.standardError.contains("stopped"), "stderr:\n\(first.standardError.suffix(1_000))")
            // A clean drain leaves nothing in work/, and every file in exactly one place.
            #expect(entryNames(spool.work).map(display).isEmpty)
            Self.expectEachInputInExactlyOnePlace(inputs, spool)
            let leftAfterFirst = entryNames(spool.inbox).count
            print("SIGTERM drain: \(count - leftAfterFirst) of \(count) done, \(leftAfterFirst) left in the inbox")

            // Round 2: four big articles queued on one worker would take seconds to drain; a second SIGTERM
            // must not wait for them.
            let second = try await startDaemon(
                spool, in: scratch.path, arguments: ["--workers", "1", "--max-claimed", "16"], logName: "second")
            defer { second.forceKill() }
            #expect(try await eventually(timeout: .seconds(60)) { entryNames(spool.inbox).isEmpty && entryNames(spool.work).isEmpty })
            let big = try Self.bigArticle()
            let bigNames = (1...4).map { "big-\($0).txt" }
            for name in bigNames {
                try writeFile(staging, name, big)
                inputs.insert(name)
            }
            for name in bigNames { try renameEntry(staging, Array(name.utf8), spool.inbox, Array(name.utf8)) }
            #expect(try await eventually(timeout: .seconds(10), interval: .milliseconds(5)) {
                entryNames(spool.inbox).isEmpty && entryNames(spool.work).count == bigNames.count
            })
            second.send(SIGTERM)
            try await Task.sleep(for: .milliseconds(200))  // apart, so the two signals are not merged into one
            let secondSignal = ContinuousClock.now
            second.send(SIGTERM)
            let secondEnd = await second.waitForExit(timeout: .seconds(30))
            let exitDelay = seconds(since: secondSignal)
            #expect(secondEnd == .exited(0), "\(secondEnd.map(\.description) ?? "still running")")
            #expect(exitDelay < 2, "exited \(exitDelay) s after the second SIGTERM")
            #expect(second.standardError.contains("second signal"), "stderr:\n\(second.standardError.suffix(1_000))")
            // It really cut the drain short: big articles are still claimed, to be recovered at the next start.
            #expect(!entryNames(spool.work).isEmpty, "the second signal came after the drain had already finished")
            Self.expectEachInputInExactlyOnePlace(inputs, spool)

            // Round 3: a restart recovers work/ and finishes everything.
            let third = try await startDaemon(spool, in: scratch.path, logName: "third")
            defer { third.forceKill() }
            #expect(try await eventually(timeout: EndToEnd.patience(60), interval: .milliseconds(100)) {
                entryNames(spool.inbox).isEmpty && entryNames(spool.work).isEmpty && Self.visibleCount(spool.outbox) >= inputs.count
            })
            await stopDaemon(third)
            let outbox = readOutbox(spool.outbox)
            #expect(outbox.hiddenNames.isEmpty, "\(outbox.hiddenNames)")
            #expect(outbox.malformed.isEmpty, "\(outbox.malformed)")
            let counts = outbox.countsBySource
            #expect(Set(counts.keys) == inputs, "missing: \(inputs.subtracting(counts.keys).sorted().prefix(10))")
            #expect(counts.filter { $0.value != 1 }.isEmpty, "\(counts.filter { $0.value != 1 })")
            #expect(entryNames(spool.failed).isEmpty)
            #expect(Set(entryNames(spool.archive).map(display)) == inputs)
        }

        static func visibleCount(_ directory: String) -> Int {
            entryNames(directory).filter { $0.first != UInt8(ascii: ".") }.count
        }

        /// Every input is in exactly one of: the inbox, work/, the outbox (with its original in archive/), failed/.
        static func expectEachInputInExactlyOnePlace(_ inputs: Set<String>, _ spool: SpoolPaths, sourceLocation: SourceLocation = #_sourceLocation) {
            let inbox = Set(entryNames(spool.inbox).map(display))
            let work = Set(entryNames(spool.work).map(display))
            let archive = Set(entryNames(spool.archive).map(display))
            let failed = Set(readFailed(spool.failed).pairs.map(\.sourceName))
            let documents = readOutbox(spool.outbox).countsBySource
            var wrong: [String] = []
            for input in inputs.sorted() {
                let done = documents[input, default: 0]
                if done > 1 { wrong.append("\(input): \(done) documents") }
                if done == 1 && !archive.contains(input) { wrong.append("\(input): a document but no archived original") }
                if done == 0 && archive.contains(input) { wrong.append("\(input): archived without a document") }
                let places = [inbox.contains(input), work.contains(input), done > 0, failed.contains(input)].filter { $0 }.count
                if places != 1 { wrong.append("\(input): in \(places) places") }
            }
            #expect(wrong.isEmpty, "\(wrong.count) inputs misplaced: \(wrong.prefix(10))", sourceLocation: sourceLocation)
        }

        /// About 8 MB of real article text (under the 10 MiB limit): over a second of analysis in a debug build.
        static func bigArticle() throws -> [UInt8] {
            let corpus = try EndToEnd.corpusArticles()
            var bytes = Array("A very long compilation\n\n".utf8)
            while bytes.count < 3_000_000 {
                for article in corpus where bytes.count < 3_000_000 { bytes += article + [0x0A, 0x0A] }
            }
            return bytes
        }
    }
}
