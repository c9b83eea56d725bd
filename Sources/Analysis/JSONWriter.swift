/// Appends JSON tokens to a byte buffer.
///
/// The buffer is an array kept at its full capacity, with `count` bytes written: a token is copied
/// into it with one bounds check instead of going through `Array.append(contentsOf:)` (which cost
/// about a hundred instructions per key and per string), and integers are written as digits directly.
struct JSONWriter {
    private var storage: [UInt8]
    private var count = 0

    /// The JSON written so far.
    var bytes: [UInt8] { Array(storage[0..<count]) }

    init(capacity: Int) {
        storage = [UInt8](repeating: 0, count: max(capacity, 64))
    }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > storage.count { grow(extra) }
    }

    private mutating func grow(_ extra: Int) {
        storage.append(contentsOf: repeatElement(0, count: max(extra, storage.count)))
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count += 1
    }

    @inline(__always)
    private mutating func append(_ source: UnsafeBufferPointer<UInt8>) {
        let length = source.count
        guard length > 0 else { return }
        reserve(length)
        let at = count
        storage.withUnsafeMutableBufferPointer { target in
            (target.baseAddress! + at).update(from: source.baseAddress!, count: length)
        }
        count = at + length
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    mutating func comma() {
        append(UInt8(ascii: ","))
    }

    /// The decimal digits of `value` (what `String(value)` spells).
    mutating func int(_ value: Int) {
        if value >= 0, value < 10 {
            append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        reserve(20)
        if value < 0 {
            storage[count] = UInt8(ascii: "-")
            count += 1
        }
        // Digits from the last: division by the constant 10 is a multiplication.
        var magnitude = value.magnitude
        var digits = 1
        var probe = magnitude / 10
        while probe > 0 {
            digits += 1
            probe /= 10
        }
        var at = count + digits - 1
        repeat {
            storage[at] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
            at -= 1
        } while magnitude > 0
        count += digits
    }

    /// A finite number with at most six decimals; NaN and infinities (not JSON) become 0.
    mutating func double(_ value: Double) {
        guard value.isFinite else {
            append(UInt8(ascii: "0"))
            return
        }
        let rounded = (value * 1_000_000).rounded() / 1_000_000
        var text = (rounded == 0 ? 0 : rounded).description
        text.withUTF8 { append($0) }
    }

    mutating func optionalString(_ value: String?) {
        if let value {
            string(value)
        } else {
            raw("null")
        }
    }

    /// A JSON string: quotes, backslashes and control characters escaped, everything else kept as UTF-8.
    mutating func string(_ value: String) {
        append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            var index = 0
            let count = utf8.count
            while index < count {
                // Eight bytes at a time while none of them needs escaping (SWAR: a byte below 0x20, a quote
                // or a backslash sets its high bit in `special`).
                while index + 8 <= count {
                    let word = UnsafeRawPointer(utf8.baseAddress! + index).loadUnaligned(as: UInt64.self)
                    let ones: UInt64 = 0x0101_0101_0101_0101
                    let highs: UInt64 = 0x8080_8080_8080_8080
                    let quote = word ^ (ones &* 0x22)
                    let backslash = word ^ (ones &* 0x5C)
                    let special = ((word &- ones &* 0x20) & ~word) | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                    if special & highs != 0 { break }
                    index += 8
                }
                guard index < count else { break }
                let byte = utf8[index]
                index += 1
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index - 1 {
                    append(UnsafeBufferPointer(rebasing: utf8[runStart..<(index - 1)]))
                }
                runStart = index
                switch byte {
                case UInt8(ascii: "\""): raw("\\\"")
                case UInt8(ascii: "\\"): raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                case 0x08: raw("\\b")
                case 0x0C: raw("\\f")
                default:
                    let hexDigits: StaticString = "0123456789abcdef"
                    raw("\\u00")
                    append(hexDigits.utf8Start[Int(byte >> 4)])
                    append(hexDigits.utf8Start[Int(byte & 0x0f)])
                }
            }
            if runStart < utf8.count {
                append(UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
            }
        }
        append(UInt8(ascii: "\""))
    }
}
