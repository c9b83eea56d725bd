#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

/// Where the spool's folders are. `standard(root:)` is the daemon's layout (DESIGN.md); `newsd batch` builds
/// its own from `--inbox`/`--outbox`.
public struct SpoolLayout: Sendable, Equatable {
    public var inbox: FilePath
    /// Claimed files. Must be on the inbox's file system: a claim is a rename.
    public var work: FilePath
    public var outbox: FilePath
    /// Originals that could not be analysed, each beside its `.error.json`. Same file system as `work`.
    public var failed: FilePath
    /// Originals after success (when `on_success` is `archive`). Same file system as `work`.
    public var archive: FilePath
    /// The ledger and other state; nil for `newsd batch`.
    public var state: FilePath?

    public init(inbox: FilePath, work: FilePath, outbox: FilePath, failed: FilePath, archive: FilePath, state: FilePath?) {
        self.inbox = inbox
        self.work = work
        self.outbox = outbox
        self.failed = failed
        self.archive = archive
        self.state = state
    }

    public static func standard(root: FilePath) -> SpoolLayout {
        SpoolLayout(
            inbox: root.appending("inbox"), work: root.appending("work"), outbox: root.appending("outbox"),
            failed: root.appending("failed"), archive: root.appending("archive"), state: root.appending("state"))
    }
}

/// The spool's folders, created if missing and held open, so every later call is relative to a descriptor
/// and takes the entry name as raw bytes.
final class SpoolDirectories: Sendable {
    let inbox: CInt
    let work: CInt
    let outbox: CInt
    let failed: CInt
    let archive: CInt
    let state: CInt?

    init(_ layout: SpoolLayout) throws(SpoolError) {
        func open(_ path: FilePath, mode: mode_t) throws(SpoolError) -> CInt {
            try SpoolDirectories.createAll(path, mode: mode)
            let name = Array(path.string.utf8)
            return try Syscalls.openAt(AT_FDCWD, name, flags: O_RDONLY | O_DIRECTORY)
        }
        // Group-writable so members of the dropping group can write into it (the umask still applies). No
        // setgid bit here: under RestrictSUIDSGID=yes systemd's seccomp filter fails any mkdir with that
        // bit with EPERM, even when the folder exists. The tmpfiles snippet sets owner, group and mode.
        inbox = try open(layout.inbox, mode: 0o770)
        work = try open(layout.work, mode: 0o750)
        outbox = try open(layout.outbox, mode: 0o755)
        failed = try open(layout.failed, mode: 0o750)
        archive = try open(layout.archive, mode: 0o750)
        state = try layout.state.map { (path) throws(SpoolError) in try open(path, mode: 0o750) }

        // Claims, failures and archiving are renames out of work/: one file system for all four.
        let device = try Syscalls.fileStatus(work).st_dev
        for (descriptor, name) in [(inbox, "inbox"), (failed, "failed"), (archive, "archive")] {
            if try Syscalls.fileStatus(descriptor).st_dev != device {
                throw SpoolError("same file system as work/ required for \(name)", errno: .improperLink)
            }
        }
    }

    deinit {
        for descriptor in [inbox, work, outbox, failed, archive] + (state.map { [$0] } ?? []) {
            Syscalls.close(descriptor)
        }
    }

    /// `mkdir -p`.
    private static func createAll(_ path: FilePath, mode: mode_t) throws(SpoolError) {
        var partial = path.root.map { FilePath(root: $0) } ?? FilePath("")
        for component in path.components {
            partial.append(component)
            try Syscalls.makeDirectory(AT_FDCWD, Array(partial.string.utf8), mode: mode)
        }
    }
}
