"""Load benchmark of the respondent pages on the real server.

Starts `rtwcomp serve` (gunicorn) on a fresh data directory, creates an open 100-item
study, then drives N concurrent simulated respondents over loopback through every page,
as a browser without JavaScript would (GET the page, POST the answers with the CSRF
token). The baseline is a bare Django view (`/healthz`) on the same server, requested the
same number of times by the same number of clients. Afterwards every respondent's stored
answers are compared with what it sent: none may be lost or duplicated.

    python bench/survey_load.py [--respondents 50] [--think 1.0] [--database sqlite|postgres|both]

Respondents arrive at random within the first 2 x `--think` seconds and spend `--think`
seconds (0.5x to 1.5x at random) on each page before sending it; real respondents take
far longer, so 1 s is a harsh load; `--think 0` measures the server saturated.

PostgreSQL: $DATABASE_URL when set, else a throwaway cluster (scripts/postgres).
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
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


def respond(
    base: str,
    slug: str,
    number: int,
    timings: list[float],
    sent: dict[int, dict[str, int]],
    think: float,
) -> None:
    """Answer every page; remember the answers by the respondent's number (kept in `years`)."""
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
        for name in ITEM.findall(page):
            answers[name] = data[name] = rng.randint(1, 5)  # type: ignore[assignment]
        if current == total:
            data |= {"action": "submit", "q-years": str(number), "q-country": "CA"}
        path = url.removeprefix(base)
        time.sleep(rng.uniform(0.5, 1.5) * think)  # reading and answering the page
        page, url = client.request(path, data)
        if rng.random() < 0.05:  # a double click: the same page sent again
            page, url = client.request(path, data)
    sent[number] = answers


def baseline(
    base: str, clients: int, requests_each: int, timings: list[float], think: float
) -> None:
    """The same clients at the same pace, each requesting the bare view instead."""

    def run(number: int) -> None:
        rng = random.Random(number)
        client = Client(base, timings)
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


def run_leg(database: str, respondents: int, workers: int, think: float) -> dict[str, float]:
    data_dir = Path(tempfile.mkdtemp(prefix="rtwcomp-load-"))
    env = {
        **os.environ,
        "RTWCOMP_DATA_DIR": str(data_dir),
        "RTWCOMP_ADMIN_PASSWORD": "load-test-admin",
    }
    env.pop("DATABASE_URL", None)
    cluster = None
    if database == "postgres":
        url = os.environ.get("DATABASE_URL")
        if not url:
            cluster = Path(tempfile.mkdtemp(prefix="rtwcomp-pg-"))
            url = subprocess.check_output(
                [str(ROOT / "scripts/postgres"), "start", str(cluster)], text=True
            ).strip()
        env["DATABASE_URL"] = url
    port = free_port()
    subprocess.run(
        [*RTWCOMP, "framework", "load-default"], env=env, check=True, capture_output=True
    )
    created = subprocess.run(
        [
            *RTWCOMP,
            "study",
            "create",
            "--name",
            f"Load {database}",
            "--framework",
            "rtw-coordinator",
            "--items",
            "100",
            "--open",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    slug = created.stdout.splitlines()[0]
    server = subprocess.Popen(
        [*RTWCOMP, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        warm_up(base, slug, workers * 4)
        page_times: list[float] = []
        sent: dict[int, dict[str, int]] = {}
        threads = [
            threading.Thread(target=respond, args=(base, slug, n, page_times, sent, think))
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
        baseline(base, respondents, max(1, len(page_times) // respondents), base_times, think)
        base_seconds = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    out = data_dir / "export.csv"
    subprocess.run(
        [*RTWCOMP, "study", "export", slug, "-o", str(out)],
        env=env,
        check=True,
        capture_output=True,
    )
    lost, duplicated, wrong = check(out, sent, respondents)
    if cluster is not None:
        subprocess.run([str(ROOT / "scripts/postgres"), "stop", str(cluster)], check=False)
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
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    legs = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    print(
        f"{args.respondents} concurrent respondents, 100 items, {args.think:g} s per page, "
        f"gunicorn {args.workers} workers"
    )
    for leg in legs:
        r = run_leg(leg, args.respondents, args.workers, args.think)
        print(
            f"{leg:>8}: {r['requests']} requests, {r['throughput']:.0f}/s, "
            f"page p50 {r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms | "
            f"bare view {r['base_throughput']:.0f}/s, p50 {r['base_p50_ms']:.0f} ms, "
            f"p99 {r['base_p99_ms']:.0f} ms | ratio p99 {r['p99_ms'] / r['base_p99_ms']:.1f}x, "
            f"throughput {r['base_throughput'] / r['throughput']:.1f}x | lost {r['lost']}, "
            f"duplicated {r['duplicated']}, differing {r['wrong']}"
        )


if __name__ == "__main__":
    main()
