import ArgumentParser
import Analysis
import Ledger
import Logging
import Service
import Spool
import SystemPackage
import Systemd

#if canImport(Glibc)
import Glibc
#endif

struct Batch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Drain a folder once, with the daemon's guarantees, and exit.",
        discussion: """
            Every file in the inbox ends as one document in the outbox, or as the original plus \
            <name>.error.json in the failed folder. Files are claimed into <inbox>/.newsd-work first, so an \
            interrupted batch loses nothing: run it again and it finishes the job. Shows a progress bar on a \
            terminal and a summary line at the end; exits 1 if any article failed.

            Without --state there is no ledger: every duplicate_of is null. With --state DIR the batch \
            keeps the corpus ledger in DIR (created, or rebuilt from the outbox when missing), so \
            duplicates are found across the batch and earlier batches into the same outbox, and \
            `newsd query --state DIR` answers questions about them.

            Example:
              newsd batch --inbox ~/articles --outbox ~/analyses
              newsd batch --inbox in --outbox out --failed rejected --on-success delete
              newsd batch --inbox in --outbox out --state state   # with the ledger: duplicates, queries
            """
    )

    @Option(help: "The folder to drain.")
    var inbox: String

    @Option(help: "Where the analyses go.")
    var outbox: String

    @Option(help: "Where originals that cannot be analysed go, beside their .error.json (default: 'failed' next to the inbox).")
    var failed: String?

    @Option(help: "Where originals go after success when on_success is archive (default: 'archive' next to the inbox).")
    var archive: String?

    @Option(help: "Keep the corpus ledger in this folder (duplicates, newsd query); default: no ledger.")
    var state: String?

    @Flag(help: "No progress bar even on a terminal.")
    var quiet = false

    @OptionGroup var options: SettingsOptions

    func run() async throws {
        var settings = try await options.load()
        if options.logLevel == nil { settings.logLevel = .warning }
        let inboxPath = FilePath(inbox)
        let parent = inboxPath.removingLastComponent().isEmpty ? FilePath(".") : inboxPath.removingLastComponent()
        let layout = SpoolLayout(
            inbox: inboxPath, work: inboxPath.appending(".newsd-work"), outbox: FilePath(outbox),
            failed: failed.map { FilePath($0) } ?? parent.appending("failed"),
            archive: archive.map { FilePath($0) } ?? parent.appending("archive"), state: state.map { FilePath($0) })
        let showProgress = !quiet && isatty(STDERR_FILENO) == 1
        let summary = try await Self.drain(settings: settings, layout: layout, showProgress: showProgress)
        printError(summary.line)
        if summary.failed > 0 { throw ExitCode(1) }
    }

    struct Summary: Sendable {
        var processed: Int
        var failed: Int
        var line: String
    }

    nonisolated static func drain(settings: Settings, layout: SpoolLayout, showProgress: Bool) async throws -> Summary {
        let level = LogLevelSetting(settings.logLevel)
        LoggingSystemSetup.bootstrap(target: .stderr, level: level)
        let logger = Logger(label: "newsd")
        var ledger: Ledger?
        var stateLock: StateLock?
        if let state = layout.state {
            do {
                stateLock = try StateLock(stateDirectory: state.string)
                ledger = try Ledger.open(
                    stateDirectory: state.string,
                    sources: Ledger.Sources(outbox: layout.outbox.string, failed: layout.failed.string),
                    nearDuplicateThreshold: settings.nearDuplicateThreshold, logger: logger)
            } catch {
                printError("newsd: cannot open the ledger: \(error)")
                throw ExitCode(1)
            }
        }
        defer {
            ledger?.close()
            withExtendedLifetime(stateLock) {}
        }
        let spool: Spool
        do {
            spool = try Spool(
                layout: layout, settings: settings.spoolSettings, analyzer: Analyzer(options: settings.analyzerOptions),
                mode: .batch, ledger: ledger, logger: logger)
        } catch {
            printError("newsd: cannot open the folders: \(error)")
            throw ExitCode(1)
        }
        let total = (try? Spool.countClaimable(in: layout)) ?? 0
        let started = ContinuousClock.now
        let progress = showProgress ? ProgressBar(total: total, spool: spool) : nil
        progress?.start()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            spool.start {}
            spool.whenIdle { @Sendable in
                spool.drain(timeout: .seconds(3_600)) { @Sendable _ in continuation.resume() }
            }
        }
        progress?.stop()
        rmdir(layout.work.string)
        let statistics = spool.statistics()
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(statistics.processed + statistics.failed) / seconds : 0
        var line = "newsd batch: processed \(statistics.processed), failed \(statistics.failed) in "
            + "\(String(format1: seconds)) s (\(String(format1: rate)) files/s); outbox: \(layout.outbox)"
        if statistics.failed > 0 { line += "; failed: \(layout.failed)" }
        return Summary(processed: statistics.processed, failed: statistics.failed, line: line)
    }
}
