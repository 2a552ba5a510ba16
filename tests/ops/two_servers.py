"""One app server process for `test_cache.py`: `python -m tests.ops.two_servers compute|read`.

Run from the repository root with `RTWCOMP_DATA_DIR` set to a data directory of the test's
own and no `DATABASE_URL`, so two such processes share one SQLite database and nothing
else. `compute` migrates (which makes the cache's table), adds a study with completed
responses and asks for its analysis; `read` only asks for it. Each prints, as JSON, how often
`analyze` ran in that process and a digest of the analysis it got.
"""

from __future__ import annotations

import hashlib
import json
import sys
from unittest import mock

SLUG = "two-servers"


def _make_study() -> None:
    from rtwcomp.frameworks.services import load_default
    from rtwcomp.surveys import studies
    from tests.surveys import simulate

    framework, _ = load_default()
    study = studies.create_study(name="Two servers", framework=framework, items="12", slug=SLUG)
    studies.open_study(study)
    simulate.simulate(study, 20, seed=3)


def main(mode: str) -> None:
    from rtwcomp.commands import django_setup

    django_setup.start(writes=mode == "compute")
    from rtwcomp.surveys import results
    from rtwcomp.surveys.models import Study

    if mode == "compute":
        _make_study()
    study = Study.objects.get(slug=SLUG)
    calls = []
    real = results.analyze

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    with mock.patch.object(results, "analyze", counted):
        data, analysis = results.cached_analysis(study)
    digest = hashlib.sha256(data.responses.to_csv().encode() + repr(analysis).encode())
    print(json.dumps({"computed": len(calls), "digest": digest.hexdigest()}))


if __name__ == "__main__":
    main(sys.argv[1])
