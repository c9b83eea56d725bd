import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    /// Many writers at once, in every way people drop files, mixed with every kind of poison.
    @Suite struct PoisonAndConcurrentWriters {
        /// How a writer puts a file into the inbox.
        enum WriteStyle: CaseIterable {
            /// Written in a sibling folder, then renamed in (IN_MOVED_TO).
            case renameFromSibling
            /// Opened, written in chunks and closed in the inbox itself (IN_CLOSE_WRITE).
            case inPlace
            /// Written as a dot-file in the inbox (ignored), then renamed to its real name.
            case dotFileThenRename
        }

        @Test func everyInputOfConcurrentWritersAndPoisonGetsExactlyOneResult() async throws {
            let scratch = try ScratchDirectory("poison")
            defer { scratch.remove() }
            let spool = SpoolPaths(root: scratch.path + "/spool")
            let staging = scratch.path + "/staging", outside = scratch.path + "/outside"
            try makeDirectory(staging)
            try makeDirectory(outside)
            let passwdBefore = try #require(readFile("/etc/passwd"))
            var passwdStatus = stat()
            stat("/etc/passwd", &passwdStatus)

            // settle_time 1: a file a scan finds while it is written in place is left until it settles.
            // rescan_interval 2: a hard link announces itself only with IN_CREATE, so a scan must find it.
            let daemon = try await startDaemon(
                spool, in: scratch.path, environment: ["NEWSD_SETTLE_TIME": "1", "NEWSD_RESCAN_INTERVAL": "2"],
                logName: "daemon")
            defer { daemon.forceKill() }

            // Names the inbox must ignore, there from the start.
            let ignored: [String: [UInt8]] = [
                ".hidden": Array("hidden".utf8), "x.tmp": Array("temporary".utf8), "y.part": Array("partial".utf8),
                "z~": Array("backup".utf8),
            ]
            for (name, bytes) in ignored { try writeFile(spool.inbox, name, bytes) }

            // 300 good articles from 4 concurrent writers, styles in turn.
            let corpus = try EndToEnd.corpusArticles()
            let writers = 4, goodCount = EndToEnd.scaled(300)
            let inbox = spool.inbox
            let written = try await offload { () -> [String] in
                let names = SendableBox<[[String]]>(Array(repeating: [], count: writers))
                let failures = SendableBox<[String]>([])
                DispatchQueue.concurrentPerform(iterations: writers) { writer in
                    var mine: [String] = []
                    for index in stride(from: writer, to: goodCount, by: writers) {
                        let style = WriteStyle.allCases[index % WriteStyle.allCases.count]
                        let name = "w\(writer)-\(index)-\(style).txt"
                        do {
                            try Self.drop(corpus[index % corpus.count], named: Array(name.utf8), style: style, inbox: inbox, staging: staging)
                            mine.append(name)
                        } catch {
                            failures.update { $0.append("\(name): \(error)") }
                        }
                    }
                    names.update { $0[writer] = mine }
                }
                guard failures.value.isEmpty else { throw FileSystemError("drop", failures.value.joined(separator: "; "), errno: 0) }
                return names.value.flatMap { $0 }
            }
            #expect(written.count == goodCount)

            // Good articles under awkward names.
            let nonUTF8Name: [UInt8] = Array("bad-".utf8) + [0xFF, 0xFE] + Array(".txt".utf8)
            try Self.drop(corpus[0], named: nonUTF8Name, style: .inPlace, inbox: inbox, staging: staging)
            let longName = "long-" + String(repeating: "n", count: 246) + ".txt"
            #expect(longName.utf8.count == 255)
            try Self.drop(corpus[1], named: Array(longName.utf8), style: .renameFromSibling, inbox: inbox, staging: staging)

            // Two inputs with one stem: the second document takes <stem>-<8 hex of its id>.json, never overwriting.
            try Self.drop(corpus[4], named: Array("twin.txt".utf8), style: .renameFromSibling, inbox: inbox, staging: staging)
            try Self.drop(corpus[5], named: Array("twin.md".utf8), style: .renameFromSibling, inbox: inbox, staging: staging)

            // One of each poison, with the code its error document must carry.
            var poison: [String: String] = [:]
            var random = SystemRandomNumberGenerator()
            try Self.drop([0xFF] + (0..<4_095).map { _ in UInt8.random(in: 0...255, using: &random) }, named: Array("random.txt".utf8),
                style: .renameFromSibling, inbox: inbox, staging: staging)
            // Random bytes hold NULs and control characters: binary data, refused before the UTF-8 check.
            poison["random.txt"] = "unsupported-format"
            try Self.drop([], named: Array("empty.txt".utf8), style: .inPlace, inbox: inbox, staging: staging)
            poison["empty.txt"] = "empty"
            try Self.drop(Array(repeating: UInt8(ascii: "a"), count: 11 << 20), named: Array("huge.txt".utf8), style: .renameFromSibling,
                inbox: inbox, staging: staging)
            poison["huge.txt"] = "too-large"
            try Self.drop(Array("Caf".utf8) + [0xE9] + Array(" au lait was served on Monday.\n".utf8), named: Array("latin1.txt".utf8),
                style: .inPlace, inbox: inbox, staging: staging)
            poison["latin1.txt"] = "invalid-utf8"
            try Self.drop(Array("{\"text\": \"unterminated".utf8), named: Array("broken.json".utf8), style: .dotFileThenRename,
                inbox: inbox, staging: staging)
            poison["broken.json"] = "invalid-json"
            try Self.drop(Array("%PDF-1.4\n%âãÏÓ\n".utf8), named: Array("report.pdf".utf8), style: .renameFromSibling,
                inbox: inbox, staging: staging)
            poison["report.pdf"] = "unsupported-format"
            #expect(symlink("/etc/passwd", inbox + "/passwd-link.txt") == 0)
            poison["passwd-link.txt"] = "not-regular-file"
            #expect(mkfifo(inbox + "/pipe.txt", 0o644) == 0)
            poison["pipe.txt"] = "not-regular-file"
            try writeFile(outside, "x.txt", corpus[2])
            #expect(link(outside + "/x.txt", inbox + "/hardlinked.txt") == 0)
            poison["hardlinked.txt"] = "not-regular-file"
            try makeDirectory(staging + "/folder.txt")
            try writeFile(staging + "/folder.txt", "inside.txt", corpus[3])
            try renameEntry(staging, Array("folder.txt".utf8), inbox, Array("folder.txt".utf8))
            poison["folder.txt"] = "not-regular-file"

            let expectedGood = Set(written + [display(nonUTF8Name), longName, "twin.txt", "twin.md"])
            let expectedTotal = expectedGood.count + poison.count
            let finished = try await eventually(timeout: .seconds(120), interval: .milliseconds(200)) {
                let documents = entryNames(spool.outbox).filter { $0.first != UInt8(ascii: ".") }.count
                let errors = entryNames(spool.failed).filter { $0.ends(with: Array(".error.json".utf8)) }.count
                return documents + errors >= expectedTotal && entryNames(spool.work).isEmpty
            }
            #expect(finished, "not every input got a result within 120 s")
            await stopDaemon(daemon)

            // Exactly one outbox document per good input, each a valid newsd/article@1 with consistent spans.
            let outbox = readOutbox(spool.outbox)
            #expect(outbox.hiddenNames.isEmpty, "temporary files visible in the outbox: \(outbox.hiddenNames)")
            #expect(outbox.malformed.isEmpty, "outbox entries that are not complete documents: \(outbox.malformed)")
            let counts = outbox.countsBySource
            #expect(Set(counts.keys) == expectedGood, "missing: \(expectedGood.subtracting(counts.keys).sorted().prefix(10)); unexpected: \(Set(counts.keys).subtracting(expectedGood).sorted().prefix(10))")
            #expect(counts.filter { $0.value != 1 }.isEmpty, "inputs with more than one document: \(counts.filter { $0.value != 1 })")
            var invalid: [String] = []
            for document in outbox.documents {
                let problems = articleProblems(document.object)
                if !problems.isEmpty { invalid.append("\(document.sourceName): \(problems.prefix(3))") }
            }
            #expect(invalid.isEmpty, "\(invalid.count) invalid documents: \(invalid.prefix(5))")

            // The non-UTF-8 name is kept losslessly: escaped in the document, raw bytes in the outbox name.
            let nonUTF8Document = outbox.documents.first { $0.sourceName == "bad-\\xff\\xfe.txt" }
            #expect(nonUTF8Document != nil, "no document with source.name bad-\\xff\\xfe.txt")
            #expect(nonUTF8Document?.fileName == Array("bad-".utf8) + [0xFF, 0xFE] + Array(".json".utf8))
            let longDocument = outbox.documents.first { $0.sourceName == longName }
            #expect((longDocument?.fileName.count ?? 0) <= 255)
            #expect(longDocument.map { display($0.fileName).hasSuffix(".json") } == true)

            let twins = outbox.documents.filter { $0.sourceName.hasPrefix("twin.") }
            let twinNames = Set(twins.map { display($0.fileName) })
            let allowed = Set(twins.map { "twin-\(String(($0.object["id"] as? String ?? "").prefix(8))).json" })
            #expect(twins.count == 2 && twinNames.contains("twin.json") && twinNames.subtracting(["twin.json"]).isSubset(of: allowed),
                "same-stem documents named \(twinNames)")

            // Exactly one error document per poison, with the right code, beside its original.
            let failed = readFailed(spool.failed)
            #expect(failed.strays.isEmpty, "\(failed.strays)")
            #expect(failed.codesBySource == poison.mapValues { [$0] })
            #expect(entryStatus(spool.failed, Array("passwd-link.txt".utf8)).map { $0.st_mode & S_IFMT } == S_IFLNK)
            #expect(entryStatus(spool.failed, Array("pipe.txt".utf8)).map { $0.st_mode & S_IFMT } == S_IFIFO)
            #expect(entryStatus(spool.failed, Array("folder.txt".utf8)).map { $0.st_mode & S_IFMT } == S_IFDIR)
            #expect(readFile(outside, Array("x.txt".utf8)) == corpus[2], "the hard link's other name must be untouched")

            // The symlink was never followed.
            var passwdAfter = stat()
            stat("/etc/passwd", &passwdAfter)
            #expect(readFile("/etc/passwd") == passwdBefore)
            #expect(passwdAfter.st_mtim.tv_sec == passwdStatus.st_mtim.tv_sec && passwdAfter.st_mtim.tv_nsec == passwdStatus.st_mtim.tv_nsec)
            #expect(passwdAfter.st_nlink == passwdStatus.st_nlink)

            // Nothing left in work/; the ignored names untouched in the inbox; every good original archived.
            #expect(entryNames(spool.work).map(display).isEmpty)
            #expect(Set(entryNames(spool.inbox).map(display)) == Set(ignored.keys))
            for (name, bytes) in ignored {
                #expect(readFile(spool.inbox, Array(name.utf8)) == bytes, "\(name) changed")
            }
            #expect(Set(entryNames(spool.archive).map(display)) == expectedGood)
        }

        /// A 255-byte name must still give a visible outbox name. When the stem's bytes are not UTF-8 (here 251
        /// continuation bytes), shortening it "at a character boundary" must not eat the whole stem.
        @Test
        func aLongNonUTF8NameStillGivesAVisibleOutboxDocument() async throws {
            let scratch = try ScratchDirectory("longname")
            defer { scratch.remove() }
            let inbox = scratch.path + "/in", outbox = scratch.path + "/out"
            try makeDirectory(inbox)
            let name = [UInt8](repeating: 0x80, count: 251) + Array(".txt".utf8)
            try writeFile(inbox, name, EndToEnd.smallArticle(1))
            let batch = try await runNewsd(["batch", "--inbox", inbox, "--outbox", outbox, "--quiet"], in: scratch.path, logName: "batch")
            #expect(batch.termination == .exited(0), "stderr: \(batch.standardError)")
            let entries = entryNames(outbox)
            #expect(entries.count == 1)
            #expect(entries.allSatisfy { $0.first != UInt8(ascii: ".") && $0.count <= 255 }, "outbox names: \(entries.map(display))")
            #expect(readOutbox(outbox).documents.map(\.sourceName) == [display(name)])
        }

        /// Puts `bytes` into the inbox as `name`, the way `style` says.
        static func drop(_ bytes: [UInt8], named name: [UInt8], style: WriteStyle, inbox: String, staging: String) throws {
            switch style {
            case .renameFromSibling:
                try writeFile(staging, name, bytes)
                try renameEntry(staging, name, inbox, name)
            case .inPlace:
                try writeInChunks(inbox, name, bytes)
            case .dotFileThenRename:
                let temporary = Array(".".utf8) + name
                try writeInChunks(inbox, temporary, bytes)
                try renameEntry(inbox, temporary, inbox, name)
            }
        }

        /// Several write(2) calls, so a reader that does not wait for the close would see a partial file.
        static func writeInChunks(_ directory: String, _ name: [UInt8], _ bytes: [UInt8]) throws {
            let descriptor = open(cPath(directory, name), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw FileSystemError("open", display(name)) }
            defer { close(descriptor) }
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + 2_048, bytes.count)
                let count = bytes[offset..<end].withUnsafeBytes { write(descriptor, $0.baseAddress!, $0.count) }
                guard count > 0 else { throw FileSystemError("write", display(name)) }
                offset += count
            }
        }
    }
}
