#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import SystemPackage

/// Remembers which article each worker lane is working on, so that one which crashes the process (a trap
/// in the analysis, an out-of-memory kill) is recognised at the next start and, after `limit` crashes,
/// set aside in failed/ with `analysis-crashed` instead of crashing newsd forever.
///
/// Two files in state/:
/// - `lanes`: one 512-byte slot per lane, `[length: UInt16 LE][name]`, written with one `pwrite` when a lane
///   starts an article and cleared when it is done. No fsync: a crash of the process keeps the page cache;
///   a power cut merely forgets one attempt.
/// - `crashes`: `<hex name> <count>` per line, for files in work/ that were being worked on during a crash.
///   Rewritten (temp + fsync + rename) only when a count changes: at a start-up after a crash, and when
///   such a file gets its result. Rare.
///
/// Only the control queue calls the count methods; `begin`/`end` touch a lane's own slot from that lane.
final class CrashJournal: @unchecked Sendable {
    static let slotSize = 512
    private let state: CInt
    private let lanes: CInt
    /// Crash counts of files in work/. Only touched on the spool's control queue.
    private(set) var counts: [[UInt8]: Int] = [:]
    /// Set by `abandon`: the process is leaving on purpose, and no lane records anything any more.
    private let abandoned = Mutex(false)

    init(state: CInt) throws(SpoolError) {
        self.state = state
        lanes = try Syscalls.openAt(state, Array("lanes".utf8), flags: O_RDWR | O_CREAT | O_CLOEXEC, mode: 0o640)
    }

    deinit { Syscalls.close(lanes) }

    /// At start-up: every name a lane held when the last process ended without finishing it gets one more
    /// crash; names no longer in work/ are forgotten. Clears the lanes and saves the counts.
    func recordInterrupted(stillInWork: Set<[UInt8]>) throws(SpoolError) -> [[UInt8]] {
        let saved = readCounts()
        counts = saved
        var interrupted: [[UInt8]] = []
        var slot = [UInt8](repeating: 0, count: CrashJournal.slotSize)
        for lane in 0..<Spool.maximumWorkers {
            let read = slot.withUnsafeMutableBytes { pread(lanes, $0.baseAddress, CrashJournal.slotSize, off_t(lane * CrashJournal.slotSize)) }
            guard read >= 2 else { break }
            let length = Int(slot[0]) | Int(slot[1]) << 8
            guard length > 0, length <= CrashJournal.slotSize - 2, read >= 2 + length else { continue }
            interrupted.append(Array(slot[2..<(2 + length)]))
        }
        for name in interrupted { counts[name, default: 0] += 1 }
        counts = counts.filter { stillInWork.contains($0.key) }
        if ftruncate(lanes, 0) != 0 { throw SpoolError("ftruncate", name: Array("lanes".utf8), errno: Errno(rawValue: errno)) }
        // The usual start after a clean stop changes nothing: no temp file, no two fsyncs.
        if counts != saved { try saveCounts() }
        return interrupted.filter { stillInWork.contains($0) }
    }

    /// A lane starts on `name`.
    func begin(lane: Int, _ name: [UInt8]) {
        var slot = [UInt8](repeating: 0, count: 2)
        slot[0] = UInt8(truncatingIfNeeded: name.count)
        slot[1] = UInt8(truncatingIfNeeded: name.count >> 8)
        slot += name.prefix(CrashJournal.slotSize - 2)
        abandoned.withLock { abandoned in
            guard !abandoned else { return }
            _ = slot.withUnsafeBytes { pwrite(lanes, $0.baseAddress, $0.count, off_t(lane * CrashJournal.slotSize)) }
        }
    }

    /// The lane is done with its article (whatever the outcome).
    func end(lane: Int) {
        let empty: [UInt8] = [0, 0]
        abandoned.withLock { abandoned in
            guard !abandoned else { return }
            _ = empty.withUnsafeBytes { pwrite(lanes, $0.baseAddress, 2, off_t(lane * CrashJournal.slotSize)) }
        }
    }

    /// The process is about to exit on purpose with articles still being worked on (a second signal, a
    /// shutdown timeout): those articles did not crash anything, so the lanes are cleared and stay clear.
    /// Without this, each such exit counted a crash against every file in flight, and a few quick restarts
    /// could set healthy files aside as `analysis-crashed`.
    func abandon() {
        abandoned.withLock { abandoned in
            abandoned = true
            _ = ftruncate(lanes, 0)
        }
    }

    /// The file got a result: its count goes.
    func forget(_ name: [UInt8]) {
        guard counts.removeValue(forKey: name) != nil else { return }
        try? saveCounts()
    }

    // MARK: The counts file

    private func readCounts() -> [[UInt8]: Int] {
        guard let descriptor = try? Syscalls.openAt(state, Array("crashes".utf8), flags: O_RDONLY | O_CLOEXEC) else { return [:] }
        defer { Syscalls.close(descriptor) }
        guard let bytes = try? Syscalls.readAll(descriptor, expectedSize: 4096, limit: 16 << 20) else { return [:] }
        var counts: [[UInt8]: Int] = [:]
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: " "))
            guard fields.count == 2, let name = CrashJournal.unhex(fields[0]),
                let count = Int(String(decoding: fields[1], as: UTF8.self)), count > 0
            else { continue }
            counts[name] = count
        }
        return counts
    }

    private func saveCounts() throws(SpoolError) {
        var text: [UInt8] = []
        for (name, count) in counts.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            text += CrashJournal.hex(name) + Array(" \(count)\n".utf8)
        }
        let temporary = Array(".crashes.tmp".utf8)
        let descriptor = try Syscalls.openAt(state, temporary, flags: O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode: 0o640)
        do {
            defer { Syscalls.close(descriptor) }
            try Syscalls.writeAll(descriptor, text)
            try Syscalls.synchronize(descriptor)
        }
        try Syscalls.renameAt(state, temporary, state, Array("crashes".utf8))
        try Syscalls.synchronize(state)
    }

    static func hex(_ bytes: [UInt8]) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return out
    }

    static func unhex(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        guard text.count % 2 == 0, !text.isEmpty else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            guard let high = value(text[index]), let low = value(text[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
