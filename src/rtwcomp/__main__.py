"""`python -m rtwcomp` runs the command line."""

import sys

from rtwcomp.cli import main

sys.exit(main())
