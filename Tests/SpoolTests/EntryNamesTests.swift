import Testing
@testable import Spool

@Suite struct EntryNamesTests {
    @Test func writersTemporaryNamesAreIgnored() {
        for name in [".article.txt", "x.tmp", "x.part", "draft.txt~", ".newsd-1-2.tmp", ""] {
            #expect(EntryNames.isIgnored(Array(name.utf8)), "\(name) should be ignored")
        }
        for name in ["article.txt", "tmp", "x.tmp.txt", "part.md", "a~b.json"] {
            #expect(!EntryNames.isIgnored(Array(name.utf8)), "\(name) should be claimed")
        }
    }

    @Test func stemDropsOnlyTheLastExtension() {
        #expect(EntryNames.stem(Array("a.b.txt".utf8)) == Array("a.b".utf8))
        #expect(EntryNames.stem(Array("noext".utf8)) == Array("noext".utf8))
        #expect(EntryNames.stem(Array(".hidden".utf8)) == Array(".hidden".utf8))
    }

    @Test func longNamesAreShortenedToFitNameMaxAtACharacterBoundary() {
        // 84 three-byte characters plus "abc" = 255 bytes, the longest name Linux allows.
        let base = Array(String(repeating: "€", count: 84).utf8) + Array("abc".utf8)
        #expect(base.count == 255)
        let fitted = EntryNames.fitting(base, suffix: Array(".error.json".utf8))
        #expect(fitted.count <= 255)
        #expect(String(validating: fitted, as: UTF8.self) != nil, "a multi-byte character was cut")
        #expect(fitted.suffix(11).elementsEqual(".error.json".utf8))
    }

    @Test func longNamesOfInvalidBytesAreCutAtTheLimitNotEmptied() {
        let base = [UInt8](repeating: 0x80, count: 251) + Array(".txt".utf8)
        let fitted = EntryNames.fitting(EntryNames.stem(base), suffix: Array(".json".utf8))
        #expect(fitted.count == 255)
        #expect(fitted.first == 0x80, "the name must not collapse into a dot-file")
    }

    @Test func candidatesStartPlainThenAddTheTagThenCount() {
        let names = Array(EntryNames.candidates(base: Array("story".utf8), tag: "ab12cd34", suffix: ".json").prefix(3))
            .map { String(decoding: $0, as: UTF8.self) }
        #expect(names == ["story.json", "story-ab12cd34.json", "story-ab12cd34-2.json"])
    }
}
