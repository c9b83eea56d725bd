import Analysis
import ArgumentParser
import Dispatch
import Service
import Spool
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

struct Pipe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read JSON Lines on stdin, write one newsd/article@1 (or error) line per input line, in order.",
        discussion: """
            Each input line is an object with the fields of a .json article — {"id", "text", "title"?, \
            "published"?, "url"?, "author"?, "source"?, "language"?}. Each output line is the article's \
            analysis, or a newsd/error@1 record for a bad line (invalid JSON, no text, too large, empty), \
            in input order, never skipped; both carry the input's id as "input_id" (null when the line \
            has none) and its 1-based "line". Logs go to stderr only. Memory stays bounded however long \
            the stream. No state is read or written, so running a partition twice is harmless; the \
            near-duplicate lookup is off. Exit status: 0 when every line got its output line, even if \
            some were error records; non-zero on a fatal error (unreadable stdin, failed write).

            Example:
              newsd pipe --workers 2 < articles.jsonl > analyses.jsonl
              parallel --pipe -k --halt now,fail=1 newsd pipe --workers 1 < big.jsonl > out.jsonl
            """
    )

    @OptionGroup var options: SettingsOptions

    func run() async throws {
        let settings = try await options.load()
        let lanes = settings.effectiveWorkers
        let builder = DocumentBuilder(
            analyzer: Analyzer(options: settings.analyzerOptions), maximumArticleBytes: settings.maximumArticleBytes)
        let status = Self.stream(builder: builder, lanes: lanes)
        if status != 0 { throw ExitCode(status) }
    }

    /// Reads stdin to its end and writes every result; returns the exit status.
    nonisolated static func stream(builder: DocumentBuilder, lanes: Int) -> Int32 {
        let output = OrderedOutput()
        // At most this many lines are read ahead of the one being written: the memory bound.
        let window = DispatchSemaphore(value: 4 * lanes)
        let queues = (0..<lanes).map { DispatchQueue(label: "newsd.pipe.\($0)") }
        let group = DispatchGroup()
        var reader = LineReader(descriptor: STDIN_FILENO, limit: builder.maximumArticleBytes)
        var number = 0
        while true {
            let line: LineReader.Line
            do {
                guard let next = try reader.next() else { break }
                line = next
            } catch {
                printError("newsd pipe: cannot read standard input: \(error)")
                group.wait()
                return 74
            }
            number += 1
            window.wait()
            if output.failed {
                window.signal()
                break
            }
            let lineNumber = number
            group.enter()
            queues[(lineNumber - 1) % lanes].async { @Sendable in
                let result = Self.result(for: line, number: lineNumber, builder: builder)
                output.deliver(result, at: lineNumber)
                window.signal()
                group.leave()
            }
        }
        group.wait()
        if let error = output.writeError {
            printError("newsd pipe: \(error)")
            return 74
        }
        return 0
    }

    /// The output line for one input line.
    static func result(for line: LineReader.Line, number: Int, builder: DocumentBuilder) -> [UInt8] {
        let received = Timestamp.rfc3339(microseconds: Timestamp.nowMicroseconds())
        let identifier: RecordIdentifier
        let document: [UInt8]
        switch line {
        case .tooLong(let length):
            identifier = .absent
            let source = SourceDescription(name: Array("line \(number)".utf8), bytes: length, format: .json, received: received)
            document = builder.failure(nil, source, builder.tooLarge(length)).document
        case .complete(let bytes):
            identifier = RecordIdentifier(json: bytes)
            let source = SourceDescription(
                name: Array(identifier.name(line: number).utf8), bytes: bytes.count, format: .json, received: received)
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                document = builder.failure(nil, source, InputError(code: .invalidJSON, message: "The line is empty.")).document
            } else {
                document = builder.build(bytes, source: source).document
            }
        }
        // Append "input_id" and "line" to the document's object: its bytes end in "}\n".
        var lineBytes = Array(document.dropLast(2))
        lineBytes.append(contentsOf: ",\"input_id\":".utf8)
        lineBytes.append(contentsOf: identifier.jsonBytes)
        lineBytes.append(contentsOf: ",\"line\":\(number)}\n".utf8)
        return lineBytes
    }
}

/// Writes results to stdout in input order as they complete out of order.
final class OrderedOutput: Sendable {
    private struct State {
        var next = 1
        var pending: [Int: [UInt8]] = [:]
        var error: OutputError?
    }

    private let state = Mutex(State())

    var failed: Bool { state.withLock { $0.error != nil } }
    var writeError: OutputError? { state.withLock { $0.error } }

    func deliver(_ bytes: [UInt8], at line: Int) {
        state.withLock { state in
            state.pending[line] = bytes
            while let ready = state.pending.removeValue(forKey: state.next) {
                state.next += 1
                guard state.error == nil else { continue }
                do { try writeStandardOutput(ready) } catch let error as OutputError { state.error = error } catch {}
            }
        }
    }
}

/// Reads lines from a descriptor with bounded memory: a line longer than `limit` is skipped to its end
/// and reported by length only.
struct LineReader {
    enum Line: Sendable {
        case complete([UInt8])
        case tooLong(Int)
    }

    let descriptor: Int32
    let limit: Int
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0
    private var end = 0
    private var finished = false

    init(descriptor: Int32, limit: Int) {
        self.descriptor = descriptor
        self.limit = limit
    }

    mutating func next() throws -> Line? {
        var line: [UInt8] = []
        var length = 0
        var tooLong = false
        while true {
            if start == end {
                if finished { break }
                try fill()
                if start == end { break }
            }
            let newline = buffer[start..<end].firstIndex(of: 0x0A)
            let chunkEnd = newline ?? end
            let chunkLength = chunkEnd - start
            length += chunkLength
            if !tooLong {
                if length > limit {
                    tooLong = true
                    line = []
                } else {
                    line.append(contentsOf: buffer[start..<chunkEnd])
                }
            }
            if let newline {
                start = newline + 1
                return finish(line, length: length, tooLong: tooLong)
            }
            start = end
        }
        // End of input: a last line without a newline still counts.
        guard length > 0 || tooLong else { return nil }
        return finish(line, length: length, tooLong: tooLong)
    }

    private func finish(_ line: [UInt8], length: Int, tooLong: Bool) -> Line {
        if tooLong { return .tooLong(length) }
        return .complete(line.last == 0x0D ? Array(line.dropLast()) : line)
    }

    private mutating func fill() throws {
        start = 0
        end = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw InputReadError(errno: errno)
            }
            if count == 0 { finished = true }
            end = count
            return
        }
    }
}

struct InputReadError: Error, CustomStringConvertible {
    var errno: Int32
    var description: String { String(cString: strerror(errno)) }
}
