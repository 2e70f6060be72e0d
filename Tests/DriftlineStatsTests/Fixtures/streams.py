"""Seeded streams shared by the fixture scripts and the Swift tests (StreamSpec.swift).

The generator is SplitMix64 (Steele, Lea & Flood, OOPSLA 2014), the same as
`DriftlineStats.SplitMix64`. Only operations that IEEE 754 rounds exactly
(+, -, *, /) turn its output into values, so Python and Swift produce the same
doubles bit for bit on any platform:

- uniform(0, 1): (next() >> 11) + 0.5, times 2^-53 (never 0);
- normal: Irwin–Hall, the sum of 12 uniforms minus 6, summed left to right
  (mean 0, variance 1; light tails, which does not matter for drift tests);
- bernoulli(p): 1.0 if uniform() < p else 0.0;
- pareto(xm): xm / uniform() (shape 1), for latency-like heavy tails.

A stream is a list of segments, each {"kind", "length", ...parameters}; one
generator runs through all segments in order.
"""

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed: int) -> None:
        self.state = seed & MASK

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self) -> float:
        return (float(self.next() >> 11) + 0.5) * 2.0**-53

    def normal(self) -> float:
        s = 0.0
        for _ in range(12):
            s += self.uniform()
        return s - 6.0


def generate(seed: int, segments: list[dict]) -> list[float]:
    rng = SplitMix64(seed)
    out: list[float] = []
    for seg in segments:
        kind, n = seg["kind"], seg["length"]
        for i in range(n):
            if kind == "normal":
                out.append(seg["mean"] + seg["sd"] * rng.normal())
            elif kind == "ramp":
                # mean moves linearly from `from` to `to` over the segment
                mean = seg["from"] + (seg["to"] - seg["from"]) * (float(i) / float(n))
                out.append(mean + seg["sd"] * rng.normal())
            elif kind == "bernoulli":
                out.append(1.0 if rng.uniform() < seg["p"] else 0.0)
            elif kind == "pareto":
                out.append(seg["xm"] / rng.uniform())
            else:
                raise ValueError(f"unknown segment kind {kind}")
    return out
