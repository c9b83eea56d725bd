import Logging
import Testing

@testable import Systemd

@Suite struct JournalFieldNameTests {
    @Test(arguments: [
        ("article.id", "ARTICLE_ID"),
        ("message.id", "MESSAGE_ID"),
        ("duration.us", "DURATION_US"),
        ("outcome", "OUTCOME"),
        ("Error-Code", "ERROR_CODE"),
        ("ALREADY_FINE_9", "ALREADY_FINE_9"),
    ])
    func dottedAndLowercaseKeysBecomeUppercaseFieldNames(key: String, expected: String) {
        #expect(JournalFieldName.mapping(key) == expected)
    }

    @Test func leadingUnderscoresAndDigitsAreStrippedSoJournaldDoesNotDropTheField() {
        #expect(JournalFieldName.mapping("_trusted") == "TRUSTED")
        #expect(JournalFieldName.mapping("2xx.count") == "XX_COUNT")
        #expect(JournalFieldName.mapping("_9.lives") == "LIVES")
    }

    @Test func eachNonASCIICharacterBecomesOneUnderscore() {
        #expect(JournalFieldName.mapping("café.id") == "CAF__ID")
        #expect(JournalFieldName.mapping("a b\tc") == "A_B_C")
    }

    @Test func namesAreTruncatedTo64Bytes() {
        let name = JournalFieldName.mapping(String(repeating: "k", count: 100))
        #expect(name == String(repeating: "K", count: 64))
    }

    @Test func keysWithNothingUsableLeftAreDropped() {
        #expect(JournalFieldName.mapping("") == nil)
        #expect(JournalFieldName.mapping("___") == nil)
        #expect(JournalFieldName.mapping("123.") == nil)
    }

    @Test func metadataCannotReplaceTheHandlersOwnFields() {
        #expect(JournalFieldName.forMetadataKey("message") == "META_MESSAGE")
        #expect(JournalFieldName.forMetadataKey("priority") == "META_PRIORITY")
        #expect(JournalFieldName.forMetadataKey("code.file") == "META_CODE_FILE")
        #expect(JournalFieldName.forMetadataKey("article.id") == "ARTICLE_ID")
    }

    @Test func prioritiesFollowSyslog() {
        let expected: [(Logger.Level, Int)] = [
            (.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
        ]
        for (level, priority) in expected {
            #expect(JournaldLogHandler.priority(of: level) == priority)
        }
    }
}
