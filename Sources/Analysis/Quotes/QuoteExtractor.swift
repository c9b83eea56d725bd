/// Stage: direct, mixed and indirect quotes with speaker and cue. Reads tokens, sentences, paragraphs and
/// entities; fills `document.quotes`.
///
/// The work is done by `QuotePass` in a few linear passes over the tokens:
/// 1. quotation marks are paired into quoted segments (a segment left open at a paragraph's end continues
///    when the next paragraph opens with a quotation mark, the news convention);
/// 2. every cue word outside a segment ("said", "told", "according to", "believes") looks for its speaker
///    next to it (a name, a pronoun, "who", a nominal like "the spokesman", the subject of a coordinated
///    clause) and takes its content before it ("…,” Blinken said.) or after it (Blinken said (that) …);
/// 3. quoted segments no cue claimed become direct quotes of their own, and continue the previous
///    speaker's quote when they open a paragraph right after it;
/// 4. speakers are linked to entities, pronouns resolved to the previous speaker or the one person the
///    preceding text names, and left unresolved when that is ambiguous.
struct QuoteExtractor: Sendable {
    private let lexicon: QuoteLexicon

    init() {
        lexicon = QuoteLexicon()
    }

    func run(_ document: inout Document) {
        guard document.isEnglish, !document.tokens.isEmpty else { return }
        let pass = QuotePass(document: document, lexicon: lexicon)
        document.quotes = pass.extract()
    }
}
