import Analysis
import Configuration
import Logging
import Spool
import SystemPackage
import Systemd

#if canImport(Glibc)
import Glibc
#endif

/// Every configuration key of newsd: its type, default, range and meaning. `Config/newsd.yaml` documents
/// the same keys; `NEWSD_*` environment variables override the file and command-line flags override both.
public struct Settings: Sendable, Equatable {
    /// `spool.root` — the folder holding inbox/, work/, outbox/, failed/, archive/ and state/. Default `./var`.
    public var spoolRoot: FilePath = "./var"
    /// `workers` — analysis lanes; 0 means one per active core. Range 0…256. Live.
    public var workers: Int = 0
    /// `max_claimed` — files claimed at once; 0 means 4 × workers, plus 48 with the ledger. Range 0…100000. Live.
    public var maximumClaimed: Int = 0
    /// `max_article_bytes` — larger files fail with `too-large`. Default 10 MiB, range 1…1 GiB. Live.
    public var maximumArticleBytes: Int = 10 << 20
    /// `rescan_interval` — seconds between full inbox scans. Default 30, range 1…86400. Live.
    public var rescanInterval: Int = 30
    /// `settle_time` — seconds a file found by a scan must be unmodified before it is claimed. Default 2,
    /// range 0…3600. Live.
    public var settleTime: Int = 2
    /// `on_success` — `archive` (move the original to archive/) or `delete`. Live.
    public var onSuccess: SuccessAction = .archive
    /// `max_analysis_crashes` — a file being worked on at this many crashes of newsd goes to failed/ with
    /// `analysis-crashed`. Default 3, range 1…100. Live.
    public var maximumAnalysisCrashes: Int = 3
    /// `shutdown_timeout` — seconds to finish in-flight articles after SIGTERM. Default 30, range 0…3600.
    public var shutdownTimeout: Int = 30
    /// `status_interval` — seconds between `STATUS=` updates to systemd. Default 5, range 1…3600.
    public var statusInterval: Int = 5
    /// `summary_sentences` — sentences in the extractive summary. Default 3, range 0…50. Live.
    public var summarySentences: Int = 3
    /// `ledger` — keep the corpus ledger (SQLite, in state/): duplicates, `newsd query`. Default true. Restart.
    public var ledger: Bool = true
    /// `near_duplicate_threshold` — an article whose similarity (the share of the shorter one's words the other has) to an earlier one reaches this gets
    /// `duplicate_of`. Default 0.8, range 0.5…1.0. Live.
    public var nearDuplicateThreshold: Double = 0.8
    /// `log.level` — trace, debug, info, notice, warning, error, critical. Default info. Live.
    public var logLevel: Logger.Level = .info
    /// `log.target` — auto (journald under systemd, else stderr), journal or stderr.
    public var logTarget: LogTarget = .auto

    public init() {}

    /// Worker lanes after resolving 0 to the number of active cores.
    public var effectiveWorkers: Int {
        workers > 0 ? workers : max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    public var effectiveMaximumClaimed: Int {
        // With the ledger, an article stays claimed until its row's group commit: the extra room keeps the
        // workers busy meanwhile rather than waiting for the writer. The writer commits at once when
        // `Ledger.gatheredBatch` (32) rows wait, so 48 is enough never to wait for its 20 ms timer; 128 was
        // more than that and cost throughput of its own (files claimed far ahead: 5-8 % fewer files/s in
        // alternating runs of scripts/bench-spool.sh, with or without the ledger).
        maximumClaimed > 0 ? maximumClaimed : 4 * effectiveWorkers + (ledger ? 48 : 0)
    }

    public var spoolSettings: SpoolSettings {
        SpoolSettings(
            workers: effectiveWorkers, maximumClaimed: effectiveMaximumClaimed,
            maximumArticleBytes: maximumArticleBytes, rescanInterval: .seconds(rescanInterval),
            settleTime: .seconds(settleTime), onSuccess: onSuccess, maximumAnalysisCrashes: maximumAnalysisCrashes)
    }

    public var analyzerOptions: AnalyzerOptions { AnalyzerOptions(summarySentences: summarySentences) }

    /// The keys whose values differ between `self` and `other`, with both values, for the reload log.
    public func changes(to other: Settings) -> [(key: String, from: String, to: String)] {
        var result: [(String, String, String)] = []
        func compare<T: Equatable>(_ key: String, _ a: T, _ b: T) {
            if a != b { result.append((key, "\(a)", "\(b)")) }
        }
        compare("spool.root", spoolRoot.string, other.spoolRoot.string)
        compare("workers", workers, other.workers)
        compare("max_claimed", maximumClaimed, other.maximumClaimed)
        compare("max_article_bytes", maximumArticleBytes, other.maximumArticleBytes)
        compare("rescan_interval", rescanInterval, other.rescanInterval)
        compare("settle_time", settleTime, other.settleTime)
        compare("on_success", onSuccess.rawValue, other.onSuccess.rawValue)
        compare("max_analysis_crashes", maximumAnalysisCrashes, other.maximumAnalysisCrashes)
        compare("shutdown_timeout", shutdownTimeout, other.shutdownTimeout)
        compare("status_interval", statusInterval, other.statusInterval)
        compare("summary_sentences", summarySentences, other.summarySentences)
        compare("ledger", ledger, other.ledger)
        compare("near_duplicate_threshold", nearDuplicateThreshold, other.nearDuplicateThreshold)
        compare("log.level", logLevel.rawValue, other.logLevel.rawValue)
        compare("log.target", logTarget.rawValue, other.logTarget.rawValue)
        return result
    }

    /// Keys a SIGHUP cannot change: they need a restart.
    public static let restartKeys: Set<String> = ["spool.root", "log.target", "status_interval", "ledger"]
}

/// A configuration value that is not acceptable; newsd exits with status 2 and this message.
public struct SettingsError: Error, Sendable, CustomStringConvertible {
    public var key: String
    public var value: String
    public var expected: String

    public var description: String {
        "invalid configuration value for '\(key)': \(value.isEmpty ? "(empty)" : "'\(value)'") — expected \(expected)"
    }
}

/// Where settings come from, lowest precedence first: built-in defaults, the YAML file, `NEWSD_*`
/// environment variables, command-line flags.
public struct SettingsSource: Sendable {
    /// The YAML file; nil to use `NEWSD_CONFIG` or else `Config/newsd.yaml` when it exists.
    public var file: FilePath?
    /// Values given as flags, keyed like the YAML (`"workers"`, `"spool.root"`).
    public var flags: [String: String]
    public var environment: [String: String]

    public init(file: FilePath? = nil, flags: [String: String] = [:], environment: [String: String]? = nil) {
        self.file = file
        self.flags = flags
        self.environment = environment ?? SettingsSource.processEnvironment()
    }

    /// The file actually read, if any.
    public var resolvedFile: FilePath? {
        if let file { return file }
        if let named = environment["NEWSD_CONFIG"], !named.isEmpty { return FilePath(named) }
        let local = FilePath("Config/newsd.yaml")
        return access(local.string, R_OK) == 0 ? local : nil
    }

    /// Reads and validates every key.
    public func load() async throws -> Settings {
        try Settings(reader: try await reader())
    }

    /// Reads only `spool.root`: for `newsd reload`, which must reach the daemon even when another key of the
    /// file is invalid (the daemon then logs it and keeps its configuration).
    public func loadSpoolRoot() async throws -> FilePath {
        try Settings.spoolRoot(reader: try await reader())
    }

    private func reader() async throws -> ConfigReader {
        var providers: [any ConfigProvider] = []
        if !flags.isEmpty {
            providers.append(InMemoryProvider(values: Dictionary(uniqueKeysWithValues: flags.map {
                (AbsoluteConfigKey(stringLiteral: $0.key), ConfigValue(.string($0.value), isSecret: false))
            })))
        }
        providers.append(KeyMappingProvider(upstream: EnvironmentVariablesProvider(environmentVariables: environment)) { key in
            key.prepending(["newsd"])
        })
        if let file = resolvedFile {
            providers.append(try await FileProvider<YAMLSnapshot>(filePath: file))
        }
        return ConfigReader(providers: providers)
    }

    private static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}

extension Settings {
    init(reader: ConfigReader) throws(SettingsError) {
        self.init()
        let read = ValueReader(reader: reader)
        spoolRoot = try Settings.spoolRoot(reader: reader)
        workers = try read.integer("workers", default: workers, in: 0...Spool.maximumWorkers)
        maximumClaimed = try read.integer("max_claimed", default: maximumClaimed, in: 0...100_000)
        maximumArticleBytes = try read.integer("max_article_bytes", default: maximumArticleBytes, in: 1...(1 << 30))
        rescanInterval = try read.integer("rescan_interval", default: rescanInterval, in: 1...86_400)
        settleTime = try read.integer("settle_time", default: settleTime, in: 0...3_600)
        onSuccess = try read.choice("on_success", default: onSuccess)
        maximumAnalysisCrashes = try read.integer("max_analysis_crashes", default: maximumAnalysisCrashes, in: 1...100)
        shutdownTimeout = try read.integer("shutdown_timeout", default: shutdownTimeout, in: 0...3_600)
        statusInterval = try read.integer("status_interval", default: statusInterval, in: 1...3_600)
        summarySentences = try read.integer("summary_sentences", default: summarySentences, in: 0...50)
        ledger = try read.boolean("ledger", default: ledger)
        nearDuplicateThreshold = try read.number("near_duplicate_threshold", default: nearDuplicateThreshold, in: 0.5...1.0)
        logLevel = try read.choice("log.level", default: logLevel)
        logTarget = try read.choice("log.target", default: logTarget)
        if workers > 0 && maximumClaimed > 0 && maximumClaimed < workers {
            throw SettingsError(key: "max_claimed", value: "\(maximumClaimed)", expected: "at least workers (\(workers))")
        }
    }

    static func spoolRoot(reader: ConfigReader) throws(SettingsError) -> FilePath {
        FilePath(try ValueReader(reader: reader).string("spool.root", default: Settings().spoolRoot.string, nonEmpty: true))
    }

    /// Reads one key in every form a provider may hold it (YAML scalars are typed, environment values are
    /// strings) and rejects what does not parse, naming the key.
    private struct ValueReader {
        var reader: ConfigReader

        func raw(_ key: String) -> String? {
            let configKey = ConfigKey(stringLiteral: key)
            if let text = reader.string(forKey: configKey) { return text }
            if let number = reader.int(forKey: configKey) { return String(number) }
            if let number = reader.double(forKey: configKey) { return String(number) }
            if let flag = reader.bool(forKey: configKey) { return String(flag) }
            return nil
        }

        func string(_ key: String, default value: String, nonEmpty: Bool) throws(SettingsError) -> String {
            guard let text = raw(key) else { return value }
            if nonEmpty && text.isEmpty { throw SettingsError(key: key, value: text, expected: "a non-empty path") }
            return text
        }

        func integer(_ key: String, default value: Int, in range: ClosedRange<Int>) throws(SettingsError) -> Int {
            guard let text = raw(key) else { return value }
            guard let number = Int(text.trimmingSpaces()), range.contains(number) else {
                throw SettingsError(key: key, value: text, expected: "an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }

        func boolean(_ key: String, default value: Bool) throws(SettingsError) -> Bool {
            guard let text = raw(key) else { return value }
            switch text.trimmingSpaces().lowercased() {
            case "true", "yes", "on", "1": return true
            case "false", "no", "off", "0": return false
            default: throw SettingsError(key: key, value: text, expected: "true or false")
            }
        }

        func number(_ key: String, default value: Double, in range: ClosedRange<Double>) throws(SettingsError) -> Double {
            guard let text = raw(key) else { return value }
            guard let number = Double(text.trimmingSpaces()), number.isFinite, range.contains(number) else {
                throw SettingsError(key: key, value: text, expected: "a number from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }

        func choice<T: RawRepresentable & CaseIterable>(_ key: String, default value: T) throws(SettingsError) -> T
        where T.RawValue == String {
            guard let text = raw(key) else { return value }
            guard let choice = T(rawValue: text.trimmingSpaces().lowercased()) else {
                throw SettingsError(key: key, value: text, expected: "one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return choice
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while scalars.first?.isWhitespace == true { scalars.removeFirst() }
        while scalars.last?.isWhitespace == true { scalars.removeLast() }
        return String(scalars)
    }
}
