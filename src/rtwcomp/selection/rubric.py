"""The rules of an interview guide, as plain functions: default questions, weights, order,
rubric anchors and the weighted total.

Personal attributes (competencies of the attitude kind) are hard to train, so the 2010
study advises selecting for them; key competencies are those the role profile requires.
Both weigh more in a guide (`RULE`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_noop

MAX_SCORE = 4
RULE = gettext_noop(  # kept with each guide in English, shown in the reader's language
    "weight 1, plus 1 for a personal attribute (a competency of the attitude kind) and 1 for "
    "a key competency (required by the role profile, or key in its validation study); the "
    "heaviest first, then the higher required level, then the framework's order"
)
# What each score's anchor says of the behavioural indicators (0-4).
SHARE_OF_INDICATORS = (
    "none of the indicators is shown",
    "one indicator is shown, or only in part",
    "about half of the indicators are shown",
    "most of the indicators are shown",
    "every indicator is shown, with a clear example",
)
SHARE_OF_INDICATORS_FR = (
    "aucun des indicateurs n'est démontré",
    "un indicateur est démontré, ou en partie seulement",
    "environ la moitié des indicateurs sont démontrés",
    "la plupart des indicateurs sont démontrés",
    "chacun des indicateurs est démontré, avec un exemple clair",
)


def default_question(statement: str, statement_fr: str) -> tuple[str, str]:
    """The question asked when an organisation has written none: the same wording for every
    competency, quoting its statement."""
    english = (
        f"Tell us about a time when you showed this in your work: “{statement.strip()}”. "
        "What did you do, and what happened?"
    )
    french = (
        "Parlez-nous d'une occasion où vous avez démontré ceci dans votre travail : "
        f"« {statement_fr.strip()} ». Qu'avez-vous fait, et qu'est-il arrivé ?"
    )
    return english, french


@dataclass(frozen=True)
class Candidate:
    """A competency that may be asked about."""

    competency: int
    personal_attribute: bool
    key: bool
    required: int  # the level the profile requires (0: none)
    order: tuple[int, int]  # group position, competency position

    @property
    def weight(self) -> int:
        return 1 + int(self.personal_attribute) + int(self.key)

    @property
    def reasons(self) -> list[str]:
        found = ["personal attribute"] if self.personal_attribute else []
        return found + (["key"] if self.key else [])


def choose(candidates: Sequence[Candidate], size: int) -> list[Candidate]:
    """The `size` competencies a guide asks about, in the order of `RULE`."""
    ordered = sorted(candidates, key=lambda c: (-c.weight, -c.required, c.order, c.competency))
    return ordered[:size]


def anchors(labels: Sequence[str], indicators: Sequence[str]) -> list[dict[str, object]]:
    """The rubric of one question, scores 0-4: each score's label, and what it means of the
    competency's indicators when it has some (else the label alone)."""
    return [
        {
            "level": level,
            "label": label,
            "text": SHARE_OF_INDICATORS[level] if indicators else "",
            "text_fr": SHARE_OF_INDICATORS_FR[level] if indicators else "",
        }
        for level, label in enumerate(labels[: MAX_SCORE + 1])
    ]


def weighted_total(means: Mapping[int, float | None], weights: Mapping[int, int]) -> float | None:
    """The weighted mean of the question means that have scores (0-4), None when none."""
    scored = [(weights[item], mean) for item, mean in means.items() if mean is not None]
    total = sum(weight for weight, _mean in scored)
    if not total:
        return None
    return math.fsum(weight * mean for weight, mean in scored) / total
