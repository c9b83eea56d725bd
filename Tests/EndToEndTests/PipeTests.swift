import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    /// `newsd pipe`: JSON Lines in, exactly one JSON line out per input line, in order.
    @Suite struct Pipe {
        private static func record(_ id: String, _ text: String) -> String {
            let object: [String: Any] = ["id": id, "text": text, "published": "2021-12-12"]
            let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }

        @Test func everyLineGetsOneOutputLineInOrderWithItsIdEvenBadOnes() async throws {
            let scratch = try ScratchDirectory("pipe")
            defer { scratch.remove() }
            var lines: [String] = []
            var expected: [(id: Any?, code: String?)] = []
            for index in 0..<1_500 {
                switch index % 10 {
                case 3:
                    lines.append("{\"id\": \(index), \"text\": \"Numbered id. It still works.\"}")
                    expected.append((index, nil))
                case 5:
                    lines.append("not json at all \(index)")
                    expected.append((nil, "invalid-json"))
                case 7:
                    lines.append("{\"id\": \"no-text-\(index)\", \"title\": \"Only a title\"}")
                    expected.append(("no-text-\(index)", "invalid-json"))
                case 8 where index % 100 == 8:
                    lines.append("")
                    expected.append((nil, "invalid-json"))
                case 9 where index % 300 == 9:
                    lines.append(Self.record("big-\(index)", String(repeating: "word ", count: 500)))
                    expected.append((nil, "too-large"))
                default:
                    lines.append(Self.record("r\(index)", "Article \(index) says the bridge reopened. \u{201C}Good,\u{201D} she said."))
                    expected.append(("r\(index)", nil))
                }
            }
            let input = Array((lines.joined(separator: "\n") + "\n").utf8)
            let result = try await runNewsd(
                ["pipe", "--workers", "4", "--max-article-bytes", "2000"], in: scratch.path, logName: "pipe",
                standardInput: input)
            #expect(result.termination == .exited(0), "stderr: \(result.standardError)")
            let output = jsonLines(result.standardOutput)
            try #require(output.count == lines.count, "one output line per input line")
            for (index, object) in output.enumerated() {
                #expect(object["line"] as? Int == index + 1, "out of order at \(index)")
                let want = expected[index]
                switch want.id {
                case let id as Int: #expect(object["input_id"] as? Int == id)
                case let id as String: #expect(object["input_id"] as? String == id)
                default: #expect(object["input_id"] is NSNull, "line \(index + 1) has no id to echo")
                }
                if let code = want.code {
                    #expect(object["schema"] as? String == "newsd/error@1")
                    #expect((object["error"] as? [String: Any])?["code"] as? String == code, "line \(index + 1)")
                } else {
                    #expect(object["schema"] as? String == "newsd/article@1", "line \(index + 1): \(object)")
                    #expect(articleProblems(object).isEmpty)
                }
            }
        }

        @Test func aLastLineWithoutNewlineAndCRLFLinesCount() async throws {
            let scratch = try ScratchDirectory("pipe-crlf")
            defer { scratch.remove() }
            let input = Array((Self.record("a", "One. Two.") + "\r\n" + Self.record("b", "Three.")).utf8)
            let result = try await runNewsd(["pipe"], in: scratch.path, logName: "crlf", standardInput: input)
            #expect(result.termination == .exited(0))
            let ids = jsonLines(result.standardOutput).map { $0["input_id"] as? String }
            #expect(ids == ["a", "b"])
        }

        /// Peak memory must not grow with the stream: the reader holds a bounded window of lines and the
        /// output is written as soon as it is in order. A stream four times longer may not cost more.
        @Test func aLongStreamRunsInBoundedMemory() async throws {
            let scratch = try ScratchDirectory("pipe-long")
            defer { scratch.remove() }
            let short = try await Self.peakMemory(lines: EndToEnd.scaled(4_000), in: scratch)
            let long = try await Self.peakMemory(lines: EndToEnd.scaled(16_000), in: scratch)
            #expect(short.kilobytes > 0 && long.kilobytes > 0, "the peak was never sampled")
            #expect(long.kilobytes < short.kilobytes + 16 * 1024,
                "peak \(long.kilobytes) KiB for \(long.inputBytes) bytes against \(short.kilobytes) KiB for \(short.inputBytes) bytes")
            #expect(long.kilobytes < 100 * 1024)
        }

        /// Streams `lines` records from a file through `newsd pipe`, sampling VmHWM; checks the line count.
        private static func peakMemory(lines count: Int, in scratch: ScratchDirectory) async throws -> (kilobytes: Int, inputBytes: Int) {
            let paragraph = String(repeating: "The council met on Monday and voted to reopen the old bridge. ", count: 4)
            let inputPath = scratch.path + "/long-\(count).jsonl"
            #expect(FileManager.default.createFile(atPath: inputPath, contents: nil))
            let handle = try #require(FileHandle(forWritingAtPath: inputPath))
            var chunk = ""
            for index in 0..<count {
                chunk += record("r\(index)", paragraph) + "\n"
                if index % 1_000 == 999 {
                    handle.write(Data(chunk.utf8))
                    chunk = ""
                }
            }
            handle.write(Data(chunk.utf8))
            try handle.close()
            let inputBytes = (try FileManager.default.attributesOfItem(atPath: inputPath)[.size] as? Int) ?? 0

            let outputPath = scratch.path + "/out-\(count).jsonl"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: EndToEnd.binary)
            process.arguments = ["pipe", "--workers", "2"]
            process.environment = childEnvironment([:])
            process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
            process.standardInput = FileHandle(forReadingAtPath: inputPath)
            #expect(FileManager.default.createFile(atPath: outputPath, contents: nil))
            process.standardOutput = FileHandle(forWritingAtPath: outputPath)
            process.standardError = FileHandle.nullDevice
            try process.run()
            var peakKilobytes = 0
            while process.isRunning {
                if let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
                    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                    let value = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
                {
                    peakKilobytes = max(peakKilobytes, value)
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(process.terminationStatus == 0)
            let outputLines = (readFile(outputPath) ?? []).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            #expect(outputLines == count)
            return (peakKilobytes, inputBytes)
        }

        @Test func aFailedWriteExitsNonZero() async throws {
            let scratch = try ScratchDirectory("pipe-full")
            defer { scratch.remove() }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: EndToEnd.binary)
            process.arguments = ["pipe"]
            process.environment = childEnvironment([:])
            let inputPath = scratch.path + "/in.jsonl"
            try Data((Self.record("a", "One sentence.") + "\n").utf8).write(to: URL(fileURLWithPath: inputPath))
            process.standardInput = FileHandle(forReadingAtPath: inputPath)
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus != 0)
        }
    }
}
