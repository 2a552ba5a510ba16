"""How many decisions a researcher needs to sort a labelled set: suggestions off, static, learning.

    python bench/affinity_oracle.py [--cache FILE] [--method semantic|lexical] [--match T]
    python bench/affinity_oracle.py --choose [--cache FILE] [--method semantic|lexical]

An oracle researcher sorts each labelled set (`bench/data`, see affinity_eval.py) onto the
default framework, deciding as the suggestions page lets them:

- a suggestion matched to item X: one decision accepts its statements whose true item is
  X; if any are wrong, one more rejects them (X is never proposed again for them);
- a suggested new-item cluster: one decision accepts the statements of its commonest true
  item, one more leaves the others out; a cluster mostly off-topic: one decision sets
  those aside;
- whatever no suggestion sorted is filed by hand, one decision per statement.

Modes: **off** (every statement by hand), **static** (one round of suggestions, then by
hand) and **learning** (after each round the suggestions are made again for the open
statements, with the accepted statements as exemplars of their items and the rejected
items left out, until a round sorts nothing).

`--choose` picks the match threshold by this count instead of by adjusted Rand index:
for each set, the threshold of `GRID` with the fewest learning-mode decisions (as a share
of the statements, averaged) on the other two sets, reported on the set left out; then
the threshold chosen on all three, the one to ship.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import numpy as np

from affinity_eval import SETS, CachedModel, LabelledSet, framework, load
from rtwcomp.elicitation import clustering as cl
from rtwcomp.elicitation import matching


def one_round(
    data: LabelledSet,
    open_rows: list[int],
    items: list[str],
    groups: list[str],
    codes: list[str],
    method: str,
    exemplars: dict[int, list[str]],
    rejected: dict[int, set[int]],
) -> tuple[int, set[int]]:
    """Suggest for the open statements and let the oracle decide; (decisions, sorted rows)."""
    texts = [data.texts[i] for i in open_rows]
    scores = matching.item_scores(texts, items, method, groups, exemplars)
    for row, i in enumerate(open_rows):
        for j in rejected.get(i, ()):
            scores[row, j] = -np.inf
    best = scores.argmax(axis=1)
    top = scores[np.arange(len(open_rows)), best]
    matched = top >= matching.MATCH_THRESHOLDS[method]
    rest = [r for r in range(len(open_rows)) if not matched[r]]
    speakers = [data.speakers[open_rows[r]] for r in rest]
    clusters = cl.suggest_clusters(
        [texts[r] for r in rest], method, matching.REST_THRESHOLDS[method], speakers=speakers
    )
    proposals: dict[object, list[int]] = {}
    for r in range(len(open_rows)):
        key = ("item", int(best[r])) if matched[r] else ("new", clusters[rest.index(r)])
        proposals.setdefault(key, []).append(open_rows[r])
    decisions, done = 0, set()
    for (kind, value), rows in proposals.items():
        if kind == "item":
            right = [i for i in rows if codes[value] in data.codes[i]]
            if right:
                decisions += 1
                done.update(right)
                exemplars.setdefault(value, []).extend(data.texts[i] for i in right)
            wrong = [i for i in rows if i not in right]
            for i in wrong:
                rejected.setdefault(i, set()).add(value)
            decisions += bool(wrong)
            continue
        label, _count = Counter(data.truth[i] for i in rows).most_common(1)[0]
        off_topic = [i for i in rows if data.truth[i].startswith("off-topic")]
        if label.startswith("off-topic"):
            chosen = off_topic
        else:
            chosen = [i for i in rows if data.truth[i] == label]
        if len(chosen) > 1 or (chosen and len(rows) == 1):
            decisions += 1 + (len(chosen) < len(rows))
            done.update(chosen)
    return decisions, done


def simulate(data: LabelledSet, method: str, learning: bool) -> int:
    codes, items, groups = framework()
    open_rows = list(range(len(data.texts)))
    exemplars: dict[int, list[str]] = {}
    rejected: dict[int, set[int]] = {}
    total = 0
    while open_rows:
        decisions, done = one_round(
            data,
            open_rows,
            items,
            groups,
            codes,
            method,
            exemplars if learning else {},
            rejected if learning else {},
        )
        total += decisions
        open_rows = [i for i in open_rows if i not in done]
        if not done or not learning:
            break
    return total + len(open_rows)  # the rest by hand


GRID = tuple(round(0.10 + 0.05 * k, 2) for k in range(15))  # 0.10 to 0.80


def decisions_at(data: LabelledSet, method: str, threshold: float, learning: bool) -> int:
    matching.MATCH_THRESHOLDS[method] = threshold
    return simulate(data, method, learning)


def choose(method: str) -> None:
    """Leave-one-set-out choice of the match threshold by learning-mode decisions."""
    shipped = matching.MATCH_THRESHOLDS[method]
    sets = {name: load(name) for name in SETS}
    learned = {
        (name, t): decisions_at(data, method, t, learning=True)
        for name, data in sets.items()
        for t in GRID
    }

    def best(names: list[str]) -> float:
        share = {t: np.mean([learned[n, t] / len(sets[n].texts) for n in names]) for t in GRID}
        return min(GRID, key=lambda t: (share[t], t))

    print("| set | statements (off) | match, chosen on the other two | static | learning |")
    print("|---|---|---|---|---|")
    for name, data in sets.items():
        t = best([n for n in SETS if n != name])
        static = decisions_at(data, method, t, learning=False)
        print(f"| {name} | {len(data.texts)} | {t:.2f} | {static} | {learned[name, t]} |")
    chosen = best(list(SETS))
    print(f"\nchosen on all three sets: match {chosen:.2f} (shipped {shipped:.2f})")
    print("learning-mode decisions per threshold:")
    print("| match | " + " | ".join(SETS) + " |")
    print("|---" * (len(SETS) + 1) + "|")
    for t in GRID:
        print(f"| {t:.2f} | " + " | ".join(str(learned[n, t]) for n in SETS) + " |")
    matching.MATCH_THRESHOLDS[method] = shipped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="file for MiniLM vectors between runs")
    parser.add_argument("--method", choices=cl.METHODS, default="semantic")
    parser.add_argument(
        "--match", type=float, help="match threshold (default: the shipped one)", default=None
    )
    parser.add_argument(
        "--choose", action="store_true", help="choose the match threshold by decisions (CV)"
    )
    args = parser.parse_args()
    if args.choose:
        if args.method == "semantic":
            model = CachedModel(args.cache)
            cl._model = lambda: model  # type: ignore[assignment]
        choose(args.method)
        return
    if args.match is not None:
        matching.MATCH_THRESHOLDS[args.method] = args.match
    print(f"match threshold {matching.MATCH_THRESHOLDS[args.method]:.2f} ({args.method})")
    if args.method == "semantic":
        model = CachedModel(args.cache)
        cl._model = lambda: model  # type: ignore[assignment]
    print("| set | statements | off | static | learning |")
    print("|---|---|---|---|---|")
    for name in SETS:
        data = load(name)
        static = simulate(data, args.method, learning=False)
        learned = simulate(data, args.method, learning=True)
        print(f"| {name} | {len(data.texts)} | {len(data.texts)} | {static} | {learned} |")


if __name__ == "__main__":
    main()
