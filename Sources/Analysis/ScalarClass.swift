/// Character classes with an ASCII fast path. `Unicode.Scalar.Properties` looks every scalar up in the
/// Unicode tables (a function call and a search); news text is mostly ASCII, so the common case is a
/// comparison. Non-ASCII scalars fall back to the tables.
extension Unicode.Scalar {
    @inline(__always)
    var isLetter: Bool {
        let value = self.value
        if value < 0x80 { return value | 0x20 >= 0x61 && value | 0x20 <= 0x7A }
        return propertyIsAlphabetic
    }

    @inline(__always)
    var isUppercaseLetter: Bool {
        let value = self.value
        if value < 0x80 { return value >= 0x41 && value <= 0x5A }
        return propertyIsUppercase
    }

    @inline(__always)
    var isLowercaseLetter: Bool {
        let value = self.value
        if value < 0x80 { return value >= 0x61 && value <= 0x7A }
        return propertyIsLowercase
    }

    /// A C0/C1 control character (general category Cc).
    @inline(__always)
    var isControl: Bool {
        let value = self.value
        return value < 0x20 || (value >= 0x7F && value < 0xA0)
    }

    // The Unicode property look-ups, out of line. `Unicode.Scalar.Properties` and the types it returns are
    // resilient: a function that inlines one of them sets up their metadata and stack space on every call
    // (some two hundred instructions), which made the per-token and per-word scans pay that even for ASCII.
    // Behind these calls only the rare non-ASCII path pays.

    @inline(never) var propertyIsAlphabetic: Bool { properties.isAlphabetic }
    @inline(never) var propertyIsUppercase: Bool { properties.isUppercase }
    @inline(never) var propertyIsLowercase: Bool { properties.isLowercase }
    @inline(never) var propertyIsWhitespace: Bool { properties.isWhitespace }
    /// Whether the scalar has a numeric type (`properties.numericType != nil`).
    @inline(never) var propertyIsNumeric: Bool { properties.numericType != nil }
    @inline(never) var propertyLowercaseMapping: String { properties.lowercaseMapping }

    /// A combining mark: general category Mn, Mc or Me.
    @inline(never) var propertyIsCombiningMark: Bool {
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }
}
