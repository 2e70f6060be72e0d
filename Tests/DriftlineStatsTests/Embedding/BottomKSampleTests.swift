import DriftlineStats
import Testing

/// The bottom-k sample against brute force: sort every (hash, item) and take the `k` smallest.
/// Whatever the order, split and repetition of the items, the kept set is that one.
struct BottomKSampleTests {
    static func items(_ count: Int, seed: UInt64) -> [(hash: Int64, item: Int)] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { index in (SampleHash.hash("req-\(random.next())-\(index)"), index) }
    }

    static func bruteForce(_ items: [(hash: Int64, item: Int)], k: Int) -> [Int] {
        var seen = Set<Int64>()
        let distinct = items.filter { seen.insert($0.hash).inserted }
        return distinct.sorted { $0.hash < $1.hash }.prefix(k).map { $0.item }
    }

    @Test(arguments: [1, 7, 200, 5_000])
    func addingKeepsTheSmallestHashes(k: Int) {
        let items = Self.items(3_000, seed: UInt64(k))
        var sample = BottomKSample<Int>(capacity: k)
        for (hash, item) in items { sample.add(hash: hash, item) }
        #expect(sample.items == Self.bruteForce(items, k: k))
        #expect(sample.count == min(k, items.count))
    }

    @Test func mergingPartsInAnyOrderGivesTheSampleOfTheUnion() {
        let items = Self.items(4_000, seed: 9)
        let k = 150
        var random = SplitMix64(seed: 10)
        // Ten parts of random sizes (windows, flushes, members), some items in two parts (a replay).
        var parts = [BottomKSample<Int>](repeating: BottomKSample(capacity: k), count: 10)
        for entry in items {
            parts[Int(random.next() % 10)].add(hash: entry.hash, entry.item)
            if random.next() % 20 == 0 { parts[Int(random.next() % 10)].add(hash: entry.hash, entry.item) }
        }
        var forward = BottomKSample<Int>(capacity: k)
        for part in parts { forward.merge(part) }
        var backward = BottomKSample<Int>(capacity: k)
        for part in parts.reversed() { backward.merge(part) }
        let expected = Self.bruteForce(items, k: k)
        #expect(forward.items == expected)
        #expect(backward.items == expected)
    }

    @Test func aRepeatedKeyIsKeptOnce() {
        var sample = BottomKSample<String>(capacity: 3)
        let hash = SampleHash.hash("req-1")
        let first = sample.add(hash: hash, "first")
        let again = sample.add(hash: hash, "again")
        #expect(first && !again)
        #expect(sample.items == ["first"])
    }

    @Test func theHashIsFixed() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (Fowler, Noll & Vo's published test vector);
        // the mix is SplitMix64's finaliser of that value.
        #expect(SampleHash.hash("a") == Int64(bitPattern: SampleHash.mix(0xaf63_dc4c_8601_ec8c)))
        var generator = SplitMix64(seed: 0xaf63_dc4c_8601_ec8c)
        #expect(SampleHash.mix(0xaf63_dc4c_8601_ec8c) == generator.next())
    }
}
