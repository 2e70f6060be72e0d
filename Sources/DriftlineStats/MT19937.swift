/// The Mersenne Twister MT19937 (Matsumoto & Nishimura, "Mersenne Twister: a 623-dimensionally
/// equidistributed uniform pseudo-random number generator", ACM TOMACS 8(1), 1998) as numpy's
/// legacy `RandomState(seed)` runs it: `init_genrand` seeding and numpy's `permutation`.
///
/// Driftline does not use it for randomness of its own (`SplitMix64` does that). It exists to draw
/// exactly the rows Evidently draws: `MMDDriftMethod` takes the median distance over
/// `DataFrame.sample(1000, random_state=0)`, which pandas implements as
/// `RandomState(0).permutation(len)[:1000]`.
struct MT19937 {
    private static let size = 624
    private static let shift = 397

    private var state: [UInt32]
    private var index: Int

    /// numpy's `RandomState(seed)` for an integer seed (the reference `init_genrand`).
    init(seed: UInt32) {
        state = [UInt32](repeating: 0, count: Self.size)
        state[0] = seed
        for i in 1..<Self.size {
            let previous = state[i - 1]
            state[i] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(i)
        }
        index = Self.size
    }

    /// The next tempered 32-bit output (`genrand_int32`).
    mutating func next() -> UInt32 {
        if index >= Self.size { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// Uniform in `0...max` by masked rejection, numpy's `random_interval` for bounds below 2³².
    mutating func interval(_ max: UInt32) -> UInt32 {
        guard max > 0 else { return 0 }
        var mask = max
        mask |= mask >> 1
        mask |= mask >> 2
        mask |= mask >> 4
        mask |= mask >> 8
        mask |= mask >> 16
        while true {
            let value = next() & mask
            if value <= max { return value }
        }
    }

    /// numpy's `RandomState.permutation(count)`: `0..<count` shuffled by Fisher–Yates from the last
    /// element down, each swap partner drawn with `interval`. `count` must be below 2³².
    mutating func permutation(_ count: Int) -> [Int] {
        precondition(count <= Int(UInt32.max), "numpy's 32-bit interval path needs fewer than 2³² elements")
        var values = Array(0..<count)
        var i = count - 1
        while i > 0 {
            values.swapAt(i, Int(interval(UInt32(i))))
            i -= 1
        }
        return values
    }

    private mutating func twist() {
        for k in 0..<Self.size {
            let y = (state[k] & 0x8000_0000) | (state[(k + 1) % Self.size] & 0x7FFF_FFFF)
            state[k] = state[(k + Self.shift) % Self.size] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_B0DF)
        }
        index = 0
    }
}
