import Foundation
import Service
import Testing

@Suite struct SettingsTests {
    private func file(_ yaml: String) throws -> String {
        let path = NSTemporaryDirectory() + "newsd-settings-\(UUID().uuidString).yaml"
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func theShippedFileStatesTheBuiltInDefaults() async throws {
        let shipped = try await SettingsSource(file: "Config/newsd.yaml", environment: [:]).load()
        #expect(shipped == Settings(), "Config/newsd.yaml and the built-in defaults disagree: \(Settings().changes(to: shipped))")
    }

    @Test func theFileOverridesDefaultsTheEnvironmentOverridesTheFileAndFlagsOverrideBoth() async throws {
        let path = try file("workers: 3\nmax_claimed: 30\nspool:\n  root: /srv/news\nlog:\n  level: debug\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try await SettingsSource(file: .init(path), environment: [:]).load()
        #expect(fromFile.workers == 3 && fromFile.maximumClaimed == 30 && fromFile.spoolRoot == "/srv/news" && fromFile.logLevel == .debug)
        #expect(fromFile.maximumArticleBytes == 10 << 20, "unset keys keep their defaults")

        let fromEnvironment = try await SettingsSource(file: .init(path), environment: ["NEWSD_WORKERS": "5", "NEWSD_SPOOL_ROOT": "/tmp/x"]).load()
        #expect(fromEnvironment.workers == 5 && fromEnvironment.spoolRoot == "/tmp/x" && fromEnvironment.maximumClaimed == 30)

        let fromFlags = try await SettingsSource(file: .init(path), flags: ["workers": "7"], environment: ["NEWSD_WORKERS": "5"]).load()
        #expect(fromFlags.workers == 7)
    }

    @Test(arguments: [
        ("NEWSD_WORKERS", "banana", "workers"),
        ("NEWSD_MAX_CLAIMED", "-1", "max_claimed"),
        ("NEWSD_MAX_ARTICLE_BYTES", "0", "max_article_bytes"),
        ("NEWSD_ON_SUCCESS", "shred", "on_success"),
        ("NEWSD_LOG_LEVEL", "loud", "log.level"),
        ("NEWSD_LOG_TARGET", "syslog", "log.target"),
        ("NEWSD_RESCAN_INTERVAL", "0", "rescan_interval"),
        ("NEWSD_LEDGER", "maybe", "ledger"),
        ("NEWSD_NEAR_DUPLICATE_THRESHOLD", "0.3", "near_duplicate_threshold"),
        ("NEWSD_NEAR_DUPLICATE_THRESHOLD", "high", "near_duplicate_threshold"),
    ])
    func anInvalidValueIsRejectedNamingItsKey(variable: String, value: String, key: String) async throws {
        do {
            _ = try await SettingsSource(file: "Config/newsd.yaml", environment: [variable: value]).load()
            Issue.record("\(variable)=\(value) was accepted")
        } catch let error as SettingsError {
            #expect(error.key == key)
            #expect(error.description.contains(key) && error.description.contains(value))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func aValueOfTheWrongTypeInTheFileIsRejected() async throws {
        let path = try file("workers: 1.5\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        await #expect(throws: SettingsError.self) { try await SettingsSource(file: .init(path), environment: [:]).load() }
    }

    @Test func changesListOnlyTheKeysThatDiffer() {
        var other = Settings()
        other.workers = 4
        other.logLevel = .debug
        let changes = Settings().changes(to: other)
        #expect(changes.map(\.key) == ["workers", "log.level"])
        #expect(changes.first?.from == "0" && changes.first?.to == "4")
    }

    @Test func zeroWorkersMeansOneLanePerCoreAndClaimsDefaultToFourTimesThatPlusRoomForTheLedger() {
        var settings = Settings()
        #expect(settings.effectiveWorkers >= 1)
        #expect(settings.effectiveMaximumClaimed == 4 * settings.effectiveWorkers + 48)
        settings.ledger = false
        #expect(settings.effectiveMaximumClaimed == 4 * settings.effectiveWorkers)
        settings.maximumClaimed = 3
        #expect(settings.effectiveMaximumClaimed == 3)
    }

    @Test func theLedgerKeysComeFromTheFileAndTheEnvironment() async throws {
        let path = try file("ledger: false\nnear_duplicate_threshold: 0.9\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try await SettingsSource(file: .init(path), environment: [:]).load()
        #expect(fromFile.ledger == false && fromFile.nearDuplicateThreshold == 0.9)
        let fromEnvironment = try await SettingsSource(
            file: .init(path), environment: ["NEWSD_LEDGER": "true", "NEWSD_NEAR_DUPLICATE_THRESHOLD": "0.85"]).load()
        #expect(fromEnvironment.ledger == true && fromEnvironment.nearDuplicateThreshold == 0.85)
        #expect(Settings.restartKeys.contains("ledger"))
    }
}
