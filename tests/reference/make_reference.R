# Reference values from R (base R and the psych package) for rtwcomp's statistics tests.
#
# Usage (from any folder):
#   Rscript tests/reference/make_reference.R
#       rewrites the committed data sets and reference values in tests/reference/bfi and
#       tests/reference/generated.
#   Rscript tests/reference/make_reference.R --live DATASET DIR
#       writes one more data set (spi, sai or random) with its reference values into DIR;
#       the live cross-check test (pytest -m rlive) uses it.
#
# Each data set folder holds responses.csv and items.csv (the inputs of
# `rtwcomp analyze`), spec.csv (the analysis options), and ref_*.csv computed here.
# Everything is computed on scored answers: a reverse-keyed answer x becomes
# scale_min + scale_max - x.

suppressPackageStartupMessages({
  library(psych)
})
stopifnot(packageVersion("psych") >= "2.2.0")
set.seed(1)

script_dir <- function() {
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  dirname(normalizePath(sub("^--file=", "", file_arg[1])))
}

write_table <- function(frame, path) {
  write.csv(frame, path, row.names = FALSE, na = "")
}

quiet <- function(expr) {
  out <- NULL
  invisible(capture.output(out <- suppressMessages(suppressWarnings(expr))))
  out
}

# Levels in the order rtwcomp uses: numeric order when every level is a number,
# otherwise code-point order.
level_order <- function(values) {
  levels <- unique(as.character(values[!is.na(values)]))
  numbers <- suppressWarnings(as.numeric(levels))
  if (all(!is.na(numbers))) levels[order(numbers)] else sort(levels, method = "radix")
}

scored_matrix <- function(responses, items, spec) {
  x <- as.matrix(responses[, items$item, drop = FALSE])
  storage.mode(x) <- "double"
  flip <- items$reverse == 1
  x[, flip] <- spec$scale_min + spec$scale_max - x[, flip]
  x
}

item_reference <- function(x, items, spec) {
  rows <- lapply(seq_len(ncol(x)), function(j) {
    v <- x[, j]
    v <- v[!is.na(v)]
    top <- sum(v >= spec$top)
    interval <- suppressWarnings(prop.test(top, length(v), correct = FALSE)$conf.int)
    quartiles <- quantile(v, c(0.25, 0.5, 0.75), type = 7, names = FALSE)
    counts <- sapply(spec$scale_min:spec$scale_max, function(p) sum(v == p))
    names(counts) <- paste0("count_", spec$scale_min:spec$scale_max)
    data.frame(
      item = colnames(x)[j], n = length(v), mean = mean(v), sd = sd(v),
      q1 = quartiles[1], median = quartiles[2], q3 = quartiles[3],
      as.list(counts), share_top = top / length(v),
      share_top_low = interval[1], share_top_high = interval[2],
      check.names = FALSE
    )
  })
  do.call(rbind, rows)
}

group_reference <- function(x, items) {
  groups <- unique(items$group)
  drops <- list()
  rows <- lapply(groups, function(g) {
    members <- items$item[items$group == g]
    xg <- x[rowSums(!is.na(x[, members, drop = FALSE])) > 0, members, drop = FALSE]
    a <- quiet(alpha(as.data.frame(xg), warnings = FALSE))
    om <- quiet(omega(as.data.frame(xg), nfactors = 1, plot = FALSE))
    drops[[g]] <<- data.frame(
      item = members, item_rest_r = a$item.stats$r.drop,
      alpha_if_deleted = if (length(members) > 2) a$alpha.drop$raw_alpha else NA
    )
    data.frame(
      group = g, n_items = length(members), n = nrow(xg),
      mean = a$total$mean, sd = a$total$sd,
      alpha = a$total$raw_alpha, alpha_std = a$total$std.alpha,
      alpha_low = a$feldt$lower.ci$raw_alpha, alpha_high = a$feldt$upper.ci$raw_alpha,
      mean_r = a$total$average_r, omega_total = om$omega.tot
    )
  })
  list(groups = do.call(rbind, rows), items = do.call(rbind, drops))
}

subgroup_reference <- function(x, responses, items, spec) {
  targets <- list()
  for (item in items$item) targets[[length(targets) + 1]] <- list("item", item, x[, item])
  for (g in unique(items$group)) {
    xg <- x[, items$item[items$group == g], drop = FALSE]
    score <- rowMeans(xg, na.rm = TRUE)
    score[is.nan(score)] <- NA
    targets[[length(targets) + 1]] <- list("group", g, score)
  }
  out <- list()
  for (variable in spec$subgroups) {
    raw <- as.character(responses[[variable]])
    raw[!is.na(raw) & trimws(raw) == ""] <- NA
    levels <- level_order(raw)
    rows <- lapply(targets, function(t) {
      y <- t[[3]]
      keep <- !is.na(y) & !is.na(raw)
      g <- factor(raw[keep], levels = levels)
      yk <- y[keep]
      sizes <- as.vector(table(g))
      row <- data.frame(
        variable = variable, target = t[[2]], kind = t[[1]], n = sum(sizes),
        levels = paste(levels, sizes, sep = ": ", collapse = "; "),
        statistic = NA_real_, p = NA_real_, effect = NA_real_,
        suppressed = min(sizes) < spec$min_level_n
      )
      if (!row$suppressed) {
        if (length(levels) == 2) {
          test <- wilcox.test(yk ~ g, exact = FALSE, correct = TRUE)
          row$effect <- 2 * test$statistic / (sizes[1] * sizes[2]) - 1
        } else {
          test <- kruskal.test(yk, g)
          row$effect <- test$statistic / (sum(sizes) - 1)
        }
        row$statistic <- unname(test$statistic)
        row$p <- test$p.value
      }
      row
    })
    block <- do.call(rbind, rows)
    block$q <- p.adjust(block$p, method = "BH")
    out[[variable]] <- block
  }
  do.call(rbind, out)
}

structure_reference <- function(x, spec, dir) {
  varies <- apply(x, 2, function(v) length(unique(v[!is.na(v)])) > 1)
  xs <- x[, varies, drop = FALSE]
  maxima <- apply(xs, 2, max, na.rm = TRUE)
  stopifnot(length(unique(maxima)) == 1) # psych then uses global thresholds, as rtwcomp
  poly <- quiet(polychoric(as.data.frame(xs)))
  rho <- poly$rho
  write.csv(rho, file.path(dir, "ref_polychoric.csv"))
  f <- quiet(fa(rho, nfactors = spec$factors, n.obs = nrow(xs), fm = "minres",
                rotate = "oblimin"))
  loadings <- unclass(f$loadings)
  write.csv(loadings, file.path(dir, "ref_loadings.csv"))
  if (!is.null(f$Phi)) write.csv(f$Phi, file.path(dir, "ref_phi.csv"))
}

write_spec <- function(spec, dir) {
  values <- c(
    scale_min = spec$scale_min, scale_max = spec$scale_max, top = spec$top,
    key_share = spec$key_share, subgroups = paste(spec$subgroups, collapse = ","),
    factors = spec$factors, min_level_n = spec$min_level_n,
    id_column = spec$id_column
  )
  write_table(data.frame(key = names(values), value = unname(values)),
              file.path(dir, "spec.csv"))
}

make_references <- function(responses, items, spec, dir) {
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  write_table(responses, file.path(dir, "responses.csv"))
  write_table(items, file.path(dir, "items.csv"))
  write_spec(spec, dir)
  x <- scored_matrix(responses, items, spec)
  reliability <- group_reference(x, items)
  item_ref <- merge(item_reference(x, items, spec), reliability$items, by = "item",
                    sort = FALSE)
  write_table(item_ref, file.path(dir, "ref_items.csv"))
  write_table(reliability$groups, file.path(dir, "ref_groups.csv"))
  if (length(spec$subgroups) > 0) {
    write_table(subgroup_reference(x, responses, items, spec),
                file.path(dir, "ref_subgroups.csv"))
  }
  structure_reference(x, spec, dir)
  versions <- data.frame(
    key = c("R", "psych", "GPArotation"),
    value = c(R.version.string, as.character(packageVersion("psych")),
              as.character(packageVersion("GPArotation")))
  )
  write_table(versions, file.path(dir, "versions.csv"))
}

spec_for <- function(scale_min, scale_max, top, subgroups, factors, id_column = "") {
  list(scale_min = scale_min, scale_max = scale_max, top = top, key_share = 0.5,
       subgroups = subgroups, factors = factors, min_level_n = 5, id_column = id_column)
}

# psych's bfi: 25 personality items (1-6), 2800 respondents of the SAPA project.
bfi_data <- function() {
  items <- colnames(bfi)[1:25]
  keys <- unlist(bfi.keys)
  reverse <- as.integer(paste0("-", items) %in% keys)
  big5 <- c(A = "Agreeableness", C = "Conscientiousness", E = "Extraversion",
            N = "Neuroticism", O = "Openness")
  statement <- if (requireNamespace("psychTools", quietly = TRUE)) {
    as.character(psychTools::bfi.dictionary[items, "Item"])
  } else {
    rep("", length(items))
  }
  responses <- data.frame(respondent_id = rownames(bfi), bfi, check.names = FALSE)
  list(
    responses = responses,
    items = data.frame(item = items, group = unname(big5[substr(items, 1, 1)]),
                       statement = statement, reverse = reverse),
    spec = spec_for(1, 6, 5, c("gender", "education"), 5, "respondent_id")
  )
}

# A survey the size of Pransky et al. (2010): 148 respondents rating 20 items in four
# groups on a 1-5 importance scale, skewed towards "important", with 3% missing answers,
# one reverse-keyed item per group, and a profession with only three respondents.
generated_data <- function(seed = 2010, n = 148) {
  set.seed(seed)
  n_groups <- 4
  per_group <- 5
  group_of <- rep(seq_len(n_groups), each = per_group)
  factor_cor <- matrix(0.4, n_groups, n_groups) + diag(0.6, n_groups)
  factors <- matrix(rnorm(n * n_groups), n) %*% chol(factor_cor)
  latent <- 0.75 * factors[, group_of] + matrix(rnorm(n * n_groups * per_group, sd = 0.65), n)
  cuts <- c(-Inf, -2.2, -1.4, -0.5, 0.5, Inf)
  x <- matrix(as.integer(cut(latent, cuts)), n)
  item_ids <- sprintf("q%02d", seq_len(ncol(x)))
  reverse <- as.integer(seq_len(ncol(x)) %% per_group == 0)
  x[, reverse == 1] <- 6L - x[, reverse == 1]
  x[matrix(runif(length(x)) < 0.03, n)] <- NA
  colnames(x) <- item_ids
  profession <- sample(c("nurse", "occupational therapist", "physiotherapist",
                         "psychologist"), n, replace = TRUE, prob = c(0.35, 0.3, 0.2, 0.15))
  profession[sample.int(n, 3)] <- "physician"
  responses <- data.frame(
    respondent_id = sprintf("R%03d", seq_len(n)),
    country = sample(c("AU", "CA", "US"), n, replace = TRUE),
    profession = profession,
    x, check.names = FALSE
  )
  items <- data.frame(item = item_ids,
                      group = c("communication", "legal", "clinical", "organising")[group_of],
                      statement = "", reverse = reverse)
  list(responses = responses, items = items,
       spec = spec_for(1, 5, 4, c("country", "profession"), 4, "respondent_id"))
}

# psychTools' spi: 4000 respondents, 6-point items; eight of its 27 facets (40 items).
spi_data <- function() {
  keys <- psychTools::spi.keys[6:13]
  rows <- lapply(names(keys), function(facet) {
    k <- keys[[facet]]
    data.frame(item = sub("^-", "", k), group = facet, statement = "",
               reverse = as.integer(startsWith(k, "-")))
  })
  items <- do.call(rbind, rows)
  spi <- psychTools::spi
  responses <- data.frame(respondent_id = seq_len(nrow(spi)),
                          spi[, c("sex", "education", items$item)], check.names = FALSE)
  list(responses = responses, items = items,
       spec = spec_for(1, 6, 5, c("sex", "education"), 8, "respondent_id"))
}

# psychTools' sai: state anxiety, 20 items (1-4), 5378 administrations; the items that
# state the absence of anxiety are reverse-keyed, as in the STAI total score.
sai_data <- function() {
  sai <- psychTools::sai
  present <- c("tense", "regretful", "upset", "worrying", "anxious", "nervous",
               "jittery", "high.strung", "worried", "rattled")
  absent <- c("calm", "secure", "at.ease", "rested", "comfortable", "confident",
              "relaxed", "content", "joyful", "pleasant")
  items <- data.frame(item = c(present, absent),
                      group = rep(c("anxiety present", "anxiety absent"), each = 10),
                      statement = "", reverse = rep(c(0L, 1L), each = 10))
  responses <- data.frame(sai[, c("study", "time", items$item)], check.names = FALSE)
  list(responses = responses, items = items,
       spec = spec_for(1, 4, 3, c("time"), 2, ""))
}

args <- commandArgs(trailingOnly = TRUE)
if (length(args) >= 1 && args[1] == "--live") {
  stopifnot(length(args) == 3)
  data <- switch(args[2],
    spi = spi_data(),
    sai = sai_data(),
    random = generated_data(seed = 77, n = 400),
    stop("unknown data set: ", args[2])
  )
  make_references(data$responses, data$items, data$spec, args[3])
} else {
  here <- script_dir()
  for (name in c("bfi", "generated")) {
    data <- if (name == "bfi") bfi_data() else generated_data()
    make_references(data$responses, data$items, data$spec, file.path(here, name))
  }
}
