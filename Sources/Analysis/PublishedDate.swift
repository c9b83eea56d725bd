/// Normalises the publication dates that inputs carry to RFC 3339 UTC ("2021-12-12T00:00:00Z").
///
/// Accepted: "2021-12-12", "2021-12-12T10:00:00Z", fractional seconds, offsets ("+02:00", "+0200", "+02") converted
/// to UTC, a space instead of "T" ("2021-12-12 10:00"), "December 12, 2021", "Dec. 12, 2021", "12 December 2021",
/// each optionally after a weekday ("Sunday, December 12, 2021"). A time without a zone is taken as UTC.
enum PublishedDate {
    static func normalise(_ input: String) -> String? {
        let scalars = Array(input.unicodeScalars)
        var start = 0
        var end = scalars.count
        while start < end, scalars[start].propertyIsWhitespace { start += 1 }
        while end > start, scalars[end - 1].propertyIsWhitespace { end -= 1 }
        let trimmed = Array(scalars[start..<end])
        if let iso = parseISO(trimmed) { return iso }
        return parseWritten(trimmed)
    }

    // MARK: ISO 8601 / RFC 3339

    private static func parseISO(_ s: [Unicode.Scalar]) -> String? {
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= s.count else { return nil }
            var value = 0
            for offset in 0..<digits {
                guard let digit = digitValue(s[index + offset]) else { return nil }
                value = value * 10 + digit
            }
            index += digits
            return value
        }
        func consume(_ character: Unicode.Scalar) -> Bool {
            guard index < s.count, s[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), consume("-"), let month = number(2), consume("-"), let day = number(2) else { return nil }
        var hour = 0, minute = 0, second = 0, offsetMinutes = 0
        if index < s.count {
            guard s[index] == "T" || s[index] == "t" || s[index] == " " else { return nil }
            index += 1
            guard let h = number(2), consume(":"), let m = number(2) else { return nil }
            hour = h
            minute = m
            if consume(":") {
                guard let sec = number(2) else { return nil }
                second = sec
                if consume(".") || consume(",") {
                    var fractionDigits = 0
                    while index < s.count, digitValue(s[index]) != nil {
                        index += 1
                        fractionDigits += 1
                    }
                    guard fractionDigits > 0 else { return nil }
                }
            }
            while index < s.count, s[index] == " " { index += 1 }
            if index < s.count {
                if s[index] == "Z" || s[index] == "z" {
                    index += 1
                } else if s[index] == "+" || s[index] == "-" {
                    let sign = s[index] == "-" ? -1 : 1
                    index += 1
                    guard let offsetHours = number(2) else { return nil }
                    var offsetMinutesPart = 0
                    if consume(":") {
                        guard let value = number(2) else { return nil }
                        offsetMinutesPart = value
                    } else if index < s.count {
                        guard let value = number(2) else { return nil }
                        offsetMinutesPart = value
                    }
                    guard offsetHours <= 23, offsetMinutesPart <= 59 else { return nil }
                    offsetMinutes = sign * (offsetHours * 60 + offsetMinutesPart)
                } else {
                    return nil
                }
            }
            guard index == s.count else { return nil }
        }
        return format(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offsetMinutes: offsetMinutes)
    }

    // MARK: Written dates

    private static func parseWritten(_ s: [Unicode.Scalar]) -> String? {
        // Tokens: runs of letters and runs of digits; punctuation (",", ".") and spaces only separate.
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        var currentIsDigit = false
        func flush() {
            if !current.isEmpty { tokens.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for scalar in s {
            let isDigit = digitValue(scalar) != nil
            let isLetter = scalar.propertyIsAlphabetic
            if isDigit || isLetter {
                if !current.isEmpty, currentIsDigit != isDigit { flush() }
                currentIsDigit = isDigit
                current.append(scalar)
            } else if scalar == "," || scalar == "." || scalar.propertyIsWhitespace {
                flush()
            } else {
                return nil
            }
        }
        flush()
        if let first = tokens.first, weekdays.contains(first.lowercased()) { tokens.removeFirst() }
        guard tokens.count == 3 else { return nil }
        let year: Int?
        let month: Int?
        let day: Int?
        if let m = monthNumber(tokens[0]) {
            month = m
            day = Int(tokens[1])
            year = Int(tokens[2])
        } else if let m = monthNumber(tokens[1]) {
            month = m
            day = Int(tokens[0])
            year = Int(tokens[2])
        } else {
            return nil
        }
        guard let year, let month, let day, tokens[2].count == 4 else { return nil }
        return format(year: year, month: month, day: day, hour: 0, minute: 0, second: 0, offsetMinutes: 0)
    }

    private static let weekdays: Set<String> = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun",
    ]

    private static let months: [String: Int] = [
        "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
        "september": 9, "october": 10, "november": 11, "december": 12,
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
        "oct": 10, "nov": 11, "dec": 12,
    ]

    private static func monthNumber(_ token: String) -> Int? {
        months[token.lowercased()]
    }

    // MARK: Calendar arithmetic

    private static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        guard scalar.value >= 0x30, scalar.value <= 0x39 else { return nil }
        return Int(scalar.value - 0x30)
    }

    static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func format(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offsetMinutes: Int) -> String? {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
            hour <= 23, minute <= 59, second <= 59
        else { return nil }
        var days = daysFromCivil(year: year, month: month, day: day)
        var minutes = hour * 60 + minute - offsetMinutes
        if minutes < 0 {
            minutes += 1440
            days -= 1
        } else if minutes >= 1440 {
            minutes -= 1440
            days += 1
        }
        let date = civilFromDays(days)
        guard (1...9999).contains(date.year) else { return nil }
        return pad(date.year, 4) + "-" + pad(date.month, 2) + "-" + pad(date.day, 2) + "T" + pad(minutes / 60, 2) + ":"
            + pad(minutes % 60, 2) + ":" + pad(second, 2) + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
