"""Writes mmd.json: Evidently 0.7.23's `MMDDriftMethod` score (no bootstrap, no PCA) between seeded
reference and current embeddings, for DriftlineStats' MaximumMeanDiscrepancy.

What MMDDriftMethod computes (legacy/metrics/data_drift/embedding_drift_methods.py):
- bandwidth: the median of the euclidean distances between `x.sample(min(m, 1000), random_state=0)`
  and `y.sample(min(n, 1000), random_state=0)` (reference rows against current rows only); pandas
  draws the rows with numpy's legacy `RandomState(0).permutation(len)[:1000]`;
- kernel: sklearn's rbf with gamma = 1 / median², i.e. k(a, b) = exp(−‖a − b‖² / median²);
- estimator: the unbiased MMD²_u (Gretton et al. 2012, eq. 3) over the kernel of all rows;
- score: max(MMD²_u, 0). Its `bootstrap` option is not a permutation test and is not used here.
Besides the score the fixture keeps the raw MMD²_u (Evidently's own `MMD2u` on the same kernel) and
the median distance, so that a mismatch says which step differs.

Vectors are generated with streams.py (SplitMix64, Irwin-Hall normals), `dimension` values per
vector, each rounded to float32 as embeddings arrive; the Swift test generates the same floats.
The centroid distances of `DistanceDriftMethod` are in centroid_drift.json (make_centroid_fixtures.py).

Re-run with (no torch needed):
    pip install "evidently==0.7.23" "pandas<3"
    python3 Tests/DriftlineStatsTests/Fixtures/make_mmd_fixtures.py
"""

import json
import os
import sys

import evidently
import numpy as np
import pandas as pd
from evidently.legacy.metrics.data_drift.embedding_drift_methods import MMD2u
from evidently.legacy.metrics.data_drift.embedding_drift_methods import MMDDriftMethod
from sklearn.metrics import pairwise_distances
from sklearn.metrics import pairwise_kernels

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from streams import generate  # noqa: E402

assert evidently.__version__ == "0.7.23", evidently.__version__

N = lambda mean, sd, length: {"kind": "normal", "mean": mean, "sd": sd, "length": length}  # noqa: E731

CASES = [
    {"name": "no-shift-8", "dimension": 8, "reference": {"seed": 301, "segments": [N(0.0, 1.0, 8 * 300)]},
     "current": {"seed": 302, "segments": [N(0.0, 1.0, 8 * 250)]}},
    {"name": "mean-shift-8", "dimension": 8, "reference": {"seed": 303, "segments": [N(0.0, 1.0, 8 * 300)]},
     "current": {"seed": 304, "segments": [N(0.3, 1.0, 8 * 300)]}},
    {"name": "no-shift-32", "dimension": 32, "reference": {"seed": 305, "segments": [N(0.1, 1.0, 32 * 400)]},
     "current": {"seed": 306, "segments": [N(0.1, 1.0, 32 * 200)]}},
    {"name": "scale-shift-32", "dimension": 32, "reference": {"seed": 307, "segments": [N(0.0, 0.5, 32 * 200)]},
     "current": {"seed": 308, "segments": [N(0.0, 0.6, 32 * 500)]}},
    {"name": "small-samples-8", "dimension": 8, "reference": {"seed": 309, "segments": [N(0.0, 1.0, 8 * 7)]},
     "current": {"seed": 310, "segments": [N(1.0, 1.0, 8 * 4)]}},
    # Above 1000 rows per side Evidently takes the median over a random 1000-row sample of each.
    {"name": "subsampled-8", "dimension": 8, "reference": {"seed": 311, "segments": [N(0.0, 1.0, 8 * 1200)]},
     "current": {"seed": 312, "segments": [N(0.1, 1.0, 8 * 1100)]}},
]


def vectors(spec, dimension):
    values = np.asarray(generate(spec["seed"], spec["segments"]), dtype=np.float64).astype(np.float32)
    return values.reshape(-1, dimension).astype(np.float64)


def main():
    out = {"evidently": evidently.__version__, "cases": []}
    for case in CASES:
        x = pd.DataFrame(vectors(case["reference"], case["dimension"]))
        y = pd.DataFrame(vectors(case["current"], case["dimension"]))
        score, _, _ = MMDDriftMethod()(y, x)

        # The same steps as MMDDriftMethod.__call__, to keep the intermediate values.
        m, n = len(x), len(y)
        pair_dists = pairwise_distances(
            x.sample(min(m, 1000), random_state=0), y.sample(min(n, 1000), random_state=0), metric="euclidean"
        )
        median = float(np.median(pair_dists))
        kernel = pairwise_kernels(np.vstack([x, y]), metric="rbf", gamma=1.0 / median**2)
        unbiased = float(MMD2u(kernel, m, n))
        assert float(score) == max(unbiased, 0.0), (score, unbiased)

        out["cases"].append({**case, "median_distance": median, "mmd2u": unbiased, "score": float(score)})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mmd.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
