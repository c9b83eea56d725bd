/// The spool's tunables. The daemon builds this from its configuration; every field can change on SIGHUP.
public struct SpoolSettings: Sendable, Equatable {
    /// Worker lanes analysing and writing articles in parallel (`workers`).
    public var workers: Int
    /// At most this many files are claimed (in work/) at once: the backpressure that keeps memory flat
    /// however large the backlog (`max_claimed`).
    public var maximumClaimed: Int
    /// Larger inputs end in failed/ with `too-large` without being read (`max_article_bytes`).
    public var maximumArticleBytes: Int
    /// A full scan of the inbox this often, in case an inotify event was lost (`rescan_interval`).
    public var rescanInterval: Duration
    /// A file found by a scan (not announced by a close or rename event) is claimed only once it has not
    /// been modified for this long, so a file still being written in place is not read half-way (`settle_time`).
    public var settleTime: Duration
    /// What to do with an original once its analysis is durable (`on_success`).
    public var onSuccess: SuccessAction
    /// A file that was being worked on when newsd crashed this many times goes to failed/ with
    /// `analysis-crashed` instead of being tried again (`max_analysis_crashes`).
    public var maximumAnalysisCrashes: Int

    public init(
        workers: Int, maximumClaimed: Int, maximumArticleBytes: Int = 10 << 20, rescanInterval: Duration = .seconds(30),
        settleTime: Duration = .seconds(2), onSuccess: SuccessAction = .archive, maximumAnalysisCrashes: Int = 3
    ) {
        self.maximumAnalysisCrashes = maximumAnalysisCrashes
        self.workers = workers
        self.maximumClaimed = maximumClaimed
        self.maximumArticleBytes = maximumArticleBytes
        self.rescanInterval = rescanInterval
        self.settleTime = settleTime
        self.onSuccess = onSuccess
    }
}

/// Counters the daemon reports in `STATUS=` and the batch command in its summary.
public struct SpoolStatistics: Sendable, Equatable {
    public var processed = 0
    public var failed = 0
    /// Files claimed (in work/) and not yet finished, including those waiting for a retry.
    public var inFlight = 0
    /// True while a fault of the storage holds claiming back.
    public var paused = false
    public init() {}
}

/// MESSAGE_ID values of newsd's key journal records (`journalctl MESSAGE_ID=…`).
public enum MessageID {
    public static let started = "8b3f6c2e5a1d4f0e9c7b2a6d1e4f3c58"
    public static let articleProcessed = "2f6e1a9c4b8d4e7fa3c5d0b1e2f47a96"
    public static let articleFailed = "c71d3e5f9a2b4c6d8e0f1a3b5c7d9e02"
    public static let paused = "5a9e2c7f1b3d4a6c8e0b2d4f6a8c0e13"
    public static let resumed = "9d4b6f8a0c2e4b1d3f5a7c9e1b3d5f24"
    public static let stopping = "e3a5c7e9b1d3f5a7c9e1b3d5f7a9c135"
    public static let reloaded = "4c6e8a0b2d4f6a8c0e2b4d6f8a0c2e46"
}
