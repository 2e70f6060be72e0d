/// The hash behind deterministic sampling: the same id gives the same fraction in every process,
/// on every run, on every platform, so reruns and several consumers sample the same requests.
///
/// FNV-1a 64 (Fowler, Noll & Vo; the IETF draft `draft-eastlake-fnv`, offset basis
/// 0xcbf29ce484222325, prime 0x100000001b3) over the id's UTF-8 bytes, then SplitMix64's
/// finaliser (Steele, Lea & Flood 2014) to spread FNV's weak low bits over the whole word, and the
/// top 53 bits as a fraction in [0, 1). Swift's `Hasher` is seeded per process and so unusable.
public enum StableSampleHash {
    /// FNV-1a 64 of `bytes`.
    public static func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// SplitMix64's output function (the mix of one step, without the increment).
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The id's fraction in [0, 1): `mix(fnv1a64(utf8)) >> 11` × 2⁻⁵³.
    public static func fraction(_ id: String) -> Double {
        Double(mix(fnv1a64(id.utf8)) >> 11) * 0x1.0p-53
    }

    /// Whether the id is in a sample taken at `rate`: its fraction is below the rate. Rates are
    /// nested: an id sampled at 1 % is also sampled at 5 %.
    public static func isSampled(_ id: String, rate: Double) -> Bool {
        rate >= 1 || (rate > 0 && fraction(id) < rate)
    }
}
