import DriftlineStats
import Testing

@Suite struct SaturatingArithmeticTests {
    @Test(arguments: [
        (Int64.max, Int64(1), Int64.max), (Int64.max - 1, Int64(1), Int64.max), (Int64.min, Int64(-1), Int64.min),
        (Int64(2), Int64(3), Int64(5)), (Int64(-2), Int64(3), Int64(1)), (Int64.max, Int64.min, Int64(-1)),
    ])
    func addsAndStopsAtTheBounds(a: Int64, b: Int64, expected: Int64) {
        #expect(a.saturatingAdding(b) == expected)
        var sum = a
        sum.saturatingAdd(b)
        #expect(sum == expected)
    }
}
