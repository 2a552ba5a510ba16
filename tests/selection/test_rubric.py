"""The guide's rules as plain functions: wording, weights, order, anchors, totals."""

from __future__ import annotations

import pytest

from rtwcomp.selection import rubric


def test_the_default_question_quotes_the_statement_in_both_languages():
    english, french = rubric.default_question("Listens to the worker ", "Écoute le travailleur")
    assert english == (
        "Tell us about a time when you showed this in your work: “Listens to the worker”. "
        "What did you do, and what happened?"
    )
    assert french.startswith("Parlez-nous d'une occasion où vous avez démontré ceci")
    assert "« Écoute le travailleur »" in french


def _candidate(pk, attitude=False, key=False, required=0, order=(1, 1)):
    return rubric.Candidate(pk, attitude, key, required, order)


def test_personal_attributes_and_key_competencies_weigh_more_and_come_first():
    plain = _candidate(1, order=(1, 1))
    key = _candidate(2, key=True, required=2, order=(1, 2))
    attitude = _candidate(3, attitude=True, order=(2, 1))
    both = _candidate(4, attitude=True, key=True, required=2, order=(2, 2))
    higher = _candidate(5, key=True, required=3, order=(3, 1))
    assert [c.weight for c in (plain, key, attitude, both)] == [1, 2, 2, 3]
    assert both.reasons == ["personal attribute", "key"]
    chosen = rubric.choose([plain, key, attitude, both, higher], 4)
    # weight 3, then weight 2 by required level (3 before 2), then the framework's order
    assert [c.competency for c in chosen] == [4, 5, 2, 3]


LABELS = ["not yet", "developing", "competent", "proficient", "expert"]


def test_anchors_come_from_the_indicators_when_there_are_some():
    anchored = rubric.anchors(LABELS, ["Asks open questions", "Summarises"])
    assert [a["level"] for a in anchored] == [0, 1, 2, 3, 4]
    assert anchored[0]["text"] == "none of the indicators is shown"
    assert anchored[4]["text"].startswith("every indicator is shown")
    assert anchored[2]["text_fr"] == "environ la moitié des indicateurs sont démontrés"


def test_without_indicators_the_anchors_are_the_scale_labels():
    plain = rubric.anchors(LABELS, [])
    assert [(a["label"], a["text"]) for a in plain] == [(label, "") for label in LABELS]


def test_the_weighted_total_skips_questions_without_scores():
    means = {1: 4.0, 2: 1.0, 3: None}
    weights = {1: 3, 2: 1, 3: 2}
    assert rubric.weighted_total(means, weights) == pytest.approx((3 * 4 + 1 * 1) / 4)
    assert rubric.weighted_total({1: None}, {1: 2}) is None
