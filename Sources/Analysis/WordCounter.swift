/// Counts words: runs of letters and digits. Apostrophes and hyphens between letters ("can’t", "in-person"),
/// combining marks, and "." or "," between digits ("3.5", "1,000") keep a word whole.
///
/// This is the definition of `stats.words`. The analyzer gets the same number from the tokenizer's pass
/// (`Tokenizer.tokenize`) rather than scanning the text once more; tests hold the two equal.
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
        let value = scalar.value
        if value < 0x80 {
            // ASCII letters and digits as bit sets: 0x30–0x39 in the low 64 code points, 0x41–0x5A and
            // 0x61–0x7A in the high 64.
            let set: UInt64 = value < 0x40 ? 0x03FF_0000_0000_0000 : 0x07FF_FFFE_07FF_FFFE
            return (set >> UInt64(value & 0x3F)) & 1 != 0
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
