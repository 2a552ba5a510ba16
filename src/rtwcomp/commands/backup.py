"""`rtwcomp backup` and `rtwcomp restore` (the work is in `rtwcomp.site.backup`)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rtwcomp.commands import UsageError, django_setup


def register(subparsers: Any) -> None:
    backup = subparsers.add_parser(
        "backup",
        help="write a consistent backup archive while the server runs",
        description="Write the database (SQLite's online backup, or pg_dump) and the data "
        "directory's other files, the secret key among them, into one archive of mode "
        "0600. Safe while the server runs and respondents answer.",
    )
    backup.add_argument(
        "-o", "--output", help="archive to write (default: rtwcomp-backup-TIME.tar.gz)"
    )
    backup.set_defaults(handler=run_backup)
    restore = subparsers.add_parser(
        "restore",
        help="restore a backup archive into an empty data directory or database",
        description="Restore an archive written by 'rtwcomp backup' into this site's data "
        "directory (SQLite) or the database of DATABASE_URL (PostgreSQL), which must be "
        "empty unless --force is given. All or nothing; stop the server first.",
    )
    restore.add_argument("archive")
    restore.add_argument(
        "--force", action="store_true", help="replace what the database already holds"
    )
    restore.set_defaults(handler=run_restore)


@django_setup.django_command(writes=False)
def run_backup(args: argparse.Namespace) -> int:
    from rtwcomp.site.backup import BackupError, create

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    output = Path(args.output or f"rtwcomp-backup-{stamp}.tar.gz")
    try:
        manifest = create(output)
    except BackupError as error:
        raise UsageError(str(error)) from error
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from error
    print(
        f"Wrote {output} ({manifest['engine']}, {len(manifest['migrations'])} migrations, "
        f"{manifest['created_at']})."
    )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Not `django_command`: it would migrate the empty database (or refuse it) first,
    and a restore needs to find the database just as it is."""
    django_setup.setup()
    from rtwcomp.site.backup import BackupError, restore

    archive = Path(args.archive)
    if not archive.is_file():
        raise UsageError(f"no such file: {archive}")
    try:
        manifest = restore(archive, force=args.force)
    except BackupError as error:
        raise UsageError(str(error)) from error
    print(
        f"Restored {archive} (made {manifest['created_at']} by rtwcomp "
        f"{manifest['rtwcomp_version']}); 'rtwcomp migrate' or 'rtwcomp serve' brings its "
        "schema up to date."
    )
    return 0
