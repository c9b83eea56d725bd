import Foundation
import Glibc
import Testing
@testable import Spool

@Suite struct DurableWriterTests {
    private func open(_ directory: TemporaryDirectory) throws -> CInt {
        try Syscalls.openAt(AT_FDCWD, Array(directory.path.utf8), flags: O_RDONLY | O_DIRECTORY)
    }

    @Test func writesUnderTheFirstFreeNameAndNeverOverwrites() throws {
        let directory = try TemporaryDirectory()
        try directory.write("story.json", "someone else's")
        let descriptor = try open(directory)
        defer { close(descriptor) }
        let candidates = EntryNames.candidates(base: Array("story".utf8), tag: "ab12cd34", suffix: ".json")
        let placement = try DurableWriter.write(Array("{\"mine\":1}".utf8), in: descriptor, candidates: candidates, identity: [])
        #expect(placement == .written(Array("story-ab12cd34.json".utf8)))
        #expect(try String(contentsOfFile: directory.path + "/story.json", encoding: .utf8) == "someone else's")
        #expect(try String(contentsOfFile: directory.path + "/story-ab12cd34.json", encoding: .utf8) == "{\"mine\":1}")
        #expect(directory.names("").allSatisfy { !$0.hasPrefix(".") }, "a temporary file was left behind")
    }

    @Test func aRetryFindsItsOwnEarlierDocumentByIdentity() throws {
        let directory = try TemporaryDirectory()
        let descriptor = try open(directory)
        defer { close(descriptor) }
        let document = Array("{\"id\":\"x\",\"received\":\"T1\",\"analysis\":1}".utf8)
        let identity = ArticleProcessor.identity(of: document, received: "T1")
        #expect(String(decoding: identity, as: UTF8.self) == "{\"id\":\"x\",\"received\":\"T1\"")
        let candidates = { EntryNames.candidates(base: Array("a".utf8), tag: "x", suffix: ".json") }
        #expect(try DurableWriter.write(document, in: descriptor, candidates: candidates(), identity: identity) == .written(Array("a.json".utf8)))
        #expect(try DurableWriter.write(document, in: descriptor, candidates: candidates(), identity: identity) == .alreadyPresent(Array("a.json".utf8)))
        // A different claim of the same name (another received stamp) is not mistaken for it.
        let other = Array("{\"id\":\"x\",\"received\":\"T2\",\"analysis\":1}".utf8)
        #expect(try DurableWriter.write(other, in: descriptor, candidates: candidates(), identity: ArticleProcessor.identity(of: other, received: "T2")) == .written(Array("a-x.json".utf8)))
        #expect(directory.names("") == ["a-x.json", "a.json"])
    }

    @Test func leftoverTemporaryFilesAreRemovedAtStartUp() throws {
        let directory = try TemporaryDirectory()
        try directory.write(".newsd-123-4.tmp", "partial")
        try directory.write("kept.json", "{}")
        let descriptor = try open(directory)
        defer { close(descriptor) }
        #expect(try DurableWriter.removeLeftovers(in: descriptor) == 1)
        #expect(directory.names("") == ["kept.json"])
    }
}
