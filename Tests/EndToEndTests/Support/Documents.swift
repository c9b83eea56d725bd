import Foundation
import Testing

// Reading what the daemon wrote: outbox documents (newsd/article@1) and failed pairs (newsd/error@1).

/// A JSON object, or nil when `bytes` is not one.
func jsonObject(_ bytes: [UInt8]) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) as? [String: Any]
}

/// Every JSON object in newline-separated output (`newsd process`, `journalctl -o json`).
func jsonLines(_ text: String) -> [[String: Any]] {
    text.split(separator: "\n").compactMap { jsonObject(Array($0.utf8)) }
}

/// One document in the outbox.
struct OutboxDocument {
    var fileName: [UInt8]
    var object: [String: Any]
    /// `source.name`: the input's name as dropped, non-UTF-8 bytes escaped as `\xNN`.
    var sourceName: String
}

/// What the outbox holds: parsed documents, and the names of entries that are not complete documents.
struct OutboxContents {
    var documents: [OutboxDocument] = []
    /// Dot-files and temporary names (a reader must never see these as results).
    var hiddenNames: [String] = []
    /// Visible entries that are not a JSON object with a `source.name`.
    var malformed: [String] = []

    /// How many documents each `source.name` has.
    var countsBySource: [String: Int] {
        documents.reduce(into: [:]) { $0[$1.sourceName, default: 0] += 1 }
    }
}

func readOutbox(_ directory: String) -> OutboxContents {
    var contents = OutboxContents()
    for name in entryNames(directory) {
        if name.first == UInt8(ascii: ".") || display(name).hasSuffix(".tmp") {
            contents.hiddenNames.append(display(name))
            continue
        }
        guard let bytes = readFile(directory, name), let object = jsonObject(bytes),
            let source = object["source"] as? [String: Any], let sourceName = source["name"] as? String
        else {
            contents.malformed.append(display(name))
            continue
        }
        contents.documents.append(OutboxDocument(fileName: name, object: object, sourceName: sourceName))
    }
    return contents
}

/// One original in failed/ with its error document.
struct FailedPair {
    var originalName: [UInt8]
    var code: String
    var sourceName: String
}

/// The failed folder: complete pairs, and entries that are not part of one.
struct FailedContents {
    var pairs: [FailedPair] = []
    var strays: [String] = []

    var codesBySource: [String: [String]] {
        pairs.reduce(into: [:]) { $0[$1.sourceName, default: []].append($1.code) }
    }
}

func readFailed(_ directory: String) -> FailedContents {
    let suffix = Array(".error.json".utf8)
    let names = entryNames(directory)
    var contents = FailedContents()
    var originals = Set(names.filter { !$0.ends(with: suffix) })
    for name in names where name.ends(with: suffix) {
        let original = Array(name.dropLast(suffix.count))
        guard originals.remove(original) != nil else {
            contents.strays.append("\(display(name)) (no original beside it)")
            continue
        }
        guard let bytes = readFile(directory, name), let object = jsonObject(bytes),
            object["schema"] as? String == "newsd/error@1",
            let error = object["error"] as? [String: Any], let code = error["code"] as? String,
            let source = object["source"] as? [String: Any], let sourceName = source["name"] as? String
        else {
            contents.strays.append("\(display(name)) (not a newsd/error@1 document)")
            continue
        }
        contents.pairs.append(FailedPair(originalName: original, code: code, sourceName: sourceName))
    }
    contents.strays += originals.map { "\(display($0)) (no .error.json beside it)" }
    return contents
}

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}

/// What is wrong with an article document: schema, id, and every span checked against `text` in code points.
func articleProblems(_ object: [String: Any]) -> [String] {
    var problems: [String] = []
    guard object["schema"] as? String == "newsd/article@1" else { return ["schema is \(object["schema"] ?? "missing")"] }
    if let id = object["id"] as? String {
        if id.count != 64 || !id.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) { problems.append("id \(id) is not lowercase SHA-256 hex") }
    } else {
        problems.append("no id")
    }
    guard let text = object["text"] as? String else { return problems + ["no text"] }
    let scalars = Array(text.unicodeScalars)

    /// Checks one span: a valid range into `text` and, when it carries a `text`, that the range says exactly that.
    func check(_ span: Any?, _ label: String, needsText: Bool) {
        guard let span = span as? [String: Any], let start = span["start"] as? Int, let end = span["end"] as? Int else {
            problems.append("\(label): no start/end")
            return
        }
        guard 0 <= start, start <= end, end <= scalars.count else {
            problems.append("\(label): [\(start), \(end)) outside the text of \(scalars.count) code points")
            return
        }
        let slice = String(String.UnicodeScalarView(scalars[start..<end]))
        if let expected = span["text"] as? String {
            if slice != expected { problems.append("\(label): text[\(start):\(end)] is \(slice.debugDescription), not \(expected.debugDescription)") }
        } else if needsText {
            problems.append("\(label): no text")
        }
    }

    let sentences = object["sentences"] as? [Any] ?? []
    if sentences.isEmpty { problems.append("no sentences") }
    var previousEnd = 0
    for (index, sentence) in sentences.enumerated() {
        check(sentence, "sentences[\(index)]", needsText: false)
        if let sentence = sentence as? [String: Any], let start = sentence["start"] as? Int, let end = sentence["end"] as? Int {
            if start < previousEnd { problems.append("sentences[\(index)] overlaps the one before") }
            if start == end { problems.append("sentences[\(index)] is empty") }
            if start < end, end <= scalars.count,
                String(String.UnicodeScalarView(scalars[start..<end])).allSatisfy(\.isWhitespace)
            {
                problems.append("sentences[\(index)] is only whitespace")
            }
            previousEnd = end
        }
    }
    for (index, paragraph) in (object["paragraphs"] as? [Any] ?? []).enumerated() {
        check(paragraph, "paragraphs[\(index)]", needsText: false)
    }
    for (index, entity) in (object["entities"] as? [[String: Any]] ?? []).enumerated() {
        for (mentionIndex, mention) in (entity["mentions"] as? [Any] ?? []).enumerated() {
            check(mention, "entities[\(index)].mentions[\(mentionIndex)]", needsText: true)
        }
    }
    for (index, quote) in (object["quotes"] as? [[String: Any]] ?? []).enumerated() {
        check(quote, "quotes[\(index)]", needsText: true)
        if let speaker = quote["speaker"] as? [String: Any], speaker["start"] != nil { check(speaker, "quotes[\(index)].speaker", needsText: true) }
        if let cue = quote["cue"] as? [String: Any] { check(cue, "quotes[\(index)].cue", needsText: true) }
    }
    for (index, date) in (object["dates"] as? [Any] ?? []).enumerated() {
        check(date, "dates[\(index)]", needsText: true)
    }
    if let summary = object["summary"] as? [Int], let outside = summary.first(where: { $0 < 0 || $0 >= sentences.count }) {
        problems.append("summary index \(outside) outside \(sentences.count) sentences")
    }
    return problems
}
