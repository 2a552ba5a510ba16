"""Load benchmark of the respondent pages on the real server.

Starts `rtwcomp serve` (gunicorn) on a fresh data directory, creates an open 100-item
study, then drives N concurrent simulated respondents over loopback through every page,
as a browser without JavaScript would (GET the page, POST the answers with the CSRF
token). The baseline is a bare Django view (`/healthz`) on the same server, requested the
same number of times by the same number of clients. Afterwards every respondent's stored
answers are compared with what it sent: none may be lost or duplicated.

    python bench/survey_load.py [--respondents 50] [--think 1.0] [--database sqlite|postgres|both]
                                [--app-servers 1]

Respondents arrive at random within the first 2 x `--think` seconds and spend `--think`
seconds (0.5x to 1.5x at random) on each page before sending it; real respondents take
far longer, so 1 s is a harsh load; `--think 0` measures the server saturated.

`--app-servers 2` (PostgreSQL only) starts two servers on two loopback ports against the
one database, as two machines behind a reverse proxy would, and sends every other
respondent, and every other baseline client, to the second. The servers run without their
own background worker; one `rtwcomp worker` runs beside them, as on a machine of its own.

PostgreSQL: $DATABASE_URL when set, else a throwaway cluster (scripts/postgres).
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RTWCOMP = [sys.executable, "-m", "rtwcomp"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ITEM = re.compile(r'name="(item-\d+)" value="1"')
PAGES = re.compile(r"Page \d+ of (\d+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    """One respondent: its own cookies, timing every request."""

    def __init__(self, base: str, timings: list[float]) -> None:
        self.base = base
        self.timings = timings
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - loopback
        if data is not None:
            req.add_header("Referer", self.base + path)
        start = time.perf_counter()
        with self.opener.open(req, timeout=60) as response:
            text = response.read().decode()
            url = response.geturl()
        self.timings.append(time.perf_counter() - start)
        return text, url


Acknowledged = Callable[[int, dict[str, int], float], None]


def respond(
    base: str,
    slug: str,
    number: int,
    timings: list[float],
    sent: dict[int, dict[str, int]],
    think: float,
    acknowledged: Acknowledged | None = None,
) -> None:
    """Answer every page; remember the answers by the respondent's number (kept in `years`).

    `acknowledged(number, answers, when)`, if given, is called after each page the server
    took (its redirect followed), with that page's answers and the `time.time()` then."""
    rng = random.Random(number)
    time.sleep(rng.uniform(0, 2 * think))  # respondents arrive spread out, not at one instant
    client = Client(base, timings)
    landing, _ = client.request(f"/s/{slug}/")
    page, url = client.request(f"/s/{slug}/", {"csrfmiddlewaretoken": CSRF.search(landing)[1]})
    answers: dict[str, int] = {}
    while "/thanks/" not in url:
        current = int(url.rstrip("/").rsplit("/", 1)[1])
        total = int(PAGES.search(page)[1])
        data = {"csrfmiddlewaretoken": CSRF.search(page)[1], "action": "next"}
        on_page = {name: rng.randint(1, 5) for name in ITEM.findall(page)}
        answers |= on_page
        data |= {name: str(value) for name, value in on_page.items()}
        if current == total:
            data |= {"action": "submit", "q-years": str(number), "q-country": "CA"}
        path = url.removeprefix(base)
        time.sleep(rng.uniform(0.5, 1.5) * think)  # reading and answering the page
        page, url = client.request(path, data)
        if acknowledged is not None and url != base + path:  # redirected: the page was taken
            acknowledged(number, on_page, time.time())
        if rng.random() < 0.05:  # a double click: the same page sent again
            page, url = client.request(path, data)
    sent[number] = answers


def baseline(
    bases: list[str], clients: int, requests_each: int, timings: list[float], think: float
) -> None:
    """The same clients at the same pace, each requesting the bare view instead."""

    def run(number: int) -> None:
        rng = random.Random(number)
        client = Client(bases[number % len(bases)], timings)
        for _ in range(requests_each):
            time.sleep(rng.uniform(0.5, 1.5) * think)
            client.request("/healthz")

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def warm_up(base: str, slug: str, connections: int) -> None:
    """Open every worker thread's database connection and load the templates, untimed."""
    scratch: list[float] = []

    def run() -> None:
        client = Client(base, scratch)
        for _ in range(3):
            client.request(f"/s/{slug}/")

    threads = [threading.Thread(target=run) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def start_postgres() -> tuple[str, Path | None]:
    """$DATABASE_URL, else a throwaway cluster (its directory returned, for `stop_postgres`)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url, None
    cluster = Path(tempfile.mkdtemp(prefix="rtwcomp-pg-"))
    url = subprocess.check_output(
        [str(ROOT / "scripts/postgres"), "start", str(cluster)], text=True
    ).strip()
    return url, cluster


def stop_postgres(cluster: Path | None) -> None:
    if cluster is not None:
        subprocess.run([str(ROOT / "scripts/postgres"), "stop", str(cluster)], check=False)
        shutil.rmtree(cluster, ignore_errors=True)


def site_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """The environment of a site on `data_dir` (and PostgreSQL at `database_url`)."""
    env = {
        **os.environ,
        "RTWCOMP_DATA_DIR": str(data_dir),
        "RTWCOMP_ADMIN_PASSWORD": "load-test-admin",
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def create_study(env: dict[str, str], name: str, items: int = 100) -> str:
    """The default framework and an open study of `items` items; returns its slug."""
    subprocess.run(
        [*RTWCOMP, "framework", "load-default"], env=env, check=True, capture_output=True
    )
    created = subprocess.run(
        [*RTWCOMP, "study", "create", "--name", name, "--framework", "rtw-coordinator"]
        + ["--items", str(items), "--open"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return created.stdout.splitlines()[0]


def start_server(
    env: dict[str, str], port: int, workers: int, *, own_worker: bool = True
) -> subprocess.Popen[bytes]:
    """`rtwcomp serve` on a loopback port; returns once it answers `/healthz`.
    `own_worker=False`: without the background worker `serve` starts beside it."""
    extra = [] if own_worker or not _serve_has("--no-worker") else ["--no-worker"]
    server = subprocess.Popen(
        [*RTWCOMP, "serve", "--port", str(port), "--workers", str(workers), *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()  # noqa: S310
            return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"rtwcomp serve exited: {server.returncode}") from None
            time.sleep(0.1)
    stop(server)
    raise RuntimeError("rtwcomp serve did not answer /healthz within 30 s")


def _serve_has(option: str) -> bool:
    done = subprocess.run([*RTWCOMP, "serve", "--help"], capture_output=True, text=True)
    return option in done.stdout


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes] | None:
    """`rtwcomp worker`, when this version of the command line has it."""
    probe = subprocess.run([*RTWCOMP, "worker", "--help"], env=env, capture_output=True)
    if probe.returncode != 0:
        return None
    return subprocess.Popen(
        [*RTWCOMP, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None:
        process.terminate()
        process.wait(timeout=30)


def run_leg(
    database: str, respondents: int, workers: int, think: float, app_servers: int = 1
) -> dict[str, float]:
    data_dir = Path(tempfile.mkdtemp(prefix="rtwcomp-load-"))
    url, cluster = start_postgres() if database == "postgres" else (None, None)
    try:
        return _measure(site_env(data_dir, url), database, respondents, workers, think, app_servers)
    finally:
        stop_postgres(cluster)


def _measure(
    env: dict[str, str],
    database: str,
    respondents: int,
    workers: int,
    think: float,
    app_servers: int,
) -> dict[str, float]:
    slug = create_study(env, f"Load {database}")
    servers: list[subprocess.Popen[bytes]] = []
    worker = None
    try:
        bases = []
        for _ in range(app_servers):
            port = free_port()
            servers.append(start_server(env, port, workers, own_worker=False))
            bases.append(f"http://127.0.0.1:{port}")
        worker = start_worker(env)
        for base in bases:
            warm_up(base, slug, workers * 4)
        page_times: list[float] = []
        sent: dict[int, dict[str, int]] = {}
        threads = [
            threading.Thread(
                target=respond,
                args=(bases[n % app_servers], slug, n, page_times, sent, think),
            )
            for n in range(respondents)
        ]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        survey_seconds = time.perf_counter() - start
        base_times: list[float] = []
        start = time.perf_counter()
        baseline(bases, respondents, max(1, len(page_times) // respondents), base_times, think)
        base_seconds = time.perf_counter() - start
    finally:
        for server in servers:
            stop(server)
        stop(worker)
    out = Path(env["RTWCOMP_DATA_DIR"]) / "export.csv"
    subprocess.run(
        [*RTWCOMP, "study", "export", slug, "-o", str(out)],
        env=env,
        check=True,
        capture_output=True,
    )
    lost, duplicated, wrong = check(out, sent, respondents)
    return {
        "requests": len(page_times),
        "throughput": len(page_times) / survey_seconds,
        "p50_ms": 1000 * statistics.median(page_times),
        "p99_ms": 1000 * percentile(page_times, 0.99),
        "base_throughput": len(base_times) / base_seconds,
        "base_p50_ms": 1000 * statistics.median(base_times),
        "base_p99_ms": 1000 * percentile(base_times, 0.99),
        "lost": lost,
        "duplicated": duplicated,
        "wrong": wrong,
        "worker": worker is not None,
    }


def check(export: Path, sent: dict[int, dict[str, int]], respondents: int) -> tuple[int, int, int]:
    """(respondents lost, respondents stored twice, answers that differ from what was sent)."""
    with open(export, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_number: dict[int, list[dict[str, str]]] = {}
    for row in rows:
        by_number.setdefault(int(float(row["years"])), []).append(row)
    lost = sum(1 for n in range(respondents) if n not in by_number)
    duplicated = sum(1 for stored in by_number.values() if len(stored) > 1)
    return lost, duplicated, 0 if not sent else _wrong(by_number, sent)


def _wrong(by_number: dict[int, list[dict[str, str]]], sent: dict[int, dict[str, int]]) -> int:
    """Answers whose stored value differs; item columns are matched through the export."""
    wrong = 0
    for number, answers in sent.items():
        row = by_number.get(number, [{}])[0]
        values = sorted(int(float(v)) for k, v in row.items() if k.startswith("RTWC-") and v)
        if values != sorted(answers.values()):
            wrong += 1
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--respondents", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds a respondent spends on a page"
    )
    parser.add_argument(
        "--database", choices=["sqlite", "postgres", "postgresql", "both"], default="both"
    )
    parser.add_argument(
        "--app-servers", type=int, default=1, help="servers sharing one PostgreSQL database"
    )
    args = parser.parse_args()
    database = "postgres" if args.database == "postgresql" else args.database
    legs = ["sqlite", "postgres"] if database == "both" else [database]
    if args.app_servers < 1 or (args.app_servers > 1 and legs != ["postgres"]):
        parser.error("--app-servers above 1 needs --database postgres")
    print(
        f"{args.respondents} concurrent respondents, 100 items, {args.think:g} s per page, "
        f"{args.app_servers} x gunicorn {args.workers} workers"
    )
    for leg in legs:
        r = run_leg(leg, args.respondents, args.workers, args.think, args.app_servers)
        print(
            f"{leg:>8}: {r['requests']} requests, {r['throughput']:.0f}/s, "
            f"page p50 {r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms | "
            f"bare view {r['base_throughput']:.0f}/s, p50 {r['base_p50_ms']:.0f} ms, "
            f"p99 {r['base_p99_ms']:.0f} ms | ratio p99 {r['p99_ms'] / r['base_p99_ms']:.1f}x, "
            f"throughput {r['base_throughput'] / r['throughput']:.1f}x | lost {r['lost']}, "
            f"duplicated {r['duplicated']}, differing {r['wrong']}"
        )
        if args.app_servers > 1:
            print(f"  rtwcomp worker: {'running' if r['worker'] else 'not in this version'}")


if __name__ == "__main__":
    main()
