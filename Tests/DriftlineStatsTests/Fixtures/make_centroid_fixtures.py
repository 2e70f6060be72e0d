"""Writes centroid_drift.json: Evidently 0.7.23's DistanceDriftMethod (euclidean and cosine, no
bootstrap, no PCA) between seeded reference and current embeddings, and the numpy centroids.

Vectors are generated with streams.py (SplitMix64, Irwin-Hall normals), `dimension` values per
vector, each rounded to float32 as embeddings arrive; the Swift test generates the same floats.

Re-run with:
    pip install "evidently==0.7.23" "pandas<3"
    python3 Tests/DriftlineStatsTests/Fixtures/make_centroid_fixtures.py
"""

import json
import os
import sys

import evidently
import numpy as np
import pandas as pd
from evidently.legacy.metrics.data_drift.embedding_drift_methods import DistanceDriftMethod

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from streams import generate  # noqa: E402

assert evidently.__version__ == "0.7.23", evidently.__version__

N = lambda mean, sd, length: {"kind": "normal", "mean": mean, "sd": sd, "length": length}  # noqa: E731

CASES = [
    {"name": "no-shift", "dimension": 32, "reference": {"seed": 201, "segments": [N(0.1, 1.0, 32 * 800)]},
     "current": {"seed": 202, "segments": [N(0.1, 1.0, 32 * 600)]}},
    {"name": "offset-shift", "dimension": 32, "reference": {"seed": 203, "segments": [N(0.1, 1.0, 32 * 800)]},
     "current": {"seed": 204, "segments": [N(0.4, 1.0, 32 * 700)]}},
    {"name": "dimension-384", "dimension": 384, "reference": {"seed": 205, "segments": [N(0.02, 0.3, 384 * 300)]},
     "current": {"seed": 206, "segments": [N(0.05, 0.35, 384 * 250)]}},
]


def vectors(spec, dimension):
    values = np.asarray(generate(spec["seed"], spec["segments"]), dtype=np.float64).astype(np.float32)
    return values.reshape(-1, dimension).astype(np.float64)


def main():
    out = {"evidently": evidently.__version__, "cases": []}
    for case in CASES:
        ref = pd.DataFrame(vectors(case["reference"], case["dimension"]))
        cur = pd.DataFrame(vectors(case["current"], case["dimension"]))
        euclidean, _, _ = DistanceDriftMethod(dist="euclidean")(cur, ref)
        cosine, _, _ = DistanceDriftMethod(dist="cosine")(cur, ref)
        out["cases"].append(
            {
                **case,
                "euclidean": float(euclidean),
                "cosine": float(cosine),
                "reference_centroid": [float(x) for x in ref.mean(axis=0)],
                "current_centroid": [float(x) for x in cur.mean(axis=0)],
            }
        )
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "centroid_drift.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
