"""Benchmark `rtwcomp analyze` against the same statistics computed by R's psych.

Generates importance surveys of the given sizes (respondents x items: 1-5 answers from
an eight-group factor model, skewed towards "important", 2% missing, one reverse-keyed
item per group, country and profession attributes), then for each size runs, as separate
processes (start-up included):

- rtwcomp: `python -m rtwcomp.cli analyze ...` with two subgroup variables;
- R: an Rscript doing the same work with base R and psych: item statistics with
  prop.test intervals, psych::alpha and psych::omega(nfactors = 1) per group,
  wilcox.test / kruskal.test with p.adjust, psych::polychoric, parallel analysis on
  random normal data, psych::fa(minres, oblimin), factor congruence, CSV output.

It prints wall-clock seconds and peak memory (RSS) of each process and the ratio
R / rtwcomp. Examples:

    python bench/analysis.py                 # 148x100 and 10000x100 with R, 100000x100 alone
    python bench/analysis.py --quick         # 148x100 and 2000x50 with R (about a minute)
    python bench/analysis.py --sizes 5000x80 --no-r
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DEFAULT_SIZES = "148x100,10000x100,100000x100"
QUICK_SIZES = "148x100,2000x50"
R_LIMIT = 20000  # sizes above this many respondents are run with rtwcomp only
GROUPS = 8

R_SCRIPT = r"""
suppressPackageStartupMessages(library(psych))
args <- commandArgs(trailingOnly = TRUE)
responses <- read.csv(args[1], check.names = FALSE, stringsAsFactors = FALSE)
items <- read.csv(args[2], stringsAsFactors = FALSE)
out <- args[3]
dir.create(out, showWarnings = FALSE)
smin <- 1; smax <- 5; top <- 4; key_share <- 0.5
x <- as.matrix(responses[, items$item])
flip <- items$reverse == 1
x[, flip] <- smin + smax - x[, flip]
quiet <- function(expr) {
  res <- NULL
  invisible(capture.output(res <- suppressMessages(suppressWarnings(expr))))
  res
}

item_rows <- lapply(seq_len(ncol(x)), function(j) {
  v <- x[!is.na(x[, j]), j]
  k <- sum(v >= top)
  ci <- suppressWarnings(prop.test(k, length(v), correct = FALSE)$conf.int)
  q <- quantile(v, c(.25, .5, .75), names = FALSE)
  counts <- tabulate(v - smin + 1, smax - smin + 1)
  c(n = length(v), mean = mean(v), sd = sd(v), q1 = q[1], median = q[2], q3 = q[3],
    counts, share = k / length(v), low = ci[1], high = ci[2])
})
item_stats <- data.frame(item = items$item, do.call(rbind, item_rows))
item_stats$rank <- rank(-item_stats$share, ties.method = "min")
item_stats$key <- item_stats$share > key_share

groups <- unique(items$group)
group_rows <- lapply(groups, function(g) {
  xg <- x[, items$item[items$group == g]]
  xg <- xg[rowSums(!is.na(xg)) > 0, ]
  a <- quiet(alpha(as.data.frame(xg), warnings = FALSE))
  om <- quiet(omega(as.data.frame(xg), nfactors = 1, plot = FALSE))
  data.frame(group = g, n = nrow(xg), mean = a$total$mean, sd = a$total$sd,
             alpha = a$total$raw_alpha, alpha_std = a$total$std.alpha,
             low = a$feldt$lower.ci$raw_alpha, high = a$feldt$upper.ci$raw_alpha,
             omega = om$omega.tot, mean_r = a$total$average_r)
})
write.csv(do.call(rbind, group_rows), file.path(out, "group_stats.csv"), row.names = FALSE)

targets <- lapply(items$item, function(i) x[, i])
for (g in groups) {
  s <- rowMeans(x[, items$item[items$group == g]], na.rm = TRUE)
  s[is.nan(s)] <- NA
  targets[[length(targets) + 1]] <- s
}
tests <- list()
for (variable in c("country", "profession")) {
  lv <- responses[[variable]]
  p <- sapply(targets, function(y) {
    keep <- !is.na(y) & !is.na(lv) & lv != ""
    g <- factor(lv[keep])
    if (min(table(g)) < 5) return(NA)
    if (nlevels(g) == 2) wilcox.test(y[keep] ~ g, exact = FALSE, correct = TRUE)$p.value
    else kruskal.test(y[keep], g)$p.value
  })
  tests[[variable]] <- data.frame(variable = variable, p = p, q = p.adjust(p, "BH"))
}
write.csv(do.call(rbind, tests), file.path(out, "subgroup_tests.csv"), row.names = FALSE)

poly <- quiet(polychoric(as.data.frame(x)))
rho <- poly$rho
write.csv(rho, file.path(out, "polychoric.csv"))
n <- nrow(x); p <- ncol(x)
observed <- eigen(rho, symmetric = TRUE, only.values = TRUE)$values
random <- replicate(20, eigen(cor(matrix(rnorm(n * p), n)), symmetric = TRUE,
                              only.values = TRUE)$values)
limit <- apply(random, 1, quantile, 0.95)
nf <- max(1, which(!(observed > limit))[1] - 1)
f <- quiet(fa(rho, nfactors = nf, n.obs = n, fm = "minres", rotate = "oblimin"))
write.csv(unclass(f$loadings), file.path(out, "efa_loadings.csv"))
indicator <- sapply(groups, function(g) as.numeric(items$group == g))
write.csv(factor.congruence(f$loadings, indicator), file.path(out, "structure.csv"))
write.csv(item_stats, file.path(out, "item_stats.csv"), row.names = FALSE)
cat(nf, "factors\n")
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float
    ok: bool


def generate(n_respondents: int, n_items: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A synthetic importance survey with known group structure."""
    rng = np.random.default_rng(seed)
    group_of = np.arange(n_items) % GROUPS
    factor_cor = np.full((GROUPS, GROUPS), 0.4) + 0.6 * np.eye(GROUPS)
    factors = rng.standard_normal((n_respondents, GROUPS)) @ np.linalg.cholesky(factor_cor).T
    latent = 0.7 * factors[:, group_of] + 0.7 * rng.standard_normal((n_respondents, n_items))
    answers = np.digitize(latent, [-2.0, -1.2, -0.4, 0.5]) + 1.0
    reverse = np.zeros(n_items, dtype=int)
    reverse[: min(GROUPS, n_items)] = 1  # the first item of each group
    answers[:, reverse == 1] = 6.0 - answers[:, reverse == 1]
    answers[rng.random(answers.shape) < 0.02] = np.nan
    ids = [f"q{j + 1:03d}" for j in range(n_items)]
    responses = pd.DataFrame(answers, columns=ids).astype("Int64")
    responses.insert(
        0, "profession", rng.choice(["nurse", "OT", "PT", "psychologist", "MD"], n_respondents)
    )
    responses.insert(0, "country", rng.choice(["AU", "CA", "US"], n_respondents))
    responses.insert(0, "respondent_id", [f"R{i:06d}" for i in range(n_respondents)])
    items = pd.DataFrame(
        {"item": ids, "group": [f"group {g + 1}" for g in group_of], "reverse": reverse}
    )
    return responses, items


def measure(command: list[str], log: Path) -> Run:
    """Run a command; wall time and peak resident memory of that process alone."""
    with log.open("w") as handle:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_maxrss / 1024.0, process.returncode == 0)


def parse_sizes(text: str) -> list[tuple[int, int]]:
    sizes = []
    for part in text.split(","):
        rows, cols = part.lower().split("x")
        sizes.append((int(rows), int(cols)))
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=None, help=f"RxC list (default {DEFAULT_SIZES})")
    parser.add_argument("--quick", action="store_true", help=f"use {QUICK_SIZES}")
    parser.add_argument("--no-r", action="store_true", help="run rtwcomp only")
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool; the fastest counts")
    parser.add_argument("--seed", type=int, default=2010)
    parser.add_argument("--keep", type=Path, default=None, help="keep data and outputs here")
    args = parser.parse_args()
    sizes = parse_sizes(args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES))
    rscript = None if args.no_r else shutil.which("Rscript")
    if not args.no_r and rscript is None:
        print("Rscript not found: running rtwcomp only", file=sys.stderr)
    work = Path(tempfile.mkdtemp(prefix="rtwcomp-bench-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    r_file = work / "bench.R"
    r_file.write_text(R_SCRIPT)
    print(f"{'size':>12} {'rtwcomp s':>10} {'MiB':>7} {'R s':>9} {'MiB':>7} {'R/rtwcomp':>10}")
    failed = False
    for rows, cols in sizes:
        folder = work / f"{rows}x{cols}"
        folder.mkdir(exist_ok=True)
        responses, items = generate(rows, cols, args.seed)
        responses.to_csv(folder / "responses.csv", index=False)
        items.to_csv(folder / "items.csv", index=False)
        ours_cmd = [
            sys.executable, "-m", "rtwcomp.cli", "analyze", str(folder / "responses.csv"),
            "--items", str(folder / "items.csv"), "--subgroups", "country,profession",
            "--out",
        ]  # fmt: skip
        ours = [
            measure([*ours_cmd, str(folder / f"out-rtwcomp-{k}")], folder / "rtwcomp.log")
            for k in range(args.repeat)
        ]
        best = min(ours, key=lambda run: run.seconds)
        failed |= not all(run.ok for run in ours)
        line = f"{rows:>6}x{cols:<5} {best.seconds:>10.2f} {best.peak_mib:>7.0f}"
        if rscript and rows <= R_LIMIT:
            theirs = [
                measure(
                    [
                        rscript,
                        str(r_file),
                        str(folder / "responses.csv"),
                        str(folder / "items.csv"),
                        str(folder / f"out-r-{k}"),
                    ],
                    folder / "r.log",
                )  # fmt: skip
                for k in range(args.repeat)
            ]
            r_best = min(theirs, key=lambda run: run.seconds)
            failed |= not all(run.ok for run in theirs)
            ratio = r_best.seconds / best.seconds
            line += f" {r_best.seconds:>9.2f} {r_best.peak_mib:>7.0f} {ratio:>9.1f}x"
        else:
            line += f" {'-':>9} {'-':>7} {'-':>10}"
        print(line, flush=True)
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    if failed:
        print("a run failed; see the logs (use --keep DIR to keep them)", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
