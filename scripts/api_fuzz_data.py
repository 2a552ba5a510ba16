"""Data for `scripts/api-fuzz`: a researcher with studies to read, and their API token.

Run with `RTWCOMP_DATA_DIR` pointing at a fresh data directory. Creates the researcher
`fuzz` (a researcher, not a superuser) owning studies with many, few and no completed responses
and a Delphi study in its second round, plus a study of another researcher that `fuzz`
must not see; prints the token of `fuzz`.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

from rtwcomp.commands import django_setup

# The simulated respondents live with the tests (tests/surveys/simulate.py).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    django_setup.setup()
    django_setup.migrate()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from tests.surveys import simulate

    from rtwcomp.frameworks.services import load_default
    from rtwcomp.permissions import RESEARCHERS
    from rtwcomp.site.models import ApiToken
    from rtwcomp.surveys import studies

    framework, _ = load_default()
    users = get_user_model()
    researcher = users.objects.create_user(
        "fuzz", password=secrets.token_urlsafe(16), is_staff=True
    )
    other = users.objects.create_user("other", password=secrets.token_urlsafe(16), is_staff=True)
    Group.objects.get_or_create(name=RESEARCHERS)[0].user_set.add(researcher, other)
    answered = studies.create_study(
        name="Answered", framework=framework, items="20", owner=researcher, ask_acquired=True
    )
    studies.open_study(answered)
    simulate.simulate(answered, 30, seed=7)
    few = studies.create_study(name="Few", framework=framework, items="10", owner=researcher)
    simulate.simulate(studies.open_study(few), 2, seed=9)
    studies.open_study(
        studies.create_study(name="Unanswered", framework=framework, items="10", owner=researcher)
    )
    delphi = studies.create_study(
        name="Delphi",
        framework=framework,
        items="10",
        owner=researcher,
        delphi=True,
        anonymous=False,
    )
    simulate.simulate(studies.open_study(delphi), 12, seed=10)
    studies.start_next_round(delphi)
    hidden = studies.create_study(name="Hidden", framework=framework, items="10", owner=other)
    simulate.simulate(studies.open_study(hidden), 5, seed=8)
    print(ApiToken.issue(researcher, "api-fuzz"))


if __name__ == "__main__":
    main()
