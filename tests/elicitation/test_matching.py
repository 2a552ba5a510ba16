"""Ranking framework items for statements (lexical: no model needed; the semantic path
is measured in bench/affinity_eval.py and checked in test_semantic.py)."""

import numpy as np

from rtwcomp.elicitation import clustering, matching

ITEMS = [
    "Knows the workers' compensation law of the jurisdiction",
    "Sets up the workstation ergonomically",
    "Keeps medical information confidential",
    "Negotiates suitable duties with the employer",
]


def test_each_statement_gets_its_three_likeliest_items_best_first():
    texts = ["knowing the compensation law inside out", "a good ergonomic workstation"]
    ranked = matching.top_candidates(matching.item_scores(texts, ITEMS, "lexical"))
    assert [len(r) for r in ranked] == [3, 3]
    assert ranked[0][0].item == 0 and ranked[1][0].item == 1
    for row in ranked:
        scores = [c.score for c in row]
        assert scores == sorted(scores, reverse=True) and len({c.item for c in row}) == 3


def test_fewer_items_than_k_and_no_items_at_all():
    assert [len(r) for r in matching.top_candidates(np.zeros((2, 2)))] == [2, 2]
    assert matching.item_scores(["anything"], [], "lexical").shape == (1, 0)


def test_accepted_statements_pull_new_ones_towards_their_item():
    texts = ["the chair and the desk height"]
    before = matching.item_scores(texts, ITEMS, "lexical", neighbour_weight=0.0)
    taught = matching.item_scores(
        texts,
        ITEMS,
        "lexical",
        exemplars={3: ["sorting out the chair and desk height before they come back"]},
        neighbour_weight=0.0,
    )
    assert taught[0, 3] > before[0, 3]
    assert taught[0].argmax() == 3
    assert np.allclose(np.delete(taught[0], 3), np.delete(before[0], 3), atol=0.05)


def test_plain_words_drops_fillers_and_spells_out_scheme_jargon():
    said = "um so you know the WCB and the WSIB want light duty sorted, like, fast"
    plain = matching.plain_words(said)
    assert "um" not in plain.split() and "you know" not in plain
    assert plain.count("workers' compensation board") == 2
    assert "suitable duties" in plain
    assert matching.plain_words("um") == "-"


def test_neighbours_pull_a_row_towards_its_closest_statements():
    scores = np.array([[1.0, 0.0], [0.0, 1.0], [0.9, 0.1]])
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.8, 0.6]])
    neighbours = matching.nearest(vectors, 1)
    assert neighbours.ravel().tolist() == [2, 2, 0]  # never itself
    smoothed = matching.smooth(scores, neighbours, 0.5)
    assert np.allclose(smoothed, [[0.95, 0.05], [0.45, 0.55], [0.95, 0.05]])
    assert matching.nearest(vectors[:1], 3).shape == (1, 0)
    assert matching.smooth(scores[:1], matching.nearest(vectors[:1], 3), 0.5).tolist() == [
        [1.0, 0.0]
    ]


def test_nearest_works_in_chunks_as_in_one_go(monkeypatch):
    vectors = np.random.default_rng(3).normal(size=(50, 8))
    whole = matching.nearest(vectors, 4)
    monkeypatch.setattr(matching, "CHUNK", 7)
    assert (matching.nearest(vectors, 4) == whole).all()


def test_one_speakers_statements_are_kept_apart():
    texts = ["keeping things confidential", "keeping things confidential always"]
    assert len(set(clustering.suggest_clusters(texts, "lexical", 0.05))) == 1
    apart = clustering.suggest_clusters(texts, "lexical", 0.05, speakers=["P1", "P1"])
    assert len(set(apart)) == 2
    unknown = clustering.suggest_clusters(texts, "lexical", 0.05, speakers=[None, None])
    assert len(set(unknown)) == 1
