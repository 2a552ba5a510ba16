"""Simulated respondents, calibrated to the published facts of the 2010 study.

For demonstrations, load tests and the dashboard's own tests: 148 respondents from
Australia, Canada and the United States; about 83 of 100 items rated 4-5 by more than
half; no country or employer differences; nurses rate medical-knowledge items a little
higher. Ratings come from an ordinal model: a latent importance per item, a general
respondent level, a group factor, and fixed thresholds.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from django.db import transaction
from django.utils import timezone

from rtwcomp.surveys.models import ACQUIRED_CHOICES, Answer, Study, SurveyResponse

KEY_SHARE_2010 = 0.83
MEDICAL_WORDS = ("medical", "diagnos", "treatment", "health condition", "restriction")


def _choice_values(study: Study, key: str) -> list[str]:
    question = study.questions.filter(key=key).first()
    return [str(c["value"]) for c in question.choices] if question else []


@transaction.atomic
def simulate(study: Study, n: int = 148, seed: int = 2010) -> int:
    """Add `n` completed responses to the study's current round; returns how many."""
    rng = np.random.default_rng(seed)
    round_ = study.current_round()
    items = list(round_.items.select_related("competency__group").order_by("position"))
    k = len(items)
    # Latent importance: most items clearly important, about a sixth below the key line.
    importance = np.where(
        rng.random(k) < KEY_SHARE_2010, rng.normal(1.0, 0.5, k), rng.normal(-0.4, 0.4, k)
    )
    groups = sorted({i.competency.group_id for i in items})
    group_effect = {g: rng.normal(0, 0.25) for g in groups}
    medical = np.array(
        [any(w in i.competency.statement.lower() for w in MEDICAL_WORDS) for i in items]
    )
    thresholds = np.array([-1.8, -0.9, 0.0, 1.3])
    countries = _choice_values(study, "country")[:3] or ["AU", "CA", "US"]
    professions = _choice_values(study, "profession") or ["nurse", "other"]
    employers = _choice_values(study, "employer") or ["employer"]
    routes = [c[0] for c in ACQUIRED_CHOICES[:4]]
    today = timezone.localdate()
    asked = set(study.questions.values_list("key", flat=True))
    for _ in range(n):
        profession = (
            professions[0]
            if rng.random() < 0.35
            else str(rng.choice(professions[1:] or professions))
        )
        respondent = rng.normal(0, 0.5)
        traits = {g: rng.normal(0, 0.35) for g in groups}
        latent = (
            importance
            + respondent
            + np.array(
                [group_effect[i.competency.group_id] + traits[i.competency.group_id] for i in items]
            )
            + np.where(medical & (profession == "nurse"), 0.35, 0.0)
            + rng.logistic(0, 0.45, k)
        )
        values = 1 + np.searchsorted(thresholds, latent)
        missing = rng.random(k) < 0.02
        attributes = {
            "country": str(rng.choice(countries)),
            "employer": str(rng.choice(employers)),
            "profession": profession,
            "years": f"{int(rng.integers(1, 25))}",
        }
        response = SurveyResponse.objects.create(
            study=study,
            round=round_,
            language="fr" if attributes["country"] == "CA" and rng.random() < 0.3 else "en",
            attributes={q: v for q, v in attributes.items() if q in asked},
            page=0,
            started_on=today - timedelta(days=int(rng.integers(0, 30))),
            submitted_on=today - timedelta(days=int(rng.integers(0, 30))),
        )
        Answer.objects.bulk_create(
            Answer(
                response=response,
                item=item,
                value=None if missing[j] else int(values[j]),
                acquired=str(rng.choice(routes)) if study.ask_acquired and not missing[j] else "",
            )
            for j, item in enumerate(items)
        )
    return n
