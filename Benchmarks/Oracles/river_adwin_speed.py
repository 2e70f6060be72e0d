"""River 0.26.1's ADWIN and Page-Hinkley on the stream of `DriftlineBenchmarks --drift`, timed.

The stream is the benchmark's, bit for bit: SplitMix64(seed 2) Irwin–Hall normals, mean 0 for
the first half and 0.5 for the second (Tests/DriftlineStatsTests/Fixtures/streams.py has the same
generator as DriftlineStats). Prints updates per second and the detection count, to compare with the Swift
figures. Run: pip install river==0.26.1 && python3 Benchmarks/Oracles/river_adwin_speed.py [N]
"""
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "Tests/DriftlineStatsTests/Fixtures"))
from streams import SplitMix64  # noqa: E402
from river import drift  # noqa: E402

count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
rng = SplitMix64(2)
values = [(0.0 if i < count // 2 else 0.5) + rng.normal() for i in range(count)]

for name, detector in [("ADWIN (River defaults)", drift.ADWIN()), ("Page-Hinkley (River defaults)", drift.PageHinkley())]:
    detections = 0
    start = time.perf_counter()
    for value in values:
        detector.update(value)
        if detector.drift_detected:
            detections += 1
    elapsed = time.perf_counter() - start
    print(f"River {name}: {count / elapsed / 1e6:.3f} M updates/s ({elapsed / count * 1e9:.0f} ns/update, {detections} detections, {count} values)")
