#if canImport(Glibc)
import Glibc
#endif
import Analysis
import Dispatch
import Ledger
import Logging
import Spool
import Synchronization
import SystemPackage
import Systemd

/// `newsd run`: the spool plus systemd integration — readiness, status, watchdog, SIGHUP reload, SIGTERM
/// drain.
///
/// Built and run from a nonisolated context: every Dispatch source here is created outside `@main`'s main
/// actor, so its handlers do not inherit it.
public final class Daemon: Sendable {
    private let queue = DispatchQueue(label: "newsd.daemon")
    private let source: SettingsSource
    private let settings: Mutex<Settings>
    private let level: LogLevelSetting
    private let logger: Logger
    private let spool: Spool
    private let ledger: Ledger?
    private let stateLock: StateLock?
    private let notifier = Notifier()
    private let sources = Mutex<[DispatchSource]>([])
    private let phase = Mutex(Phase.starting)
    private let exit = Mutex<(@Sendable (Int32) -> Void)?>(nil)
    private let rate = Mutex(RateWindow())
    /// Reloads started and done since the start, and whether a SIGHUP came while starting or reloading (it
    /// is served once the daemon is running again, not dropped).
    private let reloads = Mutex((started: 0, done: 0, pending: false))
    /// Where `newsd reload` reads how many reloads this process has started and done (`ReloadMarker`).
    private let reloadMarker: ReloadMarker?

    enum Phase { case starting, running, reloading, stopping }

    public init(settings: Settings, source: SettingsSource, level: LogLevelSetting, logger: Logger) throws {
        self.source = source
        self.settings = Mutex(settings)
        self.level = level
        self.logger = logger
        let layout = SpoolLayout.standard(root: settings.spoolRoot)
        reloadMarker = layout.state.map { ReloadMarker(stateDirectory: $0.string) }
        if settings.ledger, let state = layout.state {
            // Missing or damaged: rebuilt from the outbox here, before any new article is looked up.
            stateLock = try StateLock(stateDirectory: state.string)
            ledger = try Ledger.open(
                stateDirectory: state.string,
                sources: Ledger.Sources(outbox: layout.outbox.string, failed: layout.failed.string),
                nearDuplicateThreshold: settings.nearDuplicateThreshold, logger: logger,
                progress: Daemon.rebuildReporter(notifier: notifier))
        } else {
            stateLock = nil
            ledger = nil
        }
        self.spool = try Spool(
            layout: layout, settings: settings.spoolSettings,
            analyzer: Analyzer(options: settings.analyzerOptions), mode: .daemon, ledger: ledger, logger: logger)
    }

    /// What the ledger's integrity check, a rebuild or signing again at start-up tells systemd, every few
    /// seconds: how far it is (`STATUS=`), and that start-up goes on (`EXTEND_TIMEOUT_USEC=`, and `WATCHDOG=1`
    /// when a watchdog is set). Rebuilding a large outbox takes minutes (20,000 documents: 5 s here), and the
    /// check of a million-article ledger seconds to minutes; without these, systemd's start timeout (90 s by
    /// default) would kill the daemon midway, again and again.
    static func rebuildReporter(notifier: Notifier) -> @Sendable (LedgerRebuilder.Progress) -> Void {
        let lastReport = Mutex<(at: ContinuousClock.Instant, phase: LedgerRebuilder.Progress.Phase)?>(nil)
        let watchdog = Notifier.watchdogInterval() != nil
        return { @Sendable progress in
            let now = ContinuousClock.now
            // Every 5 s, and at once when a new phase begins (a check of a few pages must not hold back the
            // rebuild's first report).
            let due = lastReport.withLock { last in
                guard last.map({ now - $0.at >= .seconds(5) || $0.phase != progress.phase }) ?? true else { return false }
                last = (now, progress.phase)
                return true
            }
            guard due else { return }
            var state = "STATUS=\(progress.status)"
                + "\nEXTEND_TIMEOUT_USEC=\(Daemon.rebuildTimeoutExtension.components.seconds * 1_000_000)"
            if watchdog { state += "\nWATCHDOG=1" }
            notifier.send(state)
        }
    }

    /// How long each report of a rebuild extends systemd's start timeout by: far more than a chunk takes.
    static let rebuildTimeoutExtension = Duration.seconds(60)

    /// Runs until a signal stops it, then calls `exit` with the process exit status.
    public func run(exit: @escaping @Sendable (Int32) -> Void) {
        self.exit.withLock { $0 = exit }
        queue.async { @Sendable in self.begin() }
    }

    private func begin() {
        let current = settings.withLock { $0 }
        logger.notice("newsd started", metadata: [
            "message.id": "\(MessageID.started)", "spool.root": "\(current.spoolRoot)",
            "workers": "\(current.effectiveWorkers)", "max_claimed": "\(current.effectiveMaximumClaimed)",
            "version": "\(pipelineVersion)",
        ])
        installSignals()
        spool.start { @Sendable in
            self.queue.async { @Sendable in
                self.phase.withLock { $0 = .running }
                self.notifier.ready()
                self.markReloads()
                self.reportStatus()
                self.logger.info("ready: recovery and first scan done")
                self.reloadIfAsked()
            }
        }
        startTimer(every: .seconds(current.statusInterval)) { @Sendable in self.reportStatus() }
        if let interval = Notifier.watchdogInterval() {
            // Pet at half the interval, and only while no worker has been on one article for half the interval:
            // a wedged worker stops the pings within WatchdogSec/2, and systemd restarts us (the unit's 60 s
            // leaves a legitimate 10 MB article 30 s on a loaded machine).
            startTimer(every: interval / 2) { @Sendable in
                if self.spool.isHealthy(stuckAfter: interval / 2) {
                    self.notifier.watchdog()
                } else {
                    self.logger.error("a worker is stuck; withholding the watchdog ping")
                }
            }
        }
    }

    // MARK: Signals

    private func installSignals() {
        for signalNumber in [SIGTERM, SIGINT, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { @Sendable in
                if signalNumber == SIGHUP { self.reload() } else { self.stop(signal: signalNumber) }
            }
            source.resume()
            sources.withLock { $0.append(source as! DispatchSource) }
        }
    }

    private func stop(signal signalNumber: Int32) {
        let alreadyStopping = phase.withLock { phase -> Bool in
            defer { phase = .stopping }
            return phase == .stopping
        }
        if alreadyStopping {
            // A second signal: leave now. Unfinished files stay in work/ and are recovered at the next start.
            logger.notice("second signal: exiting at once; claimed files are recovered at the next start")
            spool.abandonInFlight()
            finish(status: 0)
            return
        }
        notifier.stopping()
        let timeout = settings.withLock { $0.shutdownTimeout }
        logger.notice("stopping: finishing in-flight articles", metadata: [
            "message.id": "\(MessageID.stopping)", "signal": "\(signalNumber)", "shutdown_timeout": "\(timeout)",
        ])
        spool.drain(timeout: .seconds(timeout)) { @Sendable completed in
            self.queue.async { @Sendable in
                let statistics = self.spool.statistics()
                if completed {
                    // The bands still in memory go to the table now, so the next start need not derive them.
                    self.ledger?.close()
                    self.logger.notice("stopped", metadata: ["processed": "\(statistics.processed)", "failed": "\(statistics.failed)"])
                } else {
                    self.spool.abandonInFlight()
                    self.logger.warning("shutdown timeout: leaving unfinished files in work/ for the next start", metadata: [
                        "in_flight": "\(statistics.inFlight)",
                    ])
                }
                self.finish(status: 0)
            }
        }
    }

    private func finish(status: Int32) {
        let exit = self.exit.withLock { exit -> (@Sendable (Int32) -> Void)? in
            defer { exit = nil }
            return exit
        }
        exit?(status)
    }

    // MARK: Reload

    private func reload() {
        let start = phase.withLock { phase -> Bool in
            guard phase == .running else { return false }
            phase = .reloading
            return true
        }
        guard start else {
            // Starting or reloading: served when running again (the file may have changed after this reload
            // read it). Stopping: nothing to reload for.
            if phase.withLock({ $0 }) != .stopping { reloads.withLock { $0.pending = true } }
            return
        }
        notifier.reloading()
        reloads.withLock { $0.started += 1 }
        markReloads()  // before the file is read: see ReloadMarker
        let source = self.source
        Task.detached { @Sendable in
            let result: Result<Settings, any Error>
            do { result = .success(try await source.load()) } catch { result = .failure(error) }
            self.queue.async { @Sendable in self.apply(result) }
        }
    }

    private func apply(_ result: Result<Settings, any Error>) {
        defer {
            phase.withLock { if $0 == .reloading { $0 = .running } }
            notifier.ready()
            reloads.withLock { $0.done += 1 }
            markReloads()
            reloadIfAsked()
        }
        let new: Settings
        switch result {
        case .failure(let error):
            logger.error("reload failed; keeping the current configuration", metadata: ["error": "\(error)"])
            return
        case .success(let loaded):
            new = loaded
        }
        let old = settings.withLock { $0 }
        let changes = old.changes(to: new)
        var applied = old
        var summary: Logger.Metadata = ["message.id": "\(MessageID.reloaded)"]
        for change in changes {
            if Settings.restartKeys.contains(change.key) {
                logger.warning("configuration key changes only at restart", metadata: [
                    "key": "\(change.key)", "from": "\(change.from)", "to": "\(change.to)",
                ])
                continue
            }
            summary[change.key] = "\(change.from) → \(change.to)"
        }
        applied.workers = new.workers
        applied.maximumClaimed = new.maximumClaimed
        applied.maximumArticleBytes = new.maximumArticleBytes
        applied.rescanInterval = new.rescanInterval
        applied.settleTime = new.settleTime
        applied.onSuccess = new.onSuccess
        applied.shutdownTimeout = new.shutdownTimeout
        applied.summarySentences = new.summarySentences
        applied.nearDuplicateThreshold = new.nearDuplicateThreshold
        ledger?.nearDuplicateThreshold = new.nearDuplicateThreshold
        applied.logLevel = new.logLevel
        settings.withLock { $0 = applied }
        level.set(applied.logLevel)
        spool.update(applied.spoolSettings, analyzer: Analyzer(options: applied.analyzerOptions))
        logger.notice(changes.isEmpty ? "configuration reloaded: nothing changed" : "configuration reloaded", metadata: summary)
    }

    /// A SIGHUP that came while the daemon could not reload: reload now.
    private func reloadIfAsked() {
        let asked = reloads.withLock { state -> Bool in
            defer { state.pending = false }
            return state.pending
        }
        if asked { reload() }
    }

    private func markReloads() {
        let (started, done) = reloads.withLock { ($0.started, $0.done) }
        do {
            try reloadMarker?.write(.init(pid: getpid(), started: started, done: done))
        } catch {
            logger.warning("cannot write the reload marker; `newsd reload` will wait in vain", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Status

    private func reportStatus() {
        let statistics = spool.statistics()
        let perSecond = rate.withLock { $0.update(done: statistics.processed + statistics.failed) }
        var text = "processed \(statistics.processed), failed \(statistics.failed), in flight \(statistics.inFlight), "
            + String(format1: perSecond) + "/s"
        if statistics.paused { text += " (paused: storage fault, retrying)" }
        notifier.status(text)
    }

    private func startTimer(every interval: Duration, _ body: @escaping @Sendable () -> Void) {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        timer.schedule(deadline: .now() + seconds, repeating: seconds)
        timer.setEventHandler(handler: body)
        timer.resume()
        sources.withLock { $0.append(timer as! DispatchSource) }
    }
}

/// Articles per second over the last status interval.
struct RateWindow {
    var lastCount = 0
    var lastTime = ContinuousClock.now

    mutating func update(done: Int) -> Double {
        let now = ContinuousClock.now
        let elapsed = now - lastTime
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        defer {
            lastCount = done
            lastTime = now
        }
        return seconds > 0 ? Double(done - lastCount) / seconds : 0
    }
}

extension String {
    /// One decimal place, without Foundation (status lines, batch summaries).
    package init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}
