"""`python -m tests.jobs.enqueue PATH`: set up the data directory named by RTWCOMP_DATA_DIR
and queue a `wait_for_file` job for PATH; prints the job's id."""

from __future__ import annotations

import sys

from rtwcomp.commands import django_setup

if __name__ == "__main__":
    django_setup.start(writes=True)
    from rtwcomp.jobs.services import start
    from tests.jobs.tasks import wait_for_file

    print(start(wait_for_file, owner=None, title="Waiting", path=sys.argv[1]).pk)
