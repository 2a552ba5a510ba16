"""`rtwcomp assess organisation|import-people`: the people an organisation assesses."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rtwcomp.commands import django_setup


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "assess", help="assessments: organisations and their coordinators, mentors, supervisors"
    )
    commands = parser.add_subparsers(dest="assess_command", metavar="ACTION", required=True)

    organisation = commands.add_parser(
        "organisation", help="create an organisation (its owner is its first programme admin)"
    )
    organisation.add_argument("slug")
    organisation.add_argument("--name", required=True)
    organisation.add_argument(
        "--framework",
        metavar="SLUG",
        default="rtw-coordinator",
        help="the framework assessed against: its latest published version (default: %(default)s)",
    )
    organisation.add_argument("--owner", metavar="USER", help=django_setup.OWNER_HELP)
    organisation.set_defaults(handler=run_organisation)

    people = commands.add_parser(
        "import-people",
        help="import coordinators, mentors and supervisors from CSV",
        description="Import a CSV with columns name, email, role, team, mentor, supervisor "
        "into an organisation. role: coordinator, mentor or supervisor, or several separated "
        "by ';'. mentor and supervisor: the e-mail address of a person on any line or already "
        "in the organisation. People already there (same e-mail address) are updated. All or "
        "nothing: any error imports nothing and exits with status 2.",
    )
    people.add_argument("file", type=Path)
    people.add_argument("--organisation", required=True, metavar="SLUG")
    people.set_defaults(handler=run_import_people)


@django_setup.django_command(writes=True)
def run_organisation(args: argparse.Namespace) -> int:
    from rtwcomp.assessments.models import Organisation
    from rtwcomp.commands import UsageError

    if Organisation.objects.filter(slug=args.slug).exists():
        raise UsageError(f"an organisation '{args.slug}' exists already")
    Organisation.objects.create(
        slug=args.slug, name=args.name, owner=django_setup.owner(args.owner)
    )
    print(f"organisation {args.slug} created")
    return 0


@django_setup.django_command(writes=True)
def run_import_people(args: argparse.Namespace) -> int:
    from rtwcomp.assessments import services
    from rtwcomp.assessments.models import Organisation
    from rtwcomp.commands import UsageError
    from rtwcomp.interop.errors import InputError
    from rtwcomp.interop.people_csv import read_people_csv

    organisation = Organisation.objects.filter(slug=args.organisation).first()
    if organisation is None:
        raise UsageError(f"no organisation '{args.organisation}' (rtwcomp assess organisation)")
    try:
        rows = read_people_csv(args.file, known=services.known_people(organisation))
    except InputError as error:
        raise UsageError("nothing imported:\n" + "\n".join(error.problems)) from None
    counts = services.import_people(organisation, rows)
    print(f"{counts['created']} people added, {counts['updated']} updated")
    return 0
