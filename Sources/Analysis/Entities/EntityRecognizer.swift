/// Stage: entities (person, organization, location, nationality) with mentions, canonical names, titles
/// and salience. Reads tokens and sentences; fills `document.entities`.
///
/// Rules over gazetteers, in one linear pass plus a per-document resolution:
/// 1. Runs of capitalised words (joined by "of", "van", "&", an initial's period…) are cut into pieces:
///    gazetteer phrases (longest first), role words that make a title ("US Secretary of State"), and a
///    name chunk, typed by its words (organisation and place suffixes, given names, surnames, context).
/// 2. Across the document: a lone surname joins the person whose full name ends in it, an unknown word
///    takes the type the same word has elsewhere, a place followed by a score is a team, and "he said"
///    joins the person who was the subject just before.
/// 3. Mentions are grouped into entities named by their fullest form, with titles and a salience.
/// All-caps lines (headlines, datelines) only take gazetteer names.
struct EntityRecognizer: Sendable {
    private let lexicon: EntityLexicon
    /// Whether "he said"-style pronouns become mentions of the person they refer to.
    var resolvesPronouns = true

    init() {
        lexicon = EntityLexicon()
    }

    func run(_ document: inout Document) {
        guard document.isEnglish, !document.tokens.isEmpty else { return }
        var pass = EntityPass(document: document, lexicon: lexicon, resolvesPronouns: resolvesPronouns)
        document.entities = pass.run()
    }
}
