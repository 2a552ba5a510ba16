"""How long a researcher waits for the study report: the request that starts the job, and
the job itself, against a bare Django view in the same process.

Builds a study of 100 items answered by 148 simulated respondents (the 2010 study's size)
in a temporary SQLite data directory, then, through Django's test client:

- the bare `/healthz` view (the baseline), many times;
- POST `/studies/SLUG/report.pdf`, which only queues the report job (the request the
  researcher waits for before the job page shows), repeated;
- one run of the queued job by the worker (`rtwcomp.jobs.worker`), rendering the PDF.

It prints the median and p95 of each request, the ratio to the bare view, and the job's
time.

    python bench/jobs.py [--repeat 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the simulated respondents live with the tests


def timed(call, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def describe(label: str, times: list[float], baseline: float | None = None) -> float:
    median = statistics.median(times)
    p95 = sorted(times)[int(0.95 * (len(times) - 1))]
    ratio = f", {median / baseline:.1f}x the bare view" if baseline else ""
    print(f"{label:34} median {median * 1000:8.1f} ms  p95 {p95 * 1000:8.1f} ms{ratio}")
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    os.environ["RTWCOMP_DATA_DIR"] = tempfile.mkdtemp(prefix="rtwcomp-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rtwcomp.site.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"  # Django's test client
    from rtwcomp.commands import django_setup

    django_setup.setup()
    django_setup.migrate()
    from django.test import Client
    from tests.surveys.simulate import simulate

    from rtwcomp.frameworks.services import load_default
    from rtwcomp.jobs import worker
    from rtwcomp.jobs.models import Job
    from rtwcomp.site.accounts import create_researcher
    from rtwcomp.surveys import studies

    framework, _ = load_default()
    create_researcher("bench")
    from django.contrib.auth import get_user_model

    owner = get_user_model().objects.get(username="bench")
    study = studies.open_study(
        studies.create_study(name="Bench", framework=framework, items="100", owner=owner)
    )
    simulate(study, 148, seed=1)
    client = Client()
    client.force_login(owner)

    def expect(status: int, answer) -> None:
        assert answer.status_code == status, answer

    bare = describe(
        "GET /healthz (baseline)", timed(lambda: expect(200, client.get("/healthz")), 200)
    )
    url = f"/studies/{study.slug}/report.pdf"
    queue = timed(lambda: expect(302, client.post(url)), args.repeat)
    describe("POST report.pdf (queues the job)", queue, bare)
    # Keep one of the queued reports for the worker; the others are only there to time
    # the request that queues them.
    from django_tasks_db.models import DBTaskResult

    kept = Job.objects.order_by("created_at").first()
    DBTaskResult.objects.exclude(id=kept.task_id).delete()
    Job.objects.exclude(pk=kept.pk).delete()
    start = time.perf_counter()
    worker.run(batch=True, interval=0)
    job = Job.objects.get()
    print(f"{'the job: analysis and PDF':34} {time.perf_counter() - start:8.2f} s ({job.status})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
