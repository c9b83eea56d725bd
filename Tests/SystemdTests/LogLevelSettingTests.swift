import Logging
import Testing

@testable import Systemd

@Suite struct LogLevelSettingTests {
    @Test func everyLevelRoundTrips() {
        let setting = LogLevelSetting(.critical)
        for level in Logger.Level.allCases {
            setting.set(level)
            #expect(setting.level == level)
        }
    }

    @Test func handlersFollowTheSharedSettingAfterTheyWereCreated() {
        let setting = LogLevelSetting(.info)
        let journal = JournaldLogHandler(label: "t", level: setting)
        let stderr = StderrLogHandler(label: "t", level: setting)
        setting.set(.trace)
        #expect(journal.logLevel == .trace)
        #expect(stderr.logLevel == .trace)
    }

    @Test func settingOneLoggersLevelPinsOnlyThatLogger() {
        let setting = LogLevelSetting(.info)
        var pinned = Logger(label: "pinned") { StderrLogHandler(label: $0, level: setting) }
        let following = Logger(label: "following") { StderrLogHandler(label: $0, level: setting) }
        pinned.logLevel = .error
        setting.set(.debug)
        #expect(pinned.logLevel == .error)
        #expect(following.logLevel == .debug)
    }
}
