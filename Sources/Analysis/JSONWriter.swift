/// Appends JSON tokens to a byte buffer.
///
/// The buffer is memory the writer allocates and frees itself, with `count` bytes written: a token is
/// copied into it after one capacity check, and integers are written as digits directly. (An array cost a
/// uniqueness and a bounds check per write, through `withUnsafeMutableBufferPointer`, which for the many
/// small keys and numbers of a document was most of the encoder's work.) Non-copyable, so the buffer has
/// exactly one owner and `deinit` frees it.
public struct JSONWriter: ~Copyable {
    /// `capacity` bytes, of which `0..<count` are written. Only written bytes are ever read: `count` moves
    /// past a byte only after it is written.
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0

    /// The JSON written so far.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: storage, count: count)) }

    public init(capacity: Int) {
        self.capacity = max(capacity, 64)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(extra) }
    }

    private mutating func grow(_ extra: Int) {
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + max(extra, capacity))
        larger.update(from: storage, count: count)
        storage.deallocate()
        storage = larger
        capacity += max(extra, capacity)
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
        (storage + count).update(from: source.baseAddress!, count: length)
        count += length
    }

    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    public mutating func comma() {
        append(UInt8(ascii: ","))
    }

    /// The decimal digits of `value` (what `String(value)` spells).
    public mutating func int(_ value: Int) {
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
    public mutating func double(_ value: Double) {
        guard value.isFinite else {
            append(UInt8(ascii: "0"))
            return
        }
        let millionths = (value * 1_000_000).rounded()
        let rounded = millionths / 1_000_000
        if rounded == 0 {
            raw("0.0")
            return
        }
        // `description` of `rounded` spelled without it (it formats through a general shortest-digits
        // algorithm, several hundred instructions): `rounded` is the double nearest to millionths / 10^6, and
        // while its spacing is below 10^-6 (|x| < 2^32) no other decimal of six places or fewer is as close,
        // so that decimal, without trailing zeros, is the shortest that reads back as `rounded` — which is what
        // `description` prints in plain notation, from 10^-4 up. Below 10^-4 it switches to "1e-05".
        let magnitude = rounded.magnitude
        guard magnitude >= 0.0001, magnitude < 4_294_967_296 else {
            var text = rounded.description
            text.withUTF8 { append($0) }
            return
        }
        let units = Int(millionths.magnitude)
        if rounded < 0 { append(UInt8(ascii: "-")) }
        int(units / 1_000_000)
        append(UInt8(ascii: "."))
        var fraction = units % 1_000_000
        var digits = 6
        while digits > 1, fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        // The fraction's digits with its leading zeros: 0.05 → "05".
        reserve(digits)
        var at = count + digits - 1
        for _ in 0..<digits {
            storage[at] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: fraction % 10)
            fraction /= 10
            at -= 1
        }
        count += digits
    }

    public mutating func optionalString(_ value: String?) {
        if let value {
            string(value)
        } else {
            raw("null")
        }
    }

    /// A JSON string: quotes, backslashes and control characters escaped, everything else kept as UTF-8.
    public mutating func string(_ value: String) {
        append(UInt8(ascii: "\""))
        // Read in place when the string is contiguous UTF-8 (nearly always); `withUTF8` needs a mutable copy,
        // and so a retain and a release of the string's storage.
        if value.utf8.withContiguousStorageIfAvailable({ appendEscaped($0) }) == nil {
            var copy = value
            copy.withUTF8 { appendEscaped($0) }
        }
        append(UInt8(ascii: "\""))
    }

    /// The UTF-8 of a JSON string's contents: quotes, backslashes and control characters escaped.
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
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
}
