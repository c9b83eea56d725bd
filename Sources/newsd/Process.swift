import ArgumentParser
import Analysis
import Service
import Spool

#if canImport(Glibc)
import Glibc
#endif

struct Process: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse files and print one JSON document per file to standard output (no spool).",
        discussion: """
            Each input gives exactly one line of JSON: its newsd/article@1 analysis, or a newsd/error@1 \
            document when it cannot be analysed (the reason also goes to standard error). The exit status \
            is 1 when any input failed. `-` reads standard input.

            Example:
              newsd process article.txt notes.md
              curl -s https://example.org/story.json | newsd process --format json -
            """
    )

    @Argument(help: "Files to analyse, or - for standard input.")
    var files: [String]

    @Option(help: "The format of standard input: text, markdown, json or html (default: json when it starts with '{', else text).")
    var format: InputFormat?

    @OptionGroup var options: SettingsOptions

    func run() async throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one file, or - for standard input.") }
        let settings = try await options.load()
        let builder = DocumentBuilder(
            analyzer: Analyzer(options: settings.analyzerOptions), maximumArticleBytes: settings.maximumArticleBytes)
        var failures = 0
        for file in files {
            let result = read(file, builder: builder)
            if case .failure(_, let error, _) = result {
                failures += 1
                printError("newsd: \(file): \(error.code.rawValue): \(error.message)")
            }
            do {
                try writeStandardOutput(result.document)
            } catch {
                printError("newsd: \(error)")
                throw ExitCode(74)
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    private func read(_ file: String, builder: DocumentBuilder) -> DocumentBuilder.Result {
        let received = Timestamp.rfc3339(microseconds: Timestamp.nowMicroseconds())
        let name = file == "-" ? Array("-".utf8) : Array(file.split(separator: "/").last.map(String.init)?.utf8 ?? file.utf8)
        var source = SourceDescription(name: name, bytes: 0, format: nil, received: received)
        let descriptor = file == "-" ? STDIN_FILENO : open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            return builder.failure(nil, source, InputError(
                code: .unreadable, message: "The file cannot be opened: \(String(cString: strerror(errno)))."))
        }
        defer { if descriptor != STDIN_FILENO { close(descriptor) } }
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            return builder.failure(nil, source, InputError(code: .notRegularFile, message: "The path is a directory."))
        }
        if descriptor != STDIN_FILENO { _ = fcntl(descriptor, F_SETFL, 0) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= builder.maximumArticleBytes {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return builder.failure(nil, source, InputError(
                    code: .unreadable, message: "The file cannot be read: \(String(cString: strerror(errno)))."))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        source.bytes = bytes.count
        if file == "-" {
            source.format = format ?? (bytes.first(where: { $0 > 0x20 }) == UInt8(ascii: "{") ? .json : .text)
        } else {
            source.format = format ?? DocumentBuilder.format(of: name)
        }
        return builder.build(bytes, source: source)
    }
}

extension InputFormat: ExpressibleByArgument {}
