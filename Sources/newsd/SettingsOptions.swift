import ArgumentParser
import Service
import SystemPackage

/// Flags shared by the commands that read the configuration. Each overrides the YAML key and the
/// `NEWSD_*` variable of the same name.
struct SettingsOptions: ParsableArguments {
    @Option(name: .long, help: "The YAML configuration file (default: $NEWSD_CONFIG, else Config/newsd.yaml if present).")
    var config: String?

    @Option(name: .long, help: "spool.root: the spool folder.")
    var spoolRoot: String?

    @Option(name: .long, help: "workers: analysis lanes (0 = active cores).")
    var workers: String?

    @Option(name: .long, help: "max_claimed: files claimed at once (0 = 4 × workers, + 48 with the ledger).")
    var maxClaimed: String?

    @Option(name: .long, help: "max_article_bytes: larger files fail with too-large.")
    var maxArticleBytes: String?

    @Option(name: .long, help: "on_success: archive or delete.")
    var onSuccess: String?

    @Option(name: .long, help: "log.level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    @Option(name: .long, help: "log.target: auto, journal or stderr.")
    var logTarget: String?

    var source: SettingsSource {
        var flags: [String: String] = [:]
        flags["spool.root"] = spoolRoot
        flags["workers"] = workers
        flags["max_claimed"] = maxClaimed
        flags["max_article_bytes"] = maxArticleBytes
        flags["on_success"] = onSuccess
        flags["log.level"] = logLevel
        flags["log.target"] = logTarget
        return SettingsSource(file: config.map { FilePath($0) }, flags: flags)
    }

    /// Loads the settings; an invalid value prints the key and exits with status 2.
    func load() async throws -> Settings {
        do {
            return try await source.load()
        } catch let error as SettingsError {
            printError("newsd: \(error)")
            throw ExitCode(2)
        } catch {
            printError("newsd: cannot read the configuration: \(error)")
            throw ExitCode(2)
        }
    }
}
