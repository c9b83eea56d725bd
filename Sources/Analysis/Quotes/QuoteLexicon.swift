/// Word lists for the quote stage, hand-written (no external source). Every word is stored as the
/// `QuoteLexicon.key` of its lowercased form, so a token is looked up by a hash computed from its scalars,
/// without allocating a String per token.
struct QuoteLexicon: Sendable {
    /// How a cue verb may be used.
    struct Cue: Sendable, Equatable {
        /// A verb of saying: may follow its content ("…,” Blinken said.) and may come before its speaker
        /// ("…,” said Blinken.). Others (belief, intention, finding) only introduce what follows them.
        var speech: Bool
    }

    /// Bits of `classes`: which word lists a word is in, so the main loop needs one look-up per word.
    enum WordClass {
        static let cue: UInt8 = 1
        static let passive: UInt8 = 2
        static let noun: UInt8 = 4
        static let stance: UInt8 = 8
        static let about: UInt8 = 16
        static let clauseLink: UInt8 = 32
        static let governing: UInt8 = 64  // by, while, after: before a participle ("by saying")
    }

    let cues: HashMap64<Cue>
    let classes: HashMap64<UInt8>
    let pronouns: HashSet64  // he, she, they, …: speakers to resolve
    let heForms: HashSet64  // he, he’s, he’d
    let sheForms: HashSet64
    let contractedBe: HashSet64  // they’re, he’s: a subject and "be" in one token
    let contractedPronouns: HashSet64  // I’m, they’ve: a speaker pronoun and a verb in one token
    let relatives: HashSet64  // who, which
    let skippable: HashSet64  // auxiliaries and adverbs between a speaker and its verb
    let boundaries: HashSet64  // words no subject noun phrase reaches over
    let speakerNouns: HashSet64  // heads of nominal speakers: "the spokesman", "officials"
    let determiners: HashSet64
    let capitalisedFunctionWords: HashSet64  // "The", "But", "In" at a sentence start: not names
    let titles: HashSet64  // "President", "Secretary": stripped from a name
    let organisationWords: HashSet64  // last words of names that are not people ("Department")
    let nameConnectors: HashSet64  // "of", "de", "van" inside a name
    let titleAbbreviations: HashSet64  // "Mr" before its period
    let openers: HashSet64  // sentence openers before the subject ("In an interview …, X said")
    let adjuncts: HashSet64  // what may follow a final "said" ("said on Tuesday", "said in a statement")
    let objectPronouns: HashSet64
    /// Words that speak in the first person: a paragraph with one (outside quotation marks) after an
    /// interview answer goes on with it (`QuotePass.labelledTurn`).
    let firstPerson: HashSet64
    let negations: HashSet64
    let modalNegations: HashSet64  // can’t, won’t: a negated cue that reports nothing
    let titlePrepositions: HashSet64  // on, of, in: before a quoted title ("on “Face the Nation,”")
    let beForms: HashSet64  // is, was, been: before a past participle, a passive
    let irregularParticiples: HashSet64  // told, thought, shown: passive without "-ed"
    let plainSpeech: HashSet64  // said, says, told: their subject is whatever precedes them
    let of: UInt64
    let even: UInt64
    let he: UInt64
    let mr: UInt64
    let mrs: UInt64
    let ms: UInt64
    let she: UInt64
    let nonVerbs: HashSet64  // "-ed" words that are not stance verbs
    let stanceAdjectives: HashSet64  // afraid, sure, critical: "X is afraid that …", "X has been critical of …"
    let stanceComplements: HashSet64  // that, about, of: what may follow a stance adjective
    let stanceWithInfinitive: HashSet64  // eager, reluctant, willing: "X is eager to …"
    let degreeWords: HashSet64  // very, so, too: between "be" and a stance adjective
    let aboutCues: HashSet64  // speak, talk: cues only with "about" or "of" after them
    let topicPrepositions: HashSet64  // about, of
    let particles: HashSet64  // out, up: "spoke out about"
    let weekdays: HashSet64  // monday … sunday, today, yesterday
    let timeNouns: HashSet64  // week, month, january …: after "this", "last", "in"
    let timeLeads: HashSet64  // on, in, this, last: before a time word
    let notPlural: HashSet64  // "always", "perhaps": "-s" words that are not plural nouns
    let passiveCues: HashSet64  // passed, appointed: cues in the passive with an agent ("passed by Congress")
    let by: UInt64
    let conjunctionOpeners: HashSet64  // but, and, yet, so: open a clause, not an adverbial
    let baseForms: HashSet64  // plan, show, say: a cue's base form
    let indefinites: HashSet64  // anyone, anything: no content after a negated cue
    let nounCues: HashSet64  // claim, decision: nouns of saying or stance ("his claim that …")
    let intentionNouns: HashSet64  // decision, plan: nouns that take "to" and a verb
    let nounComplements: HashSet64  // that, to, of, about, for: what follows such a noun
    let itIs: UInt64  // it’s
    let possessivePronouns: HashSet64  // his, her, their, its
    let singularDeterminers: HashSet64  // the, a, his: open a noun phrase
    let pluralWithoutS: HashSet64  // people, police, percent: plural heads without "-s"
    let prepositionalCues: HashSet64  // like: a preposition as often as a verb
    let clauseLinks: HashSet64  // and, but, though: may open a clause with a cue of its own
    let subordinators: HashSet64  // a cue in a clause they open says no more than that clause
    let leftOnly: HashSet64  // cues only after their content: "…,” he continued.
    let catenatives: HashSet64  // continue, seem, try: "continues to insist", "seemed to think"
    let phraseInner: HashSet64  // and, to, in: inside a subject phrase ("Experts on X and Y said")
    let reportingParticiples: HashSet64  // saying, telling, arguing: report after "by", "while" ("by saying …")
    let verbParticles: HashSet64  // in, on, to, out: after an intransitive verb ("campaigned in", "seemed to")
    let mannerPrepositions: HashSet64  // by, while, in: "in advocating …"
    let nounFollowers: HashSet64  // among, of, was: after a base form, it is a noun ("support among voters")
    let clauseVerbs: HashSet64  // is, was, that's: a verb no subject phrase reaches over
    let placeParticles: HashSet64  // in, at, from, out: "called in to", "watched from" (not "to", "on", "with")
    let causatives: HashSet64  // prompted, led, forced: "prompted X to …" (X is the next cue's subject)
    let adjunctSubordinators: HashSet64  // when, as, before: "said when she resigned" (an adjunct, not content)
    let adjunctOpeners: HashSet64  // when, while: "said when she resigned"
    let phrasalStances: HashSet64  // ruled, backed, weighed: stances with a particle ("ruled out", "backed off")
    let participlePrepositions: HashSet64  // by, while, after: "began by saying", "while praising"
    let strongBelief: HashSet64  // belief verbs that may head a coordinated clause ("… and believes …")
    let that: UInt64
    let states: UInt64
    let according: UInt64
    let to: UInt64
    let the: UInt64
    let and: UInt64
    let but: UInt64
    let it: UInt64
    let i: UInt64
    let we: UInt64
    let you: UInt64

    init() {
        var cues: [UInt64: Cue] = [:]
        // Base forms ("plan", "show", "say"): after a singular noun with nothing between, a noun ("the Clinton plan").
        var bases = ["say", "tell", "write", "tweet", "admit", "quip", "retort", "testify", "reply", "cry", "think",
                     "feel", "know", "find", "show", "mean", "understand", "see"]
        func add(_ forms: [String], speech: Bool) {
            for form in forms {
                let key = QuoteLexicon.key(form)
                if let old = cues[key], old.speech { continue }
                cues[key] = Cue(speech: speech)
            }
        }
        // Verbs of saying, with their irregular forms.
        add(["say", "says", "said", "saying", "tell", "tells", "told", "telling", "write", "writes", "wrote",
             "writing", "tweet", "tweets", "tweeted", "tweeting", "admit", "admits", "admitted",
             "admitting", "quip", "quipped", "retort", "retorted", "testified", "testifies", "reply", "replied",
             "replies", "cry", "cried", "shot back"], speech: true)
        for verb in [
            "add", "note", "explain", "state", "claim", "argue", "insist", "warn", "announce", "report", "respond",
            "answer", "continue", "declare", "confirm", "deny", "acknowledge", "suggest", "predict", "recall",
            "observe", "remark", "comment", "assert", "contend", "maintain", "emphasize", "emphasise", "stress",
            "repeat", "reiterate", "concede", "complain", "joke", "boast", "scoff", "ask", "urge", "promise",
            "pledge", "vow", "allege", "conclude", "reveal", "disclose", "recount", "counter", "lament",
            "mention", "caution", "proclaim", "shout", "yell", "exclaim", "muse", "add", "describe", "post",
            "point", "write", "assure", "inform", "remind", "agree", "declare", "clarify", "interject", "opine",
            "whisper", "recommend", "advise", "demand", "order", "threaten", "apologize", "apologise",
            "bemoan", "chide", "scold", "rebuke", "grumble", "grouse", "whine", "mutter", "murmur", "gripe", "rant",
            "marvel", "wonder", "speculate", "surmise", "theorize", "theorise", "posit", "affirm", "reaffirm",
            "attest", "profess", "rejoin", "implore", "plead", "exhort", "tease", "chant", "gush", "concur",
            "chastise", "recite", "lecture", "fret", "vent",
        ] {
            add(QuoteLexicon.regularForms(verb), speech: true)
            bases.append(verb)
        }
        // Belief, intention, finding and attitude: they introduce what follows them.
        add(["think", "thinks", "thought", "thinking", "feel", "feels", "felt", "feeling", "know", "knows", "knew",
             "find", "finds", "found", "show", "shows", "showed", "shown", "mean", "meant", "understand", "understands", "understood"], speech: false)
        for verb in [
            "believe", "hope", "fear", "expect", "worry", "doubt", "suspect", "assume", "want", "wish", "plan",
            "intend", "decide", "support", "oppose", "favor", "indicate", "estimate", "call", "cite", "criticize",
            "criticise", "condemn", "blast", "slam", "attack", "praise", "accuse", "question", "challenge",
            "dismiss", "reject", "blame", "defend", "tout", "welcome", "demand", "seek", "propose", "endorse",
            "insist", "guess", "imagine", "figure", "reckon", "conclude", "calculate", "project", "forecast",
            "signal", "hint", "acknowledge", "recognize", "recognise", "refuse", "decline", "vow", "pledge",
            "promise", "praise", "credit", "deride", "mock", "decry", "dispute", "argue", "prefer", "like", "love",
            "hate", "dislike", "applaud", "insinuate", "imply", "urge", "encourage", "convince", "persuade",
            "reveal", "endorse", "need", "discuss", "reference", "express", "brag", "highlight", "document",
            "detail", "outline", "address", "request", "invite", "celebrate", "deplore", "embrace", "champion",
            "tout", "invoke", "hammer", "grill", "bash", "knock", "denounce", "refute", "rebut", "contradict",
            "echo", "confess", "reassure", "react", "disagree", "approve", "veto", "unveil", "release", "issue",
            "rule", "grant", "highlight", "predict", "anticipate", "doubt", "fault", "ridicule", "lambaste",
            "target", "label", "dub", "characterize", "characterise", "portray", "compare", "liken", "frame",
            "regard", "consider", "view", "see", "saw", "seen", "insult", "thank", "congratulate", "honor",
            "advocate", "demand", "stress", "contend", "assert", "allege", "cite", "claim", "concede", "warn",
            "hail", "extol", "downplay", "contemplate", "lobby", "acclaim", "laud", "commend", "disparage",
            "belittle", "berate", "excoriate", "castigate", "vilify", "demonize", "demonise", "denigrate",
            "lambast", "scorn", "spurn", "shun", "repudiate", "disavow", "renounce", "rebuff", "bemoan",
            "lament", "resent", "relish", "cherish", "admire", "envy", "distrust", "mistrust", "speculate",
            "conjecture", "surmise", "charge",
        ] {
            add(QuoteLexicon.regularForms(verb), speech: false)
            bases.append(verb)
        }
        add(["according"], speech: true)
        // "we need to …" states a necessity and "are seen gathered" a perception, not an attitude: no cues.
        for form in ["need", "seen", "seed", "seing"] { cues[QuoteLexicon.key(form)] = nil }
        var cueMap = HashMap64<Cue>(minimumCapacity: cues.count)
        for (key, cue) in cues { cueMap.set(key, cue) }
        self.cues = cueMap
        baseForms = HashSet64(bases.map(QuoteLexicon.key))

        func set(_ words: [String]) -> HashSet64 { HashSet64(words.map(QuoteLexicon.key)) }
        // With contractions: "he’s sought", "they’ve argued", "she’d said" (’ is read as ').
        let contracted = ["he's", "he'd", "he'll", "she's", "she'd", "she'll", "they've", "they'd", "they'll",
                          "they're", "we've", "we'd", "we'll", "we're", "i've", "i'd", "i'll", "i'm", "you've",
                          "you'd", "you're"]
        pronouns = set(["he", "she", "they", "i", "we", "it", "you"] + contracted)
        contractedPronouns = set(contracted)
        heForms = set(["he", "he's", "he'd", "he'll", "his"])
        sheForms = set(["she", "she's", "she'd", "she'll", "her"])
        contractedBe = set(["he's", "she's", "they're", "we're", "i'm", "you're"])
        relatives = set(["who", "which"])
        skippable = set([
            "also", "has", "have", "had", "later", "previously", "repeatedly", "reportedly", "recently", "once",
            "then", "publicly", "privately", "again", "further", "sometimes", "ever", "would", "will", "did", "does", "do", "not",
            "never", "already", "often", "frequently", "long", "earlier", "still", "even", "always", "just",
            "first", "initially", "originally", "similarly", "separately", "subsequently", "simply", "now",
            "flatly", "openly", "can’t", "cannot", "couldn’t", "shouldn’t", "didn’t", "won’t", "wouldn’t", "hasn’t", "haven’t", "explicitly", "specifically", "clearly", "quickly", "immediately", "ultimately",
            "famously", "once", "apparently", "allegedly", "may", "might", "could", "should", "can", "must",
            "shall", "is", "are", "was", "were", "be", "been", "being", "doesn’t", "don’t", "didn’t", "only",
            "strongly", "firmly", "genuinely", "really", "truly", "personally", "widely", "generally",
            "isn’t", "aren’t", "wasn’t", "weren’t", "hadn’t", "mustn’t",
        ])
        boundaries = set([
            "that", "and", "but", "because", "while", "when", "if", "as", "so", "since", "after", "before",
            "although", "though", "whether", "where", "than", "or", "nor", "until", "unless", "whom", "whose",
            "what", "how", "why", "to", "by", "with", "from", "into", "about", "over", "under", "said", "says",
            "told", "say",
        ])
        var nouns: [String] = [
            "spokesman", "spokeswoman", "spokesperson", "spokespeople", "official", "aide", "source", "analyst",
            "expert", "economist", "critic", "supporter", "opponent", "advocate", "lawmaker", "leader", "senator",
            "president", "candidate", "nominee", "campaign", "administration", "government", "department",
            "agency", "committee", "report", "statement", "study", "survey", "poll", "researcher", "scientist",
            "police", "prosecutor", "authorities", "lawyer", "attorney", "judge", "court", "company", "group",
            "organization", "party", "voter", "people", "resident", "witness", "observer", "member", "executive",
            "director", "chairman", "chairwoman", "chair", "ceo", "secretary", "minister", "governor", "mayor",
            "doctor", "document", "letter", "filing", "complaint", "lawsuit", "memo", "article", "website",
            "newspaper", "network", "book", "ad", "video", "post", "tweet", "man", "woman", "friend", "family",
            "mother", "father", "others", "many", "some", "most", "both", "all", "person", "representative",
            "congressman", "congresswoman", "candidate", "manager", "strategist", "consultant", "adviser",
            "advisor", "pollster", "activist", "protester", "protestor", "worker", "teacher", "student", "parent",
            "officer", "investigator", "agent", "staff", "staffer", "team", "firm", "union", "association",
            "council", "board", "panel", "commission", "ministry", "office", "military", "army", "regime",
            "figures", "data", "numbers", "evidence", "research", "analysis", "memo", "ruling", "order",
            "decision", "bill", "law", "proposal", "plan", "platform", "speech", "interview", "release", "journal",
            "magazine", "paper", "reporter", "journalist", "columnist", "editor", "writer", "author", "host",
            "anchor", "commentator", "pundit", "historian", "professor", "spokes", "citizen", "american", "clerk",
            "victim", "wife", "husband", "son", "daughter", "brother", "sister", "colleague", "counterpart",
            "partner", "ally", "rival", "challenger", "incumbent", "republican", "democrat", "conservative",
            "liberal", "progressive", "nation", "country", "state", "city", "county", "school", "university",
            "hospital", "bank", "store", "owner", "founder", "head", "chief", "boss", "employee", "employer",
            "organizer", "organiser", "group", "coalition", "alliance", "movement", "side", "camp", "circle",
            "insider", "veteran", "delegate", "fan", "follower", "backer", "donor", "operative", "chairman",
            "neighbor", "neighbour", "official", "estimate", "projection", "model", "poll", "account", "record",
            "general", "admiral", "colonel", "captain", "sergeant", "lieutenant", "commander", "coach", "pastor",
            "priest", "bishop", "rabbi", "imam", "nurse", "physician", "surgeon", "ambassador", "diplomat", "envoy",
            "negotiator", "legislator", "politician", "sheriff", "trooper", "firefighter", "soldier", "farmer",
            "landlord", "tenant", "investor", "shareholder", "banker", "customer", "client", "patient", "consumer",
            "councilman", "councilwoman", "councillor", "commissioner", "inspector", "auditor", "regulator",
            "prosecutor", "defendant", "plaintiff", "appeals", "scholar", "academic", "physicist", "biologist",
            "epidemiologist", "psychologist", "sociologist", "demographer", "statistician", "lobbyist", "aides",
            "percent",
        ]
        nouns += nouns.map { $0 + "s" }
        nouns += ["people", "men", "women", "children", "police", "authorities", "everyone", "nobody", "someone",
                  "anyone", "everybody", "somebody", "allies", "parties", "agencies", "companies", "families",
                  "countries", "studies", "surveys", "secretaries", "cities", "attorneys"]
        speakerNouns = set(nouns)
        determiners = set([
            "the", "a", "an", "his", "her", "their", "its", "our", "this", "these", "those", "my", "your", "some",
            "many", "most", "several", "two", "three", "four", "five", "other", "another", "one", "both", "each",
            "every", "no", "few", "more", "top", "senior", "former", "current", "new", "local", "federal",
        ])
        capitalisedFunctionWords = set([
            "the", "a", "an", "but", "and", "or", "in", "on", "at", "as", "when", "if", "while", "after",
            "before", "also", "however", "still", "now", "then", "so", "yet", "for", "with", "by", "from", "to",
            "of", "this", "that", "these", "those", "there", "here", "it", "its", "his", "her", "their", "our",
            "my", "we", "i", "you", "he", "she", "they", "asked", "speaking", "meanwhile", "instead", "indeed",
            "though", "although", "because", "since", "during", "despite", "until", "under", "over", "according",
            "last", "next", "earlier", "later", "today", "yesterday", "what", "who", "why", "how", "where",
            "which", "some", "many", "most", "both", "all", "every", "each", "no", "not", "one", "like",
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "just", "even",
            "even", "said", "says", "told", "say", "is", "was", "are", "were", "has", "had", "have", "do", "does",
            "did", "will", "would", "can", "could", "should", "may", "might", "must", "mr", "mrs", "ms", "dr",
        ].filter { !["mr", "mrs", "ms", "dr"].contains($0) })
        titles = set([
            "president", "secretary", "senator", "sen", "rep", "representative", "gov", "governor", "minister",
            "chairman", "chairwoman", "director", "judge", "justice", "speaker", "leader", "mayor", "general",
            "gen", "spokesperson", "spokesman", "spokeswoman", "chief", "ceo", "prime", "vice", "deputy",
            "attorney", "former", "mr", "mrs", "ms", "dr", "prof", "professor", "rev", "sir", "lord", "lady",
            "king", "queen", "prince", "princess", "pope", "ambassador", "commissioner", "congressman",
            "congresswoman", "candidate", "nominee", "lt", "col", "capt", "sgt", "adm", "officer", "detective",
            "sheriff", "chancellor", "premier", "presidential", "spokesperson", "minister",
        ])
        organisationWords = set([
            "department", "house", "kremlin", "ministry", "party", "committee", "court", "times", "news", "post",
            "agency", "office", "administration", "campaign", "council", "commission", "bureau", "institute",
            "university", "association", "union", "group", "company", "corporation", "inc", "corp", "foundation",
            "network", "journal", "press", "reuters", "cnn", "nbc", "abc", "cbs", "fox", "msnbc", "politifact",
            "congress", "senate", "pentagon", "police", "fbi", "cia", "gop", "democrats", "republicans", "coalition",
            "alliance", "center", "centre", "council", "board", "service", "services", "bank", "fund", "project",
            "poll", "survey", "report", "study", "organization", "organisation", "media", "magazine", "daily",
        ])
        nameConnectors = set(["of", "de", "van", "von", "al", "bin", "la", "le", "da", "du", "der", "del", "di"])
        titleAbbreviations = set([
            "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "st", "jr", "sr", "capt", "sgt",
            "prof", "rev", "adm", "maj", "cpl", "pres", "atty", "supt", "det", "insp", "hon", "messrs",
        ])
        openers = set([
            "in", "on", "at", "after", "before", "during", "when", "while", "asked", "speaking", "meanwhile",
            "however", "but", "and", "still", "also", "later", "earlier", "last", "since", "as", "for", "with",
            "yet", "so", "then", "now", "instead", "indeed", "separately", "today", "yesterday", "friday",
            "monday", "tuesday", "wednesday", "thursday", "saturday", "sunday", "addressing", "writing",
            "responding", "appearing", "interviewed", "pressed", "though", "although", "despite", "from", "by",
        ])
        adjuncts = set([
            "in", "on", "at", "during", "to", "from", "after", "before", "while", "last", "this", "earlier",
            "later", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday",
            "today", "tonight", "recently", "previously", "then", "again", "also", "via", "through", "when",
            "outside", "inside", "afterward", "afterwards", "adding", "noting", "explaining", "according",
        ])
        plainSpeech = set(["said", "says", "say", "told", "tells", "added", "adds", "wrote", "writes", "noted",
                           "argued", "argue", "argues", "warned", "claimed", "believe", "believes", "think",
                           "thinks", "reported", "announced", "predicted", "estimated", "found", "show", "shows",
                           "showed", "suggested", "suggests", "concluded", "expect", "expects", "agreed", "agree"])
        of = QuoteLexicon.key("of")
        even = QuoteLexicon.key("even")
        he = QuoteLexicon.key("he")
        mr = QuoteLexicon.key("mr")
        mrs = QuoteLexicon.key("mrs")
        ms = QuoteLexicon.key("ms")
        she = QuoteLexicon.key("she")
        nonVerbs = set(["need", "speed", "seed", "feed", "bred", "shed", "hundred", "based", "used", "tied",
                        "died", "lived", "worked", "served", "born", "married", "moved", "arrived", "returned",
                        "walked", "traveled", "travelled", "stayed", "started", "ended", "happened", "occurred",
                        "increased", "decreased", "rose", "dropped", "fell", "rated", "ranked", "finished", "played",
                        "won", "lost", "scored", "signed", "joined", "retired", "resigned", "elected", "appointed",
                        "named", "hired", "fired", "killed", "injured", "arrested", "charged", "convicted",
                        "sentenced", "jailed", "released", "owned", "earned", "paid", "received", "raised",
                        "spent", "invested", "voted", "entered", "left", "visited", "attended", "hosted", "headed",
                        "led", "managed", "founded", "created", "established", "launched", "opened", "closed",
                        "tried", "forced", "held"])
        subordinators = set(["whether", "when", "if", "because", "after", "before", "while", "although", "though",
                             "since", "as", "unless", "once", "until"])
        stanceAdjectives = set([
            "afraid", "sure", "certain", "confident", "convinced", "worried", "concerned", "aware", "unaware",
            "hopeful", "optimistic", "pessimistic", "skeptical", "sceptical", "critical", "supportive", "frustrated",
            "angry", "upset", "adamant", "unsure", "uncertain", "doubtful", "happy", "unhappy", "pleased", "proud",
            "disappointed", "glad", "insistent", "wary", "fearful", "mindful", "dismissive", "ashamed", "sorry",
            "grateful", "thankful", "enthusiastic", "excited", "nervous", "anxious", "alarmed", "troubled",
            "outraged", "furious", "satisfied", "dissatisfied", "bullish", "bearish", "vocal", "candid", "frank",
            "coy", "quiet", "silent", "unapologetic", "defiant", "persuaded", "determined", "eager", "reluctant",
            "willing", "unwilling", "keen", "hesitant", "loath", "ready", "passionate", "vague", "open", "clear",
            "emphatic", "explicit", "categorical", "unequivocal", "scathing", "outspoken", "opposed", "committed",
            "suspicious", "cautious", "positive", "unconvinced", "surprised", "shocked", "disturbed", "dismayed",
            "appalled", "horrified", "saddened", "encouraged", "heartened", "relieved", "annoyed", "irritated",
            "incensed", "enraged", "infuriated", "irked", "angered", "resolute",
        ])
        stanceComplements = set(["that", "about", "of", "whether", "over", "on", "toward", "towards", "with", "by"])
        stanceWithInfinitive = set(["eager", "reluctant", "willing", "unwilling", "keen", "hesitant", "loath",
                                    "ready", "determined", "afraid", "happy", "proud", "sorry", "quick", "slow",
                                    "careful", "anxious", "committed", "opposed"])
        degreeWords = set(["very", "so", "too", "more", "most", "less", "quite", "rather", "pretty", "deeply",
                           "increasingly", "fairly", "extremely", "highly", "not", "no", "all", "both", "also",
                           "still", "now", "equally", "particularly", "especially", "sharply", "openly"])
        aboutCues = set(["speak", "speaks", "spoke", "spoken", "speaking", "talk", "talks", "talked", "talking",
                         "write", "writes", "wrote", "written", "testify", "testified", "testifies", "complain",
                         "complained", "complains", "boast", "boasted", "boasts", "brag", "bragged", "brags", "joke",
                         "joked", "jokes", "worry", "worried", "worries", "care", "cares", "cared", "think", "thinks",
                         "thought", "know", "knows", "knew", "hear", "hears", "heard", "learn", "learned", "learns"])
        topicPrepositions = set(["about", "of"])
        particles = set(["out", "up", "publicly", "privately", "openly", "frequently", "often", "candidly",
                         "emotionally", "passionately", "at", "length", "briefly", "extensively"])
        weekdays = set(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
                        "yesterday", "tonight"])
        timeNouns = set(["week", "month", "year", "morning", "afternoon", "evening", "night", "weekend", "january",
                         "february", "march", "april", "june", "july", "august", "september", "october",
                         "november", "december", "spring", "summer", "fall", "autumn", "winter"])
        timeLeads = set(["on", "in", "this", "last", "earlier", "late", "early", "next", "that", "during"])
        notPlural = set(["always", "perhaps", "sometimes", "afterwards", "towards", "besides", "regardless",
                         "nevertheless", "nonetheless", "unless", "whereas", "across", "news", "series", "species",
                         "politics", "economics", "elsewhere", "backwards", "forwards", "upwards", "downwards",
                         "percentages", "thanks", "means", "yours", "theirs", "ours", "hers", "whose", "lots"])
        passiveCues = set(["passed", "appointed", "overturned", "authorized", "authorised", "imposed", "decided",
                           "adopted", "enacted", "ratified", "signed", "sponsored", "nominated", "negotiated",
                           "seconded", "written", "drafted", "backed", "shared", "upheld", "approved", "blocked",
                           "introduced", "published", "commissioned", "conducted", "funded", "financed", "led",
                           "organized", "organised", "championed", "pushed", "vetoed", "struck", "dismissed"])
        by = QuoteLexicon.key("by")
        conjunctionOpeners = set(["but", "and", "yet", "so", "still", "also", "now", "then", "instead", "indeed",
                                  "however", "meanwhile", "nonetheless", "nevertheless", "perhaps"])
        indefinites = set(["anyone", "anything", "anybody", "everyone", "everything", "everybody", "nobody",
                           "nothing", "someone", "something", "somebody", "anywhere", "much", "more", "further"])
        var nounWords = [
            "claim", "assertion", "argument", "contention", "insistence", "suggestion", "statement", "remark",
            "comment", "view", "belief", "opinion", "position", "stance", "conclusion", "finding", "assessment",
            "prediction", "warning", "threat", "promise", "pledge", "vow", "commitment", "decision", "determination",
            "intention", "plan", "proposal", "call", "demand", "push", "bid", "effort", "attempt", "refusal",
            "reluctance", "eagerness", "willingness", "desire", "hope", "fear", "concern", "worry", "criticism",
            "praise", "support", "opposition", "endorsement", "admission", "acknowledgment", "acknowledgement",
            "denial", "accusation", "allegation", "charge", "complaint", "announcement", "explanation", "theory",
            "idea", "message", "description", "characterization", "obsession", "admiration", "disdain", "contempt",
            "skepticism", "doubt", "confidence", "insinuation", "assurance", "recommendation", "request", "appeal",
            "objection", "rejection", "condemnation", "defense", "defence", "dismissal", "response", "reply",
            "testimony", "pronouncement", "rhetoric", "vision",
        ]
        nounWords += nounWords.map { $0 + "s" }
        nounCues = set(nounWords)
        let intentions = ["decision", "determination", "intention", "plan", "proposal", "promise", "pledge", "vow",
                          "commitment", "refusal", "reluctance", "eagerness", "willingness", "desire", "effort",
                          "attempt", "push", "bid", "threat", "call", "demand", "hope"]
        intentionNouns = set(intentions + intentions.map { $0 + "s" })
        nounComplements = set(["that", "to", "of", "about", "for", "on"])
        itIs = QuoteLexicon.key("it's")
        possessivePronouns = set(["his", "her", "their", "its", "our", "my", "your"])
        singularDeterminers = set(["the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this",
                                   "that", "another", "every", "each", "one"])
        pluralWithoutS = set(["people", "police", "men", "women", "children", "staff", "media", "data", "personnel",
                              "clergy", "youth", "percent", "dozen", "hundred", "thousand", "million", "half",
                              "majority", "minority", "most", "many", "some", "all", "both", "few", "several",
                              "public", "military", "faculty", "crew", "team", "family", "government", "board",
                              "panel", "committee", "jury", "audience", "crowd", "electorate", "couple"])
        prepositionalCues = set(["like", "unlike", "regarding", "concerning", "including"])
        clauseLinks = set(["and", "but", "though", "although", "while", "whereas", "yet"])
        leftOnly = set(["continue", "continues", "continued", "continuing", "state"])
        negations = set(["not", "never", "can’t", "cannot", "couldn’t", "shouldn’t", "isn’t", "aren’t", "wasn’t",
                         "weren’t", "no", "didn’t", "doesn’t", "don’t", "won’t", "wouldn’t", "hasn’t", "haven’t"])
        modalNegations = set(["can’t", "cannot", "couldn’t", "shouldn’t", "won’t", "wouldn’t", "can't", "couldn't",
                              "shouldn't", "won't", "wouldn't"])
        beForms = set(["is", "are", "was", "were", "be", "been", "being", "isn’t", "aren’t", "wasn’t", "weren’t"])
        irregularParticiples = set(["told", "said", "thought", "found", "shown", "seen", "known", "felt", "meant",
                                    "understood", "heard", "held", "written", "quoted"])
        titlePrepositions = set(["on", "of", "in", "at", "from", "with", "by"])
        catenatives = set(["continue", "continues", "continued", "continuing", "seem", "seems", "seemed", "appear",
                           "appears", "appeared", "begin", "begins", "began", "begun", "try", "tries", "tried", "going",
                           "used", "attempt", "attempts", "attempted", "ought", "got", "came", "come", "comes"])
        phraseInner = set(["and", "to", "in", "on", "at", "from", "with", "for", "around", "across", "inside",
                           "outside", "within", "near", "close"])
        reportingParticiples = set(["saying", "telling", "announcing", "arguing", "insisting", "claiming",
                                    "declaring", "warning", "chanting", "asserting", "stating", "explaining",
                                    "suggesting", "tweeting", "writing", "shouting", "yelling", "singing",
                                    "urging", "accusing", "blaming", "questioning", "criticizing", "praising"])
        verbParticles = set(["in", "on", "at", "from", "with", "by", "to", "into", "out", "up", "off", "over", "back",
                             "down", "through", "onto", "upon", "around", "away"])
        mannerPrepositions = set(["by", "while", "in"])
        nounFollowers = set(["among", "of", "was", "is", "were", "are", "has", "had", "have", "will", "would", "could",
                             "should", "may", "might", "must", "can"])
        clauseVerbs = set(["is", "are", "was", "were", "be", "been", "am", "that's", "there's", "it's", "what's",
                           "here's", "who's", "has", "have", "had", "does", "do", "did"])
        placeParticles = set(["in", "at", "from", "into", "out", "up", "off", "over", "back", "down", "through",
                              "onto", "upon", "around", "away"])
        causatives = set(["prompt", "prompts", "prompted", "lead", "leads", "led", "force", "forces", "forced", "push",
                          "pushes", "pushed", "pushing", "press", "presses", "pressed", "pressing", "allow", "allows",
                          "allowed", "inspire", "inspires", "inspired", "cause", "causes", "caused", "drive", "drives",
                          "drove", "driven", "spur", "spurs", "spurred", "compel", "compels", "compelled", "enable",
                          "enables", "enabled", "get", "gets", "got", "prompting", "leading", "forcing", "causing"])
        adjunctSubordinators = set(["when", "as", "before", "after", "while", "because", "since", "until"])
        adjunctOpeners = set(["when", "while"])
        phrasalStances = set(["ruled", "rules", "backed", "backs", "lashed", "lashes", "weighed", "weighs", "followed",
                              "follows", "signed", "spoke", "speaks", "stepped", "steps", "doubled", "doubles"])
        participlePrepositions = set(["by", "while", "after", "before", "without", "since", "when", "in"])
        strongBelief = set(["believe", "believes", "believed", "think", "thinks", "thought", "argued", "argues",
                            "stressed", "stresses", "warned", "warns", "insisted", "insists"])
        objectPronouns = set(["him", "her", "them", "us", "me", "reporters", "journalists", "you"])
        firstPerson = set(["i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "i've", "i'd",
                           "i'll", "i'm", "we've", "we'd", "we'll", "we're"])
        that = QuoteLexicon.key("that")
        states = QuoteLexicon.key("states")
        according = QuoteLexicon.key("according")
        to = QuoteLexicon.key("to")
        the = QuoteLexicon.key("the")
        and = QuoteLexicon.key("and")
        but = QuoteLexicon.key("but")
        it = QuoteLexicon.key("it")
        i = QuoteLexicon.key("i")
        we = QuoteLexicon.key("we")
        you = QuoteLexicon.key("you")
        var classes = HashMap64<UInt8>()
        func mark(_ words: some Sequence<UInt64>, _ bit: UInt8) {
            for key in words { classes.update(key, default: 0) { $0 |= bit } }
        }
        mark(cues.keys, WordClass.cue)
        mark(passiveCues.keys, WordClass.passive)
        mark(nounCues.keys, WordClass.noun)
        mark(stanceAdjectives.keys, WordClass.stance)
        mark(aboutCues.keys, WordClass.about)
        mark(clauseLinks.keys, WordClass.clauseLink)
        mark(participlePrepositions.keys, WordClass.governing)
        self.classes = classes
    }

    /// "note" → note, notes, noted, noting; "worry" → worries, worried, worrying.
    static func regularForms(_ base: String) -> [String] {
        // "slam" → slammed, slamming: a final consonant doubles after a single stressed vowel.
        if doubling.contains(base), let last = base.last {
            // "planning" is as often a modifier ("the planning board") as a verb.
            let ing = base == "plan" ? [] : [base + String(last) + "ing"]
            return [base, base + "s", base + String(last) + "ed"] + ing
        }
        if base.hasSuffix("e") {
            return [base, base + "s", base + "d", String(base.dropLast()) + "ing"]
        }
        if base.hasSuffix("y"), let before = base.dropLast().last, !"aeiou".contains(before) {
            let stem = String(base.dropLast())
            return [base, stem + "ies", stem + "ied", base + "ing"]
        }
        if base.hasSuffix("sh") || base.hasSuffix("ch") || base.hasSuffix("ss") || base.hasSuffix("x") {
            return [base, base + "es", base + "ed", base + "ing"]
        }
        return [base, base + "s", base + "ed", base + "ing"]
    }

    private static let doubling: Set<String> = [
        "slam", "plan", "dub", "fret", "rebut", "shun", "prefer", "concur", "extol", "brag", "regret", "admit",
        "quip", "commit", "refer", "omit", "abhor", "jab", "rip", "snap", "rap", "pan", "nag", "chat",
    ]

    /// FNV-1a over the scalars, ASCII letters lowercased and ’ read as '.
    @inline(__always)
    static func key<S: Sequence>(scalars: S) -> UInt64 where S.Element == Unicode.Scalar {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for scalar in scalars {
            var value = scalar.value
            if value >= 0x41, value <= 0x5A { value += 32 } else if value == 0x2019 { value = 0x27 }
            hash = (hash ^ UInt64(value)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    static func key(_ word: String) -> UInt64 { key(scalars: word.unicodeScalars) }
}
