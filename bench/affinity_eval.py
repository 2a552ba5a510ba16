"""Affinity mapping onto the default framework: per-set quality, chosen by cross-validation.

    python bench/affinity_eval.py                 # the table in docs/elicitation.md
    python bench/affinity_eval.py --cache FILE    # keep MiniLM vectors in FILE between runs
    python bench/affinity_eval.py --method lexical

Sets (`bench/data/statements_<set>.csv`, written independently of each other):
`tune` and `heldout` (items of their own, mapped onto default-framework codes by
`statements_item_map.csv`; a set item with no counterpart in the framework counts only
for ARI / precision / recall) and `speech` (transcribed focus-group talk labelled
directly with default-framework codes). An empty `item` is an off-topic remark.

Per set: ARI, same-item pair precision and recall of the deductive partition (statements
matched to an item share it; the rest are clustered among themselves), and top-1 / top-3
item accuracy on the statements whose item exists in the framework (any listed code counts).

Every choice (the method's weights and both thresholds) is made by leave-one-set-out
cross-validation: the figures for a set come from the configuration that did best on the
other sets. The MiniLM nearest-item baseline gets its threshold the same way.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from rtwcomp.elicitation import clustering as cl
from rtwcomp.elicitation import matching

DATA = Path(__file__).resolve().parent / "data"
SETS = ("tune", "heldout", "speech")
MATCH_THRESHOLDS = [round(x, 2) for x in np.arange(0.10, 0.80, 0.05)]
CLUSTER_THRESHOLDS = (0.30, 0.35, 0.40, 0.45)
MIN_PRECISION = 0.5  # as in bench/elicitation.py: a wrong merge costs more than a miss
GRID = {
    "group_weight": (0.0, 0.3, 0.6),
    "lexical_weight": (0.0, 0.3, 0.6, 1.0),
    "plain": (False, True),
    "neighbours": (3, 5),
    "neighbour_weight": (0.0, 0.3, 0.5),
}
LEXICAL_FIXED = {"group_weight": (0.0,), "lexical_weight": (0.0,)}  # unused by `lexical`


@dataclass
class LabelledSet:
    name: str
    texts: list[str]
    truth: list[str]  # partition labels; off-topic remarks each their own
    codes: list[set[str]]  # acceptable framework codes; empty when none exists
    speakers: list[str]


def load(name: str) -> LabelledSet:
    with open(DATA / "statements_item_map.csv", encoding="utf-8") as handle:
        mapped = {(r["set"], r["item"]): set(r["codes"].split(";")) for r in csv.DictReader(handle)}
    with open(DATA / f"statements_{name}.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    codes = []
    for r in rows:
        item = r["item"]
        codes.append({item} if item.startswith("RTWC-") else mapped.get((name, item), set()))
    return LabelledSet(
        name,
        [r["text"] for r in rows],
        [r["item"] or f"off-topic-{i}" for i, r in enumerate(rows)],
        codes,
        [f"{r['session']}/{r['participant']}" for r in rows],
    )


def framework() -> tuple[list[str], list[str], list[str]]:
    """Codes, statements and group descriptions of the default framework's items."""
    data = resources.files("rtwcomp.frameworks") / "data"
    groups = {
        r["group"]: r["description"]
        for r in csv.DictReader((data / "rtw_groups.csv").read_text(encoding="utf-8").splitlines())
    }
    items = list(
        csv.DictReader((data / "rtw_item_bank.csv").read_text(encoding="utf-8").splitlines())
    )
    return (
        [r["code"] for r in items],
        [r["statement"] for r in items],
        [groups[r["group"]] for r in items],
    )


class CachedModel:
    """The bundled MiniLM with its vectors kept in a file: the grid re-encodes nothing."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.model = cl._model()
        self.vectors: dict[str, np.ndarray] = {}
        if path and path.exists():
            stored = np.load(path)
            self.vectors = dict(zip(stored["keys"], stored["vectors"], strict=True))

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    def encode(self, texts: Sequence[str], **options: object) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if self.key(t) not in self.vectors]
        if missing:
            new = self.model.encode(missing, batch_size=64, normalize_embeddings=True)
            self.vectors.update((self.key(t), v) for t, v in zip(missing, new, strict=True))
            if self.path:
                keys = list(self.vectors)
                np.savez(self.path, keys=keys, vectors=np.stack([self.vectors[k] for k in keys]))
        return np.stack([self.vectors[self.key(t)] for t in texts])


# --- one run -----------------------------------------------------------------------------


def accuracy(scores: np.ndarray, codes: list[set[str]], item_codes: list[str], k: int) -> float:
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    judged = [i for i, c in enumerate(codes) if c]
    hits = sum(bool({item_codes[j] for j in order[i]} & codes[i]) for i in judged)
    return hits / len(judged)


def partition(
    scores: np.ndarray,
    match_threshold: float,
    statement_similarity: Callable[[list[int]], np.ndarray] | None,
    cluster_threshold: float,
) -> list[object]:
    """Matched statements share their item; the rest are clustered (or stand alone)."""
    best = scores.argmax(axis=1)
    top = scores[np.arange(len(scores)), best]
    labels: list[object] = [
        ("item", int(b)) if s >= match_threshold else None for b, s in zip(best, top, strict=True)
    ]
    rest = [i for i, label in enumerate(labels) if label is None]
    if statement_similarity is None or len(rest) < 2:
        for i in rest:
            labels[i] = ("alone", i)
        return labels
    for i, c in zip(
        rest, cl.average_linkage(statement_similarity(rest), cluster_threshold), strict=True
    ):
        labels[i] = ("new", c)
    return labels


def pair_scores(truth: list[str], labels: list[object]) -> tuple[float, float, float]:
    predicted = cl.relabel(labels)
    precision, recall = cl.pair_precision_recall(truth, predicted)
    return cl.adjusted_rand(truth, predicted), precision, recall


def statement_similarity(
    data: LabelledSet, plain: bool, same_speaker: bool, method: str
) -> Callable:
    texts = [matching.plain_words(t) for t in data.texts] if plain else data.texts
    full = cl.similarity(texts, method)
    if same_speaker:  # one participant rarely says the same thing twice in a session
        speakers = np.array(data.speakers)
        full = np.where(speakers[:, None] == speakers[None, :], -1.0, full)
        np.fill_diagonal(full, 1.0)
    return lambda rows: full[np.ix_(rows, rows)]


# --- methods -----------------------------------------------------------------------------


@dataclass
class Run:
    scores: np.ndarray
    similarities: dict[bool, Callable]  # keyed by the same-speaker constraint; empty: none


def baseline_run(data: LabelledSet, items: list[str]) -> Run:
    """MiniLM nearest item: raw embeddings, cosine, no framing, centring or clustering."""
    vectors = cl._model().encode(data.texts + items, normalize_embeddings=True)
    n = len(data.texts)
    return Run(vectors[:n] @ vectors[n:].T, {})


_SIMILARITIES: dict[tuple[str, bool, bool], Callable] = {}


def candidate_run(
    data: LabelledSet, items: list[str], groups: list[str], config: dict, method: str
) -> Run:
    scores = matching.item_scores(data.texts, items, method, groups, **config)
    for speaker in (False, True):
        key = (data.name, config["plain"], speaker)
        if key not in _SIMILARITIES:
            _SIMILARITIES[key] = statement_similarity(data, config["plain"], speaker, method)
    return Run(scores, {s: _SIMILARITIES[(data.name, config["plain"], s)] for s in (False, True)})


Thresholds = tuple[float, float, bool]  # match, cluster, same-speaker constraint


def labels_for(run: Run, thresholds: Thresholds) -> list[object]:
    match, cluster, speaker = thresholds
    return partition(run.scores, match, run.similarities.get(speaker), cluster)


def threshold_choice(runs: list[tuple[LabelledSet, Run]]) -> Thresholds:
    """The best mean ARI over the runs, preferring choices with precision >= 0.5 on each."""
    clustered = bool(runs[0][1].similarities)
    grid = itertools.product(
        MATCH_THRESHOLDS,
        CLUSTER_THRESHOLDS if clustered else (0.0,),
        (False, True) if clustered else (False,),
    )
    best: tuple[tuple[bool, float], Thresholds] | None = None
    for thresholds in grid:
        results = [pair_scores(d.truth, labels_for(r, thresholds)) for d, r in runs]
        key = (all(x[1] >= MIN_PRECISION for x in results), float(np.mean([x[0] for x in results])))
        if best is None or key > best[0]:
            best = (key, thresholds)
    assert best is not None
    return best[1]


def report(data: LabelledSet, run: Run, thresholds: Thresholds, codes: list[str]) -> list[float]:
    ari, precision, recall = pair_scores(data.truth, labels_for(run, thresholds))
    return [
        ari,
        precision,
        recall,
        accuracy(run.scores, data.codes, codes, 1),
        accuracy(run.scores, data.codes, codes, 3),
    ]


def describe(config: dict, thresholds: Thresholds) -> str:
    match, cluster, speaker = thresholds
    return (
        f"group {config['group_weight']}, lexical {config['lexical_weight']}, "
        f"plain words {'on' if config['plain'] else 'off'}, "
        f"neighbours {config['neighbours']} x {config['neighbour_weight']}; match {match:.2f}, "
        f"cluster {cluster:.2f}, same speaker {'apart' if speaker else 'free'}"
    )


def best_config(runs: dict[int, dict[str, Run]], sets: list[LabelledSet], codes: list[str]) -> int:
    """The configuration with the best mean top-3 (then top-1) accuracy over the sets."""

    def fitness(i: int) -> tuple[float, float]:
        top3 = np.mean([accuracy(runs[i][d.name].scores, d.codes, codes, 3) for d in sets])
        top1 = np.mean([accuracy(runs[i][d.name].scores, d.codes, codes, 1) for d in sets])
        return float(top3), float(top1)

    return max(runs, key=fitness)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="file for MiniLM vectors between runs")
    parser.add_argument(
        "--method",
        choices=cl.METHODS,
        default="semantic",
        help="rtwcomp's method to evaluate (lexical: no group or lexical weights to choose)",
    )
    args = parser.parse_args()
    model = CachedModel(args.cache)
    cl._model = lambda: model  # type: ignore[assignment]
    codes, items, groups = framework()
    sets = [load(name) for name in SETS]
    for d in sets:
        judged = sum(bool(c) for c in d.codes)
        off = sum(t.startswith("off-topic") for t in d.truth)
        print(
            f"{d.name}: {len(d.texts)} statements, {judged} with a framework item, {off} off-topic"
        )
    baseline = {d.name: baseline_run(d, items) for d in sets}
    grid = GRID if args.method == "semantic" else GRID | LEXICAL_FIXED
    configs = [dict(zip(grid, values, strict=True)) for values in itertools.product(*grid.values())]
    runs = {
        i: {d.name: candidate_run(d, items, groups, c, args.method) for d in sets}
        for i, c in enumerate(configs)
    }
    rows = []
    for held in sets:
        train = [d for d in sets if d is not held]
        chosen_base = threshold_choice([(d, baseline[d.name]) for d in train])
        rows.append(
            (
                held.name,
                "MiniLM nearest item (baseline)",
                f"match {chosen_base[0]:.2f}, the rest alone",
                report(held, baseline[held.name], chosen_base, codes),
            )
        )

        chosen = best_config(runs, train, codes)
        thresholds = threshold_choice([(d, runs[chosen][d.name]) for d in train])
        rows.append(
            (
                held.name,
                f"rtwcomp {args.method}, chosen on the other sets",
                describe(configs[chosen], thresholds),
                report(held, runs[chosen][held.name], thresholds, codes),
            )
        )
    print(
        "| set | method | chosen on the other two sets | ARI | precision | recall | top-1 | top-3 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, method, label, values in rows:
        print(f"| {name} | {method} | {label} | " + " | ".join(f"{v:.3f}" for v in values) + " |")
    chosen = best_config(runs, sets, codes)
    thresholds = threshold_choice([(d, runs[chosen][d.name]) for d in sets])
    print(f"chosen on all sets (the shipped defaults): {describe(configs[chosen], thresholds)}")


if __name__ == "__main__":
    main()
