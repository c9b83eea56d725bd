/// Stage: the extractive summary, sentence indices in text order. Reads sentences (and keywords and
/// entities); fills `document.summary`.
struct Summarizer: Sendable {
    var sentences: Int

    init(sentences: Int) { self.sentences = sentences }

    func run(_ document: inout Document) {
        document.summary = Array(0..<min(max(sentences, 0), document.sentences.count))
    }
}
