/// UTF-8 well-formedness (Unicode 15, table 3-7), byte by byte, so callers can name the first bad offset.
enum UTF8Validation {
    /// The length of the well-formed sequence starting at `index`, or `nil` if the byte there does not begin one.
    @inline(__always)
    static func sequenceLength<C: RandomAccessCollection>(_ bytes: C, at index: C.Index) -> Int?
    where C.Element == UInt8, C.Index == Int {
        let lead = bytes[index]
        if lead < 0x80 { return 1 }
        let end = bytes.endIndex
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < end && range.contains(bytes[index + offset])
        }
        switch lead {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : nil
        case 0xE0:
            return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF:
            return continuation(1) && continuation(2) ? 3 : nil
        case 0xED:
            return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : nil
        case 0xF0:
            return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF1...0xF3:
            return continuation(1) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF4:
            return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : nil
        default:
            return nil
        }
    }

    /// The offset of the first byte that is not part of well-formed UTF-8, or `nil` if all of `bytes` is.
    static func firstInvalidOffset(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            var index = 0
            let count = buffer.count
            while index < count {
                // ASCII runs are the common case: skip them eight bytes at a time.
                while index + 8 <= count {
                    let word = UnsafeRawPointer(buffer.baseAddress! + index).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 != 0 { break }
                    index += 8
                }
                guard index < count else { break }
                guard let length = sequenceLength(buffer, at: index) else { return index }
                index += length
            }
            return nil
        }
    }
}
