"""One simulated study end to end, and batches of simulated surveys for planning.

`simulate_study` runs the focus groups, picks the surveyed items, draws respondents and
their answers, and returns tables in the shapes `rtwcomp analyze` reads. `simulate_surveys`
draws many surveys of the same items at once (studies x respondents x items arrays).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rtwcomp.simulation import respondents as people_mod
from rtwcomp.simulation.bank import BankItem, load_bank
from rtwcomp.simulation.design import ROUTES, StudyDesign
from rtwcomp.simulation.findings import Findings, study_findings
from rtwcomp.simulation.focus_groups import FocusGroups, simulate_focus_groups, survey_choice
from rtwcomp.simulation.ratings import ItemModel, answers, group_factors, item_model


class DesignError(ValueError):
    """A study design that cannot be simulated; the message names the parameter."""


@dataclass(frozen=True)
class Surveys:
    """Many simulated surveys of the same items."""

    design: StudyDesign
    model: ItemModel
    people: dict[str, np.ndarray]  # attribute -> studies x respondents level indices
    scores: np.ndarray  # studies x respondents x items, NaN missing

    def nurse(self) -> np.ndarray:
        return people_mod.is_nurse(self.design, self.people["profession"])

    def findings(self) -> Findings:
        return study_findings(
            self.scores,
            self.model.group_index,
            self.model.medical,
            self.people["country"],
            len(self.design.countries.levels),
            self.nurse(),
        )


@dataclass(frozen=True)
class SimulatedStudy:
    design: StudyDesign
    seed: int
    focus_groups: FocusGroups
    surveyed: list[BankItem]
    surveys: Surveys

    def items_frame(self) -> pd.DataFrame:
        """The items table `rtwcomp analyze` reads, with the simulated extras."""
        model = self.surveys.model
        citations = self.focus_groups.citations()
        return pd.DataFrame(
            {
                "item": [i.code for i in self.surveyed],
                "group": [i.group for i in self.surveyed],
                "statement": [i.statement for i in self.surveyed],
                "reverse": "no",
                "ksab_type": [i.ksab_type for i in self.surveyed],
                "citations": [citations.get(i.code, 0) for i in self.surveyed],
                "medical": np.where(model.medical, "yes", "no"),
                "route": acquisition_routes(self.surveyed, self.seed),
                "population_share_top": np.round(_share(model.importance), 4),
            }
        )

    def responses_frame(self) -> pd.DataFrame:
        frame = people_mod.table(self.design, self.surveys.people)
        scores = pd.DataFrame(self.surveys.scores[0], columns=self.surveys.model.codes)
        return pd.concat([frame, scores.astype("Int64")], axis=1)

    def statements_frame(self) -> pd.DataFrame:
        countries = dict(self.focus_groups.sessions)
        return pd.DataFrame(
            [
                {
                    "session": s.session,
                    "country": countries[s.session],
                    "participant": s.participant,
                    "statement": s.text,
                    "bank_item": s.item,
                }
                for s in self.focus_groups.statements
            ]
        )

    def funnel(self) -> dict[str, Any]:
        findings = self.surveys.findings()
        fg = self.focus_groups
        return {
            "focus_groups": len(fg.sessions),
            "participants": len(fg.participants),
            "statements": len(fg.statements),
            "unique_items": len(fg.citations()),
            "surveyed_items": len(self.surveyed),
            "respondents": self.design.respondents,
            "countries": len(set(self.responses_frame()["country"])),
            "key_items": int(findings.key_items[0]),
        }


def _share(importance: np.ndarray) -> np.ndarray:
    from scipy import special

    return special.ndtr(importance)


def acquisition_routes(items: list[BankItem], seed: int) -> list[str]:
    """How each competency is mostly acquired: attitudes as personal attributes, knowledge
    by formal training, skills and behaviours on the job and through mentorship, with one
    in five items otherwise (the study gives examples, not a rule)."""
    rng = np.random.default_rng([seed, 17])
    usual = {"attitude": 0, "knowledge": 1, "skill": 2, "behaviour": 2}
    routes = []
    for item in items:
        route = usual.get(item.ksab_type, 2)
        if rng.random() < 0.2:
            route = int(rng.integers(len(ROUTES)))
        routes.append(ROUTES[route])
    return routes


def check(design: StudyDesign) -> None:
    problems = design.problems()
    if problems:
        raise DesignError("; ".join(problems))


def simulate_surveys(
    design: StudyDesign, model: ItemModel, n_studies: int, rng: np.random.Generator
) -> Surveys:
    people = people_mod.demographics(design, n_studies, rng)
    theta = group_factors(
        n_studies, design.respondents, len(model.group_names), design.group_correlation, rng
    )
    shift = people_mod.latent_shift(design, model, people)
    scores = answers(model, theta, shift, design.missing, rng)
    return Surveys(design, model, people, scores)


def simulate_study(
    design: StudyDesign | None = None, seed: int = 1, bank: list[BankItem] | None = None
) -> SimulatedStudy:
    design = design or StudyDesign()
    check(design)
    bank = bank if bank is not None else load_bank()
    if design.surveyed_items > len(bank):
        raise DesignError(f"surveyed_items must be at most {len(bank)}, the item bank's size")
    rng = np.random.default_rng(seed)
    groups = simulate_focus_groups(design, bank, rng)
    surveyed = survey_choice(groups.citations(), bank, design)
    model = item_model(surveyed, design, rng)
    return SimulatedStudy(design, seed, groups, surveyed, simulate_surveys(design, model, 1, rng))
