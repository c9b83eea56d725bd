import ArgumentParser

/// `newsd reindex`: rebuilds the ledger from the outbox. Filled by the ledger work (issue 4).
struct Reindex: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild the ledger in state/ from the outbox, the source of truth.",
        discussion: "Example:\n  newsd reindex --spool-root /var/lib/newsd"
    )

    func run() async throws {
        throw ValidationError("the ledger is not built yet")
    }
}
