# Reference intraclass correlations from psych::ICC for rtwcomp's rater-agreement tests.
#
# Usage (from any folder):
#   Rscript tests/reference/raters.R
#       rewrites the committed ratings and reference values in tests/reference/raters.
#   Rscript tests/reference/raters.R --live RATINGS.csv OUT.csv
#       computes the reference values of one more targets x raters matrix (the live check).
#
# psych::ICC(lmer = FALSE): the ANOVA mean squares, complete targets only.

suppressPackageStartupMessages(library(psych))
set.seed(7)

script_dir <- function() {
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  dirname(normalizePath(sub("^--file=", "", file_arg[1])))
}

reference <- function(ratings) {
  result <- ICC(ratings, lmer = FALSE)$results
  data.frame(
    form = result$type, icc = result$ICC, f = result$F, df1 = result$df1,
    df2 = result$df2, p = result$p,
    lower = result[["lower bound"]], upper = result[["upper bound"]]
  )
}

write_case <- function(ratings, folder, name) {
  write.csv(ratings, file.path(folder, paste0(name, ".csv")), row.names = FALSE)
  ref <- reference(ratings)
  write.csv(ref, file.path(folder, paste0("ref_icc_", name, ".csv")), row.names = FALSE)
}

args <- commandArgs(trailingOnly = TRUE)
if (length(args) == 3 && args[1] == "--live") {
  ratings <- read.csv(args[2])
  ref <- reference(ratings)
  write.csv(ref, args[3], row.names = FALSE)
  quit(status = 0)
}

folder <- file.path(script_dir(), "raters")
dir.create(folder, showWarnings = FALSE)

# Shrout & Fleiss (1979), Table 2: six targets rated by four judges.
shrout_fleiss <- data.frame(
  J1 = c(9, 6, 8, 7, 10, 6), J2 = c(2, 1, 4, 1, 5, 2),
  J3 = c(5, 3, 6, 2, 6, 4), J4 = c(8, 2, 8, 6, 9, 7)
)
write_case(shrout_fleiss, folder, "shrout_fleiss")

# 40 coordinators rated 0-4 by five sources with a true level, rater leniency and noise.
truth <- rnorm(40, 2, 0.8)
leniency <- c(0.5, 0, -0.2, 0.1, -0.4)
generated <- sapply(leniency, function(l) pmin(4, pmax(0, round(truth + l + rnorm(40, 0, 0.6)))))
colnames(generated) <- c("self", "mentor", "supervisor", "peer", "observer")
write_case(as.data.frame(generated), folder, "generated")
