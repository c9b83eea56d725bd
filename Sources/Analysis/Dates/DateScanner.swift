/// What one token is to the date grammar.
enum DateToken: Equatable {
    case none
    case lex(TimeLex)
    /// Plain digits: the value and how many digits.
    case digits(Int, count: Int)
    /// "1990s": the decade's first three digits (199).
    case decade(Int)
    /// "20th", "5th".
    case digitOrdinal(Int)
    /// "10-year", "two-week", "8-month-old", "several-year" (nil count).
    case durationAdjective(Int?, TimeUnit)
    /// "third-quarter".
    case quarterAdjective(Int)
    /// "mid-1996", "mid-November", "mid-1990s".
    case midYear(Int), midMonth(Int), midDecade(Int)
    /// "year-ago", "year-earlier".
    case yearAgo
    /// "year-end".
    case yearEnd
}

/// A temporal expression found: tokens `start..<end`.
struct DateHit {
    var start: Int
    var end: Int
    var type: DateMention.Kind
    var value: String?
    /// "this year's third quarter" runs on past the possessive.
    var keepsPossessive = false
}

/// Formats TIMEX3 values.
enum Timex {
    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    static func year(_ y: Int) -> String { pad(y, 4) }
    static func month(_ y: Int, _ m: Int) -> String { "\(pad(y, 4))-\(pad(m, 2))" }
    static func day(_ d: CalendarDate) -> String { d.iso }
    static func week(_ d: CalendarDate) -> String {
        let w = d.isoWeek
        return "\(pad(w.year, 4))-W\(pad(w.week, 2))"
    }
    static func quarter(_ y: Int, _ q: Int) -> String { "\(pad(y, 4))-Q\(q)" }

    /// "P3Y", "PT2H", "P20Y" for two decades, "PXD" for an unknown count.
    static func duration(_ count: Int?, _ unit: TimeUnit) -> String {
        let n = count.map(String.init) ?? "X"
        switch unit {
        case .hour, .minute, .second: return "PT\(n)\(unit.letter)"
        case .decade: return count.map { "P\($0 * 10)Y" } ?? "PXDE"
        case .century: return count.map { "P\($0 * 100)Y" } ?? "PXCE"
        case .weekend: return "P\(n)WE"
        default: return "P\(n)\(unit.letter)"
        }
    }

    /// Adds months to a (year, month).
    static func shift(_ y: Int, _ m: Int, by months: Int) -> (Int, Int) {
        let total = y * 12 + (m - 1) + months
        let year = total >= 0 ? total / 12 : (total - 11) / 12
        return (year, total - year * 12 + 1)
    }

    static func daysIn(_ y: Int, _ m: Int) -> Int {
        let (ny, nm) = shift(y, m, by: 1)
        return CalendarDate(year: ny, month: nm, day: 1).dayNumber - CalendarDate(year: y, month: m, day: 1).dayNumber
    }
}
