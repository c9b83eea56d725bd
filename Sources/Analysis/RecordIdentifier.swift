/// The caller's identifier of a JSON Lines record (`newsd pipe`): its `"id"` member, echoed back on the
/// output line so that a consumer can join results to inputs.
public enum RecordIdentifier: Sendable, Equatable {
    case string(String)
    case number(Double)
    /// The line has no usable `"id"` (not JSON, not an object, no member, or not a string or number).
    case absent

    /// The `"id"` member of a JSON object text, without decoding anything else.
    public init(json bytes: [UInt8]) {
        guard let value = try? JSONParser.parse(bytes) else {
            self = .absent
            return
        }
        switch value["id"] {
        case .string(let text)?: self = .string(text)
        case .number(let number)?: self = .number(number)
        default: self = .absent
        }
    }

    /// The identifier as a JSON value: a string, a number (integers without a fraction), or null.
    public var jsonBytes: [UInt8] {
        var writer = JSONWriter(capacity: 32)
        switch self {
        case .string(let text): writer.string(text)
        case .number(let number):
            if number.rounded() == number, abs(number) < 9e15 { writer.int(Int(number)) } else { writer.double(number) }
        case .absent: writer.raw("null")
        }
        return writer.bytes
    }

    /// A name for the record in `source.name`: the identifier as text, else "line N".
    public func name(line: Int) -> String {
        switch self {
        case .string(let text): return text
        case .number: return String(decoding: jsonBytes, as: UTF8.self)
        case .absent: return "line \(line)"
        }
    }
}
