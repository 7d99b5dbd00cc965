import Testing

@testable import RemoteProvidersCore

@Suite struct TimeSpanTests {
    @Test(arguments: [
        ("90s", 90), ("45m", 2_700), ("2h", 7_200), ("1h30m", 5_400), ("7d", 604_800), ("1d12h", 129_600),
        ("0s", 0), ("1d2h3m4s", 93_784),
    ])
    func parsesTheGrammar(text: String, seconds: Int64) {
        #expect(TimeSpan(parsing: text)?.seconds == seconds)
    }

    @Test(arguments: ["", "30", "1.5h", "2 h", "-5m", "1m2h", "5s5s", "h", "2H", "1w", "1h 30m", " 1h", "1h\n", "1234567890s", "$(date)s"])
    func rejectsEverythingElse(text: String) {
        #expect(TimeSpan(parsing: text) == nil)
    }

    @Test func printsTheCanonicalSpelling() {
        #expect(TimeSpan(seconds: 5_400).description == "1h30m")
        #expect(TimeSpan(seconds: 0).description == "0s")
        #expect(TimeSpan(seconds: 90_061).description == "1d1h1m1s")
        #expect(TimeSpan(parsing: "90m")?.description == "1h30m")
    }
}
