/// Character classes with an ASCII fast path. `Unicode.Scalar.Properties` looks every scalar up in the
/// Unicode tables (a function call and a search); news text is mostly ASCII, so the common case is a
/// comparison. Non-ASCII scalars fall back to the tables.
extension Unicode.Scalar {
    @inline(__always)
    var isLetter: Bool {
        let value = self.value
        if value < 0x80 { return value | 0x20 >= 0x61 && value | 0x20 <= 0x7A }
        return properties.isAlphabetic
    }

    @inline(__always)
    var isUppercaseLetter: Bool {
        let value = self.value
        if value < 0x80 { return value >= 0x41 && value <= 0x5A }
        return properties.isUppercase
    }

    @inline(__always)
    var isLowercaseLetter: Bool {
        let value = self.value
        if value < 0x80 { return value >= 0x61 && value <= 0x7A }
        return properties.isLowercase
    }

    /// A C0/C1 control character (general category Cc).
    @inline(__always)
    var isControl: Bool {
        let value = self.value
        return value < 0x20 || (value >= 0x7F && value < 0xA0)
    }
}
