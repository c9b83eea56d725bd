import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Every end-to-end test lives in a suite nested in this one, so they run one at a time: they start real
/// daemons on a small machine, and some change machine-wide settings (`max_queued_events`, mounts) that a
/// daemon started in parallel would feel.
@Suite(.serialized)
enum EndToEnd {
    /// `NEWSD_E2E_SCALE` multiplies the heavy tests' file counts (default 1: the sizes the tests document).
    static let scale: Double = {
        guard let text = ProcessInfo.processInfo.environment["NEWSD_E2E_SCALE"], let value = Double(text), value > 0 else {
            return 1
        }
        return value
    }()

    /// `NEWSD_E2E_SLOWDOWN` stretches the waits of tests bound by analysis time (default 1; the sanitizer
    /// runs set it: ASan and TSan make one 3 MB article take 40 s instead of 1).
    static let slowdown: Double = {
        guard let text = ProcessInfo.processInfo.environment["NEWSD_E2E_SLOWDOWN"], let value = Double(text), value >= 1 else {
            return 1
        }
        return value
    }()

    /// `seconds` times the slowdown.
    static func patience(_ seconds: Int) -> Duration {
        .milliseconds(Int(Double(seconds) * 1000 * slowdown))
    }

    /// `count` times the scale, at least 1.
    static func scaled(_ count: Int) -> Int {
        max(1, Int((Double(count) * scale).rounded()))
    }

    /// The `newsd` binary: `NEWSD_BINARY`, else the one built next to the test bundle.
    static let binary: String = {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["NEWSD_BINARY"], !path.isEmpty { return path }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        for start in [executable.deletingLastPathComponent(), Bundle.main.bundleURL] {
            var directory = start
            // On Linux the bundle is an executable beside `newsd`; elsewhere it may be a directory inside.
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("newsd").path
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                    FileManager.default.isExecutableFile(atPath: candidate)
                {
                    return candidate
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        return "newsd"
    }()

    /// The project's shared folder, beside the checkout (`../shared` from the package root), wherever the
    /// checkout is.
    static let sharedDirectory: String = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { root.deleteLastPathComponent() }  // Support/ EndToEndTests/ Tests/ → package root
        return root.deletingLastPathComponent().appendingPathComponent("shared").path
    }()

    /// The real-world articles the heavy tests copy (`NEWSD_E2E_CORPUS` overrides).
    static let corpusDirectory =
        ProcessInfo.processInfo.environment["NEWSD_E2E_CORPUS"] ?? sharedDirectory + "/corpus/wikinews-2019-2020"

    /// The article the project started from.
    static let exampleArticle =
        ProcessInfo.processInfo.environment["NEWSD_E2E_EXAMPLE"] ?? sharedDirectory + "/examples/putin-biden-call.txt"

    /// The corpus's `.txt` articles, sorted by name, as bytes.
    static func corpusArticles() throws -> [[UInt8]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: corpusDirectory)
            .filter { $0.hasSuffix(".txt") }.sorted()
        try #require(!names.isEmpty, "no .txt articles in \(corpusDirectory)")
        return try names.map { try #require(readFile("\(corpusDirectory)/\($0)")) }
    }

    /// A short plain-text article, distinct for each `number`.
    static func smallArticle(_ number: Int) -> [UInt8] {
        Array("""
            Council report \(number)

            The city council of Springfield met on Monday to discuss item \(number). Mayor Jane Doe said \
            the budget was approved. "We will build the bridge," she told reporters.

            The next meeting is on Friday.

            """.utf8)
    }
}
