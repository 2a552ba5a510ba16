"""Sub-commands of the `rtwcomp` command line (see `rtwcomp.cli`)."""


class UsageError(Exception):
    """Bad input from the user: printed as one message, exit status 2."""
