#if DEBUG
#if canImport(Glibc)
import Glibc
#endif

/// Faults on demand for the reliability tests, compiled into debug builds only (never release) and active
/// only with `NEWSD_TEST_HOOKS=1` in the environment: an input containing `NEWSD-TEST-HOOK:crash` makes the
/// analysis trap, one containing `NEWSD-TEST-HOOK:wedge` makes its worker hang.
enum TestHooks {
    static let enabled = getenv("NEWSD_TEST_HOOKS").map { String(cString: $0) == "1" } ?? false
    private static let crash = Array("NEWSD-TEST-HOOK:crash".utf8)
    private static let wedge = Array("NEWSD-TEST-HOOK:wedge".utf8)

    static func beforeAnalysis(_ bytes: [UInt8]) {
        guard enabled else { return }
        if contains(bytes, crash) { fatalError("test hook: the analysis traps on this input") }
        if contains(bytes, wedge) {
            while true { sleep(3600) }
        }
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
#endif
