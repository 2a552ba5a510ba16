"""The semantic method (the `semantic` extra): skipped without it, except under CI=true.

The quality test reads the held-out labelled set shipped with the bench: the default
semantic threshold was chosen on the other set, so these statements are unseen.
"""

import csv
from pathlib import Path

import pytest

from rtwcomp.elicitation import clustering as cl
from tests.conftest import require

HELD_OUT = Path(__file__).resolve().parents[2] / "bench" / "data" / "statements_heldout.csv"


@pytest.fixture(scope="module", autouse=True)
def semantic_extra():
    require(cl.semantic_available(), "the semantic extra is not installed")


def test_paraphrases_are_suggested_together_and_small_talk_stays_alone():
    texts = [
        "Empathy for the injured worker",
        "Knowing the compensation legislation",
        "Knowing workers compensation law",
        "The parking here is a nightmare",
        "Listening to the worker",
        "Really listening to what they tell you",
    ]
    labels = cl.suggest_clusters(texts, "semantic")
    assert labels[1] == labels[2]
    assert labels[4] == labels[5]
    assert labels[1] != labels[4]
    assert labels.count(labels[3]) == 1
    assert labels[0] not in (labels[1], labels[4])


def test_default_semantic_suggestions_on_unseen_statements():
    with open(HELD_OUT, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    truth = [r["item"] or f"unrelated-{i}" for i, r in enumerate(rows)]
    predicted = cl.suggest_clusters([r["text"] for r in rows], "semantic")
    precision, recall = cl.pair_precision_recall(truth, predicted)
    assert cl.adjusted_rand(truth, predicted) >= 0.25
    assert precision >= 0.5
    assert recall > 0.1


def test_deductive_semantic_matching():
    items = [
        "Keeps health information confidential",
        "Negotiates suitable duties with the supervisor",
    ]
    texts = ["You never tell the manager the diagnosis", "Can someone pass the biscuits"]
    matches = cl.match_items(texts, items, "semantic", threshold=0.2)
    assert matches[0].item == 0
    assert matches[1].item is None


def test_the_model_loads_offline_from_the_package(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    vectors = cl.embed(["Listening", "Listening"])
    assert vectors.shape == (2, 384)
