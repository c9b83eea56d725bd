/// Stage: the extractive summary, sentence indices in text order. Reads sentences, tokens and keywords;
/// fills `document.summary`.
///
/// News puts its point first, so the summary stays close to the lead: sentences score by a strong
/// position prior times their centrality (how much of the document's recurring content vocabulary and
/// keywords they carry). A summary is short, so after the lead a sentence longer than the article's
/// median one is damped by the square root of the ratio. Fragments (headlines, datelines, bylines: no
/// sentence-final punctuation or fewer than five words) and sentences that are only a quotation (also
/// the later sentences of a quotation that an earlier one opened) are skipped, and a sentence whose
/// content words the chosen ones already say is passed over. Articles of at most N sentences return them
/// all. Language independent except for the stop words, which only sharpen centrality.
struct Summarizer: Sendable {
    var sentences: Int
    let lexicon: KeywordLexicon

    init(sentences: Int) {
        self.sentences = sentences
        lexicon = KeywordLexicon()
    }

    func run(_ document: inout Document) {
        if document.contentWords == nil { document.contentWords = ContentWords(document, lexicon: lexicon) }
        document.summary = summary(document)
    }

    private struct SentenceInfo {
        var words = 0
        /// The sentence's content word ids, in text order: `content[contentStart..<contentEnd]`.
        var contentStart = 0
        var contentEnd = 0
        var eligible = false
    }

    func summary(_ document: Document) -> [Int] {
        let wanted = max(sentences, 0)
        let count = document.sentences.count
        if count <= wanted { return Array(0..<count) }
        if wanted == 0 { return [] }
        let scalars = document.scalars
        let tokens = document.tokens

        // Content words per sentence (light stems, ids) and their document frequency.
        let contentWords = document.contentWords ?? ContentWords(document, lexicon: lexicon)
        var frequency: [Int] = []
        var infos = [SentenceInfo](repeating: SentenceInfo(), count: count)
        // One array for all sentences (tokens come in sentence order), not one array per sentence.
        var content: [Int32] = []
        content.reserveCapacity(tokens.count)
        var quoteDepth = 0
        var wordsInQuotes = 0
        // Words so far in this sentence that no quotation mark opened: if a closing mark comes before any
        // opening one, the sentence began inside a quotation that an earlier sentence opened, and they were quoted.
        var wordsBeforeAnyQuote = 0
        var sawQuote = false
        var currentSentence = -1
        func close(_ sentence: Int) {
            guard sentence >= 0 else { return }
            infos[sentence].contentEnd = content.count
            let info = infos[sentence]
            let span = document.sentences[sentence]
            var ok = info.words >= 5 && endsLikeSentence(scalars, span)
            // A sentence entirely inside quotation marks carries no attribution or context.
            if ok, wordsInQuotes == info.words { ok = false }
            infos[sentence].eligible = ok
        }
        for (tokenIndex, token) in tokens.enumerated() {
            if token.sentence != currentSentence {
                close(currentSentence)
                currentSentence = token.sentence
                infos[currentSentence].contentStart = content.count
                quoteDepth = 0
                wordsInQuotes = 0
                wordsBeforeAnyQuote = 0
                sawQuote = false
            }
            switch token.kind {
            case .openingQuote:
                quoteDepth += 1
                sawQuote = true
            case .closingQuote:
                // (’ and ' also end possessives — "the officers’ car" — so only a double mark says this.)
                if !sawQuote, scalars[token.start] != "’", scalars[token.start] != "'" { wordsInQuotes += wordsBeforeAnyQuote }
                quoteDepth = max(0, quoteDepth - 1)
                sawQuote = true
            case .punctuation: break
            case .word, .number:
                infos[token.sentence].words += 1
                if quoteDepth > 0 { wordsInQuotes += 1 }
                if !sawQuote { wordsBeforeAnyQuote += 1 }
                guard token.kind == .word else { break }
                let id = contentWords.ids[tokenIndex]
                guard id >= 0 else { break }
                if Int(id) >= frequency.count { frequency.append(contentsOf: repeatElement(0, count: Int(id) - frequency.count + 1)) }
                frequency[Int(id)] += 1
                content.append(id)
            }
        }
        close(currentSentence)

        // Keyword stems weigh extra.
        var keywordWeight = [Double](repeating: 0, count: frequency.count)
        for keyword in document.keywords {
            for word in keyword.phrase.split(separator: " ") {
                let stem = KeywordLexicon.stem(KeywordLexicon.lowercased(ArraySlice(String(word).unicodeScalars)))
                if let id = contentWords.table.existingId(stem: stem) { keywordWeight[Int(id)] = max(keywordWeight[Int(id)], keyword.score) }
            }
        }

        // Centrality: recurring content words (seen elsewhere in the document) per sentence, damped by length.
        var centrality = [Double](repeating: 0, count: count)
        // The sentence that last counted each word id: a word counts once per sentence, without a Set.
        var seenIn = [Int](repeating: -1, count: frequency.count)
        var best = 0.0
        for index in 0..<count where infos[index].eligible {
            var value = 0.0
            for id in content[infos[index].contentStart..<infos[index].contentEnd] where seenIn[Int(id)] != index {
                seenIn[Int(id)] = index
                let repeats = Double(frequency[Int(id)] - 1)
                if repeats > 0 { value += (repeats / (repeats + 2)) + keywordWeight[Int(id)] }
            }
            value /= Double(max(infos[index].contentEnd - infos[index].contentStart, 8)).squareRoot()
            centrality[index] = value
            best = max(best, value)
        }

        // A summary is short: a sentence much longer than the article's typical one must earn its words.
        var lengths: [Int] = []
        for index in 0..<count where infos[index].eligible { lengths.append(infos[index].words) }
        lengths.sort()
        let typical = lengths.isEmpty ? 1 : Double(max(lengths[lengths.count / 2], 1))

        // Position prior: the lead dominates; centrality reorders within it.
        var ranked: [(score: Double, index: Int)] = []
        var rank = 0
        for index in 0..<count where infos[index].eligible {
            let prior = 1 / (1 + 0.35 * Double(rank))
            let central = best > 0 ? centrality[index] / best : 0
            // The lead sentence is exempt: in news it is the writer's own summary, however long.
            let brevity = rank == 0 ? 1 : min(1, (typical / Double(infos[index].words)).squareRoot())
            ranked.append((prior * (0.6 + 0.4 * central) * brevity, index))
            rank += 1
        }
        ranked.sort { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }

        // A candidate whose content words the chosen sentences already say adds nothing: it is passed over.
        // (Novelty is judged on the candidate's own words, so a long sentence that contains a short chosen
        // one, and says more, still counts as new.)
        var chosen: [Int] = []
        var covered = [Bool](repeating: false, count: frequency.count)
        for entry in ranked where chosen.count < wanted {
            let words = content[infos[entry.index].contentStart..<infos[entry.index].contentEnd]
            var distinct = 0
            var old = 0
            for id in words where seenIn[Int(id)] != -2 - entry.index {
                seenIn[Int(id)] = -2 - entry.index
                distinct += 1
                if covered[Int(id)] { old += 1 }
            }
            if distinct > 0, Double(old) > 0.6 * Double(distinct) { continue }
            for id in words { covered[Int(id)] = true }
            chosen.append(entry.index)
        }
        // Too few good sentences: fill with the earliest remaining ones.
        var next = 0
        while chosen.count < wanted, next < count {
            if !chosen.contains(next) { chosen.append(next) }
            next += 1
        }
        return chosen.sorted()
    }

    /// Whether a sentence ends like one (., !, ?, …, optionally followed by closing quotes or brackets).
    private func endsLikeSentence(_ scalars: [Unicode.Scalar], _ span: Span) -> Bool {
        var index = span.end - 1
        while index >= span.start {
            let scalar = scalars[index]
            switch scalar {
            case " ", "\n", "\t", "\r", "\"", "'", "”", "’", "»", ")", "]":
                index -= 1
            case ".", "!", "?", "…":
                return true
            default:
                return false
            }
        }
        return false
    }
}
