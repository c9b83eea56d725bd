/// Units a duration or a relative date counts in.
enum TimeUnit: UInt8, Sendable {
    case year, month, week, day, hour, minute, second, decade, century, quarter, weekend

    /// The TIMEX3 duration designator ("Y", "M", …); time units go after "T".
    var letter: String {
        switch self {
        case .year: return "Y"
        case .month: return "M"
        case .week: return "W"
        case .day: return "D"
        case .hour: return "H"
        case .minute: return "M"
        case .second: return "S"
        case .decade: return "DE"
        case .century: return "CE"
        case .quarter: return "Q"
        case .weekend: return "WE"
        }
    }

    var isTime: Bool { self == .hour || self == .minute || self == .second }
}

/// Function words and temporal words the tagger reacts to.
enum TimeWord: String, Sendable, CaseIterable {
    case the, a, an, of, this, that, these, last, past, next, coming, previous, following, recent
    case early, late, mid, middle, end, beginning, start, earlier, later, ago, before, after
    case today, yesterday, tomorrow, tonight, now, currently, current, recently, soon, future, previously
    case formerly, nowadays, right, near, overnight, once
    case morning, afternoon, evening, night, noon, midnight
    case spring, summer, fall, autumn, winter
    case each, every, daily, weekly, monthly, annually, yearly, hourly, quarterly, biweekly
    case fiscal, few, several, couple, some, many, nearly, almost, about, more, less, than, over, up, to, at
    case most, least, around, roughly, approximately, only, just, no, within, `for`, or, `as`, so, and, half, year, ahead
    case latest, first, full, same, period, term, short, long, `in`, on, by, since, until
    case am = "a.m.", pm = "p.m.", am2 = "a.m", pm2 = "p.m"
    case est, edt, cst, cdt, pst, pdt, gmt, utc
    case nineties, eighties, seventies, sixties, fifties, hundred, thousand
    case will, shall, scheduled, upcoming, expected, expects, plans, planned, due, going, would
    case was, were, had, did
    case mr, mrs, ms, dr, gen, rep, sen, gov

    /// Time zones written after a clock time ("10 a.m. EST", "10:00 UTC").
    static let zones: Set<TimeWord> = [.est, .edt, .cst, .cdt, .pst, .pdt, .gmt, .utc]
}

/// One lexicon entry.
enum TimeLex: Sendable, Equatable {
    case month(Int)
    case weekday(Int)
    case number(Int)
    case ordinal(Int)
    case unit(TimeUnit, plural: Bool)
    case word(TimeWord)
}

/// Lowercase ASCII words packed 6 bits a letter into a `UInt64` (at most 10 letters), for cheap lookup.
enum WordKey {
    static let maximumLength = 10

    @inline(__always)
    static func code(_ scalar: Unicode.Scalar) -> UInt64 {
        let v = scalar.value
        if v >= 0x61 && v <= 0x7A { return UInt64(v - 0x60) }
        if v >= 0x41 && v <= 0x5A { return UInt64(v - 0x40) }
        if v >= 0x30 && v <= 0x39 { return UInt64(v - 0x30 + 27) }
        switch v {
        case 0x2D: return 37  // -
        case 0x2E: return 38  // .
        case 0x27, 0x2019: return 39  // ' ’
        default: return 0
        }
    }

    /// The key of `s[start..<end]`, or 0 when the text is too long or holds other characters.
    static func key(_ s: [Unicode.Scalar], _ start: Int, _ end: Int) -> UInt64 {
        guard end - start <= maximumLength, end > start else { return 0 }
        var key: UInt64 = 0
        for index in start..<end {
            let c = code(s[index])
            if c == 0 { return 0 }
            key = key << 6 | c
        }
        return key
    }

    static func key(_ text: String) -> UInt64 {
        let scalars = Array(text.unicodeScalars)
        return key(scalars, 0, scalars.count)
    }
}

/// The hand-written English lexicon: months, weekdays, number words, units and temporal words. Built once.
struct DateLexicon: Sendable {
    /// Packed key (`WordKey`) → entry. `HashMap64` rather than `Dictionary`: every word token of an English
    /// document that passes `mayStart` is looked up, and SipHash of the key was most of the lookup's cost.
    let entries: HashMap64<TimeLex>
    /// Whether a word of this (first letter, length) can be in the lexicon: a cheap filter before hashing.
    let mayStart: [Bool]

    init() {
        var table: [UInt64: TimeLex] = [:]
        func add(_ word: String, _ lex: TimeLex) { table[WordKey.key(word)] = lex }
        let months = [
            ["january", "jan"], ["february", "feb"], ["march"], ["april", "apr"], ["may"],
            ["june", "jun"], ["july", "jul"], ["august", "aug"], ["september", "sept", "sep"],
            ["october", "oct"], ["november", "nov"], ["december", "dec"],
        ]
        for (index, names) in months.enumerated() { for name in names { add(name, .month(index + 1)) } }
        let weekdays = [
            ["monday"], ["tuesday", "tues"], ["wednesday"], ["thursday", "thurs"], ["friday"], ["saturday"], ["sunday"],
        ]
        for (index, names) in weekdays.enumerated() { for name in names { add(name, .weekday(index + 1)) } }
        let ones = [
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
            "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
        ]
        for (value, name) in ones.enumerated() { add(name, .number(value)) }
        let tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
        for (index, name) in tens.enumerated() {
            add(name, .number((index + 2) * 10))
            for (unit, one) in ones[1...9].enumerated() { add(name + "-" + one, .number((index + 2) * 10 + unit + 1)) }
        }
        add("dozen", .number(12))
        let ordinals = [
            "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
            "eighteenth", "nineteenth", "twentieth",
        ]
        for (index, name) in ordinals.enumerated() { add(name, .ordinal(index + 1)) }
        add("thirtieth", .ordinal(30))
        add("twenty-first", .ordinal(21))
        add("thirty-first", .ordinal(31))
        let units: [(String, String, TimeUnit)] = [
            ("year", "years", .year), ("month", "months", .month), ("week", "weeks", .week), ("day", "days", .day),
            ("hour", "hours", .hour), ("minute", "minutes", .minute), ("second", "seconds", .second),
            ("decade", "decades", .decade), ("century", "centuries", .century), ("quarter", "quarters", .quarter),
            ("weekend", "weekends", .weekend),
        ]
        for (singular, plural, unit) in units {
            add(singular, .unit(unit, plural: false))
            add(plural, .unit(unit, plural: true))
        }
        add("yr", .unit(.year, plural: false))
        add("yrs", .unit(.year, plural: true))
        add("mins", .unit(.minute, plural: true))
        for word in TimeWord.allCases where table[WordKey.key(word.rawValue)] == nil {
            add(word.rawValue, .word(word))
        }
        var entries = HashMap64<TimeLex>(minimumCapacity: table.count)
        for (key, lex) in table { entries.set(key, lex) }
        self.entries = entries
        var filter = [Bool](repeating: false, count: 64 * 16)
        for key in table.keys {
            // Recover the first letter's code and the length from the packed key.
            var length = 0
            var rest = key
            var first: UInt64 = 0
            while rest != 0 {
                first = rest & 63
                rest >>= 6
                length += 1
            }
            filter[Int(first) * 16 + length] = true
        }
        mayStart = filter
    }

    /// The entry of `s[start..<end]`: `entries[WordKey.key(s, start, end)]` behind the `mayStart` filter, with
    /// the key packed here over the buffer (the word of nearly every token passes through this).
    @inline(__always)
    func lookup(_ s: [Unicode.Scalar], _ start: Int, _ end: Int) -> TimeLex? {
        let length = end - start
        guard length >= 1, length <= WordKey.maximumLength else { return nil }
        let key = s.withUnsafeBufferPointer { s -> UInt64 in
            let first = WordKey.code(s[start])
            guard first != 0, mayStart[Int(first) * 16 + length] else { return 0 }
            var key = first
            for index in (start + 1)..<end {
                let code = WordKey.code(s[index])
                if code == 0 { return 0 }
                key = key << 6 | code
            }
            return key
        }
        return key == 0 ? nil : entries[key]
    }
}
