import Ledger
import SystemPackage

/// A failed file-system operation of the spool, with the call, the name it was about and errno.
///
/// Callers match on `isTransient` to tell a fault of the disk (pause and retry: the article stays in work/)
/// from a fault of the input (the article goes to failed/).
public struct SpoolError: Error, Sendable, CustomStringConvertible {
    /// The system call that failed, e.g. `"openat"`.
    public var operation: String
    /// The directory entry it was about, as raw bytes (may be empty).
    public var name: [UInt8]
    public var errno: Errno

    public init(_ operation: String, name: [UInt8] = [], errno: Errno) {
        self.operation = operation
        self.name = name
        self.errno = errno
    }

    /// Faults of the storage rather than of the article: out of space, I/O errors, permissions, a read-only or
    /// over-quota file system. The spool pauses on these and retries; it never fails an article for them.
    /// The ledger could not be read or written: held like a fault of the disk (the article stays in work/).
    init(ledgerFault: LedgerError) {
        self.init("ledger (\(ledgerFault))", errno: .ioError)
    }

    public var isTransient: Bool {
        switch errno {
        case .noSpace, .ioError, .permissionDenied, .readOnlyFileSystem, .diskQuotaExceeded,
            .tooManyOpenFiles, .noMemory, .resourceTemporarilyUnavailable, .notPermitted:
            return true
        default:
            return false
        }
    }

    public var description: String {
        let shown = name.isEmpty ? "" : " \(String(decoding: name, as: UTF8.self))"
        return "\(operation)\(shown): \(errno)"
    }
}
