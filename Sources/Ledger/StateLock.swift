#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `state/ledger.lock` for as long as this value lives: one writer per ledger.
///
/// The daemon (or a batch with `--state`) holds it while it runs; `newsd reindex` takes it before it
/// replaces the ledger file, so it refuses to pull the database from under a running daemon. Readers
/// (`newsd query`) need no lock: WAL lets them read beside the writer.
public final class StateLock: Sendable {
    private let descriptor: CInt

    /// Takes the lock without waiting; throws when another process holds it.
    public init(stateDirectory: String) throws(LedgerError) {
        try StateLock.createDirectories(stateDirectory)
        let path = stateDirectory + "/ledger.lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw LedgerError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno == EWOULDBLOCK ? "another newsd process uses this ledger" : String(cString: strerror(errno))
            close(descriptor)
            throw LedgerError("cannot lock \(path): \(reason)")
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// `mkdir -p` with mode 0750.
    static func createDirectories(_ path: String) throws(LedgerError) {
        var partial = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            partial += "/" + component
            if mkdir(partial, 0o750) != 0 && errno != EEXIST {
                throw LedgerError("cannot create \(partial): \(String(cString: strerror(errno)))")
            }
        }
    }
}
