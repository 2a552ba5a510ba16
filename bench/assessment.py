"""How fast the assessment pages answer on large records, against a bare Django view in the
same process.

In a temporary SQLite data directory, with the default framework (156 competencies):

- one coordinator rated on every competency by 5 sources in 10 rounds (7,800 rating
  events), whose page shows the ratings side by side and the gaps to a role profile that
  requires every competency;
- a team of 200 coordinators, each rated on every competency by self and mentor (62,400
  events), whose supervisor opens the team heat map;
- ten rounds, one per month rated, so both pages also draw the trends across rounds.

Each page is requested through Django's test client; the bare `/healthz` view is the
baseline. Prints the median and p95 of each, and the ratio to the bare view.

    python bench/assessment.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCES = ("self", "mentor", "supervisor", "peer", "observed")


def timed(call, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = call()
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return times


def describe(label: str, times: list[float], baseline: float | None = None) -> float:
    median = statistics.median(times)
    p95 = sorted(times)[int(0.95 * (len(times) - 1))]
    ratio = f", {median / baseline:.0f}x the bare view" if baseline else ""
    print(f"{label:40} median {median * 1000:8.1f} ms  p95 {p95 * 1000:8.1f} ms{ratio}")
    return median


def build():
    """The organisation, the rated coordinator, the profile and the team's supervisor."""
    import random

    from django.contrib.auth import get_user_model

    from rtwcomp.assessments.models import (
        Organisation,
        Person,
        Rating,
        Requirement,
        RoleProfile,
        Round,
        Team,
    )
    from rtwcomp.frameworks.services import load_default

    framework, _ = load_default()
    competencies = list(framework.competencies.all())
    users = get_user_model().objects
    organisation = Organisation.objects.create(slug="bench", name="Bench", framework=framework)
    team = Team.objects.create(organisation=organisation, name="Everyone")
    boss = Person.objects.create(
        organisation=organisation, name="Supervisor", email="boss@example.org",
        is_supervisor=True, user=users.create_user("boss"),
    )  # fmt: skip
    team.supervisors.add(boss)
    people = Person.objects.bulk_create(
        Person(organisation=organisation, name=f"Coordinator {i:03}", email=f"c{i}@example.org",
               is_coordinator=True, team=team)
        for i in range(200)
    )  # fmt: skip
    rng, start = random.Random(1), dt.date(2026, 1, 1)
    ratings = [
        Rating(subject=p, competency=c, source=s, instrument="feedback", level=rng.randint(0, 4),
               rated_on=start)
        for p in people for c in competencies for s in ("self", "mentor")
    ]  # fmt: skip
    ratings += [
        Rating(subject=people[0], competency=c, source=s, instrument="feedback",
               level=rng.randint(0, 4), rated_on=start + dt.timedelta(days=30 * r))
        for r in range(1, 10) for c in competencies for s in SOURCES
    ]  # fmt: skip
    Rating.objects.bulk_create(ratings, batch_size=5000)
    Round.objects.bulk_create(  # one round per month rated: the trends on both pages
        Round(organisation=organisation, name=f"Round {r + 1}",
              starts_on=start + dt.timedelta(days=30 * r),
              ends_on=start + dt.timedelta(days=30 * r + 29))
        for r in range(10)
    )  # fmt: skip
    profile = RoleProfile.objects.create(organisation=organisation, framework=framework, name="All")
    Requirement.objects.bulk_create(
        Requirement(profile=profile, competency=c, level=3) for c in competencies
    )
    return boss, people[0], profile, team, len(ratings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    os.environ["RTWCOMP_DATA_DIR"] = tempfile.mkdtemp(prefix="rtwcomp-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rtwcomp.site.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    from rtwcomp.commands import django_setup

    django_setup.setup()
    django_setup.migrate()
    from django.test import Client

    boss, coordinator, profile, team, n = build()
    print(f"{n:,} rating events; 156 competencies; a team of 200")
    client = Client()
    client.force_login(boss.user)
    base = describe("bare view /healthz", timed(lambda: client.get("/healthz"), args.repeat))
    person = f"/assess/people/{coordinator.pk}/?profile={profile.pk}"
    describe("side by side + gaps (5 sources x 10 rounds)",
             timed(lambda: client.get(person), args.repeat), base)  # fmt: skip
    describe("team heat map (200 coordinators)",
             timed(lambda: client.get(f"/assess/teams/{team.pk}/"), args.repeat), base)  # fmt: skip
    # The first view after a new rating: nothing cached (the cache is emptied each time).
    from django.core.cache import cache

    def cold(url: str) -> object:
        cache.clear()
        return client.get(url)

    describe("side by side + gaps, nothing cached",
             timed(lambda: cold(person), args.repeat), base)  # fmt: skip
    describe("team heat map, nothing cached",
             timed(lambda: cold(f"/assess/teams/{team.pk}/"), args.repeat), base)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
