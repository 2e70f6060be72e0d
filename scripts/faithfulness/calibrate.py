#!/usr/bin/env python3
"""Calibrates the reference faithfulness scorer on FRANK features and measures every choice.

Input: the JSON lines `driftline faithfulness eval FILE --features-out F.jsonl` writes (one row's
features, label and source per line). Output: the per-source balanced accuracy and ROC-AUC of
each feature set (ablation table of docs/faithfulness.md), the 5-fold cross-validated figures,
and the coefficients and threshold to paste into FaithfulnessCalibration.frank.

Fit: logistic regression (scikit-learn, C=30, standardised columns folded back into raw
coefficients) on the features, ℓ = ln(1 + response content words) and each feature × ℓ (the
slopes depend on the response's length; not the unsupported numbers'), with each (source, label) cell weighted to the same total. Threshold: the one
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
    "token_precision",
    "weakest_sentence_similarity",
    "weakest_content_token_similarity",
    "content_overlap",
    "bigram_overlap",
    "unsupported_numbers",
]
# Swift names of FaithfulnessCalibration.Feature, for the literal to paste.
SWIFT = {
    "token_precision": "tokenPrecision",
    "token_precision_idf": "tokenPrecisionIDF",
    "weakest_sentence_precision": "weakestSentencePrecision",
    "weakest_sentence_similarity": "weakestSentenceSimilarity",
    "weakest_content_token_similarity": "weakestContentTokenSimilarity",
    "content_overlap": "contentOverlap",
    "bigram_overlap": "bigramOverlap",
    "unsupported_numbers": "unsupportedNumbers",
    "unsupported_names": "unsupportedNames",
}
C = 30.0


def load(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    for row in rows:
        row["unsupported_numbers"] = min(row["unsupported_numbers"], 2)
        row["unsupported_names"] = min(row["unsupported_names"], 2)
        row["negation_mismatch"] = min(row["negation_mismatches"], 1)
        row["length"] = np.log1p(row["response_content_words"])
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


# Features whose weight does not depend on length: an unsupported number is evidence against a
# response of any length (with a length slope its fitted weight turns positive past ~31 words).
CONSTANT_SLOPE = {"unsupported_numbers"}


def columns(features, by_length):
    """The names of the fit's columns: the features, and with by_length also ℓ ("length") and each
    feature × ℓ ("FEATURE*length") except those of CONSTANT_SLOPE."""
    if not by_length:
        return list(features)
    names = ["length"]
    for f in features:
        names.append(f)
        if f not in CONSTANT_SLOPE:
            names.append(f + "*length")
    return names


def design(rows, features, by_length):
    def value(r, name):
        if name.endswith("*length"):
            return float(r[name[: -len("*length")]]) * r["length"]
        return float(r[name])

    return np.array([[value(r, n) for n in columns(features, by_length)] for r in rows], dtype=float)


def fit(x, labels, sources):
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std == 0] = 1
    model = LogisticRegression(C=C, max_iter=20000)
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


def cross_validated(x, labels, sources, seeds=5):
    """5-fold cross-validation, stratified by source and label, threshold fitted on each training
    fold; repeated with `seeds` shuffles, printed as mean ± standard deviation."""
    strata = np.array([f"{a}{b}" for a, b in zip(sources, labels)])
    figures = []
    for seed in range(seeds):
        held = np.zeros(len(labels))
        thresholds = np.zeros(len(labels))
        for train, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(x, strata):
            i, c = fit(x[train], labels[train], sources[train])
            held[test] = scores_of(x[test], i, c)
            thresholds[test] = best_threshold(scores_of(x[train], i, c), labels[train], sources[train])
        row = []
        for src in ["cnndm", "xsum"]:
            m = sources == src
            predicted = held[m] >= thresholds[m]
            lab = labels[m]
            ba = ((predicted & (lab == 1)).sum() / (lab == 1).sum() + (~predicted & (lab == 0)).sum() / (lab == 0).sum()) / 2
            row += [ba, roc_auc_score(lab, held[m])]
        figures.append(row)
    mean, std = np.mean(figures, axis=0), np.std(figures, axis=0)
    parts = ["%.3f / %.3f (± %.3f / %.3f)" % (mean[k], mean[k + 1], std[k], std[k + 1]) for k in (0, 2)]
    print("|   5-fold cross-validated, %d shuffles | %s |" % (seeds, " | ".join(parts)))


def main():
    for path in sys.argv[1:]:
        rows = load(path)
        labels = np.array([r["label"] for r in rows])
        sources = np.array([r["source"] for r in rows])
        print("\n## %s (%d rows)\n" % (path, len(rows)))
        print("| features (logistic fit, C = %g, threshold max mean per-source BA) | cnndm BA / AUC | xsum BA / AUC |" % C)
        print("|---|---|---|")
        for single in ["content_overlap", "token_precision", "token_precision_idf", "weakest_sentence_precision",
                       "weakest_sentence_similarity", "weakest_content_token_similarity", "bigram_overlap"]:
            s = np.array([r[single] for r in rows], dtype=float)
            report(single + " alone", s, labels, sources, best_threshold(s, labels, sources))
        subsets = [
            ["token_precision", "content_overlap"],
            ["bigram_overlap", "unsupported_numbers"],
            ["token_precision", "content_overlap", "bigram_overlap", "unsupported_numbers"],
            ["token_precision", "weakest_sentence_similarity", "content_overlap", "bigram_overlap",
             "unsupported_numbers"],
            FEATURES,
            ["token_precision_idf" if f == "token_precision" else f for f in FEATURES],
            FEATURES + ["unsupported_names"],
        ]
        for subset in subsets:
            for by_length in (False, True):
                x = design(rows, subset, by_length)
                intercept, coefficients = fit(x, labels, sources)
                s = scores_of(x, intercept, coefficients)
                name = " + ".join(subset) + (", slopes by length" if by_length else "")
                report(name, s, labels, sources, best_threshold(s, labels, sources))
                cross_validated(x, labels, sources)
        x = design(rows, FEATURES, True)
        intercept, coefficients = fit(x, labels, sources)
        s = scores_of(x, intercept, coefficients)
        t = best_threshold(s, labels, sources)
        print("\nFaithfulnessCalibration.frank:\n")
        print("    public static let frank = FaithfulnessCalibration(")
        weight = dict(zip(columns(FEATURES, True), coefficients))
        print("        intercept: %.4f, length: %.4f," % (intercept, weight["length"]))
        print("        terms: [")
        for f in FEATURES:
            print("            Term(.%s, weight: %.4f, lengthWeight: %.4f)," % (SWIFT[f], weight[f], weight.get(f + "*length", 0.0)))
        print("        ],")
        words = [r["response_content_words"] for r in rows]
        print("        threshold: %.4f, contentWords: %d...%d)" % (t, min(words), max(words)))
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
