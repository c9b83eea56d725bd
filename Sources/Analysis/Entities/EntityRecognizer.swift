/// Stage: entities (person, organization, location, nationality) with mentions, canonical names, titles
/// and salience. Reads tokens and sentences; fills `document.entities`.
struct EntityRecognizer: Sendable {
    init() {}

    func run(_ document: inout Document) {
        guard document.isEnglish else { return }
    }
}
