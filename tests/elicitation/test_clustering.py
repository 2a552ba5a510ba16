"""The pure algorithms: agreement measures, lexical suggestions, card-sort statistics."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from rtwcomp.elicitation import clustering as cl

labelings = st.lists(st.integers(0, 4), min_size=2, max_size=30)


# scikit-learn validates its inputs on every call: slow, and slower still on a busy
# machine, which says nothing about the code under test.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(labelings, labelings)
def test_adjusted_rand_agrees_with_scikit_learn(a, b):
    n = min(len(a), len(b))
    assert cl.adjusted_rand(a[:n], b[:n]) == pytest.approx(adjusted_rand_score(a[:n], b[:n]))


def test_pair_precision_and_recall():
    truth = ["a", "a", "a", "b", "b", "c"]
    predicted = [1, 1, 2, 2, 2, 3]
    # predicted pairs: (0,1) right, (2,3) wrong, (2,4) wrong, (3,4) right -> 2 of 4
    # true pairs: (0,1) (0,2) (1,2) (3,4) -> 2 of 4 found
    assert cl.pair_precision_recall(truth, predicted) == (0.5, 0.5)
    assert cl.pair_precision_recall(truth, [1, 2, 3, 4, 5, 6]) == (0.0, 0.0)


def test_relabel_numbers_clusters_in_order_of_appearance():
    assert cl.relabel(["x", "y", "x", "z"]) == [1, 2, 1, 3]


def test_lexical_suggestions_group_statements_sharing_words():
    texts = [
        "Keeping medical information confidential",
        "Confidential medical information must stay private",
        "Negotiating modified duties with the supervisor",
        "Negotiate modified duties with supervisors",
        "The parking here is a nightmare",
    ]
    labels = cl.suggest_clusters(texts, "lexical", threshold=0.2)
    assert labels[0] == labels[1]
    assert labels[2] == labels[3]
    assert labels[0] != labels[2]
    assert labels[4] not in (labels[0], labels[2])


def test_a_high_threshold_keeps_every_statement_alone():
    texts = ["Listening to the worker", "Listening to the worker carefully", "Empathy"]
    assert cl.suggest_clusters(texts, "lexical", threshold=0.99) == [1, 2, 3]


def test_degenerate_inputs():
    assert cl.suggest_clusters([], "lexical") == []
    assert cl.suggest_clusters(["Only one"], "lexical") == [1]
    assert len(cl.suggest_clusters(["the", "and", "of it"], "lexical")) == 3
    with pytest.raises(ValueError, match="unknown method"):
        cl.similarity(["a"], "magic")


def test_deductive_matching_flags_statements_that_match_no_item():
    items = [
        "Knows workers' compensation legislation",
        "Keeps medical information confidential",
    ]
    texts = [
        "You need to know the workers compensation legislation",
        "Medical information stays confidential",
        "Sense of humour",
    ]
    matches = cl.match_items(texts, items, "lexical", threshold=0.2)
    assert [m.item for m in matches] == [0, 1, None]
    assert matches[0].similarity > matches[2].similarity


def test_cooccurrence_consensus_and_agreement():
    items = ["a", "b", "c", "d"]
    sorts = [
        {"a": "G1", "b": "G1", "c": "G2", "d": "G2"},
        {"a": "X", "b": "X", "c": "Y", "d": "Y"},
        {"a": "P", "b": "Q", "c": "Q", "d": "Q"},
    ]
    matrix = cl.cooccurrence(sorts, items)
    assert matrix[0, 1] == pytest.approx(2 / 3)
    assert matrix[2, 3] == pytest.approx(1.0)
    assert matrix[0, 2] == pytest.approx(0.0)
    assert np.allclose(matrix, matrix.T) and np.all(np.diag(matrix) == 1)
    consensus = cl.consensus(matrix)
    assert consensus[0] == consensus[1] != consensus[2] == consensus[3]
    agreement = cl.sorter_agreement(sorts, items)
    assert agreement == pytest.approx(
        np.mean(
            [
                cl.adjusted_rand(["G1", "G1", "G2", "G2"], ["X", "X", "Y", "Y"]),
                cl.adjusted_rand(["G1", "G1", "G2", "G2"], ["P", "Q", "Q", "Q"]),
                cl.adjusted_rand(["X", "X", "Y", "Y"], ["P", "Q", "Q", "Q"]),
            ]
        )
    )


def test_unplaced_items_do_not_count_as_disagreement():
    sorts = [{"a": 1, "b": 1}, {"a": 2, "b": 2, "c": 3}]
    matrix = cl.cooccurrence(sorts, ["a", "b", "c"])
    assert matrix[0, 1] == 1.0
    assert matrix[0, 2] == 0.0


def test_the_algorithms_and_the_reader_import_no_django():
    import subprocess
    import sys

    code = (
        "import sys, rtwcomp.elicitation.clustering, rtwcomp.elicitation.dendrogram, "
        "rtwcomp.interop.statements_csv; print('django' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_dendrogram_svg_escapes_labels_and_draws_every_item():
    from rtwcomp.elicitation.dendrogram import render

    matrix = cl.cooccurrence([{"a": 1, "b": 1, "c": 2}], ["a", "b", "c"])
    svg = render(["<b>one</b>", "two & more", "three"], matrix, title="T <1>")
    assert svg.startswith("<svg") and svg.count("<text") == 3 + 3  # labels + axis
    assert "&lt;b&gt;one&lt;/b&gt;" in svg and "two &amp; more" in svg
    assert "<b>" not in svg and "T &lt;1&gt;" in svg
    assert svg.count("<polyline") == 2
