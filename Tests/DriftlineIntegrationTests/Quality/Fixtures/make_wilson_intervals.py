"""Oracle for dl_wilson_interval: statsmodels' proportion_confint(method='wilson').

Run once (pip install statsmodels); the output, wilson_intervals.json, is committed and read by
QualitySQLTests. Cases: integer counts, fractional effective sample sizes, the edges 0 and n, and
other confidence levels.
"""

import json
import pathlib

import statsmodels
from scipy.stats import norm
from statsmodels.stats.proportion import proportion_confint

cases = []
for count, n in [(0, 1), (1, 1), (0, 10), (10, 10), (3, 10), (1, 100), (50, 100), (99, 100), (7, 1000),
                 (12, 37), (1, 3), (450, 10000), (2.5, 7.25), (0.4, 13.7), (33.3, 40.0)]:
    for alpha in (0.05, 0.10, 0.01):
        lower, upper = proportion_confint(count, n, alpha=alpha, method="wilson")
        cases.append({"successes": count, "n": n, "z": float(norm.ppf(1 - alpha / 2)),
                      "lower": float(lower), "upper": float(upper)})

out = pathlib.Path(__file__).with_name("wilson_intervals.json")
out.write_text(json.dumps({"statsmodels": statsmodels.__version__, "cases": cases}, indent=1) + "\n")
print(f"{len(cases)} cases -> {out}")
