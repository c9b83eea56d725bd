import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    /// `check-config`, `batch` and `process`: the commands that run once and exit.
    @Suite struct Commands {
        @Test func invalidConfigurationExitsWithStatusTwoAndNamesTheKey() async throws {
            let scratch = try ScratchDirectory("config")
            defer { scratch.remove() }

            let banana = try await runNewsd(
                ["check-config"], environment: ["NEWSD_WORKERS": "banana"], in: scratch.path, logName: "banana")
            #expect(banana.termination == .exited(2))
            #expect(banana.standardError.contains("'workers'"), "stderr: \(banana.standardError)")
            #expect(banana.standardError.contains("banana"), "stderr: \(banana.standardError)")

            let zero = try await runNewsd(
                ["run", "--spool-root", scratch.path + "/spool", "--max-article-bytes", "0"], in: scratch.path, logName: "zero",
                timeout: .seconds(20))
            #expect(zero.termination == .exited(2))
            #expect(zero.standardError.contains("max_article_bytes"), "stderr: \(zero.standardError)")
            // Rejected before anything was created.
            #expect(!FileManager.default.fileExists(atPath: scratch.path + "/spool"))

            let good = try await runNewsd(
                ["check-config"], environment: ["NEWSD_WORKERS": "3"], in: scratch.path, logName: "good")
            #expect(good.termination == .exited(0), "stderr: \(good.standardError)")
            #expect(good.standardOutput.contains("workers=3"), "stdout: \(good.standardOutput)")
            #expect(good.standardOutput.contains("configuration OK"))
        }

        @Test func batchDrainsTheInboxOnceAndExitsOneWhenSomethingFailed() async throws {
            let scratch = try ScratchDirectory("batch")
            defer { scratch.remove() }
            let inbox = scratch.path + "/in", outbox = scratch.path + "/out"
            try makeDirectory(inbox)
            let corpus = try EndToEnd.corpusArticles()
            let goodCount = 50
            var goodNames: Set<String> = []
            for index in 0..<goodCount {
                let name = "article-\(index).txt"
                try writeFile(inbox, name, corpus[index % corpus.count])
                goodNames.insert(name)
            }
            try writeFile(inbox, "broken.txt", [0x41, 0xC3, 0x28, 0x42])
            try writeFile(inbox, "broken.json", Array("{\"text\": ".utf8))

            let first = try await runNewsd(
                ["batch", "--inbox", inbox, "--outbox", outbox, "--quiet"], in: scratch.path, logName: "batch-1")
            #expect(first.termination == .exited(1), "stderr: \(first.standardError)")
            #expect(first.standardError.contains("processed \(goodCount), failed 2"), "stderr: \(first.standardError)")

            let contents = readOutbox(outbox)
            #expect(contents.documents.count == goodCount)
            #expect(Set(contents.documents.map(\.sourceName)) == goodNames)
            #expect(contents.hiddenNames.isEmpty && contents.malformed.isEmpty, "\(contents.hiddenNames) \(contents.malformed)")
            for document in contents.documents {
                let problems = articleProblems(document.object)
                #expect(problems.isEmpty, "\(document.sourceName): \(problems.prefix(5))")
            }
            // The inbox is empty, its claim folder (.newsd-work) removed too.
            #expect(entryNames(inbox).map(display).isEmpty)

            let failed = readFailed(scratch.path + "/failed")
            #expect(failed.strays.isEmpty, "\(failed.strays)")
            #expect(failed.codesBySource == ["broken.txt": ["invalid-utf8"], "broken.json": ["invalid-json"]])
            #expect(Set(entryNames(scratch.path + "/archive").map(display)) == goodNames)

            let second = try await runNewsd(
                ["batch", "--inbox", inbox, "--outbox", outbox, "--quiet"], in: scratch.path, logName: "batch-2")
            #expect(second.termination == .exited(0), "stderr: \(second.standardError)")
            #expect(second.standardError.contains("processed 0, failed 0"), "stderr: \(second.standardError)")
            #expect(readOutbox(outbox).documents.count == goodCount)
        }

        @Test func anInterruptedBatchFinishesTheJobWhenRunAgain() async throws {
            let scratch = try ScratchDirectory("batch-kill")
            defer { scratch.remove() }
            let inbox = scratch.path + "/in", outbox = scratch.path + "/out"
            try makeDirectory(inbox)
            let count = EndToEnd.scaled(1_000)
            let names = Set((0..<count).map { "item-\($0).txt" })
            for (number, name) in names.sorted().enumerated() { try writeFile(inbox, name, EndToEnd.smallArticle(number)) }

            let interrupted = try Child(["batch", "--inbox", inbox, "--outbox", outbox, "--quiet"], directory: scratch.path, logName: "killed")
            defer { interrupted.forceKill() }
            #expect(try await eventually(timeout: .seconds(30), interval: .milliseconds(2)) {
                entryNames(outbox).filter { $0.first != UInt8(ascii: ".") }.count >= 50 || !interrupted.isRunning
            })
            interrupted.send(SIGKILL)
            let termination = await interrupted.waitForExit(timeout: .seconds(10))
            let killed = termination == Termination(status: SIGKILL, bySignal: true)
            if !killed { print("batch finished before it could be killed (\(termination.map(\.description) ?? "?")): the rerun still must hold") }

            let rerun = try await runNewsd(["batch", "--inbox", inbox, "--outbox", outbox, "--quiet"], in: scratch.path, logName: "rerun")
            #expect(rerun.termination == .exited(0), "stderr: \(rerun.standardError)")
            let contents = readOutbox(outbox)
            #expect(contents.hiddenNames.isEmpty, "\(contents.hiddenNames.prefix(5))")
            #expect(contents.malformed.isEmpty)
            let counts = contents.countsBySource
            #expect(Set(counts.keys) == names, "missing: \(names.subtracting(counts.keys).sorted().prefix(10))")
            #expect(counts.filter { $0.value != 1 }.isEmpty, "\(counts.filter { $0.value != 1 }.prefix(10))")
            #expect(entryNames(inbox).map(display).isEmpty, "the inbox and its .newsd-work must be empty")
            #expect(Set(entryNames(scratch.path + "/archive").map(display)) == names)
        }

        @Test func processPrintsOneDocumentPerInputAndAnErrorDocumentForABadOne() async throws {
            let scratch = try ScratchDirectory("process")
            defer { scratch.remove() }

            let example = try await runNewsd(["process", EndToEnd.exampleArticle], in: scratch.path, logName: "example")
            #expect(example.termination == .exited(0), "stderr: \(example.standardError)")
            let lines = example.standardOutput.split(separator: "\n")
            #expect(lines.count == 1)
            let document = try #require(jsonObject(Array(example.standardOutput.utf8)))
            #expect(document["schema"] as? String == "newsd/article@1")
            #expect(articleProblems(document).isEmpty, "\(articleProblems(document).prefix(5))")
            let exampleBytes = try #require(readFile(EndToEnd.exampleArticle))
            #expect((document["source"] as? [String: Any])?["name"] as? String == "putin-biden-call.txt")
            #expect((document["source"] as? [String: Any])?["bytes"] as? Int == exampleBytes.count)
            #expect(document["text"].map { "\($0)".contains("Putin") } == true)

            let body = "Officials met in Geneva on Tuesday. \"Talks went well,\" the spokesperson said."
            let input = try JSONSerialization.data(withJSONObject: ["title": "Geneva talks", "text": body])
            let standardInput = try await runNewsd(
                ["process", "-"], in: scratch.path, logName: "stdin", standardInput: Array(input))
            #expect(standardInput.termination == .exited(0), "stderr: \(standardInput.standardError)")
            let fromInput = try #require(jsonObject(Array(standardInput.standardOutput.utf8)))
            #expect(fromInput["schema"] as? String == "newsd/article@1")
            #expect(fromInput["text"] as? String == body)
            #expect((fromInput["source"] as? [String: Any])?["format"] as? String == "json")
            #expect((fromInput["meta"] as? [String: Any])?["title"] as? String == "Geneva talks")
            #expect(articleProblems(fromInput).isEmpty, "\(articleProblems(fromInput))")

            try writeFile(scratch.path, "bad.txt", [0x66, 0x6F, 0xFF, 0x6F])
            let bad = try await runNewsd(
                ["process", scratch.path + "/bad.txt", EndToEnd.exampleArticle], in: scratch.path, logName: "bad")
            #expect(bad.termination == .exited(1))
            let documents = jsonLines(bad.standardOutput)
            #expect(documents.count == 2, "stdout: \(bad.standardOutput.prefix(300))")
            let error = try #require(documents.first)
            #expect(error["schema"] as? String == "newsd/error@1")
            #expect((error["error"] as? [String: Any])?["code"] as? String == "invalid-utf8")
            #expect((error["source"] as? [String: Any])?["name"] as? String == "bad.txt")
            #expect(documents.last?["schema"] as? String == "newsd/article@1")
            #expect(bad.standardError.contains("invalid-utf8"), "stderr: \(bad.standardError)")
        }
    }
}
