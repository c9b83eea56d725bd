/// Guesses the language of a text from how often it uses each language's commonest words.
///
/// Stop words are cheap, need no model, and are reliable for the languages of most news input (en, fr, de, es,
/// it, pt, nl) once a text has a sentence or two. The guess is returned only with a clear margin over the
/// runner-up, otherwise `nil`: a wrong language is worse than none.
struct LanguageDetector: Sendable {
    /// How many words are looked at; more does not change the answer, only the cost.
    static let maximumWords = 2000

    private let languages: [String]
    /// Each stop word, packed as up to eight Latin-1 scalars in a `UInt64`, and a bit set of its languages.
    ///
    /// Packing avoids building a `String` per word: detection runs on every article and was most of its cost.
    /// A `HashMap64` rather than a `Dictionary`: every word of the text is looked up, and SipHash of the key
    /// cost more than the rest of detection.
    private let index: HashMap64<UInt8>

    init() {
        let profiles: [(String, String)] = [
            ("en", "the of and to in is that for it was on with as he she at by this from his are be have has had not but were they which an been their said would will who its or we"),
            ("fr", "le la les des du un une est et en que qui dans pour pas sur au aux avec ce cette sont il elle ont été par plus ne se son sa ses leur nous vous mais ou était"),
            ("de", "der die das und ist nicht ein eine den dem des zu mit sich auf für von im auch es an werden wird hat sind war wie bei aus nach oder noch nur einer einem dass sie er"),
            ("es", "el la los las de del que y en un una es por con para no se al lo como más pero sus su fue ha son está este esta entre también cuando muy sin sobre ya hay"),
            ("it", "il la le lo gli di del della che e è un una per non con si da in al alla sono ha anche come più ma ci questo questa nel nella dei delle degli essere stato"),
            ("pt", "o a os as de do da dos das que e é um uma em no na por para com não se ao mais mas como foi são está ele ela seu sua também pelo pela entre isso"),
            ("nl", "de het een en van in is dat op te zijn met voor niet aan er die om ook als bij door maar naar uit dan nog wordt werd hij zij heeft hebben wij was over"),
        ]
        var index: [UInt64: UInt8] = [:]
        for (position, (_, profile)) in profiles.enumerated() {
            for word in profile.split(separator: " ") {
                guard let key = Self.key(word.unicodeScalars) else { preconditionFailure("stop word \(word) cannot be packed") }
                index[key, default: 0] |= 1 << position
            }
        }
        self.languages = profiles.map(\.0)
        var table = HashMap64<UInt8>(minimumCapacity: index.count)
        for (key, languages) in index { table.set(key, languages) }
        self.index = table
    }

    /// The ISO 639-1 code of the text's language, or `nil` when no language is clearly ahead.
    func detect(_ s: [Unicode.Scalar]) -> String? {
        var hits = [Int](repeating: 0, count: languages.count)
        var words = 0
        var key: UInt64 = 0
        var length = 0
        var packable = true
        func flush() {
            guard length > 0 else { return }
            words += 1
            if packable, let languagesOfWord = index[key] {
                // Only the word's languages (one or two bits), not every language.
                var bits = languagesOfWord
                while bits != 0 {
                    hits[bits.trailingZeroBitCount] += 1
                    bits &= bits - 1
                }
            }
            key = 0
            length = 0
            packable = true
        }
        for scalar in s {
            let value = scalar.value
            let isLetter: Bool
            let lower: UInt32
            if value < 0x80 {
                // ASCII, the common case: a letter lowercases by setting bit 5.
                lower = value | 0x20
                isLetter = lower &- 0x61 < 26
            } else {
                isLetter = scalar.propertyIsAlphabetic
                lower = isLetter ? Self.lowercased(scalar).value : 0
            }
            guard isLetter else {
                flush()
                // Only a flush counts a word: the limit is checked there, not on every scalar.
                if words >= Self.maximumWords { break }
                continue
            }
            length += 1
            if lower > 0xFF || length > 8 {
                packable = false
            } else {
                key = key << 8 | UInt64(lower)
            }
        }
        flush()
        let ranked = hits.enumerated().sorted { $0.element > $1.element }
        let best = ranked[0]
        let runnerUp = ranked[1].element
        // At least three stop words, one in twenty words, and half again as many as the runner-up.
        guard best.element >= 3, best.element * 20 >= words, best.element * 2 >= runnerUp * 3 else { return nil }
        return languages[best.offset]
    }

    /// A lowercase word of at most eight Latin-1 scalars as one integer, or `nil` if it does not fit.
    private static func key(_ scalars: Substring.UnicodeScalarView) -> UInt64? {
        var key: UInt64 = 0
        var length = 0
        for scalar in scalars {
            let value = lowercased(scalar).value
            length += 1
            guard value <= 0xFF, length <= 8 else { return nil }
            key = key << 8 | UInt64(value)
        }
        return length > 0 ? key : nil
    }

    /// Lowercase for ASCII and Latin-1 letters, which is all the stop-word lists contain.
    private static func lowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let value = scalar.value
        if (0x41...0x5A).contains(value) || ((0xC0...0xDE).contains(value) && value != 0xD7) {
            return Unicode.Scalar(value + 32)!
        }
        return scalar
    }
}
