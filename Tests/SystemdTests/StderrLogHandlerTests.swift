import Foundation
import Logging
import Synchronization
import Testing

@testable import Systemd

@Suite struct StderrLogHandlerTests {
    /// Collects what the handler writes.
    final class Lines: Sendable {
        private let storage = Mutex<[String]>([])
        func append(_ line: String) { storage.withLock { $0.append(line) } }
        var all: [String] { storage.withLock { $0 } }
    }

    /// 2026-11-25T01:02:03.123Z
    static let fixedTime = timespec(tv_sec: 1_795_568_523, tv_nsec: 123_456_789)

    func makeLogger(level: LogLevelSetting = LogLevelSetting(.info), lines: Lines) -> Logger {
        Logger(label: "newsd") { label in
            StderrLogHandler(label: label, level: level, write: { lines.append($0) }, now: { Self.fixedTime })
        }
    }

    @Test func writesOneReadableLineWithSortedMetadata() {
        let lines = Lines()
        let logger = makeLogger(lines: lines)
        logger.info(
            "article processed",
            metadata: ["outcome": "processed", "article.name": "x.txt", "article.id": "ab12"])
        #expect(
            lines.all == [
                "2026-11-25T01:02:03.123Z info newsd: article processed article.id=ab12 article.name=x.txt outcome=processed\n"
            ])
    }

    @Test func loggerMetadataAndEventMetadataAreMergedWithTheEventWinning() {
        let lines = Lines()
        var logger = makeLogger(lines: lines)
        logger[metadataKey: "worker"] = "3"
        logger[metadataKey: "outcome"] = "pending"
        logger.warning("slow write", metadata: ["outcome": "retried"])
        #expect(lines.all == ["2026-11-25T01:02:03.123Z warning newsd: slow write outcome=retried worker=3\n"])
    }

    @Test func newlinesAreEscapedAndAwkwardValuesQuotedSoEachRecordStaysOneLine() {
        let lines = Lines()
        let logger = makeLogger(lines: lines)
        logger.error("first\nsecond", metadata: ["path": "a b=c", "quote": "say \"hi\"", "empty": ""])
        #expect(
            lines.all == [
                #"2026-11-25T01:02:03.123Z error newsd: first\nsecond empty="" path="a b=c" quote="say \"hi\"""# + "\n"
            ])
    }

    @Test func nestedMetadataIsWrittenAsItsDescription() {
        let lines = Lines()
        let logger = makeLogger(lines: lines)
        logger.info("batch", metadata: ["names": ["a", "b"]])
        #expect(lines.all == [#"2026-11-25T01:02:03.123Z info newsd: batch names="[\"a\", \"b\"]""# + "\n"])
    }

    @Test func recordsBelowTheSharedLevelAreDroppedUntilTheLevelChanges() {
        let lines = Lines()
        let level = LogLevelSetting(.info)
        let logger = makeLogger(level: level, lines: lines)
        logger.debug("hidden")
        level.set(.debug)
        logger.debug("shown")
        #expect(lines.all == ["2026-11-25T01:02:03.123Z debug newsd: shown\n"])
    }

    @Test func timestampsAreUTCWithZeroPaddedMilliseconds() {
        #expect(StderrLogHandler.timestamp(timespec(tv_sec: 0, tv_nsec: 7_000_000)) == "1970-01-01T00:00:00.007Z")
    }
}
