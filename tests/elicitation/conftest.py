"""A small focus-group project: two sessions, three things said in several ways."""

import pytest

from tests.conftest import make_researcher

STATEMENTS = {
    "AU-1": [
        "P01: Keeping medical information confidential",
        "P02: Negotiating modified duties with the supervisor",
        "P01: The parking here is a nightmare",
    ],
    "CA-1": [
        "P07: Confidential medical information must stay private",
        "P08: Negotiate modified duties with supervisors",
        "P07: Keeping medical information confidential, always",
    ],
}


@pytest.fixture
def project(db, researcher):
    from rtwcomp.elicitation import services
    from rtwcomp.elicitation.models import Session

    project = services.create_project("RTW focus groups 2026", owner=researcher)
    for code, lines in STATEMENTS.items():
        session = Session.objects.create(project=project, code=code, country=code[:2])
        for who in dict.fromkeys(line.split(":")[0] for line in lines):
            services.add_participant(project, who, session=session)
        services.paste_statements(project, session, "\n".join(lines))
    return project


@pytest.fixture
def researcher(db, django_user_model):
    return make_researcher("researcher", password="correct horse battery")
