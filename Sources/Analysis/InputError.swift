/// The closed set of reasons an article ends in `failed/`, spelled as the error document writes them.
public enum ErrorCode: String, Sendable, CaseIterable {
    case tooLarge = "too-large"
    case invalidUTF8 = "invalid-utf8"
    case empty
    case invalidJSON = "invalid-json"
    case unsupportedFormat = "unsupported-format"
    case unreadable
    case notRegularFile = "not-regular-file"
    case analysisFailed = "analysis-failed"
    case analysisCrashed = "analysis-crashed"
}

/// Why an input could not be turned into an article.
///
/// The code is what callers match on and what the error document carries; the message is one sentence
/// a person understands, naming the limit, offset or field involved.
public struct InputError: Error, Sendable, Equatable {
    public var code: ErrorCode
    public var message: String

    public init(code: ErrorCode, message: String) {
        self.code = code
        self.message = message
    }
}
