"""`rtwcomp assess organisation|import-people|invite|round|export|report`: the people an
organisation assesses, their log-ins, its assessment rounds and their ratings as files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rtwcomp.commands import django_setup, match_mentors


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
    _register_invite(commands)
    match_mentors.register(commands)
    _register_rounds(commands)
    _register_export(commands)
    _register_report(commands)


def _register_invite(commands: Any) -> None:
    invite = commands.add_parser(
        "invite",
        help="e-mail people a log-in invitation",
        description="Give people of an organisation a log-in named by their e-mail address "
        "and e-mail each a link to choose a password (it works once and expires). Without "
        "addresses: everyone of the organisation who has no log-in yet. If any named person "
        "cannot be invited (a log-in already, an account of that name that is someone "
        "else's), nothing is sent and the command exits with status 2.",
    )
    invite.add_argument("organisation", metavar="ORG")
    invite.add_argument("emails", nargs="*", metavar="EMAIL")
    invite.set_defaults(handler=run_invite)


def _register_report(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help="a person's profile report as PDF or HTML",
        description="The individual profile report: the profile chart per group, the ratings "
        "side by side, the gaps to a role profile and the trends across rounds. The format "
        "follows the file's ending (.pdf or .html).",
    )
    report.add_argument("organisation", metavar="ORG")
    report.add_argument("email", metavar="EMAIL")
    report.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    report.add_argument("--profile", metavar="NAME", help="the role profile to compare with")
    report.set_defaults(handler=run_report)


def _register_rounds(commands: Any) -> None:
    rounds = commands.add_parser("round", help="assessment rounds of an organisation")
    actions = rounds.add_subparsers(dest="round_command", metavar="ACTION", required=True)
    create = actions.add_parser(
        "create",
        help="create a round (ratings dated inside it belong to it)",
        description="Create an assessment round. Rounds of one organisation never overlap.",
    )
    create.add_argument("organisation", metavar="ORG")
    create.add_argument("name", metavar="NAME")
    create.add_argument("--starts", required=True, metavar="YYYY-MM-DD")
    create.add_argument("--ends", required=True, metavar="YYYY-MM-DD")
    create.set_defaults(handler=run_round_create)


def _register_export(commands: Any) -> None:
    export = commands.add_parser(
        "export",
        help="the ratings of a round as CSV or XLSX",
        description="One row per current rating of the round: person, e-mail address, team, "
        "competency, group, source, instrument, rater, level and its label, date, evidence, "
        "and the rating a correction supersedes.",
    )
    export.add_argument("organisation", metavar="ORG")
    export.add_argument("--round", required=True, metavar="NAME")
    export.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    export.add_argument(
        "-o", "--output", type=Path, help="the file to write (default: CSV on standard output)"
    )
    export.set_defaults(handler=run_export)


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


@django_setup.django_command(writes=True)
def run_invite(args: argparse.Namespace) -> int:
    from rtwcomp.assessments import logins
    from rtwcomp.commands import UsageError
    from rtwcomp.site import mail

    organisation = _organisation(args.organisation)
    people = organisation.people.select_related("user", "organisation")
    if args.emails:
        chosen = {p.email.lower(): p for p in people}
        unknown = [e for e in args.emails if e.lower() not in chosen]
        if unknown:
            raise UsageError(f"nobody in {organisation.slug} has the address {', '.join(unknown)}")
        invited = [chosen[e.lower()] for e in dict.fromkeys(args.emails)]
    else:
        invited = [p for p in people if logins.state(p) == "none"]
    refused = [f"{p.email}: {reason}" for p in invited if (reason := logins.refusal(p))]
    if refused:
        raise UsageError("nothing sent:\n" + "\n".join(refused))
    for person in invited:
        logins.invite(person, mail.site_url())
        print(f"invitation sent to {person.email}")
    print(f"{len(invited)} invitation(s) sent")
    return 0


def _date(text: str, option: str) -> Any:
    import datetime as dt

    from rtwcomp.commands import UsageError

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} '{text}' is not a date written YYYY-MM-DD") from None


def _organisation(slug: str) -> Any:
    from rtwcomp.assessments.models import Organisation
    from rtwcomp.commands import UsageError

    found = Organisation.objects.filter(slug=slug).first()
    if found is None:
        raise UsageError(f"no organisation '{slug}' (rtwcomp assess organisation)")
    return found


@django_setup.django_command(writes=True)
def run_round_create(args: argparse.Namespace) -> int:
    from rtwcomp.assessments.rounds import RoundError, create_round
    from rtwcomp.commands import UsageError

    organisation = _organisation(args.organisation)
    starts, ends = _date(args.starts, "--starts"), _date(args.ends, "--ends")
    try:
        made = create_round(organisation, args.name, starts, ends, user=None)
    except RoundError as error:
        raise UsageError(str(error)) from None
    print(f"round '{made.name}' of {organisation.slug}: {made.starts_on} to {made.ends_on}")
    return 0


@django_setup.django_command(writes=False)
def run_export(args: argparse.Namespace) -> int:
    import sys

    from rtwcomp.assessments import exports
    from rtwcomp.commands import UsageError

    organisation = _organisation(args.organisation)
    found = organisation.rounds.filter(name=args.round).first()
    if found is None:
        names = ", ".join(organisation.rounds.values_list("name", flat=True)) or "none yet"
        raise UsageError(f"no round '{args.round}' in {organisation.slug} (rounds: {names})")
    if args.output is None and args.format == "xlsx":
        raise UsageError("an XLSX file needs -o FILE")
    if args.output is None:
        sys.stdout.write(exports.as_csv(found))
        return 0
    try:
        exports.write(found, args.format, args.output)
    except OSError as error:
        raise UsageError(f"cannot write {args.output}: {error.strerror}") from None
    print(f"{args.output} written")
    return 0


@django_setup.django_command(writes=False)
def run_report(args: argparse.Namespace) -> int:
    from rtwcomp.assessments import report_data
    from rtwcomp.commands import UsageError

    fmt = args.output.suffix.lower().lstrip(".")
    if fmt not in report_data.FORMATS:
        raise UsageError(f"{args.output}: the file must end in .pdf or .html")
    organisation = _organisation(args.organisation)
    person = organisation.people.filter(email__iexact=args.email).first()
    if person is None:
        raise UsageError(f"no person '{args.email}' in {organisation.slug}")
    profile = None
    if args.profile is not None:
        profile = organisation.profiles.filter(name=args.profile).first()
        if profile is None:
            names = ", ".join(organisation.profiles.values_list("name", flat=True)) or "none yet"
            raise UsageError(f"no role profile '{args.profile}' (profiles: {names})")
    body = report_data.render(person, profile, fmt)
    try:
        args.output.write_bytes(body)
    except OSError as error:
        raise UsageError(f"cannot write {args.output}: {error.strerror}") from None
    print(f"{args.output} written")
    return 0
