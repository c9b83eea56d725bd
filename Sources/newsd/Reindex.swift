import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Ledger
import Logging
import Service
import Spool
import SystemPackage
import Systemd

/// `newsd reindex`: rebuilds the ledger from the outbox.
struct Reindex: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild the ledger in state/ from the outbox, the source of truth.",
        discussion: """
            Reads every newsd/article@1 document in the outbox and every newsd/error@1 document in failed/, \
            builds a fresh ledger beside the old one and swaps it in. Use it when the ledger was lost or \
            damaged, or after documents were added to the outbox by hand. The daemon must be stopped (it \
            holds the ledger; reindex refuses while it runs). The daemon itself rebuilds a missing or \
            unreadable ledger at start-up.

            Example:
              newsd reindex --spool-root /var/lib/newsd
              newsd reindex --state state --outbox out --failed failed   (a `newsd batch --state` ledger)
            """
    )

    @Option(help: "The folder holding ledger.sqlite (default: <spool root>/state).")
    var state: String?

    @Option(help: "The outbox to read (default: <spool root>/outbox).")
    var outbox: String?

    @Option(help: "The failed folder to read (default: <spool root>/failed).")
    var failed: String?

    @OptionGroup var options: SettingsOptions

    func run() async throws {
        let settings = try await options.load()
        let layout = SpoolLayout.standard(root: settings.spoolRoot)
        let stateDirectory = state ?? layout.state?.string ?? "state"
        let sources = Ledger.Sources(outbox: outbox ?? layout.outbox.string, failed: failed ?? layout.failed.string)
        LoggingSystemSetup.bootstrap(target: .stderr, level: LogLevelSetting(settings.logLevel))
        let logger = Logger(label: "newsd")
        do {
            let lock = try StateLock(stateDirectory: stateDirectory)
            // On a terminal, how far it is: a large outbox takes minutes.
            let showsProgress = isatty(STDERR_FILENO) == 1
            let rows = try Ledger.reindex(
                stateDirectory: stateDirectory, sources: sources, logger: logger,
                progress: showsProgress ? { @Sendable progress in
                    printError("\rnewsd reindex: \(progress.description)  ", terminator: "")
                } : nil)
            if showsProgress { printError("") }
            withExtendedLifetime(lock) {}
            printError("newsd reindex: \(rows) rows from \(sources.outbox) and \(sources.failed ?? "-") into \(stateDirectory)/\(Ledger.fileName)")
        } catch {
            printError("newsd: \(error)")
            throw ExitCode(1)
        }
    }
}
