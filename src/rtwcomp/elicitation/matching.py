"""Ranking a framework's items for each statement: the deductive half of affinity mapping.

No Django here. The choices were made by leave-one-set-out cross-validation on the labelled
sets in `bench/data/` (see `bench/affinity_eval.py` and `docs/elicitation.md`):

- Statements can first be put in plain words (`plain_words`): fillers of transcribed
  speech dropped and the jargon of the schemes (comp, WCB, WSIB, WorkCover, light duty,
  suitable duties, GP...) spelled out. Cross-validation chose it for one held-out set
  only, so it is off by default (`PLAIN_WORDS`).
- An item is described by its statement, its group's description (weighted `GROUP_WEIGHT`)
  and, once the researcher has accepted some, the statements filed under it (`exemplars`):
  each accepted statement becomes more anchor text for its item.
- Each statement-item score adds the semantic similarity (MiniLM of the bare statement,
  centred as in `clustering`; the "A <role> needs:" frame that helps clustering hurts
  matching) and the lexical one (TF-IDF of words and character n-grams) weighted
  `LEXICAL_WEIGHT`; without the semantic extra the lexical score stands alone.
- Statements that say the same thing should land on the same item: each row of scores is
  mixed (`NEIGHBOUR_WEIGHT`) with the mean row of its `NEIGHBOURS` most similar statements.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from rtwcomp.elicitation import clustering

TOP_K = 3
# Chosen per method by leave-one-set-out cross-validation over the labelled sets, then
# refitted on all of them (`python bench/affinity_eval.py [--method lexical]`, see
# docs/elicitation.md). group_weight and lexical_weight mean nothing to `lexical`.
SETTINGS = {
    "semantic": {
        "group_weight": 0.6,  # the item's group description, as extra anchor text
        "lexical_weight": 1.0,  # TF-IDF similarity added to MiniLM's
        "neighbours": 3,  # a statement's items are also judged by its closest fellows
        "neighbour_weight": 0.3,
        "plain": False,  # spelling out jargon was chosen for one held-out set only
    },
    "lexical": {
        "group_weight": 0.0,
        "lexical_weight": 0.0,
        "neighbours": 3,
        "neighbour_weight": 0.0,
        "plain": True,
    },
}
# A statement joins its first item when the score reaches this; the statements matching
# no item are clustered as candidate new items at REST_THRESHOLDS (deductive: one
# speaker's statements kept apart). Cross-validated with SETTINGS.
MATCH_THRESHOLDS = {"semantic": 0.15, "lexical": 0.20}
REST_THRESHOLDS = {"semantic": 0.40, "lexical": 0.40}
EXEMPLAR_WEIGHT = 1.0  # the mean of an item's accepted statements, beside its own statement

_FILLERS = re.compile(
    r"\b(?:um+|uh+|er+m?|ah+|you know|i mean|i guess|i'd say|kind of|sort of|"
    r"basically|honestly|actually|yeah|okay|ok|like,)\b[,.]?",
    re.IGNORECASE,
)
_JARGON = [
    (r"\bcomp\b", "workers' compensation"),
    (r"\b(?:wcb|wsib|workcover|worksafe|acc|sira|icare)\b", "the workers' compensation board"),
    (r"\bwsia\b", "the workers' compensation act"),
    (r"\b(?:light|modified|alternative|alternate|restricted) dut(?:y|ies)\b", "suitable duties"),
    (r"\bsuitable work\b", "suitable duties"),
    (r"\brtw\b", "return to work"),
    (r"\b(?:gp|treating doctor|nominated treating doctor)\b", "treating doctor"),
    (r"\bphysio\b", "physiotherapist"),
    (r"\bchiro\b", "chiropractor"),
    (r"\bime\b", "independent medical examination"),
    (r"\bfce\b", "functional capacity evaluation"),
    (r"\b(?:adjuster|adjudicator|claims manager|case manager at the insurer)\b", "insurer"),
    (r"\b(?:foreman|line manager|team leader|boss)\b", "supervisor"),
    (r"\b(?:crew|workmates|co-workers)\b", "co-workers"),
    (r"\b(?:cert|certificate)\b", "medical certificate"),
    (r"\b(?:psych claim|stress leave)\b", "psychological injury"),
]
_JARGON_RE = [(re.compile(pattern, re.IGNORECASE), words) for pattern, words in _JARGON]


def plain_words(text: str) -> str:
    """The statement without speech fillers and with scheme jargon spelled out."""
    text = _FILLERS.sub(" ", text)
    for pattern, words in _JARGON_RE:
        text = pattern.sub(words, text)
    text = re.sub(r"\s+([,.])", r"\1", re.sub(r"\s{2,}", " ", text)).strip(" ,.")
    return text or "-"


@dataclass(frozen=True)
class Candidate:
    item: int  # index into the items
    score: float


def _centred(vectors: np.ndarray, mean: np.ndarray) -> np.ndarray:
    centred = vectors.astype(np.float32) - mean.astype(np.float32)
    lengths = np.linalg.norm(centred, axis=1, keepdims=True)
    return centred / np.where(lengths == 0, 1.0, lengths)


def _profile(parts: Sequence[np.ndarray], weights: Sequence[float]) -> np.ndarray:
    total = sum(w * p for w, p in zip(weights, parts, strict=True))
    lengths = np.linalg.norm(total, axis=1, keepdims=True)
    return total / np.where(lengths == 0, 1.0, lengths)


def _anchor_texts(
    items: Sequence[str],
    groups: Sequence[str] | None,
    exemplars: Mapping[int, Sequence[str]] | None,
) -> tuple[list[str], list[str], dict[int, list[str]]]:
    group_texts = list(groups) if groups is not None else [""] * len(items)
    known = {i: [plain_words(t) for t in texts] for i, texts in (exemplars or {}).items() if texts}
    return list(items), group_texts, known


def encode(texts: Sequence[str]) -> np.ndarray:
    """Unit MiniLM vectors of the bare texts; the same words are encoded once."""
    unique = list(dict.fromkeys(texts))
    vectors = np.asarray(
        clustering._model().encode(unique, batch_size=64, normalize_embeddings=True),
        dtype=np.float32,
    )
    row = {text: i for i, text in enumerate(unique)}
    return vectors[[row[t] for t in texts]]


@lru_cache(maxsize=1)
def _background_mean() -> np.ndarray:
    return encode(clustering.background_texts()).mean(axis=0)


def _semantic_scores(
    texts: list[str],
    items: list[str],
    groups: list[str],
    exemplars: dict[int, list[str]],
    group_weight: float,
    exemplar_weight: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Statement x item scores, and the statements' centred vectors."""
    extra = [g for g in dict.fromkeys(groups) if g]
    shots = [t for shots in exemplars.values() for t in shots]
    everything = texts + items + extra + shots
    vectors = encode(everything)
    n, m = len(texts), len(items)
    mean = clustering._shrunk_mean(vectors[: n + m].sum(axis=0), n + m, _background_mean())
    centred = _centred(vectors, mean)
    row = {t: i for i, t in enumerate(everything)}
    statement_vectors = centred[:n]
    parts = [centred[n : n + m]]
    weights = [1.0]
    if extra and group_weight:
        blank = np.zeros_like(centred[0])
        parts.append(np.stack([centred[row[g]] if g else blank for g in groups]))
        weights.append(group_weight)
    if exemplars and exemplar_weight:
        shot_means = np.zeros_like(parts[0])
        for i, shots_of_item in exemplars.items():
            shot_means[i] = np.mean([centred[row[t]] for t in shots_of_item], axis=0)
        parts.append(_profile([shot_means], [1.0]))
        weights.append(exemplar_weight)
    return statement_vectors @ _profile(parts, weights).T, statement_vectors


CHUNK = 2048  # rows compared at once: 10,000 statements never need a 10,000 x 10,000 matrix


def nearest(vectors: Any, k: int) -> np.ndarray:
    """For each row (unit vectors, dense or sparse), its k most similar other rows."""
    n = vectors.shape[0]
    k = min(k, n - 1)
    found = np.zeros((n, max(k, 0)), dtype=np.int64)
    for start in range(0, n if k > 0 else 0, CHUNK):
        block = vectors[start : start + CHUNK] @ vectors.T
        block = np.asarray(block.toarray() if hasattr(block, "toarray") else block, np.float32)
        block[np.arange(len(block)), np.arange(start, start + len(block))] = -np.inf
        found[start : start + len(block)] = np.argsort(-block, axis=1, kind="stable")[:, :k]
    return found


def smooth(scores: np.ndarray, neighbours: np.ndarray, weight: float) -> np.ndarray:
    """Each row mixed with the mean row of its neighbours (`nearest`)."""
    if not weight or neighbours.size == 0:
        return scores
    return (1.0 - weight) * scores + weight * scores[neighbours].mean(axis=1)


def _lexical_scores(
    texts: list[str], items: list[str], exemplars: dict[int, list[str]]
) -> tuple[np.ndarray, Any]:
    """Centred TF-IDF cosine of statements and items (as `clustering.lexical_similarity`
    of them all, computed for that block only), and the statements' features."""
    from sklearn.preprocessing import normalize

    anchors = [" ".join([item, *exemplars.get(i, [])]) for i, item in enumerate(items)]
    n, everything = len(texts), texts + anchors
    features = clustering.lexical_features(everything + list(clustering.background_texts()))
    total = len(everything)
    mean = clustering._shrunk_mean(
        features[:total].sum(axis=0), total, features[total:].mean(axis=0)
    )
    ours, theirs = features[:n], features[n:total]
    towards_ours, towards_theirs = np.asarray(ours @ mean).ravel(), np.asarray(theirs @ mean)
    centred = (ours @ theirs.T).toarray() - towards_ours[:, None] - towards_theirs.ravel()[None, :]
    centred += float(mean @ mean)
    squares = [
        np.sqrt(
            np.clip(
                np.asarray(f.multiply(f).sum(axis=1)).ravel() - 2 * t.ravel() + mean @ mean, 0, None
            )
        )
        for f, t in ((ours, towards_ours), (theirs, towards_theirs))
    ]
    lengths = [np.where(x == 0, 1.0, x) for x in squares]
    scores = centred / lengths[0][:, None] / lengths[1][None, :]
    return np.clip(scores, -1.0, 1.0).astype(np.float32), normalize(ours)


def item_scores(
    texts: Sequence[str],
    items: Sequence[str],
    method: str = "semantic",
    groups: Sequence[str] | None = None,
    exemplars: Mapping[int, Sequence[str]] | None = None,
    *,
    exemplar_weight: float = EXEMPLAR_WEIGHT,
    **settings: Any,
) -> np.ndarray:
    """A statements x items matrix of scores; higher is more likely the statement's item.

    `groups` holds each item's group description (extra anchor text); `exemplars` maps
    an item's index to statements the researcher already filed under it. `settings`
    overrides the method's `SETTINGS` (the bench tries others).
    """
    if method not in clustering.METHODS:
        known = ", ".join(clustering.METHODS)
        raise ValueError(f"unknown method {method!r}; expected one of {known}")
    chosen = SETTINGS[method] | settings
    group_weight, lexical_weight = chosen["group_weight"], chosen["lexical_weight"]
    neighbours, neighbour_weight = chosen["neighbours"], chosen["neighbour_weight"]
    plain = chosen["plain"]
    if not texts or not items:
        return np.zeros((len(texts), len(items)), dtype=np.float32)
    words = [plain_words(t) for t in texts] if plain else list(texts)
    item_list, group_texts, known_shots = _anchor_texts(items, groups, exemplars)
    lexical, lexical_rows = _lexical_scores(words, item_list, known_shots)
    if method == "lexical":
        if not neighbour_weight:
            return lexical
        return smooth(lexical, nearest(lexical_rows, neighbours), neighbour_weight)
    semantic, rows = _semantic_scores(
        words, item_list, group_texts, known_shots, group_weight, exemplar_weight
    )
    fused = (semantic + lexical_weight * lexical) / (1.0 + lexical_weight)
    if not neighbour_weight:
        return fused
    return smooth(fused, nearest(rows, neighbours), neighbour_weight)


def top_candidates(scores: np.ndarray, k: int = TOP_K) -> list[list[Candidate]]:
    """The k best items of each row, best first."""
    if scores.size == 0:
        return [[] for _ in range(len(scores))]
    k = min(k, scores.shape[1])
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return [
        [Candidate(int(j), round(float(scores[i, j]), 4)) for j in row]
        for i, row in enumerate(order)
    ]
