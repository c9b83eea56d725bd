/// The date grammar over one document's tokens. Hand-written, longest match at each candidate token.
struct DateGrammar {
    let s: [Unicode.Scalar]
    let tokens: [Token]
    let anchor: CalendarDate?
    let lexicon: DateLexicon
    var kinds: [DateToken]
    /// Tokens read without their possessive "'s" ("Friday's"): a date ends there, before the "'s".
    var possessive: [Bool]
    /// Per sentence: 0 not yet known, 1 future, 2 past, 3 neither.
    var tense: [UInt8]
    /// Whether the document talks about quarters (a financial report): then "a year ago" is a quarter.
    let quarterly: Bool

    init(document: Document, lexicon: DateLexicon) {
        s = document.scalars
        tokens = document.tokens
        anchor = document.published
        self.lexicon = lexicon
        tense = [UInt8](repeating: 0, count: document.sentences.count + 1)
        var kinds = [DateToken](repeating: .none, count: document.tokens.count)
        var possessive = [Bool](repeating: false, count: document.tokens.count)
        var quarterly = false
        let s = document.scalars
        for (index, token) in document.tokens.enumerated() {
            var kind = DateGrammar.classify(s, token, lexicon)
            if case .none = kind, token.kind == .word, token.end - token.start >= 4, s[token.end - 1] == "s",
                s[token.end - 2] == "'" || s[token.end - 2] == "’"
            {
                var stem = token
                stem.end -= 2
                kind = DateGrammar.classify(s, stem, lexicon)
                if case .none = kind {} else { possessive[index] = true }
            }
            if case .lex(.unit(.quarter, _)) = kind { quarterly = true }
            if case .quarterAdjective = kind { quarterly = true }
            kinds[index] = kind
        }
        self.kinds = kinds
        self.possessive = possessive
        self.quarterly = quarterly
    }

    // MARK: Token classes

    static func classify(_ s: [Unicode.Scalar], _ token: Token, _ lexicon: DateLexicon) -> DateToken {
        switch token.kind {
        case .number:
            return classifyNumber(s, token.start, token.end, lexicon)
        case .word:
            if let lex = lexicon.lookup(s, token.start, token.end) { return .lex(lex) }
            // Hyphenated compounds: "seventy-nine", "two-week", "third-quarter", "mid-1990s", "year-ago".
            let first = s[token.start]
            guard token.end - token.start <= 24, first.isASCII, first.isLetter else { return .none }
            let hyphen = s.withUnsafeBufferPointer { s in (token.start..<token.end).first { s[$0] == "-" } ?? -1 }
            guard hyphen > token.start else { return .none }
            let head = lexicon.lookup(s, token.start, hyphen)
            let lower = s[token.start].propertyLowercaseMapping
            if head == nil && !(lower == "m" && hyphen - token.start == 3) { return .none }
            return compound(s, token.start, hyphen, token.end, head, lexicon)
        default:
            return .none
        }
    }

    private static func classifyNumber(_ s: [Unicode.Scalar], _ start: Int, _ end: Int, _ lexicon: DateLexicon) -> DateToken {
        var value = 0
        var index = start
        while index < end, Tokenizer.isDigit(s[index]), index - start < 9 {
            value = value * 10 + Int(s[index].value - 0x30)
            index += 1
        }
        let count = index - start
        if index == end { return .digits(value, count: count) }
        let rest = end - index
        if s[index] == "s" && rest == 1 && count == 4 && value % 10 == 0 { return .decade(value / 10) }
        if rest == 2 {
            let a = s[index].propertyLowercaseMapping, b = s[index + 1].propertyLowercaseMapping
            if (a == "t" && b == "h") || (a == "s" && b == "t") || (a == "n" && b == "d") || (a == "r" && b == "d") {
                return .digitOrdinal(value)
            }
        }
        if s[index] == "-" {
            return compound(s, start, index, end, .number(value), lexicon)
        }
        return .none
    }

    /// `s[start..<hyphen]` is the head (`head` its entry); the rest follows the hyphen.
    private static func compound(
        _ s: [Unicode.Scalar], _ start: Int, _ hyphen: Int, _ end: Int, _ head: TimeLex?, _ lexicon: DateLexicon
    ) -> DateToken {
        var second = hyphen + 1
        while second < end, s[second] != "-" { second += 1 }
        let tailStart = hyphen + 1
        guard tailStart < second else { return .none }
        let tail = lexicon.lookup(s, tailStart, second)
        let tailIsEnd = second == end
        switch head {
        case .number(let n)?:
            if case .number(let m)? = tail, tailIsEnd, n >= 20, n % 10 == 0, m < 10 { return .lex(.number(n + m)) }
            if case .unit(let unit, _)? = tail, unit != .weekend, unit != .quarter {
                // "10-year", "8-month-old"; not "two-year-old"… which still is a duration.
                return .durationAdjective(n, unit)
            }
        case .ordinal(let q)?:
            if case .unit(.quarter, _)? = tail, (1...4).contains(q) { return .quarterAdjective(q) }
        case .unit(.second, _)?:
            if case .unit(.quarter, _)? = tail { return .quarterAdjective(2) }
        case .word(.several)?, .word(.few)?, .word(.many)?:
            if case .unit(let unit, _)? = tail { return .durationAdjective(nil, unit) }
        case .unit(.year, false)?:
            if case .word(let w)? = tail, tailIsEnd {
                if w == .ago || w == .earlier { return .yearAgo }
                if w == .end { return .yearEnd }
            }
        case nil, .word(.mid)?:
            // "mid-…"
            let a = s[start].propertyLowercaseMapping, b = s[start + 1].propertyLowercaseMapping
            let c = s[start + 2].propertyLowercaseMapping
            guard a == "m", b == "i", c == "d", tailIsEnd else { return .none }
            if case .month(let m)? = tail { return .midMonth(m) }
            switch classifyNumber(s, tailStart, end, lexicon) {
            case .digits(let y, 4): return .midYear(y)
            case .decade(let d): return .midDecade(d)
            default: return .none
            }
        default:
            break
        }
        return .none
    }

    // MARK: Access

    // Rules look at the tokens before and after the one they match, so these take any index: one before the
    // first token or past the last is nothing (`.none`, nil, false). An article whose first word was "Recent"
    // crashed the daemon when `word(i - 1)` read index -1.

    @inline(__always) func kind(_ i: Int) -> DateToken { i >= 0 && i < kinds.count ? kinds[i] : .none }

    @inline(__always) func word(_ i: Int) -> TimeWord? {
        if i >= 0, i < kinds.count, case .lex(.word(let w)) = kinds[i] { return w }
        return nil
    }

    @inline(__always) func lex(_ i: Int) -> TimeLex? {
        if i >= 0, i < kinds.count, case .lex(let l) = kinds[i] { return l }
        return nil
    }

    func isCapitalized(_ i: Int) -> Bool {
        guard i >= 0, i < tokens.count else { return false }
        let v = s[tokens[i].start].value
        return v >= 0x41 && v <= 0x5A
    }

    /// "Sept", "Dec": a month name cut short (so a following period is part of it).
    func isAbbreviation(_ i: Int, _ m: Int) -> Bool {
        let length = tokens[i].end - tokens[i].start - (possessive[i] ? 2 : 0)
        return length <= 4 && m != 5 && !(length == 4 && (m == 6 || m == 7))
    }

    func isPunctuation(_ i: Int, _ scalar: Unicode.Scalar) -> Bool {
        i < tokens.count && tokens[i].kind == .punctuation && s[tokens[i].start] == scalar
    }

    func sameSentence(_ a: Int, _ b: Int) -> Bool { b < tokens.count && tokens[a].sentence == tokens[b].sentence }

    /// A cardinal at `i` (digits or a number word, "twenty four" too): (value, tokens used).
    func cardinal(_ i: Int) -> (Int, Int)? {
        switch kind(i) {
        case .digits(let n, let count) where count <= 6: return (n, 1)
        case .lex(.number(let n)):
            if n >= 20, n % 10 == 0, case .lex(.number(let m)) = kind(i + 1), m < 10, m > 0 { return (n + m, 2) }
            return (n, 1)
        default: return nil
        }
    }

    // MARK: Tense

    static let edPast = false

    /// 1 future, 2 past, 3 neither, from the words of the sentence.
    mutating func tenseOf(_ i: Int) -> UInt8 {
        let sentence = tokens[i].sentence
        if tense[sentence] != 0 { return tense[sentence] }
        var lo = i, hi = i
        while lo > 0, tokens[lo - 1].sentence == sentence { lo -= 1 }
        while hi + 1 < tokens.count, tokens[hi + 1].sentence == sentence { hi += 1 }
        var future = false, past = false
        for index in lo...hi where tokens[index].kind == .word {
            if let w = word(index) {
                switch w {
                case .will, .shall, .scheduled, .upcoming, .expected, .expects, .plans, .planned, .due, .next, .going,
                    .tomorrow, .coming:
                    future = true
                case .was, .were, .had, .did, .ago, .last, .yesterday:
                    past = true
                default: break
                }
                continue
            }
            let t = tokens[index]
            let n = t.end - t.start
            if n >= 4 {
                let a = s[t.end - 2], b = s[t.end - 1], c = s[t.end - 3]
                if c == "’" || c == "'", a == "l", b == "l" { future = true }
                if DateGrammar.edPast, a == "e" && b == "d" { past = true }
            }
        }
        let value: UInt8 = future ? 1 : (past ? 2 : 3)
        tense[sentence] = value
        return value
    }

    /// Whether a future auxiliary is close before (or just after) token `at`: "will meet Friday".
    func futureNear(_ at: Int) -> Bool {
        let sentence = tokens[at].sentence
        var index = max(0, at - 10)
        while index < min(tokens.count, at + 4) {
            defer { index += 1 }
            guard tokens[index].sentence == sentence, tokens[index].kind == .word else { continue }
            if let w = word(index) {
                switch w {
                case .will, .shall, .scheduled, .upcoming, .plans, .planned, .going: return true
                default: continue
                }
            }
            let t = tokens[index]
            if t.end - t.start >= 4, s[t.end - 1] == "l", s[t.end - 2] == "l", s[t.end - 3] == "'" || s[t.end - 3] == "’" {
                return true
            }
        }
        return false
    }

    // MARK: Scan

    mutating func scan() -> [DateHit] {
        var hits: [DateHit] = []
        var i = 0
        while i < kinds.count {
            if case .none = kinds[i] {
                i += 1
                continue
            }
            if var hit = match(i) {
                // Keep within the sentence and never empty.
                if hit.end <= hit.start { hit.end = hit.start + 1 }
                // Nothing after a possessive belongs to the date, except "this year's third quarter".
                if let cut = (hit.start..<hit.end - 1).first(where: { possessive[$0] }), !hit.keepsPossessive { hit.end = cut + 1 }
                hits.append(hit)
                i = hit.end
            } else {
                i += 1
            }
        }
        return hits
    }

    /// Approximators kept in the span: "nearly", "more than", "at least", "up to", "no more than".
    func approximator(_ i: Int) -> Int {
        guard let w = word(i) else { return 0 }
        switch w {
        case .nearly, .almost, .about, .around, .roughly, .approximately:
            return 1
        case .more, .less:
            return word(i + 1) == .than ? 2 : 0
        case .up:
            return word(i + 1) == .to ? 2 : 0
        case .at:
            return word(i + 1) == .least ? 2 : 0
        case .no:
            return word(i + 1) == .more && word(i + 2) == .than ? 3 : 0
        default:
            return 0
        }
    }

    mutating func match(_ i: Int) -> DateHit? {
        let k = approximator(i)
        if k > 0, sameSentence(i, i + k), var hit = core(i + k) {
            hit.start = i
            return hit
        }
        return core(i)
    }

    mutating func core(_ i: Int) -> DateHit? {
        switch kind(i) {
        case .none:
            return nil
        case .digits(let n, let count):
            return numberExpression(i, n, count)
        case .decade(let d):
            return DateHit(start: i, end: i + 1, type: .date, value: String(d))
        case .digitOrdinal(let n):
            if case .lex(.unit(.century, false)) = kind(i + 1) {
                return DateHit(start: i, end: i + 2, type: .date, value: Timex.pad(n - 1, 2))
            }
            return nil
        case .durationAdjective(let n, let unit):
            return DateHit(start: i, end: i + 1, type: .duration, value: Timex.duration(n, unit))
        case .quarterAdjective(let q):
            return quarterPhrase(i, i + 1, q)
        case .midYear(let y):
            return DateHit(start: i, end: i + 1, type: .date, value: Timex.year(y))
        case .midDecade(let d):
            return DateHit(start: i, end: i + 1, type: .date, value: String(d))
        case .midMonth(let m):
            guard let (end, value) = monthValue(i, m, after: i + 1) else { return nil }
            return DateHit(start: i, end: end, type: .date, value: value)
        case .yearAgo:
            return DateHit(start: i, end: i + 1, type: .date, value: yearAgoValue())
        case .yearEnd:
            guard let a = anchor else { return DateHit(start: i, end: i + 1, type: .date, value: nil) }
            return DateHit(start: i, end: i + 1, type: .date, value: "\(Timex.year(a.year))-12-31")
        case .lex(let lex):
            return lexExpression(i, lex)
        }
    }

    // MARK: Numbers

    mutating func numberExpression(_ i: Int, _ n: Int, _ count: Int) -> DateHit? {
        // Clock times: "10 a.m.", "7:15 p.m.".
        if count <= 2, n >= 1, n <= 12 || isPunctuation(i + 1, ":") {
            if let hit = clock(i, n) { return hit }
        }
        // "7 December [1998]".
        if count <= 2, (1...31).contains(n), case .lex(.month(let m)) = kind(i + 1), isCapitalized(i + 1) {
            var end = i + 2
            if isAbbreviation(i + 1, m), isPunctuation(end, ".") { end += 1 }
            if case .digits(let y, 4) = kind(end) {
                return DateHit(start: i, end: end + 1, type: .date, value: dayValue(y, m, n))
            }
            return DateHit(start: i, end: end, type: .date, value: resolveDay(i, m, n))
        }
        // Durations and "two years ago".
        if count <= 6, let hit = countedUnit(i, i, n, 1) { return hit }
        // Years.
        if count == 4, (1000...2099).contains(n), n >= 1200 {
            if i > 0, isPunctuation(i - 1, "$") || isPunctuation(i - 1, "#") { return nil }
            if i > 0, case .lex(.month) = kind(i - 1) { return nil }
            if case .lex(.unit) = kind(i + 1) { return nil }
            var end = i + 1
            if word(end) == .or && word(end + 1) == .later { end += 2 }
            return DateHit(start: i, end: end, type: .date, value: Timex.year(n))
        }
        return nil
    }

    /// "N unit[s]" at `numberAt` (its cardinal value `n`, spanning `length` tokens); the hit starts at `start`.
    mutating func countedUnit(_ start: Int, _ numberAt: Int, _ n: Int?, _ length: Int) -> DateHit? {
        var j = numberAt + length
        // "two more years", "20 more years".
        if word(j) == .more || word(j) == .full { j += 1 }
        guard case .lex(.unit(let unit, let plural)) = kind(j), sameSentence(start, j) else { return nil }
        if n == 1 && plural { return nil }
        if let n, n > 1, !plural, unit == .weekend { return nil }
        var end = j + 1
        // "a minute and a half"; "two and a half years" is rarer.
        if word(end) == .and, word(end + 1) == .a, word(end + 2) == .half, let n, unit == .minute {
            return DateHit(start: start, end: end + 3, type: .duration, value: "PT\(n)M30S")
        }
        if word(end) == .ago || (word(end) == .earlier && !plural && n == 1) || (word(end) == .or && word(end + 1) == .so && word(end + 2) == .ago) {
            if word(end) == .or { end += 2 }
            return DateHit(start: start, end: end + 1, type: .date, value: agoValue(n, unit))
        }
        if word(end) == .ahead { end += 1 }
        if unit == .year, end < tokens.count, tokens[end].kind == .word, tokens[end].end - tokens[end].start == 3,
            s[tokens[end].start] == "o", s[tokens[end].start + 1] == "l", s[tokens[end].start + 2] == "d"
        {
            return nil
        }
        if case .lex(.unit(.year, _)) = kind(j), word(end) == .or, case .digits = kind(end + 1) {}
        return DateHit(start: start, end: end, type: .duration, value: Timex.duration(n, unit))
    }

    func agoValue(_ n: Int?, _ unit: TimeUnit) -> String? {
        guard let n else { return "PAST_REF" }
        guard let a = anchor else { return nil }
        switch unit {
        case .year:
            if n == 1 && quarterly { return yearAgoValue() }
            return Timex.year(a.year - n)
        case .month:
            let (y, m) = Timex.shift(a.year, a.month, by: -n)
            return Timex.month(y, m)
        case .week: return Timex.day(a.adding(days: -7 * n))
        case .day: return Timex.day(a.adding(days: -n))
        case .decade: return String((a.year - 10 * n) / 10)
        case .quarter:
            let (y, m) = Timex.shift(a.year, a.month, by: -3 * n)
            return Timex.quarter(y, (m - 1) / 3 + 1)
        default: return "PAST_REF"
        }
    }

    /// The week a news day refers to: on a Sunday, "this week" is the one starting the next day.
    func weekAnchor(_ a: CalendarDate) -> CalendarDate { a.weekday == 7 ? a.adding(days: 1) : a }

    /// "a year ago" in a quarterly report: the same quarter of the year before.
    func yearAgoValue() -> String? {
        guard let a = anchor else { return nil }
        if quarterly {
            let (y, q) = latestQuarter(a)
            return Timex.quarter(y - 1, q)
        }
        return Timex.year(a.year - 1)
    }

    /// The latest quarter that has ended by the anchor.
    func latestQuarter(_ a: CalendarDate) -> (Int, Int) {
        let current = (a.month - 1) / 3 + 1
        return current == 1 ? (a.year - 1, 4) : (a.year, current - 1)
    }

    mutating func clock(_ i: Int, _ hour: Int) -> DateHit? {
        var j = i + 1
        var minute = 0
        if isPunctuation(j, ":"), case .digits(let mm, 2) = kind(j + 1), mm < 60 {
            minute = mm
            j += 2
        }
        var h = hour
        switch word(j) {
        case .am?, .am2?:
            if h == 12 { h = 0 }
        case .pm?, .pm2?:
            if h < 12 { h += 12 }
        default:
            guard j > i + 1, hour <= 23 else { return nil }
            // "10:00 UTC": the zone is part of the time, as after "a.m." below.
            if let zone = word(j), TimeWord.zones.contains(zone) { j += 1 }
            return timeWithDay(i, j, hour, minute)
        }
        j += 1
        if isPunctuation(j, "."), j == i + 2 {}
        if let zone = word(j), TimeWord.zones.contains(zone) { j += 1 }
        return timeWithDay(i, j, h, minute)
    }

    /// A clock time at `start..<end`, with a day before it ("Wednesday at 10 a.m." is left to the weekday) or
    /// after it ("10 p.m. Wednesday", "noon Thursday", "9 p.m. EST Nov. 9").
    mutating func timeWithDay(_ start: Int, _ end: Int, _ h: Int, _ m: Int) -> DateHit {
        let clockText = "T\(Timex.pad(h, 2)):\(Timex.pad(m, 2))"
        var j = end
        if isPunctuation(j, ",") { j += 1 }
        if sameSentence(start, j), let day = dayAt(j) {
            return DateHit(start: start, end: day.end, type: .time, value: day.value.map { $0 + clockText })
        }
        return DateHit(start: start, end: end, type: .time, value: anchor.map { $0.iso + clockText })
    }

    /// A day expression at `j` ("Wednesday", "today", "yesterday", "Nov. 9"): its end and day value.
    mutating func dayAt(_ j: Int) -> (end: Int, value: String?)? {
        switch kind(j) {
        case .lex(.weekday(let d)) where isCapitalized(j):
            return (j + 1, resolveWeekday(j, d, 0))
        case .lex(.word(.today)): return (j + 1, anchor.map(\.iso))
        case .lex(.word(.yesterday)): return (j + 1, anchor?.adding(days: -1).iso)
        case .lex(.word(.tomorrow)): return (j + 1, anchor?.adding(days: 1).iso)
        case .lex(.month(let m)) where isCapitalized(j):
            var k = j + 1
            if isPunctuation(k, ".") { k += 1 }
            if case .digits(let d, let c) = kind(k), c <= 2, (1...31).contains(d) {
                return (k + 1, resolveDay(j, m, d))
            }
            return nil
        default: return nil
        }
    }

    // MARK: Calendar resolution

    /// A month and day without a year: the year of the anchor, moved back when the sentence speaks of the
    /// past and the day would be later than the anchor, forward when it speaks of the future.
    mutating func resolveDay(_ at: Int, _ m: Int, _ d: Int) -> String? {
        guard anchor != nil else { return nil }
        return dayValue(yearOfMonth(at, m), m, d)
    }

    /// The year of a month named without one: the nearer of its last and next occurrence when that is
    /// within a quarter of the anchor; otherwise as the sentence's tense implies (ahead only for the future).
    mutating func yearOfMonth(_ at: Int, _ m: Int) -> Int {
        guard let a = anchor else { return 0 }
        let forward = (m - a.month + 12) % 12
        if forward == 0 { return a.year }
        let back = 12 - forward
        let t = tenseOf(at)
        let ahead: Bool
        if forward <= 3 && t != 2 {
            ahead = true
        } else if back <= 3 && t != 1 {
            ahead = false
        } else {
            ahead = t == 1
        }
        return ahead ? (m > a.month ? a.year : a.year + 1) : (m < a.month ? a.year : a.year - 1)
    }

    func dayValue(_ y: Int, _ m: Int, _ d: Int) -> String? {
        guard (1...31).contains(d) else { return nil }
        return "\(Timex.pad(y, 4))-\(Timex.pad(m, 2))-\(Timex.pad(d, 2))"
    }

    mutating func resolveMonth(_ at: Int, _ m: Int) -> String? {
        guard anchor != nil else { return nil }
        return Timex.month(yearOfMonth(at, m), m)
    }

    /// `direction`: -1 the last one (not today), 1 the next one (not today), 0 as the tense implies.
    mutating func resolveWeekday(_ at: Int, _ d: Int, _ direction: Int) -> String? {
        guard let a = anchor else { return nil }
        var dir = direction
        if dir == 0 { dir = futureNear(at) ? 1 : -1 }
        if dir < 0 {
            var delta = (a.weekday - d + 7) % 7
            if delta == 0 && direction != 0 { delta = 7 }
            return a.adding(days: -delta).iso
        }
        var delta = (d - a.weekday + 7) % 7
        if delta == 0 && direction != 0 { delta = 7 }
        return a.adding(days: delta).iso
    }

    /// A month name at `after - 1` (already consumed) maybe followed by a day or a year.
    mutating func monthValue(_ at: Int, _ m: Int, after: Int) -> (Int, String?)? {
        var j = after
        if case .digits(let y, 4) = kind(j), sameSentence(at, j) { return (j + 1, Timex.month(y, m)) }
        if word(j) == .of, case .digits(let y, 4) = kind(j + 1) { return (j + 2, Timex.month(y, m)) }
        if let rel = relativeYear(j) { return (rel.end, rel.year.map { Timex.month($0, m) }) }
        j = after
        return (j, resolveMonth(at, m))
    }

    /// "this year", "last year", "next year" at `j`: the end and the year.
    func relativeYear(_ j: Int) -> (end: Int, year: Int?)? {
        guard let w = word(j), case .lex(.unit(.year, false)) = kind(j + 1) else { return nil }
        let offset: Int
        switch w {
        case .this: offset = 0
        case .last, .past, .previous: offset = -1
        case .next, .coming: offset = 1
        default: return nil
        }
        return (j + 2, anchor.map { $0.year + offset })
    }

    // MARK: Words

    mutating func lexExpression(_ i: Int, _ lex: TimeLex) -> DateHit? {
        switch lex {
        case .month(let m):
            guard isCapitalized(i) else { return nil }
            return monthExpression(i, i, m)
        case .weekday(let d):
            guard isCapitalized(i) else { return nil }
            return weekdayExpression(i, i, d, 0)
        case .number(let n):
            guard let (value, length) = cardinal(i) else { return nil }
            // Spoken years: "nineteen ninety-six".
            if n == 19 || n == 20, let (rest, l2) = cardinal(i + 1), rest >= 10, rest < 100, length == 1 {
                return DateHit(start: i, end: i + 1 + l2, type: .date, value: Timex.year(n * 100 + rest))
            }
            if n == 2 || n == 1, length == 1, word(i + 1) == .thousand, kind(i + 2) == .none || word(i + 2) != nil {
                if case .lex(.unit) = kind(i + 2) {} else if word(i - 1) == .year {
                    return nil
                }
            }
            return countedUnit(i, i, value, length)
        case .ordinal(let q):
            if case .lex(.unit(.quarter, false)) = kind(i + 1), (1...4).contains(q) { return quarterPhrase(i, i + 2, q) }
            return nil
        case .unit(let unit, let plural):
            return bareUnit(i, unit, plural)
        case .word(let w):
            return wordExpression(i, w)
        }
    }

    mutating func monthExpression(_ start: Int, _ i: Int, _ m: Int) -> DateHit? {
        var j = i + 1
        let abbreviated = isAbbreviation(i, m) && isPunctuation(j, ".")
        if abbreviated { j += 1 }
        // "May" alone is too often the verb; other months stand alone.
        if case .digits(let d, let count) = kind(j), count <= 2, (1...31).contains(d), sameSentence(i, j) {
            var end = j + 1
            if isPunctuation(end, ","), case .digits(let y, 4) = kind(end + 1) {
                return DateHit(start: start, end: end + 2, type: .date, value: dayValue(y, m, d))
            }
            if case .digits(let y, 4) = kind(end) {
                return DateHit(start: start, end: end + 1, type: .date, value: dayValue(y, m, d))
            }
            end = j + 1
            return DateHit(start: start, end: end, type: .date, value: resolveDay(i, m, d))
        }
        if case .digitOrdinal(let d) = kind(j), (1...31).contains(d) {
            return DateHit(start: start, end: j + 1, type: .date, value: resolveDay(i, m, d))
        }
        if case .lex(.ordinal(let d)) = kind(j) {
            return DateHit(start: start, end: j + 1, type: .date, value: resolveDay(i, m, d))
        }
        if abbreviated {
            // "Dec." with nothing after it is rarely a date.
            guard case .digits(_, 4) = kind(j) else { return nil }
        }
        if m == 5 && start == i {
            guard i > 0, let w = word(i - 1), [.in, .since, .until, .by, .of, .early, .late, .last, .next, .this].contains(w)
                || kind(i + 1) != .none
            else { return nil }
            if case .digits(_, 4) = kind(i + 1) {} else if word(i + 1) != .last && word(i + 1) != .this && word(i + 1) != .next {
                guard let w = word(i - 1), [.in, .since, .until, .by, .early, .late].contains(w) else { return nil }
            }
        }
        guard let (end, value) = monthValue(i, m, after: i + 1) else { return nil }
        return DateHit(start: start, end: end, type: .date, value: value)
    }

    mutating func weekdayExpression(_ start: Int, _ i: Int, _ d: Int, _ direction: Int) -> DateHit? {
        var j = i + 1
        // "Saturday, April 25", "Friday Oct. 23".
        var k = j
        if isPunctuation(k, ",") { k += 1 }
        if case .lex(.month(let m)) = kind(k), isCapitalized(k), sameSentence(i, k), let hit = monthExpression(start, k, m),
            hit.end > k + 1
        {
            return hit
        }
        let base = resolveWeekday(i, d, direction)
        // "Tuesday night", "Thursday evening".
        if let part = partOfDay(j) {
            if case .lex(.unit(.weekend, _)) = kind(j) {} else {
                let plural = tokens[j].end - tokens[j].start > 2 && s[tokens[j].end - 1] == "s"
                if plural {
                    return DateHit(start: start, end: j + 1, type: .set, value: "XXXX-WXX-\(d)\(part)")
                }
                return DateHit(start: start, end: j + 1, type: .time, value: base.map { $0 + part })
            }
        }
        // "Wednesday at 10 a.m."
        if word(j) == .at, case .digits(let h, let c) = kind(j + 1), c <= 2, var hit = clock(j + 1, h), hit.type == .time {
            hit.start = start
            if let base, let v = hit.value, let t = v.firstIndex(of: "T") { hit.value = base + v[t...] }
            return hit
        }
        j = i + 1
        return DateHit(start: start, end: j, type: .date, value: base)
    }

    /// "morning" → "TMO", …; nil when the token is not a part of the day.
    func partOfDay(_ j: Int) -> String? {
        guard let w = word(j) else {
            if j < tokens.count, tokens[j].kind == .word {
                // "nights", "mornings"
                let t = tokens[j]
                if t.end - t.start > 5, s[t.end - 1] == "s" {
                    if let inner = lexicon.lookup(s, t.start, t.end - 1), case .word(let w) = inner { return partCode(w) }
                }
            }
            return nil
        }
        return partCode(w)
    }

    func partCode(_ w: TimeWord) -> String? {
        switch w {
        case .morning: return "TMO"
        case .afternoon: return "TAF"
        case .evening: return "TEV"
        case .night, .tonight, .overnight: return "TNI"
        default: return nil
        }
    }

    /// "the third quarter [of 1998]", "third-quarter", "the fiscal first quarter"; `after` follows "quarter".
    mutating func quarterPhrase(_ start: Int, _ after: Int, _ q: Int) -> DateHit? {
        var end = after
        var year: Int?
        if word(end) == .of {
            var k = end + 1
            if word(k) == .fiscal { k += 1 }
            if case .digits(let y, 4) = kind(k) {
                year = y
                end = k + 1
            } else if let rel = relativeYear(k) {
                year = rel.year
                end = rel.end
            }
        } else if case .digits(let y, 4) = kind(end), tokens[end].sentence == tokens[start].sentence, false {
            year = y
        }
        if year == nil, let a = anchor {
            let t = tenseOf(start)
            year = a.year
            // A quarter that has not started yet is last year's, unless the sentence looks ahead.
            if (q - 1) * 3 + 1 > a.month, t != 1 { year = a.year - 1 }
            if start > 0, let p = previousYearHint(start) { year = p }
        }
        return DateHit(start: start, end: end, type: .date, value: year.map { Timex.quarter($0, q) })
    }

    /// "1998 third quarter", "this year's third quarter": a year just before the quarter words.
    func previousYearHint(_ start: Int) -> Int? {
        if case .digits(let y, 4) = kind(start - 1), (1900...2099).contains(y) { return y }
        return nil
    }

    mutating func bareUnit(_ i: Int, _ unit: TimeUnit, _ plural: Bool) -> DateHit? {
        if plural, unit == .year || unit == .month || unit == .week || unit == .day || unit == .decade || unit == .century {
            // "for years", "within weeks", "in months".
            if i > 0, let w = word(i - 1), w == .for || w == .within {
                return DateHit(start: i, end: i + 1, type: .duration, value: Timex.duration(nil, unit))
            }
        }
        return nil
    }

    // MARK: Function and temporal words

    mutating func wordExpression(_ i: Int, _ w: TimeWord) -> DateHit? {
        let a = anchor
        switch w {
        case .today:
            if let part = partOfDay(i + 1) {
                return DateHit(start: i, end: i + 2, type: .time, value: a.map { $0.iso + part })
            }
            return DateHit(start: i, end: i + 1, type: .date, value: a?.iso)
        case .yesterday, .tomorrow:
            let day = a?.adding(days: w == .yesterday ? -1 : 1)
            if let part = partOfDay(i + 1) {
                return DateHit(start: i, end: i + 2, type: .time, value: day.map { $0.iso + part })
            }
            return DateHit(start: i, end: i + 1, type: .date, value: day?.iso)
        case .tonight:
            return DateHit(start: i, end: i + 1, type: .time, value: a.map { $0.iso + "TNI" })
        case .overnight:
            return nil
        case .now, .currently, .nowadays:
            // "now that" is a conjunction but still PRESENT_REF in TimeBank; keep.
            return DateHit(start: i, end: i + 1, type: .date, value: "PRESENT_REF")
        case .current:
            if case .lex(.unit(let u, false)) = kind(i + 1) {
                return relativeUnit(i, i + 1, u, 0)
            }
            if word(i + 1) == .fiscal, case .lex(.unit(.year, false)) = kind(i + 2) {
                return DateHit(start: i, end: i + 3, type: .date, value: a.map { Timex.year($0.year) })
            }
            return DateHit(start: i, end: i + 1, type: .date, value: "PRESENT_REF")
        case .previously, .formerly:
            return nil
        case .recently:
            if i > 0, word(i - 1) == .more, w == .recently {
                return DateHit(start: i - 1, end: i + 1, type: .date, value: "PAST_REF")
            }
            return DateHit(start: i, end: i + 1, type: .date, value: "PAST_REF")
        case .soon:
            if i > 0, word(i - 1) == .as { return nil }
            return DateHit(start: i, end: i + 1, type: .date, value: "FUTURE_REF")
        case .recent:
            if case .lex(.unit(let u, true)) = kind(i + 1) {
                if u == .year || u == .day {
                    return DateHit(start: i, end: i + 2, type: .date, value: "PAST_REF")
                }
                return DateHit(start: i, end: i + 2, type: .duration, value: Timex.duration(nil, u))
            }
            if case .lex(.unit) = kind(i + 1) { return nil }
            if word(i - 1) == .most || word(i - 1) == .more { return nil }
            return DateHit(start: i, end: i + 1, type: .date, value: "PAST_REF")
        case .noon, .midnight:
            let h = w == .noon ? 12 : 0
            return timeWithDay(i, i + 1, h, 0)
        case .daily:
            return nil
        case .weekly, .biweekly:
            return DateHit(start: i, end: i + 1, type: .set, value: w == .weekly ? "P1W" : "P2W")
        case .monthly:
            return DateHit(start: i, end: i + 1, type: .set, value: "P1M")
        case .annually, .yearly:
            return nil
        case .hourly:
            return DateHit(start: i, end: i + 1, type: .set, value: "PT1H")
        case .each, .every:
            return setExpression(i)
        case .fiscal:
            var j = i + 1
            if case .lex(.unit(.year, false)) = kind(j) { j += 1 }
            if case .digits(let y, let c) = kind(j), c == 4 || c == 2 {
                let year = c == 2 ? (y < 50 ? 2000 + y : 1900 + y) : y
                return DateHit(start: i, end: j + 1, type: .date, value: Timex.year(year))
            }
            if case .lex(.ordinal(let q)) = kind(i + 1), case .lex(.unit(.quarter, false)) = kind(i + 2), (1...4).contains(q) {
                return quarterPhrase(i, i + 3, q)
            }
            return nil
        case .the:
            return theExpression(i)
        case .a, .an:
            return aExpression(i)
        case .this, .last, .next, .coming, .past, .previous, .that:
            return relativeExpression(i, i, w)
        case .early, .late, .mid, .earlier, .later:
            return modifiedExpression(i, w)
        case .full:
            if i > 0, word(i - 1) == .the, case .lex(.unit(.year, false)) = kind(i + 1) {
                return DateHit(start: i - 1, end: i + 2, type: .date, value: anchor.map { Timex.year($0.year) })
            }
            return nil
        case .few, .several, .couple, .some, .many:
            var j = i + 1
            if w == .couple, word(j) == .of { j += 1 }
            if case .lex(.unit(_, true)) = kind(j) {
                let n: Int? = w == .couple ? 2 : nil
                if w == .some || w == .many, case .lex(.unit(.year, true)) = kind(j) {
                    return DateHit(start: i, end: j + 1, type: .duration, value: "PXY")
                }
                return countedUnit(i, j - 1, n, 1)
            }
            if w == .several || w == .few, case .durationAdjective = kind(j) {}
            return nil
        case .nineties, .eighties, .seventies, .sixties, .fifties:
            return nil
        case .future:
            return nil
        case .winter, .spring, .summer, .fall, .autumn:
            return nil
        default:
            return nil
        }
    }

    func seasonCode(_ w: TimeWord?) -> String? {
        switch w {
        case .winter?: return "WI"
        case .spring?: return "SP"
        case .summer?: return "SU"
        case .fall?, .autumn?: return "FA"
        default: return nil
        }
    }

    mutating func setExpression(_ i: Int) -> DateHit? {
        let j = i + 1
        switch kind(j) {
        case .lex(.unit(let u, false)):
            if u == .weekend { return DateHit(start: i, end: j + 1, type: .set, value: "XXXX-WXX-WE") }
            return DateHit(start: i, end: j + 1, type: .set, value: Timex.duration(1, u))
        case .lex(.weekday(let d)):
            return DateHit(start: i, end: j + 1, type: .set, value: "XXXX-WXX-\(d)")
        case .lex(.month(let m)) where isCapitalized(j):
            return DateHit(start: i, end: j + 1, type: .set, value: "XXXX-\(Timex.pad(m, 2))")
        case .lex(.word(let w)):
            if let season = seasonCode(w) { return DateHit(start: i, end: j + 1, type: .set, value: "XXXX-\(season)") }
            if let part = partCode(w) { return DateHit(start: i, end: j + 1, type: .set, value: "XXXX-XX-XX\(part)") }
            return nil
        default:
            if let (n, l) = cardinal(j), case .lex(.unit(let u, true)) = kind(j + l) {
                return DateHit(start: i, end: j + l + 1, type: .set, value: Timex.duration(n, u))
            }
            return nil
        }
    }

    /// "the …".
    mutating func theExpression(_ i: Int) -> DateHit? {
        let j = i + 1
        guard sameSentence(i, j) else { return nil }
        switch kind(j) {
        case .decade(let d):
            return DateHit(start: i, end: j + 1, type: .date, value: String(d))
        case .digitOrdinal(let n):
            if case .lex(.unit(.century, false)) = kind(j + 1) {
                return DateHit(start: i, end: j + 2, type: .date, value: Timex.pad(n - 1, 2))
            }
            return nil
        case .quarterAdjective:
            return nil
        case .yearAgo:
            if case .lex(.unit(.quarter, false)) = kind(j + 1) {
                return DateHit(start: i, end: j + 2, type: .date, value: yearAgoValue())
            }
            if word(j + 1) == .period {
                return DateHit(start: i, end: j + 2, type: .date, value: yearAgoValue())
            }
            return nil
        case .digits(let n, let c):
            if let hit = countedUnit(i, j, n, 1) { return extendDurationWithThe(hit) }
            if c == 4, (1900...2099).contains(n) {
                if case .lex(.ordinal(let q)) = kind(j + 1), case .lex(.unit(.quarter, false)) = kind(j + 2), (1...4).contains(q) {
                    return DateHit(start: i, end: j + 3, type: .date, value: Timex.quarter(n, q))
                }
                if case .lex(.unit(.quarter, false)) = kind(j + 1), let a = anchor {
                    _ = a
                    return nil
                }
            }
            return nil
        case .lex(let lex):
            switch lex {
            case .number:
                guard let (n, l) = cardinal(j) else { return nil }
                if n == 19 || n == 20 { return nil }
                if let hit = countedUnit(i, j, n, l) { return extendDurationWithThe(hit) }
                return nil
            case .ordinal(let q):
                if case .lex(.unit(.quarter, false)) = kind(j + 1), (1...4).contains(q) { return quarterPhrase(i, j + 2, q) }
                if case .lex(.unit(.century, false)) = kind(j + 1) {
                    return DateHit(start: i, end: j + 2, type: .date, value: Timex.pad(q - 1, 2))
                }
                // "the first nine months", "the first two years".
                if q == 1, let (n, l) = cardinal(j + 1), let hit = countedUnit(i, j + 1, n, l), hit.type == .duration {
                    return hit
                }
                if q == 1, case .lex(.unit(_, true)) = kind(j + 1), let hit = countedUnit(i, j, nil, 1) { return hit }
                return nil
            case .unit(.second, false):
                if case .lex(.unit(.quarter, false)) = kind(j + 1) { return quarterPhrase(i, j + 2, 2) }
                return nil
            case .unit(let u, let plural):
                if u == .weekend, !plural, let a = anchor {
                    return DateHit(start: i, end: j + 1, type: .date, value: weekendValue(i, a))
                }
                if u == .weekend, !plural { return DateHit(start: i, end: j + 1, type: .date, value: nil) }
                if u == .quarter, !plural {
                    return DateHit(start: i, end: j + 1, type: .date, value: anchor.map { a in
                        let (y, q) = latestQuarter(a)
                        return Timex.quarter(y, q)
                    })
                }
                return nil
            case .word(let w):
                switch w {
                case .past, .last, .next, .coming, .previous, .following, .latest, .first:
                    return theRelative(i, j, w)
                case .future:
                    return DateHit(start: i, end: j + 1, type: .date, value: "FUTURE_REF")
                case .near, .short:
                    if word(j + 1) == .future || word(j + 1) == .term {
                        return DateHit(start: i, end: j + 2, type: .date, value: "FUTURE_REF")
                    }
                    return nil
                case .fiscal:
                    if case .lex(.ordinal(let q)) = kind(j + 1), case .lex(.unit(.quarter, false)) = kind(j + 2), (1...4).contains(q) {
                        return quarterPhrase(i, j + 3, q)
                    }
                    return nil
                case .late, .early, .mid:
                    if case .decade(let d) = kind(j + 1) {
                        return DateHit(start: i, end: j + 2, type: .date, value: String(d))
                    }
                    return nil
                case .middle, .end, .beginning, .start:
                    guard word(j + 1) == .of else { return nil }
                    let k = j + 2
                    if case .lex(.month(let m)) = kind(k), isCapitalized(k), let (end, value) = monthValue(k, m, after: k + 1) {
                        return DateHit(start: i, end: end, type: .date, value: value)
                    }
                    if case .digits(let y, 4) = kind(k) {
                        return DateHit(start: i, end: k + 1, type: .date, value: Timex.year(y))
                    }
                    if word(k) == .the, case .lex(.unit(let u, false)) = kind(k + 1), u == .year || u == .month {
                        guard let a = anchor else { return DateHit(start: i, end: k + 2, type: .date, value: nil) }
                        return DateHit(start: i, end: k + 2, type: .date, value: u == .year ? Timex.year(a.year) : Timex.month(a.year, a.month))
                    }
                    if let w2 = word(k), w2 == .this || w2 == .last || w2 == .next, let hit = relativeExpression(k, k, w2) {
                        return DateHit(start: i, end: hit.end, type: hit.type, value: hit.value)
                    }
                    return nil
                case .nineties, .eighties, .seventies, .sixties, .fifties:
                    let d = [TimeWord.fifties: 195, .sixties: 196, .seventies: 197, .eighties: 198, .nineties: 199][w]!
                    return DateHit(start: i, end: j + 1, type: .date, value: String(d))
                case .year:
                    return nil
                case .few, .several:
                    if case .lex(.unit(_, true)) = kind(j + 1) { return countedUnit(i, j, nil, 1) }
                    return nil
                default:
                    if case .lex(.unit(.year, false)) = kind(j), word(j + 1) == nil {}
                    return nil
                }
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// "the" + "two years" keeps the duration and its "the".
    func extendDurationWithThe(_ hit: DateHit) -> DateHit? {
        hit.type == .duration ? hit : nil
    }

    mutating func weekendValue(_ i: Int, _ a: CalendarDate) -> String {
        // The weekend just past, or this one when the day is a Saturday or a Sunday; the coming one ahead.
        if a.weekday >= 6 { return Timex.week(a) + "-WE" }
        if tenseOf(i) == 1 { return Timex.week(a) + "-WE" }
        return Timex.week(a.adding(days: -7)) + "-WE"
    }

    /// "the past three months", "the last decade", "the next few days", "the following year", "the past year".
    mutating func theRelative(_ i: Int, _ j: Int, _ w: TimeWord) -> DateHit? {
        let k = j + 1
        if let (n, l) = cardinal(k), let hit = countedUnit(i, k, n, l), hit.type == .duration { return hit }
        if let q = word(k), q == .few || q == .several || q == .couple, case .lex(.unit(_, true)) = kind(k + 1) {
            if w == .last || w == .past, q == .few {
                // TimeBank marks "the last few months" as PAST_REF, "the past few weeks" as PXW.
            }
            return countedUnit(i, k, nil, 1)
        }
        if w == .latest {
            if case .lex(.unit(.quarter, false)) = kind(k) {
                return DateHit(start: i, end: k + 1, type: .date, value: anchor.map { a in
                    let (y, q) = latestQuarter(a)
                    return Timex.quarter(y, q)
                })
            }
            if word(k) == .period {
                return DateHit(start: i, end: k + 1, type: .date, value: anchor.map { a in
                    let (y, q) = latestQuarter(a)
                    return Timex.quarter(y, q)
                })
            }
            return nil
        }
        if w == .past, word(k) != nil || kind(k) == .none {
            if case .lex(.unit) = kind(k) {} else {
                return DateHit(start: i, end: j + 1, type: .date, value: "PAST_REF")
            }
        }
        if case .lex(.unit(let u, false)) = kind(k) {
            switch w {
            case .last, .past, .previous: return relativeUnit(i, k, u, -1)
            case .next, .coming: return relativeUnit(i, k, u, 1)
            case .following:
                return nil
            default: return nil
            }
        }
        if case .lex(.weekday(let d)) = kind(k), isCapitalized(k) {
            return weekdayExpression(i, k, d, w == .next || w == .following ? 1 : -1)
        }
        return nil
    }

    /// "last week", "this month", "next year", "the past year", "current quarter": unit relative to the anchor.
    func relativeUnit(_ start: Int, _ unitAt: Int, _ unit: TimeUnit, _ offset: Int) -> DateHit? {
        let end = unitAt + 1
        guard let a = anchor else {
            switch unit {
            case .year, .month, .week, .quarter, .decade, .century, .weekend, .day:
                return DateHit(start: start, end: end, type: .date, value: nil)
            default: return nil
            }
        }
        let value: String
        switch unit {
        case .year: value = Timex.year(a.year + offset)
        case .month:
            let (y, m) = Timex.shift(a.year, a.month, by: offset)
            value = Timex.month(y, m)
        case .week: value = Timex.week(weekAnchor(a).adding(days: 7 * offset))
        case .weekend: value = Timex.week(a.adding(days: 7 * offset)) + "-WE"
        case .quarter:
            let (y, m) = Timex.shift(a.year, a.month, by: 3 * offset)
            value = Timex.quarter(y, (m - 1) / 3 + 1)
        case .decade: value = String(a.year / 10 + offset)
        case .century: value = Timex.pad(a.year / 100 + offset, 2)
        case .day: value = a.adding(days: offset).iso
        default: return nil
        }
        return DateHit(start: start, end: end, type: .date, value: value)
    }

    /// "this week", "last May", "next Tuesday", "this summer", "this morning", "last night".
    mutating func relativeExpression(_ start: Int, _ i: Int, _ w: TimeWord) -> DateHit? {
        let j = i + 1
        guard sameSentence(i, j) else { return nil }
        let offset: Int
        switch w {
        case .this, .current: offset = 0
        case .last, .past, .previous: offset = -1
        case .next, .coming: offset = 1
        case .that:
            if case .lex(.unit(let u, false)) = kind(j), u == .year || u == .quarter || u == .month || u == .week || u == .day {
                // Anaphoric: no anchor.
                return nil
            }
            return nil
        default: return nil
        }
        // "this coming Sunday", "this past spring".
        if w == .this, let w2 = word(j), w2 == .coming || w2 == .past {
            if let hit = relativeExpression(start, j, w2) { return hit }
        }
        switch kind(j) {
        case .lex(.unit(let u, false)):
            if w == .past && u != .year && u != .decade && u != .century { return relativeUnit(start, j, u, -1) }
            var hit = relativeUnit(start, j, u, offset)
            // "this year's third quarter", "last year's quarter".
            if u == .year, possessive[j], let h = hit, let y = Int(h.value ?? "") {
                var q = j + 1
                var quarter: Int?
                if case .lex(.ordinal(let n)) = kind(q), (1...4).contains(n) {
                    quarter = n
                    q += 1
                } else if case .lex(.unit(.second, false)) = kind(q) {
                    quarter = 2
                    q += 1
                }
                if case .lex(.unit(.quarter, false)) = kind(q) {
                    let n = quarter ?? anchor.map { latestQuarter($0).1 } ?? 1
                    hit = DateHit(start: start, end: q + 1, type: .date, value: Timex.quarter(y, n), keepsPossessive: true)
                }
            }
            return hit
        case .lex(.month(let m)) where isCapitalized(j):
            guard let a = anchor else { return DateHit(start: start, end: j + 1, type: .date, value: nil) }
            var year = a.year
            if offset < 0 && m >= a.month { year -= 1 }
            if offset > 0 && m <= a.month { year += 1 }
            return DateHit(start: start, end: j + 1, type: .date, value: Timex.month(year, m))
        case .lex(.weekday(let d)) where isCapitalized(j):
            if w == .this { return weekdayExpression(start, j, d, 0) }
            return weekdayExpression(start, j, d, offset)
        case .lex(.word(let w2)):
            if let season = seasonCode(w2) {
                guard let a = anchor else { return DateHit(start: start, end: j + 1, type: .date, value: nil) }
                return DateHit(start: start, end: j + 1, type: .date, value: "\(Timex.year(a.year + offset))-\(season)")
            }
            if let part = partCode(w2) {
                guard let a = anchor else { return DateHit(start: start, end: j + 1, type: .time, value: nil) }
                var day = a
                if w == .last { day = a.adding(days: -1) }
                if w == .next { day = a.adding(days: 1) }
                return DateHit(start: start, end: j + 1, type: .time, value: day.iso + part)
            }
            if w2 == .fiscal, case .lex(.unit(.year, false)) = kind(j + 1) {
                return relativeUnit(start, j + 1, .year, offset)
            }
            return nil
        default:
            if w == .past || w == .last || w == .next {
                if let (n, l) = cardinal(j), let hit = countedUnit(start, j, n, l), hit.type == .duration { return hit }
                if let q = word(j), q == .few || q == .several, case .lex(.unit(_, true)) = kind(j + 1) {
                    return countedUnit(start, j, nil, 1)
                }
            }
            return nil
        }
    }

    /// "early next year", "late last week", "earlier this month", "late yesterday", "early Tuesday", "late 1998".
    mutating func modifiedExpression(_ i: Int, _ w: TimeWord) -> DateHit? {
        let j = i + 1
        guard sameSentence(i, j) else { return nil }
        switch kind(j) {
        case .lex(.word(let w2)):
            switch w2 {
            case .this, .last, .next:
                guard var hit = relativeExpression(j, j, w2) else { return nil }
                hit.start = i
                return hit
            case .today, .yesterday, .tomorrow, .tonight:
                guard var hit = wordExpression(j, w2) else { return nil }
                hit.start = i
                return hit
            default:
                if let part = partCode(w2), w == .later || w == .early || w == .late {
                    _ = part
                }
                return nil
            }
        case .lex(.weekday(let d)) where isCapitalized(j):
            guard var hit = weekdayExpression(j, j, d, 0) else { return nil }
            hit.start = i
            return hit
        case .lex(.month(let m)) where isCapitalized(j):
            guard w == .early || w == .late || w == .mid, var hit = monthExpression(j, j, m) else { return nil }
            hit.start = i
            return hit
        case .digits(let y, 4):
            guard w == .early || w == .late || w == .mid, (1200...2099).contains(y) else { return nil }
            return DateHit(start: i, end: j + 1, type: .date, value: Timex.year(y))
        case .decade(let d):
            guard w == .early || w == .late || w == .mid else { return nil }
            return DateHit(start: i, end: j + 1, type: .date, value: String(d))
        default:
            return nil
        }
    }

    /// "a year ago", "a week", "a few days", "a couple of years", "a year earlier".
    mutating func aExpression(_ i: Int) -> DateHit? {
        let j = i + 1
        guard sameSentence(i, j) else { return nil }
        if let w = word(j), w == .few || w == .couple {
            var k = j + 1
            if w == .couple, word(k) == .of { k += 1 }
            guard case .lex(.unit(_, true)) = kind(k) else { return nil }
            return countedUnit(i, k - 1, w == .couple ? 2 : nil, 1)
        }
        if case .durationAdjective = kind(j) { return nil }
        guard case .lex(.unit(let u, false)) = kind(j) else { return nil }
        // "$5 a year", "twice a week": a frequency.
        if i > 0, word(j + 1) != .earlier, word(j + 1) != .ago {
            if case .digits = kind(i - 1) { return DateHit(start: i, end: j + 1, type: .set, value: Timex.duration(1, u)) }
            if tokens[i - 1].kind == .number { return DateHit(start: i, end: j + 1, type: .set, value: Timex.duration(1, u)) }
        }
        if u == .weekend || u == .second { return nil }
        if word(j + 1) == .earlier || word(j + 1) == .ago || word(j + 1) == .before {
            if word(j + 1) == .earlier, u != .year { return DateHit(start: i, end: j + 2, type: .duration, value: Timex.duration(1, u)) }
            return DateHit(start: i, end: j + 2, type: .date, value: agoValue(1, u))
        }
        return countedUnit(i, i, 1, 1) ?? DateHit(start: i, end: j + 1, type: .duration, value: Timex.duration(1, u))
    }
}

