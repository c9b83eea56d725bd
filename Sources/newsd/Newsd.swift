import ArgumentParser
import Analysis

@main
struct Newsd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsd",
        abstract: "Turns a folder of news articles into structured JSON.",
        discussion: """
            Drop article files (.txt, .md, .json, .html) into the inbox; newsd writes one newsd/article@1 \
            document per article into the outbox, or an error document into failed/.

            Example:
              newsd run --spool-root ./var
            """,
        version: "newsd \(pipelineVersion)",
        subcommands: [Run.self, Reload.self, Process.self, Batch.self, Pipe.self, Query.self, Reindex.self, CheckConfig.self, Benchmark.self, Version.self]
    )
}
