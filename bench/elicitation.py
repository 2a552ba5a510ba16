"""Duplicate suggestions: quality on labelled statements, and speed against a named baseline.

    python bench/elicitation.py            # quality, then speed
    python bench/elicitation.py quality    # tune on one set, report on the held-out set
    python bench/elicitation.py speed      # 1,000 statements lexical, 10,000 semantic
    python bench/elicitation.py deductive  # 10,000 statements ranked against 156 items

Quality: each method's threshold is chosen on `data/statements_tune.csv` (the highest
adjusted Rand index whose same-item pair precision is at least 0.5), then the method is
scored with that threshold on `data/statements_heldout.csv`, written separately with other
items and wording. Statements with an empty `item` are unrelated: each is its own cluster.
The rule for the threshold: the highest adjusted Rand index among thresholds with pair
precision >= 0.5 and pair recall >= 0.05; where none qualifies, the highest index.

Baselines, run in the same process: plain scikit-learn (TfidfVectorizer defaults, or raw
MiniLM embeddings) with AgglomerativeClustering (cosine, average linkage).
"""

from __future__ import annotations

import csv
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from rtwcomp.elicitation import clustering as cl

DATA = Path(__file__).resolve().parent / "data"
THRESHOLDS = [round(x, 2) for x in np.arange(0.05, 0.95, 0.05)]
MIN_PRECISION = 0.5  # a wrong merge costs the researcher more than a missed one
MIN_RECALL = 0.05  # a threshold that finds almost no duplicates suggests nothing

Vectorizer = Callable[[Sequence[str]], np.ndarray]


def load(name: str) -> tuple[list[str], list[str]]:
    with open(DATA / f"statements_{name}.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows], [r["item"] or f"unrelated-{i}" for i, r in enumerate(rows)]


def baseline_tfidf(texts: Sequence[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer().fit_transform(texts).toarray()


def baseline_minilm(texts: Sequence[str]) -> np.ndarray:
    return np.asarray(cl._model().encode(list(texts), batch_size=64, normalize_embeddings=True))


def sklearn_agglomerative(vecs: np.ndarray, threshold: float) -> list[int]:
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=1 - threshold
    )
    return list(model.fit_predict(vecs))


METHODS: dict[str, tuple[Vectorizer, Callable[[np.ndarray, float], list[int]], bool]] = {
    "baseline: sklearn TF-IDF + agglomerative": (baseline_tfidf, sklearn_agglomerative, False),
    "lexical (rtwcomp)": (cl.lexical_similarity, cl.average_linkage, False),
    "baseline: MiniLM + agglomerative": (baseline_minilm, sklearn_agglomerative, True),
    "semantic (rtwcomp)": (cl.semantic_similarity, cl.average_linkage, True),
}


def scores(truth: list[str], predicted: list[int]) -> tuple[float, float, float]:
    precision, recall = cl.pair_precision_recall(truth, predicted)
    return cl.adjusted_rand(truth, predicted), precision, recall


def choose(vecs: np.ndarray, truth: list[str], clusterer: Callable) -> tuple[float, tuple]:
    scored = [(t, scores(truth, clusterer(vecs, t))) for t in THRESHOLDS]
    precise = [s for s in scored if s[1][1] >= MIN_PRECISION and s[1][2] >= MIN_RECALL]
    return max(precise or scored, key=lambda s: s[1][0])


def quality() -> None:
    tune_texts, tune_truth = load("tune")
    held_texts, held_truth = load("heldout")
    for name, truth in (("tune", tune_truth), ("held-out", held_truth)):
        items = {t for t in truth if not t.startswith("unrelated-")}
        unrelated = sum(t.startswith("unrelated-") for t in truth)
        print(f"{name}: {len(truth)} statements, {len(items)} items, {unrelated} unrelated")
    print(f"{'method':<42} {'thr':>5}  {'tune ARI/P/R':>17}  {'held-out ARI/P/R':>17}")
    for name, (vectorize, clusterer, semantic) in METHODS.items():
        if semantic and not cl.semantic_available():
            print(f"{name:<42} skipped: the semantic extra is not installed")
            continue
        threshold, tuned = choose(vectorize(tune_texts), tune_truth, clusterer)
        held = scores(held_truth, clusterer(vectorize(held_texts), threshold))
        print(
            f"{name:<42} {threshold:>5.2f}  "
            + " ".join(f"{x:5.3f}" for x in tuned)
            + "  "
            + " ".join(f"{x:5.3f}" for x in held)
        )


def synthetic(n: int, seed: int = 7) -> list[str]:
    """n distinct statements: the labelled ones with conversational openers and closers."""
    texts = load("tune")[0] + load("heldout")[0]
    openers = ["", "I think ", "For me it's ", "Honestly, ", "Really, ", "You know, ", "Also "]
    openers.append("And ")
    closers = ["", " for sure", " in my experience", " every single day", " above all"]
    combos = [f"{o}{t}{c}" for t in texts for o in openers for c in closers]
    if n > len(combos):
        raise ValueError(f"at most {len(combos)} distinct synthetic statements")
    return random.Random(seed).sample(combos, n)


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def cpu_timed(run: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds: with other work on the machine the CPU figure still holds."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def speed() -> None:
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    texts = synthetic(1_000)
    base = timed(lambda: sklearn_agglomerative(baseline_tfidf(texts), 0.3))
    ours = timed(lambda: cl.suggest_clusters(texts, "lexical"))
    print(f"1,000 statements, lexical: {ours:.2f} s (goal < 5 s)")
    print(f"  baseline sklearn TF-IDF + agglomerative: {base:.2f} s; ratio {ours / base:.2f}")
    if not cl.semantic_available():
        print("10,000 statements, semantic: skipped (the semantic extra is not installed)")
        return
    load_time = timed(lambda: cl._background_embeddings(cl.DEFAULT_ROLE))
    texts = synthetic(10_000)
    base, base_cpu = cpu_timed(lambda: sklearn_agglomerative(baseline_minilm(texts), 0.35))
    ours, ours_cpu = cpu_timed(lambda: cl.suggest_clusters(texts, "semantic"))
    print(
        f"10,000 statements, semantic: {ours:.1f} s, CPU {ours_cpu:.1f} s "
        f"(goal < 60 s; model load once per process {load_time:.1f} s)"
    )
    print(
        f"  baseline MiniLM + sklearn agglomerative: {base:.1f} s, CPU {base_cpu:.1f} s; "
        f"ratio {ours / base:.2f}"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def deductive() -> None:
    """10,000 statements' three likeliest default-framework items, semantic, in a fresh
    process's state (model load included), against encoding the same statements alone."""
    from rtwcomp.elicitation import matching

    if not cl.semantic_available():
        print("10,000 statements, deductive: skipped (the semantic extra is not installed)")
        return
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    texts = synthetic(10_000)
    items = list(cl.background_texts())
    ours, ours_cpu = cpu_timed(
        lambda: matching.top_candidates(matching.item_scores(texts, items, "semantic"))
    )
    base, base_cpu = cpu_timed(lambda: cl._model().encode(texts, batch_size=64))
    print(
        f"10,000 statements ranked against {len(items)} items, model load included: "
        f"{ours:.1f} s, CPU {ours_cpu:.1f} s"
    )
    print(
        f"  baseline: MiniLM encoding of the 10,000 statements alone (model loaded): "
        f"{base:.1f} s, CPU {base_cpu:.1f} s; "
        f"ratio {ours / base:.2f} (CPU {ours_cpu / base_cpu:.2f})"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    which = sys.argv[1:] or ["quality", "speed"]
    for part in which:
        {"quality": quality, "speed": speed, "deductive": deductive}[part]()
