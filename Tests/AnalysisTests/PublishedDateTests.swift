import Testing

@testable import Analysis

@Suite struct PublishedDateTests {
    @Test(arguments: [
        ("2021-12-12", "2021-12-12T00:00:00Z"),
        ("2021-12-12T10:00:00Z", "2021-12-12T10:00:00Z"),
        ("2021-12-12T10:00:00.123Z", "2021-12-12T10:00:00Z"),
        ("2021-12-12T10:00:00+02:00", "2021-12-12T08:00:00Z"),
        ("2021-12-12T01:30:00+0200", "2021-12-11T23:30:00Z"),
        ("2021-12-31T23:00:00-05:00", "2022-01-01T04:00:00Z"),
        ("2021-12-12 10:00", "2021-12-12T10:00:00Z"),
        ("December 12, 2021", "2021-12-12T00:00:00Z"),
        ("Dec. 12, 2021", "2021-12-12T00:00:00Z"),
        ("Dec 12 2021", "2021-12-12T00:00:00Z"),
        ("12 December 2021", "2021-12-12T00:00:00Z"),
        ("Sunday, December 12, 2021", "2021-12-12T00:00:00Z"),
        ("  2020-02-29  ", "2020-02-29T00:00:00Z"),
    ])
    func acceptedFormsNormaliseToUTC(input: String, expected: String) {
        #expect(PublishedDate.normalise(input) == expected)
    }

    @Test(arguments: ["", "yesterday", "2021-13-01", "2021-02-29", "2021-12-12T25:00", "12/12/2021", "December 32, 2021", "2021-12-12T10:00:00+2"])
    func anythingElseIsNil(input: String) {
        #expect(PublishedDate.normalise(input) == nil)
    }
}
