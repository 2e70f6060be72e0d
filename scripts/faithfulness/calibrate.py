#!/usr/bin/env python3
"""Calibrates the reference faithfulness scorer on FRANK features and measures every choice.

Input: the JSON lines `driftline faithfulness eval FILE --features-out F.jsonl` writes (one row's
features, label and source per line). Output: the per-source balanced accuracy and ROC-AUC of
each feature set (ablation table of docs/faithfulness.md), the 5-fold cross-validated figures,
and the coefficients and threshold to paste into FaithfulnessCalibration.frank.

Fit: logistic regression (scikit-learn, C=1, standardised features folded back into raw
coefficients) with each (source, label) cell weighted to the same total. Threshold: the one
maximising the mean of the per-source balanced accuracies over the fitted scores.

    python3 scripts/faithfulness/calibrate.py F.jsonl [G.jsonl ...]
"""
import json
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

FEATURES = [
    "token_precision_idf",
    "weakest_sentence_precision",
    "weakest_sentence_similarity",
    "content_overlap",
    "bigram_overlap",
    "unsupported_numbers",
    "unsupported_names",
    "negation_mismatch",
]


def load(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    for row in rows:
        row["unsupported_numbers"] = min(row["unsupported_numbers"], 2)
        row["unsupported_names"] = min(row["unsupported_names"], 2)
        row["negation_mismatch"] = min(row["negation_mismatches"], 1)
    return rows


def balanced_accuracy(scores, labels, threshold):
    predicted = scores >= threshold
    tpr = (predicted & (labels == 1)).sum() / max(1, (labels == 1).sum())
    tnr = (~predicted & (labels == 0)).sum() / max(1, (labels == 0).sum())
    return (tpr + tnr) / 2


def best_threshold(scores, labels, sources):
    candidates = np.unique(scores)
    best, best_value = None, -1
    for t in candidates:
        value = np.mean([balanced_accuracy(scores[sources == s], labels[sources == s], t) for s in np.unique(sources)])
        if value > best_value:
            best, best_value = t, value
    # The midpoint to the next lower score, so the threshold is not any row's exact score.
    lower = candidates[candidates < best]
    return (best + lower.max()) / 2 if len(lower) else best


def cell_weights(labels, sources):
    weights = np.zeros(len(labels))
    cells = {(s, l) for s, l in zip(sources, labels)}
    for s, l in cells:
        mask = (sources == s) & (labels == l)
        weights[mask] = 1.0 / mask.sum()
    return weights * len(labels) / weights.sum()


def fit(x, labels, sources):
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std == 0] = 1
    model = LogisticRegression(C=1.0, max_iter=1000)
    model.fit((x - mean) / std, labels, sample_weight=cell_weights(labels, sources))
    coefficients = model.coef_[0] / std
    intercept = model.intercept_[0] - (coefficients * mean).sum()
    return intercept, coefficients


def scores_of(x, intercept, coefficients):
    return 1 / (1 + np.exp(-(intercept + x @ coefficients)))


def report(name, scores, labels, sources, threshold):
    parts = []
    for s in ["cnndm", "xsum"]:
        m = sources == s
        parts.append(
            "%.3f / %.3f" % (balanced_accuracy(scores[m], labels[m], threshold), roc_auc_score(labels[m], scores[m]))
        )
    print("| %s | %s |" % (name, " | ".join(parts)))


def main():
    for path in sys.argv[1:]:
        rows = load(path)
        labels = np.array([r["label"] for r in rows])
        sources = np.array([r["source"] for r in rows])
        print("\n## %s (%d rows)\n" % (path, len(rows)))
        print("| features (logistic fit, threshold max mean per-source BA) | cnndm BA / AUC | xsum BA / AUC |")
        print("|---|---|---|")
        for single in ["content_overlap", "token_precision", "token_precision_idf", "weakest_sentence_precision",
                       "weakest_sentence_similarity", "bigram_overlap"]:
            s = np.array([r[single] for r in rows], dtype=float)
            report(single + " alone", s, labels, sources, best_threshold(s, labels, sources))
        subsets = [
            ["token_precision_idf", "content_overlap"],
            ["token_precision_idf", "content_overlap", "bigram_overlap"],
            ["token_precision_idf", "content_overlap", "unsupported_numbers", "unsupported_names"],
            ["token_precision_idf", "weakest_sentence_precision", "content_overlap"],
            ["token_precision_idf", "weakest_sentence_similarity", "content_overlap"],
            FEATURES,
        ]
        for subset in subsets:
            x = np.array([[r[f] for f in subset] for r in rows], dtype=float)
            intercept, coefficients = fit(x, labels, sources)
            s = scores_of(x, intercept, coefficients)
            report(" + ".join(subset), s, labels, sources, best_threshold(s, labels, sources))
            # 5-fold cross-validation, stratified by source and label, threshold fitted per fold.
            strata = np.array([f"{a}{b}" for a, b in zip(sources, labels)])
            held = np.zeros(len(rows))
            thresholds = np.zeros(len(rows))
            for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(x, strata):
                i, c = fit(x[train], labels[train], sources[train])
                held[test] = scores_of(x[test], i, c)
                thresholds[test] = best_threshold(scores_of(x[train], i, c), labels[train], sources[train])
            parts = []
            for src in ["cnndm", "xsum"]:
                m = sources == src
                predicted = held[m] >= thresholds[m]
                lab = labels[m]
                ba = ((predicted & (lab == 1)).sum() / (lab == 1).sum() + (~predicted & (lab == 0)).sum() / (lab == 0).sum()) / 2
                parts.append("%.3f / %.3f" % (ba, roc_auc_score(lab, held[m])))
            print("|   5-fold cross-validated | %s |" % " | ".join(parts))
        x = np.array([[r[f] for f in FEATURES] for r in rows], dtype=float)
        intercept, coefficients = fit(x, labels, sources)
        s = scores_of(x, intercept, coefficients)
        t = best_threshold(s, labels, sources)
        print("\ncalibration: intercept %.4f" % intercept)
        for f, c in zip(FEATURES, coefficients):
            print("  %s: %.4f" % (f, c))
        print("threshold %.4f" % t)
        for dt in [-0.05, -0.02, 0.02, 0.05]:
            print("  threshold %+.2f:" % dt, end=" ")
            for src in ["cnndm", "xsum"]:
                m = sources == src
                print("%s BA %.3f" % (src, balanced_accuracy(s[m], labels[m], t + dt)), end="  ")
            print()
        base = np.array([r["content_overlap"] for r in rows], dtype=float)
        print("lexical baseline threshold %.4f" % best_threshold(base, labels, sources))


if __name__ == "__main__":
    main()
