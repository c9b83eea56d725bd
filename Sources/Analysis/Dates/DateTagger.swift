/// Stage: temporal expressions (date, time, duration, set) with TIMEX3 values anchored to the
/// publication date. Reads tokens; fills `document.dates`.
struct DateTagger: Sendable {
    init() {}

    func run(_ document: inout Document) {
        guard document.isEnglish else { return }
    }
}
