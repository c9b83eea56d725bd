/// Groups a pass's typed mentions into entities: one per person (a lone surname or a "he said" joins the
/// full name), one per place or organisation name (aliases folded by the gazetteer: "US" → United States),
/// each named by its fullest form, with titles and a salience.
enum EntityGrouping {
    private struct Group {
        var kind: EntityPass.Kind
        var name: String
        var nameWords: Int
        var nameIsCaps: Bool
        var gazetteerName: Bool
        var firstHash: UInt64
        var lastHash: UInt64
        var titles: [String] = []
        var members: [Int] = []
        var score = 0.0
        var lastMention = 0
    }

    static func entities(_ pass: EntityPass) -> [Entity] {
        let info = pass.info
        let candidates = pass.candidates
        var groups: [Group] = []
        var byKey = HashMap64<Int>()
        var candidateGroup = [Int](repeating: -1, count: candidates.count)
        // Handle multi-word persons first so that lone surnames, wherever they are, can join them.
        var order = Array(candidates.indices).filter { !candidates[$0].pronoun && !candidates[$0].removed }
        // The sort reads these, not the candidates: copying a candidate retains its name and titles.
        let multiWordPerson = candidates.map { $0.kind == .person && $0.last > $0.first }
        let firstOf = candidates.map(\.first)
        order.sort { a, b in
            let wa = multiWordPerson[a]
            let wb = multiWordPerson[b]
            if wa != wb { return wa }
            return firstOf[a] < firstOf[b]
        }
        for index in order {
            let c = candidates[index]
            let textStart = info[c.first].start
            let textEnd = info[c.last].coreEnd
            var cachedText: String? = nil
            func mentionText() -> String {
                if let cachedText { return cachedText }
                let text = pass.text(textStart, textEnd)
                cachedText = text
                return text
            }
            func textHash() -> UInt64 { scalarPhraseHash(pass.s, textStart, textEnd) ?? NameHash.phrase(mentionText()).hash }
            let words = (c.first...c.last).reduce(0) { $0 + (info[$1].isWord ? 1 : 0) }
            let isCaps = (c.first...c.last).allSatisfy { !info[$0].isWord || info[$0].allCaps }
            let firstHash = info[c.first].hash
            let lastHash = info[c.last].coreHash
            var groupIndex: Int? = nil
            let kindSalt = UInt64(c.kind.rawValue) &* 0x9E37_79B9_7F4A_7C15
            if c.kind == .person {
                let full = textHash() ^ kindSalt
                if let g = byKey[full] {
                    groupIndex = g
                } else if words == 1 {
                    // The most recently mentioned person with that surname (or given name).
                    var best: Int? = nil
                    // By index, reading fields: a copied group retains its name, titles and members.
                    for g in groups.indices where groups[g].kind == .person {
                        let groupLast = groups[g].lastHash
                        if groupLast == lastHash || groups[g].nameWords > 1 && groups[g].firstHash == lastHash {
                            if best == nil || groups[best!].lastHash != lastHash && groupLast == lastHash {
                                best = g
                            }
                        }
                    }
                    groupIndex = best
                }
                if groupIndex == nil {
                    groupIndex = groups.count
                    groups.append(
                        Group(
                            kind: .person, name: mentionText(), nameWords: words, nameIsCaps: isCaps, gazetteerName: false,
                            firstHash: firstHash, lastHash: lastHash))
                }
                byKey.set(full, groupIndex!)
            } else {
                let key = (c.canonical.map { NameHash.phrase($0).hash } ?? textHash()) ^ kindSalt
                if let g = byKey[key] {
                    groupIndex = g
                } else {
                    groupIndex = groups.count
                    byKey.set(key, groupIndex!)
                    groups.append(
                        Group(
                            kind: c.kind, name: c.canonical ?? mentionText(), nameWords: words, nameIsCaps: isCaps,
                            gazetteerName: c.canonical != nil, firstHash: firstHash, lastHash: lastHash))
                }
            }
            let g = groupIndex!
            candidateGroup[index] = g
            groups[g].members.append(index)
            // The fullest form names the entity; mixed case beats capitals.
            if !groups[g].gazetteerName {
                if groups[g].nameIsCaps && !isCaps || words > groups[g].nameWords && (isCaps == groups[g].nameIsCaps || !isCaps) {
                    groups[g].name = mentionText()
                    groups[g].nameWords = words
                    groups[g].nameIsCaps = isCaps
                    if c.kind == .person {
                        groups[g].firstHash = firstHash
                        groups[g].lastHash = lastHash
                    }
                }
            }
            for title in c.titles where !groups[g].titles.contains(title) { groups[g].titles.append(title) }
        }
        // Pronouns join their antecedent's entity.
        for index in candidates.indices where candidates[index].pronoun {
            guard let target = candidates[index].canonical.flatMap({ Int($0) }), candidateGroup[target] >= 0 else { continue }
            let g = candidateGroup[target]
            candidateGroup[index] = g
            groups[g].members.append(index)
        }
        // Role phrases without a name ("the US President") go to the one person carrying that bare role.
        for standalone in pass.standaloneTitles {
            var match: Int? = nil
            var count = 0
            for (g, group) in groups.enumerated() where group.kind == .person {
                var bare = false
                var conflicting = false
                for title in group.titles {
                    let words = title.split(separator: " ")
                    guard let head = words.last, NameHash.phrase(head).hash == standalone.head else { continue }
                    if words.count == 1 { bare = true } else if title != standalone.text { conflicting = true }
                }
                if bare && !conflicting {
                    match = g
                    count += 1
                }
            }
            if count == 1, let match, !groups[match].titles.contains(standalone.text) {
                groups[match].titles.append(standalone.text)
            }
        }
        // Salience: mentions, weighted up early in the article; nationalities and others count half.
        let sentences = max(1, pass.sentenceCount)
        var total = 0.0
        for g in groups.indices {
            var score = 0.0
            for member in groups[g].members {
                let sentence = info[candidates[member].first].sentence
                score += 1.0 + (sentence == 0 ? 1.0 : 0) + 0.5 * (1.0 - Double(sentence) / Double(sentences))
            }
            if groups[g].kind == .nationality || groups[g].kind == .other { score *= 0.5 }
            groups[g].score = score
            total += score
        }
        var result: [Entity] = []
        let firstToken = groups.map { group in group.members.reduce(Int.max) { min($0, candidates[$1].first) } }
        let ordered = groups.indices.filter { !groups[$0].members.isEmpty }.sorted { firstToken[$0] < firstToken[$1] }
        for g in ordered {
            let group = groups[g]
            var mentions: [Mention] = []
            // Members are mostly in token order already (then the stable sort would return them as they are).
            let members = group.members
            let inOrder = zip(members, members.dropFirst()).allSatisfy { candidates[$0].first <= candidates[$1].first }
            for member in inOrder ? members : members.sorted(by: { candidates[$0].first < candidates[$1].first }) {
                let c = (first: candidates[member].first, last: candidates[member].last)
                let start = info[c.first].start
                // One mention per start: members are in token order and a token has one start, so a repeated
                // start is the previous mention's.
                if let previous = mentions.last, previous.start == start { continue }
                let end = info[c.last].coreEnd
                mentions.append(Mention(start: start, end: end, text: pass.text(start, end)))
            }
            // A bare role ("President") is dropped when a fuller title ends with it.
            let titles = group.titles.filter { title in
                !group.titles.contains { $0 != title && $0.hasSuffix(" " + title) }
            }
            let salience = total > 0 ? (group.score / total * 1000).rounded() / 1000 : 0
            let type: Entity.Kind
            switch group.kind {
            case .person: type = .person
            case .organization: type = .organization
            case .location: type = .location
            case .nationality: type = .nationality
            case .other: type = .other
            }
            result.append(
                Entity(id: "e\(result.count + 1)", name: group.name, type: type, titles: titles, salience: salience, mentions: mentions))
        }
        return result
    }

    /// `NameHash.phrase` of the text start..<end without building it, or nil when the text has a code point
    /// that could join a space into a grapheme cluster (then `phrase`'s Character split decides).
    private static func scalarPhraseHash(_ s: [Unicode.Scalar], _ start: Int, _ end: Int) -> UInt64? {
        s.withUnsafeBufferPointer { s in
            var result: UInt64 = 0
            var count = 0
            var hash = NameHash.seed
            var inWord = false
            for index in start..<end {
                let scalar = s[index]
                if scalar.value >= 0x300 { return nil }
                if scalar.value == 0x20 {
                    if inWord {
                        result = count == 0 ? hash : NameHash.extend(result, with: hash)
                        count += 1
                        inWord = false
                        hash = NameHash.seed
                    }
                    continue
                }
                inWord = true
                NameHash.add(&hash, scalar)
            }
            if inWord { result = count == 0 ? hash : NameHash.extend(result, with: hash) }
            return result
        }
    }
}
