"""Writes drift_detectors.json: River 0.26.1's ADWIN and Page-Hinkley run on seeded streams.

Re-run with:
    pip install river==0.26.1
    python3 Tests/DriftlineStatsTests/Fixtures/make_drift_detector_fixtures.py
CI never runs this; the Swift tests read the committed JSON (ADWINTests, PageHinkleyTests).
"""

import json
import os
import sys

import river
from river import drift

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from streams import generate  # noqa: E402

assert river.__version__ == "0.26.1", river.__version__

N = lambda mean, sd, length: {"kind": "normal", "mean": mean, "sd": sd, "length": length}  # noqa: E731
B = lambda p, length: {"kind": "bernoulli", "p": p, "length": length}  # noqa: E731

STREAMS = [
    {"name": "stationary-normal", "seed": 1, "segments": [N(0.0, 1.0, 20000)]},
    {"name": "abrupt-mean-shift", "seed": 2, "segments": [N(0.0, 1.0, 5000), N(1.5, 1.0, 5000)]},
    {
        "name": "several-shifts",
        "seed": 3,
        "segments": [N(0.0, 1.0, 3000), N(2.0, 1.0, 3000), N(-1.0, 1.0, 3000), N(0.5, 1.0, 3000)],
    },
    {
        "name": "gradual-drift",
        "seed": 4,
        "segments": [
            N(0.0, 1.0, 3000),
            {"kind": "ramp", "from": 0.0, "to": 3.0, "sd": 1.0, "length": 4000},
            N(3.0, 1.0, 3000),
        ],
    },
    {"name": "variance-change", "seed": 5, "segments": [N(5.0, 0.5, 5000), N(5.0, 3.0, 5000)]},
    {"name": "error-rate-jump", "seed": 6, "segments": [B(0.05, 10000), B(0.3, 5000), B(0.05, 5000)]},
    {"name": "stationary-errors", "seed": 7, "segments": [B(0.1, 20000)]},
    {
        "name": "latency-pareto-shift",
        "seed": 8,
        "segments": [{"kind": "pareto", "xm": 100.0, "length": 5000}, {"kind": "pareto", "xm": 160.0, "length": 5000}],
    },
    {
        "name": "long-small-shifts",
        "seed": 9,
        "segments": [N(100.0, 10.0, 40000), N(101.0, 10.0, 30000), N(99.0, 10.0, 30000)],
    },
    {"name": "long-stationary-errors", "seed": 10, "segments": [B(0.02, 100000)]},
]

ADWIN_CONFIGS = [
    {"name": "default", "delta": 0.002, "clock": 32, "max_buckets": 5, "min_window_length": 5, "grace_period": 10},
    {"name": "clock-1", "delta": 0.002, "clock": 1, "max_buckets": 5, "min_window_length": 5, "grace_period": 10},
    {"name": "delta-0.1", "delta": 0.1, "clock": 32, "max_buckets": 5, "min_window_length": 5, "grace_period": 10},
    {"name": "small-buckets", "delta": 0.05, "clock": 4, "max_buckets": 2, "min_window_length": 10, "grace_period": 50},
]

PH_CONFIGS = [
    {"name": "default", "min_instances": 30, "delta": 0.005, "threshold": 50.0, "alpha": 1 - 0.0001, "mode": "both"},
    {"name": "up-threshold-10", "min_instances": 30, "delta": 0.005, "threshold": 10.0, "alpha": 1 - 0.0001, "mode": "up"},
    {"name": "down-threshold-10", "min_instances": 50, "delta": 0.01, "threshold": 10.0, "alpha": 0.999, "mode": "down"},
]


def checkpoints_for(length: int) -> list[int]:
    return sorted({0, 9, 10, 31, 100, 1000, 4999, 5000, length // 2, length - 1} & set(range(length)))


def run_adwin(values, config):
    params = {k: v for k, v in config.items() if k != "name"}
    detector = drift.ADWIN(**params)
    wanted = set(checkpoints_for(len(values)))
    detections, checkpoints = [], []
    for i, x in enumerate(values):
        width_before = detector.width if not detector.drift_detected else 0
        detector.update(x)
        if detector.drift_detected:
            # After the detecting update River's window is the part after the cut.
            detections.append(
                {
                    "index": i,
                    "width_before": int(width_before) + 1,
                    "width_after": int(detector.width),
                    "estimation_after": detector.estimation,
                }
            )
        if i in wanted:
            checkpoints.append(
                {
                    "index": i,
                    "width": int(detector.width),
                    "estimation": detector.estimation,
                    "total": detector.total,
                    "variance": detector.variance,
                    "variance_in_window": detector._helper.variance_in_window if detector.width > 0 else 0.0,
                }
            )
    return {"config": config["name"], "detections": detections, "checkpoints": checkpoints}


def run_page_hinkley(values, config):
    params = {k: v for k, v in config.items() if k != "name"}
    detector = drift.PageHinkley(**params)
    indices = []
    for i, x in enumerate(values):
        detector.update(x)
        if detector.drift_detected:
            indices.append(i)
    return {"config": config["name"], "detections": indices}


def main():
    out = {
        "generator": "streams.py (SplitMix64, Irwin-Hall normal)",
        "river": river.__version__,
        "adwin_configs": ADWIN_CONFIGS,
        "page_hinkley_configs": PH_CONFIGS,
        "streams": [],
    }
    for stream in STREAMS:
        values = generate(stream["seed"], stream["segments"])
        out["streams"].append(
            {
                **stream,
                "length": len(values),
                "adwin": [run_adwin(values, c) for c in ADWIN_CONFIGS],
                "page_hinkley": [run_page_hinkley(values, c) for c in PH_CONFIGS],
            }
        )
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "drift_detectors.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
