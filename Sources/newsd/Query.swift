import ArgumentParser
import Ledger
import Service

#if canImport(Glibc)
import Glibc
#endif

/// `newsd query …`: questions to the corpus ledger.
struct Query: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask the corpus ledger: speakers, entities, quotes, articles, duplicates.",
        discussion: """
            Reads the ledger in <spool root>/state (or --state DIR) while the daemon may be writing it. Dates \
            filter on the publication date, or on the time newsd received the file when the article has \
            none; --since and --until are inclusive and take a date or any RFC 3339 prefix. Prints a table, \
            or JSON with --json.

            Example:
              newsd query speakers --since 2021-12-01 --top 10
              newsd query duplicates --type near --json
            """,
        subcommands: [Speakers.self, Entities.self, Quotes.self, ArticleQuery.self, Duplicates.self]
    )
}

/// The options every query takes.
struct QueryOptions: ParsableArguments {
    @Option(help: "Only articles published (else received) on or after this date, e.g. 2021-12-01.")
    var since: String?

    @Option(help: "Only articles published (else received) on or before this date, e.g. 2021-12-31.")
    var until: String?

    @Option(help: "At most this many rows (0: all).")
    var top: Int?

    @Flag(help: "Print a JSON array of objects instead of a table.")
    var json = false

    @Option(help: "The folder holding ledger.sqlite (default: <spool root>/state; a `newsd batch --state` folder works too).")
    var state: String?

    @OptionGroup var settings: SettingsOptions

    func validate() throws {
        for (flag, value) in [("--since", since), ("--until", until)] {
            guard let value else { continue }
            let digits = value.prefix(4)
            guard digits.count == 4, digits.allSatisfy(\.isNumber) else {
                throw ValidationError("\(flag) takes a date such as 2021-12-01, not '\(value)'")
            }
        }
        if let top, top < 0 { throw ValidationError("--top takes 0 (all) or a positive number") }
    }

    func run(_ subject: LedgerReader.Subject, type: String?, match: String? = nil, defaultTop: Int) async throws {
        let directory: String
        if let state {
            directory = state
        } else {
            directory = try await settings.load().spoolRoot.appending("state").string
        }
        let table: LedgerReader.Table
        do {
            let reader = try LedgerReader(path: directory + "/" + Ledger.fileName)
            table = try reader.ask(subject, .init(since: since, until: until, type: type, match: match, top: top ?? defaultTop))
        } catch {
            printError("newsd: \(error)")
            throw ExitCode(1)
        }
        try writeStandardOutput(Array((json ? Self.json(table) : Self.text(table, terminal: isatty(STDOUT_FILENO) == 1)).utf8))
    }

    /// Columns padded to their widest cell; on a terminal long cells are cut to keep one row a line.
    static func text(_ table: LedgerReader.Table, terminal: Bool) -> String {
        guard !table.rows.isEmpty else { return "(no rows)\n" }
        let limit = terminal ? 60 : Int.max
        let cells = table.rows.map { row in
            row.map { value -> String in
                var text = value.description.replacingOccurrences(of: "\n", with: " ")
                if case .real(let number) = value { text = String(format: "%.3f", number) }
                return text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
            }
        }
        let widths = table.columns.indices.map { column in
            max(table.columns[column].count, cells.map { $0[column].count }.max() ?? 0)
        }
        func line(_ values: [String]) -> String {
            values.enumerated().map { column, value in
                column == values.count - 1 ? value : value + String(repeating: " ", count: widths[column] - value.count)
            }.joined(separator: "  ")
        }
        var output = line(table.columns.map { $0.uppercased() }) + "\n"
        for row in cells { output += line(row) + "\n" }
        return output
    }

    static func json(_ table: LedgerReader.Table) -> String {
        let objects = table.rows.map { row in
            "{" + zip(table.columns, row).map { column, value in
                let rendered: String
                switch value {
                case .null: rendered = "null"
                case .integer(let number): rendered = String(number)
                case .real(let number): rendered = String(number)
                case .text(let text): rendered = quoted(text)
                }
                return quoted(column) + ":" + rendered
            }.joined(separator: ",") + "}"
        }
        return "[" + objects.joined(separator: ",\n ") + "]\n"
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension Query {
    struct Speakers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Who was quoted most: quotes and articles per speaker, with a sample quote.",
            discussion: """
                A speaker is the entity a quote is attributed to (its canonical name: "Putin", "President \
                Putin" and "Vladimir Putin" count as one), else the speaker's own words. A pronoun no entity \
                stands behind ("I" in an interview, "they") is not counted as a speaker; `newsd query quotes` \
                still lists those quotes.

                Example:
                  newsd query speakers --since 2021-12-01 --top 10
                  newsd query speakers --type indirect --json
                """)
        @Option(help: "Only quotes of this kind: direct, mixed or indirect.") var type: String?
        @OptionGroup var query: QueryOptions
        func run() async throws { try await query.run(.speakers, type: type, defaultTop: 20) }
    }

    struct Entities: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Who and what was named most: articles and mentions per entity.",
            discussion: """
                Example:
                  newsd query entities --type person --since 2021-12-01 --until 2021-12-31 --top 10
                """)
        @Option(help: "Only entities of this type (person, organization, location, …).") var type: String?
        @OptionGroup var query: QueryOptions
        func run() async throws { try await query.run(.entities, type: type, defaultTop: 20) }
    }

    struct Quotes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The quotes, with date, speaker and article.",
            discussion: """
                Example:
                  newsd query quotes --speaker "Vladimir Putin" --since 2021-12-01
                """)
        @Option(help: "Only quotes of this kind: direct, mixed or indirect.") var type: String?
        @Option(help: "Only quotes by this speaker (as `newsd query speakers` names them).") var speaker: String?
        @OptionGroup var query: QueryOptions
        func run() async throws { try await query.run(.quotes, type: type, match: speaker, defaultTop: 50) }
    }

    struct ArticleQuery: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "article",
            abstract: "The ledger's rows: one per processed input, with its outcome and duplicate.",
            discussion: """
                Example:
                  newsd query article 7e8837a6          (an id prefix or an input name)
                  newsd query article --type failed --since 2021-12-01
                """)
        @Argument(help: "An id prefix or an input file name; omitted: every article in the range.") var match: String?
        @Option(help: "Only this outcome: processed or failed.") var type: String?
        @OptionGroup var query: QueryOptions
        func run() async throws { try await query.run(.article, type: type, match: match, defaultTop: 50) }
    }

    struct Duplicates: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Articles that repeat an earlier one, with the earlier article and the similarity.",
            discussion: """
                Example:
                  newsd query duplicates --type near --since 2021-12-01
                """)
        @Option(help: "exact (the same bytes) or near.") var type: String?
        @OptionGroup var query: QueryOptions
        func run() async throws { try await query.run(.duplicates, type: type, defaultTop: 50) }
    }
}
