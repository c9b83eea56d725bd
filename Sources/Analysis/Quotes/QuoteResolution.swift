/// 4. Speakers: linked to entities, named, pronouns resolved; candidates turned into `Quote` values.
extension QuotePass {
    /// Entity mentions sorted by start, for overlap look-ups by binary search.
    struct MentionIndex {
        var starts: [Int] = []
        var ends: [Int] = []
        var entity: [Int] = []
        var longest = 0

        init(_ entities: [Entity]) {
            var all: [(Int, Int, Int)] = []
            for (index, entity) in entities.enumerated() {
                for mention in entity.mentions where mention.end > mention.start {
                    all.append((mention.start, mention.end, index))
                }
            }
            all.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
            for item in all {
                starts.append(item.0)
                ends.append(item.1)
                entity.append(item.2)
                longest = max(longest, item.1 - item.0)
            }
        }

        /// Entity indices of mentions overlapping `start..<end`, in text order.
        func overlapping(_ start: Int, _ end: Int) -> [Int] {
            guard !starts.isEmpty, end > start else { return [] }
            // First mention that could overlap: start >= start - longest.
            var low = 0
            var high = starts.count
            let from = start - longest
            while low < high {
                let mid = (low + high) / 2
                if starts[mid] < from { low = mid + 1 } else { high = mid }
            }
            var result: [Int] = []
            var k = low
            while k < starts.count, starts[k] < end {
                if ends[k] > start { result.append(entity[k]) }
                k += 1
            }
            return result
        }
    }

    /// The person a pronoun may refer to: a previous speaker.
    struct Antecedent {
        var entity: Int?
        var name: String
        var paragraph: Int
        /// 0 unknown, 1 "he", 2 "she": from "Mr."/"Mrs."/"Ms." or an earlier pronoun.
        var gender: UInt8 = 0
    }

    func resolve(_ candidates: [Candidate]) -> [Quote] {
        let mentions = MentionIndex(entities)
        var quotes: [Quote] = []
        quotes.reserveCapacity(candidates.count)
        var speakers: [Quote.Speaker?] = []
        var fullNames: [UInt64: String] = [:]  // last word → the fullest name used so far
        var lastPerson: Antecedent?
        var genders: [String: UInt8] = [:]  // name → the pronoun it took
        for candidate in candidates {
            // Content span, quotation marks and final punctuation excluded.
            let a = candidate.first
            var b = candidate.last
            while b > a, tokens[b].kind == .punctuation, isClauseEnd(b) || isDash(b) { b -= 1 }
            var start = tokens[a].start
            if segmentOf[a] >= 0, segments[Int(segmentOf[a])].open == a { start = segments[Int(segmentOf[a])].start }
            var end = tokens[b].end
            if isClosingMark(b) { end = segments[Int(segmentOf[b])].end }
            while start < end, Segmenter.isWhitespace(s[start]) { start += 1 }
            while end > start, Segmenter.isWhitespace(s[end - 1]) { end -= 1 }
            guard start < end else {
                speakers.append(nil)
                continue
            }
            let kind: Quote.Kind
            if let forced = candidate.kind {
                kind = forced
            } else {
                let words = wordsBefore[b + 1] - wordsBefore[a]
                let quoted = quotedWordsBefore[b + 1] - quotedWordsBefore[a]
                kind = quoted == 0 ? .indirect : (quoted == words ? .direct : .mixed)
            }

            var speaker: Quote.Speaker?
            if candidate.inherited >= 0 {
                speaker = speakers[candidate.inherited]
            } else if let hit = candidate.speaker, !isStrayCapital(hit, mentions: mentions) {
                let spanStart = tokens[hit.first].start
                var spanEnd = tokens[hit.last].end
                if hit.kind == .pronoun, lexicon.contractedPronouns.contains(keys[hit.last]) {
                    // "I’m hoping that …": the speaker is "I", not the contraction's token ("I’m" is one word).
                    while spanEnd > spanStart, s[spanEnd - 1] != "'", s[spanEnd - 1] != "’" { spanEnd -= 1 }
                    if spanEnd > spanStart { spanEnd -= 1 } else { spanEnd = tokens[hit.last].end }
                }
                var value = Quote.Speaker(start: spanStart, end: spanEnd, text: text(spanStart, spanEnd))
                switch hit.kind {
                case .name:
                    let linked = person(in: mentions.overlapping(spanStart, spanEnd))
                    if let linked {
                        value.entity = entities[linked].id
                        value.name = entities[linked].name
                    } else {
                        value.name = canonicalName(hit.first, hit.last, fullNames: &fullNames)
                    }
                    if isPersonLike(hit, linked: linked), let name = value.name {
                        var gender = genders[name] ?? 0
                        if gender == 0 { gender = titleGender(hit.first, hit.last) }
                        if gender != 0 { genders[name] = gender }
                        lastPerson = Antecedent(entity: linked, name: name, paragraph: paragraph(of: hit.first),
                                                gender: gender)
                    }
                case .relative:
                    if hit.antecedentFirst >= 0 {
                        let from = tokens[hit.antecedentFirst].start
                        let to = tokens[hit.antecedentLast].end
                        let linked = person(in: mentions.overlapping(from, to))
                        if let linked {
                            value.entity = entities[linked].id
                            value.name = entities[linked].name
                        } else {
                            value.name = canonicalName(hit.antecedentFirst, hit.antecedentLast, fullNames: &fullNames)
                        }
                    }
                case .nominal:
                    // Linked only when the head itself is an entity's mention ("the Kremlin").
                    let head = mentions.overlapping(tokens[hit.last].start, tokens[hit.last].end)
                    if let linked = head.last {
                        value.entity = entities[linked].id
                        value.name = entities[linked].name
                    }
                case .pronoun:
                    let gender: UInt8 = lexicon.heForms.contains(keys[hit.first])
                        ? 1 : (lexicon.sheForms.contains(keys[hit.first]) ? 2 : 0)
                    if gender != 0,
                        let antecedent = resolvePronoun(hit.first, lastPerson: lastPerson, mentions: mentions),
                        (genders[antecedent.name] ?? antecedent.gender) == 0
                            || (genders[antecedent.name] ?? antecedent.gender) == gender
                    {
                        value.entity = antecedent.entity.map { entities[$0].id }
                        value.name = antecedent.name
                        genders[antecedent.name] = gender
                        lastPerson = Antecedent(entity: antecedent.entity, name: antecedent.name,
                                                paragraph: paragraph(of: hit.first), gender: gender)
                    }
                }
                speaker = value
            }
            speakers.append(speaker)
            var cue: Mention?
            if candidate.cueFirst >= 0 {
                let cueStart = tokens[candidate.cueFirst].start
                let cueEnd = tokens[candidate.cueLast].end
                cue = Mention(start: cueStart, end: cueEnd, text: text(cueStart, cueEnd))
            }
            quotes.append(Quote(kind: kind, start: start, end: end, text: text(start, end), speaker: speaker, cue: cue))
        }
        // Text order by where each ends; a quote that holds another comes after it.
        quotes.sort { $0.end < $1.end || ($0.end == $1.end && $0.start > $1.start) }
        return quotes
    }

    /// The text of a scalar range, encoded to UTF-8 in one buffer (appending scalars to a String one by one
    /// is several times slower).
    func text(_ start: Int, _ end: Int) -> String {
        String(unsafeUninitializedCapacity: (end - start) * 4) { buffer in
            var count = 0
            for index in start..<end {
                let value = s[index].value
                if value < 0x80 {
                    buffer[count] = UInt8(value)
                    count += 1
                } else if value < 0x800 {
                    buffer[count] = UInt8(0xC0 | (value >> 6))
                    buffer[count + 1] = UInt8(0x80 | (value & 0x3F))
                    count += 2
                } else if value < 0x10000 {
                    buffer[count] = UInt8(0xE0 | (value >> 12))
                    buffer[count + 1] = UInt8(0x80 | ((value >> 6) & 0x3F))
                    buffer[count + 2] = UInt8(0x80 | (value & 0x3F))
                    count += 3
                } else {
                    buffer[count] = UInt8(0xF0 | (value >> 18))
                    buffer[count + 1] = UInt8(0x80 | ((value >> 12) & 0x3F))
                    buffer[count + 2] = UInt8(0x80 | ((value >> 6) & 0x3F))
                    buffer[count + 3] = UInt8(0x80 | (value & 0x3F))
                    count += 4
                }
            }
            return count
        }
    }

    /// A one-word "name" opening its sentence, shaped like an adverb or a participle ("Conversely",
    /// "Chastened", "Speaking"), that no entity mentions: a capitalised opener, not a speaker.
    private func isStrayCapital(_ hit: Hit, mentions: MentionIndex) -> Bool {
        guard hit.kind == .name, hit.first == hit.last, !entities.isEmpty else { return false }
        var opener = sentenceFirst[tokens[hit.first].sentence]
        if opener < hit.first, isDoubleMark(opener) { opener += 1 }
        guard opener == hit.first else { return false }
        let token = tokens[hit.first]
        guard token.end - token.start > 4 else { return false }
        let a = s[token.end - 3], b = s[token.end - 2], c = s[token.end - 1]
        let looksInflected = (b == "l" && c == "y") || (b == "e" && c == "d") || (a == "i" && b == "n" && c == "g")
        return looksInflected && mentions.overlapping(token.start, token.end).isEmpty
    }

    /// The person among linked entities (the last one), or any entity when none is a person.
    private func person(in linked: [Int]) -> Int? {
        linked.last { entities[$0].type == .person } ?? linked.last
    }

    /// 1 after "Mr.", 2 after "Mrs."/"Ms.", else 0.
    private func titleGender(_ first: Int, _ last: Int) -> UInt8 {
        for k in first...last where isWord(k) {
            if keys[k] == lexicon.mr { return 1 }
            if keys[k] == lexicon.mrs || keys[k] == lexicon.ms { return 2 }
        }
        return 0
    }

    /// Whether a named speaker can be what a later "he" or "she" refers to.
    private func isPersonLike(_ hit: Hit, linked: Int?) -> Bool {
        if let linked { return entities[linked].type == .person }
        if keys[hit.first] == lexicon.the { return false }
        return !lexicon.organisationWords.contains(keys[hit.last])
    }

    /// A he/she speaker: the previous speaker, or the one person the text just before names. Nil when
    /// the entities there disagree with the previous speaker.
    private func resolvePronoun(_ pronoun: Int, lastPerson: Antecedent?, mentions: MentionIndex) -> Antecedent? {
        let here = paragraph(of: pronoun)
        let recent = lastPerson.flatMap { here - $0.paragraph <= 2 ? $0 : nil }
        guard !entities.isEmpty else { return recent }
        let sentence = tokens[pronoun].sentence
        let windowStart = sentences[max(0, sentence - 1)].start
        var people: [Int] = []
        for index in mentions.overlapping(windowStart, tokens[pronoun].start)
        where entities[index].type == .person && !people.contains(index) {
            people.append(index)
        }
        if let recent, let entity = recent.entity, people.contains(entity) { return recent }
        if people.count == 1 {
            return Antecedent(entity: people[0], name: entities[people[0]].name, paragraph: here)
        }
        if people.isEmpty { return recent }
        return nil
    }

    /// "US Secretary of State Antony Blinken" → "Antony Blinken"; "Peskov" → "Dmitry Peskov" once the
    /// article has used the full name.
    private func canonicalName(_ first: Int, _ last: Int, fullNames: inout [UInt64: String]) -> String {
        var from = first
        if keys[from] == lexicon.the, from < last { from += 1 }
        var k = from
        while k < last {
            if isWord(k), lexicon.titles.contains(keys[k]) {
                var next = k + 1
                if next < last, isPunctuation(next, ".") { next += 1 }
                if next + 1 < last, isWord(next), lexicon.nameConnectors.contains(keys[next]) { next += 2 }
                if next <= last { from = next }
                k = next
            } else {
                k += 1
            }
        }
        let name = text(tokens[from].start, tokens[last].end)
        let key = keys[last]
        if let known = fullNames[key], known.unicodeScalars.count >= name.unicodeScalars.count {
            return known
        }
        fullNames[key] = name
        return name
    }
}
