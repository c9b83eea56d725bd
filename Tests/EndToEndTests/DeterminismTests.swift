import Foundation
import Testing

extension EndToEnd {
    /// The same bytes give the same analysis in every run: Swift seeds its hashing per process, so any
    /// dependence on a dictionary's iteration order would show up between two processes. The same run
    /// checks every span of every document of the whole corpus and the example article against `text`.
    @Suite struct Determinism {
        @Test func twoRunsOverTheCorpusGiveTheSameDocumentsWithEverySpanRight() async throws {
            let scratch = try ScratchDirectory("determinism")
            defer { scratch.remove() }
            let files = try FileManager.default.contentsOfDirectory(atPath: EndToEnd.corpusDirectory)
                .filter { $0.hasSuffix(".txt") }.sorted().map { EndToEnd.corpusDirectory + "/" + $0 }
                + [EndToEnd.exampleArticle, EndToEnd.exampleArticle.replacingOccurrences(of: ".txt", with: ".json")]
            try #require(files.count >= 250)
            func run(_ label: String) async throws -> [String] {
                let result = try await runNewsd(["process"] + files, in: scratch.path, logName: label)
                #expect(result.termination == .exited(0))
                let documents = jsonLines(result.standardOutput)
                for (index, document) in documents.enumerated() {
                    let problems = articleProblems(document)
                    #expect(problems.isEmpty, "\(files[index]): \(problems.prefix(5))")
                }
                return documents.map { document in
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
