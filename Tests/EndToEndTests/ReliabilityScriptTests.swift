import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    /// The reliability scripts (scripts/reliability/) in their short CI mode, against the binary under test:
    /// kill -9 strikes during a drain, and the syscall order of every article of a traced drain.
    @Suite struct ReliabilityScripts {
        static let repository: String = {
            var root = URL(fileURLWithPath: #filePath)
            for _ in 0..<3 { root.deleteLastPathComponent() }  // ReliabilityScriptTests.swift, EndToEndTests/, Tests/
            return root.path
        }()
        static let hasStrace = ["/usr/bin/strace", "/bin/strace"].contains { FileManager.default.isExecutableFile(atPath: $0) }

        /// Runs `scripts/reliability/<script>` with `environment`; returns its exit status and output.
        static func run(_ script: String, _ environment: [String: String], in scratch: ScratchDirectory) async throws
            -> (termination: Termination?, output: String)
        {
            let child = try Child(
                executable: "/bin/bash", [repository + "/scripts/reliability/" + script],
                environment: environment.merging(["NEWSD_BINARY": EndToEnd.binary, "OUT": scratch.path + "/out"]) { $1 },
                directory: scratch.path, logName: script)
            let termination = await child.waitForExit(timeout: .seconds(240))
            await child.killAndWait()
            return (termination, child.standardOutput + child.standardError)
        }

        @Test(.enabled(if: hasStrace, "needs strace (apt-get install strace)"))
        func chaosShortModeLosesNothing() async throws {
            let scratch = try ScratchDirectory("chaos")
            defer { scratch.remove() }
            let (termination, output) = try await Self.run("chaos.sh", ["N": "300", "KILLS": "5", "SEED": "7"], in: scratch)
            #expect(termination == .exited(0), "chaos.sh: \(termination.map(\.description) ?? "timed out")\n\(output.suffix(4_000))")
            let row = output.split(separator: "\n").first { $0.hasPrefix("ROW|") }
            #expect(row?.hasPrefix("ROW|chaos: kill -9 ×5 during drain|300|0|0|0|all drained") == true, "\(row ?? "no ROW line")")
            // Every strike really killed a running daemon.
            let strikes = String(decoding: readFile(scratch.path + "/out/strikes.tsv") ?? [], as: UTF8.self)
            #expect(strikes.split(separator: "\n").count == 6, "\(strikes)")
            #expect(!strikes.contains("exit "), "a daemon exited by itself during the strikes:\n\(strikes)")
        }

        @Test(.enabled(if: hasStrace, "needs strace (apt-get install strace)"))
        func everyArticleIsDurableBeforeItsInputGoes() async throws {
            let scratch = try ScratchDirectory("syscall-order")
            defer { scratch.remove() }
            let (termination, output) = try await Self.run("syscall-order.sh", ["N": "50"], in: scratch)
            #expect(termination == .exited(0), "syscall-order.sh: \(termination.map(\.description) ?? "timed out")\n\(output.suffix(4_000))")
            #expect(output.contains("syscall order: 50/50 articles in order"), "\(output.suffix(4_000))")
        }
    }
}
