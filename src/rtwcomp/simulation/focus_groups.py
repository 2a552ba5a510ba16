"""Simulated focus groups: sessions, participants and what each participant said.

How often each bank item is said follows a Zipf law over a random ordering of the bank
(a few items said by many, many said once or never), the number of statements is
Poisson around the design's count and split among participants by their talkativeness.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rtwcomp.simulation.bank import BankItem
from rtwcomp.simulation.design import StudyDesign
from rtwcomp.simulation.wording import restate


@dataclass(frozen=True)
class Participant:
    code: str
    session: str
    country: str


@dataclass(frozen=True)
class Statement:
    session: str
    participant: str
    item: str  # the bank item the participant restated
    text: str


@dataclass(frozen=True)
class FocusGroups:
    sessions: list[tuple[str, str]]  # (code, country)
    participants: list[Participant]
    statements: list[Statement]

    def citations(self) -> dict[str, int]:
        """How many statements restate each bank item (items never said left out)."""
        counts: dict[str, int] = {}
        for s in self.statements:
            counts[s.item] = counts.get(s.item, 0) + 1
        return counts


def session_countries(n_sessions: int, countries: tuple[str, ...]) -> list[str]:
    """Sessions spread over the countries as evenly as possible, in turn."""
    return [countries[k % len(countries)] for k in range(n_sessions)]


def citation_weights(n_items: int, skew: float, rng: np.random.Generator) -> np.ndarray:
    """Zipf weights over a random ordering of the items (they sum to 1)."""
    weights = np.arange(1, n_items + 1, dtype=float) ** -skew
    weights = weights[rng.permutation(n_items)]
    return weights / weights.sum()


def simulate_focus_groups(
    design: StudyDesign, bank: list[BankItem], rng: np.random.Generator
) -> FocusGroups:
    countries = session_countries(design.focus_groups, design.countries.levels)
    sessions = [(f"FG{k + 1}", country) for k, country in enumerate(countries)]
    extra = design.participants - 3 * design.focus_groups
    sizes = np.full(design.focus_groups, 3)
    if extra > 0:
        sizes += rng.multinomial(extra, np.full(design.focus_groups, 1 / design.focus_groups))
    participants = [
        Participant(f"{code}-P{j + 1:02d}", code, country)
        for (code, country), size in zip(sessions, sizes, strict=True)
        for j in range(size)
    ]
    talk = rng.gamma(4.0, 1.0, len(participants))
    said = rng.multinomial(rng.poisson(design.statements), talk / talk.sum())
    weights = citation_weights(len(bank), design.citation_skew, rng)
    statements = []
    for person, count in zip(participants, said, strict=True):
        for index in rng.choice(len(bank), size=count, p=weights):
            item = bank[index]
            text = restate(item.statement, rng)
            statements.append(Statement(person.session, person.code, item.code, text))
    return FocusGroups(sessions, participants, statements)


def survey_choice(
    citations: dict[str, int], bank: list[BankItem], design: StudyDesign
) -> list[BankItem]:
    """The surveyed items: the most cited (ties in bank order), then medical-knowledge
    items, then the next most cited, up to the survey's size."""
    order = {item.code: k for k, item in enumerate(bank)}
    ranked = sorted(bank, key=lambda i: (-citations.get(i.code, 0), order[i.code]))
    chosen = ranked[: design.most_cited]
    rest = [i for i in ranked[design.most_cited :]]
    rest.sort(key=lambda i: (not i.medical, -citations.get(i.code, 0), order[i.code]))
    return chosen + rest[: design.surveyed_items - len(chosen)]
