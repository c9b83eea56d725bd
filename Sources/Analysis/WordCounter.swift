/// Counts words: runs of letters and digits. Apostrophes and hyphens between letters ("can’t", "in-person"),
/// combining marks, and "." or "," between digits ("3.5", "1,000") keep a word whole.
enum WordCounter {
    static func count(_ scalars: [Unicode.Scalar]) -> Int {
        scalars.withUnsafeBufferPointer { s in
            var words = 0
            var inWord = false
            for index in 0..<s.count {
                let scalar = s[index]
                if isWordScalar(scalar) {
                    if !inWord { words += 1 }
                    inWord = true
                } else if inWord, isCombiningMark(scalar) {
                    continue
                } else if inWord, index + 1 < s.count, joins(scalar, previous: s[index - 1], next: s[index + 1]) {
                    continue
                } else {
                    inWord = false
                }
            }
            return words
        }
    }

    @inline(__always)
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (value >= 0x30 && value <= 0x39) || (value | 0x20 >= 0x61 && value | 0x20 <= 0x7A)
        }
        return scalar.propertyIsAlphabetic || scalar.propertyIsNumeric
    }

    private static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        guard !scalar.isASCII else { return false }
        return scalar.propertyIsCombiningMark
    }

    private static func joins(_ scalar: Unicode.Scalar, previous: Unicode.Scalar, next: Unicode.Scalar) -> Bool {
        switch scalar {
        case "'", "’", "-", "‐", "‑":
            return isWordScalar(next)
        case ".", ",":
            return isDigit(previous) && isDigit(next)
        default:
            return false
        }
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x30 && scalar.value <= 0x39
    }
}
