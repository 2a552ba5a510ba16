"""Tables name questions by their text and answers by their labels; multiple-choice
answers are counted per choice, never per combination."""

from __future__ import annotations

import pandas as pd

from rtwcomp.reports import Question
from rtwcomp.reports.labels import LABELS
from rtwcomp.reports.tables import characteristics, labelled_levels

QUESTIONS = {
    "country": Question("country", "Country where you work", {"AU": "Australia", "CA": "Canada"}),
    "clients": Question(
        "clients",
        "Client types you work with",
        {"musculoskeletal": "Musculoskeletal injuries", "mental": "Mental health conditions"},
        multiple=True,
    ),
}


def test_single_choice_by_label_in_the_question_order() -> None:
    frame = pd.DataFrame({"country": ["CA", "AU", "CA", None]})
    (section,) = characteristics(frame, LABELS, QUESTIONS)
    assert section["name"] == "Country where you work"
    assert [(r["level"], r["n"], r["share"]) for r in section["rows"]] == [
        ("Australia", "1", "25.0%"),
        ("Canada", "2", "50.0%"),
        ("not answered", "1", "25.0%"),
    ]


def test_multiple_choice_is_tabulated_per_choice() -> None:
    frame = pd.DataFrame(
        {"clients": ["musculoskeletal;mental", "mental", "musculoskeletal;mental", ""]}
    )
    (section,) = characteristics(frame, LABELS, QUESTIONS)
    rows = [(r["level"], r["n"], r["share"]) for r in section["rows"]]
    assert rows == [
        ("Musculoskeletal injuries", "2", "50.0%"),
        ("Mental health conditions", "3", "75.0%"),
        ("not answered", "1", "25.0%"),
    ]
    assert not any(";" in r["level"] for r in section["rows"])


def test_without_questions_codes_print_as_they_are() -> None:
    frame = pd.DataFrame({"country": ["CA", "AU"]})
    (section,) = characteristics(frame, LABELS)
    assert section["name"] == "country"
    assert [r["level"] for r in section["rows"]] == ["AU", "CA"]


def test_levels_of_a_test_by_their_labels() -> None:
    assert labelled_levels("AU: 5; CA: 7", QUESTIONS["country"]) == "Australia: 5; Canada: 7"
    assert labelled_levels("AU: 5; NZ: 2", QUESTIONS["country"]) == "Australia: 5; NZ: 2"
    assert labelled_levels("AU: 5", None) == "AU: 5"


def test_underscored_levels_sort_as_text_in_the_characteristics() -> None:
    frame = pd.DataFrame({"age": ["5_17", "18_30", "5_17"]})
    (section,) = characteristics(frame, LABELS)
    assert [r["level"] for r in section["rows"]] == ["18_30", "5_17"]
