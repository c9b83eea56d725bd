#if canImport(Glibc)
import Glibc
#endif
import Analysis
import DequeModule
import Dispatch
import Ledger
import Logging
import Synchronization
import SystemPackage

/// The spool: watches the inbox, claims files (rename inbox/x → work/x), runs them on worker lanes and
/// keeps the counters.
///
/// All decisions happen on one serial control queue: events, scans, claims, completions, pauses and the
/// lifecycle. Workers only run `ArticleProcessor` and report back. The directory is the truth; inotify
/// events and the candidate list are hints, bounded in size, so a backlog of any size costs flat memory.
public final class Spool: @unchecked Sendable {
    // @unchecked: `control` is only touched on `queue`; `statisticsBox` and `laneStarts` are Mutexes; the
    // rest is immutable after init.

    public enum Mode: Sendable {
        /// Watch the inbox until drained by a signal (`newsd run`).
        case daemon
        /// Drain what is there and report idle (`newsd batch`).
        case batch
    }

    private let queue = DispatchQueue(label: "newsd.spool.control")
    private let directories: SpoolDirectories
    private let logger: Logger
    private let mode: Mode
    private var control: Control
    private let statisticsBox = Mutex(SpoolStatistics())
    private let laneStarts: Mutex<[ContinuousClock.Instant?]>
    private let lanes: [DispatchQueue]
    private let ledger: Ledger?
    /// Which article each lane works on, and crash counts (daemon mode with a state folder).
    private let crashJournal: CrashJournal?

    private var watcher: InotifyWatcher?
    private var rescanTimer: DispatchSourceTimer?
    private var settleTimer: DispatchSourceTimer?
    private var retryTimer: DispatchSourceTimer?
    private var drainTimer: DispatchSourceTimer?

    /// Most worker lanes a reload may ask for.
    public static let maximumWorkers = 256
    private static let candidateLimit = 4_096
    private static let firstRetryDelay: Duration = .milliseconds(250)
    private static let longestRetryDelay: Duration = .seconds(30)

    /// - Parameter ledger: where every result is recorded (and duplicates looked up) before its input is
    ///   disposed of; nil runs without one (`ledger: false`, or `newsd batch` without `--state`).
    public init(
        layout: SpoolLayout, settings: SpoolSettings, analyzer: Analyzer, mode: Mode, ledger: Ledger? = nil, logger: Logger
    ) throws(SpoolError) {
        self.directories = try SpoolDirectories(layout)
        self.ledger = ledger
        self.crashJournal = try mode == .daemon ? directories.state.map { (state) throws(SpoolError) in try CrashJournal(state: state) } : nil
        self.logger = logger
        self.mode = mode
        self.control = Control(settings: settings, analyzer: analyzer)
        self.lanes = (0..<Spool.maximumWorkers).map { DispatchQueue(label: "newsd.worker.\($0)") }
        self.laneStarts = Mutex(Array(repeating: nil, count: Spool.maximumWorkers))
    }

    // MARK: Public interface

    /// Removes leftovers, recovers work/, starts watching (daemon mode) and scanning; calls `ready` once the
    /// files found in work/ are queued again and the first scan has run.
    public func start(ready: @escaping @Sendable () -> Void) {
        queue.async { @Sendable in self.begin(ready: ready) }
    }

    /// Calls `body` (on the control queue) once there is nothing left to claim or finish. Batch mode.
    public func whenIdle(_ body: @escaping @Sendable () -> Void) {
        queue.async { @Sendable in
            self.control.idleHandler = body
            self.pump()
        }
    }

    /// Applies new settings (and an analyzer built from the new options) from a reload. Takes effect for
    /// claims and articles started from now on.
    public func update(_ settings: SpoolSettings, analyzer: Analyzer) {
        queue.async { @Sendable in
            self.control.analyzer = analyzer
            let rescanChanged = settings.rescanInterval != self.control.settings.rescanInterval
            self.control.settings = settings
            if rescanChanged { self.scheduleRescans() }
            self.pump()
        }
    }

    /// Stops claiming and waits for the articles being worked on; calls `completion(true)` when they are
    /// done, `completion(false)` after `timeout`. Files left in work/ are recovered at the next start.
    public func drain(timeout: Duration, completion: @escaping @Sendable (Bool) -> Void) {
        queue.async { @Sendable in
            self.control.lifecycle = .draining
            self.control.drainCompletion = completion
            self.control.candidates.removeAll()
            self.watcher?.cancel()
            self.rescanTimer?.cancel()
            self.settleTimer?.cancel()
            self.retryTimer?.cancel()
            let timer = DispatchSource.makeTimerSource(queue: self.queue)
            timer.schedule(deadline: .now() + timeout.timeInterval)
            timer.setEventHandler { @Sendable in self.finishDrain(completed: false) }
            timer.resume()
            self.drainTimer = timer
            self.checkDrained()
        }
    }

    /// The process is leaving on purpose with articles still in work/ (a second signal, or `drain` timed
    /// out). They are recovered at the next start, and are not counted as crashes.
    public func abandonInFlight() {
        crashJournal?.abandon()
    }

    public func statistics() -> SpoolStatistics {
        statisticsBox.withLock { $0 }
    }

    /// False when a worker has spent longer than `stuckAfter` on one article: the watchdog stops petting.
    public func isHealthy(stuckAfter: Duration) -> Bool {
        let now = ContinuousClock.now
        return laneStarts.withLock { starts in
            starts.allSatisfy { start in start.map { now - $0 < stuckAfter } ?? true }
        }
    }

    // MARK: Start-up

    private func begin(ready: @escaping @Sendable () -> Void) {
        control.readyHandler = ready
        for directory in [directories.outbox, directories.failed] {
            if let removed = try? DurableWriter.removeLeftovers(in: directory), removed > 0 {
                logger.notice("removed temporary files left by a crash", metadata: ["count": "\(removed)"])
            }
        }
        if mode == .daemon {
            do {
                watcher = try InotifyWatcher(directory: directories.inbox, queue: queue) { @Sendable events in
                    self.received(events)
                }
            } catch {
                logger.error("cannot watch the inbox; relying on rescans", metadata: ["error": "\(error)"])
            }
            scheduleRescans()
        }
        // Recovery: everything in work/ was claimed by an earlier run and is processed again.
        var recovered: [[UInt8]] = []
        do {
            try Syscalls.forEachEntry(directories.work) { name, _ in
                recovered.append(name)
                return true
            }
        } catch {
            logger.error("cannot list work/", metadata: ["error": "\(error)"])
        }
        if !recovered.isEmpty {
            logger.notice("recovering files claimed before a stop", metadata: ["count": "\(recovered.count)"])
        }
        control.lifecycle = .running
        var suspects: [[UInt8]] = []
        if let crashJournal {
            do {
                for name in try crashJournal.recordInterrupted(stillInWork: Set(recovered)) {
                    logger.warning("an article was being worked on when newsd ended unexpectedly", metadata: [
                        "article.name": "\(DocumentEncoder.escapedName(name))",
                        "crashes": "\(crashJournal.counts[name] ?? 0)",
                        "max_analysis_crashes": "\(control.settings.maximumAnalysisCrashes)",
                    ])
                }
            } catch {
                logger.error("cannot keep crash counts in state/", metadata: ["error": "\(error)"])
            }
            let limit = control.settings.maximumAnalysisCrashes
            suspects = recovered.filter { (1..<limit).contains(crashJournal.counts[$0] ?? 0) }
        }
        // Files that were being worked on at a crash (but not yet often enough to be set aside) run alone,
        // one after another, before anything else: a crash then counts against the file that caused it only.
        let suspectSet = Set(suspects)
        for name in recovered {
            control.claimed.insert(name)
            control.earlierAttempts.insert(name)
            if suspectSet.isEmpty {
                dispatch(name)
            } else if !suspectSet.contains(name) {
                control.heldForSuspects.append(name)
            }
        }
        control.suspects = Deque(suspects)
        runNextSuspect()
        publishStatistics()
        scanInbox()
        control.firstScanDone = true
        signalReadyIfDue()
        pump()
    }

    /// Runs the next file suspected of crashing newsd, alone; when none is left, everything held back.
    private func runNextSuspect() {
        if let next = control.suspects.popFirst() {
            logger.notice("retrying alone an article that was being worked on at a crash", metadata: [
                "article.name": "\(DocumentEncoder.escapedName(next))", "crashes": "\(crashJournal?.counts[next] ?? 0)",
            ])
            control.runningSuspect = next
            dispatch(next)
            return
        }
        control.runningSuspect = nil
        let held = control.heldForSuspects
        control.heldForSuspects = []
        for name in held { dispatch(name) }
    }

    // MARK: Events and scans

    private func received(_ events: [InotifyWatcher.Event]) {
        guard control.lifecycle == .running else { return }
        for event in events {
            switch event {
            case .overflow:
                logger.notice("inotify queue overflowed; rescanning the inbox")
                control.needsScan = true
            case .arrived(let name):
                offer(name, announced: true)
            case .created(let name):
                if let entry = try? Syscalls.lstatAt(directories.inbox, name), !entry.isRegularFile {
                    offer(name, announced: true)
                }
            }
        }
        pump()
    }

    /// Adds a name to the bounded candidate list, or notes that a scan must find it later.
    private func offer(_ name: [UInt8], announced: Bool) {
        guard !EntryNames.isIgnored(name) else { return }
        if control.claimed.contains(name) {
            // The same name is being worked on; look again when that one is done.
            control.shadowed.insert(name)
            return
        }
        if let known = control.candidates.announced[name] {
            if announced && !known { control.candidates.announced[name] = true }
            return
        }
        if control.candidates.count >= Spool.candidateLimit {
            control.needsScan = true
            return
        }
        control.candidates.append(name, announced: announced)
    }

    /// A scan found a name the inbox never claims: said once per name (at most `ignoredLimit` names a run),
    /// so that a file dropped under such a name is not silently left there.
    private func noteIgnored(_ name: [UInt8]) {
        guard control.reportedIgnored.count < Spool.ignoredLimit, control.reportedIgnored.insert(name).inserted else { return }
        logger.info("ignoring an inbox entry: names starting with a dot or ending in .tmp, .part or ~ are never claimed", metadata: [
            "article.name": "\(DocumentEncoder.escapedName(name))",
        ])
    }

    private static let ignoredLimit = 10_000

    private func scanInbox() {
        control.needsScan = false
        var full = false
        do {
            try Syscalls.forEachEntry(directories.inbox) { name, _ in
                if EntryNames.isIgnored(name) {
                    noteIgnored(name)
                    return true
                }
                if control.claimed.contains(name) || control.candidates.announced[name] != nil {
                    return true
                }
                if control.candidates.count >= Spool.candidateLimit {
                    full = true
                    return false
                }
                control.candidates.append(name, announced: false)
                return true
            }
        } catch {
            logger.error("cannot scan the inbox", metadata: ["error": "\(error)"])
        }
        if full { control.needsScan = true }
    }

    private func scheduleRescans() {
        rescanTimer?.cancel()
        let interval = control.settings.rescanInterval
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + interval.timeInterval, repeating: interval.timeInterval)
        timer.setEventHandler { @Sendable in
            guard self.control.lifecycle == .running else { return }
            self.control.needsScan = true
            self.pump()
        }
        timer.resume()
        rescanTimer = timer
    }

    /// A scan found files still being written: look again once they may have settled.
    private func scheduleSettleRescan() {
        guard settleTimer == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + control.settings.settleTime.timeInterval + 0.05)
        timer.setEventHandler { @Sendable in
            self.settleTimer?.cancel()
            self.settleTimer = nil
            guard self.control.lifecycle == .running else { return }
            self.control.needsScan = true
            self.pump()
        }
        timer.resume()
        settleTimer = timer
    }

    // MARK: Claims

    /// Claims candidates while there is room, scanning when the list runs dry and a scan is due.
    private func pump() {
        guard control.lifecycle == .running, !control.paused, control.runningSuspect == nil else { return }
        var scanned = false
        var unsettled = false
        let settings = control.settings
        while control.claimed.count < settings.maximumClaimed {
            guard let (name, announced) = control.candidates.popFirst() else {
                // At most one scan per pump: a scan that only finds unsettled files must not spin.
                let batchDry = mode == .batch && control.claimed.isEmpty
                if (control.needsScan || batchDry) && !scanned {
                    scanned = true
                    scanInbox()
                    continue
                }
                break
            }
            if control.claimed.contains(name) {
                control.shadowed.insert(name)
                continue
            }
            if !announced && mode == .daemon, let entry = try? Syscalls.lstatAt(directories.inbox, name), entry.isRegularFile {
                let age = Timestamp.nowMicroseconds() / 1_000_000 - entry.modificationTimeSeconds
                if Duration.seconds(age) < settings.settleTime {
                    unsettled = true
                    continue
                }
            }
            claim(name)
        }
        if unsettled { scheduleSettleRescan() }
        publishStatistics()
        if mode == .batch, control.claimed.isEmpty, control.candidates.count == 0, !control.needsScan,
            let idle = control.idleHandler
        {
            control.idleHandler = nil
            idle()
        }
    }

    private func claim(_ name: [UInt8]) {
        do {
            // Never replace a file that already sits in work/ under this name.
            if try Syscalls.exists(directories.work, name) {
                control.shadowed.insert(name)
                return
            }
            try Syscalls.renameAt(directories.inbox, name, directories.work, name)
        } catch where error.errno == .noSuchFileOrDirectory {
            return  // Gone already: taken by another event, or removed by its writer.
        } catch {
            logger.warning("cannot claim a file; it stays in the inbox", metadata: [
                "article.name": "\(DocumentEncoder.escapedName(name))", "error": "\(error)",
            ])
            return
        }
        control.claimed.insert(name)
        dispatch(name)
    }

    private func dispatch(_ name: [UInt8]) {
        let workers = max(1, min(control.settings.workers, Spool.maximumWorkers))
        var lane = 0
        for candidate in 1..<workers where control.laneLoad[candidate, default: 0] < control.laneLoad[lane, default: 0] {
            lane = candidate
        }
        control.laneLoad[lane, default: 0] += 1
        control.running += 1
        let chosen = lane
        let retried = control.earlierAttempts.contains(name)
        let crashes = crashJournal?.counts[name] ?? 0
        let processor = ArticleProcessor(
            directories: directories,
            builder: DocumentBuilder(analyzer: control.analyzer, maximumArticleBytes: control.settings.maximumArticleBytes),
            onSuccess: control.settings.onSuccess, ledger: ledger, mayHaveEarlierAttempt: retried,
            crashes: crashes >= control.settings.maximumAnalysisCrashes ? crashes : nil)
        let journal = crashJournal
        lanes[chosen].async { @Sendable in
            let started = ContinuousClock.now
            self.laneStarts.withLock { $0[chosen] = started }
            journal?.begin(lane: chosen, name)
            defer { journal?.end(lane: chosen) }
            processor.process(name) { @Sendable outcome in
                let elapsed = ContinuousClock.now - started
                self.queue.async { @Sendable in self.finished(name, outcome, lane: chosen, elapsed: elapsed) }
            }
            // With a ledger the outcome may come later, from its writer: the lane is free once this returns.
            self.laneStarts.withLock { $0[chosen] = nil }
        }
    }

    // MARK: Completions

    private func finished(_ name: [UInt8], _ outcome: ArticleOutcome, lane: Int, elapsed: Duration) {
        control.laneLoad[lane, default: 1] -= 1
        control.running -= 1
        switch outcome {
        case .processed, .failed, .vanished: crashJournal?.forget(name)
        case .retry: break
        }
        if control.runningSuspect == name { runNextSuspect() }
        let microseconds = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        var metadata: Logger.Metadata = [
            "article.name": "\(DocumentEncoder.escapedName(name))",
            "duration.us": "\(microseconds)",
        ]
        switch outcome {
        case .processed(let id, let outboxName):
            metadata["message.id"] = "\(MessageID.articleProcessed)"
            metadata["article.id"] = "\(id)"
            metadata["outcome"] = "processed"
            metadata["outbox.name"] = "\(DocumentEncoder.escapedName(outboxName))"
            logger.info("article processed", metadata: metadata)
            statisticsBox.withLock { $0.processed += 1 }
            release(name)
            resumeIfPaused()
        case .failed(let id, let error, _):
            metadata["message.id"] = "\(MessageID.articleFailed)"
            if let id { metadata["article.id"] = "\(id)" }
            metadata["outcome"] = "failed"
            metadata["error.code"] = "\(error.code.rawValue)"
            metadata["error.message"] = "\(error.message)"
            logger.warning("article failed", metadata: metadata)
            statisticsBox.withLock { $0.failed += 1 }
            release(name)
            resumeIfPaused()
        case .vanished:
            logger.notice("claimed file vanished from work/", metadata: metadata)
            release(name)
        case .retry(let error):
            control.earlierAttempts.insert(name)
            control.retryQueue.append(name)
            let probeFailed = control.probing == name
            if probeFailed { control.probing = nil }
            pause(because: error, probeFailed: probeFailed)
        }
        if control.lifecycle == .draining {
            checkDrained()
        } else {
            signalReadyIfDue()
            pump()
        }
    }

    private func release(_ name: [UInt8]) {
        control.claimed.remove(name)
        control.earlierAttempts.remove(name)
        if control.probing == name { control.probing = nil }
        if control.shadowed.remove(name) != nil {
            offer(name, announced: true)
        }
    }

    /// Ready once work/ has been recovered (every file found there is claimed and queued again) and the
    /// inbox scanned. Not after the recovered files are finished: a large recovered article could otherwise
    /// hold READY=1 past systemd's start timeout and turn one crash into a restart loop.
    private func signalReadyIfDue() {
        guard control.firstScanDone, let ready = control.readyHandler else { return }
        control.readyHandler = nil
        ready()
    }

    // MARK: Storage faults

    /// Enters (or stays in) the paused state. The back-off doubles only when the probe fails: the articles
    /// that were in flight when the storage failed come back one after another and say nothing new.
    private func pause(because error: SpoolError, probeFailed: Bool) {
        if !control.paused {
            control.paused = true
            control.retryDelay = Spool.firstRetryDelay
            logger.error("storage fault: claiming paused, retrying with back-off", metadata: [
                "message.id": "\(MessageID.paused)", "error": "\(error)", "errno": "\(error.errno.rawValue)",
            ])
            publishStatistics()
        } else {
            logger.debug("storage fault persists", metadata: ["error": "\(error)"])
            if probeFailed { control.retryDelay = min(control.retryDelay * 2, Spool.longestRetryDelay) }
        }
        scheduleRetry()
    }

    private func scheduleRetry() {
        guard control.lifecycle == .running, control.probing == nil, !control.retryTimerArmed else { return }
        retryTimer?.cancel()
        control.retryTimerArmed = true
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + control.retryDelay.timeInterval)
        timer.setEventHandler { @Sendable in
            self.control.retryTimerArmed = false
            guard self.control.lifecycle == .running, self.control.paused, self.control.probing == nil,
                !self.control.retryQueue.isEmpty
            else { return }
            // One file probes the storage; the rest wait until it gets through.
            let name = self.control.retryQueue.removeFirst()
            self.control.probing = name
            self.dispatch(name)
        }
        timer.resume()
        retryTimer = timer
    }

    private func resumeIfPaused() {
        guard control.paused else { return }
        control.paused = false
        logger.notice("storage recovered: claiming resumed", metadata: ["message.id": "\(MessageID.resumed)"])
        while let name = control.retryQueue.popFirst() { dispatch(name) }
        publishStatistics()
    }

    // MARK: Shutdown

    private func checkDrained() {
        guard control.lifecycle == .draining, control.running == 0 else { return }
        finishDrain(completed: true)
    }

    private func finishDrain(completed: Bool) {
        guard let completion = control.drainCompletion else { return }
        control.drainCompletion = nil
        control.lifecycle = .stopped
        drainTimer?.cancel()
        publishStatistics()
        completion(completed)
    }

    private func publishStatistics() {
        let inFlight = control.claimed.count
        let paused = control.paused
        statisticsBox.withLock {
            $0.inFlight = inFlight
            $0.paused = paused
        }
    }
}

extension Spool {
    /// The control queue's state. Only touched on the queue.
    struct Control {
        enum Lifecycle { case starting, running, draining, stopped }

        var settings: SpoolSettings
        var analyzer: Analyzer
        var lifecycle = Lifecycle.starting
        var candidates = Candidates()
        var needsScan = false
        /// Names in work/ (claimed or recovered) that have no result yet.
        var claimed = Set<[UInt8]>()
        /// Claimed names that an earlier run or attempt may already have partly finished: recovered from
        /// work/ at start-up, or sent back by a storage fault.
        var earlierAttempts = Set<[UInt8]>()
        /// Names seen in the inbox while the same name was claimed: looked at again when it is done.
        var shadowed = Set<[UInt8]>()
        var laneLoad: [Int: Int] = [:]
        /// Articles handed to a lane and not yet back.
        var running = 0
        var firstScanDone = false
        var readyHandler: (@Sendable () -> Void)?
        var idleHandler: (@Sendable () -> Void)?
        var drainCompletion: (@Sendable (Bool) -> Void)?
        var paused = false
        var retryQueue = Deque<[UInt8]>()
        var probing: [UInt8]?
        var retryDelay: Duration = .milliseconds(250)
        var retryTimerArmed = false
        /// Recovered files that were being worked on at a crash, waiting to run alone; the one running now;
        /// and the other recovered files, held back until they are done.
        var suspects = Deque<[UInt8]>()
        var runningSuspect: [UInt8]?
        var heldForSuspects: [[UInt8]] = []
        /// Ignored inbox names already logged.
        var reportedIgnored = Set<[UInt8]>()

        init(settings: SpoolSettings, analyzer: Analyzer) {
            self.settings = settings
            self.analyzer = analyzer
        }
    }

    /// Names waiting to be claimed, in arrival order, each marked whether an event announced it complete.
    struct Candidates {
        private var order = Deque<[UInt8]>()
        var announced: [[UInt8]: Bool] = [:]
        var count: Int { order.count }

        mutating func append(_ name: [UInt8], announced isAnnounced: Bool) {
            order.append(name)
            announced[name] = isAnnounced
        }

        mutating func popFirst() -> (name: [UInt8], announced: Bool)? {
            guard let name = order.popFirst() else { return nil }
            return (name, announced.removeValue(forKey: name) ?? false)
        }

        mutating func removeAll() {
            order.removeAll()
            announced.removeAll()
        }
    }
}

extension Duration {
    var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

extension Spool {
    /// How many entries of the inbox a scan would claim: for progress bars.
    public static func countClaimable(in layout: SpoolLayout) throws(SpoolError) -> Int {
        let descriptor = try Syscalls.openAt(AT_FDCWD, Array(layout.inbox.string.utf8), flags: O_RDONLY | O_DIRECTORY)
        defer { Syscalls.close(descriptor) }
        var count = 0
        try Syscalls.forEachEntry(descriptor) { name, _ in
            if !EntryNames.isIgnored(name) { count += 1 }
            return true
        }
        return count
    }
}
