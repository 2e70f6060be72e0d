import Testing

@testable import DriftlineCore

@Suite("LLMEvent derived timings")
struct LLMEventTests {
    let start = EventTime(microsecondsSinceEpoch: 1_795_608_000_000_000)

    @Test func latencyIsEndMinusStart() {
        let event = LLMEvent(start: start, end: start.advanced(byMicroseconds: 1_234_567), model: "m")
        #expect(event.latencyMilliseconds == 1234.567)
    }

    @Test func ttftIsFirstTokenMinusStart() {
        let event = LLMEvent(
            start: start, firstToken: start.advanced(byMicroseconds: 250_500),
            end: start.advanced(byMilliseconds: 2000), model: "m")
        #expect(event.ttftMilliseconds == 250.5)
    }

    @Test func ttftIsNilWithoutFirstToken() {
        let event = LLMEvent(start: start, end: start.advanced(byMilliseconds: 10), model: "m")
        #expect(event.ttftMilliseconds == nil)
        #expect(event.tpotMilliseconds == nil)
    }

    @Test func tpotSpreadsDecodeTimeOverTokensAfterTheFirst() {
        // 101 output tokens: the 100 after the first took 2000 ms − 500 ms = 1500 ms.
        let event = LLMEvent(
            start: start, firstToken: start.advanced(byMilliseconds: 500),
            end: start.advanced(byMilliseconds: 2000), model: "m",
            tokens: TokenCounts(input: 10, output: 101))
        #expect(event.tpotMilliseconds == 15)
    }

    @Test(arguments: [0, 1] as [Int64])
    func tpotIsNilForAtMostOneOutputToken(output: Int64) {
        let event = LLMEvent(
            start: start, firstToken: start.advanced(byMilliseconds: 5),
            end: start.advanced(byMilliseconds: 10), model: "m", tokens: TokenCounts(output: output))
        #expect(event.tpotMilliseconds == nil)
    }

    @Test func tokenCountHelpers() {
        let tokens = TokenCounts(input: 100, output: 40, cachedInput: 60, cacheWrite: 10, reasoning: 25)
        #expect(tokens.uncachedInput == 30)
        #expect(tokens.visibleOutput == 15)
        #expect(tokens.total == 140)
    }
}
