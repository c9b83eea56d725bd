import ArgumentParser

/// `newsd pipe`: JSON Lines in, JSON Lines out, for Spark and GNU parallel (issue 6).
struct Pipe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read JSON Lines on stdin, write one newsd/article@1 (or error) line per input line, in order.",
        discussion: "Example:\n  newsd pipe --workers 2 < articles.jsonl > analyses.jsonl"
    )

    func run() async throws {
        throw ValidationError("pipe mode is not built yet")
    }
}
