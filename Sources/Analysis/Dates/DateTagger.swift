/// Stage: temporal expressions (date, time, duration, set) with TIMEX3 values anchored to the
/// publication date. Reads tokens; fills `document.dates`.
///
/// One linear pass over the tokens: only a token that can start a temporal expression (digits, or a word
/// whose first letter and length pass a table filter and whose packed lowercase key is in the lexicon)
/// is looked at more closely; a small hand-written grammar then takes the longest expression there.
struct DateTagger: Sendable {
    let lexicon: DateLexicon

    init() {
        lexicon = DateLexicon()
    }

    func run(_ document: inout Document) {
        guard document.isEnglish, !document.tokens.isEmpty else { return }
        var grammar = DateGrammar(document: document, lexicon: lexicon)
        let hits = grammar.scan()
        var dates: [DateMention] = []
        dates.reserveCapacity(hits.count)
        for hit in hits {
            let start = document.tokens[hit.start].start
            let end = document.tokens[hit.end - 1].end - (grammar.possessive[hit.end - 1] ? 2 : 0)
            dates.append(DateMention(start: start, end: end, text: document.text(start, end), type: hit.type, value: hit.value))
        }
        document.dates = dates
    }
}
