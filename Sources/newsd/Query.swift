import ArgumentParser

/// `newsd query …`: questions to the corpus ledger. Filled by the ledger work (issue 4).
struct Query: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask the corpus ledger: speakers, entities, quotes, articles, duplicates.",
        discussion: "Example:\n  newsd query speakers --since 2021-12-01 --top 10"
    )

    func run() async throws {
        throw ValidationError("the ledger is not built yet")
    }
}
