"""Sub-commands of the `rtwcomp` command line (see `rtwcomp.cli`)."""
