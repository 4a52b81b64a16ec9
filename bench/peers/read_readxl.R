#!/usr/bin/env Rscript
# Peer for issue 8's reader budget: readxl::read_excel (r-cran-readxl).
# Reads the whole first sheet of the workbook named on the command line and
# prints its row and column counts, so that the benchmark can check it read
# everything.
args <- commandArgs(trailingOnly = TRUE)
df <- readxl::read_excel(args[1])
cat(nrow(df), "rows", ncol(df), "columns\n")
