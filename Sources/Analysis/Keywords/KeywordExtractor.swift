/// Stage: keywords, best first. Reads tokens and entities; fills `document.keywords`.
struct KeywordExtractor: Sendable {
    init() {}

    func run(_ document: inout Document) {
        guard document.isEnglish else { return }
    }
}
