import ArgumentParser
import Service
import Analysis

struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and print the effective value of every key.",
        discussion: """
            Reads the file, NEWSD_* environment variables and flags exactly as `newsd run` would. Exits 0 \
            when every value is valid, 2 naming the first invalid key otherwise.

            Example:
              newsd check-config --config /etc/newsd/newsd.yaml
              NEWSD_WORKERS=banana newsd check-config   # exit 2: invalid value for 'workers'
            """
    )

    @OptionGroup var options: SettingsOptions

    func run() async throws {
        let settings = try await options.load()
        let file = options.source.resolvedFile?.string ?? "(none: built-in defaults)"
        var lines = ["config file: \(file)"]
        for (key, value) in Settings().changes(to: settings).reduce(into: [String: String](), { $0[$1.key] = $1.to }).sorted(by: { $0.key < $1.key }) {
            lines.append("\(key) = \(value)   (changed from default)")
        }
        lines.append("effective: spool.root=\(settings.spoolRoot) workers=\(settings.effectiveWorkers) "
            + "max_claimed=\(settings.effectiveMaximumClaimed) max_article_bytes=\(settings.maximumArticleBytes) "
            + "rescan_interval=\(settings.rescanInterval) settle_time=\(settings.settleTime) on_success=\(settings.onSuccess.rawValue) "
            + "shutdown_timeout=\(settings.shutdownTimeout) status_interval=\(settings.statusInterval) "
            + "summary_sentences=\(settings.summarySentences) log.level=\(settings.logLevel.rawValue) log.target=\(settings.logTarget.rawValue)")
        lines.append("configuration OK")
        print(lines.joined(separator: "\n"))
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print newsd's version.",
        discussion: "Example:\n  newsd version"
    )

    func run() {
        print("newsd \(pipelineVersion)")
    }
}
