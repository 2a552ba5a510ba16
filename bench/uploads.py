"""Uploads under load: large CSV files sent through the web forms while respondents answer.

Starts `rtwcomp serve` (gunicorn) on a free loopback port with a fresh SQLite data
directory, creates a researcher, an open 100-item study they own and a focus-group project,
then, while `--respondents` simulated respondents keep answering the study (the
respondents of bench/survey_load.py) and a researcher logs in every 2 seconds, the
researcher uploads through the web forms:

- a 50 MB panel CSV and a 1,000,000-row statements CSV (both far over the limits);
- a 1,000,000-row statements CSV packed into less than the byte limit (refused at the
  first row over the row limit);
- a panel and a statements file at their row limits (accepted: over
  RTWCOMP_IMPORT_JOB_BYTES, so each starts a background import, which the worker `serve`
  starts runs while the respondents answer).

For each upload it reports the time from the last byte sent to the answer (target for a
refusal: under 2 s) and the message shown. Afterwards it counts the respondents' and
log-ins' failed requests and the server's "database is locked" errors (target: 0), and
compares the respondents' p99 with that of the bare `/healthz` view requested by as many
clients at the same pace. Everything stays on 127.0.0.1 and stops by itself: the uploads
are fixed, the respondents stop after them, and `--max-seconds` bounds the whole run.

    python bench/uploads.py [--respondents 20] [--think 1.0] [--max-seconds 300]

With `--write-lock` it measures instead, in this process on a fresh SQLite data directory,
how long a large background import (the job the upload forms start for a file over
RTWCOMP_IMPORT_JOB_BYTES) holds the database's write lock: the one transaction that stores
the rows (SQLite's BEGIN IMMEDIATE takes the lock at its start), for statements and panel
files of several sizes up to and past the jobs' row limits (lifted for the measure), next to
the median of the bare `/healthz` view served in the same process, as a ratio, with the
transaction's CPU time (the wall-clock time grows with the machine's other load).

    python bench/uploads.py --write-lock
"""

from __future__ import annotations

import argparse
import html
import http.client
import http.cookiejar
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from survey_load import (  # noqa: E402 - the sibling bench's helpers
    CSRF,
    RTWCOMP,
    baseline,
    free_port,
    percentile,
    respond,
    warm_up,
)

PASSWORD = "uploads-bench-" + secrets.token_hex(8)
MB = 1_000_000
SETUP = """
import sys
from rtwcomp.commands import django_setup
django_setup.setup()
django_setup.migrate()
from django.contrib.auth.models import Group, User
from rtwcomp.elicitation import services
from rtwcomp.frameworks.services import load_default
from rtwcomp.surveys import studies
framework, _ = load_default()
user = User.objects.create_user("researcher", password=sys.argv[1], is_staff=True)
user.groups.add(Group.objects.get_or_create(name="researchers")[0])
study = studies.create_study(name="Uploads", framework=framework, items="100", owner=user)
studies.open_study(study)
project = services.create_project("Uploads", owner=user)
for n in range(900):  # the participant codes the statement files name
    services.add_participant(project, f"P{n:03d}")
print(study.slug)
print(project.slug)
"""
MESSAGE = re.compile(
    r"[\w.-]+\.csv[^<·|]*?the limit is [\d,.]+(?: [KM]B| bytes)?"
    r"|\d+ (?:statements imported|invitee\(s\) added)[^<]*"
    r"|Import of [^<]*"  # a file over RTWCOMP_IMPORT_JOB_BYTES: its job's page
)


class Stamped(list[float]):
    """Request durations, each remembered with the moment it ended."""

    def __init__(self) -> None:
        super().__init__()
        self.ends: list[float] = []

    def append(self, duration: float) -> None:
        self.ends.append(time.perf_counter())
        super().append(duration)


@dataclass
class Upload:
    label: str
    size: int
    status: int
    send_seconds: float
    answer_seconds: float
    message: str
    started: float
    ended: float


class Researcher:
    """A logged-in researcher with a browser's cookies."""

    def __init__(self, base: str, port: int) -> None:
        self.base, self.port = base, port
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=120) as response:  # noqa: S310
            return str(response.read().decode())

    def log_in(self) -> None:
        page = self.get("/accounts/login/")
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": CSRF.search(page)[1],  # type: ignore[index]
                "username": "researcher",
                "password": PASSWORD,
            }
        ).encode()
        request = urllib.request.Request(self.base + "/accounts/login/", data=data)  # noqa: S310
        request.add_header("Referer", self.base + "/accounts/login/")
        with self.opener.open(request, timeout=60) as response:  # noqa: S310
            if "/accounts/login/" in response.geturl():
                raise RuntimeError("the researcher could not log in")

    def upload(self, label: str, form_path: str, action: str, field: str, content: bytes) -> Upload:
        """POST a file as the form on `form_path` would; time the sending and the answer."""
        token = CSRF.search(self.get(form_path))[1]  # type: ignore[index]
        boundary = "rtwcomp-bench-" + secrets.token_hex(12)
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f'{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{label}"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.jar)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        started = time.perf_counter()
        connection.putrequest("POST", action)
        connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
        connection.putheader("Content-Length", str(len(head) + len(content) + len(tail)))
        connection.putheader("Cookie", cookies)
        connection.putheader("Referer", self.base + form_path)
        connection.endheaders()
        connection.send(head)
        view = memoryview(content)
        for offset in range(0, len(content), MB):
            connection.send(view[offset : offset + MB])
        connection.send(tail)
        sent = time.perf_counter()
        response = connection.getresponse()
        body = response.read().decode(errors="replace")
        answered = time.perf_counter()
        location = response.getheader("Location") or ""
        for header in response.msg.get_all("Set-Cookie") or []:  # the message, in a cookie
            name, _, value = header.split(";", 1)[0].partition("=")
            cookies += f"; {name.strip()}={value.strip()}"
        connection.close()
        if response.status == 302 and location:  # the message is shown on the page redirected to
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            connection.request("GET", location, headers={"Cookie": cookies})
            body = connection.getresponse().read().decode(errors="replace")
            connection.close()
        found = MESSAGE.findall(html.unescape(body))
        return Upload(
            label=label,
            size=len(content),
            status=response.status,
            send_seconds=sent - started,
            answer_seconds=answered - sent,
            message=found[0].strip() if found else "(no message found)",
            started=started,
            ended=answered,
        )


def panel(rows: int) -> bytes:
    lines = (f"person{n}@example.org,Person {n},{'fr' if n % 3 else 'en'}\n" for n in range(rows))
    return ("email,name,language\n" + "".join(lines)).encode()


def statements(rows: int, compact: bool = False) -> bytes:
    if compact:  # the smallest rows a statements file can have
        return b"session,text\n" + b"A,s\n" * rows
    lines = (
        f"S{n:07d},FG-{n % 40},P{n % 900:03d},Keeping medical information confidential {n}\n"
        for n in range(rows)
    )
    return ("statement_id,session,participant,text\n" + "".join(lines)).encode()


def keep_answering(
    base: str,
    slug: str,
    first: int,
    timings: Stamped,
    errors: list[str],
    stop: threading.Event,
    think: float,
) -> None:
    """One respondent after another from this client, until `stop` (each answers the
    years question with `first`, which must lie within 0-100)."""
    number = first
    while not stop.is_set():
        try:
            respond(base, slug, number, timings, {}, think)
        except Exception as error:  # every failure is counted and shown
            errors.append(f"{type(error).__name__}: {error}")
            time.sleep(think)


def keep_logging_in(
    base: str, port: int, errors: list[str], stop: threading.Event, every: float = 2.0
) -> int:
    done = 0
    while not stop.is_set():
        try:
            Researcher(base, port).log_in()
            done += 1
        except Exception as error:  # every failure is counted and shown
            errors.append(f"log-in: {type(error).__name__}: {error}")
        stop.wait(every)
    return done


def run(respondents: int, think: float, workers: int, quiet: float, max_seconds: float) -> None:
    deadline = time.monotonic() + max_seconds
    data_dir = Path(tempfile.mkdtemp(prefix="rtwcomp-uploads-"))
    env = {**os.environ, "RTWCOMP_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    env["RTWCOMP_ADMIN_PASSWORD"] = "uploads-bench-admin-" + secrets.token_hex(8)
    made = subprocess.run(
        [sys.executable, "-c", SETUP, PASSWORD], env=env, check=True, capture_output=True, text=True
    )
    slug, project = made.stdout.split()[-2:]
    port = free_port()
    log = data_dir / "server.log"
    with log.open("wb") as errors_file:
        server = subprocess.Popen(
            [*RTWCOMP, "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors_file,
        )
    base = f"http://127.0.0.1:{port}"
    stop = threading.Event()
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        warm_up(base, slug, workers * 4)
        researcher = Researcher(base, port)
        researcher.log_in()
        study_page, project_page = f"/studies/{slug}/", f"/elicitation/{project}/"
        to_import = f"/elicitation/{project}/import/"
        to_panel = f"/studies/{slug}/panel/"
        plan: list[tuple[str, str, str, str, Callable[[], bytes]]] = [
            ("panel-50MB.csv", study_page, to_panel, "panel", lambda: panel(1) + b"x" * 50 * MB),
            ("statements-1M.csv", project_page, to_import, "file", lambda: statements(10**6)),
            (
                "statements-1M-compact.csv",
                project_page,
                to_import,
                "file",
                lambda: statements(10**6, compact=True),
            ),
            ("statements-5000.csv", project_page, to_import, "file", lambda: statements(5000)),
            ("panel-10000.csv", study_page, to_panel, "panel", lambda: panel(10_000)),
        ]
        contents = [make() for *_, make in plan]  # made before anyone is timed
        timings, errors, login_errors = Stamped(), [], []
        threads = [
            threading.Thread(
                target=keep_answering,
                args=(base, slug, n, timings, errors, stop, think),
                daemon=True,
            )
            for n in range(respondents)
        ]
        logins = threading.Thread(
            target=keep_logging_in, args=(base, port, login_errors, stop), daemon=True
        )
        for thread in [*threads, logins]:
            thread.start()
        time.sleep(3 * think + 2)  # the respondents are all answering
        quiet_from = time.perf_counter()
        time.sleep(quiet)  # respondents alone: the reference for the upload windows
        quiet_to = time.perf_counter()
        uploads: list[Upload] = []
        for (label, form, action, field, _make), content in zip(plan, contents, strict=True):
            if time.monotonic() > deadline:
                break
            uploads.append(researcher.upload(label, form, action, field, content))
            time.sleep(2)
        del contents
        time.sleep(3)
        stop.set()
        for thread in [*threads, logins]:
            thread.join(timeout=max(1.0, min(60.0, deadline - time.monotonic())))
        ended = list(zip(timings, timings.ends, strict=True))
        alone = [d for d, end in ended if quiet_from <= end <= quiet_to]
        during = {
            refused: [
                d
                for d, end in ended
                for u in uploads
                if (u.status == 400 or "limit" in u.message) == refused
                and u.started <= end <= u.ended + 1.0
            ]
            for refused in (True, False)
        }
        base_times: list[float] = []
        if time.monotonic() < deadline:
            each = max(1, min(30, len(timings) // max(1, respondents)))
            baseline(base, respondents, each, base_times, think)
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)
    locked = log.read_text(errors="replace").count("database is locked")
    shutil.rmtree(data_dir, ignore_errors=True)
    report(uploads, timings, alone, during, base_times, errors, login_errors, locked)
    print(f"  ({respondents} respondents, think {think:g} s, {workers} gunicorn workers)")


def report(
    uploads: list[Upload],
    timings: list[float],
    alone: list[float],
    during: dict[bool, list[float]],
    base_times: list[float],
    errors: list[str],
    login_errors: list[str],
    locked: int,
) -> None:
    for u in uploads:
        print(
            f"{u.label:<26} {u.size / MB:5.1f} MB  HTTP {u.status}  answered "
            f"{u.answer_seconds:5.2f} s after the last byte (sent in {u.send_seconds:.2f} s)"
            f"  | {u.message}"
        )

    def p99(values: list[float]) -> float:
        return 1000 * percentile(values, 0.99) if values else float("nan")

    bare = p99(base_times)
    refused, accepted = during[True], during[False]
    print(
        f"respondent requests (count): p99 {p99(alone):.0f} ms alone ({len(alone)}), "
        f"{p99(refused):.0f} ms during refused uploads ({len(refused)}), {p99(accepted):.0f} ms "
        f"during accepted imports ({len(accepted)}); overall p99 {p99(timings):.0f} ms, "
        f"p50 {1000 * statistics.median(timings):.0f} ms ({len(timings)})"
    )
    print(
        f"bare /healthz p99 {bare:.0f} ms ({len(base_times)}); ratio p99 to it: alone "
        f"{p99(alone) / bare:.1f}x, refused uploads {p99(refused) / bare:.1f}x, accepted "
        f"imports {p99(accepted) / bare:.1f}x, overall {p99(timings) / bare:.1f}x"
    )
    print(
        f"failed: {len(errors)} respondent requests, {len(login_errors)} log-ins; "
        f'"database is locked" in the server log: {locked}'
    )
    for line in (errors + login_errors)[:5]:
        print(f"    {line[:200]}")


WRITE_LOCK_SIZES = {"statements": (2_500, 5_000, 10_000), "panel": (5_000, 10_000, 20_000)}
WRITE_LOCK_MAX_ROWS = 20_000


def write_lock() -> None:
    """The longest write transaction of each background import, against the bare view."""
    data_dir = Path(tempfile.mkdtemp(prefix="rtwcomp-write-lock-"))
    os.environ["RTWCOMP_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    try:
        from rtwcomp.commands import django_setup

        django_setup.setup()
        django_setup.migrate()
        for kind, rows, (held, cpu), bare in measure_imports():
            print(
                f"{kind:<10} {rows:>6} rows: write transaction {1000 * held:7.1f} ms "
                f"(CPU {1000 * cpu:6.1f} ms); bare /healthz median {1000 * bare:.2f} ms; "
                f"ratio {held / bare:,.0f}x"
            )
        print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def measure_imports() -> list[tuple[str, int, tuple[float, float], float]]:
    from django.contrib.auth.models import Group, User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from rtwcomp.elicitation import jobs as elicitation_jobs
    from rtwcomp.elicitation import services
    from rtwcomp.frameworks.services import load_default
    from rtwcomp.interop.csv_input import Limits
    from rtwcomp.jobs import worker
    from rtwcomp.jobs.models import Job
    from rtwcomp.surveys import invitations, studies
    from rtwcomp.surveys import jobs as survey_jobs

    user = User.objects.create_user("researcher", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="researchers")[0])
    framework, _ = load_default()
    held: list[tuple[float, float]] = []
    # Lifted here, to measure past the jobs' row limits (which these measures set).
    elicitation_jobs.JOB_LIMITS = Limits(max_bytes=50 * MB, max_rows=WRITE_LOCK_MAX_ROWS)
    survey_jobs.PANEL_JOB_LIMITS = Limits(max_bytes=50 * MB, max_rows=WRITE_LOCK_MAX_ROWS)
    services.import_statements = timed(services.import_statements, held)
    invitations.add_panel = timed(invitations.add_panel, held)
    client = Client()
    results = []
    for kind, sizes in WRITE_LOCK_SIZES.items():
        for rows in sizes:
            name = f"{kind}-{rows}"
            if kind == "statements":
                project = services.create_project(name, owner=user)
                for n in range(900):  # the participant codes the file names
                    services.add_participant(project, f"P{n:03d}")
                upload = SimpleUploadedFile(f"{name}.csv", statements(rows))
                job = elicitation_jobs.start_import(project, upload, user)
            else:
                study = studies.create_study(name=name, framework=framework, items="10", owner=user)
                upload = SimpleUploadedFile(f"{name}.csv", panel(rows))
                job = survey_jobs.start_panel_import(study, upload, user)
            held.clear()
            worker.run(batch=True, interval=0)
            job.refresh_from_db()
            if job.status != Job.Status.DONE:
                error = " ".join(job.error.split())
                print(f"{kind:<10} {rows:>6} rows: refused by the job: {error[:120]}")
                continue
            results.append((kind, rows, max(held), bare_view(client)))
    return results


def timed(
    function: Callable[..., object], held: list[tuple[float, float]]
) -> Callable[..., object]:
    """`function` (one transaction), recording its wall-clock and CPU seconds."""

    def run(*args: object, **kwargs: object) -> object:
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            held.append((time.perf_counter() - started, time.thread_time() - cpu))

    return run


def bare_view(client: object, requests: int = 200) -> float:
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get("/healthz", HTTP_HOST="127.0.0.1")  # type: ignore[attr-defined]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--respondents", type=int, default=20, help="1 to 100")
    parser.add_argument("--think", type=float, default=1.0, help="seconds per page")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--quiet", type=float, default=15.0, help="seconds of respondents alone, for reference"
    )
    parser.add_argument("--max-seconds", type=float, default=300.0)
    parser.add_argument(
        "--write-lock",
        action="store_true",
        help="measure the write transaction of large background imports instead",
    )
    args = parser.parse_args()
    if args.write_lock:
        write_lock()
        return
    if not 1 <= args.respondents <= 100 or args.max_seconds > 1800:
        parser.error("--respondents must be 1 to 100 and --max-seconds at most 1800")
    run(args.respondents, args.think, args.workers, args.quiet, args.max_seconds)


if __name__ == "__main__":
    main()
