import Analysis
import Foundation
import Glibc
import Logging
import Synchronization
import Testing
@testable import Spool

/// Keeps log records in memory so tests can assert on them.
final class RecordedLogs: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let records = Mutex<[Record]>([])
    var all: [Record] { records.withLock { $0 } }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(sink: self) }
    }

    fileprivate func append(_ record: Record) { records.withLock { $0.append(record) } }

    private struct Handler: LogHandler {
        let sink: RecordedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            sink.append(Record(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
        }
    }
}

/// Runs the spool in batch mode over `root` until the inbox is drained.
func drainOnce(_ root: TemporaryDirectory, settings: SpoolSettings, logs: RecordedLogs = RecordedLogs()) async throws -> SpoolStatistics {
    let spool = try Spool(
        layout: .standard(root: .init(root.path)), settings: settings, analyzer: Analyzer(), mode: .batch, logger: logs.logger)
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        spool.start {}
        spool.whenIdle { @Sendable in
            spool.drain(timeout: .seconds(60)) { @Sendable _ in continuation.resume() }
        }
    }
    return spool.statistics()
}

@Suite struct SpoolBatchTests {
    static let article = "Officials said on Monday that the bridge would reopen. \u{201C}We are ready,\u{201D} the mayor said.\nTraffic resumed."

    /// Creates `name` (raw bytes) in `directory` with `contents`.
    private func create(_ directory: String, _ name: [UInt8], _ contents: [UInt8]) throws {
        let path = Array(directory.utf8) + [UInt8(ascii: "/")] + name + [0]
        let descriptor = path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o644) }
        }
        #expect(descriptor >= 0)
        _ = contents.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
    }

    @Test func everyInputEndsInExactlyOneResultWithTheRightCode() async throws {
        let root = try TemporaryDirectory()
        let inbox = root.path + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try root.write("inbox/good.txt", Self.article)
        try root.write("inbox/good.json", "{\"text\": \"A short JSON article. It has two sentences.\", \"published\": \"2021-12-12\"}")
        try root.write("inbox/empty.txt", "")
        try root.write("inbox/broken.json", "{\"text\": ")
        try root.write("inbox/scan.pdf", "%PDF-1.4")
        try root.write("inbox/huge.txt", String(repeating: "word ", count: 400))
        try create(inbox, Array("latin1.txt".utf8), [0x63, 0x61, 0x66, 0xE9, 0x0A])
        try create(inbox, Array("binary.txt".utf8), (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try create(inbox, [0x6E, 0xFF, 0xFE, 0x2E, 0x74, 0x78, 0x74], Array(Self.article.utf8))  // "n\xff\xfe.txt"
        let longName = String(repeating: "l", count: 251) + ".txt"
        try root.write("inbox/" + longName, Self.article)
        try FileManager.default.createSymbolicLink(atPath: inbox + "/passwd.txt", withDestinationPath: "/etc/passwd")
        #expect(mkfifo(inbox + "/pipe.txt", 0o644) == 0)
        try root.write("outside/linked.txt", Self.article)
        try FileManager.default.linkItem(atPath: root.path + "/outside/linked.txt", toPath: inbox + "/linked.txt")
        try FileManager.default.createDirectory(atPath: inbox + "/folder.txt", withIntermediateDirectories: false)
        try root.write("inbox/.hidden.txt", Self.article)
        try root.write("inbox/partial.part", Self.article)
        let passwd = try Data(contentsOf: URL(fileURLWithPath: "/etc/passwd"))

        let logs = RecordedLogs()
        let statistics = try await drainOnce(
            root, settings: SpoolSettings(workers: 2, maximumClaimed: 3, maximumArticleBytes: 1_000), logs: logs)

        #expect(root.names("inbox") == [".hidden.txt", "partial.part"], "only ignored names stay")
        #expect(root.names("work").isEmpty)
        let outbox = root.names("outbox")
        #expect(outbox.count == 4)
        #expect(outbox.contains("good.json") && outbox.contains("good-") == false)
        #expect(outbox.allSatisfy { !$0.hasPrefix(".") })
        var codes: [String: String] = [:]
        for name in root.names("failed") where name.hasSuffix(".error.json") {
            let document = try root.json("failed/" + name)
            #expect(document["schema"] as? String == "newsd/error@1")
            let error = document["error"] as? [String: Any]
            codes[String(name.dropLast(".error.json".count))] = error?["code"] as? String
            #expect((error?["message"] as? String)?.isEmpty == false)
        }
        #expect(codes == [
            "empty.txt": "empty", "broken.json": "invalid-json", "scan.pdf": "unsupported-format",
            "huge.txt": "too-large", "latin1.txt": "invalid-utf8", "binary.txt": "unsupported-format",
            "passwd.txt": "not-regular-file", "pipe.txt": "not-regular-file", "linked.txt": "not-regular-file",
            "folder.txt": "not-regular-file",
        ])
        // Each failed original sits beside its error document.
        for name in codes.keys { #expect(root.names("failed").contains(name), "\(name) missing from failed/") }
        #expect(try Data(contentsOf: URL(fileURLWithPath: "/etc/passwd")) == passwd, "the symlink target was touched")
        #expect(statistics.processed == 4 && statistics.failed == 10)

        // The non-UTF-8 name is shown with the documented escape.
        let documents = root.contentsByRawName("outbox")
        #expect(documents.keys.contains([0x6E, 0xFF, 0xFE, 0x2E, 0x6A, 0x73, 0x6F, 0x6E]), "n\\xff\\xfe.json keeps its bytes")
        let escaped = try documents.values.map { try JSONSerialization.jsonObject(with: $0) as? [String: Any] ?? [:] }
            .compactMap { ($0["source"] as? [String: Any])?["name"] as? String }
        #expect(escaped.contains("n\\xff\\xfe.txt"))
        #expect(escaped.contains(longName))
        #expect(logs.all.filter { $0.message == "article failed" }.count == 10)
    }

    @Test func collidingStemsGetTheContentTagInsteadOfOverwriting() async throws {
        let root = try TemporaryDirectory()
        try root.write("inbox/story.txt", Self.article)
        try root.write("inbox/story.md", "---\ntitle: Story\n---\n" + Self.article)
        try root.write("outbox/story.json", "{\"existing\": true}")
        _ = try await drainOnce(root, settings: SpoolSettings(workers: 1, maximumClaimed: 1))
        let outbox = root.names("outbox")
        #expect(outbox.count == 3)
        #expect(try root.json("outbox/story.json")["existing"] as? Bool == true)
        #expect(outbox.filter { $0.hasPrefix("story-") && $0.count == "story-12345678.json".count }.count == 2)
    }

    @Test func onSuccessDeleteLeavesNoOriginalAndArchiveKeepsIt() async throws {
        let deleting = try TemporaryDirectory()
        try deleting.write("inbox/a.txt", Self.article)
        _ = try await drainOnce(deleting, settings: SpoolSettings(workers: 1, maximumClaimed: 1, onSuccess: .delete))
        #expect(deleting.names("archive").isEmpty && deleting.names("outbox") == ["a.json"])

        let archiving = try TemporaryDirectory()
        try archiving.write("inbox/a.txt", Self.article)
        _ = try await drainOnce(archiving, settings: SpoolSettings(workers: 1, maximumClaimed: 1))
        #expect(archiving.names("archive") == ["a.txt"] && archiving.names("outbox") == ["a.json"])
    }

    @Test func aBacklogLargerThanTheClaimLimitDrainsCompletely() async throws {
        let root = try TemporaryDirectory()
        for index in 0..<300 { try root.write("inbox/\(index).txt", "Article number \(index). " + Self.article) }
        let statistics = try await drainOnce(root, settings: SpoolSettings(workers: 2, maximumClaimed: 3))
        #expect(statistics.processed == 300)
        #expect(root.names("outbox").count == 300)
        #expect(root.names("inbox").isEmpty && root.names("work").isEmpty)
    }

    @Test func filesLeftInWorkAreRecoveredAtStart() async throws {
        let root = try TemporaryDirectory()
        try root.write("work/interrupted.txt", Self.article)
        try root.write("inbox/new.txt", Self.article)
        let statistics = try await drainOnce(root, settings: SpoolSettings(workers: 1, maximumClaimed: 2))
        #expect(statistics.processed == 2)
        #expect(root.names("outbox") == ["interrupted.json", "new.json"])
        #expect(root.names("work").isEmpty)
    }

    @Test func aRetryAfterTheResultWasWrittenDoesNotWriteASecondOne() throws {
        let root = try TemporaryDirectory()
        try root.write("work/a.txt", Self.article)
        // Archiving fails: archive/ is gone after the directories were opened, so disposal cannot happen
        // after the outbox document is durable — as if the process had died at that moment.
        let first = try SpoolDirectories(.standard(root: .init(root.path)))
        try FileManager.default.removeItem(atPath: root.path + "/archive")
        let builder = DocumentBuilder(analyzer: Analyzer(), maximumArticleBytes: 1 << 20)
        let outcome = ArticleProcessor(directories: first, builder: builder, onSuccess: .archive).process(Array("a.txt".utf8))
        guard case .retry = outcome else {
            Issue.record("expected a retry, got \(outcome)")
            return
        }
        #expect(root.names("outbox") == ["a.json"] && root.names("work") == ["a.txt"])

        let second = try SpoolDirectories(.standard(root: .init(root.path)))
        let retried = ArticleProcessor(directories: second, builder: builder, onSuccess: .archive, mayHaveEarlierAttempt: true)
            .process(Array("a.txt".utf8))
        guard case .processed(_, let name) = retried else {
            Issue.record("expected processed, got \(retried)")
            return
        }
        #expect(name == Array("a.json".utf8))
        #expect(root.names("outbox") == ["a.json"], "the retry wrote a second document")
        #expect(root.names("work").isEmpty && root.names("archive") == ["a.txt"])
    }
}
