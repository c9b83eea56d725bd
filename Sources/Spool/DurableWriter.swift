#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import SystemPackage

/// Writes result documents so that a reader never sees a partial one and nothing is ever overwritten:
/// a temporary dot-file, `fsync`, a hard link to the final name (which fails rather than replaces), removal
/// of the temporary name, `fsync` of the directory.
///
/// Retries are idempotent: every document starts with its identity (id, source name, received time), so when
/// a crash came after the link but before the input was disposed of, the retry finds its own document under
/// a candidate name and does not write a second one.
struct DurableWriter: Sendable {
    private static let sequence = Atomic<UInt64>(0)

    /// The prefix of temporary names; recovery removes leftovers that start with it.
    static let temporaryPrefix: [UInt8] = Array(".newsd-".utf8)

    enum Placement: Equatable {
        /// Written now under this name.
        case written([UInt8])
        /// A previous attempt for the same claim had already written it under this name.
        case alreadyPresent([UInt8])
    }

    /// Writes `bytes` under the first free name of `candidates` in `directory`.
    ///
    /// - Parameters:
    ///   - identity: the prefix of `bytes` that identifies this claim; an existing file that starts with it is
    ///     this document from an earlier attempt.
    ///   - accept: called for a free candidate before it is taken; returning false skips it (the failed/
    ///     folder also needs the original's name to be free).
    static func write(
        _ bytes: [UInt8], in directory: CInt, candidates: some Sequence<[UInt8]>, identity: ArraySlice<UInt8>,
        accept: ([UInt8]) throws(SpoolError) -> Bool = { _ in true }
    ) throws(SpoolError) -> Placement {
        let temporary = temporaryName()
        let descriptor = try Syscalls.openAt(directory, temporary, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
        do {
            try Syscalls.writeAll(descriptor, bytes)
            try Syscalls.synchronize(descriptor)
            Syscalls.close(descriptor)
        } catch {
            Syscalls.close(descriptor)
            try? Syscalls.unlinkAt(directory, temporary)
            throw error
        }
        var temporaryRemains = true
        defer { if temporaryRemains { try? Syscalls.unlinkAt(directory, temporary) } }

        for name in candidates {
            do {
                guard try accept(name) else { continue }
                try Syscalls.linkAt(directory, temporary, directory, name)
            } catch where error.errno == .fileExists {
                if try startsWith(identity, directory: directory, name: name) {
                    // The earlier attempt linked it but may have failed (EIO) or died before the directory's
                    // fsync: its name is durable only once the directory is synced, so sync it again before
                    // the caller disposes of the input.
                    try Syscalls.synchronize(directory)
                    return .alreadyPresent(name)
                }
                continue
            }
            temporaryRemains = false
            try Syscalls.unlinkAt(directory, temporary)
            try Syscalls.synchronize(directory)
            return .written(name)
        }
        throw SpoolError("no free output name", errno: .fileExists)
    }

    /// Whether the file `name` in `directory` begins with `prefix`.
    static func startsWith(_ prefix: ArraySlice<UInt8>, directory: CInt, name: [UInt8]) throws(SpoolError) -> Bool {
        guard !prefix.isEmpty else { return false }
        let descriptor: CInt
        do {
            descriptor = try Syscalls.openAt(directory, name, flags: O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
        } catch where [.noSuchFileOrDirectory, .tooManySymbolicLinkLevels].contains(error.errno) {
            return false
        }
        defer { Syscalls.close(descriptor) }
        let head = try Syscalls.readAll(descriptor, expectedSize: prefix.count, limit: prefix.count)
        return head.elementsEqual(prefix)
    }

    /// Removes temporary files a crash left behind in `directory`.
    static func removeLeftovers(in directory: CInt) throws(SpoolError) -> Int {
        var leftovers: [[UInt8]] = []
        try Syscalls.forEachEntry(directory) { name, _ in
            if name.starts(with: temporaryPrefix) { leftovers.append(name) }
            return true
        }
        for name in leftovers { try? Syscalls.unlinkAt(directory, name) }
        return leftovers.count
    }

    private static func temporaryName() -> [UInt8] {
        let number = sequence.add(1, ordering: .relaxed).newValue
        return temporaryPrefix + Array("\(getpid())-\(number).tmp".utf8)
    }
}
