// libFuzzer target for the Analysis module: arbitrary bytes → ArticleDecoder → Analyzer → DocumentEncoder.
//
// Not part of the package: scripts/fuzz/build.sh compiles this file together with Sources/Analysis/**/*.swift
// into one module (so the JSON parser, which is internal, can check the output), with
// `-sanitize=fuzzer,address`. libFuzzer supplies `main`.
//
// Input layout: the first byte chooses how the rest is read.
//   bits 0-1: the format (text, markdown, json, html — InputFormat.allCases order)
//   bits 2-3: summary_sentences (3, 0, 1, 50: the default, and the ends of its range)
// The remaining bytes are the file's content; they are also used, truncated, as the file's name, so the
// name escaping runs on arbitrary bytes too.
//
// Besides "does not crash", each input checks the contracts the output schema promises
// (docs/output-schema.md): every span lies inside the text, paragraphs and sentences are ordered and do not
// overlap, every `text` next to a start/end equals text[start..<end] by code points, summary indices are
// sentence indices, and the document is one JSON object whose "text" is the article text. Errors give a
// well-formed error document. Any broken contract traps, which libFuzzer reports as a crash.

let fuzzFormats = InputFormat.allCases
let fuzzSummarySizes = [3, 0, 1, 50]
// Built once: an Analyzer loads its lexicons in init.
let fuzzAnalyzers = fuzzSummarySizes.map { Analyzer(options: AnalyzerOptions(summarySentences: $0)) }
let fuzzMaximumBytes = 1 << 20

@_cdecl("LLVMFuzzerTestOneInput")
public func analysisFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let control = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let format = fuzzFormats[Int(control & 3) % fuzzFormats.count]
    let analyzer = fuzzAnalyzers[Int(control >> 2) & 3]
    fuzzOne(bytes, format: format, analyzer: analyzer)
    return 0
}

func fuzzOne(_ bytes: [UInt8], format: InputFormat, analyzer: Analyzer) {
    let name = Array(bytes.prefix(64))
    let escaped = DocumentEncoder.escapedName(name)
    fuzzCheck(DocumentEncoder.unescapedName(escaped) == name, "escapedName/unescapedName do not round-trip")
    let source = SourceDescription(name: name, bytes: bytes.count, format: format, received: "2021-12-12T00:00:00Z")
    let id = ContentHash.sha256Hex(bytes)
    fuzzCheck(id.utf8.count == 64, "sha256Hex is not 64 hex digits")

    let article: Article
    do {
        article = try ArticleDecoder.decode(bytes, format: format, maximumBytes: fuzzMaximumBytes)
    } catch {
        let document = DocumentEncoder.error(id: id, source: source, error: error)
        guard case .object = fuzzParse(document) else { fuzzFail("the error document is not a JSON object") }
        return
    }
    let analysis = analyzer.analyze(article)
    fuzzCheckAnalysis(analysis, summaryLimit: analyzer.options.summarySentences)
    fuzzCheckFingerprint(article.text)
    let document = DocumentEncoder.article(
        id: id, source: source, analysis: analysis, duplicateOf: nil, pipelineVersion: pipelineVersion,
        durationMicroseconds: 0)
    let parsed = fuzzParse(document)
    fuzzCheck(parsed["text"] == .string(article.text), "the document's text is not the article's text")
}

/// The ledger's fingerprint of the text: the one-pass shingles equal the reference (each normalised word's
/// `wordKey` with its occurrence), the keys are sorted and distinct, the signature is its keys', and a
/// fingerprint is wholly similar to itself.
func fuzzCheckFingerprint(_ text: String) {
    let expected = Fingerprint.referenceShingles(of: text)
    fuzzCheck(Fingerprint.shingles(of: text) == expected, "the fingerprint's one-pass shingles differ from the reference")
    guard let fingerprint = Fingerprint(text: text) else {
        fuzzCheck(expected.isEmpty, "a text with shingles has no fingerprint")
        return
    }
    fuzzCheck(fingerprint.signature.count == Fingerprint.permutations, "the signature's length")
    fuzzCheck(zip(fingerprint.shingleKeys, fingerprint.shingleKeys.dropFirst()).allSatisfy { $0 < $1 }, "shingle keys not sorted and distinct")
    fuzzCheck(fingerprint.similarity(fingerprint) == 1, "a fingerprint is not wholly similar to itself")
    fuzzCheck(Fingerprint.signature(ofKeys: fingerprint.shingleKeys) == fingerprint.signature, "the signature is not its keys'")
}

func fuzzCheckAnalysis(_ analysis: Analysis, summaryLimit: Int) {
    let scalars = Array(analysis.article.text.unicodeScalars)
    let length = scalars.count
    fuzzCheck(analysis.statistics.characters == length, "statistics.characters is not the scalar count")
    fuzzCheck(analysis.statistics.sentences == analysis.sentences.count, "statistics.sentences")
    fuzzCheck(analysis.statistics.paragraphs == analysis.paragraphs.count, "statistics.paragraphs")

    func slice(_ start: Int, _ end: Int, _ what: String) -> String {
        fuzzCheck(0 <= start && start <= end && end <= length, "\(what) span \(start)..<\(end) outside 0..<\(length)")
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return String(view)
    }
    func check(_ start: Int, _ end: Int, _ text: String, _ what: String) {
        fuzzCheck(slice(start, end, what) == text, "\(what) text does not match its span \(start)..<\(end)")
    }

    var previousEnd = 0
    for paragraph in analysis.paragraphs {
        _ = slice(paragraph.start, paragraph.end, "paragraph")
        fuzzCheck(previousEnd <= paragraph.start && paragraph.start < paragraph.end, "paragraphs out of order or empty")
        previousEnd = paragraph.end
    }
    previousEnd = 0
    for sentence in analysis.sentences {
        _ = slice(sentence.start, sentence.end, "sentence")
        fuzzCheck(previousEnd <= sentence.start && sentence.start < sentence.end, "sentences out of order or empty")
        previousEnd = sentence.end
    }
    for entity in analysis.entities {
        fuzzCheck(!entity.mentions.isEmpty, "an entity without mentions")
        fuzzCheck(entity.salience >= 0 && entity.salience <= 1, "salience outside 0...1")
        for mention in entity.mentions { check(mention.start, mention.end, mention.text, "entity mention") }
    }
    let entityIDs = Set(analysis.entities.map(\.id))
    for quote in analysis.quotes {
        check(quote.start, quote.end, quote.text, "quote")
        if let speaker = quote.speaker {
            check(speaker.start, speaker.end, speaker.text, "speaker")
            if let entity = speaker.entity { fuzzCheck(entityIDs.contains(entity), "a speaker names an unknown entity") }
        }
        if let cue = quote.cue { check(cue.start, cue.end, cue.text, "cue") }
    }
    for date in analysis.dates { check(date.start, date.end, date.text, "date") }
    for keyword in analysis.keywords { fuzzCheck(keyword.score.isFinite, "a keyword score is not finite") }
    fuzzCheck(analysis.summary.count <= summaryLimit, "summary longer than summary_sentences")
    fuzzCheck(analysis.summary.allSatisfy { 0 <= $0 && $0 < analysis.sentences.count }, "summary index out of range")
    fuzzCheck(zip(analysis.summary, analysis.summary.dropFirst()).allSatisfy { $0 < $1 }, "summary not in text order")
}

func fuzzParse(_ document: [UInt8]) -> JSONValue {
    fuzzCheck(document.last == UInt8(ascii: "\n"), "the document does not end in a newline")
    fuzzCheck(UTF8Validation.firstInvalidOffset(document) == nil, "the document is not UTF-8")
    do {
        return try JSONParser.parse(Array(document.dropLast()))
    } catch {
        fuzzFail("the document is not JSON: \(error)")
    }
}

func fuzzCheck(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fuzzFail(message()) }
}

func fuzzFail(_ message: String) -> Never {
    fatalError("AnalysisFuzzer: \(message)")
}
