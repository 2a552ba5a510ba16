# Reference values of the Delphi statistics from base R.
#
# Usage: Rscript tests/reference/delphi.R
#   writes tests/reference/delphi/{round1,round2}.csv (panellist x item ratings, generated
#   here once) and tests/reference/delphi/ref_*.csv: per item the paired Wilcoxon test
#   (wilcox.test(paired = TRUE, exact = FALSE, correct = TRUE)), per round Kendall's W
#   from friedman.test (W = chi-squared / (m (n - 1))), and quantile type 7 quartiles.

set.seed(2010)
here <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])))
out <- file.path(here, "delphi")
dir.create(out, showWarnings = FALSE)

panellists <- 25
items <- 12
latent <- rnorm(items, 3.6, 0.7)
round1 <- sapply(latent, function(mu) pmin(5, pmax(1, round(rnorm(panellists, mu, 0.9)))))
# In round 2 some panellists move one point toward the panel's view.
toward <- sign(matrix(latent, panellists, items, byrow = TRUE) - round1)
moves <- matrix(runif(panellists * items) < 0.4, panellists)
round2 <- round1 + toward * moves
round2[] <- pmin(5, pmax(1, round2))
round1[3, 2] <- NA
round2[7, 5] <- NA
colnames(round1) <- colnames(round2) <- sprintf("I%02d", seq_len(items))
write.csv(round1, file.path(out, "round1.csv"), row.names = FALSE, na = "")
write.csv(round2, file.path(out, "round2.csv"), row.names = FALSE, na = "")

wilcoxon <- do.call(rbind, lapply(colnames(round1), function(item) {
  keep <- !is.na(round1[, item]) & !is.na(round2[, item])
  x <- round1[keep, item]
  y <- round2[keep, item]
  if (all(x == y)) return(data.frame(item = item, pairs = sum(keep), V = NA, p = NA))
  test <- suppressWarnings(wilcox.test(x, y, paired = TRUE, exact = FALSE, correct = TRUE))
  data.frame(item = item, pairs = sum(keep), V = unname(test$statistic), p = test$p.value)
}))
write.csv(wilcoxon, file.path(out, "ref_wilcoxon.csv"), row.names = FALSE, na = "")

kendall <- do.call(rbind, lapply(list(round1 = round1, round2 = round2), function(r) {
  complete <- r[complete.cases(r), ]
  test <- friedman.test(complete)
  m <- nrow(complete)
  n <- ncol(complete)
  data.frame(raters = m, items = n, W = unname(test$statistic) / (m * (n - 1)))
}))
kendall$round <- c(1, 2)
write.csv(kendall, file.path(out, "ref_kendall.csv"), row.names = FALSE)

quartiles <- do.call(rbind, lapply(colnames(round2), function(item) {
  q <- quantile(round2[, item], c(0.25, 0.75), type = 7, na.rm = TRUE)
  data.frame(item = item, q1 = q[[1]], q3 = q[[2]], share_top = mean(round2[, item] >= 4, na.rm = TRUE))
}))
write.csv(quartiles, file.path(out, "ref_quartiles.csv"), row.names = FALSE)
