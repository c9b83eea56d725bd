import Foundation
import Logging
import Testing

@testable import Systemd

/// A real journald to log to and journalctl to read back from.
enum Journal {
    static let socketPath = "/run/systemd/journal/socket"

    /// Starts journald once when none runs (a second one would take over its sockets and deafen the first)
    /// and waits for its socket; false when that cannot be done here.
    static let isAvailable: Bool = {
        guard let pgrep = executablePath("pgrep"), executablePath("journalctl") != nil else { return false }
        let running = (try? runProgram(pgrep, ["-f", "systemd-journald"]))?.status == 0
        if !running {
            guard getuid() == 0, let setsid = executablePath("setsid"),
                FileManager.default.isExecutableFile(atPath: "/lib/systemd/systemd-journald")
            else { return false }
            _ = try? runProgramDiscardingOutput(setsid, ["-f", "/lib/systemd/systemd-journald"])
        }
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: socketPath) {
            usleep(50_000)
        }
        return FileManager.default.fileExists(atPath: socketPath)
    }()

    /// The entries matching `match` (`FIELD=value`) as JSON objects, polled for up to five seconds until at
    /// least `minimumCount` are there: journald stores asynchronously to the sender.
    static func entries(matching match: String, minimumCount: Int = 1) throws -> [[String: Any]] {
        let journalctl = try #require(executablePath("journalctl"))
        var entries: [[String: Any]] = []
        for _ in 0..<50 {
            let result = try runProgram(journalctl, ["--no-pager", "-o", "json", match])
            entries = result.standardOutput.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            if entries.count >= minimumCount { break }
            usleep(100_000)
        }
        return entries
    }

    /// A field's value as text; journalctl writes values that are not printable UTF-8 as byte arrays.
    static func text(_ entry: [String: Any], _ field: String) -> String? {
        switch entry[field] {
        case let string as String: string
        case let bytes as [Int]: String(decoding: bytes.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
        default: nil
        }
    }

    static func uniqueMarker() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }
}

extension ProcessEnvironmentTests {
    @Suite(.enabled(if: Journal.isAvailable, "needs journald and journalctl (root to start journald)"))
    struct JournaldLogHandlerTests {
        @Test func recordCarriesMessagePriorityCodeLocationIdentifierAndMetadataFields() throws {
            let marker = Journal.uniqueMarker()
            let messageID = Journal.uniqueMarker()
            var logger = Logger(label: "newsd.test") {
                JournaldLogHandler(label: $0, identifier: "newsd-test", level: LogLevelSetting(.info))
            }
            logger[metadataKey: "worker"] = "2"
            let line: UInt = #line + 1
            logger.warning(
                "article failed\nsecond line",
                metadata: [
                    "article.id": .string(marker), "message.id": .string(messageID), "duration.us": "1234",
                    "9Lives.weird-key": "odd", "message": "not the message", "names": ["a", "b"],
                ])

            let entry = try #require(try Journal.entries(matching: "ARTICLE_ID=\(marker)").first)
            #expect(Journal.text(entry, "MESSAGE") == "article failed\nsecond line")
            #expect(Journal.text(entry, "PRIORITY") == "4")
            #expect(Journal.text(entry, "SYSLOG_IDENTIFIER") == "newsd-test")
            #expect(Journal.text(entry, "LOGGER") == "newsd.test")
            #expect(Journal.text(entry, "CODE_FILE") == #fileID)
            #expect(Journal.text(entry, "CODE_LINE") == String(line))
            #expect(Journal.text(entry, "CODE_FUNC") == #function)
            #expect(Journal.text(entry, "ARTICLE_ID") == marker)
            #expect(Journal.text(entry, "MESSAGE_ID") == messageID)
            #expect(Journal.text(entry, "DURATION_US") == "1234")
            #expect(Journal.text(entry, "WORKER") == "2")
            #expect(Journal.text(entry, "LIVES_WEIRD_KEY") == "odd")
            #expect(Journal.text(entry, "META_MESSAGE") == "not the message")
            #expect(Journal.text(entry, "NAMES") == #"["a", "b"]"#)
        }

        @Test func eachLevelMapsToItsSyslogPriority() throws {
            let marker = Journal.uniqueMarker()
            let logger = Logger(label: "newsd.test") {
                JournaldLogHandler(label: $0, level: LogLevelSetting(.trace))
            }
            logger.critical("critical", metadata: ["article.id": .string(marker)])
            logger.notice("notice", metadata: ["article.id": .string(marker)])
            logger.debug("debug", metadata: ["article.id": .string(marker)])
            let entries = try Journal.entries(matching: "ARTICLE_ID=\(marker)", minimumCount: 3)
            let priorities = Dictionary(
                entries.map { (Journal.text($0, "MESSAGE") ?? "", Journal.text($0, "PRIORITY") ?? "") },
                uniquingKeysWith: { first, _ in first })
            #expect(priorities == ["critical": "2", "notice": "5", "debug": "7"])
            #expect(entries.allSatisfy { Journal.text($0, "SYSLOG_IDENTIFIER") == "newsd" })
        }

        @Test func debugRecordsAreDroppedAtInfoAndAppearAfterTheSharedLevelChanges() throws {
            let hidden = Journal.uniqueMarker()
            let shown = Journal.uniqueMarker()
            let level = LogLevelSetting(.info)
            let logger = Logger(label: "newsd.test") { JournaldLogHandler(label: $0, level: level) }
            logger.debug("should be dropped", metadata: ["article.id": .string(hidden)])
            level.set(.debug)
            logger.debug("should appear", metadata: ["article.id": .string(shown)])

            let appeared = try Journal.entries(matching: "ARTICLE_ID=\(shown)")
            #expect(appeared.count == 1)
            // journald stores one sender's datagrams in order, so the dropped record would be there by now.
            let journalctl = try #require(executablePath("journalctl"))
            let dropped = try runProgram(journalctl, ["--no-pager", "-o", "json", "ARTICLE_ID=\(hidden)"])
            #expect(dropped.standardOutput.isEmpty)
        }
    }
}
