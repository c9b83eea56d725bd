import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

// Hostile drops against the real daemon. Already covered elsewhere and not repeated here:
// a symlink, a FIFO, a hard-linked file and a directory dropped into the inbox, a non-UTF-8 name, a 255-byte
// name, an 11 MB file (too-large) and random binary bytes (PoisonAndConcurrentWritersTests); a 255-byte
// non-UTF-8 name (ibid.); invalid UTF-8 contents (CommandTests, CrashRecoveryTests).
// The heavy versions (200 MB single line, 10,000 empty files, 1,000 race rounds) are in
// scripts/reliability/hostile.sh.

extension EndToEnd {
    @Suite struct HostileDrops {
        /// A file swapped for a symlink to a secret outside the spool between the daemon's scan and its open,
        /// raced many times. The symlink is always refused (`not-regular-file`), the regular file gets at most
        /// one document when it was claimed before the swap, and the secret's bytes appear nowhere.
        @Test func aFileSwappedForASymlinkIsRefusedAndTheSecretNeverLeaks() async throws {
            let scratch = try ScratchDirectory("symrace")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            let outside = scratch.path + "/outside"
            try makeDirectory(outside)
            let marker = "SECRET-\(UInt64.random(in: 0...UInt64.max))-MARKER"
            let secret = outside + "/secret.txt"
            try writeFile(outside, "secret.txt", Array("Memo\n\nThe password is \(marker). Nobody may read it.\n".utf8))
            let daemon = try await startDaemon(
                spool, in: scratch.path, environment: ["NEWSD_SETTLE_TIME": "0", "NEWSD_RESCAN_INTERVAL": "1"], logName: "daemon")
            defer { daemon.forceKill() }

            let rounds = EndToEnd.scaled(200)
            let inbox = spool.inbox
            try await offload {
                for round in 0..<rounds {
                    let name = Array("race-\(round).txt".utf8), link = Array(".link-\(round)".utf8)
                    try writeFile(inbox, name, EndToEnd.smallArticle(round))
                    guard symlink(secret, cPath(inbox, link)) == 0 else { throw FileSystemError("symlink", inbox) }
                    try renameEntry(inbox, link, inbox, name)
                }
            }
            let drained = try await eventually(timeout: .seconds(120), interval: .milliseconds(200)) {
                let errors = entryNames(spool.failed).filter { $0.ends(with: Array(".error.json".utf8)) }.count
                return errors >= rounds && entryNames(spool.work).isEmpty
                    && entryNames(spool.inbox).allSatisfy { $0.first == UInt8(ascii: ".") }
            }
            #expect(drained, "the race's symlinks were not all refused within 120 s")
            await stopDaemon(daemon)

            let failed = readFailed(spool.failed)
            #expect(failed.strays.isEmpty, "\(failed.strays)")
            let codes = failed.codesBySource
            let outbox = readOutbox(spool.outbox)
            #expect(outbox.hiddenNames.isEmpty && outbox.malformed.isEmpty, "\(outbox.hiddenNames) \(outbox.malformed)")
            let documents = outbox.countsBySource
            for round in 0..<rounds {
                let name = "race-\(round).txt"
                #expect(codes[name] == ["not-regular-file"], "\(name): \(codes[name] ?? [])")
                #expect((documents[name] ?? 0) <= 1, "\(name): \(documents[name] ?? 0) documents")
            }
            #expect(Set(codes.keys).union(documents.keys).count == rounds, "results for names that were never dropped")
            // Every refused entry is the symlink itself, moved unopened; the secret is where it was, unread.
            for pair in failed.pairs {
                #expect(entryStatus(spool.failed, pair.originalName).map { $0.st_mode & S_IFMT } == S_IFLNK)
            }
            #expect(try filesContaining(marker, under: spool.root).isEmpty)
            #expect(!(daemon.standardError.contains(marker)))
            #expect(readFile(secret).map { String(decoding: $0, as: UTF8.self).contains(marker) } == true)
        }

        /// Names the inbox never claims stay where they are, and a scan says so once per name in the log.
        @Test func ignoredNamesFoundByAScanAreLoggedOnce() async throws {
            let scratch = try ScratchDirectory("ignored")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            try makeDirectory(spool.inbox)
            for name in [".hidden.txt", "draft.txt.tmp", "upload.part", "notes.txt~"] {
                try writeFile(spool.inbox, name, EndToEnd.smallArticle(1))
            }
            let daemon = try await startDaemon(spool, in: scratch.path, environment: ["NEWSD_SETTLE_TIME": "0"], logName: "daemon")
            defer { daemon.forceKill() }
            await stopDaemon(daemon)
            let lines = daemon.standardError.split(separator: "\n").filter { $0.contains("ignoring an inbox entry") }
            for name in [".hidden.txt", "draft.txt.tmp", "upload.part", "notes.txt~"] {
                #expect(lines.filter { $0.contains(name) }.count == 1, "\(name): \(lines)")
            }
            #expect(entryNames(spool.inbox).count == 4)
            #expect(entryNames(spool.outbox).isEmpty)
        }

        /// Names a shell or a log would trip on: newlines, carriage returns, escape sequences, leading dashes,
        /// `..` inside a name, backslashes, quotes, `$(…)`. Each article gets one document whose `source.name`
        /// is the name (escaped only where not UTF-8 or a backslash), written inside the outbox; names starting
        /// with a dot (`...`, `..x.txt`) are ignored by design and stay in the inbox.
        @Test func awkwardNamesEachGetOneDocumentInsideTheOutbox() async throws {
            let scratch = try ScratchDirectory("names")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            let daemon = try await startDaemon(spool, in: scratch.path, environment: ["NEWSD_SETTLE_TIME": "0"], logName: "daemon")
            defer { daemon.forceKill() }
            let good: [[UInt8]] = [
                "line\nbreak.txt", "\n.txt", "cr\rreturn.txt", "esc\u{1B}[31mred.txt", "tab\tname.txt", "-rf.txt", "--help.txt",
                "-", "--", "-n", "a..b.txt", "x..txt", "back\\slash.txt", "quote\"and'.txt", "$(touch pwned).txt",
                "semi;rm -rf ~.txt", " leading-space.txt", "*?[].txt",
            ].map { Array($0.utf8) } + [Array("overlong-".utf8) + [0xC0, 0xAF] + Array(".txt".utf8)]
            let ignored: [[UInt8]] = ["...", "..x.txt", ".-rf.txt"].map { Array($0.utf8) }
            for (index, name) in (good + ignored).enumerated() {
                try writeFile(spool.inbox, name, EndToEnd.smallArticle(index))
            }
            let drained = try await eventually(timeout: .seconds(60), interval: .milliseconds(100)) {
                readOutbox(spool.outbox).documents.count >= good.count && entryNames(spool.work).isEmpty
            }
            #expect(drained)
            await stopDaemon(daemon)

            let outbox = readOutbox(spool.outbox)
            #expect(outbox.hiddenNames.isEmpty && outbox.malformed.isEmpty, "\(outbox.hiddenNames) \(outbox.malformed)")
            #expect(outbox.countsBySource == Dictionary(uniqueKeysWithValues: good.map { (display($0), 1) }),
                "\(outbox.countsBySource.keys.sorted())")
            #expect(entryNames(spool.failed).isEmpty)
            #expect(Set(entryNames(spool.inbox)) == Set(ignored))
            // Nothing was created beside the spool through a name (the scratch folder holds only our own files).
            let beside = Set(entryNames(scratch.path).map(display)).subtracting(["spool", "daemon.stdout", "daemon.stderr"])
            #expect(beside.isEmpty, "\(beside)")
            #expect(!FileManager.default.fileExists(atPath: scratch.path + "/pwned"))
            // The log shows the newline name on one line (escaped), so one record cannot forge another.
            #expect(!daemon.standardError.split(separator: "\n").contains { $0.hasPrefix("break.txt") })
        }

        /// JSON nested 100,000 deep (arrays, objects, unclosed), HTML nested 100,000 deep and Markdown front
        /// matter that never closes: the parser's depth limit answers `invalid-json`, the HTML and Markdown are
        /// read as text; none crashes a worker or leaves anything behind.
        @Test func deeplyNestedInputsAndUnclosedFrontMatterEndInOneResultEach() async throws {
            let scratch = try ScratchDirectory("deep")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            let daemon = try await startDaemon(spool, in: scratch.path, environment: ["NEWSD_SETTLE_TIME": "0"], logName: "daemon")
            defer { daemon.forceKill() }
            let depth = 100_000
            func repeated(_ text: String, _ count: Int) -> [UInt8] { Array(String(repeating: text, count: count).utf8) }
            let inputs: [(String, [UInt8], Set<String>)] = [
                ("deep-array.json", repeated("[", depth) + repeated("]", depth), ["invalid-json"]),
                ("deep-object.json", repeated("{\"a\":", depth) + Array("1".utf8) + repeated("}", depth), ["invalid-json"]),
                ("deep-in-text.json", Array("{\"text\": ".utf8) + repeated("[", depth) + repeated("]", depth) + Array("}".utf8),
                    ["invalid-json"]),
                ("deep-unclosed.json", Array("{\"text\": ".utf8) + repeated("[", depth), ["invalid-json"]),
                ("deep.html", repeated("<div>", depth) + Array("<p>".utf8) + EndToEnd.smallArticle(1) + repeated("</div>", depth),
                    ["outbox"]),
                ("frontmatter-open.md", Array("---\ntitle: never closes\nauthor: x\n\n".utf8) + EndToEnd.smallArticle(2), ["outbox"]),
                ("frontmatter-dashes.md", repeated("---\n", 50_000), ["outbox", "empty"]),
            ]
            let staging = scratch.path + "/staging"
            try makeDirectory(staging)
            for (name, bytes, _) in inputs {
                try writeFile(staging, name, bytes)
                try renameEntry(staging, Array(name.utf8), spool.inbox, Array(name.utf8))
            }
            let drained = try await eventually(timeout: .seconds(120), interval: .milliseconds(100)) {
                entryNames(spool.inbox).isEmpty && entryNames(spool.work).isEmpty
                    && readOutbox(spool.outbox).documents.count + readFailed(spool.failed).pairs.count >= inputs.count
            }
            #expect(drained)
            await stopDaemon(daemon)

            let outbox = readOutbox(spool.outbox), failed = readFailed(spool.failed)
            #expect(outbox.hiddenNames.isEmpty && outbox.malformed.isEmpty && failed.strays.isEmpty)
            for (name, _, accepted) in inputs {
                let results = Array(repeating: "outbox", count: outbox.countsBySource[name] ?? 0) + (failed.codesBySource[name] ?? [])
                #expect(results.count == 1 && accepted.contains(results[0]), "\(name): \(results), expected one of \(accepted.sorted())")
            }
            for document in outbox.documents {
                #expect(articleProblems(document.object).isEmpty, "\(document.sourceName): \(articleProblems(document.object).prefix(3))")
            }
        }

        /// Root (or a second tool) removing or truncating claimed files in work/ while workers read them. A
        /// removed file ends with at most one result and a "vanished" log record when it has none; a truncated
        /// one is read as it is now; nothing is half-written, nothing stays in work/, no document is doubled.
        @Test func filesUnlinkedOrTruncatedWhileProcessedEndInAtMostOneResult() async throws {
            let scratch = try ScratchDirectory("vanish")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            let staging = scratch.path + "/staging"
            try makeDirectory(staging)
            let daemon = try await startDaemon(spool, in: scratch.path, environment: ["NEWSD_SETTLE_TIME": "0"], logName: "daemon")
            defer { daemon.forceKill() }
            let corpus = try EndToEnd.corpusArticles()
            let count = EndToEnd.scaled(400)
            let work = spool.work, inbox = spool.inbox
            let unlinked = SendableBox<Set<String>>([]), truncated = SendableBox<Set<String>>([])
            let stop = SendableBox(false)
            async let sabotage: Void = offload {
                var random = SystemRandomNumberGenerator()
                while !stop.value {
                    for name in entryNames(work) {
                        let roll = Int.random(in: 0..<100, using: &random)
                        if roll < 15, unlink(cPath(work, name)) == 0 {
                            unlinked.update { $0.insert(display(name)) }
                        } else if roll < 30 {
                            truncated.update { $0.insert(display(name)) }
                            _ = truncate(cPath(work, name), off_t(Int.random(in: 0...100, using: &random)))
                        }
                    }
                    usleep(1_000)
                }
            }
            try await offload {
                for index in 0..<count {
                    let name = Array(String(format: "v-%05d.txt", index).utf8)
                    try writeFile(staging, name, corpus[index % corpus.count] + corpus[(index + 1) % corpus.count])
                    try renameEntry(staging, name, inbox, name)
                }
            }
            let drained = try await eventually(timeout: .seconds(180), interval: .milliseconds(200)) {
                entryNames(spool.inbox).isEmpty && entryNames(spool.work).isEmpty
            }
            stop.update { $0 = true }
            try await sabotage
            #expect(drained)
            // Let results of the last claims arrive, then stop.
            try await Task.sleep(for: .seconds(1))
            await stopDaemon(daemon)

            let outbox = readOutbox(spool.outbox), failed = readFailed(spool.failed)
            #expect(outbox.hiddenNames.isEmpty && outbox.malformed.isEmpty, "\(outbox.hiddenNames) \(outbox.malformed)")
            // An error document may stand alone only when the test removed its original from work/ after the
            // document was durable and before the original could join it: it is still that input's one result.
            let removedOriginals = Set(unlinked.value.map { "\($0).error.json (no original beside it)" })
            #expect(failed.strays.filter { !removedOriginals.contains($0) }.isEmpty, "\(failed.strays)")
            #expect(entryNames(spool.work).isEmpty)
            let documents = outbox.countsBySource, codes = failed.codesBySource
            var withoutResult = 0
            for index in 0..<count {
                let name = String(format: "v-%05d.txt", index)
                let results = (documents[name] ?? 0) + (codes[name]?.count ?? 0)
                #expect(results <= 1, "\(name): \(results) results")
                if results == 0 {
                    #expect(unlinked.value.contains(name), "\(name) was never removed by the test but has no result")
                    withoutResult += 1
                }
                // A truncated file is read as it is now (empty, or NULs after a second truncate grew it); one
                // left alone must be analysed.
                if results == 1 && !truncated.value.contains(name) {
                    #expect(documents[name] == 1, "\(name) was never truncated but failed: \(codes[name] ?? [])")
                }
            }
            let vanishedRecords = daemon.standardError.components(separatedBy: "claimed file vanished from work/").count - 1
            #expect(vanishedRecords >= withoutResult, "\(withoutResult) removed files without result, \(vanishedRecords) log records")
        }

        /// Character and block devices (one like /dev/zero, which would never end), a UNIX socket and a
        /// directory holding a symlink to a secret, renamed in: each refused as `not-regular-file` without
        /// being opened, moved to failed/ as it is. (FIFOs, hard links and a plain directory:
        /// PoisonAndConcurrentWritersTests.)
        @Test func devicesSocketsAndNestedDirectoriesAreRefusedUnopened() async throws {
            let scratch = try ScratchDirectory("devices")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            let daemon = try await startDaemon(
                spool, in: scratch.path, environment: ["NEWSD_SETTLE_TIME": "0", "NEWSD_RESCAN_INTERVAL": "1"], logName: "daemon")
            defer { daemon.forceKill() }
            let inbox = spool.inbox
            #expect(mknod(inbox + "/zero.txt", S_IFCHR | 0o644, deviceNumber(1, 5)) == 0)
            #expect(mknod(inbox + "/null", S_IFCHR | 0o644, deviceNumber(1, 3)) == 0)
            #expect(mknod(inbox + "/loop.txt", S_IFBLK | 0o644, deviceNumber(7, 0)) == 0)
            let socketDescriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(socketDescriptor) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let socketPath = Array((inbox + "/socket.txt").utf8)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: socketPath + [0]) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            #expect(bound == 0)
            let staging = scratch.path + "/staging"
            try makeDirectory(staging + "/nest.txt/deeper")
            try writeFile(staging + "/nest.txt", "inside.txt", EndToEnd.smallArticle(1))
            #expect(symlink("/etc/shadow", staging + "/nest.txt/deeper/shadow.txt") == 0)
            try renameEntry(staging, Array("nest.txt".utf8), inbox, Array("nest.txt".utf8))
            let expected = ["zero.txt", "null", "loop.txt", "socket.txt", "nest.txt"]

            let drained = try await eventually(timeout: .seconds(60), interval: .milliseconds(100)) {
                readFailed(spool.failed).pairs.count >= expected.count && entryNames(spool.work).isEmpty
            }
            #expect(drained)
            await stopDaemon(daemon)
            let failed = readFailed(spool.failed)
            #expect(failed.strays.isEmpty, "\(failed.strays)")
            #expect(failed.codesBySource == Dictionary(uniqueKeysWithValues: expected.map { ($0, ["not-regular-file"]) }))
            #expect(entryStatus(spool.failed, Array("zero.txt".utf8)).map { $0.st_mode & S_IFMT } == S_IFCHR)
            #expect(entryStatus(spool.failed, Array("loop.txt".utf8)).map { $0.st_mode & S_IFMT } == S_IFBLK)
            #expect(entryStatus(spool.failed, Array("socket.txt".utf8)).map { $0.st_mode & S_IFMT } == S_IFSOCK)
            // The directory moved whole: its article was not analysed on its own, its symlink not followed.
            #expect(readFile(spool.failed + "/nest.txt/inside.txt") == EndToEnd.smallArticle(1))
            #expect(entryStatus(spool.failed + "/nest.txt/deeper", Array("shadow.txt".utf8)).map { $0.st_mode & S_IFMT } == S_IFLNK)
            #expect(readOutbox(spool.outbox).documents.isEmpty)
        }

        /// Many empty files renamed in at once (10,000 in scripts/reliability/hostile.sh): each its own
        /// `empty` error document, nothing left over.
        @Test func manyEmptyFilesEachGetAnEmptyErrorDocument() async throws {
            let scratch = try ScratchDirectory("empties")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            let staging = scratch.path + "/staging"
            try makeDirectory(staging)
            let count = EndToEnd.scaled(1_000)
            for index in 0..<count { try writeFile(staging, String(format: "e-%05d.txt", index), []) }
            let daemon = try await startDaemon(spool, in: scratch.path, environment: ["NEWSD_SETTLE_TIME": "0"], logName: "daemon")
            defer { daemon.forceKill() }
            let inbox = spool.inbox
            try await offload {
                for index in 0..<count {
                    let name = Array(String(format: "e-%05d.txt", index).utf8)
                    try renameEntry(staging, name, inbox, name)
                }
            }
            let drained = try await eventually(timeout: .seconds(180), interval: .milliseconds(200)) {
                entryNames(spool.inbox).isEmpty && entryNames(spool.work).isEmpty
                    && entryNames(spool.failed).count >= 2 * count
            }
            #expect(drained)
            await stopDaemon(daemon)
            let failed = readFailed(spool.failed)
            #expect(failed.strays.isEmpty, "\(failed.strays.prefix(5))")
            #expect(failed.pairs.count == count)
            #expect(failed.codesBySource.values.allSatisfy { $0 == ["empty"] })
            #expect(entryNames(spool.outbox).isEmpty)
        }
    }
}

/// `makedev(3)` (a macro Swift does not import) for small major and minor numbers.
private func deviceNumber(_ major: UInt64, _ minor: UInt64) -> dev_t {
    dev_t((major & 0xFFF) << 8 | (minor & 0xFF))
}

/// Paths of regular files under `root` (symlinks not followed) whose bytes contain `marker`.
private func filesContaining(_ marker: String, under root: String) throws -> [String] {
    let needle = Array(marker.utf8)
    var found: [String] = []
    var pending = [root]
    while let directory = pending.popLast() {
        for name in entryNames(directory) {
            guard let status = entryStatus(directory, name) else { continue }
            let path = directory + "/" + display(name)
            switch status.st_mode & S_IFMT {
            case S_IFDIR: pending.append(path)
            case S_IFREG:
                if let bytes = readFile(directory, name), bytes.count >= needle.count,
                    (0...(bytes.count - needle.count)).contains(where: { bytes[$0] == needle[0] && bytes[$0..<($0 + needle.count)].elementsEqual(needle) })
                {
                    found.append(path)
                }
            default: break
            }
        }
    }
    return found
}
