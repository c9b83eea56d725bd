import ArgumentParser
import Logging
import Service
import Systemd

#if canImport(Glibc)
import Glibc
#endif

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the daemon: watch the inbox and write analyses to the outbox until stopped.",
        discussion: """
            Sends READY=1 to systemd once work/ is recovered and the inbox scanned, STATUS= every few \
            seconds, WATCHDOG=1 while the workers make progress. SIGHUP reloads the configuration; \
            SIGTERM finishes in-flight articles and exits 0.

            Example:
              newsd run --spool-root ./var --workers 2
              NEWSD_LOG_LEVEL=debug newsd run --config /etc/newsd/newsd.yaml
            """
    )

    @OptionGroup var options: SettingsOptions

    func run() async throws {
        let settings = try await options.load()
        let status = try await Self.serve(settings: settings, source: options.source)
        Glibc.exit(status)
    }

    /// Builds and runs the daemon outside the main actor, so its Dispatch handlers never inherit it.
    nonisolated static func serve(settings: Settings, source: SettingsSource) async throws -> Int32 {
        let level = LogLevelSetting(settings.logLevel)
        LoggingSystemSetup.bootstrap(target: settings.logTarget, level: level)
        let logger = Logger(label: "newsd")
        let daemon: Daemon
        do {
            daemon = try Daemon(settings: settings, source: source, level: level, logger: logger)
        } catch {
            logger.critical("cannot open the spool", metadata: ["error": "\(error)", "spool.root": "\(settings.spoolRoot)"])
            return 1
        }
        return await withCheckedContinuation { continuation in
            daemon.run { @Sendable status in continuation.resume(returning: status) }
        }
    }
}
