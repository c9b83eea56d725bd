import Foundation
import Testing

extension EndToEnd {
    /// The same bytes give the same analysis in every run: Swift seeds its hashing per process, so any
    /// dependence on a dictionary's iteration order would show up between two processes.
    @Suite struct Determinism {
        @Test func twoRunsOverTheCorpusGiveTheSameDocuments() async throws {
            let scratch = try ScratchDirectory("determinism")
            defer { scratch.remove() }
            let files = try FileManager.default.contentsOfDirectory(atPath: EndToEnd.corpusDirectory)
                .filter { $0.hasSuffix(".txt") }.sorted().prefix(120).map { EndToEnd.corpusDirectory + "/" + $0 }
            try #require(files.count >= 50)
            func run(_ label: String) async throws -> [String] {
                let result = try await runNewsd(["process"] + files, in: scratch.path, logName: label)
                #expect(result.termination == .exited(0))
                return jsonLines(result.standardOutput).map { document in
                    var document = document
                    var source = document["source"] as? [String: Any] ?? [:]
                    source["received"] = nil
                    document["source"] = source
                    document["pipeline"] = nil
                    let data = try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
                    return String(decoding: data ?? Data(), as: UTF8.self)
                }
            }
            let first = try await run("first")
            let second = try await run("second")
            try #require(first.count == files.count)
            for index in first.indices where first[index] != second[index] {
                Issue.record("\(files[index]) differs between runs")
            }
        }
    }
}
