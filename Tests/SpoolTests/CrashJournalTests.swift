import Foundation
import Glibc
import Testing
@testable import Spool

/// The crash journal on a real state directory, restarts simulated by opening it again.
@Suite struct CrashJournalTests {
    static func inode(_ path: String) -> ino_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_ino : nil
    }

    @Test func aCrashIsCountedAgainstTheFileItsLaneHeldAndForgottenOnceTheFileHasItsResult() throws {
        let directory = try TemporaryDirectory("journal")
        let state = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        try #require(state >= 0)
        defer { close(state) }
        let poison = Array("poison.txt".utf8)
        let crashes = directory.path + "/crashes"

        // A clean first start: nothing held, nothing counted, no counts file written.
        #expect(try CrashJournal(state: state).recordInterrupted(stillInWork: []).isEmpty)
        #expect(Self.inode(crashes) == nil)

        // Lane 1 takes the file, and the process dies before `end`.
        try CrashJournal(state: state).begin(lane: 1, poison)
        let restarted = try CrashJournal(state: state)
        #expect(try restarted.recordInterrupted(stillInWork: [poison]) == [poison])
        #expect(restarted.counts[poison] == 1)
        let written = try #require(Self.inode(crashes))
        #expect(try String(contentsOfFile: crashes, encoding: .utf8) == String(decoding: CrashJournal.hex(poison), as: UTF8.self) + " 1\n")

        // A clean restart changes no count, so the file is left as it is (not rewritten: same inode).
        let again = try CrashJournal(state: state)
        #expect(try again.recordInterrupted(stillInWork: [poison]).isEmpty)
        #expect(again.counts[poison] == 1)
        #expect(Self.inode(crashes) == written)

        again.forget(poison)
        #expect(try String(contentsOfFile: crashes, encoding: .utf8).isEmpty)
    }

    @Test func filesInFlightWhenTheProcessLeavesOnPurposeAreNotCountedAsCrashes() throws {
        let directory = try TemporaryDirectory("journal")
        let state = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        try #require(state >= 0)
        defer { close(state) }
        let big = Array("big.txt".utf8)
        let next = Array("next.txt".utf8)

        // A second SIGTERM (or a shutdown timeout) exits with lane 0 still on big.txt.
        let leaving = try CrashJournal(state: state)
        leaving.begin(lane: 0, big)
        leaving.abandon()
        leaving.begin(lane: 1, next)  // a lane that starts after that records nothing either
        let restarted = try CrashJournal(state: state)
        #expect(try restarted.recordInterrupted(stillInWork: [big, next]).isEmpty)
        #expect(restarted.counts.isEmpty)
    }
}
