"""Writes psi.json: PSI oracles for DriftlineStats' PopulationStabilityIndex.

- sturges and categorical: Evidently 0.7.23's own `psi` stat test (legacy `_psi`, which bins with
  `get_binned_data`: numpy's "sturges" edges over reference+current for numerical data, the
  union of observed categories otherwise, and its empty-bin fill);
- quantile: a brute-force computation on the raw values, since Evidently has no binning snapped to
  histogram buckets: bucket index of each value as the OpenTelemetry exponential histogram at
  scale 6 gives it, edges at the upper boundary 2^((i+1)/64) of the bucket holding each reference
  decile (the "inverted_cdf" order statistic), counts of raw values per edge interval, then
  Evidently's fill and formula;
- raw_quantile: the same binning on raw samples without snapping (the `driftline drift psi`
  default): edges at numpy's `np.quantile(reference, k/10, method="inverted_cdf")`, equal edges
  merged, bins (e_i, e_i+1] counted with `np.searchsorted`, then Evidently's fill and formula.

Re-run with:
    pip install "evidently==0.7.23" "pandas<3"
    PYTHONHASHSEED=0 python3 Tests/DriftlineStatsTests/Fixtures/make_psi_fixtures.py
(Evidently sums categorical bins in a set's order, so without a fixed hash seed the last digit of a
categorical PSI varies between runs.) CI never runs this; PopulationStabilityIndexTests read the committed JSON.
"""

import json
import math
import os
import sys

import evidently
import numpy as np
import pandas as pd
from evidently.legacy.calculations.stattests.psi import _psi
from evidently.legacy.calculations.stattests.utils import get_binned_data
from evidently.legacy.core import ColumnType

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from streams import generate  # noqa: E402

assert evidently.__version__ == "0.7.23", evidently.__version__

SCALE = 6

N = lambda mean, sd, length: {"kind": "normal", "mean": mean, "sd": sd, "length": length}  # noqa: E731
P = lambda xm, length: {"kind": "pareto", "xm": xm, "length": length}  # noqa: E731

NUMERIC = [
    {"name": "no-drift", "reference": {"seed": 101, "segments": [N(100.0, 15.0, 5000)]},
     "current": {"seed": 102, "segments": [N(100.0, 15.0, 4000)]}},
    {"name": "mean-shift", "reference": {"seed": 103, "segments": [N(100.0, 15.0, 5000)]},
     "current": {"seed": 104, "segments": [N(110.0, 15.0, 5000)]}},
    {"name": "disjoint-with-empty-bins", "reference": {"seed": 105, "segments": [N(100.0, 5.0, 3000)]},
     "current": {"seed": 106, "segments": [N(140.0, 5.0, 2000)]}},
    {"name": "heavy-tail-tiny-shares", "reference": {"seed": 107, "segments": [P(50.0, 20000)]},
     "current": {"seed": 108, "segments": [P(60.0, 20000)]}},
    {"name": "latency-mixture", "reference": {"seed": 109, "segments": [N(300.0, 40.0, 8000), N(900.0, 100.0, 2000)]},
     "current": {"seed": 110, "segments": [N(320.0, 40.0, 6000), N(1000.0, 120.0, 4000)]}},
]

CATEGORICAL = [
    {"name": "missing-levels-both-sides",
     "reference": {"gpt-4o": 5000, "claude-sonnet": 3000, "llama-3": 2000},
     "current": {"gpt-4o": 4000, "claude-sonnet": 4500, "mistral-large": 10}},
    {"name": "stable-finish-reasons",
     "reference": {"stop": 9000, "length": 700, "tool_calls": 280, "content_filter": 20},
     "current": {"stop": 8800, "length": 760, "tool_calls": 300, "content_filter": 25}},
    {"name": "tiny-share-new-level",
     "reference": {"en": 19990, "de": 9, "fr": 1},
     "current": {"en": 15000, "de": 3000, "ja": 2000}},
]


def bucket_index(v: float) -> int:
    # OTel exponential histogram mapping at a positive scale (data model, "All Scales: Use the
    # Logarithm Function"), with the exact power-of-two case and the octave clamp.
    mantissa, exp = math.frexp(v)  # v = mantissa * 2^exp, mantissa in [0.5, 1)
    exponent = exp - 1
    if mantissa == 0.5:
        return (exponent << SCALE) - 1
    i = math.floor(math.log(v) * (math.log2(math.e) * 2**SCALE))
    return min(max(i, exponent << SCALE), ((exponent + 1) << SCALE) - 1)


def fill(shares: np.ndarray) -> np.ndarray:
    nonzero = shares[shares != 0]
    smallest = nonzero.min()
    value = smallest / 10**6 if smallest <= 0.0001 else 0.0001
    return np.where(shares == 0, value, shares)


def quantile_oracle(ref: list[float], cur: list[float]) -> dict:
    s = sorted(ref)
    n = len(s)
    edges: list[float] = []
    for k in range(1, 10):
        q = k / 10
        rank = max(1, math.ceil(q * n))
        x = s[rank - 1]
        edge = 0.0 if x == 0 else 2.0 ** ((bucket_index(x) + 1) / 2**SCALE)
        if not edges or edge != edges[-1]:
            edges.append(edge)

    def shares(values):
        values = np.asarray(values)
        counts = []
        lower = -math.inf
        for e in edges + [math.inf]:
            counts.append(int(np.sum((values > lower) & (values <= e))))
            lower = e
        assert sum(counts) == len(values)
        return np.asarray(counts) / len(values), counts

    p, ref_counts = shares(ref)
    q, cur_counts = shares(cur)
    pf, qf = fill(p), fill(q)
    value = float(np.sum((pf - qf) * np.log(pf / qf)))
    return {"edges": edges, "reference_counts": ref_counts, "current_counts": cur_counts, "psi": value}


def raw_quantile_oracle(ref: list[float], cur: list[float]) -> dict:
    deciles = np.quantile(np.asarray(ref), [k / 10 for k in range(1, 10)], method="inverted_cdf")
    edges: list[float] = []
    for x in deciles:
        if not edges or float(x) != edges[-1]:
            edges.append(float(x))

    def counts(values):
        bins = np.searchsorted(np.asarray(edges), np.asarray(values), side="left")
        return np.bincount(bins, minlength=len(edges) + 1)

    ref_counts, cur_counts = counts(ref), counts(cur)
    pf, qf = fill(ref_counts / len(ref)), fill(cur_counts / len(cur))
    value = float(np.sum((pf - qf) * np.log(pf / qf)))
    return {
        "edges": edges,
        "reference_counts": [int(c) for c in ref_counts],
        "current_counts": [int(c) for c in cur_counts],
        "psi": value,
    }


def main():
    out = {"evidently": evidently.__version__, "numeric": [], "categorical": []}
    for case in NUMERIC:
        ref = generate(case["reference"]["seed"], case["reference"]["segments"])
        cur = generate(case["current"]["seed"], case["current"]["segments"])
        rs, cs = pd.Series(ref), pd.Series(cur)
        assert rs.nunique() > 20  # Evidently bins numerical data with sturges only then
        value, _ = _psi(rs, cs, ColumnType.Numerical, 0.1)
        edges = np.histogram_bin_edges(np.asarray(pd.concat([rs, cs]).values), bins="sturges")
        ref_shares, cur_shares = get_binned_data(rs, cs, ColumnType.Numerical, 30)
        raw_ref = np.histogram(ref, edges)[0] / len(ref)
        raw_cur = np.histogram(cur, edges)[0] / len(cur)
        out["numeric"].append(
            {
                **case,
                "sturges": {
                    "psi": float(value),
                    "edges": [float(e) for e in edges],
                    "reference_shares": [float(x) for x in ref_shares],
                    "current_shares": [float(x) for x in cur_shares],
                    "empty_bins": int(np.sum(raw_ref == 0) + np.sum(raw_cur == 0)),
                },
                "quantile": quantile_oracle(ref, cur),
                "raw_quantile": raw_quantile_oracle(ref, cur),
            }
        )
    for case in CATEGORICAL:
        ref = pd.Series([k for k, n in case["reference"].items() for _ in range(n)])
        cur = pd.Series([k for k, n in case["current"].items() for _ in range(n)])
        value, _ = _psi(ref, cur, ColumnType.Categorical, 0.1)
        out["categorical"].append({**case, "psi": float(value)})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "psi.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
